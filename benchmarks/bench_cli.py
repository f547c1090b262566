"""Start-up time of `mtrepair --help` and `clean` throughput on the bundled samples.

Goal (issue 2): `--help` under 0.3 s, i.e. heavy imports (polars, ctranslate2,
wordfreq, trafilatura) are lazy. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_cli.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"


def time_command(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    python = sys.executable
    bare = time_command([python, "-c", "pass"], 10)
    helped = time_command([python, "-m", "mtrepair", "--help"], 10)
    print(f"python -c pass          median {statistics.median(bare) * 1000:7.1f} ms")
    print(f"mtrepair --help         median {statistics.median(helped) * 1000:7.1f} ms  (goal < 300 ms)")
    print(f"  of which mtrepair     median {(statistics.median(helped) - statistics.median(bare)) * 1000:7.1f} ms")

    from mtrepair.ingest import Source, read_source
    from mtrepair.repair import open_pipeline, repair_document

    docs = [d for p in sorted(SAMPLES.glob("*.txt")) for d in read_source(Source(str(p), p.name))]
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    for engine in ("none", "apertium"):
        t0 = time.perf_counter()
        pipeline = open_pipeline(glossary_dir=str(ROOT / "glossary"), engine=engine)
        for d in docs:  # warm-up: word lists and the Apertium pipeline load once per process
            repair_document(d, pipeline)
        setup = time.perf_counter() - t0
        rounds = 5
        t0 = time.perf_counter()
        for _ in range(rounds):
            for d in docs:
                repair_document(d, pipeline)
        elapsed = (time.perf_counter() - t0) / rounds
        print(
            f"clean --engine {engine:8s} {len(docs)} articles, {size / 1024:.1f} KiB: "
            f"{elapsed * 1000:7.1f} ms per pass, {size / elapsed / 1024:8.1f} KiB/s, "
            f"{len(docs) / elapsed:6.1f} articles/s (first pass incl. loading: {setup:.2f} s)"
        )
        if pipeline.translator is not None:
            pipeline.translator.close()
    cli = time_command([python, "-m", "mtrepair", "clean", str(SAMPLES), "--stdout", "--engine", "apertium"], 3)
    print(f"mtrepair clean samples (whole CLI process, apertium) median {statistics.median(cli):.2f} s")


if __name__ == "__main__":
    main()
