"""Sessions, sign-in, CSRF and the response headers every page carries.

The session is a signed cookie (HMAC-SHA256 with a key drawn when the server starts,
so a restart signs everyone out): HttpOnly, SameSite=Strict, never readable by a
script. It holds the CSRF token, whether the reviewer signed in, and the reviewer's
name. Every state-changing request must send the CSRF token back, in the form field
``csrf_token`` or the ``X-CSRF-Token`` header (htmx, see static/app.js).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

COOKIE: Final = "mtrepair_session"
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "X-CSRF-Token"
COOKIE_LIMIT: Final = 4096
REVIEWER_LIMIT: Final = 100

# No inline script or style anywhere: htmx is a file, its indicator <style> is switched off
# (templates/base.html), charts are SVG markup.
CSP: Final = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS: Final[tuple[tuple[bytes, bytes], ...]] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)
# Pages hold CSRF tokens and reviewers' data: never stored by a browser or proxy. The static
# files (htmx, style) may be, with their ETag revalidated.
NO_STORE: Final = (b"cache-control", b"no-store")


@dataclass(frozen=True)
class Session:
    csrf: str
    signed_in: bool = False
    reviewer: str = ""

    @staticmethod
    def new() -> Session:
        return Session(csrf=secrets.token_urlsafe(24))


class SessionCodec:
    """Signs and checks the session cookie."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or secrets.token_bytes(32)
        # Sessions signed out on this server: a copy of the cookie taken before sign-out
        # must not work after it. A session is known by its CSRF token (drawn fresh at
        # sign-in); one short string per sign-out, gone with the server like the key.
        self.revoked: set[str] = set()

    def revoke(self, session: Session) -> None:
        self.revoked.add(session.csrf)

    def _mac(self, payload: bytes) -> str:
        return base64.urlsafe_b64encode(hmac.new(self.key, payload, hashlib.sha256).digest()).decode().rstrip("=")

    def dumps(self, session: Session) -> str:
        payload = base64.urlsafe_b64encode(json.dumps(asdict(session), separators=(",", ":")).encode()).decode()
        payload = payload.rstrip("=")
        return f"{payload}.{self._mac(payload.encode())}"

    def loads(self, cookie: str | None) -> Session | None:
        if not cookie or len(cookie) > COOKIE_LIMIT or "." not in cookie:
            return None
        payload, _, mac = cookie.rpartition(".")
        if not hmac.compare_digest(mac, self._mac(payload.encode())):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            session = Session(csrf=str(data["csrf"]), signed_in=bool(data["signed_in"]), reviewer=str(data["reviewer"]))
        except (ValueError, KeyError, TypeError, binascii.Error):
            return None
        return None if session.csrf in self.revoked else session


def set_session_cookie(response: Response, codec: SessionCodec, session: Session) -> None:
    response.set_cookie(COOKIE, codec.dumps(session), httponly=True, samesite="strict", path="/")


def token_matches(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())


def csrf_ok(request: Request, session: Session, form: Mapping[str, Any] | None) -> bool:
    sent = request.headers.get(CSRF_HEADER) or (str(form.get(CSRF_FIELD, "")) if form is not None else "")
    return bool(sent) and hmac.compare_digest(sent.encode(), session.csrf.encode())


def remember_reviewer(session: Session, name: str) -> Session:
    return replace(session, reviewer=name[:REVIEWER_LIMIT])


def safe_next(target: str | None, prefix: str = "/") -> str:
    """Where to go after a form: a path on this site under ``prefix`` (no ``//host``, no scheme;
    no control character or space either: browsers drop a tab, so "/<TAB>/evil" would be "//evil")."""
    if (
        not target
        or not target.startswith(prefix)
        or target.startswith("//")
        or any(c == "\\" or ord(c) < 0x21 or ord(c) == 0x7F for c in target)
    ):
        return prefix
    return target


# -- ASGI middleware: headers on every response, a bound on every request body ------------------------

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    pass


LOOPBACK_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


class Guard:
    """Adds the security headers, refuses (413) a body over the limit for its path, and, when
    ``hosts`` is given, refuses (421) a request for any other Host.

    Without a token the app trusts whoever reaches it, so it must be reached as the loopback
    address itself: a web page whose domain is re-pointed at 127.0.0.1 (DNS rebinding) would
    otherwise be same-origin with the app and could read its pages and forms.
    """

    def __init__(
        self, app: ASGIApp, body_limit: int, limits: dict[str, int], hosts: frozenset[str] | None = None
    ) -> None:
        self.app = app
        self.body_limit = body_limit
        self.limits = limits
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit = self.limits.get(path, self.body_limit)
        headers = SECURITY_HEADERS if path.startswith("/static/") else (*SECURITY_HEADERS, NO_STORE)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in headers if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        if self.hosts is not None and _host(scope) not in self.hosts:
            body = b"This server answers only to its loopback address (127.0.0.1 or localhost)."
            await _refuse(send_with_headers, 421, body)
            return

        length = _content_length(scope)
        if length is not None and length > limit:
            await _too_large(send_with_headers, limit)
            return
        seen = 0
        started = False

        async def bounded_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send_with_headers(message)

        try:
            await self.app(scope, bounded_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _too_large(send_with_headers, limit)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _host(scope: Scope) -> str:
    """The Host header without its port (``[::1]:8765`` → ``[::1]``)."""
    for key, value in scope.get("headers", []):
        if key == b"host":
            host = bytes(value).decode("latin-1").strip().lower()
            if host.startswith("["):
                return host[: host.find("]") + 1]
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""


async def _too_large(send: Send, limit: int) -> None:
    await _refuse(send, 413, f"Request body too large (limit {limit // 1024} KiB).".encode())


async def _refuse(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
