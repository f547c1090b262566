"""The corpus store: Parquet parts under one directory, swapped in by a manifest.

Reading is lazy (``pl.scan_parquet`` over the parts named by the manifest), so a
store of millions of segments is queried and exported without loading it.
Writing holds a lock file, writes each new part under a temporary name, renames
it, and only then swaps MANIFEST.json; a writer killed at any point leaves the
previous manifest and every part it names intact.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import Any

import polars as pl

from ..errors import CorpusError
from ..model import RepairResult
from .files import describe, fsync_dir, fsync_file, temp_name
from .manifest import PART_NAME, TMP_NAME, Manifest, part_name, read_manifest, write_manifest
from .rows import RowBuffer, tabulate_result
from .schema import (
    ACCEPTED_STATUSES,
    DOCUMENT_TABLES,
    DOCUMENTS,
    REVIEW_STATUSES,
    REVIEWS,
    SPANS,
    TABLES,
    UNTRANSLATED,
    schema_of,
)

LOCK_NAME = ".lock"
LOCK_TIMEOUT_S = 60.0
# Rows buffered per table before a part is written: bounds memory on huge imports.
CHUNK_ROWS = 250_000
# Many small parts (one per `mtrepair clean` run) slow every scan; merge them past this.
AUTO_COMPACT_PARTS = 64


@dataclass(frozen=True)
class AddSummary:
    documents: int = 0  # documents written (new and replaced)
    replaced: int = 0  # of those, documents already in the store (their old rows are superseded)
    segments: int = 0
    spans: int = 0
    edits: int = 0
    reviews_kept: int = 0  # review decisions that apply to the spans just added


@dataclass(frozen=True)
class ReviewDecision:
    """One reviewer decision about the translation of a Spanish span source."""

    source: str
    target: str | None
    status: str  # approved | edited | rejected
    reviewer: str = ""
    note: str = ""


@dataclass(frozen=True)
class CompactSummary:
    parts_before: int
    parts_after: int
    dead_documents_dropped: int


class Corpus:
    """A corpus store directory. Nothing is created on disk until the first write."""

    def __init__(self, directory: Path, manifest: Manifest | None) -> None:
        self.directory = directory
        self._manifest = manifest

    # ---- reading ---------------------------------------------------------------------

    @property
    def manifest(self) -> Manifest:
        return self._manifest if self._manifest is not None else Manifest()

    @property
    def exists(self) -> bool:
        return self._manifest is not None

    def refresh(self) -> None:
        """Re-read the manifest (another process may have written since)."""
        manifest = read_manifest(self.directory)
        if manifest is not None:
            check_parts(self.directory, manifest)
        self._manifest = manifest

    def scan(self, table: str) -> pl.LazyFrame:
        """Every row of every part of ``table``, superseded rows included."""
        parts = self.manifest.tables.get(table, ())
        if not parts:
            return pl.LazyFrame(schema=schema_of(table))
        return pl.scan_parquet([self.directory / p for p in parts], schema=schema_of(table))

    def live_revs(self) -> pl.LazyFrame:
        """The ``rev`` of the latest version of each document."""
        return self.scan(DOCUMENTS).group_by("doc_hash").agg(pl.col("rev").max()).select("rev")

    def live(self, table: str) -> pl.LazyFrame:
        """The rows of ``table`` that belong to the latest version of each document."""
        lf = self.scan(table)
        if table in DOCUMENT_TABLES and self.manifest.dead_documents:
            lf = lf.join(self.live_revs(), on="rev", how="semi", maintain_order="left")
        return lf

    def documents(self) -> pl.LazyFrame:
        return self.live(DOCUMENTS)

    def segments(self) -> pl.LazyFrame:
        return self.live("segments")

    def spans(self) -> pl.LazyFrame:
        """Span rows as the pipeline left them (see ``reviewed_spans`` for review decisions)."""
        return self.live(SPANS)

    def edits(self) -> pl.LazyFrame:
        return self.live("edits")

    def decisions(self) -> pl.LazyFrame:
        """The latest review decision per span source."""
        return self.scan(REVIEWS).sort("seq").unique(subset="source", keep="last", maintain_order=True)

    def reviewed_spans(self) -> pl.LazyFrame:
        """Spans with review decisions applied: ``status`` and ``target`` as a reviewer left them.

        ``machine_target``/``machine_status`` keep what the pipeline produced. An approval or
        edit of a source applies to every span with that source (it is what the translation
        memory will give next time); a rejection applies to the rejected target only. A Spanish
        span the engine gave back unchanged is ``untranslated`` (seed 000: Apertium returns the
        unknown word "chirimiento" as it is, with confidence 0).
        """
        d = self.decisions().select("source", pl.col("target").alias("r_target"), pl.col("status").alias("r_status"))
        accepted = pl.col("r_status").is_in(ACCEPTED_STATUSES)
        rejected = (pl.col("r_status") == "rejected") & (pl.col("target") == pl.col("r_target")).fill_null(False)
        unchanged = (pl.col("label") == "es") & (
            pl.col("target").is_null() | (pl.col("target") == "") | (pl.col("target") == pl.col("source"))
        )
        return (
            self.spans()
            .join(d, on="source", how="left", maintain_order="left")
            .with_columns(
                pl.col("target").alias("machine_target"),
                pl.col("status").alias("machine_status"),
                pl.when(accepted).then(pl.col("r_target")).otherwise(pl.col("target")).alias("target"),
                pl.when(accepted)
                .then(pl.col("r_status"))
                .when(rejected)
                .then(pl.lit("rejected"))
                .when(unchanged)
                .then(pl.lit(UNTRANSLATED))
                .otherwise(pl.col("status"))
                .alias("status"),
            )
            .drop("r_target", "r_status")
        )

    def collect(self, lf: pl.LazyFrame) -> pl.DataFrame:
        """Run a query on the store; a damaged part becomes a CorpusError naming that part."""
        try:
            return lf.collect()
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise self.read_error(exc) from exc

    def read_error(self, exc: BaseException) -> CorpusError:
        """The CorpusError for a failed read: names the damaged part when one can be found."""
        damaged = self.damaged_part()
        if damaged is not None:
            return damaged
        return CorpusError(f"cannot read the corpus store ({_first_line(exc)})", path=str(self.directory))

    def damaged_part(self) -> CorpusError | None:
        """Decode every part in turn (slow; only after a read failed): the error naming the first bad one."""
        for table, parts in self.manifest.tables.items():
            for name in parts:
                path = self.directory / name
                try:
                    pl.scan_parquet(path, schema=schema_of(table)).collect()
                except (pl.exceptions.PolarsError, OSError) as exc:
                    return CorpusError(
                        f"damaged Parquet part ({_first_line(exc)}); restore it from a backup", path=str(path)
                    )
        return None

    def translation_memory(self) -> dict[str, str]:
        """Approved (or reviewer-edited) span source → English target, for the translate stage."""
        if not self.manifest.tables.get(REVIEWS):
            return {}
        df = self.collect(
            self.decisions()
            .filter(pl.col("status").is_in(ACCEPTED_STATUSES) & pl.col("target").is_not_null())
            .select("source", "target")
        )
        return dict(zip(df["source"].to_list(), df["target"].to_list(), strict=True))

    # ---- writing ---------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[_Writer]:
        from filelock import FileLock, Timeout

        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CorpusError(f"cannot create the corpus store ({describe(exc)})", path=str(self.directory)) from exc
        lock = FileLock(str(self.directory / LOCK_NAME), timeout=LOCK_TIMEOUT_S)
        try:
            lock.acquire()
        except Timeout as exc:
            raise CorpusError(
                "another mtrepair process is writing this corpus store; try again when it finishes",
                path=str(self.directory),
            ) from exc
        try:
            # Another process may have committed since this Corpus was opened.
            self.refresh()
            writer = _Writer(self.directory, self.manifest)
            try:
                yield writer
            except BaseException:
                writer.abort()
                raise
            if writer.manifest is not None:
                self._manifest = writer.manifest
        finally:
            lock.release()

    def add_results(self, results: Iterable[RepairResult], *, chunk_rows: int = CHUNK_ROWS) -> AddSummary:
        """Add repair results; an article already in the store (same original text) is replaced.

        Review decisions live in their own table keyed by span source, so approvals and
        edits made before an article is cleaned again still apply to its new spans.
        """
        now = datetime.now(timezone.utc)
        pending = iter(results)
        first = next(pending, None)
        if first is None:
            return AddSummary()  # nothing to write: the store directory is not even created
        with self._writing() as w:
            buffers = {t: RowBuffer(t) for t in DOCUMENT_TABLES}
            hashes: list[str] = []
            n_seg = n_span = n_edit = 0
            for result in chain([first], pending):
                rev = (w.generation << 32) | len(hashes)
                doc_hash, s, sp, e = tabulate_result(result, rev, now, buffers)
                hashes.append(doc_hash)
                n_seg, n_span, n_edit = n_seg + s, n_span + sp, n_edit + e
                if max(len(b) for b in buffers.values()) >= chunk_rows:
                    w.flush(buffers)
            w.flush(buffers)
            new = set(hashes)
            replaced = self._count_existing(new)
            dead = replaced + (len(hashes) - len(new))
            w.commit(dead_documents=self.manifest.dead_documents + dead)
        kept = self._count_reviews_for(sorted(new))
        if max(len(p) for p in self.manifest.tables.values()) > AUTO_COMPACT_PARTS:
            self.compact()
        return AddSummary(len(hashes), replaced, n_seg, n_span, n_edit, kept)

    def _count_existing(self, hashes: set[str]) -> int:
        if not self.manifest.tables[DOCUMENTS]:
            return 0
        df = self.collect(
            self.scan(DOCUMENTS).select("doc_hash").filter(pl.col("doc_hash").is_in(list(hashes))).unique()
        )
        return df.height

    def _count_reviews_for(self, hashes: Sequence[str]) -> int:
        if not self.manifest.tables[REVIEWS]:
            return 0
        sources = self.spans().filter(pl.col("doc_hash").is_in(list(hashes))).select("source").unique()
        df = self.collect(self.decisions().join(sources, on="source", how="semi").select(pl.len()))
        return int(df.item())

    def add_reviews(self, decisions: Sequence[ReviewDecision]) -> int:
        """Append review decisions (the log is never rewritten; the latest per source wins)."""
        for d in decisions:
            if d.status not in REVIEW_STATUSES:
                raise CorpusError(f"unknown review status {d.status!r}; use one of {', '.join(REVIEW_STATUSES)}")
            if d.status in ACCEPTED_STATUSES and not d.target:
                raise CorpusError(f"an {d.status} translation needs a target: {d.source!r}")
        if not decisions:
            return 0
        now = datetime.now(timezone.utc)
        with self._writing() as w:
            base = w.generation << 32
            w.write(
                REVIEWS,
                {
                    "seq": [base | i for i in range(len(decisions))],
                    "source": [d.source for d in decisions],
                    "target": [d.target for d in decisions],
                    "status": [d.status for d in decisions],
                    "reviewer": [d.reviewer for d in decisions],
                    "note": [d.note for d in decisions],
                    "updated": [now] * len(decisions),
                },
            )
            w.commit(dead_documents=self.manifest.dead_documents)
        return len(decisions)

    def compact(self) -> CompactSummary:
        """Merge each table's parts into one and drop superseded document rows; reviews keep their history."""
        with self._writing() as w:
            before = sum(len(p) for p in self.manifest.tables.values())
            dead = self.manifest.dead_documents
            for table in TABLES:
                if not self.manifest.tables[table]:
                    continue
                w.sink(table, self.live(table) if table in DOCUMENT_TABLES else self.scan(table))
            w.commit(dead_documents=0, replace_all=True)
        after = sum(len(p) for p in self.manifest.tables.values())
        return CompactSummary(before, after, dead)


class _Writer:
    """One write transaction: new parts under fresh names, then one manifest swap."""

    def __init__(self, directory: Path, base: Manifest) -> None:
        self.directory = directory
        self.base = base
        self.generation = base.generation + 1
        self.new_parts: dict[str, list[str]] = {t: [] for t in TABLES}
        self.manifest: Manifest | None = None

    def _final_path(self, table: str) -> Path:
        return self.directory / part_name(table, self.generation, secrets.token_hex(4))

    def _place(self, table: str, tmp: Path, final: Path) -> None:
        fsync_file(tmp)
        os.replace(tmp, final)
        self.new_parts[table].append(final.name)

    def write(self, table: str, columns: dict[str, list[Any]]) -> None:
        final = self._final_path(table)
        tmp = temp_name(final)
        try:
            pl.DataFrame(columns, schema=schema_of(table)).write_parquet(tmp, compression="zstd")
            self._place(table, tmp, final)
        except (OSError, pl.exceptions.PolarsError) as exc:
            tmp.unlink(missing_ok=True)
            raise CorpusError(f"cannot write a {table} part ({exc})", path=str(self.directory)) from exc

    def sink(self, table: str, lf: pl.LazyFrame) -> None:
        final = self._final_path(table)
        tmp = temp_name(final)
        try:
            lf.sink_parquet(tmp, compression="zstd")
            self._place(table, tmp, final)
        except (OSError, pl.exceptions.PolarsError) as exc:
            tmp.unlink(missing_ok=True)
            raise CorpusError(f"cannot write a {table} part ({exc})", path=str(self.directory)) from exc

    def flush(self, buffers: dict[str, RowBuffer]) -> None:
        for table, buf in buffers.items():
            if len(buf):
                self.write(table, buf.take())

    def commit(self, *, dead_documents: int, replace_all: bool = False) -> None:
        old = self.base
        if replace_all:
            tables = {t: tuple(self.new_parts[t]) for t in TABLES}
        else:
            tables = {t: old.tables.get(t, ()) + tuple(self.new_parts[t]) for t in TABLES}
        kept = {n for parts in tables.values() for n in parts}
        retired = tuple(sorted(n for n in old.referenced() - set(old.retired) if n not in kept))
        new = replace(old, generation=self.generation, tables=tables, retired=retired, dead_documents=dead_documents)
        fsync_dir(self.directory)
        write_manifest(self.directory, new)
        self.manifest = new
        self._collect_garbage(new)

    def abort(self) -> None:
        for parts in self.new_parts.values():
            for name in parts:
                (self.directory / name).unlink(missing_ok=True)

    def _collect_garbage(self, manifest: Manifest) -> None:
        """Delete parts no manifest needs any more and temporaries of writers that died."""
        keep = manifest.referenced()
        for entry in os.scandir(self.directory):
            name = entry.name
            if name in keep:
                continue
            if PART_NAME.match(name) or TMP_NAME.match(name):
                try:
                    os.unlink(entry.path)
                except OSError:
                    continue  # best effort: a later write retries


def check_parts(directory: Path, manifest: Manifest) -> None:
    """Every part the manifest names exists and has the declared columns (its footer is read)."""
    for table, parts in manifest.tables.items():
        expected = schema_of(table)
        for name in parts:
            path = directory / name
            try:
                found = pl.read_parquet_schema(path)
            except FileNotFoundError as exc:
                raise CorpusError(
                    f"this {table} part, named in MANIFEST.json, is missing; restore it from a backup", path=str(path)
                ) from exc
            except (OSError, pl.exceptions.PolarsError) as exc:
                raise CorpusError(
                    f"not a readable Parquet file ({_first_line(exc)}); restore it from a backup", path=str(path)
                ) from exc
            missing = [c for c in expected if c not in found]
            if missing:
                raise CorpusError(
                    f"this {table} part lacks the columns {', '.join(missing)}; restore it from a backup",
                    path=str(path),
                )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def open_store(directory: Path) -> Corpus:
    manifest = read_manifest(directory)
    if manifest is not None:
        check_parts(directory, manifest)
    return Corpus(directory, manifest)


__all__ = ["AddSummary", "CompactSummary", "Corpus", "ReviewDecision", "open_store"]
