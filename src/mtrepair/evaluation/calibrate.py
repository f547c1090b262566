"""Fitting ``data/calibration.tsv`` from segment gold (``mtrepair eval calibrate``).

Each gold set is cleaned with raw confidences and no threshold (every proposal
competes as if applied), every edit is judged (judge.py), and the judged ones are
counted per calibration key and raw-confidence bin. Unjudged edits (outside the
annotated segments) are left out: they carry no evidence either way.

The default threshold is chosen from the same data: the lowest value, not under
``FLOOR``, that every edit the gold judged wrong falls below once calibrated. So on the
fitting data no applied edit is wrong; what that costs in correct edits left as flags
is printed by ``benchmarks/eval_clean.py``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from ..calibration import BINS, PRIOR_STRENGTH, Calibration, Counts, confidence_bin, format_calibration
from .clean import CleanScore, EditRecord, propose_all, score_proposals
from .gold import read_gold

FLOOR = 0.5  # never apply an edit the data rates as a coin flip, even if none was seen wrong


@dataclass(frozen=True, slots=True)
class CalibrationFit:
    calibration: Calibration
    threshold: float
    judged: int
    wrong: int
    correct_flagged: int  # correct edits the threshold leaves as flags, on the fitting data
    flagged_keys: dict[str, int]  # ... per calibration key
    sources: tuple[str, ...]

    def table(self) -> str:
        header = (
            "Confidence calibration for mtrepair clean: per calibration key (rule|evidence) and raw-confidence\n"
            f"bin (bins of 1/{BINS}; '*' = all bins), how many edits the gold judged and how many were correct.\n"
            "Made by `mtrepair eval calibrate` (src/mtrepair/evaluation/calibrate.py) on "
            f"{datetime.now(timezone.utc):%Y-%m-%d}\n"
            f"from: {', '.join(self.sources)}\n"
            f"{self.judged} judged edits, {self.wrong} wrong; the default threshold is the lowest value >= {FLOOR}\n"
            f"above every wrong edit's calibrated confidence ({self.correct_flagged} correct edits fall below it).\n"
            f"Map (src/mtrepair/calibration.py): Beta smoothing with the raw confidence as the prior mean,\n"
            f"worth {PRIOR_STRENGTH:g} observations. Counts only: no article text is stored here. Re-fit after any\n"
            "stage change: mtrepair eval calibrate --gold ../shared/dev/seed_gold.jsonl --articles ../shared/seeds\n"
            "--gold ../shared/dev/real/gold.jsonl --articles ../shared/dev/real/articles"
        )
        return format_calibration(self.calibration.rules, self.calibration.bins, self.threshold, header)


def fit_records(records: Sequence[EditRecord], sources: Sequence[str] = ()) -> CalibrationFit:
    judged = [r for r in records if r.verdict in ("correct", "wrong")]
    rules: dict[str, list[int]] = {}
    bins: dict[tuple[str, int], list[int]] = {}
    for r in judged:
        ok = int(r.verdict == "correct")
        for c in (rules.setdefault(r.key, [0, 0]), bins.setdefault((r.key, confidence_bin(r.raw_confidence)), [0, 0])):
            c[0] += 1
            c[1] += ok
    cal = Calibration(
        {k: Counts(n, ok) for k, (n, ok) in rules.items()},
        {k: Counts(n, ok) for k, (n, ok) in bins.items()},
    )
    mapped = [(cal.map(r.key, r.raw_confidence), r.verdict, r.key) for r in judged]
    worst = max((c for c, v, _ in mapped if v == "wrong"), default=0.0)
    threshold = max(FLOOR, math.ceil((worst + 1e-6) * 100) / 100)
    cal = Calibration(cal.rules, cal.bins, threshold)
    return CalibrationFit(
        calibration=cal,
        threshold=threshold,
        judged=len(judged),
        wrong=sum(1 for _, v, _ in mapped if v == "wrong"),
        correct_flagged=sum(1 for c, v, _ in mapped if v == "correct" and c < threshold),
        flagged_keys=dict(Counter(k for c, v, k in mapped if v == "correct" and c < threshold).most_common()),
        sources=tuple(sources),
    )


def calibrate(
    gold_sets: Sequence[tuple[str | Path, str | Path]],
    *,
    engine: str = "auto",
    glossary_dir: str | None = None,
    model_dir: str | None = None,
    rounds: int = 5,
) -> tuple[CalibrationFit, list[CleanScore]]:
    """Fit the table from every (gold file, articles folder), then refit until the threshold settles.

    The first fit sees the edits that win when everything applies. Under the fitted
    threshold some edits are flagged and others take their place (a flagged translation
    lets the glossary edit inside it apply: "Secretaría de Salud", dev/real 02), so each
    round judges the edits the new setting applies too and fits on all of them.
    """
    from ..repair import open_pipeline

    pipeline = open_pipeline(
        glossary_dir=glossary_dir, engine=engine, model_dir=model_dir, calibrated=False, min_confidence=0.0
    )
    try:
        sets = [(read_gold(g, a), str(g), str(a)) for g, a in gold_sets]
        proposals = [propose_all(gold, pipeline) for gold, _, _ in sets]
    finally:
        if pipeline.translator is not None:
            pipeline.translator.close()
    seen: dict[tuple[str, str, int, int, str, str], EditRecord] = {}
    variant = pipeline
    fit: CalibrationFit | None = None
    scores: list[CleanScore] = []
    for _ in range(rounds):
        scores = [score_proposals(gold, p, variant, g, a) for (gold, g, a), p in zip(sets, proposals, strict=True)]
        before = len(seen)
        for (_, g, _), score in zip(sets, scores, strict=True):
            for r in score.edits:
                seen.setdefault((g, r.doc, r.start, r.end, r.rule, r.after), r)
        settled = fit is not None and len(seen) == before
        if settled:
            break
        fit = fit_records(list(seen.values()), [_name(g) for g, _ in gold_sets])
        variant = replace(pipeline, calibration=fit.calibration, min_confidence=fit.threshold)
    assert fit is not None
    return fit, scores


def _name(path: str | Path) -> str:
    p = Path(path).resolve()
    return f"{p.parent.name}/{p.name}"
