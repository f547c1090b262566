"""Detector speed on the LinCE spa-eng dev text vs lingua-py word by word, same run.

Goal (issue 3): >= 100,000 tokens/s on one core. The peer is lingua-py
(lingua-language-detector) restricted to English and Spanish, called once per
token, as the data README measured it (~57k tokens/s): tokens without letters,
@mentions and URLs are "other" by rule and not sent to it. Both run pinned to
one CPU, over the same text, best of REPEATS passes; loading is timed apart.
Also prints each one's token accuracy over lang1/lang2 tokens, so speed is
never read without quality. Prints figures; asserts nothing.

Then the cost of langdetect (detect/langid.py), which the detector asks only about
lines its tagger found mixed: how many lines of LinCE and of newstest2013 reach it,
and what one call costs per line, first pass (profiles loading, cold) and best of
REPEATS passes (uncached calls on the same lines).

    .venv/bin/python benchmarks/bench_detect.py [path/to/dev.conll]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONLL = ROOT.parent / "shared" / "data" / "lince_spaeng" / "dev.conll"
NEWS = ROOT.parent / "shared" / "data" / "mt" / "newstest2013.eng"
REPEATS = 3
LANGDETECT_LINES = 500  # lines timed through langdetect directly


def _langdetect_cost(name: str, lines: list[str]) -> None:
    """Lines the detector sends to langdetect, and langdetect's time per line."""
    from mtrepair.detect import build_detector
    from mtrepair.detect.langid import line_language
    from mtrepair.model import Segment

    detector = build_detector()
    line_language.cache_clear()  # every call below is a real langdetect call
    t0 = time.perf_counter()
    for line in lines:
        detector.detect(Segment("-", 0, len(line), line))
    seconds = time.perf_counter() - t0
    asked = line_language.cache_info().misses
    print(
        f"{name}: {asked} of {len(lines)} lines asked langdetect ({asked / max(len(lines), 1):.1%}); "
        f"detector {seconds / max(len(lines), 1) * 1000:.3f} ms/line with those calls"
    )
    uncached = line_language.__wrapped__
    sample = [ln for ln in lines if ln.strip()][:LANGDETECT_LINES]
    passes = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        for line in sample:
            uncached(line)
        passes.append(time.perf_counter() - t0)
    per = [p / max(len(sample), 1) * 1000 for p in passes]
    print(
        f"{name}: langdetect alone over {len(sample)} lines: first pass {per[0]:.2f} ms/line, "
        f"best {min(per):.2f} ms/line (passes: {', '.join(f'{x:.2f}' for x in per)})"
    )


def _pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here)"


def _lingua_wants(token: str) -> bool:
    return any(c.isalpha() for c in token) and not token.startswith(("@", "http", "www."))


def main(argv: list[str]) -> int:
    from mtrepair.detect import build_detector
    from mtrepair.detect.evaluate import SCORED_TAGS, conll_text, line_segments, read_conll

    conll = Path(argv[0]) if argv else DEFAULT_CONLL
    if not conll.is_file():
        print(f"{conll}: not found; pass the path of LinCE dev.conll", file=sys.stderr)
        return 1
    print(_pin_one_core())
    sentences = read_conll(conll)
    text = conll_text(sentences)
    n_tokens = sum(len(s.tokens) for s in sentences)
    print(f"text: {conll} — {len(sentences)} lines, {n_tokens} tokens, {len(text)} characters")

    t0 = time.perf_counter()
    detector = build_detector()
    load_ours = time.perf_counter() - t0
    segments = list(line_segments(text))
    ours: list[float] = []
    spans = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        spans = [detector.detect(seg) for seg in segments]
        ours.append(time.perf_counter() - t0)

    from lingua import Language, LanguageDetectorBuilder

    t0 = time.perf_counter()
    lingua = (
        LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH)
        .with_preloaded_language_models()
        .build()
    )
    load_lingua = time.perf_counter() - t0
    flat = [tok for s in sentences for tok in s.tokens]
    theirs: list[float] = []
    verdicts: list[bool] = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        verdicts = [_lingua_wants(tok) and lingua.detect_language_of(tok) == Language.SPANISH for tok in flat]
        theirs.append(time.perf_counter() - t0)

    # accuracy of both over lang1/lang2 tokens, same tokens
    ok_ours = ok_lingua = scored = 0
    pos = 0
    k = 0
    for sentence, line_spans in zip(sentences, spans, strict=True):
        es = [(s.start, s.end) for s in line_spans if s.label == "es"]
        for tok, tag in zip(sentence.tokens, sentence.tags, strict=True):
            start, end = pos, pos + len(tok)
            pos = end + 1
            if tag in SCORED_TAGS:
                gold_es = tag == "lang2"
                scored += 1
                ok_ours += any(a < end and start < b for a, b in es) == gold_es
                ok_lingua += verdicts[k] == gold_es
            k += 1

    best_ours, best_lingua = min(ours), min(theirs)
    rate_ours, rate_lingua = n_tokens / best_ours, n_tokens / best_lingua
    print(
        f"mtrepair detector  load {load_ours:6.2f} s  best pass (langdetect answers cached) {best_ours:6.3f} s  "
        f"{rate_ours:9,.0f} tokens/s  (first pass {n_tokens / ours[0]:9,.0f})  accuracy {ok_ours / scored:.4f}"
    )
    print(
        f"lingua-py per word load {load_lingua:6.2f} s  best pass {best_lingua:6.3f} s  "
        f"{rate_lingua:9,.0f} tokens/s  (first pass {n_tokens / theirs[0]:9,.0f})  accuracy {ok_lingua / scored:.4f}"
    )
    print(f"speed ratio mtrepair / lingua-py word-by-word: {rate_ours / rate_lingua:.2f}x  (goal: >= 100,000 tokens/s)")
    _langdetect_cost("LinCE dev", text.splitlines())
    if NEWS.is_file():
        _langdetect_cost("newstest2013.eng", NEWS.read_text(encoding="utf-8").splitlines())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
