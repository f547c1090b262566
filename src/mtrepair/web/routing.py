"""The page registry and what every request goes through before a page sees it.

Each page module registers its handlers with ``@route(path, methods)``; ``endpoint``
wraps them: the session cookie is read (or a new one made), a token-protected app
sends anyone not signed in to ``/login``, every POST must carry the session's CSRF
token, and library errors become an error page (400), a stale decision the conflict
page (409). Handlers get a ``Ctx`` and run blocking library calls through ``ctx.run``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote

from jinja2 import Environment
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..errors import MtrepairError
from .config import ServeConfig
from .security import (
    COOKIE,
    CSRF_FIELD,
    REVIEWER_LIMIT,
    Session,
    SessionCodec,
    csrf_ok,
    remember_reviewer,
    set_session_cookie,
)
from .state import Stores

P = ParamSpec("P")
T = TypeVar("T")
FORM_FIELDS = 100


@dataclass
class WebState:
    """What every request needs; one per app, on ``app.state.web``."""

    config: ServeConfig
    stores: Stores
    codec: SessionCodec
    templates: Environment


class Conflict(Exception):
    """A write based on a version that is no longer current: render both, write nothing."""

    def __init__(self, what: str, theirs: Mapping[str, Any], yours: Mapping[str, Any], back: str) -> None:
        super().__init__(what)
        self.what = what
        self.theirs = theirs
        self.yours = yours
        self.back = back


class NeedReviewer(Exception):
    pass


@dataclass
class Ctx:
    request: Request
    web: WebState
    session: Session
    form: FormData | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def htmx(self) -> bool:
        return self.request.headers.get("HX-Request") == "true"

    def field(self, name: str, default: str = "") -> str:
        """A text form field (a file field counts as absent)."""
        if self.form is None:
            return default
        value = self.form.get(name)
        return value if isinstance(value, str) else default

    def upload(self, name: str) -> UploadFile | None:
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, UploadFile) else None

    def query(self, name: str, default: str = "") -> str:
        return self.request.query_params.get(name, default)

    def reviewer(self) -> str:
        """The reviewer named in the form, else the one this session last used; remembered."""
        name = " ".join(self.field("reviewer").split())[:REVIEWER_LIMIT] or self.session.reviewer
        if not name:
            raise NeedReviewer
        self.session = remember_reviewer(self.session, name)
        return name

    def writable_glossary(self) -> Path:
        """The glossary folder to write; GlossaryError (a 400 page) for the shipped read-only copy."""
        from ..glossary.location import GlossaryLocation, require_writable

        config = self.web.config
        return require_writable(GlossaryLocation(config.glossary, "--glossary", read_only=config.glossary_read_only))

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await run_in_threadpool(fn, *args, **kwargs)

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        headers = dict(self.headers)
        if status >= 400 and self.htmx:
            # htmx swaps error pages too (base.html's responseHandling); they replace the page's
            # main column, not the queue row that asked.
            headers |= {"HX-Retarget": "#main", "HX-Reswap": "innerHTML"}
        html = self.web.templates.get_template(template).render(
            htmx=self.htmx,
            csrf_token=self.session.csrf,
            csrf_field=CSRF_FIELD,
            reviewer=self.session.reviewer,
            signed_in=self.session.signed_in,
            token_required=self.web.config.token is not None,
            glossary_read_only=self.web.config.glossary_read_only,
            path=self.request.url.path,
            here=self.request.url.path + (f"?{self.request.url.query}" if self.request.url.query else ""),
            **values,
        )
        return HTMLResponse(html, status_code=status, headers=headers)

    def redirect(self, url: str) -> Response:
        if self.htmx:
            return Response(status_code=204, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)


Handler = Callable[[Ctx], Awaitable[Response]]


@dataclass(frozen=True)
class RouteSpec:
    path: str
    methods: tuple[str, ...]
    handler: Handler
    public: bool  # reachable without signing in (the sign-in page itself)


REGISTRY: list[RouteSpec] = []


def route(path: str, *methods: str, public: bool = False) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        REGISTRY.append(RouteSpec(path, tuple(methods or ("GET",)), handler, public))
        return handler

    return register


def endpoint(spec: RouteSpec) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        web: WebState = request.app.state.web
        found = web.codec.loads(request.cookies.get(COOKIE))
        session = found or Session.new()
        ctx = Ctx(request, web, session)
        if web.config.token is not None and not session.signed_in and not spec.public:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            response = ctx.redirect(f"/login?next={quote(target, safe='')}")
        elif request.method == "POST" and not await _csrf_passes(ctx):
            response = ctx.render("error.html", 403, error_id="csrf-error", title="Refused", message=_CSRF_MESSAGE)
        else:
            response = await _handle(spec.handler, ctx)
        if found is None or ctx.session != found:
            set_session_cookie(response, web.codec, ctx.session)
        return response

    return run


_CSRF_MESSAGE = (
    "This request did not carry this session's form token, so nothing was changed. Reload the page and try again."
)


async def _csrf_passes(ctx: Ctx) -> bool:
    content_type = ctx.request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        limit = ctx.web.config.import_limit if ctx.request.url.path == "/glossary/import" else ctx.web.config.body_limit
        ctx.form = await ctx.request.form(max_files=1, max_fields=FORM_FIELDS, max_part_size=limit)
    return csrf_ok(ctx.request, ctx.session, ctx.form)


async def _handle(handler: Handler, ctx: Ctx) -> Response:
    from ..corpus.review import StaleReview

    try:
        return await handler(ctx)
    except NeedReviewer:
        return ctx.render(
            "error.html",
            400,
            error_id="reviewer-error",
            title="Who is reviewing?",
            message="Enter your name in the reviewer box: every change records who made it.",
        )
    except Conflict as c:
        return ctx.render("conflict.html", 409, what=c.what, theirs=c.theirs, yours=c.yours, back=c.back)
    except StaleReview as exc:
        yours = {k: ctx.field(k) for k in ("decision", "after", "target", "note") if ctx.field(k)}
        back = ctx.request.headers.get("referer") or "/queue"
        current = {k: ("" if v is None else str(v)) for k, v in exc.current.items()}
        return ctx.render("conflict.html", 409, what=exc.message, theirs=current, yours=yours, back=_local(back))
    except HTTPException as exc:
        if exc.status_code == 404:
            return ctx.render("error.html", 404, error_id="not-found", title="Not found", message=str(exc.detail))
        raise
    except MtrepairError as exc:
        return ctx.render("error.html", 400, error_id="error", title="Not done", message=exc.message)


def _local(url: str) -> str:
    """The path and query of a Referer on this site (never another site's address)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//"):
        return "/"
    return path + (f"?{parts.query}" if parts.query else "")


def not_found(what: str) -> HTTPException:
    return HTTPException(404, what)
