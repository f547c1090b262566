"""Issue 9's measure of `mtrepair clean`: the seeds, dev/real and newstest2013.eng, scored the same way.

Runs the real evaluator (`mtrepair eval clean`, src/mtrepair/evaluation/) with the
default engine, the project glossary and the shipped calibration at its default
threshold, and prints per kind: boilerplate removed / body lost; numbers, terms and
glued words fixed exactly; es letter precision/recall/F1; mean segment chrF gain
against the oracle's; segments made worse; the applied edits the gold says are wrong;
the reliability table; and the share of newstest2013.eng lines `clean` changes. Then
the same scores with raw confidences and no threshold, for comparison. Asserts nothing.

    .venv/bin/python benchmarks/eval_clean.py            # summary and every miss
    .venv/bin/python benchmarks/eval_clean.py --brief    # summary lines only

Last, a leave-one-article-out check of the calibration: for each article of the seeds
and dev/real, the table and threshold are fitted on the other articles' judged edits
and applied to this one's, counting wrong edits that would be applied and right ones
that would be flagged: an estimate of how the shipped table does on unseen articles.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mtrepair.evaluation import evaluate_clean
from mtrepair.evaluation.calibrate import calibrate, fit_records
from mtrepair.evaluation.report import render_score

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SETS = {
    "seeds": (SHARED / "dev" / "seed_gold.jsonl", SHARED / "seeds"),
    "dev/real": (SHARED / "dev" / "real" / "gold.jsonl", SHARED / "dev" / "real" / "articles"),
}
NEWSTEST = SHARED / "data" / "mt" / "newstest2013.eng"
GLOSSARY = str(ROOT / "glossary")


def main() -> None:
    details = "--brief" not in sys.argv
    for name, (gold, articles) in SETS.items():
        print(f"== {name} (calibrated, default threshold)")
        score = evaluate_clean(gold, articles, glossary_dir=GLOSSARY, newstest=NEWSTEST if name == "dev/real" else None)
        print("\n".join(render_score(score, details=details)))
        print("kind scores:", {k: round(v, 4) for k, v in score.kind_scores().items()})
        raw = evaluate_clean(gold, articles, glossary_dir=GLOSSARY, calibrated=False, min_confidence=0.0)
        print(f"== {name} (raw confidence, every proposed edit applied) for comparison")
        print("\n".join(render_score(raw, details=False)))
        print()
    leave_one_out()


def leave_one_out() -> None:
    fit, scores = calibrate(list(SETS.values()), glossary_dir=GLOSSARY)
    records = [(name, r) for name, s in zip(SETS, scores, strict=True) for r in s.edits if r.verdict != "unjudged"]
    docs = sorted({(name, r.doc) for name, r in records})
    wrong_applied = right_flagged = judged = 0
    for held in docs:
        train = [r for key, r in records if (key, r.doc) != held]
        test = [r for key, r in records if (key, r.doc) == held]
        held_fit = fit_records(train)
        for r in test:
            applied = held_fit.calibration.map(r.key, r.raw_confidence) >= held_fit.threshold
            judged += 1
            wrong_applied += applied and r.verdict == "wrong"
            right_flagged += not applied and r.verdict == "correct"
    print(f"== calibration, leave one article out ({len(docs)} articles, {judged} judged edits)")
    print(f"shipped fit: threshold {fit.threshold:.2f}, {fit.judged} judged edits, {fit.wrong} wrong")
    print(f"held-out: {wrong_applied} wrong edit(s) applied, {right_flagged} right edit(s) flagged")


if __name__ == "__main__":
    main()
