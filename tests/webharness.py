"""Test harness for ``mtrepair serve`` (issue 13): a real store, a real server, a real browser.

- ``Workspace``: a temporary corpus store filled by the real ``mtrepair clean`` and a temporary
  copy of the project glossary, so tests never write to ``glossary/`` or ``corpus/store``.
- ``Server``: ``python -m mtrepair serve`` as a subprocess on a free port, waited for until it
  answers HTTP, stopped at the end.
- ``chrome()``: headless Debian Chromium through selenium and the system chromedriver; the test
  is skipped, saying why, only when those programs are absent.
- ``save_screenshot``: PNGs into ``$MTREPAIR_ARTIFACTS`` (CI keeps that folder) or the test's tmp
  folder, and into ``docs/`` when ``MTREPAIR_DOCS_SCREENSHOTS=1`` (how the README's pictures are
  remade; an ordinary run never writes into the repository).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"
PROJECT_GLOSSARY = ROOT / "glossary"
DOCS = ROOT / "docs"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# A server that has not answered in this long did not start (the first start imports polars,
# deltalake and starlette; on a loaded 2-core CI box that has taken a few seconds).
START_WAIT_S = 60.0
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]{1,200})"')


def cli(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The real ``mtrepair`` entry point, as a reviewer's terminal runs it."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mtrepair", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=timeout,
        check=False,
    )


def cli_ok(*args: str, cwd: Path | None = None) -> str:
    proc = cli(*args, cwd=cwd)
    assert proc.returncode == 0, f"mtrepair {' '.join(args)}: {proc.stderr}"
    return proc.stdout


@dataclass(frozen=True)
class Workspace:
    """A store and a glossary the tests may change; ``root`` holds both (and nothing else the
    server should ever read: the path-traversal tests plant a secret file there)."""

    root: Path
    store: Path
    glossary: Path

    def clean(self, *paths: Path, min_confidence: float | None = None, report: Path | None = None) -> str:
        """``mtrepair clean PATHS --corpus STORE --glossary GLOSSARY [--report FILE]`` run in ``root``
        (articles under it are named relative to it, so the store records ``articles/x.txt`` as
        their source, not a temporary path); its output."""
        names = [str(p.relative_to(self.root)) if p.is_relative_to(self.root) else str(p) for p in paths]
        args = [*names, "--corpus", str(self.store), "--glossary", str(self.glossary)]
        args += ["-o", str(self.root / "out")]
        if min_confidence is not None:
            args += ["--min-confidence", str(min_confidence)]
        if report is not None:
            args += ["--report", str(report)]
        return cli_ok("clean", *args, cwd=self.root)


def make_workspace(root: Path, articles: Sequence[Path] = (), *, min_confidence: float | None = None) -> Workspace:
    """A copy of the project glossary under ``root`` and a store cleaned from copies of ``articles``
    in ``root/articles``."""
    root.mkdir(parents=True, exist_ok=True)
    glossary = root / "glossary"
    shutil.copytree(PROJECT_GLOSSARY, glossary)
    ws = Workspace(root, root / "store", glossary)
    if articles:
        folder = root / "articles"
        folder.mkdir(exist_ok=True)
        copies = []
        for path in articles:
            copy = folder / path.name
            if path.resolve() != copy.resolve():
                shutil.copyfile(path, copy)
            copies.append(copy)
        ws.clean(*copies, min_confidence=min_confidence)
    return ws


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running ``mtrepair serve``; ``url`` is how a browser on this machine reaches it."""

    proc: subprocess.Popen[str]
    url: str
    token: str | None
    log: Path
    args: tuple[str, ...] = field(default=())

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, follow_redirects=False, timeout=30, **kwargs)

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)


def serve_args(ws: Workspace, *, host: str = "127.0.0.1", port: int, token: str | None = None) -> list[str]:
    args = ["serve", "--corpus", str(ws.store), "--glossary", str(ws.glossary), "--host", host, "--port", str(port)]
    if token is not None:
        args += ["--token", token]
    return args


def start_server(
    ws: Workspace,
    *,
    host: str = "127.0.0.1",
    token: str | None = None,
    prefix: Sequence[str] = (),
    extra: Sequence[str] = (),
) -> Server:
    """Start ``[prefix...] python -m mtrepair serve [extra...]`` and wait until it answers; ``prefix``
    is for ``taskset -c 0`` (the benchmark pins the server to one core)."""
    port = free_port()
    args = [*serve_args(ws, host=host, port=port, token=token), *extra]
    log = ws.root / f"serve-{port}.log"
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1")
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [*prefix, sys.executable, "-m", "mtrepair", *args],
            stdout=err,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            env=env,
        )
    server = Server(proc, f"http://127.0.0.1:{port}", token, log, tuple(args))
    deadline = time.monotonic() + START_WAIT_S
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"mtrepair serve exited with {proc.returncode}: {server.stderr()}")
        with suppress(httpx.TransportError), httpx.Client(timeout=5) as probe:
            probe.get(server.url + "/login")
            return server
        if time.monotonic() > deadline:
            server.stop()
            raise AssertionError(f"mtrepair serve did not answer on {server.url}: {server.stderr()}")
        time.sleep(0.2)


@contextmanager
def running(ws: Workspace, **kwargs: Any) -> Iterator[Server]:
    server = start_server(ws, **kwargs)
    try:
        yield server
    finally:
        server.stop()


def csrf_token(html: str) -> str:
    m = CSRF_META.search(html)
    assert m is not None, "page has no <meta name=csrf-token>"
    return m.group(1)


@contextmanager
def signed_in_client(server: Server) -> Iterator[httpx.Client]:
    """An HTTP client holding a session (signed in with the server's token when it has one)
    and the CSRF token of that session in ``client.headers['X-CSRF-Token']``."""
    with server.client() as client:
        page = client.get("/login" if server.token is not None else "/")
        token = csrf_token(page.text)
        if server.token is not None:
            done = client.post("/login", data={"token": server.token, "csrf_token": token, "next": "/"})
            assert done.status_code == 303, done.text
            token = csrf_token(client.get("/").text)
        client.headers["X-CSRF-Token"] = token
        yield client


# ---- the browser -------------------------------------------------------------------------


def chrome(width: int = 1400, height: int = 1000) -> WebDriver:
    """Headless Debian Chromium; skips (with the reason) only when it is not installed."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(f"needs Debian chromium and chromium-driver (missing {', '.join(missing)}); apt-get install chromium chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver: WebDriver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(0)
    return driver


def browser_sign_in(driver: WebDriver, server: Server) -> None:
    """Sign in through the login form (a no-op for a server without a token)."""
    if server.token is None:
        return
    from selenium.webdriver.common.by import By

    driver.get(server.url + "/login")
    driver.find_element(By.ID, "token").send_keys(server.token)
    driver.find_element(By.CSS_SELECTOR, "#login-form [type=submit]").click()


def artifacts_dir(fallback: Path) -> Path:
    where = os.environ.get("MTREPAIR_ARTIFACTS")
    out = Path(where) if where else fallback
    out.mkdir(parents=True, exist_ok=True)
    return out


def save_screenshot(driver: WebDriver, name: str, fallback: Path) -> Path:
    """``serve-NAME.png`` in the artifacts folder (and ``docs/`` when asked to remake those)."""
    path = artifacts_dir(fallback) / f"serve-{name}.png"
    assert driver.save_screenshot(str(path)), f"no screenshot for {name}"
    if os.environ.get("MTREPAIR_DOCS_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(path, DOCS / path.name)
    return path


# ---- articles written for these tests (our own text, not copied from any source) -----------

# Every way article text could run script if a page forgot to escape it: an inline script, an
# event handler, a javascript: link in HTML and in Markdown. Each sets window.__pwned and the
# title, which the browser tests read back.
HOSTILE_ARTICLE = """Health ministry opens vaccination centers in Oaxaca

Officials said <script>window.__pwned = 1; document.title = "pwned";</script> the campaign continues in Oaxaca.

A photo caption read <img src=x onerror="window.__pwned = 2; document.title = 'pwned'"> during the event at the hospital.

More details are at <a href="javascript:window.__pwned=3">the ministry site</a> and on [the programme page](javascript:window.__pwned=4) for families.

The IMSS reported 4 mil 158 vaccinations in the region on Tuesday, and the derechohabientes were thanked.
"""

# A Spanish word the project glossary lacks, so a term proposed for it changes the next clean
# (before approval Apertium renders it "nurseries"; approved, the glossary's target applies).
DAYCARE_ARTICLE = """IMSS expands childcare in Sonora

The Mexican Social Security Institute (IMSS) announced on Monday that it will open twelve new guarderías in Sonora before the end of the year.

The director said the guarderías will serve more than 2,400 children of working mothers and fathers.

Families can register at their family medicine unit.
"""
DAYCARE_TERM = ("guarderías", "daycare centers")

# Spanish-style "N thousand" counts that the number stage flags for review (confidence under the
# default threshold): material for decisions that must hold on the next clean.
PENSIONS_ARTICLE = """Welfare pensions reach more families in Puebla

The ministry said the pension program now reaches 427 thousand older adults in the state, up from 391 thousand last year.

Officials added that 58 thousand people with disabilities also receive the monthly payment.
"""
DAYCARE_ENTRY_ID = "guarderias"

# An approved entry's source that stands only where the glossary must not touch it (a URL), so
# the article view lists the entry as "found, not applied" with glossary explain's reason.
PROTECTED_ARTICLE = """Hospital capacity grows in Sonora

The institute said the new wing adds 120 beds, and the list of units is published at https://www.example.gob.mx/hospitales/sonora for families.

Officials said the expansion will be finished next month.
"""
PROTECTED_ENTRY_ID = "hospitales"

# Glossary text a reviewer could type: a target that closes an attribute and opens a script,
# a note with an event handler, an author with markup.
HOSTILE_ENTRY = {
    "source": "vacunatorio",
    "target": '"><script>window.__pwned=5</script>',
    "note": '<img src=x onerror="window.__pwned=6">',
    "author": "<b onmouseover=alert(1)>eve</b>",
}
HOSTILE_ENTRY_ID = "vacunatorio"


def write_article(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def add_hostile_entry(ws: Workspace) -> None:
    e = HOSTILE_ENTRY
    cli_ok("glossary", "add", e["source"], e["target"], "-g", str(ws.glossary), "--note", e["note"], "--reviewer", e["author"])


def doc_hash_of(ws: Workspace, doc_id: str) -> str:
    """The store's key for the article cleaned from file ``doc_id`` (read with the library)."""
    import polars as pl

    from mtrepair.corpus.store import Corpus

    corpus = Corpus(ws.store)
    rows = corpus.collect(corpus.documents().filter(pl.col("doc_id") == doc_id).select("doc_hash"))
    assert rows.height == 1, f"{doc_id}: {rows.height} documents in the store"
    return str(rows.item())
