"""One article: original and repaired side by side, every edit marked, the glossary beside it."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ...glossary.explain import Explanation, explain
from ..highlight import glossary_usage, sides
from ..queries import article, documents_page
from ..routing import Ctx, not_found, route

HASH_CHARS = frozenset("0123456789abcdef")


def _doc_hash(ctx: Ctx) -> str:
    value = str(ctx.request.path_params["doc_hash"])
    # A content hash, only ever compared with the store's column (never a path).
    if not value or len(value) > 128 or not set(value) <= HASH_CHARS:
        raise not_found("no such document")
    return value


@route("/docs")
async def documents(ctx: Ctx) -> Response:
    try:
        number = int(ctx.query("page", "1"))
    except ValueError:
        number = 1
    corpus = await ctx.run(ctx.web.stores.corpus)
    page = await ctx.run(documents_page, corpus, ctx.query("q").strip(), number, ctx.web.config.page_size)
    return ctx.render("docs.html", page=page, q=ctx.query("q"))


@route("/doc/{doc_hash}")
async def article_page(ctx: Ctx) -> Response:
    doc_hash = _doc_hash(ctx)
    corpus = await ctx.run(ctx.web.stores.corpus)
    found = await ctx.run(article, corpus, doc_hash)
    if found is None:
        raise not_found("no document with that hash in the corpus store")
    text = str(found.doc["text"])
    drawn = sides(text, found.edits)
    entries = await ctx.run(ctx.web.stores.entries)
    used, missed = glossary_usage(entries, found.edits, text)
    flagged = [e for e in found.edits if e["status"] == "flagged" and e["before"] != e["after"]]
    applied = [e for e in found.edits if e["status"] == "applied" and e["before"] != e["after"]]
    stored = str(found.doc["repaired"] or "")
    rebuilt = "".join(p.text for p in drawn.repaired)
    return ctx.render(
        "article.html",
        doc=found.doc,
        sides=drawn,
        # The marks are rebuilt from the edits; if that ever disagrees with the stored repaired
        # text, the page says so and shows the stored text (it is what was exported).
        consistent=rebuilt == stored,
        stored_repaired=stored,
        used=used,
        missed=missed,
        flagged=flagged,
        applied=applied,
        spans=[s for s in found.spans if s["label"] != "name"],
    )


def _explain(ctx: Ctx, entry_id: str, text: str, doc_id: str) -> Explanation:
    return explain(ctx.web.stores.glossary_dir, entry_id, text, doc_id=doc_id)


@route("/doc/{doc_hash}/explain/{entry_id}")
async def explain_fragment(ctx: Ctx) -> Response:
    """Why an approved entry did not apply here (``glossary explain``), loaded after the page."""
    doc_hash = _doc_hash(ctx)
    entry_id = str(ctx.request.path_params["entry_id"])
    corpus = await ctx.run(ctx.web.stores.corpus)
    found = await ctx.run(article, corpus, doc_hash)
    if found is None:
        raise not_found("no document with that hash in the corpus store")
    if not any(e.id == entry_id for e in await ctx.run(ctx.web.stores.entries)):
        raise not_found("no glossary entry with that id")
    result = await ctx.run(_explain, ctx, entry_id, str(found.doc["text"]), str(found.doc["doc_id"]))
    reasons: list[dict[str, Any]] = [
        {
            "text": p.text,
            "applied": p.applied,
            # explain runs today's glossary: an entry that applies now was added or approved after
            # this article was cleaned.
            "reason": p.reason or "applies with the glossary as it is now: clean the article again",
            "how": p.how,
        }
        for p in result.places
    ]
    return ctx.render("explain.html", entry_id=entry_id, reasons=reasons)
