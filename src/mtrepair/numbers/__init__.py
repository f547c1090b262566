"""Spanish-style number expressions → English digits (the ``numbers`` stage).

Spanish MT leaves numbers the way Spanish speaks them: "4 mil 158" (seed 000), "13 thousand"
(seed 001), "314 thousand hospitalized" (seed 003), "465 thousand 48 million pesos", "2 thousand
175.7 million" (dev/real 18), and damaged on the way: "27,000 461", "16 1,329", "four 1,192
million 177 thousand 990" (dev/real 10, 05, 20). This package finds such expressions and proposes
one ``Edit(kind="number")`` per expression:

- ``grammar``: tokens, the damaged forms, and the parser (Spanish groups thousands inside the
  coefficient of "millones");
- ``render``: the English each expression becomes and how sure we are;
- ``evidence``: whether a lone "N thousand" sits in Spanish MT or in English someone wrote.

Never touched: expressions already fine in English ("1.5 million", "13 million", "two million
infected", "three thousand people" — seed 001 — "80 million Family Medicine Consultations" — seed
003), numbers without a scale word ("13,123", "2021", "Covid-19", "No. 58", "2020-2021"), and
anything overlapping a protected region. Readings that are possible but not certain (a lone
"14 thousand" with no Spanish around it, "16 1,329") are proposed as flagged edits: they change
nothing and wait for a reviewer.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence

from ..model import Edit, EditStatus, apply_edits
from ..regions import MergedRegions
from .grammar import DAMAGE_ANCHOR_RE, SCALE_ANCHOR_RE, group_tokens, parse_at, read_number
from .render import Render, render, render_damaged

__all__ = ["find_number_edits", "normalize_numbers"]

_ENGINE = "rules"
_MARGIN = 100


def _windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stretches of text around scale words and damaged forms: the only places an expression can be.

    An expression reaches at most one coefficient (≤ 40 characters) before its first scale word
    and one remainder after its last one, so 100 characters of margin lose nothing; scanning only
    these windows keeps the stage fast on text with few numbers.
    """
    out: list[tuple[int, int]] = []
    anchors = [m.span() for m in SCALE_ANCHOR_RE.finditer(text, start, end)]
    damaged = [m.span() for m in DAMAGE_ANCHOR_RE.finditer(text, start, end)]
    for a, b in heapq.merge(anchors, damaged) if damaged else anchors:
        ws, we = max(start, a - _MARGIN), min(end, b + _MARGIN)
        if out and ws <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], we))
        else:
            out.append((ws, we))
    return out


# A zero in front ("0 mil", "0,0 thousand") is no number Spanish MT leaves: rewriting it
# ("0 MIL" -> "0") only made "SHARE 0 MIL" a counter for a second clean (fuzzing).
_ZERO_LEAD = re.compile(r"0{1,20}(?:[.,]0{1,20}){0,6}(?![\d.,])")


def find_number_edits(text: str, start: int, end: int, protected: Sequence[tuple[int, int]] = ()) -> list[Edit]:
    """Number edits for ``text[start:end]`` with document offsets, non-overlapping, in order.

    Flagged edits (``status="flagged"``) are readings left for a reviewer; they change nothing.
    """
    start = max(0, start)
    end = min(len(text), end)
    if start >= end:
        return []
    blocked = MergedRegions(protected)
    edits: list[Edit] = []
    for toks in group_tokens(text, _windows(text, start, end)):
        i = 0
        while i < len(toks):
            p = parse_at(toks, i)
            r: Render | None = None
            if p is not None:
                r = render(p, toks, i, text, end)
                nxt = p.end_index
            else:
                nxt = i + 1
                num = read_number(toks[i]) if toks[i].number is not None else None
                if num is not None:
                    r = render_damaged(num, toks[i])
            s = toks[i].start if r is None or r.start is None else r.start
            if r is not None and edits and s < edits[-1].end:
                r = None  # "2 million 5 and 10 thousand": the range's low end is another expression's
            if r is not None and not blocked.hits(s, r.end):
                before = text[s : r.end]
                if before != r.after and not _ZERO_LEAD.match(before):
                    status: EditStatus = "flagged" if r.flagged else "applied"
                    edits.append(Edit(s, r.end, before, r.after, "number", r.rule, r.confidence, _ENGINE, status))
            i = nxt
    return edits


def normalize_numbers(s: str) -> str:
    """``s`` with every applied number edit applied (for callers outside the pipeline)."""
    return apply_edits(s, find_number_edits(s, 0, len(s)))
