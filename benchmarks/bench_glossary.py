"""Glossary matching throughput: 1,000 entries over 10 MB of text, on one core.

Goal (issue 4): at least 20 MB/s. The peer (issue 10) is the strongest simple one: one
combined alternation regex per case mode with a dict for the targets, run interleaved with
ours, first pass beside the best. For context, the naive approach is timed too: one
``re.sub`` per entry (``\\b`` + escaped source + ``\\b``, IGNORECASE where the entry is
insensitive), over the same text in the same process.

The text is the project's real material repeated to the size asked: the seed articles
and WMT newstest2013 English and Spanish lines (../shared/data/mt), shuffled. The
glossary is the project's glossary/glossary.tsv plus synthetic entries made from
frequent word pairs of that text, so that entries really match (a glossary that never
matches would measure only the scan): English pairs become variants, Spanish pairs
terms; Spanish lines are passed as ``es`` spans.

Times are CPU time of this process (time.process_time), best of --runs, pinned to
one core: the machines this runs on are shared, and wall time there measures the
neighbours as much as the code.

Three figures for mtrepair: the document as one segment; every line as its own
segment with keep_regions + find_edits (what repair.py does per sentence); compile time.

    .venv/bin/python benchmarks/bench_glossary.py
    .venv/bin/python benchmarks/bench_glossary.py --mb 2 --entries 1000
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from mtrepair.glossary import Entry, Glossary, load_glossary
from mtrepair.model import Segment, Span

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def material() -> tuple[list[str], list[str]]:
    """(English lines, Spanish lines) of real text."""
    english: list[str] = []
    spanish: list[str] = []
    for seeds in (SHARED / "seeds", ROOT / "corpus" / "samples"):
        for path in sorted(seeds.glob("*.txt")):
            english += [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    mt = SHARED / "data" / "mt"
    if (mt / "newstest2013.eng").is_file():
        english += (mt / "newstest2013.eng").read_text(encoding="utf-8").splitlines()
        spanish += (mt / "newstest2013.spa").read_text(encoding="utf-8").splitlines()
    if not english:
        raise SystemExit("no text found: expected ../shared/seeds or corpus/samples")
    return english, spanish


def build_text(english: list[str], spanish: list[str], size: int, seed: int) -> tuple[str, list[Span]]:
    rng = random.Random(seed)
    lines = [(ln, False) for ln in english] + [(ln, True) for ln in spanish]
    out: list[str] = []
    spans: list[Span] = []
    pos = 0
    while pos < size:
        rng.shuffle(lines)
        for line, is_spanish in lines:
            if is_spanish:
                spans.append(Span(pos, pos + len(line), "es", line))
            out.append(line)
            pos += len(line) + 1
            if pos >= size:
                break
    return "\n".join(out), spans


def word_pairs(lines: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in lines:
        words = re.findall(r"\w+", line)
        counts.update(f"{a} {b}" for a, b in itertools.pairwise(words) if len(a) > 2 and len(b) > 2)
    return counts


def synthetic_glossary(
    base: Glossary, english: list[str], spanish: list[str], total: int, density: str, seed: int
) -> Glossary:
    """``base`` plus word-pair entries: English pairs as variants, Spanish pairs as terms.

    dense: the most frequent pairs (after the top 50), a worst case where a glossary
    edit lands every few hundred characters. sampled: pairs drawn at random among those
    seen at least twice, closer to a real glossary of names and terms.
    """
    rng = random.Random(seed)
    entries = list(base.entries)
    need = max(total - len(entries), 0)
    sources = {e.source.lower() for e in entries}
    pools = []
    for kind, lines in (("variant", english), ("term", spanish)):
        counts = word_pairs(lines)
        if density == "dense":
            ranked = [p for p, _ in counts.most_common(50 + 2 * need)[50:]]
        else:
            ranked = sorted(p for p, c in counts.items() if c >= 2)
            rng.shuffle(ranked)
        pools.append((kind, ranked))
    made = 0
    for i in range(2 * need):
        kind, ranked = pools[i % 2]
        if made >= need or i // 2 >= len(ranked):
            break
        phrase = ranked[i // 2]
        if phrase.lower() in sources:
            continue
        sources.add(phrase.lower())
        case = "insensitive" if made % 3 else "sensitive"
        entries.append(Entry(f"syn-{made}", phrase, phrase.upper() + " X", kind, case, "approved"))  # type: ignore[arg-type]
        made += 1
    return Glossary(entries, "synthetic")


def naive(entries: tuple[Entry, ...], text: str) -> str:
    for e in entries:
        if e.kind == "keep":
            continue
        flags = re.IGNORECASE if e.case == "insensitive" else 0
        text = re.sub(r"\b" + re.escape(e.source) + r"\b", e.target.replace("\\", "\\\\"), text, flags=flags)
    return text


def combined(entries: tuple[Entry, ...]) -> Callable[[str], int]:
    """The strongest simple peer: one alternation regex per case mode (longest source first, so
    the leftmost-longest match wins as in ours) and a dict from matched text to target."""
    compiled = []
    for case, flags in (("sensitive", 0), ("insensitive", re.IGNORECASE)):
        chosen = sorted((e for e in entries if e.kind != "keep" and e.case == case), key=lambda e: -len(e.source))
        if not chosen:
            continue
        targets = {(e.source if case == "sensitive" else e.source.casefold()): e.target for e in chosen}
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(e.source) for e in chosen) + r")\b", flags)
        compiled.append((pattern, targets, case == "insensitive"))

    def run(text: str) -> int:
        count = 0
        for pattern, targets, fold in compiled:
            def swap(m: re.Match[str], targets: dict[str, str] = targets, fold: bool = fold) -> str:
                nonlocal count
                count += 1
                return targets[m.group(0).casefold() if fold else m.group(0)]

            text = pattern.sub(swap, text)
        return count

    return run


def best_of(runs: int, fn: Callable[[], int]) -> tuple[float, int]:
    """The fastest of ``runs`` CPU timings (the machine is shared: the minimum is the signal)."""
    best, result = float("inf"), 0
    for _ in range(runs):
        t0 = time.process_time()
        result = fn()
        best = min(best, time.process_time() - t0)
    return best, result


def measure(entries: tuple[Entry, ...], text: str, es_spans: list[Span], naive_chars: int, runs: int) -> None:
    mb = len(text.encode("utf-8")) / 1e6
    kinds = Counter(e.kind for e in entries)
    compile_s, _ = best_of(runs, lambda: len(Glossary(entries, "synthetic")))
    print(f"glossary: {len(entries)} entries {dict(kinds)}; compiled in {compile_s * 1000:.0f} ms")

    def one_segment() -> int:
        glossary = Glossary(entries, "synthetic")  # fresh: no state from an earlier run
        t0 = time.process_time()
        keep = glossary.keep_regions(text, 0, len(text))
        edits = glossary.find_edits(text, Segment("bench", 0, len(text), text), es_spans, keep)
        timings.append(time.process_time() - t0)
        return len(edits)

    segments: list[tuple[Segment, list[Span]]] = []
    pos = 0
    span_at = {s.start: s for s in es_spans}
    for line in text.split("\n"):
        span = span_at.get(pos)
        segments.append((Segment("bench", pos, pos + len(line), line), [span] if span else []))
        pos += len(line) + 1

    def per_line() -> int:
        # As repair.py calls it: keep_regions, then find_edits, for each segment in turn.
        glossary = Glossary(entries, "synthetic")
        t0 = time.process_time()
        count = 0
        for seg, spans in segments:
            protected = glossary.keep_regions(text, seg.start, seg.end)
            count += len(glossary.find_edits(text, seg, spans, protected))
        timings.append(time.process_time() - t0)
        return count

    peer_t0 = time.process_time()
    peer = combined(entries)
    peer_compiled = time.process_time() - peer_t0

    def peer_run() -> int:
        t0 = time.process_time()
        n = peer(text)
        timings.append(time.process_time() - t0)
        return n

    # Interleaved, so a busy moment of the shared machine hits every contender alike; the
    # first (cold) pass is printed beside the best.
    runs_by: dict[str, list[float]] = {"one": [], "line": [], "peer": []}
    edits = count = peer_count = 0
    for _ in range(runs):
        timings = []
        edits = one_segment()
        runs_by["one"].append(timings[-1])
        count = per_line()
        runs_by["line"].append(timings[-1])
        peer_count = peer_run()
        runs_by["peer"].append(timings[-1])
    one_s, per_s, peer_s = (min(runs_by[k]) for k in ("one", "line", "peer"))
    first = {k: v[0] for k, v in runs_by.items()}
    print(f"  mtrepair, one segment     {one_s:7.3f} s  {mb / one_s:7.1f} MB/s  (first {first['one']:.3f} s; {edits:,} edits)")
    print(
        f"  mtrepair, per line        {per_s:7.3f} s  {mb / per_s:7.1f} MB/s  (first {first['line']:.3f} s; "
        f"{count:,} edits, {len(segments):,} segments)"
    )
    print(
        f"  one combined regex (peer) {peer_s:7.3f} s  {mb / peer_s:7.1f} MB/s  (first {first['peer']:.3f} s; "
        f"{peer_count:,} replacements; compiled in {peer_compiled * 1000:.0f} ms)"
    )
    print(
        f"  ratio against the combined regex: one segment {peer_s / one_s:.2f}x, per line {peer_s / per_s:.2f}x "
        "(the peer has no word-boundary variants, families, protected regions or offsets)"
    )

    sample = text[:naive_chars]
    sample_mb = len(sample.encode("utf-8")) / 1e6
    t0 = time.process_time()
    naive(entries, sample)
    naive_s = (time.process_time() - t0) * mb / sample_mb
    note = "" if len(sample) == len(text) else f" (timed once on the first {sample_mb:.1f} MB, scaled linearly)"
    print(f"  naive re.sub per entry    {naive_s:7.1f} s  {mb / naive_s:7.3f} MB/s{note}")
    verdict = ", ".join(
        f"{label} {'met' if mb / secs >= 20 else 'NOT met'} ({mb / secs:.1f})"
        for label, secs in (("one segment", one_s), ("per line", per_s))
    )
    print(f"  ratio: one segment {naive_s / one_s:,.0f}x, per line {naive_s / per_s:,.0f}x faster than the naive loop")
    print(f"  goal >= 20 MB/s: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=10.0, help="text size in MB (default 10)")
    parser.add_argument("--entries", type=int, default=1000, help="glossary size (default 1000)")
    parser.add_argument(
        "--naive-mb",
        type=float,
        default=1.0,
        help="time the naive loop on this many MB and scale (default 1; 0 = all the text)",
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs per figure; the best is printed (default 3)")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the goal says

    english, spanish = material()
    text, es_spans = build_text(english, spanish, int(args.mb * 1_000_000), args.seed)
    mb = len(text.encode("utf-8")) / 1e6
    print(f"text: {mb:.1f} MB ({len(text):,} chars, {len(es_spans):,} Spanish lines as es spans); one core, CPU time")
    base = load_glossary(ROOT / "glossary")
    naive_chars = len(text) if args.naive_mb <= 0 else int(args.naive_mb * 1_000_000)
    for density in ("sampled", "dense"):
        print(f"[{density}]")
        glossary = synthetic_glossary(base, english, spanish, args.entries, density, args.seed)
        measure(glossary.entries, text, es_spans, naive_chars, args.runs)


if __name__ == "__main__":
    main()
