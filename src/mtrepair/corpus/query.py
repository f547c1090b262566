"""Lazy queries over the store: the export frames (segments, spans, terms) and their filters.

Everything here returns a ``pl.LazyFrame``; nothing is collected, so an export
streams from the Delta tables to the output file in batches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final, Literal

import polars as pl

from ..errors import CorpusError
from .export import ExportMeta, ExportResult, write_export
from .schema import ACCEPTED_STATUSES, EXPORT_COLUMNS, NAME, UNTRANSLATED
from .store import Corpus

Kind = Literal["segments", "spans", "terms"]
Dedup = Literal["none", "exact", "normalized"]
# The TMX tuid of a row, where the store holds one (segment pairs); not an export column.
TUID: Final = "_tuid"
KINDS: Final = ("segments", "spans", "terms")
DEDUPS: Final = ("none", "exact", "normalized")
SEGMENT_STATUSES: Final = ("repaired", "unchanged")

# Normalized dedup: NFKC, lower case, whitespace runs collapsed, outer punctuation and spaces gone,
# so "El Director-General." and "el  Director-General" count as one pair.
_OUTER = " \t\n\r\f\v\u00a0\u2028\u2029.,;:!?¡¿\"'()[]{}«»“”‘’-–—…*·"
# Runs of two or more spaces, or any other whitespace: the only places worth a replacement
# (a regex matching every single space is ten times slower on a million segments).
_SPACES = r"\s{2,}|[\t\n\r\f\v\x{a0}\x{85}\x{2028}\x{2029}]"
_NON_ASCII = r"[^\x00-\x7F]"


@dataclass(frozen=True)
class ExportFilter:
    kind: Kind = "spans"
    statuses: tuple[str, ...] = ()
    min_confidence: float | None = None
    since: date | None = None
    until: date | None = None
    dedup: Dedup = "none"
    include_untranslated: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise CorpusError(f"unknown kind {self.kind!r}; use one of {', '.join(KINDS)}")
        if self.dedup not in DEDUPS:
            raise CorpusError(f"unknown dedup {self.dedup!r}; use one of {', '.join(DEDUPS)}")
        if self.since and self.until and self.since > self.until:
            raise CorpusError(f"--since {self.since} is after --until {self.until}")
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise CorpusError(f"--min-confidence {self.min_confidence} is not between 0 and 1")


def normalized(col: str) -> pl.Expr:
    text = pl.col(col).fill_null("")
    # NFKC only where it can change something: ASCII text is already in NFKC.
    nfkc = pl.coalesce(pl.when(text.str.contains(_NON_ASCII)).then(text).str.normalize("NFKC"), text)
    return nfkc.str.to_lowercase().str.replace_all(_SPACES, " ").str.strip_chars(_OUTER)


def _documents(corpus: Corpus) -> pl.LazyFrame:
    return corpus.documents().select("rev", "doc_id", pl.col("day").alias("date"), pl.col("engine").alias("doc_engine"))


def segment_pairs(corpus: Corpus) -> pl.LazyFrame:
    """Raw MT English → repaired English, one row per segment (a post-editing corpus)."""
    return (
        corpus.segments()
        .join(_documents(corpus), on="rev", how="left", maintain_order="left")
        .select(
            pl.col("original").alias("source"),
            pl.col("repaired").alias("target"),
            pl.when(pl.col("n_edits") > 0).then(pl.lit("repaired")).otherwise(pl.lit("unchanged")).alias("status"),
            "confidence",
            pl.col("doc_engine").alias("engine"),
            "doc_id",
            "date",
            pl.lit(1, dtype=pl.Int64).alias("count"),
            pl.col("pair_id").alias(TUID),
        )
    )


def span_pairs(corpus: Corpus) -> pl.LazyFrame:
    """Spanish span → English translation, one row per occurrence, review decisions applied."""
    return (
        corpus.reviewed_spans()
        .filter(pl.col("label") != NAME)
        .join(_documents(corpus).drop("doc_engine"), on="rev", how="left", maintain_order="left")
        .select(
            "source",
            "target",
            "status",
            "confidence",
            "engine",
            "doc_id",
            "date",
            pl.lit(1, dtype=pl.Int64).alias("count"),
        )
    )


def term_pairs(spans: pl.LazyFrame) -> pl.LazyFrame:
    """One row per Spanish source: its reviewed (else most frequent) translation and counts."""
    translated = spans.filter(pl.col("status") != UNTRANSLATED)
    best = (
        translated.group_by("source", "target")
        .agg(
            pl.len().alias("n"),
            pl.col("status").is_in(ACCEPTED_STATUSES).any().alias("reviewed"),
        )
        .sort(["source", "reviewed", "n", "target"], descending=[False, True, True, False])
        .unique(subset="source", keep="first")
        .select("source", "target")
    )
    return (
        translated.join(best, on=["source", "target"], how="semi")
        .group_by("source", "target")
        .agg(
            pl.when(pl.col("status").is_in(ACCEPTED_STATUSES).any())
            .then(pl.col("status").filter(pl.col("status").is_in(ACCEPTED_STATUSES)).first())
            .otherwise(pl.col("status").mode().sort().first())
            .alias("status"),
            pl.col("confidence").mean().alias("confidence"),
            pl.col("engine").drop_nulls().mode().sort().first().alias("engine"),
            pl.lit(None, dtype=pl.String).alias("doc_id"),
            pl.col("date").max().alias("date"),
            pl.col("count").sum().alias("count"),
        )
        .sort("count", "source", descending=[True, False])
        .select(list(EXPORT_COLUMNS))
    )


def _dedup(lf: pl.LazyFrame, how: Dedup) -> pl.LazyFrame:
    """Keep the first row of each duplicate pair; its ``count`` becomes the sum over the pair's rows.

    Two passes instead of one ``group_by`` over every column: the first groups a 128-bit
    key (two independent 64-bit hashes of the pair) and keeps the first row number and the
    summed count, the second streams the rows again and keeps the first ones. Only the
    keys are held in memory: a million segments dedup in a few hundred MB, not gigabytes.
    Two different pairs would have to collide on both hashes to be merged (~1e-26 for 1e6 pairs).
    """
    if how == "none":
        return lf
    if how == "exact":
        pair = pl.concat_str([pl.col("source").fill_null(""), pl.col("target").fill_null("")], separator="\x00")
    else:
        pair = pl.concat_str([normalized("source"), normalized("target")], separator="\x00")
    names = lf.collect_schema().names()  # the export columns, and the tuid when it travels along
    rows = lf.with_row_index("_row")
    first = (
        rows.select("_row", "count", pair.alias("_pair"))
        .select("_row", "count", pl.col("_pair").hash(seed=0).alias("_k0"), pl.col("_pair").hash(seed=1).alias("_k1"))
        .group_by("_k0", "_k1")
        .agg(pl.col("_row").min(), pl.col("count").sum().alias("_count"))
        .select("_row", "_count")
    )
    return (
        rows.join(first, on="_row", how="inner", maintain_order="left")
        .with_columns(pl.col("_count").alias("count"))
        .select(names)
    )


def export_frame(corpus: Corpus, f: ExportFilter, *, tuids: bool = False) -> pl.LazyFrame:
    """The rows an export writes, with the export columns, filtered and deduplicated.

    ``tuids``: also the stored ``_tuid`` (segment pairs' ``pair_id``) for the TMX writer.
    """
    lf = segment_pairs(corpus) if f.kind == "segments" else span_pairs(corpus)
    # Date range first: terms count only the occurrences inside it.
    if f.since is not None:
        lf = lf.filter(pl.col("date") >= f.since)
    if f.until is not None:
        lf = lf.filter(pl.col("date") <= f.until)
    if f.kind == "terms":
        lf = term_pairs(lf)
    elif not f.include_untranslated:
        lf = lf.filter(pl.col("status") != UNTRANSLATED)
    # Rejected translations are never training data unless asked for by status.
    lf = lf.filter(pl.col("status").is_in(f.statuses) if f.statuses else pl.col("status") != "rejected")
    if f.min_confidence is not None:
        lf = lf.filter(pl.col("confidence") >= f.min_confidence)
    if not tuids:
        lf = lf.select(list(EXPORT_COLUMNS))
    return _dedup(lf, f.dedup)


def export_corpus(corpus: Corpus, f: ExportFilter, path: Path, fmt: str, meta: ExportMeta) -> ExportResult:
    """Filter, deduplicate and write the corpus to ``path`` in ``fmt``, streaming.

    A read failure half-way (a damaged part) leaves no partial file and names the part.
    """
    try:
        return write_export(export_frame(corpus, f, tuids=fmt == "tmx"), path, fmt, meta)
    except CorpusError as exc:
        # polars reports a damaged input and a failed output alike; tell them apart.
        failed_read = isinstance(exc.__cause__, (pl.exceptions.PolarsError, pl.exceptions.PanicException))
        damaged = corpus.damaged_part() if failed_read else None
        if damaged is not None:
            raise damaged from exc
        raise
