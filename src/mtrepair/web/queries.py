"""The questions the pages ask the corpus store, as polars queries (presentation only).

Nothing here decides anything about repairs: it selects, joins, counts and slices
what the pipeline and the reviewers already wrote. Queries stay lazy until a page
needs its slice; the review queue's unfiltered frame is computed once per store
version (``Stores.cached``) and each request filters and pages that frame in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import polars as pl

from ..corpus.schema import EDIT_REVIEWS, NAME, REVIEW_STATUSES, REVIEWS, UNTRANSLATED
from ..corpus.store import Corpus
from ..decisions import key_expr

QUEUE_TYPES: Final = ("all", "edit", "span")
# A span the translate stage rendered with an approved glossary term (translate/spans.py) was
# decided by a person when the term was approved: not a queue item (web2's report: "guarderías"
# → "daycare centers" reappeared after its term was approved).
GLOSSARY_SPAN: Final = "glossary"
QUEUE_SCHEMA: Final = pl.Schema(
    {
        "type": pl.String(),
        "doc_hash": pl.String(),
        "doc_id": pl.String(),
        "rev": pl.Int64(),
        "start": pl.Int64(),
        "end": pl.Int64(),
        "kind": pl.String(),
        "rule": pl.String(),
        "confidence": pl.Float64(),
        "before": pl.String(),
        "after": pl.String(),
        "status": pl.String(),
        "added": pl.Datetime("us", "UTC"),
        "day": pl.Date(),
        "count": pl.Int64(),
        "seen": pl.Int64(),
    }
)


def _documents(corpus: Corpus) -> pl.LazyFrame:
    return corpus.documents().select("rev", "doc_id", "added", "day")


def edit_items(corpus: Corpus, low_confidence: float) -> pl.DataFrame:
    """Edits waiting for a reviewer: flagged ones and applied ones under ``low_confidence``, with
    their decision key (``decisions.edit_key``); ``undecided`` drops those a reviewer decided."""
    if not corpus.exists:
        return pl.DataFrame(schema={**QUEUE_SCHEMA, "key": pl.String()})
    edits = corpus.edits().filter(
        (pl.col("before") != pl.col("after"))
        & ((pl.col("status") == "flagged") | (pl.col("confidence") < low_confidence))
    )
    return corpus.collect(
        edits.join(_documents(corpus), on="rev", how="inner").select(
            pl.lit("edit").alias("type"),
            "doc_hash",
            "doc_id",
            "rev",
            "start",
            "end",
            "kind",
            "rule",
            "confidence",
            "before",
            "after",
            "status",
            "added",
            "day",
            pl.lit(1, pl.Int64).alias("count"),
            pl.lit(0, pl.Int64).alias("seen"),
            key_expr().alias("key"),
        )
    )


def decided_keys(corpus: Corpus) -> pl.Series:
    """Keys of every edit a reviewer decided about."""
    if corpus.table(EDIT_REVIEWS) is None:
        return pl.Series("key", [], pl.String())
    return corpus.collect(corpus.scan(EDIT_REVIEWS).select(pl.col("key").unique()))["key"]


def undecided(edits: pl.DataFrame, decided: pl.Series) -> pl.DataFrame:
    return edits.filter(~pl.col("key").is_in(decided.implode())).drop("key") if decided.len() else edits.drop("key")


def span_items(corpus: Corpus) -> pl.LazyFrame:
    """Spanish span translations waiting for a decision, one row per source (a decision is
    about the source everywhere), dated by the newest article that holds it."""
    pending = corpus.reviewed_spans().filter(
        (pl.col("label") != NAME) & ~pl.col("status").is_in([*REVIEW_STATUSES, UNTRANSLATED, GLOSSARY_SPAN])
    )
    per_source = (
        pending.join(_documents(corpus), on="rev", how="inner")
        .sort("added", descending=True)
        .group_by("source")
        .agg(
            pl.col("doc_hash").first(),
            pl.col("doc_id").first(),
            pl.col("rev").first(),
            pl.col("start").first(),
            pl.col("end").first(),
            pl.col("target").drop_nulls().mode().sort().first().alias("after"),
            pl.col("engine").first().alias("rule"),
            pl.col("confidence").min(),
            pl.col("status").first(),
            pl.col("added").max(),
            pl.col("day").max(),
            pl.len().cast(pl.Int64).alias("count"),
        )
    )
    if corpus.table(REVIEWS) is not None:
        seqs = corpus.decisions().select("source", pl.col("seq").alias("seen"))
        per_source = per_source.join(seqs, on="source", how="left")
    else:
        per_source = per_source.with_columns(pl.lit(None, pl.Int64).alias("seen"))
    return per_source.select(
        pl.lit("span").alias("type"),
        "doc_hash",
        "doc_id",
        "rev",
        "start",
        "end",
        pl.lit("span").alias("kind"),
        pl.col("rule").fill_null(""),
        "confidence",
        pl.col("source").alias("before"),
        "after",
        "status",
        "added",
        "day",
        "count",
        pl.col("seen").fill_null(0),
    )


def span_frame(corpus: Corpus) -> pl.DataFrame:
    if not corpus.exists:
        return pl.DataFrame(schema=QUEUE_SCHEMA)
    return corpus.collect(span_items(corpus).select(list(QUEUE_SCHEMA)).cast(QUEUE_SCHEMA))


def queue_frame(edits: pl.DataFrame, spans: pl.DataFrame) -> pl.DataFrame:
    """Every item waiting for a reviewer, newest article first (``edits`` already undecided)."""
    both = pl.concat([edits.select(list(QUEUE_SCHEMA)).cast(QUEUE_SCHEMA), spans], how="vertical")
    return both.sort(
        ["day", "added", "doc_hash", "start", "type"],
        descending=[True, True, False, False, False],
        nulls_last=True,
    )


@dataclass(frozen=True)
class QueueFilter:
    type: str = "all"
    kind: str = ""
    rule: str = ""
    min_conf: float | None = None
    max_conf: float | None = None
    doc: str = ""
    since: date | None = None
    until: date | None = None

    def apply(self, df: pl.DataFrame) -> pl.DataFrame:
        conditions: list[pl.Expr] = []
        if self.type in ("edit", "span"):
            conditions.append(pl.col("type") == self.type)
        if self.kind:
            conditions.append(pl.col("kind") == self.kind)
        if self.rule:
            conditions.append(pl.col("rule").str.contains(self.rule, literal=True))
        if self.min_conf is not None:
            conditions.append(pl.col("confidence") >= self.min_conf)
        if self.max_conf is not None:
            conditions.append(pl.col("confidence") <= self.max_conf)
        if self.doc:
            conditions.append(
                pl.col("doc_id").str.contains(self.doc, literal=True) | pl.col("doc_hash").str.starts_with(self.doc)
            )
        if self.since is not None:
            conditions.append(pl.col("day") >= self.since)
        if self.until is not None:
            conditions.append(pl.col("day") <= self.until)
        return df.filter(pl.all_horizontal(conditions)) if conditions else df


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def paginate(df: pl.DataFrame, page: int, size: int) -> Page:
    total = df.height
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    return Page(df.slice((page - 1) * size, size).to_dicts(), total, page, pages)


def queue_choices(df: pl.DataFrame) -> tuple[list[str], list[str]]:
    """The kinds and rules present in the queue, for the filter menus."""
    kinds = sorted(str(k) for k in df.get_column("kind").unique().drop_nulls())
    rules = sorted(str(r) for r in df.filter(pl.col("type") == "edit").get_column("rule").unique().drop_nulls())
    return kinds, rules[:500]


# -- one article ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    doc: dict[str, Any]
    edits: list[dict[str, Any]]
    spans: list[dict[str, Any]]


def article(corpus: Corpus, doc_hash: str) -> Article | None:
    if not corpus.exists:
        return None
    docs = corpus.collect(corpus.documents().filter(pl.col("doc_hash") == doc_hash))
    if docs.height == 0:
        return None
    doc = docs.row(0, named=True)
    rev = doc["rev"]
    edits = corpus.collect(corpus.edits().filter(pl.col("rev") == rev).sort("start", "end")).to_dicts()
    spans = corpus.collect(corpus.reviewed_spans().filter(pl.col("rev") == rev).sort("start")).to_dicts()
    return Article(doc, edits, spans)


def documents_page(corpus: Corpus, q: str, page: int, size: int) -> Page:
    if not corpus.exists:
        return Page([], 0, 1, 1)
    lf = corpus.documents().select("doc_hash", "doc_id", "title", "date", "day", "source", "added")
    if q:
        lf = lf.filter(
            pl.col("doc_id").str.contains(q, literal=True)
            | pl.col("title").fill_null("").str.contains(q, literal=True)
            | pl.col("doc_hash").str.starts_with(q)
        )
    total = int(corpus.collect(lf.select(pl.len())).item())
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    rows = corpus.collect(
        lf.sort(["day", "added", "doc_id"], descending=[True, True, False], nulls_last=True).slice(
            (page - 1) * size, size
        )
    )
    return Page(rows.to_dicts(), total, page, pages)


# -- the dashboard -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    """Edits per article date (else the day it was added), applied and flagged."""

    days: list[str] = field(default_factory=list)
    applied: list[int] = field(default_factory=list)
    flagged: list[int] = field(default_factory=list)


def timeline(corpus: Corpus, buckets: int = 30) -> Timeline:
    if not corpus.exists:
        return Timeline()
    docs = corpus.documents().select("rev", pl.coalesce(pl.col("day"), pl.col("added").dt.date()).alias("when"))
    counts = corpus.collect(
        corpus.edits()
        .filter(pl.col("before") != pl.col("after"))
        .select("rev", (pl.col("status") == "applied").alias("applied"))
        .join(docs, on="rev", how="inner")
        .group_by("when")
        .agg(pl.col("applied").sum().alias("a"), (~pl.col("applied")).sum().alias("f"))
        .sort("when", descending=True)
        .head(buckets)
        .sort("when")
    )
    return Timeline([str(d) for d in counts["when"]], [int(a) for a in counts["a"]], [int(f) for f in counts["f"]])


@dataclass(frozen=True)
class Bar:
    x: float
    y_applied: float
    h_applied: float
    y_flagged: float
    h_flagged: float
    label: str
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    top: int  # the value of the top grid line
    ticks: list[tuple[float, str]]  # (y, label)


def chart(t: Timeline, width: int = 720, height: int = 220, margin: int = 30) -> Chart:
    """Stacked bars (applied below, flagged above) as numbers the SVG template draws."""
    totals = [a + f for a, f in zip(t.applied, t.flagged, strict=True)]
    top = max(totals, default=0) or 1
    plot_h = height - 2 * margin
    step = (width - 2 * margin) / max(1, len(totals))
    bars: list[Bar] = []
    # Month-day labels unless the bars span more than one year (seed dates: 2021 and 2022).
    one_year = len({d[:4] for d in t.days}) <= 1
    for i, (day, a, f) in enumerate(zip(t.days, t.applied, t.flagged, strict=True)):
        h_a = plot_h * a / top
        h_f = plot_h * f / top
        base = height - margin
        bars.append(
            Bar(
                x=round(margin + i * step + step * 0.1, 1),
                y_applied=round(base - h_a, 1),
                h_applied=round(h_a, 1),
                y_flagged=round(base - h_a - h_f, 1),
                h_flagged=round(h_f, 1),
                label=day[5:] if one_year and len(day) == 10 else day,
                title=f"{day}: {a} applied, {f} flagged",
            )
        )
    ticks = [(round(height - margin - plot_h * k / 4, 1), str(round(top * k / 4))) for k in range(5)]
    return Chart(width, height, bars, top, ticks)


def glossary_rows(entries: Sequence[Any], q: str, status: str, kind: str) -> list[Any]:
    needle = q.casefold()
    out = []
    for e in entries:
        if status and e.status != status:
            continue
        if kind and e.kind != kind:
            continue
        if needle and not any(needle in v.casefold() for v in (e.id, e.source, e.target, e.note)):
            continue
        out.append(e)
    return out


def conflicts(entries: Sequence[Any]) -> list[tuple[str, list[Any]]]:
    """Sources with more than one English (terms and variants not rejected): a reviewer must choose."""
    from ..glossary.entry import match_key

    groups: dict[tuple[str, str], list[Any]] = {}
    for e in entries:
        if e.status == "rejected" or e.kind not in ("term", "variant"):
            continue
        groups.setdefault((e.kind, match_key(e.source)), []).append(e)
    out = []
    for (_kind, _key), group in sorted(groups.items()):
        if len({e.target for e in group}) > 1:
            out.append((group[0].source, group))
    return out
