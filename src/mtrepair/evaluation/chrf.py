"""Sentence chrF (sacrebleu), the measure of "closer to the reference".

Default chrF ignores whitespace, so a spacing-only edit ("personnel. . The",
seed 001) cannot move it; those edits are judged with the whitespace-aware variant.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=2)
def _metric(whitespace: bool) -> Any:
    from sacrebleu.metrics.chrf import CHRF

    return CHRF(whitespace=whitespace)


def chrf(hypothesis: str, reference: str, *, whitespace: bool = False) -> float:
    """chrF (0..100) of one hypothesis against one reference."""
    return float(_metric(whitespace).sentence_score(hypothesis, [reference]).score)
