"""The review queue: flagged and low-confidence edits and span translations awaiting a decision.

One row per item, newest article first, filtered and paged from the queue frame the
store's version caches (queries.queue_frame). A decision goes to the corpus review
logs through ``corpus.review`` (edits: the edit review log, applied on the next clean;
spans: the span review log, i.e. the translation memory). Each form carries ``seen``,
the decision sequence number the reviewer saw: a decision someone made in between
gives the conflict page instead of a silent overwrite.
"""

from __future__ import annotations

import zlib
from datetime import date
from typing import Any
from urllib.parse import urlencode

import polars as pl
from starlette.responses import Response

from ...corpus import review
from ...corpus.schema import DOCUMENTS, EDIT_REVIEWS, EDITS, REVIEWS, SPANS
from ...errors import CorpusError
from ..queries import (
    QUEUE_TYPES,
    QueueFilter,
    decided_keys,
    edit_items,
    paginate,
    queue_choices,
    queue_frame,
    span_frame,
    undecided,
)
from ..routing import Ctx, route
from ..security import safe_next

FILTERS = ("type", "kind", "rule", "min_conf", "max_conf", "doc", "since", "until")


def _float(value: str, name: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise CorpusError(f"{name} {value!r} is not a number") from None


def _day(value: str, name: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CorpusError(f"{name} {value!r} is not a date; write YYYY-MM-DD") from None


def _int(value: str, default: int = 0) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def parse_filter(ctx: Ctx) -> QueueFilter:
    kind = ctx.query("type", "all")
    return QueueFilter(
        type=kind if kind in QUEUE_TYPES else "all",
        kind=ctx.query("kind"),
        rule=ctx.query("rule"),
        min_conf=_float(ctx.query("min_conf"), "min_conf"),
        max_conf=_float(ctx.query("max_conf"), "max_conf"),
        doc=ctx.query("doc").strip(),
        since=_day(ctx.query("since"), "since"),
        until=_day(ctx.query("until"), "until"),
    )


# Each part is recomputed only when a table it reads changed: a decision about an edit appends
# to edit_reviews, which leaves the (large) edit and span parts cached.
_EDIT_TABLES = (DOCUMENTS, EDITS)
_SPAN_TABLES = (DOCUMENTS, SPANS, REVIEWS)


def _frame(ctx: Ctx) -> pl.DataFrame:
    low = ctx.web.config.low_confidence
    stores = ctx.web.stores
    edits = stores.cached("queue-edits", lambda c: edit_items(c, low), _EDIT_TABLES)
    decided = stores.cached("queue-decided", decided_keys, (EDIT_REVIEWS,))
    spans = stores.cached("queue-spans", span_frame, _SPAN_TABLES)
    return stores.cached(
        "queue", lambda c: queue_frame(undecided(edits, decided), spans), (*_EDIT_TABLES, EDIT_REVIEWS, *_SPAN_TABLES)
    )


def item_id(row: dict[str, Any]) -> str:
    """A stable id for a row's element (data-item-id): the type and where it is."""
    if row["type"] == "span":
        return f"span-{row['doc_hash'][:12]}-{row['start']}"
    rule = zlib.crc32(str(row["rule"]).encode())
    return f"edit-{row['doc_hash'][:12]}-{row['rev']}-{row['start']}-{row['end']}-{rule:08x}"


@route("/queue")
async def queue_page(ctx: Ctx) -> Response:
    f = parse_filter(ctx)
    df = await ctx.run(_frame, ctx)
    filtered = await ctx.run(f.apply, df)
    page = paginate(filtered, _int(ctx.query("page", "1"), 1), ctx.web.config.page_size)
    kinds, rules = queue_choices(df)
    params = {k: ctx.query(k) for k in FILTERS if ctx.query(k)}

    def link(n: int) -> str:
        return "/queue?" + urlencode({**params, "page": str(n)})

    return ctx.render(
        "queue.html",
        page=page,
        rows=[{**r, "item_id": item_id(r)} for r in page.rows],
        f=f,
        params=params,
        kinds=kinds,
        rules=rules,
        prev_link=link(page.page - 1) if page.page > 1 else None,
        next_link=link(page.page + 1) if page.page < page.pages else None,
        low_confidence=ctx.web.config.low_confidence,
    )


def _back(ctx: Ctx) -> str:
    return safe_next(ctx.field("back"), "/queue")


@route("/queue/edit/decide", "POST")
async def decide_edit(ctx: Ctx) -> Response:
    reviewer = ctx.reviewer()
    verb = ctx.field("decision")
    corpus = await ctx.run(ctx.web.stores.corpus)
    result = await ctx.run(
        review.decide_edit,
        corpus,
        doc_hash=ctx.field("doc_hash"),
        rev=_int(ctx.field("rev"), -1),
        start=_int(ctx.field("start"), -1),
        end=_int(ctx.field("end"), -1),
        rule=ctx.field("rule"),
        verb=verb,
        reviewer=reviewer,
        target=ctx.field("after"),
        note=ctx.field("reason") or ctx.field("note"),
        seen=_int(ctx.field("seen"), 0),
    )
    ctx.web.stores.changed(EDIT_REVIEWS)
    if ctx.htmx:
        return ctx.render(
            "queue_decided.html",
            item_id=ctx.field("item_id"),
            decision=result.decision,
            before=result.before,
            target=result.target,
            what="edit",
        )
    return ctx.redirect(_back(ctx))


@route("/queue/span/decide", "POST")
async def decide_span(ctx: Ctx) -> Response:
    reviewer = ctx.reviewer()
    corpus = await ctx.run(ctx.web.stores.corpus)
    result = await ctx.run(
        review.decide_span,
        corpus,
        ctx.field("source"),
        verb=ctx.field("decision"),
        reviewer=reviewer,
        target=ctx.field("target"),
        note=ctx.field("reason") or ctx.field("note"),
        seen=_int(ctx.field("seen"), 0),
    )
    ctx.web.stores.changed(REVIEWS)
    if ctx.htmx:
        return ctx.render(
            "queue_decided.html",
            item_id=ctx.field("item_id"),
            decision=result.status,
            before=result.source,
            target=result.target,
            what="span",
        )
    return ctx.redirect(_back(ctx))
