"""The reviewer web app (issue 13) through Starlette's test client: pages, sign-in, CSRF,
glossary writes and conflicts, the review queue and the edit decisions it records.

The store is built by the real ``mtrepair clean`` on the sample articles (plus one article
written here whose text carries markup); every write goes to a copy of it. The browser
tests (real Chromium) are tests/test_web_browser.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from starlette.testclient import TestClient

from conftest import ROOT, SEEDS, run_cli
from mtrepair.corpus import open_corpus
from mtrepair.decisions import EditDecision, EditDecisions, apply_decisions, edit_key, load_decisions
from mtrepair.glossary.review import add_entry, current_entries, read_history
from mtrepair.model import Edit
from mtrepair.web import ServeConfig, WebError, check_host, create_app

# Written for this test (not article text): a Spanish sentence and markup that must stay text.
HOSTILE = (
    "El Instituto informó que la clínica abrirá el lunes.\n\n"
    "The Night Shift Bulletin appeared on Monday.\n\n"
    'Nota <script>document.title="owned"</script> y <img src=x onerror="document.title=1"> '
    '<a href="javascript:alert(1)">enlace</a> al final.\n'
)
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web")
    articles = root / "articles"
    shutil.copytree(SEEDS, articles)
    (articles / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    shutil.copytree(ROOT / "glossary", root / "glossary", ignore=shutil.ignore_patterns(".glossary.lock"))
    proc = run_cli(
        "clean",
        str(articles),
        "-o",
        str(root / "out"),
        "--corpus",
        str(root / "store"),
        "--glossary",
        str(root / "glossary"),
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return root


@pytest.fixture
def workspace(built: Path, tmp_path: Path) -> Path:
    """A private copy of the store and glossary for a test that writes."""
    shutil.copytree(built / "store", tmp_path / "store")
    shutil.copytree(built / "glossary", tmp_path / "glossary")
    return tmp_path


def make_client(root: Path, *, token: str | None = None, low: float = 1.0) -> TestClient:
    config = ServeConfig(corpus=root / "store", glossary=root / "glossary", token=token, low_confidence=low)
    return TestClient(create_app(config), base_url="http://127.0.0.1")


@pytest.fixture
def client(workspace: Path) -> Iterator[TestClient]:
    with make_client(workspace) as c:
        yield c


def csrf(client: TestClient, url: str = "/") -> str:
    found = CSRF_META.search(client.get(url).text)
    assert found is not None
    return found.group(1)


def doc_hash(client: TestClient, doc_id: str) -> str:
    page = client.get("/docs", params={"q": doc_id}).text
    found = re.search(r'data-doc-id="' + re.escape(doc_id) + r'" href="/doc/([0-9a-f]+)"', page)
    assert found is not None, page
    return found.group(1)


# -- pages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "hook"),
    [
        pytest.param("/", 'id="chart-edits"', id="dashboard"),
        pytest.param("/queue", 'id="queue"', id="queue"),
        pytest.param("/queue?type=span&min_conf=0&max_conf=1", 'data-type="span"', id="queue-filtered"),
        pytest.param("/docs", 'class="doc-link"', id="documents"),
        pytest.param("/glossary", 'class="entry"', id="glossary"),
        pytest.param("/glossary?q=IMSS&status=approved", 'data-status="approved"', id="glossary-search"),
        pytest.param("/proposals?min_count=1", 'id="proposals"', id="proposals"),
    ],
)
def test_page_renders_with_its_hooks_and_headers(client: TestClient, url: str, hook: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    assert hook in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self'")
    assert r.headers["x-frame-options"] == "DENY"


def test_every_template_escapes_article_text(client: TestClient) -> None:
    page = client.get(f"/doc/{doc_hash(client, 'hostile.txt')}").text
    assert "<script>document.title" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript:' not in page
    # The only scripts are the two shipped files.
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/htmx-2.min.js" defer>',
        '<script src="/static/app.js" defer>',
    ]


def test_article_view_marks_every_applied_edit_with_its_rule(client: TestClient, workspace: Path) -> None:
    corpus = open_corpus(workspace / "store")
    doc = corpus.collect(corpus.documents().filter(pl.col("doc_id") == "001_5724677a762a89f5.txt")).row(0, named=True)
    applied = corpus.collect(
        corpus.edits().filter(
            (pl.col("rev") == doc["rev"]) & (pl.col("status") == "applied") & (pl.col("before") != pl.col("after"))
        )
    )
    page = client.get(f"/doc/{doc['doc_hash']}").text
    repaired = page[page.index('id="repaired"') : page.index("</div>", page.index('id="repaired"'))]
    marks = re.findall(r'<mark class="edit applied[^"]*" data-kind="(\w+)" data-rule="([^"]+)"', repaired)
    assert sorted(r for _, r in marks) == sorted(applied["rule"].to_list())
    assert 'id="inconsistent"' not in page  # the marks rebuild the stored repaired text exactly


def test_article_lists_the_glossary_entries_that_applied(client: TestClient, workspace: Path) -> None:
    corpus = open_corpus(workspace / "store")
    rules = corpus.collect(
        corpus.edits().filter(pl.col("rule").str.starts_with("glossary:") & (pl.col("status") == "applied"))
    )
    assert rules.height, "the samples have glossary edits"
    row = rules.row(0, named=True)
    entry_id = row["rule"].removeprefix("glossary:")
    page = client.get(f"/doc/{row['doc_hash']}").text
    applied = page[page.index('id="glossary-applied"') : page.index("</ul>", page.index('id="glossary-applied"'))]
    assert f'data-entry-id="{entry_id}"' in applied


def test_an_entry_approved_after_the_clean_is_listed_with_why_it_did_not_apply(
    client: TestClient, workspace: Path
) -> None:
    entry = add_entry(workspace / "glossary", source="Night Shift Bulletin", target="Evening Shift Bulletin",
                      kind="variant", case="sensitive", status="approved", author="ana")  # fmt: skip
    h = doc_hash(client, "hostile.txt")
    page = client.get(f"/doc/{h}").text
    missed = page[
        page.index('id="glossary-not-applied"') : page.index("</ul>", page.index('id="glossary-not-applied"'))
    ]
    assert f'data-entry-id="{entry.id}"' in missed and f'hx-get="/doc/{h}/explain/{entry.id}"' in missed
    why = client.get(f"/doc/{h}/explain/{entry.id}")
    assert why.status_code == 200 and "clean the article again" in why.text


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/doc/0123456789abcdef", id="unknown-hash"),
        pytest.param("/doc/..%2F..%2Fetc%2Fpasswd", id="path-in-hash"),
        pytest.param("/glossary/entry/no-such-entry", id="unknown-entry"),
    ],
)
def test_unknown_things_are_404(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404


# -- sign-in, CSRF, limits -----------------------------------------------------------------------------


def test_post_without_csrf_token_is_refused_and_changes_nothing(client: TestClient, workspace: Path) -> None:
    before = (workspace / "glossary" / "glossary.tsv").read_bytes()
    r = client.post("/glossary/add", data={"source": "derechohabiencia", "target": "entitlement", "reviewer": "ana"})
    assert r.status_code == 403 and 'id="csrf-error"' in r.text
    assert (workspace / "glossary" / "glossary.tsv").read_bytes() == before


def test_csrf_header_is_accepted_for_htmx(client: TestClient) -> None:
    token = csrf(client)
    r = client.post("/reviewer", data={"reviewer": "ana"}, headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert r.status_code == 204
    assert 'value="ana"' in client.get("/").text


def test_token_protected_app_requires_sign_in(workspace: Path) -> None:
    with make_client(workspace, token="s3cret-token") as c:
        r = c.get("/queue", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        token = csrf(c, "/login")
        bad = c.post("/login", data={"token": "wrong", "csrf_token": token, "next": "/queue"})
        assert bad.status_code == 403 and 'id="login-error"' in bad.text
        good = c.post(
            "/login", data={"token": "s3cret-token", "csrf_token": token, "next": "/queue"}, follow_redirects=False
        )
        assert good.status_code == 303 and good.headers["location"] == "/queue"
        cookie = good.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        assert c.get("/queue").status_code == 200


@pytest.mark.parametrize(
    ("host", "token", "allowed"),
    [
        pytest.param("127.0.0.1", None, True, id="loopback-v4"),
        pytest.param("::1", None, True, id="loopback-v6"),
        pytest.param("localhost", None, True, id="localhost"),
        pytest.param("0.0.0.0", None, False, id="any-without-token"),
        pytest.param("192.168.1.20", "", False, id="lan-empty-token"),
        pytest.param("0.0.0.0", "tok", True, id="any-with-token"),
    ],
)
def test_hosts_other_machines_reach_need_a_token(host: str, token: str | None, allowed: bool) -> None:
    if allowed:
        check_host(host, token)
    else:
        with pytest.raises(WebError, match="requires --token"):
            check_host(host, token)


def test_serve_refuses_to_start_on_all_interfaces_without_a_token(tmp_path: Path) -> None:
    proc = run_cli("serve", "--corpus", str(tmp_path / "store"), "--glossary", str(tmp_path), "--host", "0.0.0.0")
    assert proc.returncode == 1
    assert b"requires --token" in proc.stderr


def test_request_body_over_the_limit_is_refused(workspace: Path) -> None:
    config = ServeConfig(corpus=workspace / "store", glossary=workspace / "glossary", body_limit=1024)
    with TestClient(create_app(config), base_url="http://127.0.0.1") as c:
        r = c.post("/glossary/add", data={"csrf_token": csrf(c), "note": "x" * 5000})
        assert r.status_code == 413


@pytest.mark.parametrize(
    ("token", "host", "status"),
    [
        pytest.param(None, "127.0.0.1:8765", 200, id="loopback"),
        pytest.param(None, "localhost:8765", 200, id="localhost"),
        pytest.param(None, "[::1]:8765", 200, id="loopback-v6"),
        pytest.param(None, "rebound.example:8765", 421, id="rebinding-refused"),
        pytest.param("tok", "reviewers.example:8765", 303, id="token-any-host"),
    ],
)
def test_without_a_token_only_loopback_host_names_are_answered(
    workspace: Path, token: str | None, host: str, status: int
) -> None:
    with make_client(workspace, token=token) as c:
        assert c.get("/", headers={"Host": host}, follow_redirects=False).status_code == status


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param("/queue?page=2", "/queue?page=2", id="local"),
        pytest.param("//evil.example/", "/", id="scheme-relative"),
        pytest.param("/\t/evil.example/", "/", id="tab"),
        pytest.param("/\\evil.example", "/", id="backslash"),
        pytest.param("https://evil.example/", "/", id="absolute"),
        pytest.param("", "/", id="empty"),
    ],
)
def test_redirect_targets_stay_on_this_site(target: str, expected: str) -> None:
    from mtrepair.web.security import safe_next

    assert safe_next(target) == expected


# -- the glossary --------------------------------------------------------------------------------------


def _entry_form(client: TestClient, entry_id: str) -> dict[str, str]:
    page = client.get(f"/glossary/entry/{entry_id}").text
    form = page[page.index('id="entry-form"') : page.index("</form>", page.index('id="entry-form"'))]
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    fields.pop("approve")  # a checkbox: sent only when ticked
    fields["csrf_token"] = csrf(client)
    return fields


def test_add_then_approve_then_edit_sends_an_approved_entry_back_to_proposed(
    client: TestClient, workspace: Path
) -> None:
    token = csrf(client, "/glossary")
    r = client.post(
        "/glossary/add",
        data={
            "csrf_token": token,
            "source": "cuota patronal",
            "target": "employer contribution",
            "kind": "term",
            "case": "insensitive",
            "reviewer": "ana",
            "reason": "seen in the queue",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    entry_id = r.headers["location"].rsplit("/", 1)[1]
    form = _entry_form(client, entry_id)
    r = client.post(
        f"/glossary/entry/{entry_id}/status",
        data={"csrf_token": form["csrf_token"], "version": form["version"], "status": "approved", "reviewer": "luis"},
    )
    assert r.status_code == 200
    form = _entry_form(client, entry_id)
    client.post(f"/glossary/entry/{entry_id}/edit", data={**form, "target": "employer's share", "reviewer": "ana"})
    entry = next(e for e in current_entries(workspace / "glossary") if e.id == entry_id)
    assert (entry.target, entry.status) == ("employer's share", "proposed")
    actions = [h["action"] for h in read_history(workspace / "glossary", entry_id)]
    assert actions == ["add", "approve", "edit", "propose"]
    form = _entry_form(client, entry_id)
    client.post(
        f"/glossary/entry/{entry_id}/edit",
        data={**form, "target": "employer contribution", "approve": "1", "reviewer": "luis"},
    )
    entry = next(e for e in current_entries(workspace / "glossary") if e.id == entry_id)
    assert (entry.target, entry.status, entry.author) == ("employer contribution", "approved", "luis")


def test_stale_glossary_edit_gets_the_conflict_page_and_writes_nothing(workspace: Path) -> None:
    entry = add_entry(
        workspace / "glossary", source="cuotas obrero-patronales", target="employer-worker dues", author="ana"
    )
    with make_client(workspace) as first, make_client(workspace) as second:
        seen_first = _entry_form(first, entry.id)
        seen_second = _entry_form(second, entry.id)
        ok = first.post(
            f"/glossary/entry/{entry.id}/edit", data={**seen_first, "target": "social security dues", "reviewer": "ana"}
        )
        assert ok.status_code == 200
        stale = second.post(
            f"/glossary/entry/{entry.id}/edit", data={**seen_second, "target": "payroll dues", "reviewer": "luis"}
        )
        assert stale.status_code == 409
        theirs = stale.text[stale.text.index('id="conflict-theirs"') : stale.text.index('id="conflict-yours"')]
        yours = stale.text[stale.text.index('id="conflict-yours"') :]
        assert "social security dues" in theirs and "payroll dues" in yours
    now = next(e for e in current_entries(workspace / "glossary") if e.id == entry.id)
    assert now.target == "social security dues"


def test_a_terminal_write_between_page_and_click_is_a_conflict(workspace: Path) -> None:
    """The version check runs under the glossary's file lock, inside the write: a change made
    from a terminal after the reviewer opened the page is not overwritten."""
    entry = add_entry(workspace / "glossary", source="cuota social", target="social fee", author="ana")
    with make_client(workspace) as browser:
        seen = _entry_form(browser, entry.id)
        done = subprocess.run(
            [sys.executable, "-m", "mtrepair", "glossary", "edit", entry.id, "--target", "social quota",
             "--reviewer", "terminal", "--glossary", str(workspace / "glossary")],
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert done.returncode == 0, done.stderr
        stale = browser.post(
            f"/glossary/entry/{entry.id}/edit", data={**seen, "target": "social contribution", "reviewer": "luis"}
        )
        assert stale.status_code == 409 and "social quota" in stale.text
    now = next(e for e in current_entries(workspace / "glossary") if e.id == entry.id)
    assert (now.target, now.author) == ("social quota", "terminal")


def test_the_shipped_glossary_is_served_read_only(workspace: Path) -> None:
    config = ServeConfig(corpus=workspace / "store", glossary=workspace / "glossary", glossary_read_only=True)
    before = (workspace / "glossary" / "glossary.tsv").read_bytes()
    with TestClient(create_app(config), base_url="http://127.0.0.1") as c:
        assert 'id="glossary-read-only"' in c.get("/glossary").text
        data = {"csrf_token": csrf(c), "source": "afiliación", "target": "enrolment", "reviewer": "ana"}
        r = c.post("/glossary/add", data=data)
        assert r.status_code == 400 and "read-only" in r.text
    assert (workspace / "glossary" / "glossary.tsv").read_bytes() == before


def test_writes_need_a_reviewer_name(client: TestClient) -> None:
    r = client.post("/glossary/add", data={"csrf_token": csrf(client), "source": "afiliación", "target": "enrolment"})
    assert r.status_code == 400 and 'id="reviewer-error"' in r.text


def test_export_tbx_then_import_it_into_an_empty_glossary(client: TestClient, tmp_path: Path) -> None:
    exported = client.get("/glossary/export", params={"format": "tbx"})
    assert exported.status_code == 200 and b"<tbx" in exported.content
    empty = tmp_path / "fresh"
    (empty / "store").mkdir(parents=True)
    with make_client(empty) as c:
        r = c.post(
            "/glossary/import",
            data={"csrf_token": csrf(c), "reviewer": "ana", "format": "auto", "status": "proposed"},
            files={"file": ("../../etc/glossary.tbx", exported.content, "application/xml")},
        )
        assert r.status_code == 200
        added = int(re.search(r'id="import-added">(\d+)<', r.text).group(1))  # type: ignore[union-attr]
    assert added == len(current_entries(empty / "glossary")) > 0
    assert not (tmp_path / "etc").exists()


# -- the review queue ----------------------------------------------------------------------------------


def _queue_forms(client: TestClient, kind: str) -> list[dict[str, str]]:
    page = client.get("/queue", params={"type": kind}).text
    forms = re.findall(r'<form method="post" action="/queue/\w+/decide".*?</form>', page, re.S)
    return [dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', f)) for f in forms]


def test_accepting_a_span_translation_puts_it_in_the_translation_memory(client: TestClient, workspace: Path) -> None:
    form = _queue_forms(client, "span")[0]
    r = client.post(
        "/queue/span/decide", data={**form, "decision": "accept", "reviewer": "ana"}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 200 and 'data-decision="approved"' in r.text
    memory = open_corpus(workspace / "store").translation_memory()
    assert form["source"] in memory
    assert all(f.get("source") != form["source"] for f in _queue_forms(client, "span"))


def test_rejecting_an_edit_logs_it_and_takes_it_off_the_queue(client: TestClient, workspace: Path) -> None:
    form = _queue_forms(client, "edit")[0]
    r = client.post(
        "/queue/edit/decide",
        data={**form, "decision": "reject", "reviewer": "ana", "note": "wrong"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    corpus = open_corpus(workspace / "store")
    log = corpus.collect(corpus.edit_decisions())
    assert log.select("decision", "reviewer", "note", "rule").rows() == [("rejected", "ana", "wrong", form["rule"])]
    remaining = _queue_forms(client, "edit")
    assert all(
        (f["doc_hash"], f["start"], f["rule"]) != (form["doc_hash"], form["start"], form["rule"]) for f in remaining
    )
    # What the next clean will do with that edit: drop it.
    decisions = load_decisions(corpus)
    stored = corpus.collect(
        corpus.edits().filter((pl.col("doc_hash") == form["doc_hash"]) & (pl.col("rule") == form["rule"]))
    ).row(0, named=True)
    edit = Edit(stored["start"], stored["end"], stored["before"], stored["after"], stored["kind"], stored["rule"])
    assert apply_decisions([edit], decisions) == []


@pytest.mark.parametrize(
    ("english", "decision"),
    [
        pytest.param("reworded by a reviewer", "edited", id="new-english"),
        pytest.param(None, "accepted", id="same-english"),
    ],
)
def test_editing_an_edits_english_records_the_reviewers_text(
    client: TestClient, workspace: Path, english: str | None, decision: str
) -> None:
    form = next(f for f in _queue_forms(client, "edit") if f["rule"].startswith("number:"))
    page = client.get("/queue", params={"type": "edit"}).text
    proposed = re.search(r'id="' + re.escape(form["item_id"]) + r'".*?name="after" value="([^"]*)"', page, re.S)
    assert proposed is not None
    sent = english if english is not None else proposed.group(1)
    r = client.post("/queue/edit/decide", data={**form, "decision": "edit", "after": sent, "reviewer": "ana"},
                    headers={"HX-Request": "true"})  # fmt: skip
    assert r.status_code == 200 and f'data-decision="{decision}"' in r.text
    corpus = open_corpus(workspace / "store")
    assert corpus.collect(corpus.edit_decisions()).select("decision", "target").rows() == [(decision, sent)]


def test_accepting_a_deletion_records_empty_english(client: TestClient, workspace: Path) -> None:
    form = next(f for f in _queue_forms(client, "edit") if f["rule"].startswith("boilerplate:"))
    r = client.post("/queue/edit/decide", data={**form, "decision": "accept", "reviewer": "ana"})
    assert r.status_code == 200
    corpus = open_corpus(workspace / "store")
    assert corpus.collect(corpus.edit_decisions()).select("decision", "target").rows() == [("accepted", "")]


def test_a_conflict_in_htmx_replaces_the_main_column(client: TestClient) -> None:
    form = _queue_forms(client, "span")[0]
    client.post("/queue/span/decide", data={**form, "decision": "reject", "reviewer": "ana"})
    late = client.post("/queue/span/decide", data={**form, "decision": "accept", "reviewer": "luis"},
                       headers={"HX-Request": "true"})  # fmt: skip
    assert late.status_code == 409
    assert (late.headers["HX-Retarget"], late.headers["HX-Reswap"]) == ("#main", "innerHTML")
    assert 'id="conflict"' in late.text and "<html" not in late.text


def test_a_second_decision_on_a_stale_page_gets_the_conflict_page(client: TestClient, workspace: Path) -> None:
    form = _queue_forms(client, "span")[0]
    client.post("/queue/span/decide", data={**form, "decision": "reject", "reviewer": "ana"})
    late = client.post("/queue/span/decide", data={**form, "decision": "accept", "reviewer": "luis"})
    assert late.status_code == 409 and 'id="conflict"' in late.text
    corpus = open_corpus(workspace / "store")
    assert corpus.collect(corpus.decisions().filter(pl.col("source") == form["source"]))["status"].to_list() == [
        "rejected"
    ]


def test_approving_a_term_proposal_adds_an_approved_entry(client: TestClient, workspace: Path) -> None:
    page = client.get("/proposals", params={"min_count": 1}).text
    forms = re.findall(r'<form method="post" action="/proposals/approve".*?</form>', page, re.S)
    if not forms:
        pytest.skip("the sample store yields no term proposals")
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', forms[0]))
    r = client.post(
        "/proposals/approve", data={**fields, "status": "approved", "reviewer": "ana"}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 200 and 'data-status="approved"' in r.text
    assert any(e.source == fields["source"] and e.status == "approved" for e in current_entries(workspace / "glossary"))


# -- decisions.apply_decisions: the pure step the next clean runs --------------------------------------

EDIT = Edit(
    10, 22, "derechohabientes", "beneficiaries", "translation", "translate:apertium", 0.4, "apertium", "flagged"
)


def _decided(decision: str, target: str | None, key: str | None = None) -> EditDecisions:
    k = key or edit_key(EDIT.rule, EDIT.before, EDIT.after)
    return EditDecisions({k: EditDecision(k, decision, target)})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        pytest.param(EditDecisions(), [EDIT], id="none"),
        pytest.param(_decided("rejected", None), [], id="rejected-dropped"),
        pytest.param(
            _decided("accepted", EDIT.after),
            [Edit(10, 22, EDIT.before, EDIT.after, "translation", EDIT.rule, 1.0, "apertium", "applied")],
            id="accepted-applied",
        ),
        pytest.param(
            _decided("edited", "rightful claimants"),
            [Edit(10, 22, EDIT.before, "rightful claimants", "translation", EDIT.rule, 1.0, "apertium", "applied")],
            id="edited-rewritten",
        ),
        pytest.param(
            _decided("rejected", None, edit_key(EDIT.rule, " derechohabientes ", "beneficiaries\n")),
            [],
            id="same-text-other-spacing",
        ),
        pytest.param(
            _decided("rejected", None, edit_key("glossary:x", EDIT.before, EDIT.after)), [EDIT], id="other-rule"
        ),
    ],
)
def test_apply_decisions(decisions: EditDecisions, expected: list[Edit]) -> None:
    assert apply_decisions([EDIT], decisions) == expected


def test_key_expression_matches_the_python_key() -> None:
    from mtrepair.decisions import key_expr

    texts = ["a\u00a0 b", " x\ty ", "line\nbreak\u2028", "plain", "\x1cseparator"]
    df = pl.DataFrame({"rule": ["r"] * len(texts), "before": texts, "after": texts[::-1]})
    assert df.select(key_expr())["rule"].to_list() == [
        edit_key("r", b, a) for b, a in zip(texts, texts[::-1], strict=True)
    ]


def test_a_rejected_edit_is_not_proposed_again_on_the_next_clean(
    client: TestClient, workspace: Path, built: Path
) -> None:
    form = next(f for f in _queue_forms(client, "edit") if f["rule"] == "number:thousand")
    client.post("/queue/edit/decide", data={**form, "decision": "reject", "reviewer": "ana"})
    corpus = open_corpus(workspace / "store")
    rejected = corpus.collect(corpus.edit_decisions()).row(0, named=True)
    proc = run_cli(
        "clean", str(built / "articles"), "-o", str(workspace / "out"), "--corpus", str(workspace / "store"),
        "--glossary", str(workspace / "glossary"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    corpus = open_corpus(workspace / "store")
    again = corpus.collect(
        corpus.edits().filter(
            (pl.col("rule") == rejected["rule"])
            & (pl.col("before") == rejected["before"])
            & (pl.col("after") == rejected["after"])
        )
    )
    assert again.height == 0
