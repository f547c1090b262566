"""clean at archive scale: seconds, articles/s, peak RSS and CPU% for 1,000 to 50,000 articles.

Issue 10's goals, measured through the real command in a subprocess:
- peak RSS (the whole process tree, sampled from /proc) at the largest size within
  1.3x of that at the smallest;
- ``--jobs 2`` at least 1.7x the throughput of ``--jobs 1`` on a 2-core machine;
- ``mtrepair batch`` on a local Ray within 1.3x of ``clean --jobs 2`` on the same archive.

Articles are the seeds and ../shared/dev/real replicated (each copy made distinct by
a closing line), as files and as one JSONL. Prints a table; asserts nothing.

    .venv/bin/python benchmarks/bench_scale.py                       # 1,000 and 10,000
    .venv/bin/python benchmarks/bench_scale.py --sizes 1000 10000 50000 --engines none apertium
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "dev" / "real" / "articles"
PAGE = os.sysconf("SC_PAGE_SIZE")


def articles() -> list[str]:
    paths = sorted((ROOT / "corpus" / "samples").glob("*.txt")) + sorted(REAL.glob("*.txt"))
    return [p.read_text(encoding="utf-8").rstrip("\n") for p in paths]


def make_files(folder: Path, n: int, texts: list[str]) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:06d}.txt").write_text(texts[i % len(texts)] + f"\n\nCopy {i}.\n", encoding="utf-8")


def make_jsonl(path: Path, n: int, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i:06d}", "text": texts[i % len(texts)] + f"\n\nCopy {i}.\n"}) + "\n")


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (workers, Apertium, Ray)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm", encoding="ascii") as fh:
                rss[int(entry)] = int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run(args: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak tree RSS in bytes, CPU% (user+sys over wall, 100 = one core)."""
    t0 = time.perf_counter()
    before = os.times()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    after = os.times()
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{err}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, peak, 100.0 * cpu / wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--engines", nargs="+", default=["none", "apertium"])
    ap.add_argument("--jobs", nargs="+", default=["1", "2"])
    ap.add_argument("--forms", nargs="+", default=["files", "jsonl"])
    ap.add_argument("--corpus", choices=["both", "with", "without"], default="both")
    ap.add_argument("--ray", action="store_true", help="also run mtrepair batch on a local Ray (jsonl form)")
    opts = ap.parse_args()
    texts = articles()
    exe = [sys.executable, "-m", "mtrepair"]
    corpus_modes = {"both": [False, True], "with": [True], "without": [False]}[opts.corpus]
    print(f"{'articles':>8} {'form':5} {'engine':8} {'jobs':>4} {'corpus':6} {'seconds':>8} {'art/s':>7} "
          f"{'peak RSS':>9} {'CPU%':>5}")
    rows: dict[tuple[object, ...], tuple[float, int]] = {}
    for n in opts.sizes:
        tmp = Path(tempfile.mkdtemp(prefix=f"mtrepair-scale-{n}-"))
        try:
            make_files(tmp / "files", n, texts)
            make_jsonl(tmp / "archive.jsonl", n, texts)
            for form in opts.forms:
                src = str(tmp / "files") if form == "files" else str(tmp / "archive.jsonl")
                for engine in opts.engines:
                    for jobs in opts.jobs:
                        for with_corpus in corpus_modes:
                            out = tmp / "out"
                            shutil.rmtree(out, ignore_errors=True)
                            shutil.rmtree(tmp / "store", ignore_errors=True)
                            args = [*exe, "clean", src, "-o", str(out), "--report", str(out / "report.jsonl"),
                                    "--engine", engine, "--jobs", jobs]
                            if with_corpus:
                                args += ["--corpus", str(tmp / "store")]
                            wall, peak, cpu = run(args)
                            rows[(n, form, engine, jobs, with_corpus)] = (n / wall, peak)
                            print(f"{n:>8} {form:5} {engine:8} {jobs:>4} {'yes' if with_corpus else 'no':6} "
                                  f"{wall:8.1f} {n / wall:7.1f} {peak / 2**20:7.0f}MB {cpu:5.0f}", flush=True)
                if opts.ray and form == "jsonl":
                    for engine in opts.engines:
                        shutil.rmtree(tmp / "store", ignore_errors=True)
                        wall, peak, cpu = run([*exe, "batch", src, "--corpus", str(tmp / "store"),
                                               "--engine", engine, "--num-cpus", "2"])
                        rows[(n, "ray", engine)] = (n / wall, peak)
                        print(f"{n:>8} {'ray':5} {engine:8} {'2':>4} {'yes':6} {wall:8.1f} {n / wall:7.1f} "
                              f"{peak / 2**20:7.0f}MB {cpu:5.0f}", flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    print("\nratios")
    small, large = min(opts.sizes), max(opts.sizes)
    for key, (_rate, peak) in rows.items() if len(opts.sizes) > 1 else []:
        if len(key) != 5 or key[0] != large:
            continue
        n, form, engine, jobs, corpus = key
        base = rows.get((small, form, engine, jobs, corpus))
        if base:
            print(f"peak RSS {large} / {small}  {form:5} {engine:8} jobs {jobs} corpus {corpus!s:5}: "
                  f"{peak / base[1]:.2f}x (goal <= 1.3)")
    for key, (rate, _peak) in rows.items():
        if len(key) == 5 and key[3] == "2":
            one = rows.get((key[0], key[1], key[2], "1", key[4]))
            if one:
                print(f"jobs 2 / jobs 1  {key[0]:>6} {key[1]:5} {key[2]:8} corpus {key[4]!s:5}: "
                      f"{rate / one[0]:.2f}x (goal >= 1.7)")
    for key, (rate, _peak) in rows.items():
        if len(key) == 3:
            two = rows.get((key[0], "jsonl", key[2], "2", True))
            if two:
                print(f"clean --jobs 2 / batch on Ray  {key[0]:>6} {key[2]:8}: {two[0] / rate:.2f}x (goal <= 1.3)")


if __name__ == "__main__":
    main()
