"""Scaling: every input shape doubled four times; time, peak memory and the doubling ratio per step.

Issue 12 part 1: work must grow linearly with the input whatever its shape. Each shape
is run at a starting size and then doubled ``--steps`` times (default 4), each step in
a fresh process that reports the wall time of the work alone (imports, the pipeline and
the input file are ready before the clock starts) and its peak resident memory
(ru_maxrss), with the CPU seconds of that process (less shaken by other load on the
machine; Apertium's own CPU is not in it). The goal is every doubling at most 2.2x the time of the step before.

Shapes (inputs generated from the seeds, ../shared/data/mt/newstest2013.{eng,spa} and
synthetic text; nothing is downloaded):

- ``articles``  many short articles in one JSONL, through ``runner.run_clean`` (250 → 4,000)
- ``english``   one huge English article (newstest and seed lines shuffled into paragraphs)
                through ``repair_text`` (0.5 MB → 8 MB)
- ``spanish``   one Spanish-heavy single line, English and Spanish sentences alternating,
                no newline (80k → 1.28M characters)
- ``runon``     the same line with every sentence end made a comma: one sentence
- ``chrome``    one article with thousands of short chrome lines ("Share", "Tweet", …)
                between body paragraphs (10k → 160k lines)
- ``tbx``       a synthetic TBX v3 term base read and imported through
                ``glossary.review.import_entries`` into an empty glossary (2.5k → 40k concepts)
- ``export``    a corpus store built through the library (not timed), exported as TMX with
                exact dedup (125k → 1M segment rows: three doublings unless --steps says more)

    .venv/bin/python benchmarks/bench_scaling.py                          # everything (long)
    .venv/bin/python benchmarks/bench_scaling.py --quick                  # 1/8 sizes, two doublings
    .venv/bin/python benchmarks/bench_scaling.py --shapes spanish chrome --steps 3
    .venv/bin/python benchmarks/bench_scaling.py --shapes english --profile /tmp/prof   # cProfile per step

A step that runs past ``--max-seconds`` is stopped and the shape's later steps skipped.
Prints a table; asserts nothing (the suite's tests/test_scaling.py counts work instead).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
NEWSTEST = SHARED / "data" / "mt"
GLOSSARY = ROOT / "glossary"
GOAL = 2.2

CHROME_LINES = ("Share", "Tweet", "Facebook", "WhatsApp", "Read more", "Comments", "Print", "Email", "Compartir")


# ---- inputs --------------------------------------------------------------------------------------


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def english_lines() -> list[str]:
    """Professional English news lines plus the seeds' machine-translated body segments
    (the gold's non-boilerplate ones: a seed's "author profile" line opens a tail block
    that would drop the rest of a generated article, and the work with it)."""
    gold = SHARED / "dev" / "seed_gold.jsonl"
    seeds = [
        rec["source"]
        for rec in (json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip())
        if not rec["boiler"]
    ]
    return _lines(NEWSTEST / "newstest2013.eng") + seeds


def spanish_lines() -> list[str]:
    return _lines(NEWSTEST / "newstest2013.spa")


def make_english(path: Path, chars: int) -> str:
    rng = random.Random(12)
    pool = english_lines()
    paragraphs: list[str] = ["Mexican Social Security Institute reports on the health sector"]
    size = len(paragraphs[0])
    while size < chars:
        para = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
        paragraphs.append(para)
        size += len(para) + 2
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return f"{path.stat().st_size / 1e6:.2f} MB"


def make_spanish(path: Path, chars: int) -> str:
    """One line: two Spanish sentences for each English one (a page the engine half translated)."""
    rng = random.Random(13)
    eng, spa = english_lines(), spanish_lines()
    parts: list[str] = []
    size = 0
    while size < chars:
        for sentence in (rng.choice(eng), rng.choice(spa), rng.choice(spa)):
            parts.append(sentence)
            size += len(sentence) + 1
    line = " ".join(parts)[:chars]
    path.write_text(line, encoding="utf-8")
    return f"{len(line):,} chars"


def make_runon(path: Path, chars: int) -> str:
    """The Spanish-heavy line with no sentence end at all (commas only): one sentence of
    ``chars`` characters, which only the bounded segments keep from being one huge segment."""
    make_spanish(path, chars)
    line = path.read_text(encoding="utf-8")
    path.write_text(line.translate(str.maketrans(".!?;", ",,,,")), encoding="utf-8")
    return f"{len(line):,} chars, no sentence end"


def make_chrome(path: Path, lines: int) -> str:
    """A headline, then body paragraphs each followed by 50 short chrome lines."""
    rng = random.Random(14)
    pool = english_lines()
    out = ["Mexican Social Security Institute reports on the health sector", ""]
    made = 0
    while made < lines:
        out += [" ".join(rng.choice(pool) for _ in range(3)), ""]
        block = min(50, lines - made)
        out += [CHROME_LINES[(made + k) % len(CHROME_LINES)] for k in range(block)]
        out.append("")
        made += block
    out.append(" ".join(rng.choice(pool) for _ in range(3)))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return f"{lines:,} chrome lines"


def _articles() -> list[str]:
    real = SHARED / "dev" / "real" / "articles"
    paths = sorted(SEEDS.glob("*.txt")) + sorted(real.glob("*.txt"))
    return [p.read_text(encoding="utf-8").rstrip("\n") for p in paths]


def make_articles(path: Path, n: int) -> str:
    texts = _articles()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            # Each copy distinct (a closing line), so nothing is a repeat of another.
            text = texts[i % len(texts)] + f"\n\nCopy {i} of the archive."
            fh.write(json.dumps({"id": f"a{i:07d}", "text": text}, ensure_ascii=False) + "\n")
    return f"{n:,} articles, {path.stat().st_size / 1e6:.1f} MB"


def make_tbx(path: Path, concepts: int) -> str:
    from mtrepair.glossary.entry import Entry
    from mtrepair.glossary.tbx import write_tbx

    rng = random.Random(15)
    words = [w for line in spanish_lines()[:2000] for w in line.split() if w.isalpha() and len(w) > 3]
    entries: list[Entry] = []
    for i in range(concepts):
        a, b = rng.choice(words).lower(), rng.choice(words).lower()
        if i % 10 == 9:
            entries.append(Entry(f"k{i}", f"Nombre{i} {a.title()}", "", "keep"))
        elif i % 10 == 8:
            entries.append(Entry(f"v{i}", f"wrong rendering {i} of {a}", f"Right Rendering {i}", "variant"))
        else:
            entries.append(Entry(f"t{i}", f"{a} {b} {i}", f"term {i} {b}", "term", "insensitive"))
    path.write_bytes(write_tbx(entries, description="bench_scaling"))
    return f"{concepts:,} concepts, {path.stat().st_size / 1e6:.1f} MB"


def make_store(path: Path, rows: int) -> str:
    """A corpus store of ``rows`` segment pairs (bench_corpus's generator), in a child process."""
    proc = subprocess.run(
        [sys.executable, __file__, "--phase", "build", str(path), str(rows)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit("building the store failed")
    built = json.loads(proc.stdout.strip().splitlines()[-1])
    return f"{built['segments']:,} rows (store built in {built['seconds']:.1f} s)"


# ---- phases (each runs in a fresh process; only the work is timed) -------------------------------


def _pipeline(engine: str):  # type: ignore[no-untyped-def]
    from mtrepair.repair import open_pipeline

    return open_pipeline(glossary_dir=str(GLOSSARY), engine=engine)


def phase_repair(path: Path, engine: str, timed: Callable[[Callable[[], object]], float]) -> dict[str, object]:
    from mtrepair.repair import repair_text

    text = path.read_text(encoding="utf-8")
    pipe = _pipeline(engine)
    repair_text("Warm-up: la Secretaría de Salud dice que 1 mil 200 personas.", pipe)
    out: dict[str, object] = {}

    def work() -> None:
        result = repair_text(text, pipe, "big")
        out["edits"] = len(result.edits)

    out["seconds"] = timed(work)
    pipe.close()
    return out


def phase_articles(path: Path, engine: str, timed: Callable[[Callable[[], object]], float]) -> dict[str, object]:
    from mtrepair.runner import CleanSettings, run_clean

    work_dir = Path(tempfile.mkdtemp(prefix="bench-scaling-out-"))
    options = {"glossary_dir": str(GLOSSARY), "engine": engine}
    pipe = _pipeline(engine)
    settings = CleanSettings(pipeline=options, output=work_dir / "out", report=work_dir / "report.jsonl", jobs=1)  # type: ignore[arg-type]
    out: dict[str, object] = {}

    def work() -> None:
        summary = run_clean([str(path)], settings, pipeline=pipe)
        out["edits"] = summary.applied + summary.flagged
        out["errors"] = len(summary.errors)

    out["seconds"] = timed(work)
    pipe.close()
    shutil.rmtree(work_dir)
    return out


def phase_tbx(path: Path, _engine: str, timed: Callable[[Callable[[], object]], float]) -> dict[str, object]:
    from mtrepair.glossary.formats import read_entries
    from mtrepair.glossary.review import import_entries

    data = path.read_bytes()
    target = Path(tempfile.mkdtemp(prefix="bench-scaling-glossary-"))
    out: dict[str, object] = {}

    def work() -> None:
        drafts = read_entries(data, str(path), "tbx")
        summary = import_entries(target, drafts, author="bench", source_name=path.name)
        out["edits"] = summary.added

    out["seconds"] = timed(work)
    shutil.rmtree(target)
    return out


def phase_export(path: Path, _engine: str, timed: Callable[[Callable[[], object]], float]) -> dict[str, object]:
    from mtrepair import __version__
    from mtrepair.corpus import open_corpus
    from mtrepair.corpus.export import ExportMeta
    from mtrepair.corpus.query import ExportFilter, export_corpus

    target = path.parent / "export.tmx"
    out: dict[str, object] = {}

    def work() -> None:
        result = export_corpus(
            open_corpus(path),
            ExportFilter(kind="segments", dedup="exact"),
            target,
            "tmx",
            ExportMeta("segments", "en-x-mt", "en", __version__),
        )
        out["edits"] = result.rows

    out["seconds"] = timed(work)
    target.unlink(missing_ok=True)
    return out


def phase_build(path: Path, rows: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_corpus import generate
    from mtrepair.corpus import open_corpus

    t = time.perf_counter()
    summary = open_corpus(path).add_results(generate(rows))  # type: ignore[arg-type]
    return {"seconds": time.perf_counter() - t, "segments": summary.segments}


@dataclass(frozen=True)
class Shape:
    unit: str
    start: int
    suffix: str
    make: Callable[[Path, int], str]
    phase: Callable[[Path, str, Callable[[Callable[[], object]], float]], dict[str, object]]
    steps: int = 4


SHAPES: dict[str, Shape] = {
    "articles": Shape("articles", 250, ".jsonl", make_articles, phase_articles),
    "english": Shape("chars", 500_000, ".txt", make_english, phase_repair),
    "spanish": Shape("chars", 80_000, ".txt", make_spanish, phase_repair),
    "runon": Shape("chars", 80_000, ".txt", make_runon, phase_repair),
    "chrome": Shape("lines", 10_000, ".txt", make_chrome, phase_repair),
    "tbx": Shape("concepts", 2_500, ".tbx", make_tbx, phase_tbx),
    "export": Shape("rows", 125_000, "", make_store, phase_export, steps=3),
}


CPU: dict[str, float] = {}


def _timer(profile: Path | None) -> Callable[[Callable[[], object]], float]:
    def timed(work: Callable[[], object]) -> float:
        if profile is None:
            t, c = time.perf_counter(), time.process_time()
            work()
            CPU["cpu"] = time.process_time() - c
            return time.perf_counter() - t
        import cProfile

        prof = cProfile.Profile()
        t = time.perf_counter()
        prof.runcall(work)
        seconds = time.perf_counter() - t
        prof.dump_stats(str(profile))
        return seconds

    return timed


def run_child(args: list[str], max_seconds: float) -> dict[str, object] | None:
    """One phase in a fresh process; None when it ran past ``max_seconds``."""
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--phase", *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
            timeout=max_seconds,
        )
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"phase {args[0]} failed")
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=list(SHAPES))
    parser.add_argument("--steps", type=int, default=None, help="Doublings per shape (default 4; export 3).")
    parser.add_argument("--scale", type=float, default=1.0, help="Multiply every starting size (0.125: quick).")
    parser.add_argument("--quick", action="store_true", help="Same as --scale 0.125 --steps 2.")
    parser.add_argument("--engine", default="apertium", help="Engine of the repair shapes (apertium or none).")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="Stop a step after this long.")
    parser.add_argument("--profile", type=Path, default=None, help="Write each step's cProfile stats here.")
    parser.add_argument("--workdir", type=Path, default=None, help="Keep the generated inputs here.")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        name, *rest = args.phase
        if name == "build":
            out = phase_build(Path(rest[0]), int(rest[1]))
        else:
            profile = Path(rest[2]) if len(rest) > 2 else None
            out = SHAPES[name].phase(Path(rest[0]), rest[1], _timer(profile))
        out["cpu"] = round(CPU.get("cpu", 0.0), 3)
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(json.dumps(out))
        return

    if args.quick:
        args.scale, args.steps = 0.125, args.steps or 2
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-scaling-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
    print(f"scaling benchmark: engine {args.engine}, goal: every doubling <= {GOAL}x time; work dir {work}")
    print(
        f"{'shape':9s} {'size':>10s} {'input':38s} {'seconds':>9s} {'ratio':>6s} {'cpu s':>8s} {'ratio':>6s} "
        f"{'peak MB':>8s} {'ratio':>6s}  edits"
    )
    worst: dict[str, float] = {}
    for name in args.shapes:
        shape = SHAPES[name]
        steps = args.steps if args.steps is not None else shape.steps
        prev: dict[str, object] | None = None
        for k in range(steps + 1):
            size = max(1, int(shape.start * args.scale)) * 2**k
            path = work / f"{name}-{size}{shape.suffix}"
            if path.exists():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            described = shape.make(path, size)
            child = [name, str(path), args.engine]
            if args.profile is not None:
                child.append(str(args.profile / f"{name}-{size}.prof"))
            r = run_child(child, args.max_seconds)
            if r is None:
                print(f"{name:9s} {size:>10,} {described:38s} {'>' + str(int(args.max_seconds)):>9s}  (stopped)")
                worst[name] = float("inf")
                break
            seconds, cpu, mb = (float(r[k]) for k in ("seconds", "cpu", "peak_rss_mb"))  # type: ignore[arg-type]
            t_ratio = c_ratio = m_ratio = ""
            if prev is not None:
                ratio = seconds / max(float(prev["seconds"]), 1e-9)  # type: ignore[arg-type]
                worst[name] = max(worst.get(name, 0.0), ratio)
                t_ratio = f"{ratio:.2f}"
                c_ratio = f"{cpu / max(float(prev['cpu']), 1e-9):.2f}"  # type: ignore[arg-type]
                m_ratio = f"{mb / float(prev['peak_rss_mb']):.2f}"  # type: ignore[arg-type]
            print(
                f"{name:9s} {size:>10,} {described:38s} {seconds:9.2f} {t_ratio:>6s} {cpu:8.2f} {c_ratio:>6s} "
                f"{mb:8.1f} {m_ratio:>6s}  {r.get('edits', '')}"
            )
            sys.stdout.flush()
            prev = r
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
    print(
        "worst doubling ratio per shape: "
        + ", ".join(
            f"{n} {'stopped' if w == float('inf') else f'{w:.2f}'}{'' if w <= GOAL else ' (over goal)'}"
            for n, w in worst.items()
        )
    )
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
