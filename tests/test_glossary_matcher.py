"""Glossary matching: word boundaries, case, longest first, keep protection, span rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtrepair.glossary import Entry, Glossary, load_glossary
from mtrepair.glossary.variants import Form, entry_forms
from mtrepair.model import Edit, Segment, Span, apply_edits

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def entry(source: str, target: str = "", kind: str = "variant", case: str = "sensitive", id: str = "") -> Entry:
    return Entry(id or re.sub(r"\W+", "-", source).strip("-").lower() or "x", source, target, kind, case, "approved")  # type: ignore[arg-type]


def glossary(*entries: Entry) -> Glossary:
    return Glossary(entries, "test")


def whole(text: str) -> Segment:
    return Segment("doc", 0, len(text), text)


def fixes(
    g: Glossary,
    text: str,
    spans: list[Span] | None = None,
    protected: list[tuple[int, int]] | None = None,
    segment: Segment | None = None,
) -> list[tuple[str, str]]:
    seg = segment or whole(text)
    keep = g.keep_regions(text, seg.start, seg.end)
    return [(e.before, e.after) for e in g.find_edits(text, seg, spans or [], [*keep, *(protected or [])])]


SEEDED = glossary(
    entry("IMSS", kind="keep"),
    entry("IMSS-Bienestar", kind="keep"),
    entry("IMSS-Wellbeing", "IMSS-Bienestar", case="insensitive"),
    entry("IMSS Bienestar", "IMSS-Bienestar", case="insensitive"),
    entry("Mexican Institute of Social Security", "Mexican Social Security Institute", case="insensitive"),
    entry("derechohabientes", "beneficiaries", kind="term", case="insensitive"),
    entry("camas", "beds", kind="term", case="insensitive"),
    entry("Seguro Social", "Social Security", kind="term", case="insensitive"),
    entry("Instituto Mexicano del Seguro Social", "Mexican Social Security Institute", kind="term", case="insensitive"),
    entry("Secretaría de Salud", kind="keep"),
    entry("salud", "health", kind="term", case="insensitive"),
)


def test_a_variant_fires_inside_english_text_with_document_offsets() -> None:
    text = "Intro line.\nThe IMSS-Wellbeing program will operate in 23 states."
    seg = Segment("doc", 12, len(text), text[12:])
    edits = SEEDED.find_edits(text, seg, [], SEEDED.keep_regions(text, seg.start, seg.end))
    assert edits == [
        Edit(16, 30, "IMSS-Wellbeing", "IMSS-Bienestar", "glossary", "glossary:imss-wellbeing", 1.0, "glossary")
    ]
    assert apply_edits(text, edits) == "Intro line.\nThe IMSS-Bienestar program will operate in 23 states."


def test_the_longer_variant_wins_over_the_keep_entry_inside_it() -> None:
    # Seed 001: "IMSS-Wellbeing" holds the keep entry "IMSS"; the variant must still fire,
    # and "IMSS" on its own stays protected.
    text = "The IMSS and the IMSS-Wellbeing staff."
    assert SEEDED.keep_regions(text, 0, len(text)) == [(4, 8)]
    assert fixes(SEEDED, text) == [("IMSS-Wellbeing", "IMSS-Bienestar")]


def test_the_variant_beside_a_kept_acronym_fires() -> None:
    # Seed 000: "Director-General of the Mexican Institute of Social Security (IMSS)".
    text = "el Director-General of the Mexican Institute of Social Security (IMSS), Zoe Robledo"
    assert fixes(SEEDED, text) == [("Mexican Institute of Social Security", "Mexican Social Security Institute")]
    assert [text[a:b] for a, b in SEEDED.keep_regions(text, 0, len(text))] == ["IMSS"]


def test_matches_need_word_boundaries() -> None:
    g = glossary(entry("UMF", kind="keep"), entry("Wellness", "Bienestar"))
    text = "UMFS and xUMF and Wellnessful and UMF_2 and UMF2"
    assert g.keep_regions(text, 0, len(text)) == []
    assert fixes(g, text) == []
    assert g.keep_regions("(UMF) No. 58", 0, 12) == [(1, 4)]
    # Accented letters are word characters: "Méxicoa" does not hold "México".
    g2 = glossary(entry("México", "Mexico"))
    assert fixes(g2, "Méxicoa y Méxic o México.") == [("México", "Mexico")]


def test_a_combining_accent_is_part_of_the_word() -> None:
    g = glossary(entry("Zoe", "Zoé"))
    assert fixes(g, "Zoe\u0301 Robledo") == []
    assert fixes(g, "Zoe Robledo") == [("Zoe", "Zoé")]


def test_an_entry_edged_with_punctuation_needs_no_boundary_there() -> None:
    g = glossary(entry("No.", "number"))
    assert fixes(g, "UMF No.58") == [("No.", "number")]


def test_case_sensitive_entries_match_their_form_its_capitals_and_title_case() -> None:
    g = glossary(entry("IMSS-Wellness", "IMSS-Bienestar"), entry("right holders", "beneficiaries"))
    assert fixes(g, "imss-wellness and Imss-Wellness and right HOLDERS") == []
    assert fixes(g, "IMSS-Wellness") == [("IMSS-Wellness", "IMSS-Bienestar")]
    assert fixes(g, "IMSS-WELLNESS IMSS") == [("IMSS-WELLNESS", "IMSS-BIENESTAR")]
    assert fixes(g, "Right holders and Right Holders and RIGHT HOLDERS at IMSS-Wellness") == [
        ("Right holders", "Beneficiaries"),
        ("Right Holders", "Beneficiaries"),
        ("RIGHT HOLDERS", "BENEFICIARIES"),
        ("IMSS-Wellness", "IMSS-Bienestar"),
    ]


def test_case_insensitive_entries_carry_the_capital_over() -> None:
    text = "Camas y camas; DERECHOHABIENTES"
    spans = [Span(0, len(text), "es", text)]
    assert fixes(SEEDED, text, spans) == [("Camas", "Beds"), ("camas", "beds"), ("DERECHOHABIENTES", "BENEFICIARIES")]
    assert fixes(SEEDED, "the imss-wellbeing staff") == [("imss-wellbeing", "IMSS-Bienestar")]


def test_terms_apply_as_spanish_words_inside_and_outside_es_spans() -> None:
    # Issue 9, part 3: an approved term is a Spanish word wherever it stands in English.
    text = "He said camas are short, las camas del hospital."
    inside = text.index("las camas")
    spans = [Span(inside, len(text) - 1, "es", text[inside:-1])]
    edits = SEEDED.find_edits(text, whole(text), spans, [])
    assert [(e.start, e.before, e.after) for e in edits] == [(8, "camas", "beds"), (inside + 4, "camas", "beds")]
    assert fixes(SEEDED, text) == [("camas", "beds"), ("camas", "beds")]


def test_a_term_that_is_everyday_english_needs_an_es_span() -> None:
    # "salud" is no English word, "social" is: a term "social" only applies inside Spanish.
    g = glossary(entry("social", "social security", kind="term", case="insensitive"))
    text = "the social program, la cobertura social"
    assert fixes(g, text) == []
    spans = [Span(20, len(text), "es", text[20:])]
    assert fixes(g, text, spans) == [("social", "social security")]


def test_a_term_crossing_the_end_of_its_es_span_is_not_applied() -> None:
    text = "del Seguro Social y más"
    spans = [Span(0, 10, "es", text[:10])]  # "del Seguro"
    assert fixes(SEEDED, text, spans) == []


def test_terms_and_many_es_spans() -> None:
    # A detector may return one es span per word: a term must lie inside one of them.
    text = "camas y camas del Seguro Social con camas y más camas y camas"
    spans = [Span(m.start(), m.end(), "es", m.group()) for m in re.finditer(r"\w+", text)]
    assert len(spans) > 8
    assert fixes(SEEDED, text, spans) == [("camas", "beds")] * 5
    merged = [Span(0, 17, "es", text[:17]), Span(10, len(text), "es", text[10:])]
    assert ("Seguro Social", "Social Security") in fixes(SEEDED, text, merged + spans)


def test_longest_match_first() -> None:
    text = "Instituto Mexicano del Seguro Social y el Seguro Social"
    spans = [Span(0, len(text), "es", text)]
    assert fixes(SEEDED, text, spans) == [
        ("Instituto Mexicano del Seguro Social", "Mexican Social Security Institute"),
        ("Seguro Social", "Social Security"),
    ]


def test_longest_first_across_overlapping_variants() -> None:
    # "the Mexican Social" and "Social Security Institute" overlap; the longer one wins.
    g = glossary(entry("the Mexican Social", "X"), entry("Social Security Institute", "Y"))
    assert fixes(g, "the Mexican Social Security Institute") == [("Social Security Institute", "Y")]


def test_keep_entries_protect_their_text_from_terms() -> None:
    text = "la Secretaría de Salud y la salud pública"
    spans = [Span(0, len(text), "es", text)]
    assert fixes(SEEDED, text, spans) == [("salud", "health")]


def test_name_spans_and_protected_regions_are_never_touched() -> None:
    text = "IMSS-Wellbeing and IMSS Bienestar"
    names = [Span(0, 14, "name", "IMSS-Wellbeing")]
    assert fixes(SEEDED, text, names) == [("IMSS Bienestar", "IMSS-Bienestar")]
    assert fixes(SEEDED, text, protected=[(20, 24)]) == [("IMSS-Wellbeing", "IMSS-Bienestar")]
    es_text = "los derechohabientes"
    assert fixes(SEEDED, es_text, [Span(0, 20, "es", es_text), Span(4, 20, "name", "derechohabientes")]) == []


def test_a_name_the_replacement_keeps_as_it_is_does_not_block_it() -> None:
    # Seed 004: the detector marks "IMSS" a name inside "the IMSS Bienestar staff"; the
    # variant keeps those letters where they are, so it may fire. It may not when the
    # name is what it would change.
    text = "with the IMSS Bienestar staff"
    imss = Span(9, 13, "name", "IMSS")
    assert fixes(SEEDED, text, [imss]) == [("IMSS Bienestar", "IMSS-Bienestar")]
    assert fixes(SEEDED, text, protected=[(14, 23)]) == [("IMSS Bienestar", "IMSS-Bienestar")]  # "Bienestar"
    assert fixes(SEEDED, text, [Span(9, 23, "name", "IMSS Bienestar")]) == []
    assert fixes(SEEDED, text, protected=[(12, 15)]) == []  # "S B": the space changes
    assert fixes(SEEDED, text, protected=[(5, 13)]) == []  # reaches outside the match
    wellbeing = "IMSS-Wellbeing"
    assert fixes(SEEDED, wellbeing, [Span(0, 4, "name", "IMSS")]) == [("IMSS-Wellbeing", "IMSS-Bienestar")]
    assert fixes(SEEDED, wellbeing, [Span(5, 14, "name", "Wellbeing")]) == []


def test_matches_stay_inside_the_segment() -> None:
    text = "IMSS-Wellbeing. Next sentence."
    seg = Segment("doc", 5, len(text), text[5:])
    assert SEEDED.find_edits(text, seg, [], []) == []
    assert SEEDED.keep_regions(text, 5, len(text)) == []


def test_segments_asked_in_any_order_give_the_same_answers() -> None:
    # The matcher remembers the document it last saw; answers must not depend on that.
    text = "The IMSS-Wellbeing staff. La IMSS Bienestar. The IMSS. " * 3
    bounds = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]
    fresh = {b: fixes(glossary(*SEEDED.entries), text, segment=Segment("d", *b, text[b[0] : b[1]])) for b in bounds}
    shared = glossary(*SEEDED.entries)
    for b in [*reversed(bounds), *bounds]:
        assert fixes(shared, text, segment=Segment("d", *b, text[b[0] : b[1]])) == fresh[b]
    other = "".join(list(text))  # equal text, another string object
    assert fixes(shared, other, segment=Segment("d", *bounds[0], "")) == fresh[bounds[0]]


def test_keys_beyond_latin1_are_checked_exactly() -> None:
    # The automaton sees one byte per character, "?" standing for anything beyond
    # Latin-1: an em dash entry must not match an en dash or a real question mark.
    g = glossary(
        entry("IMSS—Wellbeing", "IMSS-Bienestar", case="insensitive"), entry("why?", "because", case="insensitive")
    )
    assert fixes(g, "IMSS–Wellbeing IMSS?Wellbeing why“") == []
    assert fixes(g, "IMSS—Wellbeing, why?") == [("IMSS—Wellbeing", "IMSS-Bienestar"), ("why?", "because")]


def test_entries_are_plain_strings_not_patterns() -> None:
    # No entry is a regular expression, so none can backtrack catastrophically: the
    # classic (a+)+$ against a long run of a's is just a string that does not occur.
    g = glossary(entry("(a+)+$", "x"), entry("a.c", "y"))
    text = "a" * 50_000 + "!" + " abc (a+)+$"
    assert fixes(g, text) == [("(a+)+$", "x")]


def test_lookups_for_the_translate_stage() -> None:
    assert SEEDED.lookup_term("derechohabientes") == "beneficiaries"
    assert SEEDED.lookup_term(" Derechohabientes ") == "Beneficiaries"
    assert SEEDED.lookup_term("IMSS") == "IMSS"
    assert SEEDED.lookup_term("imss") is None  # keep entries are case-sensitive here
    assert SEEDED.lookup_term("IMSS-Wellbeing") is None  # variants are English, not terms
    assert SEEDED.lookup_term("los derechohabientes") is None
    assert SEEDED.keep_strings() == ["Secretaría de Salud", "IMSS-Bienestar", "IMSS"]
    assert SEEDED.term_targets() == [
        "beneficiaries",
        "beds",
        "Social Security",
        "Mexican Social Security Institute",
        "health",
    ]


def test_an_empty_glossary_matches_nothing() -> None:
    g = glossary()
    assert g.find_edits("IMSS-Wellbeing", whole("IMSS-Wellbeing"), [], []) == []
    assert g.keep_regions("IMSS", 0, 4) == []
    assert g.lookup_term("camas") is None


def test_approved_wins_over_proposed_for_the_same_text() -> None:
    proposed = Entry("p", "camas", "cots", "term", "insensitive", "proposed")
    approved = Entry("a", "camas", "beds", "term", "insensitive", "approved")
    g = Glossary([proposed, approved], "h")
    assert fixes(g, "camas", [Span(0, 5, "es", "camas")]) == [("camas", "beds")]
    assert g.lookup_term("camas") == "beds"


# -- reference implementation, property-based ------------------------------------------------------

WORDS = [
    "IMSS",
    "IMSS-Wellbeing",
    "Wellbeing",
    "IMSS Bienestar",
    "Bienestar",
    "staff",
    "the",
    "imss",
    "of",
    "Mexican Institute of Social Security",
    "Institute",
    "-",
    ",",
    "x",
]


def _case_forms(source: str) -> set[str]:
    words = " ".join(w[:1].upper() + w[1:] for w in source.split(" "))
    return {
        source,
        source.upper(),
        source[:1].upper() + source[1:],
        "-".join(p[:1].upper() + p[1:] for p in words.split("-")),
    }


def reference(entries: list[Entry], text: str) -> list[tuple[int, int, str]]:
    """Keep and variant entries by the book: a regex search per form (variants.entry_forms),
    case forms filtered by hand, then longest first."""
    found: list[tuple[int, int, int, Form]] = []
    for ent in entries:
        for rank, form in enumerate(entry_forms(ent)):
            for m in re.finditer(r"(?<![\w])" + re.escape(form.surface) + r"(?![\w])", text, re.IGNORECASE):
                if ent.case == "sensitive" and m.group() not in _case_forms(form.surface):
                    continue
                found.append((m.start(), m.end(), rank, form))
    chosen: list[tuple[int, int, int, Form]] = []
    for f in sorted(found, key=lambda f: (f[0] - f[1], f[0], f[2])):
        if all(f[1] <= c[0] or f[0] >= c[1] for c in chosen):
            chosen.append(f)
    out = []
    for start, end, _, form in chosen:
        after = form.output if text[start:end] == form.surface else _follow(text[start:end], form.output)
        if form.kind == "variant" and text[start:end] != after:
            out.append((start, end, after))
    return sorted(out)


def _follow(matched: str, output: str) -> str:
    if len(matched) > 1 and matched.isupper():
        return output.upper()
    if matched[:1].isupper():
        return output[:1].upper() + output[1:]
    return output


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14), st.lists(st.sampled_from([" ", " ", "", "\n"]), max_size=14))
def test_matching_agrees_with_a_regex_reference(words: list[str], gaps: list[str]) -> None:
    text = "".join(w + (gaps[i] if i < len(gaps) else " ") for i, w in enumerate(words))
    entries = [e for e in SEEDED.entries if e.kind != "term"]
    got = [(e.start, e.end, e.after) for e in glossary(*entries).find_edits(text, whole(text), [], [])]
    assert got == reference(entries, text)


# -- the project glossary on real text --------------------------------------------------------------


def gold_segments() -> list[dict[str, Any]]:
    path = SHARED / "dev" / "seed_gold.jsonl"
    if not path.is_file():
        pytest.skip("../shared/dev/seed_gold.jsonl is not beside the project")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_project_glossary_fixes_exactly_the_annotated_terms_of_the_seeds() -> None:
    g = load_glossary(ROOT / "glossary")
    texts: dict[str, str] = {}
    checked = 0
    for item in gold_segments():
        text = texts.setdefault(item["doc"], (SHARED / "seeds" / item["doc"]).read_text(encoding="utf-8"))
        seg = Segment(item["doc"], item["start"], item["end"], item["source"])
        assert text[seg.start : seg.end] == seg.text
        spans = [Span(s["start"], s["end"], s["label"], s["text"]) for s in item["spans"]]
        edits = g.find_edits(text, seg, spans, g.keep_regions(text, seg.start, seg.end))
        english = [
            (e.start, e.end, e.before, e.after)
            for e in edits
            if not any(s.label == "es" and s.start <= e.start and e.end <= s.end for s in spans)
        ]
        assert english == [(t["start"], t["end"], t["text"], t["fix"]) for t in item["terms"]], item["source"]
        checked += len(item["terms"])
        # Names the annotators marked are protected by keep entries or left alone.
        for name in (s for s in spans if s.label == "name"):
            assert all(e.end <= name.start or e.start >= name.end for e in edits)
    assert checked == 5


def test_project_glossary_changes_nothing_in_clean_english_news() -> None:
    path = SHARED / "data" / "mt" / "newstest2013.eng"
    if not path.is_file():
        pytest.skip("../shared/data/mt is not beside the project")
    text = path.read_text(encoding="utf-8")
    g = load_glossary(ROOT / "glossary")
    assert g.find_edits(text, whole(text), [], []) == []
