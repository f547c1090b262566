"""No CSV that mtrepair writes makes a spreadsheet run a formula (OWASP CSV injection), and
every escaped export still reads back equal."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from mtrepair.corpus import open_corpus
from mtrepair.corpus.export import ExportMeta, read_export
from mtrepair.corpus.query import ExportFilter, export_corpus, export_frame
from mtrepair.csvcell import escape_cell, unescape_cell
from mtrepair.glossary.review import add_entry, current_entries
from mtrepair.model import Document, Edit, Provenance, RepairResult, Segment, Span, SpanTranslation, apply_edits

TRIGGERS = "=+-@\t\r"

CELLS = [
    pytest.param("=HYPERLINK(\"http://evil.example\",\"click\")", id="equals"),
    pytest.param("+52 55 1234 5678", id="plus"),
    pytest.param("-2+3+cmd|' /C calc'!A0", id="minus-dde"),
    pytest.param("@SUM(1+1)*cmd|' /C calc'!A0", id="at"),
    pytest.param("\t=1+1", id="tab"),
    pytest.param("\r=1+1", id="cr"),
    pytest.param("'=already quoted", id="quote-then-trigger"),
    pytest.param("''+twice", id="two-quotes-then-trigger"),
    pytest.param("plain text", id="plain"),
    pytest.param("'just a quote", id="quote-no-trigger"),
]


@pytest.mark.parametrize("cell", CELLS)
def test_escape_is_safe_and_reversible(cell: str) -> None:
    escaped = escape_cell(cell)
    assert not escaped[:1] or escaped[0] not in TRIGGERS
    assert unescape_cell(escaped) == cell


def _result() -> RepairResult:
    text = "=HYPERLINK(\"http://evil.example\") dice @SUM(A1) y -2+3 camas.\n"
    src = "dice"
    i = text.index(src)
    edits = [Edit(i, i + len(src), src, "=cmd|' /C calc'!A0", "translation", "translate:hand", 0.9, "hand")]
    return RepairResult(
        Document("=evil.txt", text),
        tuple(edits),
        apply_edits(text, edits),
        Provenance("0.1.0", "", "hand"),
        (Segment("=evil.txt", 0, len(text), text),),
        (Span(i, i + len(src), "es", src),),
        (SpanTranslation(i, i + len(src), src, "=cmd|' /C calc'!A0", "hand", 0.9),),
    )


@pytest.mark.parametrize("kind", [pytest.param("segments", id="segments"), pytest.param("spans", id="spans")])
def test_corpus_csv_export_has_no_formula_cell_and_reads_back_equal(tmp_path: Path, kind: str) -> None:
    corpus = open_corpus(tmp_path / "store")
    corpus.add_results([_result()])
    out = tmp_path / "out.csv"
    meta = ExportMeta(kind, "en-x-mt" if kind == "segments" else "es", "en", "0.1.0")
    export_corpus(corpus, ExportFilter(kind=kind), out, "csv", meta)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    cells = [c for row in rows for c in row]
    assert any(c.startswith("'=") for c in cells)
    assert not [c for c in cells if c[:1] and c[0] in TRIGGERS]
    expected = export_frame(corpus, ExportFilter(kind=kind)).collect()
    assert read_export(out, "csv", meta.src_lang, meta.tgt_lang).equals(expected)


def test_glossary_csv_export_has_no_formula_cell_and_imports_back_equal(tmp_path: Path) -> None:
    directory = tmp_path / "g"
    add_entry(directory, source="=1+1", target="@SUM(A1)", status="approved", author="ana", note="-2+3 hostile")
    out = tmp_path / "g.csv"
    run = [sys.executable, "-m", "mtrepair", "glossary"]
    proc = subprocess.run([*run, "export", str(out), "-g", str(directory)], cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")) for c in row]
    assert "'=1+1" in cells and "'@SUM(A1)" in cells and "'-2+3 hostile" in cells
    assert not [c for c in cells if c[:1] and c[0] in TRIGGERS]
    copy = tmp_path / "copy"
    proc = subprocess.run([*run, "import", str(out), "-g", str(copy)], cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    [entry] = current_entries(copy)
    assert (entry.source, entry.target, entry.note) == ("=1+1", "@SUM(A1)", "-2+3 hostile")
