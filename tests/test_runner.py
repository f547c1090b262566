"""clean as a stream: all cores, batches that survive kill -9, --resume, per-document isolation.

Every test drives the real `mtrepair` command in a subprocess over real articles
(the seeds and ../shared/dev/real), with a real corpus store.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, export_lines, run_cli

REAL = SHARED / "dev" / "real" / "articles"


def _articles() -> list[Path]:
    found = sorted((ROOT / "corpus" / "samples").glob("*.txt")) + sorted(REAL.glob("*.txt"))
    if len(found) < 20:
        pytest.skip("../shared/dev/real/articles is not beside the project")
    return found


def _make_inputs(folder: Path, n: int) -> Path:
    """``n`` distinct real articles: the 26 real ones, each copy given its own closing line."""
    folder.mkdir(parents=True, exist_ok=True)
    articles = _articles()
    for i in range(n):
        src = articles[i % len(articles)]
        text = src.read_text(encoding="utf-8").rstrip("\n") + f"\n\nCopy {i} of the article.\n"
        (folder / f"{i:04d}_{src.name}").write_text(text, encoding="utf-8")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _make_archive(path: Path, n: int) -> Path:
    """``n`` distinct real articles as one JSONL archive (several units of work)."""
    articles = _articles()
    rows = []
    for i in range(n):
        text = articles[i % len(articles)].read_text(encoding="utf-8").rstrip("\n") + f"\n\nCopy {i}.\n"
        rows.append(json.dumps({"id": f"a{i:04d}", "text": text}, ensure_ascii=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("form", [pytest.param("files", id="files"), pytest.param("jsonl", id="jsonl")])
def test_jobs_2_writes_the_same_bytes_as_jobs_1(tmp_path: Path, form: str) -> None:
    if form == "files":
        inputs, expected_files = _make_inputs(tmp_path / "in", 40), 41
    else:
        inputs, expected_files = _make_archive(tmp_path / "in" / "archive.jsonl", 70), 2
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        proc = run_cli("clean", str(inputs), "-o", str(out), "--report", str(out / "report.jsonl"),
                       "--engine", "apertium", "--jobs", jobs)
        assert proc.returncode == 0, proc.stderr.decode()
        runs[jobs] = _tree(out)
    assert len(runs["1"]) == expected_files
    assert runs["1"] == runs["2"]
    if form == "jsonl":
        rows = [json.loads(line) for line in runs["1"]["archive.jsonl"].decode().splitlines()]
        assert [r["id"] for r in rows] == [f"a{i:04d}" for i in range(70)]
        assert not list((tmp_path / "out2").glob(".*.tmp"))


@pytest.mark.slow
def test_kill_9_keeps_finished_articles_and_resume_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    inputs = _make_inputs(tmp_path / "in", 300)
    ref_out, ref_store = tmp_path / "ref", tmp_path / "ref-store"
    proc = run_cli("clean", str(inputs), "-o", str(ref_out), "--report", str(ref_out / "report.jsonl"),
                   "--corpus", str(ref_store), "--engine", "none", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr.decode()

    out, store = tmp_path / "out", tmp_path / "store"
    args = [sys.executable, "-m", "mtrepair", "clean", str(inputs), "-o", str(out), "--report",
            str(out / "report.jsonl"), "--corpus", str(store), "--engine", "none", "--jobs", "1"]
    victim = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ledger = out / ".mtrepair-ledger.jsonl"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and victim.poll() is None:
        if ledger.is_file() and len(ledger.read_text(encoding="utf-8").splitlines()) >= 64:
            break
        time.sleep(0.05)
    assert victim.poll() is None, "the run finished before it could be killed; give it more articles"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=60)

    # Every article the ledger names is complete, byte for byte, and in the corpus.
    done = [json.loads(line)["rel"] for line in ledger.read_text(encoding="utf-8").splitlines()]
    assert 64 <= len(done) < 300
    ref_files = _tree(ref_out)
    for rel in done:
        assert (out / rel).read_bytes() == ref_files[rel], rel
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    stats = run_cli("corpus", "stats", "--corpus", str(store), "--json")
    assert stats.returncode == 0, stats.stderr.decode()
    assert json.loads(stats.stdout)["documents"] >= len(done)

    resumed = run_cli("clean", str(inputs), "-o", str(out), "--report", str(out / "report.jsonl"),
                      "--corpus", str(store), "--engine", "none", "--jobs", "1", "--resume")
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert _tree(out) == ref_files
    for kind in ("segments", "spans"):
        assert export_lines(store, kind) == export_lines(ref_store, kind)


def test_same_named_files_from_two_folders_do_not_overwrite_each_other(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x.txt").write_text("The IMSS opened 4 mil 158 beds.\n", encoding="utf-8")
    (b / "x.txt").write_text("The ISSSTE hired 2 mil 300 doctors.\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("clean", str(a), str(b), "-o", str(out), "--engine", "none", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    written = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.txt")}
    assert sorted(written.values()) == ["The IMSS opened 4,158 beds.\n", "The ISSSTE hired 2,300 doctors.\n"]


def test_one_bad_record_costs_only_itself(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    good = [{"id": f"a{i}", "text": f"Article {i}: the IMSS opened 4 mil 158 beds."} for i in range(3)]
    lines = [json.dumps(good[0]), '{"id": "bad", "text": "\\ud800"}', json.dumps(good[1]), "{oops", json.dumps(good[2])]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("clean", str(batch), "-o", str(out), "--report", str(out / "r.jsonl"), "--engine", "none")
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "batch.jsonl:2:" in err and "batch.jsonl:4:" in err
    rows = [json.loads(line) for line in (out / "batch.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a0", "a1", "a2"]
    assert all("4,158" in r["text"] for r in rows)
    report = [json.loads(line) for line in (out / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["doc"] for r in report} == {"a0", "a1", "a2"}


def test_report_to_stdout_with_dash(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The IMSS opened 4 mil 158 beds.\n", encoding="utf-8")
    proc = run_cli("clean", str(article), "-o", str(tmp_path / "out"), "--report", "-", "--engine", "none")
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert any(r["after"] == "4,158" for r in rows)
    assert not (tmp_path / "-").exists() and not (ROOT / "-").exists()


def test_a_full_disk_costs_only_the_article_that_does_not_fit(tmp_path: Path, small_disk: Path) -> None:
    """Issue 12: a full disk ended the run in a traceback and dropped every other output."""
    src = tmp_path / "in"
    src.mkdir()
    line = "The IMSS opened 4 mil 158 beds in the state. "
    (src / "a_big.txt").write_text(line * 30_000, encoding="utf-8")  # 1.4 MB: cannot fit
    for i in range(3):
        (src / f"b{i}.txt").write_text(line, encoding="utf-8")
    out, report = small_disk / "out", small_disk / "r.jsonl"
    proc = run_cli("clean", str(src), "-o", str(out), "--report", str(report), "--engine", "none")
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err
    assert "a_big.txt: cannot write: No space left on device" in err
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["b0.txt", "b1.txt", "b2.txt"]
    assert all("4,158" in (out / f"b{i}.txt").read_text(encoding="utf-8") for i in range(3))
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    docs = {json.loads(x)["doc"] for x in report.read_text(encoding="utf-8").splitlines()}
    assert docs == {"b0.txt", "b1.txt", "b2.txt"}


@pytest.mark.parametrize(
    ("flag", "target", "message"),
    [
        pytest.param("-o", "article.txt", "-o names an existing file; give a folder", id="output-is-a-file"),
        pytest.param("-o", "article.txt/out", "cannot write into the output folder", id="output-under-a-file"),
        pytest.param("--report", "article.txt/r.jsonl", "cannot write the report", id="report-under-a-file"),
    ],
)
def test_an_output_that_cannot_be_written_is_one_line_before_any_article(
    tmp_path: Path, flag: str, target: str, message: str
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("The IMSS opened 4 mil 158 beds.\n", encoding="utf-8")
    args = ["clean", str(article), "--engine", "none", flag, str(tmp_path / target)]
    if flag == "--report":
        args += ["-o", str(tmp_path / "out")]
    proc = run_cli(*args)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err
    assert message in err and len([x for x in err.splitlines() if "error" in x]) == 1
    assert article.read_text(encoding="utf-8") == "The IMSS opened 4 mil 158 beds.\n"
