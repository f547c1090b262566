"""mtrepair batch on a real local Ray (2 CPUs): the corpus equals what clean --corpus builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, export_lines, run_cli

pytest.importorskip("ray", reason="Ray is the optional extra mtrepair[ray]; .ci/run installs it")

REAL = SHARED / "dev" / "real" / "articles"


def _archive(path: Path, n: int) -> Path:
    articles = sorted((ROOT / "corpus" / "samples").glob("*.txt")) + sorted(REAL.glob("*.txt"))
    if len(articles) < 20:
        pytest.skip("../shared/dev/real/articles is not beside the project")
    rows = []
    for i in range(n):
        src = articles[i % len(articles)]
        text = src.read_text(encoding="utf-8").rstrip("\n") + f"\n\nCopy {i} of the article.\n"
        rows.append({"id": f"{i:04d}-{src.stem}", "text": text, "site": "example"})
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.slow
def test_batch_on_local_ray_builds_the_same_corpus_as_clean(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "archive.jsonl", 200)
    ray_store, clean_store = tmp_path / "ray-store", tmp_path / "clean-store"
    proc = run_cli("batch", str(archive), "--corpus", str(ray_store), "--num-cpus", "2", "--engine", "apertium")
    assert proc.returncode == 0, proc.stderr.decode()
    assert "200 document(s)" in proc.stderr.decode()
    proc = run_cli("clean", str(archive), "-o", str(tmp_path / "out"), "--corpus", str(clean_store),
                   "--engine", "apertium")
    assert proc.returncode == 0, proc.stderr.decode()
    for kind in ("segments", "spans"):
        assert export_lines(ray_store, kind) == export_lines(clean_store, kind)


def test_batch_refuses_an_archive_without_text(tmp_path: Path) -> None:
    archive = tmp_path / "bad.jsonl"
    archive.write_text('{"id": "a", "body": "no text column"}\n', encoding="utf-8")
    proc = run_cli("batch", str(archive), "--corpus", str(tmp_path / "store"), "--num-cpus", "1", "--engine", "none")
    assert proc.returncode == 1
    assert "no text column" in proc.stderr.decode()
    assert len(proc.stderr.decode().strip().splitlines()) == 1


def test_batch_refuses_an_archive_without_ids(tmp_path: Path) -> None:
    archive = tmp_path / "noid.jsonl"
    archive.write_text('{"text": "The IMSS opened 4 mil 158 beds."}\n', encoding="utf-8")
    proc = run_cli("batch", str(archive), "--corpus", str(tmp_path / "store"), "--num-cpus", "1", "--engine", "none")
    assert proc.returncode == 1
    assert "no id column" in proc.stderr.decode()
    assert not (tmp_path / "store" / "documents").exists()


def test_batch_missing_archive_is_one_line(tmp_path: Path) -> None:
    proc = run_cli("batch", str(tmp_path / "nope.jsonl"), "--corpus", str(tmp_path / "store"))
    assert proc.returncode == 1
    assert "no such archive" in proc.stderr.decode()
