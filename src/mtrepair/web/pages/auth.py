"""Sign-in with the token given to ``mtrepair serve``, sign-out, and the reviewer's name."""

from __future__ import annotations

from dataclasses import replace

from starlette.responses import Response

from ..routing import Ctx, route
from ..security import Session, safe_next, token_matches


@route("/login", "GET", public=True)
async def login_page(ctx: Ctx) -> Response:
    if ctx.web.config.token is None or ctx.session.signed_in:
        return ctx.redirect(safe_next(ctx.query("next")))
    return ctx.render("login.html", next=safe_next(ctx.query("next")), failed=False)


@route("/login", "POST", public=True)
async def login(ctx: Ctx) -> Response:
    token = ctx.web.config.token
    if token is None:
        return ctx.redirect("/")
    if not token_matches(ctx.field("token"), token):
        return ctx.render("login.html", 403, next=safe_next(ctx.field("next")), failed=True)
    # A fresh CSRF token at sign-in: nothing learned before it is worth anything after.
    ctx.session = replace(Session.new(), signed_in=True, reviewer=ctx.session.reviewer)
    return ctx.redirect(safe_next(ctx.field("next")))


@route("/logout", "POST")
async def logout(ctx: Ctx) -> Response:
    ctx.web.codec.revoke(ctx.session)  # a copied cookie of this session is refused from now on
    ctx.session = Session.new()
    return ctx.redirect("/login" if ctx.web.config.token is not None else "/")


@route("/reviewer", "POST")
async def set_reviewer(ctx: Ctx) -> Response:
    """The header's name box: remembered in the session for every later decision."""
    ctx.reviewer()
    if ctx.htmx:
        return Response(status_code=204)
    return ctx.redirect(safe_next(ctx.field("next")))
