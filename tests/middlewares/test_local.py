"""Local input at local speed: file:// and data: URLs without politeness delay, robots.txt
or retries; a URL no crawl can fetch is one error line, and the others still run."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.core.downloader import Downloader
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.addons import LocalInputAddon
from crawler.middlewares.local import LOCAL_SLOT, LocalInputMiddleware
from crawler.spiders.article import REFUSED, ArticleSpider
from crawler.urls import url_problem
from tests.crawling import FIXTURES, scrapy

ARTICLE = FIXTURES / "article" / "000-poutine-accueille-kim" / "body.html"


@pytest.mark.parametrize(
    "url",
    [
        "https://a.test/1",
        "http://127.0.0.1:8080/a",
        "file:///tmp/a%20b.html",
        "file:///tmp/a b.html",
        "data:text/html,<p>Bonjour</p>",
        "data:text/html;base64,PHA+QjwvcD4=",
    ],
)
def test_web_local_and_data_urls_are_accepted(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://ftp.example.org/a.html", "ftp: URLs are not fetched"),
        ("javascript:alert(1)", "javascript: URLs are not fetched"),
        ("www.example.org/a", "not a URL"),
        ("/tmp/a.html", "not a URL"),
        ("https://", "no host"),
        ("https://a.test:http/x", "malformed URL"),
        ("file://server/share/a.html", "file:///absolute/path"),
        ("data:text/html", "data:[<type>]"),
    ],
)
def test_anything_else_is_refused_with_a_reason(url: str, why: str) -> None:
    problem = url_problem(url)
    assert problem is not None and why in problem


def test_a_refused_url_is_one_error_line_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    crawler = get_crawler(ArticleSpider)
    crawler.stats.open_spider()
    urls = "https://a.test/1,ftp://a.test/2,javascript:void(0),file:///tmp/x.html"
    spider = ArticleSpider.from_crawler(crawler, urls=urls)

    async def drain() -> list[str]:
        return [request.url async for request in spider.start()]

    assert asyncio.run(drain()) == ["https://a.test/1", "file:///tmp/x.html"]
    assert crawler.stats.get_value(REFUSED) == 2
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 2
    assert "ftp://a.test/2" in errors[0] and "javascript:void(0)" in errors[1]


def test_a_data_url_keeps_its_commas() -> None:
    spider = ArticleSpider(urls="data:text/html,<p>a, b</p>,https://a.test/1")
    assert spider._urls == ["data:text/html,<p>a, b</p>", "https://a.test/1"]


def test_the_addon_gives_local_requests_a_slot_without_delay_before_robots_and_retries() -> None:
    settings = Settings({"DOWNLOAD_DELAY": 3, "CONCURRENT_REQUESTS": 16})
    LocalInputAddon().update_settings(settings)
    assert settings.getdict("DOWNLOAD_SLOTS")[LOCAL_SLOT] == {
        "concurrency": 16,
        "delay": 0,
        "jitter": 0,
    }
    order = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    mine = order[LocalInputMiddleware]
    assert mine < order["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"]
    assert mine < order["scrapy.downloadermiddlewares.retry.RetryMiddleware"]


def slot_delays(crawler: Crawler, *requests: Request) -> list[float]:
    """The delay of the download slot Scrapy's downloader puts each request in."""

    async def delays() -> list[float]:
        downloader = Downloader(crawler)  # needs a running loop for its handlers
        found = [downloader._get_slot(request)[1].delay for request in requests]
        downloader.close()
        return found

    return asyncio.run(delays())


def local_crawler() -> tuple[LocalInputMiddleware, Crawler]:
    settings = Settings()
    LocalInputAddon().update_settings(settings)
    slots = settings.getdict("DOWNLOAD_SLOTS")
    # No network handler: only the slots are looked at.
    handlers = {"http": None, "https": None}
    crawler = get_crawler(
        settings_dict={"DOWNLOAD_DELAY": 5, "DOWNLOAD_SLOTS": slots, "DOWNLOAD_HANDLERS": handlers}
    )
    crawler.stats.open_spider()
    return LocalInputMiddleware.from_crawler(crawler), crawler


def test_local_requests_are_marked_so_no_delay_robots_or_retry_applies() -> None:
    middleware, crawler = local_crawler()
    local = Request("file:///tmp/a.html")
    web = Request("https://a.test/1")
    for request in (local, web):
        middleware.process_request(request)
    assert local.meta["dont_retry"] is True
    assert local.meta["dont_obey_robotstxt"] is True
    assert local.meta["autothrottle_dont_adjust_delay"] is True
    assert slot_delays(crawler, local, web) == [0, 5], "web requests keep their politeness"
    assert "dont_retry" not in web.meta
    retry = RetryMiddleware.from_crawler(get_crawler())
    assert retry.process_exception(local, FileNotFoundError("x")) is None


def test_a_missing_file_is_one_counted_skip(caplog: pytest.LogCaptureFixture) -> None:
    middleware, _ = local_crawler()
    request = Request("file:///nowhere/missing.html")
    with pytest.raises(IgnoreRequest):
        middleware.process_exception(request, FileNotFoundError(2, "No such file"))
    assert middleware.stats.get_value("wiretrace/pages_skipped/local_file_missing") == 1
    (line,) = [r.getMessage() for r in caplog.records]
    assert "/nowhere/missing.html" in line
    assert middleware.process_exception(Request("https://a.test/"), OSError()) is None


@pytest.mark.slow  # a real scrapy process
def test_sixty_local_pages_crawl_without_delay_and_a_missing_one_once(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    urls = []
    for i in range(60):
        shutil.copy(ARTICLE, pages / f"page-{i:02d}.html")
        urls.append((pages / f"page-{i:02d}.html").as_uri())
    missing = (pages / "missing.html").as_uri()
    url_file = tmp_path / "urls.txt"
    url_file.write_text("\n".join([*urls, missing, "ftp://a.test/x.html"]) + "\n")
    result = scrapy(
        # A live crawl's politeness (AutoThrottle on, a download delay) is what local
        # input must not pay.
        ["crawl", "article", "-a", f"url_file={url_file}", "-s", "DOWNLOAD_DELAY=2"],
        tmp_path / "out",
        tmp_path / "db.sqlite",
        offline=True,
        feed=True,
    )
    assert result.returncode == 0, result.log[-2000:]
    stats = result.stats("article")
    assert len(result.items("article")) == 60
    assert stats["wiretrace/pages_skipped/local_file_missing"] == 1
    assert stats[REFUSED] == 1
    assert "retry/count" not in stats
    assert "robotstxt/request_count" not in stats
    assert stats["downloader/request_count"] == 61
    assert sum(missing in line for line in result.log.splitlines()) == 1
    assert "Traceback" not in result.log
    json.dumps(stats)  # the stats file is plain JSON
