"""The dashboard: what the store holds, edits over time (an SVG chart drawn here), the glossary by status."""

from __future__ import annotations

from collections import Counter

from starlette.responses import Response

from ...corpus.stats import CorpusStats, compute_stats
from ..queries import Chart, chart, timeline
from ..routing import Ctx, route

TOP_UNTRANSLATED = 15


def _stats(ctx: Ctx) -> tuple[CorpusStats, Chart]:
    stores = ctx.web.stores
    stats = stores.cached("stats", lambda c: compute_stats(c, top=TOP_UNTRANSLATED))
    drawn = stores.cached("chart", lambda c: chart(timeline(c)))
    return stats, drawn


@route("/")
async def dashboard(ctx: Ctx) -> Response:
    stats, drawn = await ctx.run(_stats, ctx)
    entries = await ctx.run(ctx.web.stores.entries)
    by_status = Counter(e.status for e in entries)
    by_kind = Counter(e.kind for e in entries)
    return ctx.render(
        "dashboard.html",
        stats=stats,
        chart=drawn,
        glossary_by_status=sorted(by_status.items()),
        glossary_by_kind=sorted(by_kind.items()),
        glossary_total=len(entries),
    )
