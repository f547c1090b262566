"""Character regions with logarithmic overlap checks.

``assemble`` and the stages ask "does this overlap anything taken or protected?"
once per proposed edit; a linear scan made a 5 MB article quadratic.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

Region = tuple[int, int]


class RegionSet:
    """Disjoint half-open regions kept sorted by start."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) shares a character with a region (an empty edit inside one counts)."""
        i = bisect.bisect_right(self._starts, start)
        if i > 0 and self._ends[i - 1] > start:
            return True
        return i < len(self._starts) and self._starts[i] < end

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


class MergedRegions:
    """Fixed regions (they may overlap each other), merged and sorted once.

    The protected names, keep matches and URLs of a segment: every stage asks whether
    an edit it proposes touches one of them.
    """

    __slots__ = ("ends", "starts")

    def __init__(self, regions: Iterable[Region]) -> None:
        self.starts, self.ends = _merged(regions)

    def __bool__(self) -> bool:
        return bool(self.starts)

    def hits(self, a: int, b: int) -> bool:
        """Whether ``[a, b)`` overlaps one of the regions."""
        i = bisect.bisect_right(self.ends, a)
        return i < len(self.starts) and self.starts[i] < b

    def holds(self, a: int, b: int) -> bool:
        """Whether ``[a, b)`` lies inside one of the regions."""
        i = bisect.bisect_right(self.starts, a) - 1
        return i >= 0 and b <= self.ends[i]


def _merged(regions: Iterable[Region]) -> tuple[list[int], list[int]]:
    """Overlapping regions merged: (starts, ends), sorted; empty regions dropped."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(regions):
        if a >= b:
            continue
        if ends and a < ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


class Containing:
    """Fixed regions (they may overlap or nest): does one of them hold ``[a, b)``?

    ``repair`` asks it of every glossary and number edit against the Spanish spans;
    ``any(...)`` over all spans made a Spanish-heavy line quadratic (issue 12). Sorted by
    start with a running maximum of the ends, a region starting at or before ``a`` and
    ending at or after ``b`` exists exactly when that maximum up to ``a`` reaches ``b``.
    """

    __slots__ = ("_max_end", "_starts")

    def __init__(self, regions: Iterable[Region]) -> None:
        self._starts: list[int] = []
        self._max_end: list[int] = []
        reach = -1
        for a, b in sorted(regions):
            reach = max(reach, b)
            self._starts.append(a)
            self._max_end.append(reach)

    def holds(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self._starts, a)
        return i > 0 and self._max_end[i - 1] >= b


def overlapping(queries: Sequence[Region], regions: Sequence[Region]) -> list[list[int]]:
    """For each query, the indices (ascending) of the regions sharing a position with it.

    A region ``(s, e)`` meets a query ``(a, b)`` when ``s < b`` and ``e > a`` (so an empty
    region strictly inside a query counts, one at its edge does not). One sweep over
    both lists sorted by start, the open regions in a heap by end: for queries that do
    not overlap each other (a document's Spanish spans) the work is
    O((queries + regions) log regions + answers), where comparing every query with
    every region made a long Spanish line quadratic (issue 12, ``translate/spans.py``).
    """
    import heapq

    order = sorted(range(len(regions)), key=lambda i: regions[i][0])
    answers: list[list[int]] = [[] for _ in queries]
    active: list[tuple[int, int]] = []  # (end, index)
    nxt = 0
    for q in sorted(range(len(queries)), key=lambda k: queries[k][0]):
        a, b = queries[q]
        while nxt < len(order) and regions[order[nxt]][0] < b:
            i = order[nxt]
            heapq.heappush(active, (regions[i][1], i))
            nxt += 1
        while active and active[0][0] <= a:
            heapq.heappop(active)
        answers[q] = sorted(i for e, i in active if e > a and regions[i][0] < b)
    return answers
