"""Term proposals: ``corpus suggest-terms`` on the page, each approvable into the glossary in one action."""

from __future__ import annotations

from starlette.responses import Response

from ...corpus.store import Corpus
from ...corpus.suggest import Suggestion, suggest_terms
from ...glossary.review import add_entry
from ..routing import Ctx, route

LIMIT = 200


def _suggestions(ctx: Ctx, min_count: int) -> list[Suggestion]:
    existing = [e.source for e in ctx.web.stores.entries()]

    def build(corpus: Corpus) -> list[Suggestion]:
        return suggest_terms(corpus, min_count=min_count, existing=existing, limit=LIMIT)

    # Cached per store version and glossary content: the glossary changes what is left to propose.
    return ctx.web.stores.cached("suggest", build, extra=(min_count, tuple(existing)))


@route("/proposals")
async def proposals(ctx: Ctx) -> Response:
    try:
        min_count = max(1, min(1000, int(ctx.query("min_count", "2"))))
    except ValueError:
        min_count = 2
    found = await ctx.run(_suggestions, ctx, min_count)
    return ctx.render("proposals.html", suggestions=found, min_count=min_count)


@route("/proposals/approve", "POST")
async def approve(ctx: Ctx) -> Response:
    author = ctx.reviewer()
    status = "proposed" if ctx.field("status") == "proposed" else "approved"
    kind = ctx.field("kind") if ctx.field("kind") in ("term", "variant") else "term"
    case = ctx.field("case") if ctx.field("case") in ("sensitive", "insensitive") else "insensitive"
    entry = await ctx.run(
        add_entry,
        ctx.writable_glossary(),
        source=ctx.field("source"),
        target=ctx.field("target"),
        kind=kind,
        case=case,
        status=status,
        note=ctx.field("note"),
        author=author,
        reason=ctx.field("reason") or "approved from the term proposals page",
    )
    ctx.web.stores.glossary_changed()
    if ctx.htmx:
        return ctx.render("proposal_done.html", entry=entry)
    return ctx.redirect("/proposals")
