"""Reviewer web app benchmark: page render times on a 10,000-article corpus store (issue 13).

Builds a store of N articles (default 10,000) the way ``mtrepair clean --corpus`` fills it:
the sample articles (``corpus/samples``, and ``../shared/dev/real/articles`` when it is beside
the project) are repaired once by the real pipeline (Apertium, the project glossary), then each
result is varied into many distinct articles: a dated bulletin line of our own is appended (a
new original text is a new document; the edits, spans and translations keep their offsets) and
the date moves over two years, so the queue's date filter and the dashboard's time chart have
spread. The rows go through ``Corpus.add_results``, the writer ``clean`` uses.

Then it times each page (queue, article, glossary, dashboard) two ways:

- in process, through ``starlette.testclient.TestClient`` on the app ``mtrepair serve`` runs;
- over HTTP, against a real ``mtrepair serve`` subprocess pinned to one core (``taskset -c 0``).

and prints the median and 95th percentile per page beside the goal (p95 < 200 ms on one core).
Page URLs other than the first page rotate over documents, queue pages and filters so a cache
of one response does not flatter the figures.

    python benchmarks/bench_web.py                         # 10,000 articles, 50 requests per page
    python benchmarks/bench_web.py --articles 1000 -n 20   # a quick run
    python benchmarks/bench_web.py --store /tmp/web-store  # keep (and reuse) the built store
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mtrepair.model import RepairResult

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"
DEV_REAL = ROOT.parent / "shared" / "dev" / "real" / "articles"
GOAL_P95_MS = 200.0
FIRST_DAY = date(2023, 1, 1)

# Our own bulletin lines: appended to a repaired base article to make a new document.
BULLETIN = (
    "Bulletin {n}, issued {day}, was distributed to regional offices.",
    "Press office note {n} of {day}: figures are preliminary.",
    "Update {n} ({day}): the information will be revised next week.",
)


def base_paths() -> list[Path]:
    paths = sorted(SAMPLES.glob("*.txt"))
    if DEV_REAL.is_dir():
        paths += sorted(DEV_REAL.glob("*.txt"))
    return paths


def repair_bases(glossary: Path) -> list[RepairResult]:
    from mtrepair.repair import open_pipeline, repair_file

    pipeline = open_pipeline(glossary_dir=str(glossary), engine="auto")
    out: list[RepairResult] = []
    for path in base_paths():
        out.extend(repair_file(str(path), pipeline))
    return out


def variants(bases: Sequence[RepairResult], n: int) -> Iterator[RepairResult]:
    """``n`` distinct articles: base ``i % len(bases)`` plus its own bulletin line and date."""
    for i in range(n):
        base = bases[i % len(bases)]
        day = FIRST_DAY + timedelta(days=(i * 7) % 730)
        tail = BULLETIN[i % len(BULLETIN)].format(n=i, day=day.isoformat())
        text = base.document.text.rstrip("\n") + "\n\n" + tail + "\n"
        doc = replace(base.document, doc_id=f"{i:05d}_{base.document.doc_id}", text=text, date=day.isoformat())
        repaired = base.text.rstrip("\n") + "\n\n" + tail + "\n"
        yield replace(base, document=doc, text=repaired)


def build_store(store: Path, glossary: Path, n: int) -> float:
    """Fill ``store`` with ``n`` articles; returns the seconds it took (0 when reused)."""
    from mtrepair.corpus.store import Corpus

    corpus = Corpus(store)
    if corpus.exists:
        have = corpus.collect(corpus.documents().select("doc_hash")).height
        if have >= n:
            print(f"reusing {store} ({have:,} documents)", flush=True)
            return 0.0
        shutil.rmtree(store)
        corpus = Corpus(store)
    t0 = time.perf_counter()
    bases = repair_bases(glossary)
    print(f"repaired {len(bases)} base articles in {time.perf_counter() - t0:.1f} s; writing {n:,} articles", flush=True)
    summary = corpus.add_results(variants(bases, n), summary="bench_web")
    took = time.perf_counter() - t0
    print(
        f"store: {summary.documents:,} documents, {summary.segments:,} segments, {summary.spans:,} spans, "
        f"{summary.edits:,} edits in {took:.1f} s",
        flush=True,
    )
    return took


def page_urls(store: Path, glossary: Path, n: int) -> dict[str, list[str]]:
    """``n`` URLs per page: the first page as a reviewer opens it, then other documents, queue
    pages and filters (read from the store, as the pages' links would give them)."""
    import polars as pl

    from mtrepair.corpus.store import Corpus
    from mtrepair.glossary.review import current_entries

    corpus = Corpus(store)
    docs = corpus.collect(corpus.documents().select("doc_hash").sort("doc_hash").head(max(n, 1)))
    hashes = docs.get_column("doc_hash").to_list()
    kinds = corpus.collect(corpus.edits().select(pl.col("kind").unique().sort())).get_column("kind").to_list()
    queue = ["/queue"] + [f"/queue?page={p}" for p in range(2, 6)] + [f"/queue?kind={k}" for k in kinds]
    queue += ["/queue?type=span", "/queue?type=edit&max_conf=0.8", "/queue?since=2024-01-01&until=2024-06-30"]
    entries = [e.source for e in current_entries(glossary)]
    gloss = ["/glossary", "/glossary?status=approved", "/glossary?page=2", "/glossary?kind=keep"]
    gloss += [f"/glossary?q={s.split()[0]}" for s in entries[:: max(1, len(entries) // 10)]]

    def take(urls: list[str]) -> list[str]:
        return [urls[i % len(urls)] for i in range(n)]

    return {
        "dashboard": take(["/"]),
        "queue": take(queue),
        "article": take([f"/doc/{h}" for h in hashes]),
        "documents": take(["/docs"] + [f"/docs?page={p}" for p in range(2, 20)]),
        "glossary": take(gloss),
    }


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


Get = Callable[[str], int]


def time_pages(get: Get, urls: dict[str, list[str]], warmup: int = 2) -> dict[str, list[float]]:
    """Milliseconds per request, page by page; every response must be 200."""
    out: dict[str, list[float]] = {}
    for page, page_urls_ in urls.items():
        for url in page_urls_[:warmup]:
            get(url)
        times: list[float] = []
        for url in page_urls_:
            t0 = time.perf_counter()
            status = get(url)
            times.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                raise SystemExit(f"{url}: HTTP {status}")
        out[page] = times
    return out


def in_process(store: Path, glossary: Path, urls: dict[str, list[str]]) -> dict[str, list[float]]:
    from starlette.testclient import TestClient

    from mtrepair.web import ServeConfig, create_app

    app = create_app(ServeConfig(corpus=store, glossary=glossary, token=None))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        return time_pages(lambda url: client.get(url).status_code, urls)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def over_http(store: Path, glossary: Path, urls: dict[str, list[str]], core: int) -> dict[str, list[float]]:
    """Against ``taskset -c CORE mtrepair serve`` (the whole server on one core)."""
    import httpx

    port = free_port()
    pin = ["taskset", "-c", str(core)] if shutil.which("taskset") else []
    if not pin:
        print("taskset not found: the server is not pinned to one core", flush=True)
    cmd = [*pin, sys.executable, "-m", "mtrepair", "serve", "--corpus", str(store), "--glossary", str(glossary)]
    cmd += ["--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=60) as client:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise SystemExit(f"mtrepair serve exited: {proc.stderr.read() if proc.stderr else ''}")
                try:
                    client.get("/login")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise SystemExit("mtrepair serve did not answer in 120 s") from None
                    time.sleep(0.2)
            return time_pages(lambda url: client.get(url).status_code, urls)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def report(title: str, results: dict[str, list[float]]) -> bool:
    print(f"\n{title}")
    print(f"{'page':<11} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}  goal p95 < {GOAL_P95_MS:.0f} ms")
    ok = True
    for page, times in results.items():
        p95 = percentile(times, 0.95)
        met = p95 < GOAL_P95_MS
        ok &= met
        print(
            f"{page:<11} {len(times):>8} {statistics.median(times):>10.1f} {p95:>8.1f} {max(times):>8.1f}  "
            f"{'met' if met else 'MISSED'}"
        )
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=10_000, help="documents in the store (default 10,000)")
    parser.add_argument("-n", "--requests", type=int, default=50, help="timed requests per page (default 50)")
    parser.add_argument("--store", type=Path, help="build the store here and keep it (reused when it is big enough)")
    parser.add_argument("--glossary", type=Path, default=ROOT / "glossary", help="glossary to repair with and to serve")
    parser.add_argument("--core", type=int, default=0, help="CPU the HTTP server is pinned to (default 0)")
    parser.add_argument("--skip-http", action="store_true", help="time in process only")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        store = args.store or Path(tmp) / "store"
        # The served glossary is a copy: the app may write (it never does on GET, but a benchmark
        # must not be able to touch the project's glossary).
        glossary = Path(tmp) / "glossary"
        shutil.copytree(args.glossary, glossary)
        build_store(store, glossary, args.articles)
        urls = page_urls(store, glossary, args.requests)
        print(f"\n{args.articles:,} articles; {args.requests} timed requests per page after 2 warm-up requests; "
              f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs", flush=True)
        ok = report("in process (starlette TestClient)", in_process(store, glossary, urls))
        if not args.skip_http:
            ok &= report(f"over HTTP (mtrepair serve pinned to core {args.core})", over_http(store, glossary, urls, args.core))
    print("\ngoal met on every page" if ok else "\ngoal MISSED on some page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
