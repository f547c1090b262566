"""The corpus store: one Delta Lake table per record type under one folder.

``documents/``, ``segments/``, ``spans/``, ``edits/`` and ``reviews/`` are each a Delta
table that polars (``scan_delta``), pyarrow/pandas, DuckDB and Spark open directly;
the README's "Opening the corpus store" says how. Reading is lazy (``pl.scan_delta``
over one pinned snapshot of each table), so millions of segments are queried and
exported without loading them.

A write appends the child rows (segments, spans, edits) first and the document
rows last, in one Delta transaction: that commit makes the new revisions live (see
schema.py). Rows of the revisions it superseded are then deleted in further
commits; until then, and after a writer killed at any point, readers keep only the
live revision of each document, so they never see a half-written or doubled one.
Concurrent writers need no lock: Delta's log orders their commits, and a commit
that conflicts is run again on the new snapshot (delta.committing).
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Final

import polars as pl
from deltalake import DeltaTable
from deltalake.exceptions import DeltaError
from deltalake.transaction import AddAction

from ..errors import CorpusError
from ..model import RepairResult
from .delta import (
    Notify,
    commit_parts,
    committing,
    ensure,
    is_table,
    load,
    notify_stderr,
    props,
    sql_strings,
    table_path,
    write_part,
)
from .rows import RowBuffer, tabulate_result
from .schema import (
    ACCEPTED_STATUSES,
    DOCUMENT_TABLES,
    DOCUMENTS,
    EAGER_TABLES,
    EDIT_DECISIONS,
    EDIT_REVIEWS,
    REV_TOKEN_BITS,
    REVIEW_STATUSES,
    REVIEWS,
    SCHEMA_VERSION,
    SPANS,
    TABLES,
    UNTRANSLATED,
    schema_of,
)

# Rows buffered per table before they are appended: bounds memory on huge imports (the Delta
# writer holds a chunk twice, as Arrow and as Parquet; 250,000 peaked at 1.3 GB on the benchmark).
CHUNK_ROWS: Final = 100_000
# ``rev`` counts microseconds from this instant (so it fits in 64 bits with the token).
REV_EPOCH: Final = datetime(2020, 1, 1, tzinfo=timezone.utc)
_REV_EPOCH_US: Final = int(REV_EPOCH.timestamp()) * 1_000_000
# Child rows of a revision no document row names are only dropped once this old: a
# writer still running has them and will commit its documents after them.
ORPHAN_GRACE: Final = timedelta(hours=1)
DEFAULT_RETAIN_HOURS: Final = 168
# Literals per delete predicate (DataFusion parses each; keep a predicate small).
_PREDICATE_CHUNK: Final = 5_000


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
class EditReview:
    """One reviewer decision about an edit the pipeline proposed (see ``mtrepair.decisions``)."""

    doc_hash: str
    rev: int
    kind: str
    rule: str
    before: str
    after: str
    decision: str  # accepted | rejected | edited
    target: str | None  # the English to write; None when rejected
    reviewer: str = ""
    note: str = ""


@dataclass(frozen=True)
class CompactSummary:
    parts_before: int  # data files of all tables
    parts_after: int
    dead_documents_dropped: int  # superseded or orphaned document revisions deleted
    files_vacuumed: int = 0  # files no version within the retention needs, removed from disk


@dataclass(frozen=True)
class Commit:
    """One commit of one table, for ``corpus history``."""

    table: str
    version: int
    timestamp: datetime
    operation: str
    summary: str
    rows_added: int | None


class RevClock:
    """Revisions for one writer: microseconds since REV_EPOCH, shifted, plus a random token.

    Strictly increasing within the writer, ordered by time across writers, and two
    writers collide only if they tick the same microsecond with the same 12-bit token.
    """

    def __init__(self, after: int = 0) -> None:
        """``after``: the highest ``rev`` in the store; a clock set back (NTP) still draws higher ones,
        so a re-cleaned article's new revision always supersedes the old."""
        self.token = secrets.randbits(REV_TOKEN_BITS)
        self.last = after >> REV_TOKEN_BITS

    def next(self) -> int:
        us = max(time.time_ns() // 1000 - _REV_EPOCH_US, self.last + 1)
        self.last = us
        return (us << REV_TOKEN_BITS) | self.token


def rev_at(moment: datetime) -> int:
    """The smallest ``rev`` a writer could have drawn at ``moment``."""
    return (int(moment.timestamp() * 1_000_000) - _REV_EPOCH_US) << REV_TOKEN_BITS


class Corpus:
    """A corpus store directory. Nothing is created on disk until the first write.

    ``as_of``: a version of the documents table; the store is read as it was when that
    version was committed (read-only).
    """

    def __init__(self, directory: Path, *, as_of: int | None = None, notify: Notify = notify_stderr) -> None:
        self.directory = directory
        self.as_of = as_of
        self.notify = notify
        self._tables: dict[str, DeltaTable | None] = {t: None for t in TABLES}
        self._all_live: dict[str, bool] = {}
        self.refresh()

    # ---- reading ---------------------------------------------------------------------

    @property
    def exists(self) -> bool:
        return any(dt is not None for dt in self._tables.values())

    @property
    def schema_version(self) -> int:
        return SCHEMA_VERSION

    @property
    def version(self) -> int | None:
        """The documents table's version this Corpus reads (None before the first write)."""
        dt = self._tables[DOCUMENTS]
        return dt.version() if dt is not None else None

    def table(self, name: str) -> DeltaTable | None:
        return self._tables[name]

    def refresh(self) -> None:
        """Load the latest snapshot of every table (another process may have written since)."""
        self._all_live = {}
        if self.as_of is None:
            self._tables = {t: load(self.directory, t) for t in TABLES}
            return
        docs = load(self.directory, DOCUMENTS, version=self.as_of)
        if docs is None:
            raise CorpusError(f"no version {self.as_of}: this store has no documents table", path=str(self.directory))
        latest = load(self.directory, DOCUMENTS)
        moment = _commit_time(latest if latest is not None else docs, self.as_of)
        tables: dict[str, DeltaTable | None] = {DOCUMENTS: docs}
        for t in TABLES:
            if t == DOCUMENTS:
                continue
            dt = load(self.directory, t)
            if dt is not None:
                try:
                    dt.load_as_version(moment)
                except (DeltaError, ValueError, OSError):
                    dt = None  # the table did not exist yet at that moment
            tables[t] = dt
        self._tables = tables

    def scan(self, table: str) -> pl.LazyFrame:
        """Every row of ``table`` in this snapshot, superseded rows included."""
        dt = self._tables[table]
        if dt is None:
            return pl.LazyFrame(schema=schema_of(table))
        return pl.scan_delta(dt).select(list(schema_of(table)))

    def live_revs(self) -> pl.LazyFrame:
        """The ``rev`` of the live (latest) revision of each document."""
        return self.scan(DOCUMENTS).group_by("doc_hash").agg(pl.col("rev").max()).select("rev")

    def live(self, table: str) -> pl.LazyFrame:
        """The rows of ``table`` that belong to the live revision of each document."""
        lf = self.scan(table)
        if table in DOCUMENT_TABLES and not self.all_live(table):
            lf = lf.join(self.live_revs(), on="rev", how="semi", maintain_order="left")
        return lf

    def all_live(self, table: str) -> bool:
        """Whether every row of ``table`` in this snapshot is live (the usual case: writers delete
        what they supersede), so readers can skip the liveness join: one pass over the ``rev``
        column instead of a join over every row (a third of a million-segment export's time)."""
        if table not in self._all_live:
            if self._tables[table] is None:
                found = True
            elif table == DOCUMENTS:
                found = bool(self.collect(self.scan(DOCUMENTS).select(pl.col("doc_hash").is_unique().all())).item())
            else:
                stray = self.scan(table).select("rev").unique().join(self.live_revs(), on="rev", how="anti")
                found = int(self.collect(stray.select(pl.len())).item()) == 0
            self._all_live[table] = found
        return self._all_live[table]

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

    def edit_decisions(self) -> pl.LazyFrame:
        """The latest edit review decision per key (``decisions.edit_key``)."""
        return self.scan(EDIT_REVIEWS).sort("seq").unique(subset="key", keep="last", maintain_order=True)

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
        """Run a query on the store; a damaged data file becomes a CorpusError naming that file."""
        try:
            return lf.collect()
        except (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError, DeltaError) as exc:
            # A data file shorter than the Delta log says makes polars panic, not raise.
            raise self.read_error(exc) from exc

    def read_error(self, exc: BaseException) -> CorpusError:
        """The CorpusError for a failed read: names the damaged file when one can be found."""
        damaged = self.damaged_part()
        if damaged is not None:
            return damaged
        return CorpusError(f"cannot read the corpus store ({_first_line(exc)})", path=str(self.directory))

    def data_files(self) -> dict[str, list[Path]]:
        """The Parquet files each table's snapshot is made of."""
        out: dict[str, list[Path]] = {}
        for table, dt in self._tables.items():
            if dt is None and table not in EAGER_TABLES:
                continue  # edit_reviews before its first decision: not part of the store yet
            uris = dt.file_uris() if dt is not None else []
            out[table] = [Path(u.removeprefix("file://")) for u in uris]
        return out

    def damaged_part(self) -> CorpusError | None:
        """Decode every data file in turn (slow; only after a read failed): the error naming the first bad one."""
        for table, files in self.data_files().items():
            for path in files:
                if not path.exists():
                    return CorpusError(
                        f"this {table} data file, named in the Delta log, is missing; restore it from a backup "
                        "or go back to an earlier version (`mtrepair corpus history`)",
                        path=str(path),
                    )
                try:
                    pl.scan_parquet(path).collect()
                except (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError) as exc:
                    return CorpusError(
                        f"damaged Parquet file ({_first_line(exc)}); restore it from a backup", path=str(path)
                    )
        return None

    def translation_memory(self) -> dict[str, str]:
        """Approved (or reviewer-edited) span source → English target, for the translate stage."""
        if self._tables[REVIEWS] is None:
            return {}
        df = self.collect(
            self.decisions()
            .filter(pl.col("status").is_in(ACCEPTED_STATUSES) & pl.col("target").is_not_null())
            .select("source", "target")
        )
        return dict(zip(df["source"].to_list(), df["target"].to_list(), strict=True))

    def history(self) -> list[Commit]:
        """Every commit of every table, newest first."""
        out: list[Commit] = []
        for table in TABLES:
            if not is_table(self.directory, table):
                continue
            dt = load(self.directory, table)
            if dt is None:
                continue
            for h in dt.history():
                metrics = h.get("operationMetrics") or {}
                rows = metrics.get("num_added_rows", h.get("mtrepair.rows"))
                out.append(
                    Commit(
                        table=table,
                        version=int(h["version"]),
                        timestamp=datetime.fromtimestamp(int(h["timestamp"]) / 1000, tz=timezone.utc),
                        operation=str(h.get("operation", "")),
                        summary=str(h.get("mtrepair.summary", "")),
                        rows_added=int(rows) if rows is not None else None,
                    )
                )
        out.sort(key=lambda c: (c.timestamp, c.table != DOCUMENTS, c.version), reverse=True)
        return out

    # ---- writing ---------------------------------------------------------------------

    def _writable(self) -> None:
        if self.as_of is not None:
            raise CorpusError(
                f"opened as of version {self.as_of}, read-only; open the store without --as-of to change it",
                path=str(self.directory),
            )
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CorpusError(
                f"cannot create the corpus store ({exc.strerror or exc})", path=str(self.directory)
            ) from exc
        for table in EAGER_TABLES:
            ensure(self.directory, table)

    def _delete(self, table: str, predicate: str, summary: str) -> int:
        path = table_path(self.directory, table)

        def run() -> int:
            metrics = DeltaTable(str(path)).delete(predicate, commit_properties=props(summary))
            return int(metrics.get("num_deleted_rows", 0) or 0)

        return committing(run, f"delete from {table}", self.directory, self.notify)

    def add_results(
        self, results: Iterable[RepairResult], *, chunk_rows: int = CHUNK_ROWS, summary: str = ""
    ) -> AddSummary:
        """Add repair results; an article already in the store (same original text) is replaced.

        Review decisions live in their own table keyed by span source, so approvals and
        edits made before an article is cleaned again still apply to its new spans.
        """
        now = datetime.now(timezone.utc)
        pending = iter(results)
        first = next(pending, None)
        if first is None:
            return AddSummary()  # nothing to write: the store directory is not even created
        self._writable()
        clock = RevClock(after=self._max_rev())
        buffers = {t: RowBuffer(t) for t in DOCUMENT_TABLES}
        documents: list[AddAction] = []  # written, committed only at the end
        revs: dict[str, int] = {}  # doc_hash -> its rev in this write (the last one for a repeated article)
        repeated: list[int] = []  # revs of an article given twice in this write: superseded at once
        n_doc = n_seg = n_span = n_edit = 0
        what = summary or "add"
        for result in chain([first], pending):
            rev = clock.next()
            doc_hash, s, sp, e = tabulate_result(result, rev, now, buffers)
            if doc_hash in revs:
                repeated.append(revs[doc_hash])
            revs[doc_hash] = rev
            n_doc, n_seg, n_span, n_edit = n_doc + 1, n_seg + s, n_span + sp, n_edit + e
            if max(len(b) for b in buffers.values()) >= chunk_rows:
                self._flush(buffers, documents, what)
        self._flush(buffers, documents, what)
        self.refresh()
        existing = self._existing(list(revs))
        # The commit point: one transaction makes every document of this write live. (A writer
        # killed before it leaves its files unreferenced: invisible, and vacuumed by compact.)
        self._commit(DOCUMENTS, documents, f"{what}: {n_doc} document(s), {len(existing)} replaced")
        self._drop_superseded(existing, min(revs.values()), repeated)
        self.refresh()
        kept = self._count_reviews_for(sorted(revs))
        return AddSummary(n_doc, len(existing) + len(repeated), n_seg, n_span, n_edit, kept)

    def _flush(self, buffers: dict[str, RowBuffer], documents: list[AddAction], what: str) -> None:
        for table, buf in buffers.items():
            if not len(buf):
                continue
            data = pl.DataFrame(buf.take(), schema=schema_of(table))
            action = self._write_part(table, data)
            if table == DOCUMENTS:
                documents.append(action)
            else:
                self._commit(table, [action], f"{what}: {data.height} row(s)")

    def _write_part(self, table: str, data: pl.DataFrame) -> AddAction:
        return write_part(self.directory, table, data)

    def _commit(self, table: str, actions: list[AddAction], summary: str) -> None:
        commit_parts(self.directory, table, actions, "append", summary, self.notify)

    def _max_rev(self) -> int:
        if self._tables[DOCUMENTS] is None:
            return 0
        found = self.collect(self.scan(DOCUMENTS).select(pl.col("rev").max())).item()
        return int(found) if found is not None else 0

    def _existing(self, hashes: list[str]) -> list[str]:
        """Which of ``hashes`` the store already holds."""
        if self._tables[DOCUMENTS] is None:
            return []
        df = self.collect(
            self.scan(DOCUMENTS).select("doc_hash").filter(pl.col("doc_hash").is_in(hashes)).unique().sort("doc_hash")
        )
        return [str(h) for h in df["doc_hash"]]

    def _drop_superseded(self, replaced: list[str], min_rev: int, repeated: list[int]) -> None:
        """Delete the rows of revisions this write superseded (older ones only: never a newer writer's)."""
        predicates = [
            f"rev < {min_rev} AND doc_hash IN ({sql_strings(replaced[i : i + _PREDICATE_CHUNK])})"
            for i in range(0, len(replaced), _PREDICATE_CHUNK)
        ]
        predicates += [
            f"rev IN ({', '.join(str(r) for r in repeated[i : i + _PREDICATE_CHUNK])})"
            for i in range(0, len(repeated), _PREDICATE_CHUNK)
        ]
        # Documents first: once its old document row is gone, an old revision is dead for every reader.
        for table in DOCUMENT_TABLES:
            for predicate in predicates:
                self._delete(table, predicate, "drop superseded revisions")

    def _count_reviews_for(self, hashes: Sequence[str]) -> int:
        if self._tables[REVIEWS] is None:
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
        self._writable()
        now = datetime.now(timezone.utc)
        base = RevClock().next()  # time-ordered across writers: the later decision wins
        data = pl.DataFrame(
            {
                "seq": [base + (i << REV_TOKEN_BITS) for i in range(len(decisions))],
                "source": [d.source for d in decisions],
                "target": [d.target for d in decisions],
                "status": [d.status for d in decisions],
                "reviewer": [d.reviewer for d in decisions],
                "note": [d.note for d in decisions],
                "updated": [now] * len(decisions),
            },
            schema=schema_of(REVIEWS),
        )
        self._commit(REVIEWS, [self._write_part(REVIEWS, data)], f"review: {len(decisions)} decision(s)")
        self.refresh()
        return len(decisions)

    def add_edit_reviews(self, reviews: Sequence[EditReview]) -> int:
        """Append edit review decisions (an append-only log; the latest per key wins)."""
        from ..decisions import edit_key

        for r in reviews:
            if r.decision not in EDIT_DECISIONS:
                raise CorpusError(f"unknown edit decision {r.decision!r}; use one of {', '.join(EDIT_DECISIONS)}")
            # An accepted deletion (a boilerplate line) writes "": only a missing target is wrong.
            if r.decision != "rejected" and r.target is None:
                raise CorpusError(f"an {r.decision} edit needs the English to write: {r.before!r}")
        if not reviews:
            return 0
        self._writable()
        ensure(self.directory, EDIT_REVIEWS)
        now = datetime.now(timezone.utc)
        base = RevClock().next()
        data = pl.DataFrame(
            {
                "seq": [base + (i << REV_TOKEN_BITS) for i in range(len(reviews))],
                "doc_hash": [r.doc_hash for r in reviews],
                "rev": [r.rev for r in reviews],
                "kind": [r.kind for r in reviews],
                "rule": [r.rule for r in reviews],
                "before": [r.before for r in reviews],
                "after": [r.after for r in reviews],
                "key": [edit_key(r.rule, r.before, r.after) for r in reviews],
                "decision": [r.decision for r in reviews],
                "target": [r.target if r.decision != "rejected" else None for r in reviews],
                "reviewer": [r.reviewer for r in reviews],
                "note": [r.note for r in reviews],
                "updated": [now] * len(reviews),
            },
            schema=schema_of(EDIT_REVIEWS),
        )
        self._commit(EDIT_REVIEWS, [self._write_part(EDIT_REVIEWS, data)], f"edit review: {len(reviews)} decision(s)")
        self.refresh()
        return len(reviews)

    def dead_revisions(self, table: str, grace: timedelta = ORPHAN_GRACE) -> pl.LazyFrame:
        """Revisions in ``table`` no reader sees and no running writer can still need.

        Superseded (the document has a live revision that is newer), or orphaned for longer
        than ORPHAN_GRACE (a writer killed before its documents commit).
        """
        cutoff = rev_at(datetime.now(timezone.utc) - grace)
        live = self.scan(DOCUMENTS).group_by("doc_hash").agg(pl.col("rev").max().alias("live_rev"))
        rev = pl.col("rev")
        return (
            self.scan(table)
            .select("doc_hash", "rev")
            .unique()
            .join(live, on="doc_hash", how="left")
            .filter(
                (rev != pl.col("live_rev")).fill_null(True)
                & ((pl.col("live_rev") > rev).fill_null(False) | (rev < cutoff))
            )
            .select("rev")
        )

    def compact(
        self, retain_hours: int = DEFAULT_RETAIN_HOURS, orphan_grace: timedelta = ORPHAN_GRACE
    ) -> CompactSummary:
        """Delete dead revisions, rewrite each table into few large files (Delta optimize), then
        vacuum: remove files that no version of the last ``retain_hours`` hours needs.

        ``orphan_grace``: rows no document names are only dead once this old (a writer may be
        between its child appends and its documents commit).

        Time travel (``--as-of``) reaches back only as far as the retention keeps files.
        """
        if retain_hours < 0:
            raise CorpusError(f"--retain-hours {retain_hours} is negative")
        self._writable()
        self.refresh()
        before = sum(len(f) for f in self.data_files().values())
        dropped = 0
        for table in DOCUMENT_TABLES:
            dead = sorted(int(r) for r in self.collect(self.dead_revisions(table, orphan_grace))["rev"])
            for i in range(0, len(dead), _PREDICATE_CHUNK):
                chunk = ", ".join(str(r) for r in dead[i : i + _PREDICATE_CHUNK])
                n = self._delete(table, f"rev IN ({chunk})", "compact: drop dead revisions")
                if table == DOCUMENTS:
                    dropped += n
        vacuumed = 0
        for table in TABLES:
            if self._tables[table] is None:
                continue  # edit_reviews before its first decision
            vacuumed += self._optimize_and_vacuum(table, retain_hours, orphan_grace)
        self.refresh()
        after = sum(len(f) for f in self.data_files().values())
        return CompactSummary(before, after, dropped, vacuumed)

    def _optimize_and_vacuum(self, table: str, retain_hours: int, orphan_grace: timedelta) -> int:
        path = str(table_path(self.directory, table))
        # Files the log removed: kept ``retain_hours`` for time travel. Files the log never named
        # (a writer killed before its commit, so only a full vacuum, which lists the folder, finds
        # them): kept at least ``orphan_grace``, since a running writer's files look the same
        # until it commits.
        untracked_hours = max(retain_hours, math.ceil(orphan_grace.total_seconds() / 3600))
        committing(
            lambda: DeltaTable(path).optimize.compact(commit_properties=props("compact: optimize")),
            f"optimize {table}",
            self.directory,
            self.notify,
        )
        removed: list[str] = []
        for hours, full in ((retain_hours, False), (untracked_hours, True)):
            removed += committing(
                partial(_vacuum, path, hours, full),
                f"vacuum {table}",
                self.directory,
                self.notify,
            )
        return len(set(removed))


def _vacuum(path: str, hours: int, full: bool) -> list[str]:
    return DeltaTable(path).vacuum(retention_hours=hours, dry_run=False, enforce_retention_duration=False, full=full)


def _commit_time(dt: DeltaTable, version: int) -> datetime:
    # The history of the latest snapshot: delta-rs 1.6 numbers a time-travelled table's history wrongly.
    for h in dt.history():
        if int(h["version"]) == version:
            return datetime.fromtimestamp(int(h["timestamp"]) / 1000, tz=timezone.utc)
    raise CorpusError(f"no version {version} in the history of the documents table")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def open_store(directory: Path, *, as_of: int | None = None, notify: Notify = notify_stderr) -> Corpus:
    """Open the store, migrating a store of the schema-1 format (Parquet parts + MANIFEST.json) first."""
    if as_of is None:
        from .migrate import migrate

        migrate(directory, notify)
    return Corpus(directory, as_of=as_of, notify=notify)


__all__ = ["AddSummary", "Commit", "CompactSummary", "Corpus", "EditReview", "ReviewDecision", "open_store"]
