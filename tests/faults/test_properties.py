"""Property: whatever HTML, bytes and charset a server sends, the page ends as exactly one
stored item or one counted skip, no exception escapes, and nothing is stored half.

Hypothesis generates the pages (random markup with control characters, odd Unicode and deep
nesting; bodies encoded in one charset and declared in another, or random bytes) and each goes
the way a response goes in a crawl: the response guard, the ``article`` spider's ``parse``,
then the validate, extract, provenance and store pipelines into a real SQLite file.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, IgnoreRequest
from scrapy.http import Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from crawler.middlewares.guard import ResponseGuard
from crawler.pipelines.extract import ExtractPipeline
from crawler.pipelines.provenance import ProvenancePipeline
from crawler.pipelines.store import StorePipeline
from crawler.pipelines.validate import ValidatePipeline
from crawler.skips import SKIPPED
from crawler.spiders.article import ArticleSpider

TAGS = ("p", "div", "span", "figcaption", "h1", "a", "em", "section", "script", "table", "td")
CHARSETS = ("utf-8", "iso-8859-1", "cp1252", "utf-16", "shift_jis", "koi8-r", "no-such-charset")
#: Text with everything a hostile page holds: C0 controls, U+FFFE, combining marks, RTL...
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=80)
WORDS = st.sampled_from([
    "Xinhua/VNA/CVN", "Photo : AFP/VNA/CVN", "(selon RT, Sputnik)", "selon l'agence TASS",
    "Le premier paragraphe de l'article, assez long pour que l'extraction le garde bien.",
    "\x0b", "\x1b[2J", "\ufffe", "&#x1b;", "&amp;", "<", "]]>", "<!--", "\u202e",
])  # fmt: skip


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 1))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(draw(TEXT))
        elif kind == 1:
            parts.append(draw(WORDS))
        else:
            tag = draw(st.sampled_from(TAGS))
            closed = draw(st.booleans())
            inner = draw(markup(depth + 1)) if depth < 6 else ""
            parts.append(f"<{tag}>{inner}" + (f"</{tag}>" if closed else ""))
    return "".join(parts)


@st.composite
def pages(draw: st.DrawFn) -> tuple[bytes, str]:
    """(body bytes, Content-Type header)."""
    declared = draw(st.sampled_from(CHARSETS))
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=2000)), f"text/html; charset={declared}"
    article = draw(st.booleans())
    head = '<meta property="og:type" content="article">' if article else ""
    nesting = draw(st.sampled_from([0, 0, 0, 50, 2500]))
    body = "<div>" * nesting + draw(markup()) + "</div>" * nesting
    html = f"<html><head>{head}<title>{draw(TEXT)}</title></head><body>{body}</body></html>"
    actual = draw(st.sampled_from(CHARSETS[:-1]))
    data = html.encode(actual, errors="replace")
    if draw(st.booleans()):  # a few corrupted bytes
        at = draw(st.integers(0, max(0, len(data) - 1)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data, f"text/html; charset={declared}"


_urls = itertools.count()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pages=st.lists(pages(), min_size=1, max_size=3))
def test_every_page_is_one_item_or_one_counted_skip_and_nothing_half_stored(
    pages: list[tuple[bytes, str]],
) -> None:
    with tempfile.TemporaryDirectory() as work:
        db = Path(work) / "db.sqlite"
        crawler = get_crawler(ArticleSpider, {"WIRETRACE_DB": str(db)})
        crawler.stats.open_spider()
        crawler.spider = ArticleSpider.from_crawler(crawler, urls="https://h.example/")
        guard = ResponseGuard.from_crawler(crawler)
        store = StorePipeline.from_crawler(crawler)
        store.open_spider()
        pipelines = [
            ValidatePipeline.from_crawler(crawler),
            ExtractPipeline.from_crawler(crawler),
            ProvenancePipeline(),
            store,
        ]
        stored = 0
        try:
            for body, content_type in pages:
                stored += _one_page(crawler, guard, pipelines, body, content_type)
        finally:
            store.close_spider()
        with sqlite3.connect(db) as conn:
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            versions = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
            orphans = conn.execute(
                "SELECT count(*) FROM articles WHERE latest_version_id IS NULL"
            ).fetchone()[0]
        assert articles == versions == stored and orphans == 0


def _one_page(
    crawler: Crawler, guard: ResponseGuard, pipelines: list[Any], body: bytes, content_type: str
) -> int:
    """Send one page through; 1 if it was stored. Asserts it ended as an item or a skip."""
    url = f"https://h.example/page-{next(_urls)}.html"
    skipped_before = crawler.stats.get_value(SKIPPED, 0)
    request = Request(url)
    headers = {b"Content-Type": content_type.encode("latin-1", "replace")}
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    response: Response = cls(url=url, body=body, headers=headers, request=request)
    items = 0
    try:
        response = guard.process_response(request, response)
    except IgnoreRequest:
        pass
    else:
        assert isinstance(crawler.spider, ArticleSpider)
        for output in crawler.spider.parse(response):
            try:
                for pipeline in pipelines:
                    output = pipeline.process_item(output)
            except DropItem:
                continue
            items += 1
    skips = crawler.stats.get_value(SKIPPED, 0) - skipped_before
    assert items + skips == 1, f"{url}: {items} item(s), {skips} skip(s)"
    return items
