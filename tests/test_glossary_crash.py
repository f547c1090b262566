"""Crash safety with real processes (issue 12, parts 3 and 5): kill -9 at every point of a
glossary commit and at random ones, a full disk, and kill -9 of ``clean --corpus``.

Issue 12 found that a writer killed between the history append and the TSV replace left
history "add" records for entries the glossary never got (49 of 50 kills), plus stale
temp files; a full disk during ``glossary add`` did the same. After every kill here:
the glossary opens, replaying the history from empty gives exactly the TSV's entries
(``journal.replay_problems``: history records = TSV changes), and the next write leaves
no temp file. The named points use the test hook MTREPAIR_FAULT_PAUSE (journal.py).
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest

from conftest import ROOT, SHARED, run_cli
from mtrepair.errors import GlossaryError
from mtrepair.glossary.journal import FAULT_ENV, FAULT_SECONDS_ENV, UNCOMMITTED_FILE, replay_problems
from mtrepair.glossary.review import add_entry, current_entries, read_history

LOOPER = """
import sys
from mtrepair.glossary.review import add_entry
directory, run = sys.argv[1], sys.argv[2]
print("ready", flush=True)
for i in range(100000):
    add_entry(directory, source=f"clinica {run} {i}", target=f"clinic {run} {i}", kind="term",
              entry_id=f"c{run}-{i}", author="looper")
"""
IMPORTED = "\n".join(
    [
        "id\tsource\ttarget\tkind\tcase\tstatus\tnote\tauthor\tupdated",
        *(f"t{i}\tpalabra {i}\tword {i}\tterm\tinsensitive\tproposed\t\t\t" for i in range(3)),
        "",
    ]
)


@pytest.fixture
def gdir(tmp_path: Path) -> Path:
    directory = tmp_path / "glossary"
    add_entry(directory, source="IMSS", kind="keep", case="sensitive", status="approved", author="ana")
    add_entry(directory, source="derechohabientes", target="beneficiaries", author="ana", note="seed 003")
    return directory


def temps(directory: Path) -> list[Path]:
    return sorted(directory.glob(".glossary.tsv.*.tmp"))


def spawn(directory: Path, op: str, pause: str | None = None) -> subprocess.Popen[bytes]:
    """``add`` and ``import``: the real ``mtrepair glossary`` command; ``loopN``: a library loop."""
    env = dict(os.environ)
    if pause:
        env[FAULT_ENV] = pause
        env[FAULT_SECONDS_ENV] = "120"
    if op == "add":
        argv = ["-m", "mtrepair", "glossary", "add", "UMF", "--kind", "keep", "-g", str(directory)]
    elif op == "import":
        source = directory.parent / "import.tsv"
        source.write_text(IMPORTED, encoding="utf-8")
        argv = ["-m", "mtrepair", "glossary", "import", str(source), "-g", str(directory)]
    else:
        argv = ["-c", LOOPER, str(directory), op.removeprefix("loop")]
    return subprocess.Popen([sys.executable, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)


def wait_for(stream: IO[bytes] | None, needle: bytes, proc: subprocess.Popen[bytes], limit_s: float = 60) -> None:
    """Read ``stream`` until a line holds ``needle`` (the writer is then paused or running)."""
    deadline = time.monotonic() + limit_s
    seen = b""
    assert stream is not None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 0.5)
        if ready:
            line = stream.readline()
            seen += line
            if needle in line:
                return
            if not line:
                break
    proc.kill()
    raise AssertionError(f"the writer never got to {needle!r}: {seen.decode(errors='replace')}")


def kill9(proc: subprocess.Popen[bytes]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    proc.stderr.close()


# Where the commit was when killed → whether the change is in the glossary afterwards, whether a
# stale temp file is left, and whether history lines had to be moved aside.
POINTS = [
    pytest.param("add", "after-temp", False, True, False, id="add-after-temp"),
    pytest.param("add", "mid-history", False, True, True, id="add-mid-history"),
    pytest.param("add", "after-history", False, True, True, id="add-after-history"),
    pytest.param("add", "after-rename", True, False, False, id="add-after-rename"),
    pytest.param("import", "mid-history", False, True, True, id="import-mid-history"),
    pytest.param("import", "after-history", False, True, True, id="import-after-history"),
    pytest.param("import", "after-rename", True, False, False, id="import-after-rename"),
]


@pytest.mark.parametrize(("op", "point", "kept", "stale", "moved"), POINTS)
def test_kill_9_at_each_commit_point_leaves_tsv_and_history_consistent(
    gdir: Path, capsys: pytest.CaptureFixture[str], op: str, point: str, kept: bool, stale: bool, moved: bool
) -> None:
    history = (gdir / "history.jsonl").read_bytes()
    proc = spawn(gdir, op, pause=point)
    wait_for(proc.stderr, f"fault pause at {point}".encode(), proc)
    kill9(proc)

    new_ids = {"add": {"umf"}, "import": {"t0", "t1", "t2"}}[op]
    assert bool(temps(gdir)) == stale
    # The glossary opens and its history says exactly what the TSV holds.
    ids = {e.id for e in current_entries(gdir)}
    assert (new_ids <= ids) == kept and (new_ids & ids == set()) == (not kept)
    records = read_history(gdir)
    warning = capsys.readouterr().err
    assert {r["id"] for r in records} >= new_ids if kept else not {r["id"] for r in records} & new_ids
    assert replay_problems(gdir) == []
    if moved:
        assert warning.count("\n") == 1 and UNCOMMITTED_FILE in warning
        assert (gdir / "history.jsonl").read_bytes() == history
        saved = (gdir / UNCOMMITTED_FILE).read_text(encoding="utf-8").splitlines()
        assert saved and all(json.loads(line)["why"] in ("uncommitted", "torn") for line in saved)
    else:
        assert warning == "" and not (gdir / UNCOMMITTED_FILE).exists()
    # The next write cleans the killed writer's temp file and commits normally.
    add_entry(gdir, source="ISSSTE", kind="keep", case="sensitive", author="next")
    assert temps(gdir) == []
    assert replay_problems(gdir) == []
    assert "issste" in {e.id for e in current_entries(gdir)}


def test_kill_9_at_random_instants_of_a_writing_loop(gdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """~10 kills of a process that adds entries as fast as it can, at random instants."""
    rng = random.Random(12)
    added = 0
    for kills, run in enumerate(range(10), start=1):
        proc = spawn(gdir, f"loop{run}")
        wait_for(proc.stdout, b"ready", proc)
        time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode() if proc.stderr else "the writer ended")
        kill9(proc)
        entries = current_entries(gdir)
        records = read_history(gdir)
        assert replay_problems(gdir) == [], f"after kill {kills}"
        assert len(records) == len(entries)  # only adds: one record per entry kept
        added += sum(e.author == "looper" for e in entries) - added
    assert added > 10, "the kills came before any write: the loop never ran"
    add_entry(gdir, source="ISSSTE", kind="keep", case="sensitive", author="next")
    assert temps(gdir) == [] and replay_problems(gdir) == []
    capsys.readouterr()


# -- a full disk ------------------------------------------------------------------------------------


def fill(disk: Path, leave_pages: int) -> Path:
    """Fill ``disk`` but for ``leave_pages`` free pages."""
    stat = os.statvfs(disk)
    free_pages = stat.f_bavail * stat.f_frsize // 4096
    filler = disk / "filler"
    with open(filler, "wb") as fh:
        fh.write(b"\0" * max(0, free_pages - leave_pages) * 4096)
    return filler


def import_file(tmp_path: Path, n: int) -> Path:
    header = "id\tsource\ttarget\tkind\tcase\tstatus\tnote\tauthor\tupdated"
    rows = [f"u{i}\tunidad médica {i}\tmedical unit {i}\tterm\tinsensitive\tproposed\t\t\t" for i in range(n)]
    path = tmp_path / "import.tsv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("command", "spare_pages"),
    [
        # Not even the new TSV fits: the temp file's write fails.
        pytest.param("add", 0, id="add-temp-write-fails"),
        pytest.param("import", 0, id="import-temp-write-fails"),
        # The new TSV fits, its ~19 pages of history do not: the append fails halfway.
        pytest.param("import", 6, id="import-history-append-fails"),
    ],
)
def test_a_full_disk_is_one_error_and_the_glossary_is_unchanged(
    small_disk: Path, tmp_path: Path, command: str, spare_pages: int
) -> None:
    gdir = small_disk / "g"
    add_entry(gdir, source="IMSS", kind="keep", case="sensitive", status="approved", author="ana")
    before = {p.name: p.read_bytes() for p in gdir.iterdir() if not p.name.startswith(".")}
    if command == "add":
        # A note long enough that the new TSV needs a page more than the old one.
        args = ["add", "UMF", "--kind", "keep", "--note", "seed 002 " * 600]
    else:
        args = ["import", str(import_file(tmp_path, 150))]
    filler = fill(small_disk, spare_pages)
    done = run_cli("glossary", *args, "-g", str(gdir))
    err = done.stderr.decode()
    assert done.returncode == 1 and err.count("\n") == 1, err
    assert "No space left on device" in err and "nothing changed" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in gdir.iterdir() if not p.name.startswith(".")} == before
    assert temps(gdir) == []
    # Room again: the same command goes through, whole.
    filler.unlink()
    done = run_cli("glossary", *args, "-g", str(gdir))
    assert done.returncode == 0, done.stderr.decode()
    assert len(current_entries(gdir)) == (2 if command == "add" else 151) and replay_problems(gdir) == []


def test_a_full_disk_through_the_library_raises_glossary_error(small_disk: Path) -> None:
    gdir = small_disk / "g"
    add_entry(gdir, source="IMSS", kind="keep", case="sensitive", status="approved", author="ana")
    history = (gdir / "history.jsonl").read_bytes()
    fill(small_disk, 0)
    with pytest.raises(GlossaryError, match="nothing changed"):
        add_entry(gdir, source="x " * 3000, target="y", kind="term", author="bob")
    assert (gdir / "history.jsonl").read_bytes() == history and temps(gdir) == []


# -- kill -9 of clean --corpus ----------------------------------------------------------------------

REAL = SHARED / "dev" / "real" / "articles"


def _inputs(folder: Path, n: int) -> Path:
    articles = sorted((ROOT / "corpus" / "samples").glob("*.txt")) + sorted(REAL.glob("*.txt"))
    if len(articles) < 20:
        pytest.skip("../shared/dev/real/articles is not beside the project")
    folder.mkdir(parents=True)
    for i in range(n):
        src = articles[i % len(articles)]
        text = src.read_text(encoding="utf-8").rstrip("\n") + f"\n\nCopy {i} of the article.\n"
        (folder / f"{i:04d}_{src.name}").write_text(text, encoding="utf-8")
    return folder


def _documents(store: Path) -> dict[str, tuple[str, tuple[tuple[int, str, str], ...]]]:
    """doc_hash → (repaired text, its live segments): what a whole document is."""
    from mtrepair.corpus import open_corpus

    corpus = open_corpus(store)
    docs = corpus.documents().select("doc_hash", "repaired").collect()
    segs = corpus.segments().select("doc_hash", "seg", "original", "repaired").collect()
    by_doc: dict[str, list[tuple[int, str, str]]] = {}
    for row in segs.iter_rows():
        by_doc.setdefault(row[0], []).append((row[1], row[2], row[3]))
    return {h: (text, tuple(sorted(by_doc.get(h, [])))) for h, text in docs.iter_rows()}


def _wait_for_store(store: Path, proc: subprocess.Popen[bytes], limit_s: float = 300) -> None:
    """Wait until the run has made its store (its start-up, imports included, takes seconds)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and proc.poll() is None:
        if (store / "documents" / "_delta_log").is_dir():
            return
        time.sleep(0.02)
    raise AssertionError("the run never made its store")


def _clean(inputs: Path, out: Path, store: Path) -> subprocess.Popen[bytes]:
    args = ["clean", str(inputs), "-o", str(out), "--corpus", str(store), "--engine", "none", "--jobs", "1"]
    return subprocess.Popen(
        [sys.executable, "-m", "mtrepair", *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


@pytest.mark.slow
def test_kill_9_of_clean_corpus_leaves_only_whole_documents(tmp_path: Path) -> None:
    """5 kills at random instants of the writing part of a run that commits 64 documents at a time."""
    inputs = _inputs(tmp_path / "in", 130)
    ref = tmp_path / "ref-store"
    proc = _clean(inputs, tmp_path / "ref", ref)
    _wait_for_store(ref, proc)
    began = time.monotonic()
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    writing_s = time.monotonic() - began  # how long the store is written: where the kills land
    reference = _documents(ref)
    assert len(reference) == 130
    rng = random.Random(5)
    partial = []
    for k in range(5):
        store = tmp_path / f"store{k}"
        proc = _clean(inputs, tmp_path / f"out{k}", store)
        _wait_for_store(store, proc)
        time.sleep(rng.uniform(0.0, 0.9 * writing_s))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        found = _documents(store)
        partial.append(len(found))
        assert set(found) <= set(reference)
        for doc_hash, document in found.items():
            assert document == reference[doc_hash], f"kill {k}: document {doc_hash} is not whole"
    assert any(n < len(reference) for n in partial), f"every run finished before its kill: {partial}"


def test_a_read_only_glossary_with_a_torn_line_is_read_without_writing(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An install's glossary the user cannot write (here a tmpfs remounted read-only, which
    holds even for root): ``history`` leaves the torn line out and says so, writing nothing."""
    gdir = small_disk / "g"
    add_entry(gdir, source="IMSS", kind="keep", case="sensitive", status="approved", author="ana")
    with open(gdir / "history.jsonl", "ab") as fh:
        fh.write(b'{"time": "2024-01-01T00:00:00Z", "tor')
    (gdir / ".glossary.lock").unlink(missing_ok=True)
    files = {p.name: p.read_bytes() for p in gdir.iterdir()}
    remount = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, check=False)
    if remount.returncode != 0:
        pytest.skip("cannot remount the tmpfs read-only here")
    assert [r["id"] for r in read_history(gdir)] == ["imss"]
    assert "a torn last line" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in gdir.iterdir()} == files
