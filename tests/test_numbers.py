"""Spanish-style numbers → English digits (issue 4, part 4), on seed text, newstest2013 and
random integers rendered the way Spanish MT writes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtrepair.model import Edit, apply_edits
from mtrepair.numbers import find_number_edits, normalize_numbers

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"
NEWSTEST_EN = ROOT.parent / "shared" / "data" / "mt" / "newstest2013.eng"


def edits_of(text: str) -> list[Edit]:
    return find_number_edits(text, 0, len(text))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("The employee congratulated 4 mil 158 doctors", "The employee congratulated 4,158 doctors"),
        ("hire 13 mil specialists", "hire 13,000 specialists"),
        ("hire 13 thousand medical specialists", "hire 13,000 medical specialists"),
        ("a population of 19 million 583 thousand 170 people", "a population of 19,583,170 people"),
        ("one million 482 thousand consultations", "1,482,000 consultations"),
        ("three thousand 041 beds", "3,041 beds"),
        ("a total of thousand 710 nurses", "a total of 1,710 nurses"),
        ("invested 465 thousand 48 million pesos", "invested 465,048 million pesos"),
        ("a budget of 37 thousand 111 million, 507 thousand 200 pesos", "a budget of 37,111,507,200 pesos"),
        ("there are 20 million 51,552 affiliates", "there are 20,051,552 affiliates"),
        ("se invertirán 14 mil 386 millones de pesos en", "se invertirán 14,386 million pesos en"),
        ("1,5 millones de casos", "1.5 million de casos"),
        ("attended 1,5 millones", "attended 1.5 million"),
        ("invested mil millones", "invested 1 billion"),
        ("invested 13 mil millones de dólares", "invested 13 billion dollars"),
        ("In 2020, 13 thousand people", "In 2020, 13,000 people"),
        ("more than 983 thousand Surgeries", "more than 983,000 Surgeries"),
        ("21 millones de pesos", "21 million pesos"),
        ("118,8 mil hectáreas", "118,800 hectáreas"),
    ],
)
def test_issue_examples_are_converted(source: str, expected: str) -> None:
    assert normalize_numbers(source) == expected
    for e in edits_of(source):
        assert e.kind == "number" and e.rule.startswith("number:") and e.engine == "rules"
        assert 0 < e.confidence <= 1
        assert source[e.start : e.end] == e.before


@pytest.mark.parametrize(
    "text",
    [
        "the Institute attended to 1.5 million confirmed cases",
        "a total of 13,123 workers",
        "2021 will close with",
        "during the Covid-19 pandemic",
        "No. 58 of the official gazette",
        "the 2020-2021 Academic Cycle",
        "two million infected",
        # seed 001: a lone spelled-out "three thousand" is good English
        "so three thousand people will be hired for supervision",
        # seed 003: "N million" is how English news writes it
        "2021 will close with 80 million Family Medicine Consultations, 13 million Specialty",
        "a thousand million",
        "Thousand Oaks, California",
        "14,386 million pesos will be invested",
        "5 million, 300 people",
        # "1.500 millones": a Spanish thousands dot or a decimal point, we cannot tell
        "1.500 millones",
    ],
)
def test_correct_numbers_are_never_touched(text: str) -> None:
    assert edits_of(text) == []


def test_rules_are_named_for_the_report() -> None:
    rules = {
        e.rule
        for s in ("4 mil 158", "13 thousand", "465 thousand 48 million", "mil millones", "1,5 millones")
        for e in edits_of(s)
    }
    assert rules == {
        "number:spanish-grouping",
        "number:thousand",
        "number:million-group",
        "number:billion",
        "number:decimal-comma",
    }


def test_scale_word_before_a_non_currency_becomes_english_and_leaves_de() -> None:
    # "de personas" is Spanish for the detector and translator; the number is English now,
    # so a second clean finds nothing to change (seen on "1,5 millones de consultas").
    assert normalize_numbers("14 mil 386 millones de personas") == "14,386 million de personas"
    assert normalize_numbers("13 millones de personas") == "13 million de personas"
    assert normalize_numbers("1,5 millones de consultas") == "1.5 million de consultas"


def test_neighbouring_numbers_stay_apart() -> None:
    # the "10" is the coefficient of the second "thousand", not the remainder of the first
    assert normalize_numbers("between 5 thousand 10 thousand") == "between 5,000 10,000"
    assert normalize_numbers("13 thousand 2021") == "13,000 2021"
    assert normalize_numbers("5 million 3 million") == "5 million 3 million"


SEED_EXPECTED = {
    "000_2e8fdd939f08f812.txt": [("4 mil 158", "4,158"), ("5 mil 229", "5,229"), ("16 mil 470", "16,470")],
    "001_5724677a762a89f5.txt": [("13 thousand", "13,000")],
    "002_dbae9789e0361efb.txt": [],
    "003_51a4ab63d0b55e58.txt": [
        ("314 thousand", "314,000"),
        ("33 thousand", "33,000"),
        ("983 thousand", "983,000"),
    ],
    "004_c347115ea5c58886.txt": [
        ("776 thousand", "776,000"),
        ("776 thousand", "776,000"),
        ("23 thousand", "23,000"),
    ],
}


@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_whole_seed_articles_get_exactly_these_number_edits(name: str) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    edits = edits_of(text)
    assert [(e.before, e.after) for e in edits] == SEED_EXPECTED[name]
    for e in edits:
        assert text[e.start : e.end] == e.before
    # "1.5 million", "80 million", "13 million", "three thousand people", "14,386 million" survive
    repaired = apply_edits(text, edits)
    for kept in ("1.5 million", "80 million Family", "three thousand people", "14,386 million pesos"):
        assert (kept in text) == (kept in repaired)


def test_seed_gold_number_items_are_fixed_exactly(gold: list[dict]) -> None:
    items = 0
    for seg in gold:
        text = (SAMPLES / seg["doc"]).read_text(encoding="utf-8")
        # the segment offsets are document offsets: scan only the segment, report document offsets
        edits = find_number_edits(text, seg["start"], seg["end"])
        expected = {(n["start"], n["end"], n["text"], n["fix"]) for n in seg["numbers"]}
        assert {(e.start, e.end, e.before, e.after) for e in edits} == expected, seg["source"]
        items += len(expected)
    assert items == 6


def test_scan_is_limited_to_the_range_and_offsets_are_document_offsets() -> None:
    text = "4 mil 158 doctors and 5 mil 229 nurses"
    edits = find_number_edits(text, 10, len(text))
    assert [(e.start, e.end, e.after) for e in edits] == [(22, 31, "5,229")]


def test_protected_regions_are_not_touched() -> None:
    text = "Plan 13 mil: 4 mil 158 doctors"
    # "Plan 13 mil" is a keep entry of the glossary, say
    edits = find_number_edits(text, 0, len(text), protected=[(0, 11)])
    assert [e.before for e in edits] == ["4 mil 158"]
    assert find_number_edits(text, 0, len(text), protected=[(20, 21), (0, 4)]) == [
        e for e in edits_of(text) if e.before == "13 mil"
    ]


def test_millones_de_pesos_edit_covers_the_currency() -> None:
    text = "invertirán 14 mil 386 millones de pesos en infraestructura"
    (e,) = edits_of(text)
    assert (e.before, e.after, e.rule) == (
        "14 mil 386 millones de pesos",
        "14,386 million pesos",
        "number:million-group",
    )


def test_clean_english_news_is_almost_never_changed() -> None:
    if not NEWSTEST_EN.is_file():
        pytest.skip("../shared/data/mt/newstest2013.eng is not beside the project")
    lines = NEWSTEST_EN.read_text(encoding="utf-8").splitlines()
    changed = {}
    for line in lines:
        edits = edits_of(line)
        if edits:
            changed[line[:40]] = [(e.before, e.after) for e in edits]
    # all four are Czech-sourced "N thousand", which English writes as N,000 anyway
    assert sorted(changed.values()) == [
        [("14 thousand", "14,000")],
        [("20 thousand", "20,000")],
        [("30 thousand", "30,000")],
        [("400 thousand", "400,000")],
    ]
    assert len(changed) / len(lines) < 0.005


def test_five_megabytes_on_one_line_completes() -> None:
    # bounded regex work: a long single line of article text, and adversarial digit runs
    text = (SAMPLES / "000_2e8fdd939f08f812.txt").read_text(encoding="utf-8").replace("\n", " ")
    big = (text * (5_000_000 // len(text) + 1))[:5_000_000]
    edits = find_number_edits(big, 0, len(big))
    assert len(edits) >= 3 * (5_000_000 // len(text))
    assert find_number_edits("1," * 1_000_000 + " mil", 0, 2_000_004) == []


# ---- property: random integers rendered the way Spanish MT renders them -----------------------

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@st.composite
def spanish_style(draw: st.DrawFn) -> tuple[str, str]:
    """(an MT rendering of a random integer, the English digits it must become)."""
    n = draw(st.integers(min_value=1_000, max_value=999_999_999_999))
    spanish = draw(st.booleans())
    thousand = "mil" if spanish else "thousand"
    millions, low = divmod(n, 10**6)
    thousands, rest = divmod(low, 1000)
    parts: list[str] = []
    if millions:
        big, small = divmod(millions, 1000)
        if big == 1 and spanish and draw(st.booleans()):
            parts.append("mil")  # "mil 500 millones", "mil millones"
        elif big:
            parts += [str(big), thousand]  # "465 thousand 48 million"
        if small or not big:
            parts.append(str(small))
        parts.append(("millón" if millions == 1 else "millones") if spanish else "million")
    if millions and low and draw(st.booleans()):
        parts.append(f"{low:,}")  # the rest straight after the million word: "20 million 51,552"
    elif low:
        if thousands:
            style = draw(st.sampled_from(["digits", "word", "bare"]))
            if style == "word" and thousands <= len(_UNITS) and rest:
                parts += [_UNITS[thousands - 1], thousand]  # "three thousand 041"
            elif style == "bare" and thousands == 1 and rest and not millions:
                parts.append(thousand)  # a bare "thousand 710"
            else:
                parts += [str(thousands), thousand]
        if rest:
            padded = thousands and draw(st.booleans())
            parts.append(f"{rest:03d}" if padded or parts[-1] == thousand == parts[0] else str(rest))
    expr = " ".join(parts)
    if low:
        expected = f"{n:,}"
    elif millions < 1000:
        expected = f"{millions} million" if spanish else expr  # "13 million" is English already
    elif millions % 1000 == 0:
        expected = f"{millions // 1000:,} billion"  # "13 mil millones"
    else:
        expected = f"{millions:,} million"  # "465 thousand 48 million" → "465,048 million"
    return expr, expected


@settings(max_examples=400, deadline=None)
@given(spanish_style())
def test_spanish_mt_renderings_round_trip_to_digits(case: tuple[str, str]) -> None:
    expr, expected = case
    sentence = f"The Institute reported {expr} consultations."
    assert normalize_numbers(sentence) == f"The Institute reported {expected} consultations."


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["", ".5", ".25"]))
def test_english_digits_without_scale_words_are_left_alone(n: int, frac: str) -> None:
    for text in (f"a total of {n:,}{frac} people", f"a total of {n}{frac} people", f"Covid-{n % 100}"):
        assert edits_of(text) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 ,.-milthousandoeMT\n", max_size=200))
def test_edits_are_consistent_on_arbitrary_input(text: str) -> None:
    edits = edits_of(text)
    pos = 0
    for e in edits:
        assert e.start >= pos and text[e.start : e.end] == e.before and e.before != e.after
        pos = e.end
    apply_edits(text, edits)
