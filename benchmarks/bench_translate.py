"""Translation benchmark: `mtrepair translate --engine apertium` against raw Apertium.

Run: .venv/bin/python benchmarks/bench_translate.py [--lines 1000] [--per-call-sample 30]

Prints, on the first N lines of WMT newstest2013 (Spanish → English, ../shared/data/mt):

- BLEU and chrF (sacrebleu defaults) of raw `apertium spa-eng` (one process over the
  whole file, unknown-word marks as Apertium prints them, and with -u) and of
  `mtrepair translate --engine apertium` (the real command in a subprocess), with and
  without the domain rules of data/translate_domain.tsv;
- sentences per second of our persistent pipeline (in-process, after start-up), of the
  real command including its start-up, of raw `apertium` over the file, and of one
  `apertium` process per sentence (timed on a sample of calls and extrapolated: that
  is what a naive subprocess-per-span integration costs), with the ratios;
- the seed spans of ../shared/dev/seed_gold.jsonl: raw Apertium on each span alone,
  ours without domain rules, ours in full; and chrF of the seed segments (translation
  edits applied) against the hand references, for the three.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sacrebleu

from mtrepair.glossary import load_glossary
from mtrepair.model import Segment, Span, apply_edits
from mtrepair.translate import open_translator, translate_lines, translate_spans
from mtrepair.translate.domain import EMPTY_RULES

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MT = SHARED / "data" / "mt"
GOLD = SHARED / "dev" / "seed_gold.jsonl"
SEEDS = ROOT / "corpus" / "samples"


def scores(hyp: list[str], ref: list[str]) -> str:
    bleu = sacrebleu.corpus_bleu(hyp, [ref]).score
    chrf = sacrebleu.corpus_chrf(hyp, [ref]).score
    return f"BLEU {bleu:5.2f}  chrF {chrf:5.2f}"


def run_raw_apertium(src_file: Path, *extra: str) -> tuple[list[str], float]:
    t0 = time.perf_counter()
    out = subprocess.run(["apertium", *extra, "spa-eng", str(src_file)], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\n")[:-1], time.perf_counter() - t0


def run_cli(src_file: Path) -> tuple[list[str], float, str]:
    """`mtrepair translate --engine apertium FILE` as a user runs it."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    argv = [sys.executable, "-m", "mtrepair", "translate", "--glossary", str(ROOT / "glossary")]
    how = "python -m mtrepair translate --glossary glossary"
    t0 = time.perf_counter()
    out = subprocess.run([*argv, "--engine", "apertium", str(src_file)], capture_output=True, env=env, check=True)
    return out.stdout.decode("utf-8").split("\n")[:-1], time.perf_counter() - t0, how


def per_call(lines: list[str], sample: int) -> float:
    """Seconds per sentence with one `apertium spa-eng` process per call."""
    t0 = time.perf_counter()
    for line in lines[:sample]:
        subprocess.run(["apertium", "spa-eng"], input=line.encode("utf-8"), capture_output=True, check=True)
    return (time.perf_counter() - t0) / sample


def seed_report() -> None:
    if not GOLD.is_file():
        print("\n(seed spans skipped: ../shared/dev/seed_gold.jsonl not found)")
        return
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = open_translator("apertium")
    assert engine is not None
    variants: dict[str, list[str]] = {"raw span alone": [], "ours, no domain rules": [], "ours": []}
    refs: list[str] = []
    print("\nSeed spans (../shared/dev/seed_gold.jsonl):")
    print(f"  {'span':<40} | {'raw apertium -u, span alone':<45} | {'ours, no domain rules':<45} | ours")
    for g in gold:
        es = [s for s in g["spans"] if s["label"] == "es"]
        if not es or not g.get("reference"):
            continue
        text = (SEEDS / g["doc"]).read_text(encoding="utf-8")
        segment = Segment(g["doc"], g["start"], g["end"], g["source"])
        spans = [Span(s["start"], s["end"], s["label"], s["text"]) for s in g["spans"]]
        names = [(s.start, s.end) for s in spans if s.label == "name"]
        outputs = {}
        for label, rules in (("ours, no domain rules", EMPTY_RULES), ("ours", None)):
            edits, _ = translate_spans(text, spans, [segment], protected=names, inner_edits=[],
                                       translator=engine, rules=rules)
            outputs[label] = edits
        raw = [subprocess.run(["apertium", "-u", "spa-eng"], input=s["text"].encode(), capture_output=True,
                              check=True).stdout.decode().strip() for s in es]
        for k, s in enumerate(es):
            print(f"  {s['text'][:40]:<40} | {raw[k][:45]:<45} | {outputs['ours, no domain rules'][k].after[:45]:<45}"
                  f" | {outputs['ours'][k].after}")
        seg_text = text[g["start"] : g["end"]]
        raw_edits = [
            (s["start"] - g["start"], s["end"] - g["start"], r) for s, r in zip(es, raw, strict=True)
        ]
        out = seg_text
        for a, b, r in sorted(raw_edits, reverse=True):
            out = out[:a] + r + out[b:]
        variants["raw span alone"].append(out)
        for label, edits in outputs.items():
            variants[label].append(apply_edits(text, edits)[g["start"] : g["end"] + sum(
                len(e.after) - len(e.before) for e in edits if e.applied)])
        refs.append(g["reference"])
    engine.close()
    print("\nSeed segments with Spanish spans, chrF against the hand references:")
    for label, hyp in variants.items():
        print(f"  {label:<24} {scores(hyp, refs)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--per-call-sample", type=int, default=30)
    args = parser.parse_args()
    src = (MT / "newstest2013.spa").read_text(encoding="utf-8").split("\n")[: args.lines]
    ref = (MT / "newstest2013.eng").read_text(encoding="utf-8").split("\n")[: args.lines]
    n = len(src)
    with tempfile.TemporaryDirectory() as tmp:
        src_file = Path(tmp) / "newstest2013.spa"
        src_file.write_text("\n".join(src) + "\n", encoding="utf-8")
        raw, raw_s = run_raw_apertium(src_file)
        raw_u, _ = run_raw_apertium(src_file, "-u")
        cli_out, cli_s, how = run_cli(src_file)

    engine = open_translator("apertium")
    assert engine is not None
    glossary = load_glossary(ROOT / "glossary")  # the project's glossary, as the command applies it
    list(translate_lines(["Hola."], engine))  # start the pipeline before timing
    t0 = time.perf_counter()
    ours = list(translate_lines(src, engine, glossary=glossary))
    ours_s = time.perf_counter() - t0
    no_rules = list(translate_lines(src, engine, rules=EMPTY_RULES))
    no_glossary = list(translate_lines(src, engine))
    engine.close()
    assert ours == cli_out, "the command and the function disagree"
    one_call = per_call(src, args.per_call_sample)

    print(f"newstest2013 es→en, first {n} lines (sacrebleu {sacrebleu.__version__} defaults)")
    print(f"  raw `apertium spa-eng` (marks kept)    {scores(raw, ref)}")
    print(f"  raw `apertium -u spa-eng` (no marks)   {scores(raw_u, ref)}")
    print(f"  mtrepair translate, no domain rules, no glossary {scores(no_rules, ref)}")
    print(f"  mtrepair translate, domain rules, no glossary    {scores(no_glossary, ref)}")
    print(f"  mtrepair translate --engine apertium   {scores(cli_out, ref)}   [{how}]")
    print("\nThroughput (sentences/s):")
    print(f"  ours, persistent pipeline (in-process)  {n / ours_s:8.0f}")
    print(f"  ours, the command incl. start-up        {n / cli_s:8.0f}")
    print(f"  raw apertium, one process, whole file   {n / raw_s:8.0f}")
    print(f"  one apertium process per sentence       {1 / one_call:8.1f}   "
          f"({one_call * 1000:.0f} ms/call, timed on {args.per_call_sample} calls, extrapolated to {n}: "
          f"{one_call * n:.0f} s)")
    print(f"  ratio ours / one process per call       {(n / ours_s) * one_call:8.0f}x")
    print(f"  ratio ours / raw apertium whole file    {(n / ours_s) / (n / raw_s):8.2f}x")
    seed_report()


if __name__ == "__main__":
    main()
