"""Work grows linearly with the input (issue 12 part 1), asserted by counting, never by the clock.

Two kinds of test:

- The pipeline on real text and on the same text four times over (English news, a
  Spanish line with and without sentence ends, an article of chrome lines), counting
  the Python lines each module of the package executes (``sys.settrace`` on
  src/mtrepair frames only): a deterministic measure of the work of every loop written
  here. Repeating the text keeps the work per sentence the same, so linear work gives
  a ratio of at most 4 (less where a cache serves the repeats); the all-pairs
  comparisons this replaced gave 4.6-10.7 in translate/spans.py and up to 5.3 in
  repair.py. Work done in C (a slice, a regex over a whole segment) is not counted:
  the helpers below and the benchmark cover it.
- The bounded helpers that replaced whole-segment reads (windows, sweeps, bisects),
  each checked against the plain definition it replaced on generated cases, so the
  speed-up changed no answer.

The timings themselves are benchmarks/bench_scaling.py's job.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mtrepair
from conftest import ROOT, SHARED
from mtrepair.model import Segment, Span
from mtrepair.regions import Containing, overlapping
from mtrepair.repair import Pipeline, open_pipeline, repair_text
from mtrepair.translate import spans as tspans
from mtrepair.translate.apertium import DEFAULT_MODE
from mtrepair.translate.masking import Slot, merge_slots

NEWSTEST = SHARED / "data" / "mt"
PACKAGE = str(Path(mtrepair.__file__).resolve().parent)
# Linear work at most quadruples with the text four times over; the margin covers
# bookkeeping that grows as n log n (sorts, bisects).
LINEAR_4X = 4.4
# A module that executes fewer lines than this on the large input is not judged: its
# ratio is noise (one more cache miss).
MIN_LINES = 2000

needs_apertium = pytest.mark.skipif(not DEFAULT_MODE.is_file(), reason="Apertium spa-eng is not installed")


def _lines(name: str) -> list[str]:
    path = NEWSTEST / name
    if not path.is_file():
        pytest.skip(f"../shared/data/mt/{name} is not beside the project")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def count_lines(work: Callable[[], object]) -> Counter[str]:
    """Lines of src/mtrepair executed per module while ``work`` runs (deterministic, unlike time)."""
    count: Counter[str] = Counter()

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            count[frame.f_code.co_filename[len(PACKAGE) + 1 :]] += 1
        return local

    def global_(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    sys.settrace(global_)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def _superlinear(make: Callable[[int], str], n: int, sep: str, pipeline: Pipeline) -> dict[str, float]:
    """Modules (and "all") whose work on the text four times over is more than LINEAR_4X
    times their work on the text once."""
    repair_text(make(1), pipeline)  # word lists, langdetect, caches: loaded before counting
    text = make(n)
    small = count_lines(lambda: repair_text(text, pipeline))
    large = count_lines(lambda: repair_text(sep.join([text] * 4), pipeline))
    small["all"], large["all"] = sum(small.values()), sum(large.values())
    ratios = {name: large[name] / max(small[name], 1) for name in large if large[name] >= MIN_LINES}
    assert ratios["all"] > 2, "the input did not grow"
    return {name: round(r, 2) for name, r in ratios.items() if r > LINEAR_4X}


def _english(k: int) -> str:
    lines = _lines("newstest2013.eng")
    return "\n\n".join(" ".join(lines[i * 3 : i * 3 + 3]) for i in range(k))


def _spanish_line(k: int, sentence_end: bool = True) -> str:
    """One line: an English sentence, then two Spanish ones, k times (no newline)."""
    eng, spa = _lines("newstest2013.eng"), _lines("newstest2013.spa")
    parts = [p for i in range(k) for p in (eng[i], spa[2 * i], spa[2 * i + 1])]
    line = " ".join(parts)
    return line if sentence_end else line.translate(str.maketrans(".!?;", ",,,,"))


def _chrome(k: int) -> str:
    body = _lines("newstest2013.eng")
    out = ["Mexican Social Security Institute reports on the health sector", ""]
    for i in range(k):
        out += [body[i], ""] + ["Share", "Tweet", "Facebook", "Read more", "Comments"] * 4 + [""]
    return "\n".join([*out, body[k]])


@pytest.fixture(scope="module")
def plain() -> Pipeline:
    """Every stage but the engine: no Apertium process, the detector and glossary real."""
    return open_pipeline(glossary_dir=str(ROOT / "glossary"), engine="none")


@pytest.fixture(scope="module")
def apertium() -> Iterator[Pipeline]:
    pipeline = open_pipeline(glossary_dir=str(ROOT / "glossary"), engine="apertium")
    yield pipeline
    pipeline.close()


@pytest.mark.parametrize(
    ("make", "n", "sep"),
    [
        pytest.param(_english, 15, "\n\n", id="english-article"),
        pytest.param(_chrome, 10, "\n\n", id="chrome-lines"),
        pytest.param(_spanish_line, 25, " ", id="spanish-line"),
    ],
)
def test_work_without_an_engine_grows_linearly(plain: Pipeline, make: Callable[[int], str], n: int, sep: str) -> None:
    assert _superlinear(make, n, sep, plain) == {}


@needs_apertium
@pytest.mark.parametrize(
    ("make", "n", "sep"),
    [
        pytest.param(_spanish_line, 25, " ", id="spanish-line"),
        pytest.param(lambda k: _spanish_line(k, sentence_end=False), 25, ", ", id="spanish-line-one-sentence"),
    ],
)
def test_work_of_the_translate_stage_grows_linearly(
    apertium: Pipeline, make: Callable[[int], str], n: int, sep: str
) -> None:
    """The stage that compared every span with every edit, protected region and segment."""
    assert _superlinear(make, n, sep, apertium) == {}


# ---- the bounded helpers agree with the definitions they replaced --------------------------


def _old_overlapping(queries: list[tuple[int, int]], regions: list[tuple[int, int]]) -> list[list[int]]:
    return [[i for i, (s, e) in enumerate(regions) if s < b and e > a] for a, b in queries]


def _intervals(max_pos: int = 60) -> st.SearchStrategy[list[tuple[int, int]]]:
    pair = st.tuples(st.integers(0, max_pos), st.integers(0, 12)).map(lambda t: (t[0], t[0] + t[1]))
    return st.lists(pair, max_size=25)


@settings(max_examples=300, deadline=None)
@given(_intervals(), _intervals())
def test_overlapping_is_the_all_pairs_answer(queries: list[tuple[int, int]], regions: list[tuple[int, int]]) -> None:
    assert overlapping(queries, regions) == _old_overlapping(queries, regions)


@settings(max_examples=300, deadline=None)
@given(_intervals(), st.integers(0, 70), st.integers(0, 12))
def test_containing_is_any_region_holding(regions: list[tuple[int, int]], a: int, width: int) -> None:
    b = a + width
    assert Containing(regions).holds(a, b) == any(s <= a and b <= e for s, e in regions)


def _old_merge_slots(slots: list[Slot]) -> list[Slot]:
    kept: list[Slot] = []
    for slot in slots:
        if slot.end <= slot.start:
            continue
        if any(slot.start < k.end and k.start < slot.end for k in kept):
            continue
        kept.append(slot)
    return sorted(kept, key=lambda s: s.start)


@settings(max_examples=300, deadline=None)
@given(_intervals())
def test_merge_slots_keeps_the_first_given_of_overlapping_slots(regions: list[tuple[int, int]]) -> None:
    slots = [Slot(a, b, str(i)) for i, (a, b) in enumerate(regions)]
    assert merge_slots(slots) == _old_merge_slots(slots)


_WORD = re.compile(r"\S+")
_TEXT = st.text(alphabet=st.sampled_from(list("ab  \t\n.!?\"')”«¿-—")), max_size=80)


def _old_last_words(text: str, n: int) -> str:
    words = list(_WORD.finditer(text))
    return text[words[-n].start() :] if len(words) > n else text


def _old_first_words(text: str, n: int) -> str:
    words = list(_WORD.finditer(text))
    return text[: words[n - 1].end()] if len(words) > n else text


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.integers(0, 80), st.integers(0, 80), st.integers(1, 7))
def test_word_windows_read_what_the_whole_slice_gave(text: str, i: int, j: int, n: int) -> None:
    start, end = sorted((min(i, len(text)), min(j, len(text))))
    assert tspans._last_words(text, start, end, n) == _old_last_words(text[start:end], n)
    assert tspans._first_words(text, start, end, n) == _old_first_words(text[start:end], n)


def test_word_windows_past_the_first_window() -> None:
    """Words farther apart than the first window (256 characters) are still found."""
    text = "uno " + " " * 1000 + "dos tres" + " " * 700 + "cuatro"
    for n in (1, 2, 3, 4, 5):
        assert tspans._last_words(text, 0, len(text), n) == _old_last_words(text, n)
        assert tspans._first_words(text, 0, len(text), n) == _old_first_words(text, n)


_OLD_SENTENCE_END = re.compile(r"[.!?…]\s*[\"'”’»)]*\s*$")


def _old_sentence_initial(text: str, span: Span, segment: Segment | None) -> bool:
    seg_start = segment.start if segment is not None else 0
    before = text[seg_start : span.start]
    if before.strip(tspans._OPENERS) == "":
        return True
    return bool(_OLD_SENTENCE_END.search(before))


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.integers(0, 80), st.integers(0, 80))
def test_sentence_start_reads_back_only_as_far_as_it_must(text: str, i: int, j: int) -> None:
    seg_start, pos = sorted((min(i, len(text)), min(j, len(text))))
    span = Span(pos, pos + 1, "es", "")
    segment = Segment("d", seg_start, len(text), text[seg_start:])
    assert tspans._is_sentence_initial(text, span, segment) == _old_sentence_initial(text, span, segment)
    assert tspans._is_sentence_initial(text, span, None) == _old_sentence_initial(text, span, None)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(0, 80), st.integers(0, 80), st.sampled_from(["", "a", "ab", "a b", " a"]))
def test_stripped_equals_is_strip_then_compare(text: str, i: int, j: int, value: str) -> None:
    start, end = sorted((min(i, len(text)), min(j, len(text))))
    assert tspans._stripped_equals(text, start, end, value) == (text[start:end].strip() == value)
    assert tspans._any_text(text, start, end) == bool(text[start:end].strip())


@pytest.mark.parametrize("overlap", [pytest.param(False, id="disjoint"), pytest.param(True, id="overlapping")])
def test_segment_finder_agrees_with_a_scan_of_every_segment(overlap: bool) -> None:
    rng = random.Random(3)
    text = "x" * 400
    starts = sorted(rng.sample(range(1, 399), 60))
    bounds = list(zip([0, *starts], [*starts, 400], strict=True))
    segments = [Segment("d", a, b, text[a:b]) for k, (a, b) in enumerate(bounds) if k % 3]  # gaps between some
    gap = bounds[3][0]
    segments.append(Segment("d", gap, gap, ""))  # an empty segment holds its start
    if overlap:
        segments.append(Segment("d", 10, 300, text[10:300]))
    find = tspans._segment_finder(segments)
    ordered = sorted(segments, key=lambda g: g.start)
    for pos in range(401):
        expected = next((g for g in ordered if g.start <= pos < max(g.end, g.start + 1)), None)
        assert find(pos) == expected
