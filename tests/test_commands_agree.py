"""detect, clean and translate go through one pipeline: the same text gives the same spans and
translations whichever command asks (issue 10), on the seeds and ../shared/dev/real."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, run_cli
from mtrepair.model import Document
from mtrepair.repair import Pipeline, open_pipeline, repair_document, segment_document, translate_lines

ARTICLES = sorted((ROOT / "corpus" / "samples").glob("*.txt")) + sorted((SHARED / "dev" / "real" / "articles").glob("*.txt"))
GLOSSARY = str(ROOT / "glossary")


@pytest.fixture(scope="module")
def pipeline() -> Iterator[Pipeline]:
    if len(ARTICLES) < 20:
        pytest.skip("../shared/dev/real/articles is not beside the project")
    pipe = open_pipeline(glossary_dir=GLOSSARY, engine="apertium")
    yield pipe
    pipe.close()


def _doc(path: Path) -> Document:
    return Document(doc_id=path.name, text=path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name[:12]) for p in ARTICLES])
def test_detect_finds_the_spans_clean_repairs(pipeline: Pipeline, path: Path) -> None:
    doc = _doc(path)
    assert segment_document(doc, pipeline).spans == repair_document(doc, pipeline).spans


def test_detect_command_prints_the_library_spans(pipeline: Pipeline, tmp_path: Path) -> None:
    proc = run_cli("detect", *map(str, ARTICLES), "--jsonl", "--glossary", GLOSSARY)
    assert proc.returncode == 0, proc.stderr.decode()
    printed: dict[str, list[tuple[int, int, str]]] = {}
    for line in proc.stdout.decode().splitlines():
        row = json.loads(line)
        printed.setdefault(row["doc"], []).extend((s["start"], s["end"], s["label"]) for s in row["spans"])
    for path in ARTICLES:
        spans = segment_document(_doc(path), pipeline).spans
        assert printed.get(path.name, []) == [(s.start, s.end, s.label) for s in spans], path.name


def test_translate_command_gives_the_library_translation_of_clean_spans(pipeline: Pipeline, tmp_path: Path) -> None:
    spans = sorted(
        {s.text for p in ARTICLES for s in repair_document(_doc(p), pipeline).spans if s.label == "es"}
    )
    assert len(spans) >= 10
    lines = tmp_path / "spans.es.txt"
    lines.write_text("".join(s + "\n" for s in spans), encoding="utf-8")
    proc = run_cli("translate", str(lines), "--engine", "apertium", "--glossary", GLOSSARY)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().splitlines() == list(translate_lines(spans, pipeline))
