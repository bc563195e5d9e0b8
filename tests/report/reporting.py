"""What the report tests share: stores to report on, a static server, and a real browser.

``fixture_db`` is the store a user gets from the README's commands: every fixture page
replayed (from a WARC packed out of fixtures/, so that articles trace to a WARC record), the
text-reuse pages crawled with the generic spider, then ``scrapy reuse``. ``hostile_db`` is
built through the store's interface with titles, credits, captions, URLs and ids that hold
markup and script. The browser is the system Chromium driven by Playwright; tests that need
it skip when it is missing, except under CI (env ``CI`` set), where they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from crawler.storage import open_store
from tests.crawling import FIXTURES, fixture_cases, scrapy

#: The flags that keep a headless Chromium from calling home (its background services would
#: otherwise try Google's hosts at every start).
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--no-first-run",
    "--no-pings",
]


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("fixture-store")
    path = work / "wiretrace.sqlite"
    warc = work / "fixtures.warc.gz"
    packed = scrapy(["packwarc", str(FIXTURES), str(warc)], work / "packed", path, stats=False)
    assert packed.returncode == 0, packed.log[-3000:]
    seeds = scrapy(["crawlall"], work / "seeds", path, feed=True, replay=warc)
    assert seeds.returncode == 0, seeds.log[-3000:]
    urls = ",".join(c.url for c in fixture_cases("article") if c.folder.parent.name == "reuse")
    pages = scrapy(
        ["crawl", "article", "-a", f"urls={urls}"], work / "pages", path, feed=True, replay=warc
    )
    assert pages.returncode == 0, pages.log[-3000:]
    reused = scrapy(["reuse"], work / "reuse", path, stats=False)
    assert reused.returncode == 0, reused.log[-3000:]
    return path


@pytest.fixture(scope="session")
def fixture_report(fixture_db: Path) -> Path:
    out = fixture_db.parent / "report"
    done = scrapy(["report", "-o", str(out)], fixture_db.parent / "run", fixture_db, stats=False)
    assert done.returncode == 0, done.log[-3000:]
    return out


# -- a store holding markup and script where text belongs -------------------------------------

HOSTILE_TITLE = (
    '<script>window.__pwned = "title"; alert("title")</script>'
    '<img src="http://203.0.113.9/t.png" onerror="window.__pwned = \'img\'; alert(1)">\u2028'
)
HOSTILE_CREDIT = '"><svg onload="alert(\'credit\')"></svg>Xinhua/VNA</script><script>alert(2)'
HOSTILE_CAPTION = '<img src="http://203.0.113.9/c.png" onerror="alert(\'caption\')">AFP'
HOSTILE_URL = "javascript:alert('url')//"
HOSTILE_OUTLET = "<b onmouseover=\"alert('outlet')\">evil</b>"
HOSTILE_AGENCY = "unknown:</script><script>alert('agency')</script>"
HOSTILE_TEXT = (
    'Avant <a href="javascript:alert(3)">lien</a> <style>@import url(http://203.0.113.9/x.css);'
    "</style> selon <iframe src=http://203.0.113.9/></iframe> Xinhua après."
)


def hostile_items() -> list[dict[str, Any]]:
    fetch = {
        "fetched_at": "2023-09-14T08:00:00+00:00",
        "status": 200,
        "sha256": "0" * 64,
        "replayed": True,
        "warc": "<img src=x onerror=\"alert('warc')\">.warc.gz",
        "offset": 0,
        "record_id": "<urn:uuid:<script>alert(4)</script>>",
    }
    chain = [[HOSTILE_AGENCY], ["xinhua"], ["vna"], [HOSTILE_OUTLET]]
    credit = {
        "kind": "credit_line",
        "text": HOSTILE_CREDIT,
        "where": "</code><script>alert(5)</script>",
        "agency": "xinhua",
        "confidence": 0.95,
    }
    mention = {
        "kind": "in_text",
        "text": "Xinhua",
        "where": f"text:{HOSTILE_TEXT.index('Xinhua')}",
        "agency": "xinhua",
        "confidence": 0.6,
    }
    photo = {
        "kind": "photo_credit",
        "text": HOSTILE_CAPTION,
        "where": "figure > figcaption",
        "agency": None,
        "reason": "<script>alert(6)</script>",
        "confidence": 0.5,
    }
    first = {
        "url": "https://evil.example/news/1?q=<script>alert(7)</script>",
        "canonical_url": HOSTILE_URL,
        "outlet": HOSTILE_OUTLET,
        "title": HOSTILE_TITLE,
        "published": "2023-09-13T10:00:00+02:00",
        "authors": ['<iframe src="http://203.0.113.9/a"></iframe>'],
        "language": "fr",
        "text": HOSTILE_TEXT,
        "fetch": fetch,
        "provenance": {
            "chain": chain,
            "basis": "credit_line",
            "cited": ["xinhua"],
            "media": [{"credit": HOSTILE_CAPTION, "chain": [[HOSTILE_AGENCY], [HOSTILE_OUTLET]]}],
            "evidence": [credit, mention, photo],
        },
    }
    second = {
        **first,
        "url": HOSTILE_URL,
        "canonical_url": None,
        "title": "</title><script>alert(8)</script>",
        "text": HOSTILE_TEXT + " Deuxième.",
        "fetch": {**fetch, "sha256": "1" * 64},
    }
    return [first, second]


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile-store") / "wiretrace.sqlite"
    store = open_store(path)
    try:
        for item in hostile_items():
            store.save_article(item)
    finally:
        store.close()
    return path


# -- a store whose flow has more edges than the graph draws -----------------------------------


def plain_item(number: int, chain: list[list[str]], **fetch: Any) -> dict[str, Any]:
    """An ordinary article of ``chain``'s last hop, credited to its first (own reporting
    when the chain is the outlet alone); ``fetch`` overrides the fetch record."""
    outlet = chain[-1][0]
    evidence = []
    if len(chain) > 1:
        credit = {"kind": "credit_line", "text": "/".join(h[0] for h in chain)}
        evidence.append({**credit, "where": "div.credit", "agency": chain[0][0]})
    return {
        "url": f"https://{outlet}.example/news/{number}.html",
        "outlet": outlet,
        "title": f"Article {number}",
        "published": f"2023-09-{1 + number % 28:02d}T10:00:00+02:00",
        "authors": [],
        "language": "fr",
        "text": f"Texte de l'article {number}.",
        "fetch": {
            "fetched_at": "2023-09-14T08:00:00+00:00",
            "status": 200,
            "sha256": f"{number:064x}",
            "replayed": False,
            "warc": f"wiretrace-{number}.warc.gz",
            "offset": 1000 + number,
            "record_id": f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>",
            **fetch,
        },
        "provenance": {
            "chain": chain,
            "basis": "credit_line" if len(chain) > 1 else "own",
            "cited": [],
            "media": [],
            "evidence": evidence,
        },
    }


def many_edges_items(edges: int) -> list[dict[str, Any]]:
    """``edges`` agencies each feeding one outlet once, and the first three agencies
    feeding ``cvn`` twice more: so the three busiest edges are known."""
    items = [plain_item(n, [[f"agency-{n:03d}"], ["cvn"]]) for n in range(edges)]
    items += [plain_item(edges + n, [[f"agency-{n % 3:03d}"], ["cvn"]]) for n in range(6)]
    return items


@pytest.fixture(scope="session")
def many_edges_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("many-edges-store") / "wiretrace.sqlite"
    store = open_store(path)
    try:
        for item in many_edges_items(90):
            store.save_article(item)
    finally:
        store.close()
    return path


# -- serving a report, and a browser to read it -------------------------------------------------


@dataclass
class Served:
    base: str  # http://127.0.0.1:PORT/
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def serve() -> Iterator[Any]:
    """``serve(folder)`` serves a folder on 127.0.0.1 (a free port) until the test ends."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> Served:
        served = Served(base="")

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                served.requests.append(self.path)

        handler = functools.partial(Handler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        served.base = f"http://127.0.0.1:{server.server_address[1]}/"
        return served

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: .ci/run must install it)")
    pytest.skip(f"{reason}: apt-get install -y chromium, pip install -e '.[test]'")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless system Chromium under Playwright (never Playwright's own download).

    Module-scoped: while Playwright's synchronous driver runs, its event loop counts as
    running in this thread, and later tests that call ``asyncio.run`` would fail."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _missing("no system Chromium (Debian package chromium)")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Watched:
    """A browser page and what it did: every request, dialog, console message and error."""

    page: Any
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="load")

    def shot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)


@pytest.fixture
def page(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    watched = Watched(tab)
    tab.on("request", lambda request: watched.requests.append(request.url))
    tab.on("console", lambda message: watched.console.append(message.text))
    tab.on("pageerror", lambda error: watched.errors.append(str(error)))

    def dialog(opened: Any) -> None:
        watched.dialogs.append(opened.message)
        opened.dismiss()

    tab.on("dialog", dialog)
    try:
        yield watched
    finally:
        context.close()
