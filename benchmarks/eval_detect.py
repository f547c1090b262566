"""Quality of the detector on the issue-3 targets; prints figures, asserts nothing.

- LinCE spa-eng dev (tokens joined by single spaces, one tweet a line): token
  accuracy over lang1/lang2 tokens and per-label F1, in-process and through the
  real CLI (`mtrepair detect - --jsonl --lines`). Goal >= 0.95.
- Seed gold (shared/dev/seed_gold.jsonl): span precision/recall/F1 for es and
  name; every gold es span found, no gold name labelled es.
- Clean English (WMT newstest2013.eng): share of lines given any es span. Goal <= 1%
  (issue 9.6: ~0).
- es letters (issue 9.6) on the non-boilerplate gold segments of dev/real and the
  seeds, the detector built with the project glossary as `clean` builds it:
  letters inside predicted es spans vs gold es spans. Goal dev/real F1 >= 0.8, seeds 1.0.

    .venv/bin/python benchmarks/eval_detect.py [--no-cli] [--show]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LINCE = SHARED / "data" / "lince_spaeng" / "dev.conll"
GOLD = SHARED / "dev" / "seed_gold.jsonl"
SEEDS = SHARED / "seeds"
NEWS = SHARED / "data" / "mt" / "newstest2013.eng"
REAL_GOLD = SHARED / "dev" / "real" / "gold.jsonl"
REAL_ARTICLES = SHARED / "dev" / "real" / "articles"
GLOSSARY = ROOT / "glossary"


def _print_letters(show: bool) -> None:
    from mtrepair.detect import build_detector
    from mtrepair.detect.evaluate import score_letters
    from mtrepair.glossary import load_glossary

    glossary = load_glossary(str(GLOSSARY))
    detector = build_detector(glossary.keep_strings(), [e.source for e in glossary.entries if e.kind == "term"])
    for title, gold, folder in (("dev/real", REAL_GOLD, REAL_ARTICLES), ("seeds", GOLD, SEEDS)):
        if not gold.is_file():
            print(f"{gold}: missing, {title} letters not scored")
            continue
        r = score_letters(gold, folder, detector)
        m = r["es_letters"]
        print(
            f"{title} es letters (body): P {m['precision']:.4f}  R {m['recall']:.4f}  F1 {m['f1']:.4f}  "
            f"(tp {m['tp']}, fp {m['fp']}, fn {m['fn']}); names labelled es {len(r['names_as_es'])}"
        )
        for item in r["gold_es"]:
            if show or item["share"] < 0.8:
                print(f"    {item['id']} {item['text']!r}: {item['share']:.0%} of its letters found")
        for item in r["false_positives"] + r["names_as_es"]:
            print("   ", item)


def _print_conll(title: str, r: dict[str, object]) -> None:
    per = r["per_label"]
    assert isinstance(per, dict)
    speed = f"  {r['tokens_per_second']:,} tokens/s" if "tokens_per_second" in r else ""
    print(
        f"{title}: accuracy {r['accuracy']:.4f}  weighted F1 {r['weighted_f1']:.4f}  "
        f"F1 lang1 {per['lang1']['f1']:.4f}  F1 lang2 {per['lang2']['f1']:.4f}  "
        f"({r['scored_tokens']} scored of {r['tokens']} tokens){speed}"
    )


def _via_cli(conll: Path) -> dict[str, object]:
    from mtrepair.detect.evaluate import conll_text, read_conll, score_conll_jsonl

    text = conll_text(read_conll(conll))
    done = subprocess.run(
        [sys.executable, "-m", "mtrepair", "detect", "-", "--jsonl", "--lines"],
        input=text.encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace").strip())
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "detect.jsonl"
        out.write_bytes(done.stdout)
        return score_conll_jsonl(conll, out)


def main(argv: list[str]) -> int:
    from mtrepair.detect import build_detector
    from mtrepair.detect.evaluate import score_clean, score_conll, score_gold

    show = "--show" in argv
    detector = build_detector()
    if LINCE.is_file():
        _print_conll("LinCE dev, in-process        ", score_conll(LINCE, detector))
        if "--no-cli" not in argv:
            try:
                _print_conll("LinCE dev, mtrepair detect CLI", _via_cli(LINCE))
            except RuntimeError as exc:
                print(f"LinCE dev via CLI: failed: {exc}")
    else:
        print(f"{LINCE}: missing, LinCE not scored")
    if GOLD.is_file():
        g = score_gold(GOLD, SEEDS, detector)
        for label in ("es", "name"):
            m = g[label]
            print(
                f"seed gold {label:4}: P {m['precision']:.4f}  R {m['recall']:.4f}  F1 {m['f1']:.4f}  "
                f"(tp {m['tp']}, fp {m['fp']}, fn {m['fn']})"
            )
        print(f"seed gold: es spans missed {len(g['missed_es'])}  names labelled es {len(g['names_as_es'])}")
        for item in g["missed_es"] + g["names_as_es"]:
            print("   ", item)
        if show:
            for p in g["predicted"]:
                print("   ", json.dumps(p, ensure_ascii=False))
    else:
        print(f"{GOLD}: missing, seeds not scored")
    if NEWS.is_file():
        c = score_clean(NEWS, detector)
        print(f"newstest2013.eng: {c['lines_with_es']} of {c['lines']} lines with an es span ({c['rate']:.2%})")
        if show:
            for item in c["flagged"]:
                print("   ", item)
    else:
        print(f"{NEWS}: missing, clean English not scored")
    _print_letters(show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
