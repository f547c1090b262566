"""Sets of non-overlapping character regions with logarithmic overlap checks.

``assemble`` and the per-paragraph stages ask "does this overlap anything taken?"
once per proposed edit; a linear scan made a 5 MB article quadratic.
"""

from __future__ import annotations

import bisect

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
