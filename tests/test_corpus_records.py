"""Repair results built from the seed articles and their hand annotations, and how they become rows.

The other corpus tests import ``seed_results``: RepairResult records made from the
real seed text with the gold spans, number fixes, variant fixes, glued words and
boilerplate lines of ../shared/dev/seed_gold.jsonl, and hand translations of the
Spanish spans, so the store sees exactly the records `mtrepair clean` produces.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mtrepair.corpus.rows import BoundaryMap, RowBuffer, content_hash, parse_day, tabulate_result
from mtrepair.model import (
    Document,
    Edit,
    Provenance,
    RepairResult,
    Segment,
    Span,
    SpanTranslation,
    apply_edits,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "samples"
GOLD = ROOT.parent / "shared" / "dev" / "seed_gold.jsonl"

CLAUSURA = "clausura del Ciclo Académico 2020-2021 de los Cursos de Especialización Médica"
CLAUSURA_EN = "closing of the 2020-2021 Academic Cycle of the Medical Specialization Courses"
# Hand translations of the gold Spanish spans; "chirimiento" (a typo in seed 000) stays untranslated.
TRANSLATIONS = {
    CLAUSURA: CLAUSURA_EN,
    "dice": "says",
    "el": "the",
    "haber": "having",
    "al": "to",
}
PROVENANCE = Provenance(version="0.1.0", glossary_hash="test", engine="hand", model_id="")


def gold_records() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def line_segments(doc_id: str, text: str, skip: list[tuple[int, int]]) -> list[Segment]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        body = m.group().strip()
        if not body or any(a <= m.start() and m.end() <= b for a, b in skip):
            continue
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        out.append(Segment(doc_id, start, start + len(body), body))
    return out


def seed_result(
    name: str, records: list[dict] | None = None, translations: dict[str, str] | None = None
) -> RepairResult:
    """One seed article as the pipeline would report it."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    records = [r for r in (records if records is not None else gold_records()) if r["doc"] == name]
    translations = TRANSLATIONS if translations is None else translations
    edits: list[Edit] = []
    spans: list[Span] = []
    done: list[SpanTranslation] = []
    boiler = [(r["start"], r["end"]) for r in records if r["boiler"]]
    for a, b in boiler:
        edits.append(Edit(a, b, text[a:b], "", "boilerplate", "boilerplate.line", 1.0))
    for r in records:
        for n in r["numbers"]:
            edits.append(Edit(n["start"], n["end"], n["text"], n["fix"], "number", "numbers.mil", 0.95))
        for t in r["terms"]:
            edits.append(Edit(t["start"], t["end"], t["text"], t["fix"], "glossary", "glossary.variant", 1.0))
        for g in r["glued"]:
            edits.append(Edit(g["start"], g["end"], g["text"], g["fix"], "glue", "glue.split", 0.8))
        for s in r["spans"]:
            spans.append(Span(s["start"], s["end"], s["label"], s["text"]))
            target = translations.get(s["text"]) if s["label"] == "es" else None
            if target is not None:
                done.append(SpanTranslation(s["start"], s["end"], s["text"], target, "hand", 0.9))
                edits.append(
                    Edit(s["start"], s["end"], s["text"], target, "translation", "translate.hand", 0.9, "hand")
                )
    date = re.match(r"\s*date (\d{4}-\d{2}-\d{2})", text)
    doc = Document(name, text, source=str(SEEDS / name), date=date.group(1) if date else None)
    edits.sort(key=lambda e: (e.start, e.end))
    return RepairResult(
        document=doc,
        edits=tuple(edits),
        text=apply_edits(text, edits),
        provenance=PROVENANCE,
        segments=tuple(line_segments(name, text, boiler)),
        spans=tuple(spans),
        translations=tuple(done),
    )


def seed_results() -> list[RepairResult]:
    return [seed_result(p.name) for p in sorted(SEEDS.glob("*.txt"))]


def make_result(
    doc_id: str,
    text: str,
    translations: dict[str, tuple[str, str, float]] | None = None,
    *,
    date: str | None = None,
    untranslated: tuple[str, ...] = (),
) -> RepairResult:
    """A result for ``text``: every occurrence of a key of ``translations`` is a Spanish span
    translated to (target, engine, confidence); ``untranslated`` spans stay as they are."""
    edits: list[Edit] = []
    spans: list[Span] = []
    done: list[SpanTranslation] = []
    for source, (target, engine, conf) in (translations or {}).items():
        for m in re.finditer(rf"(?<!\w){re.escape(source)}(?!\w)", text):
            spans.append(Span(m.start(), m.end(), "es", source))
            done.append(SpanTranslation(m.start(), m.end(), source, target, engine, conf))
            edits.append(Edit(m.start(), m.end(), source, target, "translation", f"translate.{engine}", conf, engine))
    for source in untranslated:
        for m in re.finditer(rf"(?<!\w){re.escape(source)}(?!\w)", text):
            spans.append(Span(m.start(), m.end(), "es", source))
    edits.sort(key=lambda e: (e.start, e.end))
    return RepairResult(
        document=Document(doc_id, text, date=date),
        edits=tuple(edits),
        text=apply_edits(text, edits),
        provenance=PROVENANCE,
        segments=tuple(line_segments(doc_id, text, [])),
        spans=tuple(spans),
        translations=tuple(done),
    )


def tabulate(result: RepairResult) -> dict[str, dict[str, list]]:
    buffers = {t: RowBuffer(t) for t in ("documents", "segments", "spans", "edits")}
    from datetime import datetime, timezone

    tabulate_result(result, 7, datetime.now(timezone.utc), buffers)
    return {t: b.take() for t, b in buffers.items()}


def test_seed_segments_hold_original_and_repaired_text() -> None:
    rows = tabulate(seed_result("000_2e8fdd939f08f812.txt"))
    seg = rows["segments"]
    i = next(i for i, s in enumerate(seg["original"]) if s.startswith("During the clausura"))
    assert CLAUSURA in seg["original"][i]
    assert seg["repaired"][i].startswith(
        "During the " + CLAUSURA_EN + ", the Director-General of the Mexican Social Security Institute"
    )
    assert seg["n_edits"][i] == 5  # the span, "el", the variant, "haber", "al"
    j = next(i for i, s in enumerate(seg["original"]) if "4 mil 158" in s)
    assert "4,158 doctors" in seg["repaired"][j] and seg["confidence"][j] == pytest.approx(0.95)
    # The boilerplate line is no segment.
    assert not any(s.startswith("Read more") for s in seg["original"])
    assert rows["documents"]["doc_hash"] == [content_hash(seed_result("000_2e8fdd939f08f812.txt").document.text)]


def test_spans_carry_translations_and_untranslated_status() -> None:
    rows = tabulate(seed_result("000_2e8fdd939f08f812.txt"))
    spans = rows["spans"]
    by_source = dict(
        zip(spans["source"], zip(spans["target"], spans["status"], spans["label"], strict=True), strict=True)
    )
    assert by_source[CLAUSURA] == (CLAUSURA_EN, "machine", "es")
    assert by_source["chirimiento"] == (None, "untranslated", "es")
    assert by_source["Zoé Robledo"] == (None, "name", "name")
    assert all(s >= 0 for s in spans["seg"])


def test_edit_straddling_a_segment_boundary_belongs_to_the_segment_it_starts_in() -> None:
    # A whitespace edit joining two sentences of seed 001 ("personnel. . The same"):
    # the sentence splitter cut after "personnel." and the edit runs into the next sentence.
    text = "The personnel. . The same doctors stayed."
    segs = (Segment("d", 0, 14, text[0:14]), Segment("d", 15, len(text), text[15:]))
    edit = Edit(13, 16, ". .", ".", "whitespace", "space.dots")
    result = RepairResult(Document("d", text), (edit,), apply_edits(text, [edit]), PROVENANCE, segs)
    seg = tabulate(result)["segments"]
    assert seg["original"] == ["The personnel.", ". The same doctors stayed."]
    assert seg["repaired"] == ["The personnel.", "The same doctors stayed."]
    assert seg["n_edits"] == [1, 0]


def test_boundary_map_puts_insertions_at_a_segment_start_inside_it() -> None:
    text = "abc def"
    ins = Edit(4, 4, "", "X", "glue", "t")
    m = BoundaryMap([ins])
    assert (m(0), m(3), m(4), m(7)) == (0, 3, 4, 8)
    assert apply_edits(text, [ins])[m(4) : m(7)] == "Xdef"


def test_result_without_segments_falls_back_to_lines_and_dates_parse() -> None:
    text = " date 2022-02-27 Guanajuato has 245 new specialists.\n\nSecond line.\n"
    result = RepairResult(Document("d", text, date="2022-02-27"), (), text, PROVENANCE)
    rows = tabulate(result)
    assert rows["segments"]["original"] == ["date 2022-02-27 Guanajuato has 245 new specialists.", "Second line."]
    assert str(rows["documents"]["day"][0]) == "2022-02-27"
    assert parse_day("27/02/2022") is None and parse_day("2022-13-01") is None


def test_inconsistent_edits_are_refused_with_the_document_named() -> None:
    from mtrepair.errors import CorpusError

    text = "abc"
    bad = Edit(0, 2, "zz", "y", "glue", "t")
    result = RepairResult(Document("broken.txt", text), (bad,), text, PROVENANCE)
    with pytest.raises(CorpusError, match=r"^broken.txt: inconsistent edits"):
        tabulate(result)
