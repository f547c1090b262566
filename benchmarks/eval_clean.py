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
"""

from __future__ import annotations

import sys
from pathlib import Path

from mtrepair.evaluation import evaluate_clean
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


if __name__ == "__main__":
    main()
