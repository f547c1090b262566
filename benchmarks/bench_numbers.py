"""Throughput of the numbers and glue rules on one core.

    .venv/bin/python benchmarks/bench_numbers.py [MB]

Text: the seed articles and newstest2013 English, repeated to MB megabytes (default 5). Peers in
the same run: for glue, the obvious implementation (wordfreq.zipf_frequency on every token, as
its documentation suggests); for numbers, a floor: one re.finditer over the scale words alone,
the least any scanner must do.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mtrepair.glue import find_glue_edits
from mtrepair.numbers import find_number_edits

ROOT = Path(__file__).resolve().parent.parent
NEWSTEST = ROOT.parent / "shared" / "data" / "mt" / "newstest2013.eng"


def _sample(megabytes: float) -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "samples").glob("*.txt"))]
    if NEWSTEST.is_file():
        parts.append(NEWSTEST.read_text(encoding="utf-8"))
    base = "\n".join(parts)
    size = int(megabytes * 1_000_000)
    return (base * (size // len(base) + 1))[:size]


def _rate(fn: Callable[[str], object], text: str) -> float:
    t = time.perf_counter()
    fn(text)
    return len(text) / (time.perf_counter() - t) / 1e6


def _naive_glue(text: str) -> int:
    from wordfreq import zipf_frequency

    return sum(1 for tok in re.findall(r"[^\W\d_]{6,}", text) if zipf_frequency(tok, "en") == 0)


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    text = _sample(megabytes)
    find_glue_edits("warm up the word lists", 0, 22)
    scale = re.compile(r"\b(?:thousand|mil|millions?|millones|millón|billions?)\b", re.IGNORECASE)
    numbers = _rate(lambda s: find_number_edits(s, 0, len(s)), text)
    floor = _rate(lambda s: sum(1 for _ in scale.finditer(s)), text)
    glue = _rate(lambda s: find_glue_edits(s, 0, len(s)), text)
    small = text[:500_000]  # the naive peer is slow: time it on a tenth
    naive = _rate(_naive_glue, small)
    print(f"text: {len(text) / 1e6:.1f} MB (seeds + newstest2013.eng)")
    print(f"numbers  find_number_edits   {numbers:7.1f} MB/s")
    print(f"         scale-word scan     {floor:7.1f} MB/s   (floor; ratio {numbers / floor:.2f})")
    print(f"glue     find_glue_edits     {glue:7.1f} MB/s")
    print(f"         zipf_frequency/tok  {naive:7.1f} MB/s   (naive peer; ratio {glue / naive:.1f}x)")


if __name__ == "__main__":
    main()
