"""The repaired text of one region of an article, under a chosen set of edits.

Scoring needs "what did this region become" for gold items, segments and the
oracle, so edits are applied region by region rather than to the whole article.
An edit that straddles the region's start belongs to the region before it (its
``after`` was written there); one that straddles the end is cut at the end; a
deletion is simply clipped (a boilerplate edit runs over the blank line after its
segment: "Leave a Comment\\n\\n", dev/real 02).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Edit


@dataclass(frozen=True, slots=True)
class Change:
    """``text[start:end]`` becomes ``after``: an Edit, or a gold item's fix."""

    start: int
    end: int
    after: str


def changes(edits: Iterable[Edit]) -> list[Change]:
    return [Change(e.start, e.end, e.after) for e in edits]


def render(text: str, start: int, end: int, edits: Iterable[Change]) -> str:
    """``text[start:end]`` with ``edits`` applied (non-overlapping; later overlaps are skipped)."""
    out: list[str] = []
    pos = start
    for c in sorted(edits, key=lambda c: (c.start, c.end)):
        if c.end < start or c.start > end or (c.start == c.end and not start <= c.start <= end):
            continue
        if c.start < pos:
            if c.start < start and c.end > start:
                pos = max(pos, min(c.end, end))  # written into the region before this one
            continue
        if c.start >= end and c.start != c.end:
            continue
        out.append(text[pos : c.start])
        out.append(c.after)
        pos = min(c.end, end)
    out.append(text[pos:end])
    return "".join(out)
