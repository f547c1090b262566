"""Character regions with logarithmic overlap checks.

``assemble`` and the stages ask "does this overlap anything taken or protected?"
once per proposed edit; a linear scan made a 5 MB article quadratic.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

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
