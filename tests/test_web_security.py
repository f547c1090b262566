"""``mtrepair serve``'s security model over real HTTP (issue 13): host/token refusal, sign-in and
its cookie (forged ones refused), loopback Host names only without a token, CSRF on every
state-changing request, the Content-Security-Policy and no inline script, escaping of
article/glossary/reviewer text, the body limit, and no file read or written through a URL, an
upload's name or an XML entity.

Two real servers on one store per module: one on loopback without a token (the default a
reviewer runs on a laptop) and one on ``0.0.0.0`` with a token (a newsroom LAN).
"""

from __future__ import annotations

import http.client
import re
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from webharness import (
    DAYCARE_ARTICLE,
    HOSTILE_ARTICLE,
    HOSTILE_ENTRY,
    HOSTILE_ENTRY_ID,
    SAMPLES,
    Server,
    Workspace,
    add_hostile_entry,
    cli,
    csrf_token,
    doc_hash_of,
    free_port,
    make_workspace,
    running,
    serve_args,
    signed_in_client,
    start_server,
    write_article,
)

pytestmark = pytest.mark.slow

TOKEN = "s3cret-review-token-for-tests"
SECRET = "TOP-SECRET-MARKER-7f3a"  # planted beside the store and glossary; no URL may read it
BODY_LIMIT = 2 * 1024 * 1024
IMPORT_LIMIT = 16 * 1024 * 1024


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("websec")
    articles = root / "articles"
    paths = [
        SAMPLES / "002_dbae9789e0361efb.txt",
        write_article(articles, "hostile.txt", HOSTILE_ARTICLE),
        write_article(articles, "daycare.txt", DAYCARE_ARTICLE),
    ]
    space = make_workspace(root, paths, min_confidence=0.95)
    add_hostile_entry(space)
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    return space


@pytest.fixture(scope="module")
def local(ws: Workspace) -> Iterator[Server]:
    server = start_server(ws)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def lan(ws: Workspace) -> Iterator[Server]:
    server = start_server(ws, host="0.0.0.0", token=TOKEN)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def hostile_hash(ws: Workspace) -> str:
    return doc_hash_of(ws, "hostile.txt")


# ---- host and token ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        pytest.param("0.0.0.0", id="all-ipv4"),
        pytest.param("::", id="all-ipv6"),
        pytest.param("192.0.2.10", id="lan-address"),
    ],
)
def test_non_loopback_host_without_token_refuses_to_start(ws: Workspace, host: str) -> None:
    try:
        proc = cli(*serve_args(ws, host=host, port=free_port()), timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"serve --host {host} without --token started a server")
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "--token" in lines[0]


def test_loopback_needs_no_token(local: Server) -> None:
    with local.client() as client:
        assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/", id="dashboard"),
        pytest.param("/queue", id="queue"),
        pytest.param("/docs", id="documents"),
        pytest.param("/glossary", id="glossary"),
        pytest.param(f"/glossary/entry/{HOSTILE_ENTRY_ID}", id="entry"),
        pytest.param("/proposals", id="proposals"),
        pytest.param("/glossary/export?format=tsv", id="export"),
        pytest.param("article", id="article"),
    ],
)
def test_token_server_sends_a_stranger_to_sign_in(lan: Server, hostile_hash: str, path: str) -> None:
    if path == "article":
        path = f"/doc/{hostile_hash}"
    with lan.client() as client:
        response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert HOSTILE_ENTRY["source"] not in response.text


def test_token_server_serves_sign_in_and_static_files_to_a_stranger(lan: Server) -> None:
    with lan.client() as client:
        assert client.get("/login").status_code == 200
        assert client.get("/static/app.js").status_code == 200


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param("payload", id="payload-changed"),
        pytest.param("signature", id="signature-changed"),
        pytest.param("other-server", id="other-server-s-cookie"),
        pytest.param("unsigned", id="unsigned"),
    ],
)
def test_token_server_refuses_a_forged_session(lan: Server, ws: Workspace, forge: str) -> None:
    import base64
    import json

    with signed_in_client(lan) as client:
        cookie = client.cookies["mtrepair_session"]
    payload, _, mac = cookie.rpartition(".")
    if forge == "payload":
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        data["reviewer"] = "mallory"
        cookie = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=") + "." + mac
    elif forge == "signature":
        cookie = payload + "." + ("A" if mac[0] != "A" else "B") + mac[1:]
    elif forge == "other-server":
        # Signed in on another server with the same token: its key is its own.
        with running(ws, token=TOKEN) as twin, signed_in_client(twin) as other:
            cookie = other.cookies["mtrepair_session"]
    else:
        cookie = base64.urlsafe_b64encode(json.dumps({"csrf": "x", "signed_in": True, "reviewer": "m"}).encode()).decode()
    with lan.client() as client:
        client.cookies.set("mtrepair_session", cookie)
        response = client.get("/queue")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_token_server_refuses_a_stranger_s_write(lan: Server, ws: Workspace) -> None:
    before = (ws.glossary / "glossary.tsv").read_bytes()
    with lan.client() as client:
        token = csrf_token(client.get("/login").text)
        response = client.post("/glossary/add", data={"source": "intruso", "target": "intruder", "reviewer": "x", "csrf_token": token})
    assert response.status_code in (303, 403)
    assert (ws.glossary / "glossary.tsv").read_bytes() == before


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("", id="empty"),
        pytest.param("wrong-token", id="wrong"),
        pytest.param(TOKEN + "x", id="longer"),
        pytest.param(TOKEN[:-1], id="prefix"),
    ],
)
def test_wrong_token_is_refused(lan: Server, typed: str) -> None:
    with lan.client() as client:
        token = csrf_token(client.get("/login").text)
        response = client.post("/login", data={"token": typed, "csrf_token": token, "next": "/"})
        assert response.status_code == 403
        assert 'id="login-error"' in response.text
        assert client.get("/").status_code == 303  # still not signed in


def test_sign_in_sets_an_httponly_strict_cookie(lan: Server) -> None:
    with lan.client() as client:
        token = csrf_token(client.get("/login").text)
        response = client.post("/login", data={"token": TOKEN, "csrf_token": token, "next": "/queue"})
        assert response.status_code == 303
        assert response.headers["location"] == "/queue"
        cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("mtrepair_session=")]
        assert cookies, response.headers
        flags = {part.strip().lower() for part in cookies[-1].split(";")[1:]}
        assert "httponly" in flags
        assert "samesite=strict" in flags
        assert client.get("/queue").status_code == 200


def test_a_cookie_copied_before_sign_out_is_refused_after_it(lan: Server) -> None:
    """Signing out ends the session on the server, not only in this browser."""
    with lan.client() as client:
        token = csrf_token(client.get("/login").text)
        assert client.post("/login", data={"token": TOKEN, "csrf_token": token, "next": "/"}).status_code == 303
        copied = client.cookies.get("mtrepair_session")
        assert copied and client.get("/queue").status_code == 200
        signed_in_csrf = csrf_token(client.get("/").text)
        assert client.post("/logout", data={"csrf_token": signed_in_csrf}).status_code == 303
    with lan.client(cookies={"mtrepair_session": copied}) as thief:
        refused = thief.get("/queue")
        assert refused.status_code == 303 and refused.headers["location"].startswith("/login")


@pytest.mark.parametrize(
    "target",
    [
        pytest.param("https://evil.example/", id="absolute-url"),
        pytest.param("//evil.example/", id="scheme-relative"),
        pytest.param("/\\evil.example/", id="backslash"),
        pytest.param("javascript:alert(1)", id="javascript"),
    ],
)
def test_sign_in_redirects_only_to_a_local_path(lan: Server, target: str) -> None:
    with lan.client() as client:
        token = csrf_token(client.get("/login").text)
        response = client.post("/login", data={"token": TOKEN, "csrf_token": token, "next": target})
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location


def test_generated_token_is_printed_once_and_required(ws: Workspace) -> None:
    server = start_server(ws, extra=["--generate-token"])
    try:
        printed = re.findall(r"token: (\S+)", server.stderr())
        assert len(printed) == 1, server.stderr()
        server.token = printed[0]
        assert len(server.token) >= 20
        with server.client() as client:
            assert client.get("/queue").status_code == 303
        with signed_in_client(server) as client:  # signs in with the printed token
            assert client.get("/queue").status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("host_header", "status"),
    [
        pytest.param("evil.example", 421, id="foreign-name"),
        pytest.param("evil.example:8765", 421, id="foreign-name-port"),
        pytest.param("127.0.0.1.evil.example", 421, id="loopback-prefix"),
        pytest.param("localhost", 200, id="localhost"),
        pytest.param("[::1]:8765", 200, id="ipv6-loopback"),
    ],
)
def test_loopback_server_answers_only_loopback_host_names(local: Server, host_header: str, status: int) -> None:
    """Without a token, a page of another site that rebinds its DNS name to 127.0.0.1 would be
    same-origin with the app: the Host header gives it away."""
    with local.client() as client:
        response = client.get("/", headers={"Host": host_header})
    assert response.status_code == status
    if status == 421:
        assert HOSTILE_ENTRY["source"] not in response.text
        assert "script-src 'self'" in response.headers.get("content-security-policy", "")


def test_token_server_answers_any_host_name_with_sign_in(lan: Server) -> None:
    with lan.client() as client:
        response = client.get("/", headers={"Host": "reviews.newsroom.example"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


# ---- CSRF ---------------------------------------------------------------------------------

# Every state-changing URL with fields that would succeed given a CSRF token.
ACTIONS = [
    pytest.param("/glossary/add", {"source": "albergue", "target": "shelter", "kind": "term", "reviewer": "mallory"}, id="glossary-add"),
    pytest.param(f"/glossary/entry/{HOSTILE_ENTRY_ID}/status", {"status": "approved", "reviewer": "mallory"}, id="glossary-status"),
    pytest.param(f"/glossary/entry/{HOSTILE_ENTRY_ID}/edit", {"target": "vaccination site", "reviewer": "mallory"}, id="glossary-edit"),
    pytest.param(f"/glossary/entry/{HOSTILE_ENTRY_ID}/delete", {"reviewer": "mallory"}, id="glossary-delete"),
    pytest.param("/queue/span/decide", {"source": "guarderías", "decision": "accept", "reviewer": "mallory"}, id="span-decide"),
    pytest.param("/queue/edit/decide", {"decision": "reject", "reviewer": "mallory"}, id="edit-decide"),
    pytest.param("/proposals/approve", {"source": "albergue", "target": "shelter", "reviewer": "mallory"}, id="proposal-approve"),
    pytest.param("/logout", {}, id="logout"),
]


def _unchanged(ws: Workspace) -> tuple[bytes, bytes, list[str]]:
    """The glossary, its history and every file of the store (a refused write adds none)."""
    tsv = (ws.glossary / "glossary.tsv").read_bytes()
    history = (ws.glossary / "history.jsonl").read_bytes()
    return tsv, history, sorted(str(p.relative_to(ws.store)) for p in ws.store.rglob("*") if p.is_file())


@pytest.mark.parametrize(("path", "fields"), ACTIONS)
def test_post_without_csrf_token_and_without_session_is_refused(local: Server, ws: Workspace, path: str, fields: dict[str, str]) -> None:
    before = _unchanged(ws)
    with local.client() as client:
        response = client.post(path, data=fields)
    assert response.status_code == 403
    assert 'id="csrf-error"' in response.text
    assert _unchanged(ws) == before


@pytest.mark.parametrize(("path", "fields"), ACTIONS)
def test_post_without_csrf_token_in_a_session_is_refused(local: Server, ws: Workspace, path: str, fields: dict[str, str]) -> None:
    before = _unchanged(ws)
    with signed_in_client(local) as client:
        del client.headers["X-CSRF-Token"]
        response = client.post(path, data=fields)
    assert response.status_code == 403
    assert 'id="csrf-error"' in response.text
    assert _unchanged(ws) == before


@pytest.mark.parametrize(
    "how",
    [
        pytest.param("field", id="form-field"),
        pytest.param("header", id="header"),
    ],
)
def test_post_with_another_session_s_csrf_token_is_refused(local: Server, ws: Workspace, how: str) -> None:
    before = _unchanged(ws)
    with signed_in_client(local) as victim, signed_in_client(local) as attacker:
        stolen = victim.headers["X-CSRF-Token"]
        assert stolen != attacker.headers["X-CSRF-Token"], "two sessions got the same CSRF token"
        del attacker.headers["X-CSRF-Token"]
        fields = {"source": "albergue", "target": "shelter", "reviewer": "mallory"}
        if how == "field":
            response = attacker.post("/glossary/add", data={**fields, "csrf_token": stolen})
        else:
            response = attacker.post("/glossary/add", data=fields, headers={"X-CSRF-Token": stolen})
    assert response.status_code == 403
    assert _unchanged(ws) == before


def test_token_server_post_without_csrf_after_sign_in_is_refused(lan: Server, ws: Workspace) -> None:
    before = _unchanged(ws)
    with signed_in_client(lan) as client:
        del client.headers["X-CSRF-Token"]
        response = client.post("/glossary/add", data={"source": "albergue", "target": "shelter", "reviewer": "mallory"})
    assert response.status_code == 403
    assert _unchanged(ws) == before


def test_sign_in_without_csrf_token_is_refused(lan: Server) -> None:
    with lan.client() as client:
        response = client.post("/login", data={"token": TOKEN, "next": "/"})
    assert response.status_code == 403
    assert 'id="csrf-error"' in response.text


def test_post_with_csrf_token_is_accepted(local: Server, ws: Workspace) -> None:
    """The control for the refusals above: the same kind of write with the token goes through."""
    with signed_in_client(local) as client:
        response = client.post("/glossary/add", data={"source": "albergue", "target": "shelter", "kind": "term", "reviewer": "rita"})
    assert response.status_code == 303, response.text
    assert "albergue\tshelter" in (ws.glossary / "glossary.tsv").read_text(encoding="utf-8")


# ---- headers, inline script, escaping -----------------------------------------------------


class _ScriptAudit(HTMLParser):
    """Collects what would run script: inline <script> bodies, scripts from elsewhere, event
    handler attributes, javascript: URLs, and inline style attributes (the CSP forbids them)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            src = values.get("src") or ""
            self.scripts.append(src)
            if not src:
                self.problems.append("inline <script>")
            elif not src.startswith("/static/"):
                self.problems.append(f"script from {src}")
            self._in_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value}>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("script body")


def audit(html: str) -> list[str]:
    parser = _ScriptAudit()
    parser.feed(html)
    parser.close()
    return parser.problems


def _pages(hostile_hash: str) -> list[str]:
    return [
        "/",
        "/queue",
        "/queue?type=edit",
        "/queue?type=span",
        f"/doc/{hostile_hash}",
        "/docs",
        "/docs?q=Oaxaca",
        "/glossary",
        f"/glossary?q={HOSTILE_ENTRY['source']}",
        f"/glossary/entry/{HOSTILE_ENTRY_ID}",
        "/proposals?min_count=1",
        "/login",
        "/no-such-page",
    ]


PAGE_IDS = ["dashboard", "queue", "queue-edits", "queue-spans", "article", "documents", "documents-search",
            "glossary", "glossary-search", "entry", "proposals", "login", "not-found"]


@pytest.mark.parametrize("which", [pytest.param(i, id=name) for i, name in enumerate(PAGE_IDS)])
def test_every_page_has_the_csp_and_no_inline_script(local: Server, lan: Server, hostile_hash: str, which: int) -> None:
    path = _pages(hostile_hash)[which]
    # The sign-in page exists only on a server with a token (loopback without one redirects it).
    with signed_in_client(local) if path != "/login" else lan.client() as client:
        response = client.get(path)
    assert response.status_code in (200, 404), f"{path}: {response.status_code}"
    csp = response.headers.get("content-security-policy", "")
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    assert directives.get("script-src") == "script-src 'self'", csp
    assert directives.get("object-src") == "object-src 'none'", csp
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert audit(response.text) == [], path


@pytest.mark.parametrize(
    "status_page",
    [
        pytest.param("csrf", id="csrf-403"),
        pytest.param("login", id="login-403"),
    ],
)
def test_error_pages_have_the_csp_and_no_inline_script(lan: Server, status_page: str) -> None:
    with lan.client() as client:
        if status_page == "csrf":
            response = client.post("/login", data={"token": TOKEN})
        else:
            token = csrf_token(client.get("/login").text)
            response = client.post("/login", data={"token": "nope", "csrf_token": token})
    assert response.status_code == 403
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    assert audit(response.text) == []


def test_article_text_is_escaped(local: Server, hostile_hash: str) -> None:
    with signed_in_client(local) as client:
        html = client.get(f"/doc/{hostile_hash}").text
    assert "window.__pwned" in html  # the article is shown ...
    assert "<script>window.__pwned" not in html  # ... as text
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(f"/glossary?q={HOSTILE_ENTRY['source']}", id="glossary"),
        pytest.param(f"/glossary/entry/{HOSTILE_ENTRY_ID}", id="entry"),
    ],
)
def test_glossary_text_is_escaped(local: Server, path: str) -> None:
    with signed_in_client(local) as client:
        html = client.get(path).text
    assert "window.__pwned=5" in html
    for raw in (HOSTILE_ENTRY["target"], HOSTILE_ENTRY["note"], HOSTILE_ENTRY["author"]):
        assert raw not in html
    assert audit(html) == []


def test_reviewer_input_is_escaped_in_history(local: Server) -> None:
    name = '<script>window.__pwned=7</script>'
    reason = '"><img src=x onerror=window.__pwned=8>'
    with signed_in_client(local) as client:
        page = client.get(f"/glossary/entry/{HOSTILE_ENTRY_ID}").text
        version = re.search(r'id="entry-form"[^>]*data-version="([^"]*)"', page) or re.search(r'data-version="([^"]*)"[^>]*id="entry-form"', page)
        assert version is not None, "entry form has no data-version"
        response = client.post(
            f"/glossary/entry/{HOSTILE_ENTRY_ID}/status",
            data={"status": "proposed", "reviewer": name, "reason": reason, "version": version.group(1)},
        )
        assert response.status_code in (200, 303), response.text
        html = client.get(f"/glossary/entry/{HOSTILE_ENTRY_ID}").text
    assert "window.__pwned=7" in html
    assert name not in html and reason not in html
    assert audit(html) == []


def test_conflict_page_escapes_what_was_submitted(local: Server) -> None:
    yours = '</td><script>window.__pwned=9</script>'
    with signed_in_client(local) as client:
        response = client.post(
            f"/glossary/entry/{HOSTILE_ENTRY_ID}/edit",
            data={"source": HOSTILE_ENTRY["source"], "target": yours, "kind": "term", "reviewer": "rita", "version": "stale-version"},
        )
    assert response.status_code == 409, response.text
    assert 'id="conflict"' in response.text
    assert yours not in response.text and "window.__pwned=9" in response.text
    assert audit(response.text) == []


# ---- body limit ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "size", "chunked"),
    [
        pytest.param("/glossary/add", BODY_LIMIT + 1024, False, id="form-over-2MiB"),
        pytest.param("/glossary/add", BODY_LIMIT + 1024, True, id="chunked-form-over-2MiB"),
        pytest.param("/queue/span/decide", 8 * BODY_LIMIT, False, id="queue-over-2MiB"),
        pytest.param("/glossary/import", IMPORT_LIMIT + 1024, False, id="import-over-16MiB"),
    ],
)
def test_body_over_the_limit_is_refused(local: Server, ws: Workspace, path: str, size: int, chunked: bool) -> None:
    before = _unchanged(ws)
    body = b"source=x&target=" + b"A" * size
    with signed_in_client(local) as client:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        content: bytes | Iterator[bytes] = body
        if chunked:
            content = (body[i : i + 65536] for i in range(0, len(body), 65536))
        try:
            response = client.post(path, content=content, headers=headers)
        except httpx.TransportError:
            # The server may close the connection once the limit is passed; then it must not
            # have written anything (checked below) and must still answer.
            response = None
        assert client.get("/glossary").status_code == 200
    if response is not None:
        assert response.status_code == 413
    assert _unchanged(ws) == before


# ---- no file read through a URL -----------------------------------------------------------

TRAVERSALS = [
    pytest.param("/doc/..%2Fsecret.txt", id="doc-encoded"),
    pytest.param("/doc/../secret.txt", id="doc-dotdot"),
    pytest.param("/doc/%2e%2e%2f%2e%2e%2fsecret.txt", id="doc-dots-encoded"),
    pytest.param("/glossary/entry/..%2F..%2Fsecret.txt", id="entry-encoded"),
    pytest.param("/glossary/entry/../../secret.txt", id="entry-dotdot"),
    pytest.param("/glossary/export?format=../secret.txt", id="export-format"),
    pytest.param("/glossary/export?format=tsv&path=../secret.txt", id="export-extra-param"),
    pytest.param("/glossary?q=../secret.txt", id="glossary-query"),
    pytest.param("/queue?doc=../secret.txt", id="queue-doc"),
    pytest.param("/docs?q=../../secret.txt", id="docs-query"),
    pytest.param("/static/../../../secret.txt", id="static-dotdot"),
    pytest.param("/static/..%2f..%2f..%2f..%2fpyproject.toml", id="static-encoded"),
    pytest.param("/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/pyproject.toml", id="static-dots-encoded"),
    pytest.param("/static//etc/passwd", id="static-absolute"),
    pytest.param("/static/..\\..\\..\\..\\pyproject.toml", id="static-backslash"),
    pytest.param("/doc/%2Fetc%2Fpasswd", id="doc-absolute"),
]


def _raw_get(server: Server, path: str, cookie: str) -> tuple[int, str]:
    """GET the path exactly as written (http.client sends it unnormalized, as an attacker's
    tool would; httpx would resolve the dots first)."""
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_reads_no_file(local: Server, ws: Workspace, path: str) -> None:
    with signed_in_client(local) as client:
        client.get("/")
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    status, body = _raw_get(local, path, cookie)
    assert SECRET not in body
    assert "root:x:0:0" not in body
    assert 'name = "mtrepair"' not in body  # pyproject.toml
    assert status != 500, body
    assert Path(ws.root / "secret.txt").read_text(encoding="utf-8") == SECRET


def test_static_files_are_served_but_not_beyond_their_folder(local: Server, ws: Workspace) -> None:
    """The control for the traversals: /static/ does serve its own files; the way up from that
    folder to the secret beside the store (computed, so it is the real relative path) reads nothing."""
    import os

    import mtrepair.web

    static = Path(mtrepair.web.__file__).parent / "static"
    with signed_in_client(local) as client:
        assert client.get("/static/app.js").status_code == 200
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    up = os.path.relpath(ws.root / "secret.txt", static)
    for path in (f"/static/{up}", "/static/" + up.replace("/", "%2f"), "/static/" + up.replace("..", "%2e%2e")):
        status, body = _raw_get(local, path, cookie)
        assert SECRET not in body, path
        assert status in (400, 404), (path, status)


# ---- uploads: a file name or an XML entity is not a way to the file system ------------------


def _tbx(term: str, doctype: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{doctype}<martif type="TBX" xml:lang="es"><martifHeader><fileDesc><sourceDesc><p>web2 test</p></sourceDesc></fileDesc></martifHeader>
<text><body><termEntry id="t1"><langSet xml:lang="es"><tig><term>{term}</term></tig></langSet>
<langSet xml:lang="en"><tig><term>leaked</term></tig></langSet></termEntry></body></text></martif>
""".encode()


@pytest.mark.parametrize(
    ("filename", "kind"),
    [
        pytest.param("../../../planted.tsv", "name", id="dotdot-file-name"),
        pytest.param("/tmp/planted.tsv", "name", id="absolute-file-name"),
        pytest.param("entities.tbx", "file-entity", id="xxe-file"),
        pytest.param("entities.tbx", "http-entity", id="xxe-network"),
        pytest.param("entities.tbx", "parameter-entity", id="xxe-parameter"),
    ],
)
def test_glossary_import_reads_and_writes_no_other_file(local: Server, ws: Workspace, filename: str, kind: str) -> None:
    secret = ws.root / "secret.txt"
    if kind == "name":
        header = "id\tsource\ttarget\tkind\tcase\tstatus\tnote\tauthor\tupdated\n"
        content = (header + "refugio\trefugio\tshelter\tterm\tinsensitive\tproposed\t\trita\t\n").encode()
    elif kind == "file-entity":
        content = _tbx("&xxe;", f'<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret}">]>\n')
    elif kind == "http-entity":
        content = _tbx("&xxe;", '<!DOCTYPE martif [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>\n')
    else:
        content = _tbx("refugio", f'<!DOCTYPE martif [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>\n')
    before_root = sorted(p.name for p in ws.root.iterdir())
    with signed_in_client(local) as client:
        response = client.post(
            "/glossary/import",
            files={"file": (filename, content, "application/octet-stream")},
            data={"format": "auto", "status": "proposed", "reviewer": "rita"},
        )
    assert response.status_code in (200, 303, 400), response.text
    assert SECRET not in response.text
    assert SECRET not in (ws.glossary / "glossary.tsv").read_text(encoding="utf-8")
    assert sorted(p.name for p in ws.root.iterdir()) == before_root
    assert not Path("/tmp/planted.tsv").exists()
    assert audit(response.text) == []
    if kind == "name":  # the upload itself is fine: imported, under the glossary folder only
        assert response.status_code in (200, 303), response.text
        assert "refugio\trefugio\tshelter" in (ws.glossary / "glossary.tsv").read_text(encoding="utf-8")
