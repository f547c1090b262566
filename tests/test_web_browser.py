"""``mtrepair serve`` driven through a real headless Chromium (issue 13).

One store (the sample articles and articles written for these tests, cleaned by the real
``mtrepair clean`` with a high ``--min-confidence`` so the queue has proposals), one server
(token-protected, so the browser signs in through the login form) and one browser per module
(a second one for the tests with two reviewers). Everything a reviewer does goes through the
pages; what it changed is read back with the library and the CLI, as the next ``clean`` would
see it. The tests share the store but each picks items no earlier test decided, so each also
passes alone (``-k``).

Screenshots of each page go to ``$MTREPAIR_ARTIFACTS`` (or the test's tmp folder);
``MTREPAIR_DOCS_SCREENSHOTS=1`` also writes them to ``docs/`` for the README.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from webharness import (
    DAYCARE_ARTICLE,
    DAYCARE_ENTRY_ID,
    DAYCARE_TERM,
    HOSTILE_ARTICLE,
    HOSTILE_ENTRY_ID,
    PENSIONS_ARTICLE,
    PROTECTED_ARTICLE,
    PROTECTED_ENTRY_ID,
    SAMPLES,
    Server,
    Workspace,
    add_hostile_entry,
    browser_sign_in,
    chrome,
    cli_ok,
    doc_hash_of,
    make_workspace,
    save_screenshot,
    start_server,
    write_article,
)

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

pytestmark = pytest.mark.slow

TOKEN = "browser-review-token"
REVIEWER = "Rita Reviewer"
PAGE_SIZE = 10  # small, so the sample store's queue has more than one page
WAIT_S = 30.0  # a bound for the page to react, not a timing assertion


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("webui")
    articles = [
        *sorted(SAMPLES.glob("*.txt")),
        write_article(root / "articles", "hostile.txt", HOSTILE_ARTICLE),
        write_article(root / "articles", "protected.txt", PROTECTED_ARTICLE),
    ]
    space = make_workspace(root, articles, min_confidence=0.95)
    source, target = DAYCARE_TERM
    cli_ok("glossary", "add", source, target, "-g", str(space.glossary), "--reviewer", "desk editor",
           "--note", "childcare centres run by IMSS", "--reason", "seen in a Sonora story")
    add_hostile_entry(space)
    return space


@pytest.fixture(scope="module")
def server(ws: Workspace) -> Iterator[Server]:
    running = start_server(ws, token=TOKEN, extra=["--page-size", str(PAGE_SIZE)])
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[WebDriver]:
    driver = chrome()
    try:
        browser_sign_in(driver, server)
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def second(server: Server) -> Iterator[WebDriver]:
    """Another reviewer: a second browser with its own session."""
    driver = chrome()
    try:
        browser_sign_in(driver, server)
        yield driver
    finally:
        driver.quit()


# ---- helpers ------------------------------------------------------------------------------


def wait_for(driver: WebDriver, what: str, check: Callable[[WebDriver], Any]) -> Any:
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, WAIT_S, ignored_exceptions=(StaleElementReferenceException,)).until(check)
    except TimeoutException:
        pytest.fail(f"waited {WAIT_S:.0f} s for {what} on {driver.current_url}")


def css(driver: WebDriver | WebElement, selector: str) -> list[WebElement]:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def one(driver: WebDriver | WebElement, selector: str) -> WebElement:
    found = css(driver, selector)
    assert found, f"no {selector}"
    return found[0]


def set_reviewer(driver: WebDriver, scope: WebDriver | WebElement | None = None) -> None:
    """Type the reviewer's name in the header bar (and a form's own field when it has one)."""
    for field in css(scope or driver, "input[name=reviewer]"):
        if field.is_displayed():
            field.clear()
            field.send_keys(REVIEWER)


def text_of(driver: WebDriver, row: WebElement, selector: str) -> str:
    """The exact text of a cell part (``textContent``: what the server wrote, not the layout's)."""
    return str(driver.execute_script("return arguments[0].querySelector(arguments[1]).textContent", row, selector))


def edit_key_of(driver: WebDriver, row: WebElement) -> str:
    """The review log's key for a queue row's edit; a removal shows "(removed)" for its empty English."""
    from mtrepair.decisions import edit_key

    after = one(row, ".after")
    english = "" if "removed" in (after.get_attribute("class") or "").split() else text_of(driver, row, ".after")
    return edit_key(row.get_attribute("data-rule") or "", text_of(driver, row, ".before"), english)


def fill(field: WebElement, text: str) -> None:
    field.clear()
    field.send_keys(text)


def csp_violations(driver: WebDriver) -> list[str]:
    """Console messages of content the CSP blocked: there must be none, since a page that
    escapes everything never even tries to run script it did not ship."""
    return [str(e["message"]) for e in console(driver) if "Content Security Policy" in e["message"]]


def console(driver: WebDriver) -> list[dict[str, Any]]:
    """The browser console since the last call (chromedriver's log; selenium leaves it untyped)."""
    entries: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return entries


# ---- 1. an approved term applies on the next clean and shows in the article view ----------


def test_approved_term_applies_on_next_clean_and_is_listed(browser: WebDriver, server: Server, ws: Workspace, shots: Path) -> None:
    from mtrepair.glossary.review import current_entries

    source, target = DAYCARE_TERM
    browser.get(f"{server.url}/glossary?q={source}")
    row = one(browser, f"tr.entry[data-entry-id={DAYCARE_ENTRY_ID}]")
    assert row.get_attribute("data-status") == "proposed"
    save_screenshot(browser, "glossary-proposed", shots)

    browser.get(f"{server.url}/glossary/entry/{DAYCARE_ENTRY_ID}")
    set_reviewer(browser)
    one(browser, "#status-approved").click()
    wait_for(browser, "the entry to be approved",
             lambda d: any(e.id == DAYCARE_ENTRY_ID and e.status == "approved" for e in current_entries(ws.glossary)))

    article = write_article(ws.root / "later", "daycare.txt", DAYCARE_ARTICLE)
    ws.clean(article)
    doc_hash = doc_hash_of(ws, "daycare.txt")

    browser.get(f"{server.url}/docs?q=Sonora")
    one(browser, f"a.doc-link[data-doc-id='{doc_hash}'], a.doc-link[href$='/doc/{doc_hash}']").click()
    wait_for(browser, "the article view", lambda d: css(d, "#article"))
    repaired = one(browser, "#repaired").text
    assert repaired.count(target) == 2
    assert source not in repaired
    assert source in one(browser, "#original").text
    marks = css(browser, f"#repaired mark.edit[data-rule='glossary:{source}']") or css(browser, f"mark.edit[data-rule='glossary:{source}']")
    assert marks, "the glossary edits are not highlighted"
    assert all(m.get_attribute("data-status") == "applied" for m in marks)
    assert target in (marks[0].get_attribute("title") or "") or "glossary" in (marks[0].get_attribute("title") or "")
    assert css(browser, f"#glossary-applied li[data-entry-id={DAYCARE_ENTRY_ID}]"), "the approved entry is not listed as applied"
    save_screenshot(browser, "article", shots)


# ---- 2. accept and reject in the queue; the review log and the translation memory show it ---


def _decide(browser: WebDriver, row: WebElement, action: str) -> None:
    """Click the row's button and wait for htmx to swap in the decided row (or an error page)."""
    item = row.get_attribute("data-item-id")
    one(row, f"button[data-action={action}]").click()
    decided = f"tr.queue-item.decided[data-item-id='{item}'][data-decision]"
    wait_for(browser, f"{item} to be marked {action}", lambda d: css(d, decided) or css(d, "#error, #conflict"))
    problems = [e.text for e in css(browser, "#error, #conflict")]
    assert not problems, f"{action} {item}: {problems}"


def test_queue_accept_and_reject_reach_the_review_log_and_memory(browser: WebDriver, server: Server, ws: Workspace, shots: Path) -> None:
    from mtrepair.corpus.store import Corpus
    from mtrepair.decisions import load_decisions

    browser.get(f"{server.url}/queue")
    wait_for(browser, "the queue", lambda d: css(d, "#queue"))
    save_screenshot(browser, "queue", shots)

    browser.get(f"{server.url}/queue?type=edit")
    set_reviewer(browser)
    rows = css(browser, "tr.queue-item[data-type=edit]")
    assert len(rows) >= 2, "the samples cleaned at --min-confidence 0.95 leave edits to review"
    accepted, rejected = rows[0], rows[1]
    decided_ids = {accepted.get_attribute("data-item-id"), rejected.get_attribute("data-item-id")}
    keys = {"accept": edit_key_of(browser, accepted), "reject": edit_key_of(browser, rejected)}
    _decide(browser, accepted, "accept")
    _decide(browser, one(browser, f"tr.queue-item[data-item-id='{rejected.get_attribute('data-item-id')}']"), "reject")

    browser.get(f"{server.url}/queue?type=span")
    set_reviewer(browser)
    spans = css(browser, "tr.queue-item[data-type=span]")
    assert len(spans) >= 2, "machine translations of Spanish spans wait for review"
    good = (text_of(browser, spans[0], ".before"), text_of(browser, spans[0], ".after"))
    bad = text_of(browser, spans[1], ".before")
    _decide(browser, spans[0], "accept")
    _decide(browser, one(browser, f"tr.queue-item[data-item-id='{spans[1].get_attribute('data-item-id')}']"), "reject")

    corpus = Corpus(ws.store)
    decisions = load_decisions(corpus)
    assert decisions.by_key[keys["accept"]].decision == "accepted"
    assert decisions.by_key[keys["accept"]].reviewer == REVIEWER
    assert decisions.by_key[keys["accept"]].updated is not None
    assert decisions.by_key[keys["reject"]].decision == "rejected"
    history = cli_ok("corpus", "history", "--corpus", str(ws.store)).splitlines()
    assert any(line.startswith("edit_reviews\t") and "edit review" in line for line in history)
    memory = corpus.translation_memory()
    assert memory.get(good[0]) == good[1]
    assert bad not in memory
    listed = cli_ok("corpus", "review", "list", "--corpus", str(ws.store))
    sources = {line.split("\t")[2] for line in listed.splitlines()[1:] if line.count("\t") >= 3}
    assert good[0] not in sources and bad not in sources

    browser.get(f"{server.url}/queue?type=edit")
    remaining = {r.get_attribute("data-item-id") for r in css(browser, "tr.queue-item[data-type=edit]")}
    assert not decided_ids & remaining  # decided items leave the queue


def test_queue_decides_by_keyboard(browser: WebDriver, server: Server, ws: Workspace) -> None:
    """j selects the first row, r rejects it: one keypress per decision."""
    from selenium.webdriver.common.action_chains import ActionChains

    from mtrepair.corpus.store import Corpus
    from mtrepair.decisions import load_decisions

    browser.get(f"{server.url}/queue?type=edit")
    set_reviewer(browser)
    browser.execute_script("document.activeElement.blur()")  # keys typed into a field are text, not commands
    first = one(browser, "tr.queue-item[data-type=edit]:not(.decided)")
    item = first.get_attribute("data-item-id")
    key = edit_key_of(browser, first)
    ActionChains(browser).send_keys("j").perform()
    wait_for(browser, "j to select the first row", lambda d: "selected" in (one(d, f"tr.queue-item[data-item-id='{item}']").get_attribute("class") or ""))
    ActionChains(browser).send_keys("r").perform()
    wait_for(browser, "r to reject it", lambda d: css(d, f"tr.queue-item.decided[data-item-id='{item}']"))
    assert load_decisions(Corpus(ws.store)).by_key[key].decision == "rejected"


def test_queue_accepts_a_removal(browser: WebDriver, server: Server, ws: Workspace) -> None:
    """A flagged boilerplate removal has no English (``after`` is empty): accepting it is still
    a decision, recorded with the empty text to write (samples 000/001: "Read more: …" lines)."""
    from mtrepair.corpus.store import Corpus
    from mtrepair.decisions import load_decisions

    browser.get(f"{server.url}/queue?type=edit&kind=boilerplate")
    set_reviewer(browser)
    row = one(browser, "tr.queue-item[data-type=edit]:not(.decided)")
    assert "removed" in (one(row, ".after").get_attribute("class") or "")
    key = edit_key_of(browser, row)
    _decide(browser, row, "accept")
    decided = load_decisions(Corpus(ws.store)).by_key[key]
    assert (decided.decision, decided.target) == ("accepted", "")


def test_queue_edit_the_english_of_a_span_with_enter(browser: WebDriver, server: Server, ws: Workspace) -> None:
    """The reviewer's own English for a span, typed in the row and sent with Enter, becomes the
    translation memory's pair."""
    from selenium.webdriver.common.keys import Keys

    from mtrepair.corpus.store import Corpus

    browser.get(f"{server.url}/queue?type=span")
    set_reviewer(browser)
    row = one(browser, "tr.queue-item[data-type=span]:not(.decided)")
    item, source = row.get_attribute("data-item-id"), text_of(browser, row, ".before")
    english = f"reviewed English for {source}"
    field = one(row, "input.english")
    fill(field, english)
    field.send_keys(Keys.ENTER)
    wait_for(browser, "the edit to be saved", lambda d: css(d, f"tr.queue-item.decided[data-item-id='{item}']") or css(d, "#error, #conflict"))
    assert not css(browser, "#error, #conflict")
    assert Corpus(ws.store).translation_memory().get(source) == english


def test_decisions_hold_on_the_next_clean(browser: WebDriver, server: Server, ws: Workspace) -> None:
    """Issue 13: a rejected edit is not proposed again for the same text on the next clean, and
    an accepted one is applied though under the threshold (flagged "N thousand" counts of an
    article cleaned here, so no other test decided them, then cleaned again)."""
    import json

    from mtrepair.decisions import edit_key

    sample = "pensions.txt"
    article = write_article(ws.root / "articles", sample, PENSIONS_ARTICLE)
    ws.clean(article, min_confidence=0.95)
    browser.get(f"{server.url}/queue?type=edit&doc={sample}")
    set_reviewer(browser)
    rows = css(browser, f"tr.queue-item[data-type=edit][data-doc-id='{sample}']:not(.decided)")
    assert len(rows) >= 2, "the counts are flagged for review"
    rejected, accepted = rows[0], rows[1]
    keys = {"reject": edit_key_of(browser, rejected), "accept": edit_key_of(browser, accepted)}
    accepted_id = accepted.get_attribute("data-item-id")
    _decide(browser, rejected, "reject")
    _decide(browser, one(browser, f"tr.queue-item[data-item-id='{accepted_id}']"), "accept")

    report = ws.root / "again.jsonl"
    ws.clean(article, min_confidence=0.95, report=report)
    proposed = {edit_key(e["rule"], e["before"], e["after"]): e for e in map(json.loads, report.read_text(encoding="utf-8").splitlines())}
    assert keys["reject"] not in proposed
    assert proposed[keys["accept"]]["status"] == "applied"

    browser.get(f"{server.url}/queue?type=edit&doc={sample}")  # neither comes back to the queue
    remaining = {edit_key_of(browser, r) for r in css(browser, "tr.queue-item[data-type=edit]")}
    assert not remaining & set(keys.values())


def test_queue_filter_form_and_pages(browser: WebDriver, server: Server) -> None:
    from selenium.webdriver.support.ui import Select

    browser.get(f"{server.url}/queue")
    first_page = [r.get_attribute("data-item-id") for r in css(browser, "tr.queue-item")]
    assert len(first_page) == PAGE_SIZE
    one(browser, "a#next-page").click()
    wait_for(browser, "page 2", lambda d: "page=2" in d.current_url)
    second_page = [r.get_attribute("data-item-id") for r in css(browser, "tr.queue-item")]
    assert second_page and not set(first_page) & set(second_page)
    assert css(browser, "a#prev-page")

    Select(one(browser, "#queue-filter select[name=kind]")).select_by_visible_text("number")
    one(browser, "#filter-submit").click()
    wait_for(browser, "the filtered queue", lambda d: "kind=number" in d.current_url)
    kinds = {r.get_attribute("data-kind") for r in css(browser, "tr.queue-item")}
    assert kinds == {"number"}


def test_queue_edit_the_english_of_an_edit(browser: WebDriver, server: Server, ws: Workspace) -> None:
    """The reviewer's own English for a flagged number (sample 003's "N thousand"): logged as edited,
    with that English as what the next clean writes."""
    from mtrepair.corpus.store import Corpus
    from mtrepair.decisions import load_decisions

    browser.get(f"{server.url}/queue?type=edit&kind=number")
    set_reviewer(browser)
    row = one(browser, "tr.queue-item[data-type=edit]:not(.decided)")
    key = edit_key_of(browser, row)
    english = text_of(browser, row, ".after") + " (reviewed)"
    fill(one(row, "input.english"), english)
    fill(one(row, "input[name=note]"), "house style")
    _decide(browser, row, "edit")
    decided = load_decisions(Corpus(ws.store)).by_key[key]
    assert (decided.decision, decided.target, decided.reviewer, decided.note) == ("edited", english, REVIEWER, "house style")


# ---- 3. two sessions edit one entry: the second gets the conflict page, the first's change stays


def test_second_editor_gets_the_conflict_page(browser: WebDriver, second: WebDriver, server: Server, ws: Workspace, shots: Path) -> None:
    from mtrepair.glossary.review import current_entries

    entry = "camas"
    for driver in (browser, second):
        driver.get(f"{server.url}/glossary/entry/{entry}")
        wait_for(driver, "the entry form", lambda d: css(d, "#entry-form"))
        set_reviewer(driver)
    first, other = "hospital beds", "cots"
    fill(one(browser, "#entry-form [name=target]"), first)
    fill(one(browser, "#entry-form [name=reason]"), "beds in wards")
    one(browser, "#save-entry").click()
    wait_for(browser, "the first edit to be saved",
             lambda d: any(e.id == entry and e.target == first for e in current_entries(ws.glossary)))

    fill(one(second, "#entry-form [name=target]"), other)
    one(second, "#save-entry").click()
    wait_for(second, "the conflict page", lambda d: css(d, "#conflict"))
    assert first in one(second, "#conflict-theirs").text
    assert other in one(second, "#conflict-yours").text
    save_screenshot(second, "conflict", shots)
    (saved,) = (e for e in current_entries(ws.glossary) if e.id == entry)
    assert saved.target == first
    assert saved.status == "proposed"  # an approved entry's new target waits for approval again


def test_second_reviewer_of_a_queue_item_gets_the_conflict(browser: WebDriver, second: WebDriver, server: Server, ws: Workspace) -> None:
    """Both reviewers have the queue open; the first accepts a span, the second's rejection of
    the same span (drawn before that) is refused with both decisions shown, and the log keeps
    the first."""
    import polars as pl

    from mtrepair.corpus.store import Corpus

    for driver in (browser, second):
        driver.get(f"{server.url}/queue?type=span")
        set_reviewer(driver)
    row = one(browser, "tr.queue-item[data-type=span]:not(.decided)")
    item, source = row.get_attribute("data-item-id"), text_of(browser, row, ".before")
    _decide(browser, row, "accept")

    one(second, f"tr.queue-item[data-item-id='{item}'] button[data-action=reject]").click()
    wait_for(second, "the conflict", lambda d: css(d, "#conflict"))
    corpus = Corpus(ws.store)
    statuses = corpus.collect(corpus.decisions().filter(pl.col("source") == source))["status"].to_list()
    assert statuses == ["approved"]


def test_editing_an_approved_entry_and_approving_it_in_one_action(browser: WebDriver, server: Server, ws: Workspace) -> None:
    """Issue 13: a changed target goes back to proposed unless the editor approves it in the same
    action (the other case is in the conflict test above)."""
    from mtrepair.glossary.review import current_entries

    entry = "quirofanos"
    (before,) = (e for e in current_entries(ws.glossary) if e.id == entry)
    assert before.status == "approved"
    browser.get(f"{server.url}/glossary/entry/{entry}")
    set_reviewer(browser)
    fill(one(browser, "#entry-form [name=target]"), "surgical theaters")
    one(browser, "#approve-too").click()
    one(browser, "#save-entry").click()
    wait_for(browser, "the saved entry", lambda d: any(e.id == entry and e.target == "surgical theaters" for e in current_entries(ws.glossary)))
    (after,) = (e for e in current_entries(ws.glossary) if e.id == entry)
    assert (after.status, after.author) == ("approved", REVIEWER)


def test_terminal_change_meanwhile_gives_the_browser_the_conflict(browser: WebDriver, server: Server, ws: Workspace) -> None:
    """A reviewer has an entry open; someone runs `mtrepair glossary edit` in a terminal; the
    browser's save is refused with both versions, and the terminal's change stays."""
    from mtrepair.glossary.review import current_entries

    entry = "consultas"
    browser.get(f"{server.url}/glossary/entry/{entry}")
    wait_for(browser, "the entry form", lambda d: css(d, "#entry-form"))
    set_reviewer(browser)
    cli_ok("glossary", "edit", entry, "--target", "medical appointments", "-g", str(ws.glossary),
           "--reviewer", "terminal user", "--reason", "house style")
    fill(one(browser, "#entry-form [name=target]"), "visits")
    one(browser, "#save-entry").click()
    wait_for(browser, "the conflict page", lambda d: css(d, "#conflict"))
    assert "medical appointments" in one(browser, "#conflict-theirs").text
    assert "visits" in one(browser, "#conflict-yours").text
    (saved,) = (e for e in current_entries(ws.glossary) if e.id == entry)
    assert (saved.target, saved.author) == ("medical appointments", "terminal user")


def test_terminal_and_browser_additions_both_kept(browser: WebDriver, server: Server, ws: Workspace) -> None:
    from mtrepair.glossary.review import current_entries

    browser.get(f"{server.url}/glossary")
    form = one(browser, "#add-entry")  # drawn before the terminal writes
    cli_ok("glossary", "add", "cubrebocas", "face masks", "-g", str(ws.glossary), "--reviewer", "terminal user")
    fill(one(form, "[name=source]"), "jeringas")
    fill(one(form, "[name=target]"), "syringes")
    fill(one(form, "[name=reviewer]"), REVIEWER)
    one(form, "#add-submit").click()
    wait_for(browser, "the new entry's page", lambda d: css(d, "#entry-form") or css(d, "#error"))
    sources = {e.source: e.author for e in current_entries(ws.glossary)}
    assert sources.get("cubrebocas") == "terminal user"
    assert sources.get("jeringas") == REVIEWER


# ---- 4. hostile article text renders inert -----------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        pytest.param("article", id="article"),
        pytest.param("/docs?q=Oaxaca", id="documents"),
        pytest.param("/queue", id="queue"),
        pytest.param("/glossary?q=vacunatorio", id="glossary"),
        pytest.param(f"/glossary/entry/{HOSTILE_ENTRY_ID}", id="entry"),
        pytest.param("/", id="dashboard"),
    ],
)
def test_hostile_text_renders_inert(browser: WebDriver, server: Server, ws: Workspace, page: str) -> None:
    path = f"/doc/{doc_hash_of(ws, 'hostile.txt')}" if page == "article" else page
    console(browser)  # drop what earlier pages logged
    browser.get(server.url + path)
    wait_for(browser, "the page", lambda d: d.execute_script("return document.readyState") == "complete")
    assert browser.execute_script("return window.__pwned === undefined")
    assert "pwned" not in browser.title
    scripts = browser.execute_script("return Array.from(document.scripts, s => [s.src, s.text])")
    assert all(src.startswith(server.url + "/static/") and not text.strip() for src, text in scripts), scripts
    assert not css(browser, "[onerror], [onload], [onclick], [onmouseover]")
    links = browser.execute_script("return Array.from(document.querySelectorAll('[href],[src],[action]'), e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))")
    assert not [u for u in links if u.strip().lower().startswith("javascript:")]
    assert csp_violations(browser) == []
    if page == "article":
        original = one(browser, "#original").text
        assert '<script>window.__pwned = 1; document.title = "pwned";</script>' in original  # shown as text
        assert "<img src=x onerror=" in original
        assert "4,158" in one(browser, "#repaired").text


def test_hostile_reviewer_name_renders_inert(browser: WebDriver, server: Server) -> None:
    """The reviewer's name is echoed into every page's header and into the history: typed markup
    stays text there."""
    name = '"><script>window.__pwned=11</script><img src=x onerror="window.__pwned=12">'
    browser.get(f"{server.url}/glossary")
    fill(one(browser, "#reviewer"), name[:100])
    one(browser, "#reviewer-form button[type=submit]").click()
    try:
        for path in ("/glossary", "/queue", f"/glossary/entry/{HOSTILE_ENTRY_ID}"):
            console(browser)
            browser.get(server.url + path)
            wait_for(browser, path, lambda d: d.execute_script("return document.readyState") == "complete")
            assert browser.execute_script("return window.__pwned === undefined")
            assert one(browser, "#reviewer").get_attribute("value") == name[:100]
            assert not css(browser, "[onerror]")
            assert csp_violations(browser) == []
    finally:
        browser.get(f"{server.url}/glossary")
        fill(one(browser, "#reviewer"), REVIEWER)
        one(browser, "#reviewer-form button[type=submit]").click()


def test_screenshots_of_the_other_pages(browser: WebDriver, server: Server, shots: Path) -> None:
    pages = (("dashboard", "/", "#dashboard"), ("proposals", "/proposals?min_count=1", "body"), ("glossary", "/glossary", "#glossary"))
    for name, path, hook in pages:
        browser.get(server.url + path)
        wait_for(browser, name, lambda d: css(d, hook))  # noqa: B023 (called before the loop moves on)
        assert save_screenshot(browser, name, shots).stat().st_size > 0


# ---- the other pages ----------------------------------------------------------------------


def test_article_view_marks_flagged_proposals(browser: WebDriver, server: Server, ws: Workspace, shots: Path) -> None:
    """Cleaned at --min-confidence 0.95, sample 003's "314 thousand"-style numbers are flagged:
    marked in the original, with what they would write on hover, and absent from the repair."""
    browser.get(f"{server.url}/doc/{doc_hash_of(ws, '003_51a4ab63d0b55e58.txt')}")
    flagged = css(browser, "#original mark.edit[data-status=flagged]")
    assert flagged, "no flagged proposal is marked"
    for mark in flagged:
        title = mark.get_attribute("title") or ""
        assert "flagged" in title and (mark.get_attribute("data-rule") or "") in title
    applied = css(browser, "#repaired mark.edit[data-status=applied]")
    assert applied and all(m.get_attribute("data-kind") for m in applied)
    save_screenshot(browser, "article-flagged", shots)


def test_article_view_says_why_an_approved_entry_did_not_apply(browser: WebDriver, server: Server, ws: Workspace) -> None:
    """The reason comes from glossary explain, loaded beside the text after the page."""
    browser.get(f"{server.url}/doc/{doc_hash_of(ws, 'protected.txt')}")
    item = one(browser, f"#glossary-not-applied li[data-entry-id={PROTECTED_ENTRY_ID}]")
    wait_for(browser, "the explanation", lambda d: "protected" in one(item, ".reason").text.lower())
    assert not css(browser, f"#glossary-applied li[data-entry-id={PROTECTED_ENTRY_ID}]")
    assert "hospitales" in one(browser, "#repaired").text  # the URL is left as it was


def test_dashboard_counts_match_the_store_and_glossary(browser: WebDriver, server: Server, ws: Workspace) -> None:
    from collections import Counter

    import polars as pl

    from mtrepair.corpus.store import Corpus
    from mtrepair.glossary.review import current_entries

    corpus = Corpus(ws.store)
    documents = corpus.collect(corpus.documents().select("doc_hash")).height
    edits = corpus.edits().filter((pl.col("status") == "applied") & (pl.col("before") != pl.col("after")))
    applied = Counter(corpus.collect(edits.select("kind"))["kind"].to_list())
    by_status = Counter(e.status for e in current_entries(ws.glossary))

    browser.get(server.url + "/")
    assert int(one(browser, "#stat-documents").text) == documents
    shown = {r.get_attribute("data-kind"): int(css(r, "td")[1].text) for r in css(browser, "#edits-by-kind tr[data-kind]")}
    assert shown == dict(applied)
    bars = css(browser, "svg#chart-edits g.bar rect.applied")
    assert bars, "the chart has no bars"
    statuses = {r.get_attribute("data-status"): int(css(r, "td")[1].text) for r in css(browser, "#glossary-by-status tr[data-status]")}
    assert statuses == dict(by_status)


def test_glossary_add_reject_delete_with_history(browser: WebDriver, server: Server, ws: Workspace) -> None:
    from mtrepair.glossary.review import current_entries, read_history

    browser.get(f"{server.url}/glossary")
    form = one(browser, "#add-entry")
    fill(one(form, "[name=source]"), "albergues")
    fill(one(form, "[name=target]"), "shelters")
    fill(one(form, "[name=note]"), "storm coverage")
    fill(one(form, "[name=reason]"), "seen in two bulletins")
    fill(one(form, "[name=reviewer]"), REVIEWER)
    one(form, "#add-submit").click()
    wait_for(browser, "the new entry's page", lambda d: css(d, "#entry-form") or css(d, "#error"))
    assert not css(browser, "#error"), one(browser, "#error").text
    entry_id = one(browser, "#entry").get_attribute("data-entry-id") or ""
    (added,) = (e for e in current_entries(ws.glossary) if e.id == entry_id)
    assert (added.source, added.target, added.status, added.author) == ("albergues", "shelters", "proposed", REVIEWER)

    set_reviewer(browser)
    one(browser, "#status-rejected").click()
    wait_for(browser, "the rejection", lambda d: one(d, "#entry").get_attribute("data-status") == "rejected")
    actions = [li.get_attribute("data-action") for li in css(browser, "#history li[data-action]")]
    assert len(actions) >= 2, actions

    set_reviewer(browser)
    one(browser, "#delete-entry").click()
    wait_for(browser, "the glossary page", lambda d: css(d, "#glossary"))
    assert entry_id not in {e.id for e in current_entries(ws.glossary)}
    assert {h.get("author") for h in read_history(ws.glossary, entry_id)} == {REVIEWER}


def test_glossary_import_and_export_from_the_page(browser: WebDriver, server: Server, ws: Workspace) -> None:
    """A TBX from another newsroom's glossary (made with the CLI) imported on the page as proposed;
    the page's CSV export then holds it."""
    from selenium.webdriver.support.ui import Select

    from mtrepair.glossary.review import current_entries

    theirs = ws.root / "their-glossary"
    shutil.copytree(ws.glossary, theirs)
    new = {"cartilla de vacunación": "vaccination card", "jornada de vacunación": "vaccination drive"}
    for source, target in new.items():
        cli_ok("glossary", "add", source, target, "-g", str(theirs), "--reviewer", "other desk", "--status", "approved")
    tbx = ws.root / "theirs.tbx"
    cli_ok("glossary", "export", "-o", str(tbx), "-g", str(theirs))

    browser.get(f"{server.url}/glossary")
    form = one(browser, "#import-form")
    one(form, "input[type=file]").send_keys(str(tbx))
    Select(one(form, "select[name=status]")).select_by_visible_text("proposed")
    fill(one(form, "[name=reviewer]"), REVIEWER)
    one(form, "#import-submit").click()
    wait_for(browser, "the import summary", lambda d: css(d, "#imported") or css(d, "#error"))
    assert not css(browser, "#error"), one(browser, "#error").text
    assert int(one(browser, "#import-added").text) == len(new)
    imported = {e.source: (e.target, e.status) for e in current_entries(ws.glossary) if e.source in new}
    assert imported == {s: (t, "proposed") for s, t in new.items()}

    csv_text = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/glossary/export?format=csv').then(r => r.text()).then(done, e => done('failed: ' + e));"
    )
    assert all(target in csv_text for target in new.values())


def test_term_proposal_approved_in_one_action(browser: WebDriver, server: Server, ws: Workspace) -> None:
    from mtrepair.glossary.review import current_entries

    browser.get(f"{server.url}/proposals?min_count=1")
    set_reviewer(browser)
    rows = css(browser, "tr.proposal:not(.done)")
    assert rows, "suggest-terms finds recurring Spanish in the samples"
    row = rows[-1]
    source = row.get_attribute("data-source") or ""
    english = f"reviewed {source}"
    fill(one(row, "input[name=target]"), english)
    one(row, "button[data-action=approve]").click()
    wait_for(browser, "the proposal to be added", lambda d: css(d, "tr.proposal.done") or css(d, "#error"))
    assert not css(browser, "#error")
    found = [e for e in current_entries(ws.glossary) if e.source == source]
    assert [(e.target, e.status, e.author) for e in found] == [(english, "approved", REVIEWER)]
