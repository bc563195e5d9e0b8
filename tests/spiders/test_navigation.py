"""Spiders only navigate: where they start, which links they follow, what is an article."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from crawler.spiders.article import ArticleSpider, registered_domain
from crawler.spiders.base import read_url_list
from crawler.spiders.cvn import CvnSpider

SECTION = "https://lecourrier.vn/international/74.cvn"


def spider(cls: type = CvnSpider, settings: dict | None = None, **kwargs: str) -> CvnSpider:
    crawler = get_crawler(cls, settings or {})
    crawler.stats.open_spider()
    return cls.from_crawler(crawler, **kwargs)


def start_urls(s: CvnSpider) -> list[str]:
    """The URLs ``start()`` yields (an async generator, drained without a reactor)."""

    async def drain() -> list[str]:
        return [request.url async for request in s.start()]

    return asyncio.run(drain())


def test_seed_lists_skip_comments_and_blank_lines(tmp_path: Path) -> None:
    seeds = tmp_path / "cvn.txt"
    seeds.write_text(
        "# CVN sections\n\nhttps://lecourrier.vn/a/1.cvn  # world\nhttps://x.test/#frag\n"
    )
    assert read_url_list(seeds) == ["https://lecourrier.vn/a/1.cvn", "https://x.test/#frag"]


def test_outlet_spider_starts_from_its_seed_file(tmp_path: Path) -> None:
    (tmp_path / "cvn.txt").write_text(SECTION + "\n")
    assert start_urls(spider(settings={"WIRETRACE_SEEDS_DIR": str(tmp_path)})) == [SECTION]


def test_start_urls_argument_replaces_the_seed_file() -> None:
    s = spider(start_urls="https://lecourrier.vn/a/1.html,https://lecourrier.vn/b/2.html")
    assert start_urls(s) == ["https://lecourrier.vn/a/1.html", "https://lecourrier.vn/b/2.html"]


def test_a_missing_seed_file_is_one_clear_error_and_no_crawl(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    s = spider(settings={"WIRETRACE_SEEDS_DIR": str(tmp_path)})
    assert start_urls(s) == []
    assert "nothing to crawl" in caplog.text and "cvn.txt" in caplog.text


def page(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", request=Request(url))


def test_links_outside_the_outlet_or_its_url_patterns_are_not_followed() -> None:
    html = f"""<html><body>
      <a href="/une-nouvelle/1205001.html">article</a>
      <a href="{SECTION}?page=2">page 2</a>
      <a href="https://lecourrier.vn/tags/coree.cvn">tag</a>
      <a href="https://elsewhere.test/x/1205002.html">other site</a>
      <a href="/contact.html">contact</a></body></html>"""
    out = list(spider().parse(page(SECTION, html)))
    assert [r.url for r in out] == [
        "https://lecourrier.vn/une-nouvelle/1205001.html",
        f"{SECTION}?page=2",
    ]


def test_follow_off_stays_on_the_given_page() -> None:
    html = '<html><body><a href="/une-nouvelle/1205001.html">a</a></body></html>'
    assert list(spider(follow="0").parse(page(SECTION, html))) == []


def test_feeds_lead_to_the_outlets_articles() -> None:
    rss = b"""<?xml version="1.0"?><rss><channel>
      <item><link>https://lecourrier.vn/une-nouvelle/1205001.html</link></item>
      <item><link>https://lecourrier.vn/international/74.cvn</link></item>
    </channel></rss>"""
    feed = XmlResponse(
        "https://lecourrier.vn/rss", body=rss, request=Request("https://lecourrier.vn/rss")
    )
    assert [r.url for r in spider().parse(feed)] == [
        "https://lecourrier.vn/une-nouvelle/1205001.html"
    ]


def test_an_article_url_is_read_even_without_the_profiles_article_marker() -> None:
    """The marker may have changed with a redesign: the extract pipeline decides, from the
    page's text, whether it is an article (tests/pipelines/test_extract_pipeline.py)."""
    s = spider()
    url = "https://lecourrier.vn/video-le-sommet/1205003.html"
    (item,) = list(s.parse(page(url, "<html><body><video></video></body></html>")))
    assert isinstance(item, ArticleItem) and item.url == url
    assert s.crawler.stats.get_value("wiretrace/pages_skipped") is None


def test_the_generic_spider_reads_every_page_it_is_given() -> None:
    url = "https://news.test/2024/05/a-page-without-markers"
    html = "<html><body><h1>A headline</h1><p>Some text.</p></body></html>"
    (item,) = list(spider(ArticleSpider, urls=url).parse(page(url, html)))
    assert isinstance(item, ArticleItem) and item.outlet == "news.test"


def test_generic_spider_names_the_outlet_by_registered_domain() -> None:
    assert registered_domain("https://www.vietnam.vn/fr/x") == "vietnam.vn"
    assert registered_domain("https://news.bbc.co.uk/a") == "bbc.co.uk"
    assert registered_domain("file:///tmp/a.html") is None


def test_generic_spider_takes_urls_or_a_url_file(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("https://a.test/1\n# comment\nfile:///tmp/page.html\n")
    assert start_urls(spider(ArticleSpider, urls="https://a.test/1,https://b.test/2")) == [
        "https://a.test/1",
        "https://b.test/2",
    ]
    assert start_urls(spider(ArticleSpider, url_file=str(listing))) == [
        "https://a.test/1",
        "file:///tmp/page.html",
    ]


def test_generic_spider_reads_a_local_file_and_names_the_site_from_its_canonical_url() -> None:
    url = "file:///tmp/saved.html"
    html = """<html lang="fr"><head><meta property="og:type" content="article">
      <link rel="canonical" href="https://www.example.co.uk/news/1"></head>
      <body><article><p>Texte.</p></article></body></html>"""
    (item,) = list(spider(ArticleSpider, urls=url).parse(page(url, html)))
    assert isinstance(item, ArticleItem)
    assert item.outlet == "example.co.uk"
