"""The one atomic writer: regular files are replaced whole; streams and links are respected."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from mtrepair.atomic import atomic_path, write_atomic
from mtrepair.errors import OutputError

ROOT = Path(__file__).resolve().parent.parent


def test_regular_file_is_replaced_with_its_permissions_kept(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    write_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "new"


def test_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert got == [b"through the pipe\n"]
    assert fifo.is_fifo()


def test_character_device_is_written_through(tmp_path: Path) -> None:
    write_atomic(Path("/dev/null"), "discarded")
    assert Path("/dev/null").is_char_device()


def test_dash_means_stdout() -> None:
    code = "from pathlib import Path; from mtrepair.atomic import write_atomic; write_atomic(Path('-'), 'to stdout\\n')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, timeout=60)
    assert proc.stdout == b"to stdout\n"


# -- atomic_path: the same rule for writers that stream into a path (corpus exports) --------


def _stream_into(path: Path, text: str) -> None:
    with atomic_path(path, "test export") as tmp:
        tmp.write_text(text, encoding="utf-8")


def test_atomic_path_replaces_a_regular_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "spans.tsv"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    _stream_into(path, "new")
    assert path.read_text(encoding="utf-8") == "new" and path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["spans.tsv"]


def test_atomic_path_leaves_the_old_file_when_the_writer_fails(tmp_path: Path) -> None:
    path = tmp_path / "spans.tsv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("writer failed")
    assert path.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["spans.tsv"]


def test_atomic_path_follows_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "real.tmx"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.tmx"
    link.symlink_to(target)
    _stream_into(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"


def test_atomic_path_writes_through_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    _stream_into(fifo, "row 1\nrow 2\n")
    reader.join(timeout=10)
    assert got == [b"row 1\nrow 2\n"] and fifo.is_fifo()
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_atomic_path_dash_is_stdout_and_creates_no_file(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path; from mtrepair.atomic import atomic_path\n"
        "with atomic_path(Path('-')) as tmp: tmp.write_bytes(b'to stdout\\n')"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, timeout=60, cwd=tmp_path)
    assert proc.stdout == b"to stdout\n" and list(tmp_path.iterdir()) == []


def _a_folder(tmp_path: Path) -> Path:
    (tmp_path / "out.tsv").mkdir()
    return tmp_path / "out.tsv"


def _under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    return tmp_path / "a-file" / "out.tsv"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(_a_folder, "is a directory; give a file name for the test export", id="a folder"),
        pytest.param(_under_a_file, "cannot create the folder for the test export", id="under a file"),
    ],
)
def test_atomic_path_errors_name_the_path(tmp_path: Path, make: Callable[[Path], Path], message: str) -> None:
    path = make(tmp_path)
    with pytest.raises(OutputError, match=re.escape(f"{path}: {message}")):
        _stream_into(path, "x")


def test_process_substitution_report_is_written_through(tmp_path: Path) -> None:
    """`--report >(cat > FILE)` used to end in a traceback (issue 11)."""
    out = tmp_path / "seen.jsonl"
    article = ROOT / "corpus" / "samples" / "000_2e8fdd939f08f812.txt"
    proc = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m mtrepair -q clean {article} --engine none -o {tmp_path / 'o'} "
         f"--report >(cat > {out}); wait"],
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").count("\n") > 0
