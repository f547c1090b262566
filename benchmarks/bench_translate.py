"""Translation benchmark: `mtrepair translate --engine apertium` against raw Apertium.

Run: .venv/bin/python benchmarks/bench_translate.py [--lines 1000] [--per-call-sample 30]
     .venv/bin/python benchmarks/bench_translate.py --edits    (only the report below)

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
  edits applied) against the hand references, for the three;
- (``--edits``) every translation edit the real pipeline proposes on dev/real and the
  seeds, with the spans the detector finds and with the gold es spans, each judged by
  the evaluator's criterion (mtrepair.evaluation.judge) with its RAW confidence (no
  calibration table), refused ones included: the AUC of the raw confidence between
  correct and wrong, the lowest correct and highest wrong score, wrong edits applied at
  the default threshold; and the newstest2013.eng lines where a translation edit is
  applied (target 0).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sacrebleu

from mtrepair.evaluation.gold import GoldSegment
from mtrepair.glossary import load_glossary
from mtrepair.model import Edit, Segment, Span, apply_edits
from mtrepair.stages import Translator
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


REAL = SHARED / "dev" / "real"


def _auc(correct: list[float], wrong: list[float]) -> float | None:
    if not correct or not wrong:
        return None
    pairs = sum((c > w) + 0.5 * (c == w) for c in correct for w in wrong)
    return pairs / (len(correct) * len(wrong))


def edits_report() -> None:
    """Translation edits judged against the gold, raw confidence, AUC; newstest2013 firing."""
    from mtrepair.evaluation.gold import read_gold
    from mtrepair.evaluation.judge import judge_edit
    from mtrepair.model import Document
    from mtrepair.repair import assemble, open_pipeline, propose_edits
    from mtrepair.translate.confidence import DEFAULT_THRESHOLD

    pipeline = open_pipeline(glossary_dir=str(ROOT / "glossary"), engine="apertium")
    sets = [("dev/real", REAL / "gold.jsonl", REAL / "articles"), ("seeds", GOLD, SHARED / "seeds")]
    for mode in ("detector spans", "gold es spans"):
        verdicts: list[tuple[str, Edit]] = []
        print(f"\nTranslation edits, {mode} (raw confidence; * = applied at {DEFAULT_THRESHOLD})")
        for name, gold_path, articles in sets:
            if not gold_path.is_file():
                continue
            gold = read_gold(gold_path, articles)
            by_doc = gold.by_doc()
            for doc_id, doc in gold.documents.items():
                segs = by_doc.get(doc_id, [])
                if mode == "detector spans":
                    proposed = list(propose_edits(doc, pipeline).edits)
                else:
                    proposed = _gold_span_edits(doc.text, segs, pipeline.translator)
                applied = [e for e in assemble(proposed) if e.applied]
                for e in proposed:
                    if e.kind != "translation" or e.after == e.before:
                        continue
                    verdict = judge_edit(e, doc.text, segs, applied).verdict
                    verdicts.append((verdict, e))
                    mark = "*" if e.applied else " "
                    print(f"  {verdict:9} {mark} {e.confidence:.3f} {e.rule:30} {name} {doc_id[:14]}@{e.start}: "
                          f"{e.before!r} -> {e.after!r}")
        correct = [e.confidence for v, e in verdicts if v == "correct"]
        wrong = [e.confidence for v, e in verdicts if v == "wrong"]
        if mode == "gold es spans":
            forced = _forced_english_edits(pipeline.translator, lines=300)
            forced_applied = [e for e in forced if e.applied]
            print(f"  forced English spans (newstest2013.eng, 300 lines: Spanish/English homographs alone and "
                  f"one 4-word window a line): {len(forced)} edits change the text, {len(forced_applied)} applied")
            for e in forced_applied[:15]:
                print(f"    applied {e.confidence:.3f} {e.rule}: {e.before!r} -> {e.after!r}")
            wrong += [e.confidence for e in forced]
        auc = _auc(correct, wrong)
        wrong_applied = sum(1 for v, e in verdicts if v == "wrong" and e.applied)
        print(f"  {len(correct)} correct, {len(wrong)} wrong; AUC {'n/a' if auc is None else f'{auc:.3f}'}; "
              f"lowest correct {min(correct, default=float('nan')):.3f}, "
              f"highest wrong {max(wrong, default=float('nan')):.3f}; wrong applied {wrong_applied}")
    lines = (MT / "newstest2013.eng").read_text(encoding="utf-8").splitlines()
    fired = []
    for i, line in enumerate(lines):
        edits = propose_edits(Document(f"newstest{i}", line), pipeline).edits
        if any(e.kind == "translation" and e.applied for e in edits):
            fired.append(i)
    print(f"\nnewstest2013.eng: {len(fired)}/{len(lines)} lines with an applied translation edit {fired[:20]}")


def _forced_english_edits(translator: Translator | None, lines: int) -> list[Edit]:
    """English sent to the stage as if the detector had called it Spanish: every edit
    that changes the text is wrong. Words common in both languages ("era", "me", "son")
    alone, and a 4-word window of each line."""
    from wordfreq import zipf_frequency

    out = []
    for line in (MT / "newstest2013.eng").read_text(encoding="utf-8").splitlines()[:lines]:
        spans = []
        for m in re.finditer(r"[^\W\d_]+", line):
            w = m.group().lower()
            if zipf_frequency(w, "es") >= 4.5 and zipf_frequency(w, "en") >= 3.0:
                spans.append(Span(m.start(), m.end(), "es", m.group()))
        words = list(re.finditer(r"\S+", line))
        if len(words) >= 8:
            a, b = words[len(words) // 2 - 2], words[len(words) // 2 + 1]
            if not any(s.start < b.end() and a.start() < s.end for s in spans):
                spans.append(Span(a.start(), b.end(), "es", line[a.start() : b.end()]))
        spans.sort(key=lambda s: s.start)
        edits, _ = translate_spans(line, spans, [Segment("n", 0, len(line), line)], protected=[], inner_edits=[],
                                   translator=translator)
        out += [e for e in edits if e.after.strip().casefold() != e.before.strip().casefold()]
    return out


def _gold_span_edits(text: str, segs: list[GoldSegment], translator: Translator | None) -> list[Edit]:
    """The stage alone on the gold's es spans, gold names protected."""
    spans = [Span(i.start, i.end, "es", i.text) for g in segs for i in g.es]
    if not spans:
        return []
    segments = [Segment(g.doc, g.start, g.end, g.source) for g in segs]
    names = [(n.start, n.end) for g in segs for n in g.names]
    edits, _ = translate_spans(text, spans, segments, protected=names, inner_edits=[], translator=translator)
    return edits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--per-call-sample", type=int, default=30)
    parser.add_argument("--edits", action="store_true", help="only the judged translation edits report")
    args = parser.parse_args()
    if args.edits:
        edits_report()
        return
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
