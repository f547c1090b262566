"""The one atomic writer: regular files are replaced whole; streams and links are respected."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from mtrepair.atomic import write_atomic


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
