"""Reliability tables: per edit kind and confidence bin, how many edits the gold judged right."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..model import EDIT_KINDS

# Finer at the top, where thresholds live.
BIN_EDGES: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    lo: float
    hi: float
    count: int
    correct: int
    wrong: int
    unjudged: int
    applied: int

    @property
    def correct_share(self) -> float | None:
        judged = self.correct + self.wrong
        return self.correct / judged if judged else None


def _bin(conf: float) -> int:
    for i in range(len(BIN_EDGES) - 1):
        if conf < BIN_EDGES[i + 1]:
            return i
    return len(BIN_EDGES) - 2


def reliability_table(
    rows: Iterable[tuple[str, float, str, bool]],
) -> dict[str, tuple[ReliabilityBin, ...]]:
    """``rows``: (kind, confidence, verdict, applied) per edit; empty bins are left out."""
    counts: dict[tuple[str, int], list[int]] = {}
    for kind, conf, verdict, applied in rows:
        c = counts.setdefault((kind, _bin(conf)), [0, 0, 0, 0, 0])
        c[0] += 1
        c[{"correct": 1, "wrong": 2}.get(verdict, 3)] += 1
        c[4] += int(applied)
    table: dict[str, tuple[ReliabilityBin, ...]] = {}
    for kind in EDIT_KINDS:
        bins = [
            ReliabilityBin(BIN_EDGES[i], BIN_EDGES[i + 1], *counts[(kind, i)])
            for i in range(len(BIN_EDGES) - 1)
            if (kind, i) in counts
        ]
        if bins:
            table[kind] = tuple(bins)
    return table


def format_reliability(table: Mapping[str, Sequence[ReliabilityBin]]) -> list[str]:
    lines = ["kind         confidence   edits  applied  correct  wrong  unjudged  correct share"]
    for kind, bins in table.items():
        for b in bins:
            share = "-" if b.correct_share is None else f"{b.correct_share:.0%}"
            lines.append(
                f"{kind:<12} [{b.lo:.2f},{b.hi:.2f}{']' if b.hi == 1.0 else ')'} "
                f"{b.count:>6} {b.applied:>8} {b.correct:>8} {b.wrong:>6} {b.unjudged:>9}  {share:>13}"
            )
    return lines
