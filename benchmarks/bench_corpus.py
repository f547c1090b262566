"""Corpus store benchmark: 1,000,000 segment pairs added, deduplicated and exported (TMX, TSV, Parquet).

The store is Delta Lake tables (one per record type); the last phase compacts it
(delete dead revisions, Delta optimize, vacuum).

Every phase runs in its own process and reports its wall time and peak resident
memory (ru_maxrss), so the figures are what a user's `mtrepair` process would use.
The peer is translate-toolkit (translate.storage.tmx) writing the same pairs as
our deduplicated TMX export. It builds the whole document in memory; by default
it runs on all the pairs. With --peer-sample N it runs on the first N pairs only
and its time is extrapolated linearly (the script then says so).

    python benchmarks/bench_corpus.py                      # 1,000,000 segments
    python benchmarks/bench_corpus.py --segments 100000 --peer-sample 20000   # a quick run
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
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "samples"
SEGMENTS_PER_DOC = 20

# Spanish spans left in machine-translated English (seed 000 and its kind), with translations.
SPANISH = [
    (
        "clausura del Ciclo Académico 2020-2021 de los Cursos de Especialización Médica",
        "closing of the 2020-2021 Academic Cycle of the Medical Specialization Courses",
    ),
    ("Instituto Mexicano del Seguro Social", "Mexican Social Security Institute"),
    ("los derechohabientes", "the beneficiaries"),
    ("la mañanera", "the morning press conference"),
    ("médicos especialistas", "medical specialists"),
    ("el Director General", "the Director General"),
    ("Unidad de Medicina Familiar", "Family Medicine Unit"),
    ("jornada de vacunación", "vaccination drive"),
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def seed_sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in line.split(". "):
                sentence = sentence.strip()
                if 40 <= len(sentence) <= 300:
                    out.append(sentence.rstrip(".") + ".")
    return out


STATES = ["Guanajuato", "Jalisco", "Nuevo León", "Chiapas", "Oaxaca", "Sonora", "Yucatán", "Puebla", "Veracruz"]


def generate(n_segments: int) -> Iterator[object]:
    """RepairResult records as the pipeline makes them: ~1/2 sentences from the seeds left as
    they are, ~1/4 with a Spanish-style number repaired, ~1/4 with a Spanish span translated.
    The values are drawn from bounded ranges, so about a quarter of the segment pairs repeat
    (what dedup is for), and one in twenty differs from another only by case or spacing."""
    from mtrepair.model import Document, Edit, Provenance, RepairResult, Segment, Span, SpanTranslation

    rng = random.Random(7)
    pool = seed_sentences()
    prov = Provenance("bench", "g", "apertium", "")
    n_docs = max(1, n_segments // SEGMENTS_PER_DOC)
    for d in range(n_docs):
        parts: list[str] = []
        edits: list[Edit] = []
        spans: list[Span] = []
        done: list[SpanTranslation] = []
        pos = 0
        for i in range(SEGMENTS_PER_DOC):
            roll = rng.random()
            if i == 0:
                text = f"Report {d} of the Mexican Social Security Institute on the health sector."
            elif roll < 0.5:
                text = rng.choice(pool)
                if rng.random() < 0.9:
                    text = f"{text[:-1]}, in {rng.choice(STATES)} ({rng.randint(2015, 2024)}, report {rng.randint(1, 400)})."
                if rng.random() < 0.05:
                    text = text.upper() if rng.random() < 0.5 else text.replace(" ", "  ", 1)
            elif roll < 0.75:
                a, b = rng.randint(1, 99), rng.randint(100, 999)
                number = f"{a} mil {b}"
                text = f"The institute hired {number} doctors who concluded their residence in the IMSS."
                k = pos + text.index(number)
                edits.append(Edit(k, k + len(number), number, f"{a},{b}", "number", "numbers.mil", 0.95))
            else:
                es, en = rng.choice(SPANISH)
                text = f"During {es}, the director reported {rng.randint(1, 999)} new units in {rng.choice(STATES)}."
                k = pos + text.index(es)
                conf = rng.choice((0.55, 0.7, 0.85, 0.9))
                spans.append(Span(k, k + len(es), "es", es))
                done.append(SpanTranslation(k, k + len(es), es, en, "apertium", conf))
                edits.append(Edit(k, k + len(es), es, en, "translation", "translate.apertium", conf, "apertium"))
            parts.append(text)
            pos += len(text) + 1
        body = "\n".join(parts)
        segs = []
        pos = 0
        for text in parts:
            segs.append(Segment(f"doc{d}", pos, pos + len(text), text))
            pos += len(text) + 1
        day = f"202{d % 4}-{1 + d % 12:02d}-{1 + d % 28:02d}"
        yield RepairResult(
            Document(f"doc{d}.txt", body, date=day), tuple(edits), "", prov, tuple(segs), tuple(spans), tuple(done)
        )


# ---- phases (each runs in a fresh process) ------------------------------------------------------


def phase_add(store: Path, n_segments: int) -> dict[str, object]:
    from mtrepair.corpus import open_corpus

    t = time.perf_counter()
    summary = open_corpus(store).add_results(generate(n_segments))  # type: ignore[arg-type]
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "segments": summary.segments, "documents": summary.documents, "spans": summary.spans}


def phase_readd(store: Path, n_docs: int) -> dict[str, object]:
    """The same articles cleaned again: rows are replaced, not duplicated."""
    from itertools import islice

    from mtrepair.corpus import open_corpus

    t = time.perf_counter()
    summary = open_corpus(store).add_results(islice(generate(n_docs * SEGMENTS_PER_DOC), n_docs))  # type: ignore[arg-type]
    seconds = time.perf_counter() - t
    import polars as pl

    corpus = open_corpus(store)
    live = corpus.collect(corpus.segments().select(pl.len())).item()
    return {"seconds": seconds, "replaced": summary.replaced, "live_segments": live}


def phase_export(store: Path, fmt: str, out: Path, dedup: str) -> dict[str, object]:
    from mtrepair import __version__
    from mtrepair.corpus import open_corpus
    from mtrepair.corpus.export import ExportMeta
    from mtrepair.corpus.query import ExportFilter, export_corpus

    t = time.perf_counter()
    result = export_corpus(
        open_corpus(store),
        ExportFilter(kind="segments", dedup=dedup),  # type: ignore[arg-type]
        out,
        fmt,
        ExportMeta("segments", "en-x-mt", "en", __version__),
    )
    seconds = time.perf_counter() - t
    size = sum(p.stat().st_size for p in result.paths)
    return {"seconds": seconds, "rows": result.rows, "bytes": size}


def phase_compact(store: Path) -> dict[str, object]:
    """`mtrepair corpus compact --retain-hours 0`: the re-added articles' files merged and vacuumed."""
    from mtrepair.corpus import open_corpus

    t = time.perf_counter()
    summary = open_corpus(store).compact(retain_hours=0)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "files_before": summary.parts_before, "files_after": summary.parts_after}


def phase_peer(pairs_parquet: Path, sample: int) -> dict[str, object]:
    """translate-toolkit writing the first ``sample`` pairs of our deduplicated export."""
    import polars as pl

    pairs = pl.read_parquet(pairs_parquet, n_rows=sample).select("source", "target").rows()
    from translate.storage.tmx import tmxfile

    t = time.perf_counter()
    store = tmxfile(sourcelanguage="en-x-mt", targetlanguage="en")
    for source, target in pairs:
        store.addtranslation(source, "en-x-mt", target, "en")
    with open(pairs_parquet.with_suffix(f".peer{sample}.tmx"), "wb") as fh:
        store.serialize(fh)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "rows": len(pairs)}


def phase_plain(pairs_parquet: Path, sample: int) -> dict[str, object]:
    """The strongest simple peer (issue 10): a plain streaming TMX writer, the pairs read from
    Parquet in batches, escaped with the standard library, written with one ``write`` per batch.
    No XML-illegal characters dropped, no content ids: a floor, not a rival."""
    from xml.sax.saxutils import escape

    import polars as pl

    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<header creationtool="plain" '
        'creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="en-x-mt" '
        'datatype="plaintext"/>\n<body>\n'
    )
    t = time.perf_counter()
    rows = 0
    with open(pairs_parquet.with_suffix(f".plain{sample}.tmx"), "w", encoding="utf-8") as fh:
        fh.write(head)
        for batch in pl.scan_parquet(pairs_parquet).head(sample).select("source", "target").collect().iter_slices(
            50_000
        ):
            fh.write(
                "".join(
                    f'<tu><tuv xml:lang="en-x-mt"><seg>{escape(a or "")}</seg></tuv>'
                    f'<tuv xml:lang="en"><seg>{escape(b or "")}</seg></tuv></tu>\n'
                    for a, b in batch.iter_rows()
                )
            )
            rows += batch.height
        fh.write("</body>\n</tmx>\n")
    return {"seconds": time.perf_counter() - t, "rows": rows}


def phase_ours_sample(pairs_parquet: Path, sample: int) -> dict[str, object]:
    """Our TMX writer alone on the same pairs (read from the Parquet export), writer against writer."""
    import polars as pl

    from mtrepair.corpus.export import ExportMeta, write_export

    t = time.perf_counter()
    result = write_export(
        pl.scan_parquet(pairs_parquet).head(sample),
        pairs_parquet.with_suffix(f".ours{sample}.tmx"),
        "tmx",
        ExportMeta("segments", "en-x-mt", "en", "bench"),
    )
    return {"seconds": time.perf_counter() - t, "rows": result.rows}


def run_phase(*args: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, __file__, "--phase", *args], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"phase {args[0]} failed")
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=1_000_000)
    parser.add_argument("--peer-sample", type=int, default=0, help="Time the peer on N pairs only (0: all).")
    parser.add_argument("--workdir", type=Path, default=None, help="Keep the store and exports here.")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        name, *rest = args.phase
        if name == "add":
            out = phase_add(Path(rest[0]), int(rest[1]))
        elif name == "readd":
            out = phase_readd(Path(rest[0]), int(rest[1]))
        elif name == "export":
            out = phase_export(Path(rest[0]), rest[1], Path(rest[2]), rest[3])
        elif name == "compact":
            out = phase_compact(Path(rest[0]))
        elif name == "peer":
            out = phase_peer(Path(rest[0]), int(rest[1]))
        elif name == "ours":
            out = phase_ours_sample(Path(rest[0]), int(rest[1]))
        elif name == "plain":
            out = phase_plain(Path(rest[0]), int(rest[1]))
        else:
            raise SystemExit(f"unknown phase {name}")
        out["peak_rss_mb"] = round(peak_rss_mb(), 1)
        print(json.dumps(out))
        return

    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-corpus-"))
    store = work / "store"
    if store.exists():
        shutil.rmtree(store)
    n = args.segments
    print(f"corpus benchmark: {n:,} segment pairs, work dir {work}")
    phases: list[dict[str, object]] = []

    def show(label: str, r: dict[str, object], extra: str = "") -> None:
        phases.append(r)
        print(f"{label:34s} {float(r['seconds']):7.2f} s   peak RSS {float(r['peak_rss_mb']):7.1f} MB   {extra}")  # type: ignore[arg-type]

    add = run_phase("add", str(store), str(n))
    show("add (store.add_results)", add, f"{add['segments']:,} segments, {add['documents']:,} documents")
    readd_docs = max(1, n // SEGMENTS_PER_DOC // 20)
    readd = run_phase("readd", str(store), str(readd_docs))
    show("re-add the same articles", readd, f"{readd['replaced']:,} replaced; {readd['live_segments']:,} live segments")

    exports = {}
    for fmt, dedup in (
        ("tmx", "exact"),
        ("tsv", "exact"),
        ("parquet", "exact"),
        ("parquet", "normalized"),
        ("tmx", "none"),
    ):
        out = work / f"segments-{dedup}.{fmt}"
        r = run_phase("export", str(store), fmt, str(out), dedup)
        exports[(fmt, dedup)] = r
        show(f"export {fmt} (dedup {dedup})", r, f"{r['rows']:,} rows, {int(r['bytes']) / 1e6:.1f} MB")  # type: ignore[call-overload]

    compact = run_phase("compact", str(store))
    show("compact (optimize + vacuum)", compact, f"{compact['files_before']} data files -> {compact['files_after']}")

    # The peer writes the very pairs of our deduplicated TMX export (the Parquet export holds
    # the same rows in the same order).
    pairs = work / "segments-exact.parquet"
    rows = int(exports[("tmx", "exact")]["rows"])  # type: ignore[call-overload]
    sample = min(args.peer_sample, rows) if args.peer_sample else rows
    peer = run_phase("peer", str(pairs), str(sample))
    ours = run_phase("ours", str(pairs), str(sample))
    plain = run_phase("plain", str(pairs), str(rows))
    ours_all = run_phase("ours", str(pairs), str(rows))
    print(
        f"writer alone on all {rows:,} pairs: mtrepair {float(ours_all['seconds']):.2f} s vs a plain streaming "  # type: ignore[arg-type]
        f"writer {float(plain['seconds']):.2f} s -> {float(plain['seconds']) / float(ours_all['seconds']):.2f}x "  # type: ignore[arg-type]
        "(the strongest simple peer)"
    )
    print(
        f"translate-toolkit tmxfile, {int(peer['rows']):,} pairs: {float(peer['seconds']):.2f} s, "  # type: ignore[call-overload, arg-type]
        f"peak RSS {peer['peak_rss_mb']} MB"
    )
    print(
        f"writer alone on the same {int(ours['rows']):,} pairs: mtrepair {float(ours['seconds']):.2f} s vs "  # type: ignore[call-overload, arg-type]
        f"translate-toolkit {float(peer['seconds']):.2f} s -> {float(peer['seconds']) / float(ours['seconds']):.1f}x"  # type: ignore[arg-type]
    )
    per_row = float(peer["seconds"]) / int(peer["rows"])  # type: ignore[call-overload, arg-type]
    est = per_row * rows
    if sample < rows:
        print(
            f"translate-toolkit extrapolated linearly from {sample:,} to {rows:,} pairs: {est:.1f} s "
            "(timed on a sample because --peer-sample was given)"
        )
    ours_s = float(exports[("tmx", "exact")]["seconds"])  # type: ignore[arg-type]
    print(
        f"RATIO tmx export of {rows:,} deduplicated pairs (store scan + dedup + write): mtrepair {ours_s:.1f} s "
        f"vs translate-toolkit writing alone {est:.1f} s -> {est / ours_s:.1f}x faster (goal >= 10x)"
    )
    peak = max(float(r["peak_rss_mb"]) for r in phases)  # type: ignore[arg-type]
    print(f"PEAK memory of any mtrepair phase: {peak:.0f} MB (goal < 1536 MB)")
    if args.workdir is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
