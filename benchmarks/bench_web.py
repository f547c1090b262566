"""Reviewer web app benchmark: page render times on a 10,000-article corpus store (issue 13).

Builds a store of N articles (default 10,000) the way ``mtrepair clean --corpus`` fills it:
the sample articles (``corpus/samples``, and ``../shared/dev/real/articles`` when it is beside
the project) are repaired once by the real pipeline (Apertium, the project glossary, clean's
``--min-confidence 0.95`` so many edits are flagged and the queue is long), then each result is
varied into many distinct articles: a dated bulletin line of our own is appended (a new original
text is a new document; the edits, spans and translations keep their offsets) and the date moves
over two years, so the queue's date filter and the dashboard's time chart have spread. The rows
go through ``Corpus.add_results``, the writer ``clean`` uses. (Repeated text compresses well, so
the store is small on disk; the row counts, which the queries work through, are those of 10,000
articles.)

Then it times each page (dashboard, queue, article, documents, glossary, term proposals) three ways:

- in process, through ``starlette.testclient.TestClient`` on the app ``mtrepair serve`` runs,
  this process pinned to one core;
- over HTTP, against a real ``mtrepair serve`` subprocess pinned to one core (``taskset -c 0``),
  the client on another core;
- the reviewer's loop, in process: decide the queue's first item, then render the queue again
  (the store changed, so what the app cached for the old version must be brought up to date).

and prints, per page, the first request's time (nothing cached yet), the median, the 95th
percentile and the maximum beside the goal (p95 < 200 ms on one core). URLs rotate over
documents, queue pages and filters so a cached response does not flatter the figures. The
machine's load average is printed: on a shared machine the tail is other people's work.

    python benchmarks/bench_web.py                         # 10,000 articles, 50 requests per page
    python benchmarks/bench_web.py --articles 1000 -n 20   # a quick run
    python benchmarks/bench_web.py --store /tmp/web-store  # keep (and reuse) the built store;
                                                           # the decision loop writes to it
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from html.parser import HTMLParser
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


def repair_bases(glossary: Path, min_confidence: float | None) -> list[RepairResult]:
    from mtrepair.repair import open_pipeline, repair_file

    pipeline = open_pipeline(glossary_dir=str(glossary), engine="auto", min_confidence=min_confidence)
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


def build_store(store: Path, glossary: Path, n: int, min_confidence: float | None = None) -> float:
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
    bases = repair_bases(glossary, min_confidence)
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
        "proposals": take([f"/proposals?min_count={m}" for m in (2, 1, 3, 5, 10)]),
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (no interpolation: a reported p95 is a time a request took)."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))
    return ordered[k]


Get = Callable[[str], int]


@dataclass
class PageTimes:
    first: float  # ms: the page's first request after the server opened the store (nothing cached)
    times: list[float]  # ms: the timed requests after the warm-up


def _timed(get: Get, url: str) -> float:
    t0 = time.perf_counter()
    status = get(url)
    took = (time.perf_counter() - t0) * 1000
    if status != 200:
        raise SystemExit(f"{url}: HTTP {status}")
    return took


def time_pages(get: Get, urls: dict[str, list[str]], warmup: int = 2) -> dict[str, PageTimes]:
    """Milliseconds per request, page by page; every response must be 200."""
    out: dict[str, PageTimes] = {}
    for page, page_urls_ in urls.items():
        first = _timed(get, page_urls_[0])
        for url in page_urls_[1:warmup]:
            get(url)
        out[page] = PageTimes(first, [_timed(get, url) for url in page_urls_])
    return out


def pin(core: int, allowed: Sequence[int]) -> str:
    """Run this process on one CPU of ``allowed`` (Linux); says where it runs."""
    if core not in allowed or not hasattr(os, "sched_setaffinity"):
        return "unpinned"
    os.sched_setaffinity(0, {core})
    return f"core {core}"


def in_process(store: Path, glossary: Path, urls: dict[str, list[str]]) -> dict[str, PageTimes]:
    """The app and its client in this process (pinned by the caller to one core)."""
    warnings.filterwarnings("ignore", message=".*httpx.*")  # starlette's TestClient prefers httpx2
    from starlette.testclient import TestClient

    from mtrepair.web import ServeConfig, create_app

    app = create_app(ServeConfig(corpus=store, glossary=glossary, token=None))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        return time_pages(lambda url: client.get(url).status_code, urls)


class _FirstForm(HTMLParser):
    """The hidden fields and the English of the first undecided queue row of one type."""

    def __init__(self, kind: str) -> None:
        super().__init__(convert_charrefs=True)
        self.kind = kind
        self.fields: dict[str, str] = {}
        self.csrf = ""
        self._state = "before"  # before -> inside -> done

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and a.get("name") == "csrf-token":
            self.csrf = a.get("content", "")
        if tag == "tr" and self._state == "before" and a.get("data-type") == self.kind and "decided" not in a.get("class", ""):
            self._state = "inside"
        elif tag == "tr" and self._state == "inside":
            self._state = "done"
        if self._state == "inside" and tag == "input" and a.get("name") and (a.get("type") == "hidden" or "english" in a.get("class", "")):
            self.fields[a["name"]] = a.get("value", "")


def decide_then_queue(store: Path, glossary: Path, n: int) -> dict[str, PageTimes]:
    """The reviewer's loop, in process: decide the first item of the queue, then load the queue
    again (the store changed: what the app cached for the old version must be brought up to
    date). Alternates span and edit items. Writes decisions into the benchmark's store."""
    warnings.filterwarnings("ignore", message=".*httpx.*")
    from starlette.testclient import TestClient

    from mtrepair.web import ServeConfig, create_app

    app = create_app(ServeConfig(corpus=store, glossary=glossary, token=None))
    out: dict[str, PageTimes] = {}
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        for kind in ("span", "edit"):
            decide: list[float] = []
            after: list[float] = []
            first = _timed(lambda url: client.get(url).status_code, "/queue")
            for _ in range(n):
                form = _FirstForm(kind)
                form.feed(client.get(f"/queue?type={kind}").text)
                if not form.fields:
                    break
                # Spans are accepted (into the translation memory), edits rejected (a rejection is
                # valid for every edit, a removal's empty English included).
                verb = "accept" if kind == "span" else "reject"
                data = {**form.fields, "decision": verb, "reviewer": "bench", "note": "bench_web"}
                t0 = time.perf_counter()
                status = client.post(f"/queue/{kind}/decide", data=data, headers={"X-CSRF-Token": form.csrf}).status_code
                decide.append((time.perf_counter() - t0) * 1000)
                if status not in (200, 303):
                    raise SystemExit(f"decide {kind}: HTTP {status}")
                after.append(_timed(lambda url: client.get(url).status_code, "/queue"))
            out[f"{kind} decide (write)"] = PageTimes(first, decide)
            out[f"queue after {kind}"] = PageTimes(first, after)
    return out


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def over_http(store: Path, glossary: Path, urls: dict[str, list[str]], core: int) -> dict[str, PageTimes]:
    """Against ``taskset -c CORE mtrepair serve`` (the whole server on one core); the client
    runs on another core when there is one, so its own work is not the server's."""
    import httpx

    port = free_port()
    taskset = ["taskset", "-c", str(core)] if shutil.which("taskset") else []
    if not taskset:
        print("taskset not found: the server is not pinned to one core", flush=True)
    cmd = [*taskset, sys.executable, "-m", "mtrepair", "serve", "--corpus", str(store), "--glossary", str(glossary)]
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
                    client.get("/static/style.css")  # up, without opening the store
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise SystemExit("mtrepair serve did not answer in 120 s") from None
                    time.sleep(0.2)
            return time_pages(lambda url: client.get(url).status_code, urls)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def report(title: str, results: dict[str, PageTimes]) -> bool:
    print(f"\n{title}")
    print(f"{'page':<19} {'first ms':>9} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}  goal p95 < {GOAL_P95_MS:.0f} ms")
    ok = True
    for page, r in results.items():
        if not r.times:
            print(f"{page:<19} nothing to time (the queue has no such item)")
            continue
        p95 = percentile(r.times, 0.95)
        met = p95 < GOAL_P95_MS
        write = page.endswith("(write)")  # a decision's Delta commit: no page render, no goal
        ok &= met or write
        print(
            f"{page:<19} {r.first:>9.1f} {len(r.times):>8} {statistics.median(r.times):>10.1f} {p95:>8.1f} "
            f"{max(r.times):>8.1f}  {'-' if write else 'met' if met else 'MISSED'}"
        )
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=10_000, help="documents in the store (default 10,000)")
    parser.add_argument("-n", "--requests", type=int, default=50, help="timed requests per page (default 50)")
    parser.add_argument("--store", type=Path, help="build the store here and keep it (reused when it is big enough)")
    parser.add_argument("--glossary", type=Path, default=ROOT / "glossary", help="glossary to repair with and to serve")
    parser.add_argument("--core", type=int, default=0, help="CPU the app runs on, in process and as the HTTP server (default 0)")
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=0.95,
        help="clean's --min-confidence for the base articles (default 0.95: many flagged edits, a long queue; "
        "the calibrated default leaves few)",
    )
    parser.add_argument("--skip-http", action="store_true", help="time in process only")
    parser.add_argument("--decisions", type=int, default=20, help="queue decisions timed per item type (0: none; they write to the store)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        store = args.store or Path(tmp) / "store"
        # The served glossary is a copy: the app may write (it never does on GET, but a benchmark
        # must not be able to touch the project's glossary).
        glossary = Path(tmp) / "glossary"
        shutil.copytree(args.glossary, glossary)
        build_store(store, glossary, args.articles, args.min_confidence)
        urls = page_urls(store, glossary, args.requests)
        print(
            f"\n{args.articles:,} articles; per page: the first request after the store is opened, then "
            f"{args.requests} timed requests after 2 warm-up requests; python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        where = pin(args.core, cpus)
        gc.collect()  # the store build's garbage is not the pages' cost
        ok = report(f"in process (starlette TestClient, app and client on {where})", in_process(store, glossary, urls))
        if not args.skip_http:
            others = [c for c in cpus if c != args.core]
            client_on = pin(others[0], cpus) if others else "the same core"
            ok &= report(
                f"over HTTP (taskset -c {args.core} mtrepair serve; client on {client_on})",
                over_http(store, glossary, urls, args.core),
            )
        if args.decisions:
            pin(args.core, cpus)
            ok &= report(
                f"in process on {where}: decide the queue's first item, then render the queue again ({args.decisions} times per type)",
                decide_then_queue(store, glossary, args.decisions),
            )
    print("\ngoal met on every page" if ok else "\ngoal MISSED on some page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
