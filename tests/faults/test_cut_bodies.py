"""A body the server cut short (it announced more bytes than it sent, then closed) is
retried as Scrapy retries other network faults; each cut body is archived for what it is,
and once the retries are spent the page is skipped and counted, never stored half.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawler.middlewares.guard import ResponseGuard
from tests.crawling import row_counts, scrapy, serving_handler
from tests.faults.hostile import articles

PAGE = articles(1)[0].body  # about 8 KB: cut at 3,000 bytes
URL = "http://127.0.0.1:9/cut.html"


def guard_for(**settings: object) -> tuple[ResponseGuard, StatsCollector]:
    crawler = get_crawler(Spider, settings_dict=settings)
    crawler.spider = Spider.from_crawler(crawler, name="cut")
    crawler.stats.open_spider()
    return ResponseGuard.from_crawler(crawler), crawler.stats


def cut(request: Request) -> HtmlResponse:
    return HtmlResponse(
        request.url,
        body=PAGE[:3000],
        headers={"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(PAGE))},
        flags=["dataloss"],
        request=request,
    )


def test_a_cut_body_is_retried_then_skipped_as_truncated_once_retries_are_spent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    guard, stats = guard_for(RETRY_TIMES=2)
    request = Request(URL)
    with caplog.at_level(logging.DEBUG):
        first = guard.process_response(request, cut(request))
        assert isinstance(first, Request) and first.meta["retry_times"] == 1
        second = guard.process_response(first, cut(first))
        assert isinstance(second, Request) and second.meta["retry_times"] == 2
        with pytest.raises(IgnoreRequest):
            guard.process_response(second, cut(second))
    assert stats.get_value("retry/reason_count/dataloss") == 2
    assert stats.get_value("wiretrace/pages_skipped/truncated") == 1
    retries = [r.getMessage() for r in caplog.records if "body cut short" in r.getMessage()]
    assert retries == [
        f"body cut short for {URL} (3000 bytes of {len(PAGE)} announced); retrying (1 of 2)",
        f"body cut short for {URL} (3000 bytes of {len(PAGE)} announced); retrying (2 of 2)",
    ]
    # Giving up is said once, by the skip, not again as an error by the retry helper.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_retry_that_comes_whole_passes() -> None:
    guard, stats = guard_for()
    request = Request(URL)
    again = guard.process_response(request, cut(request))
    assert isinstance(again, Request)
    whole = HtmlResponse(again.url, body=PAGE, headers={"Content-Type": "text/html"})
    assert guard.process_response(again, whole) is whole
    assert stats.get_value("wiretrace/pages_skipped/truncated") is None


@pytest.mark.parametrize(
    ("settings", "meta"), [({"RETRY_ENABLED": False}, {}), ({}, {"dont_retry": True})]
)
def test_with_retries_off_a_cut_body_is_skipped_at_once(
    settings: dict[str, object], meta: dict[str, object]
) -> None:
    guard, stats = guard_for(**settings)
    request = Request(URL, meta=meta)
    with pytest.raises(IgnoreRequest):
        guard.process_response(request, cut(request))
    assert stats.get_value("wiretrace/pages_skipped/truncated") == 1
    assert stats.get_value("retry/count") is None


@contextmanager
def cutting_first(times: int) -> Iterator[str]:
    """A server on 127.0.0.1 that cuts ``/cut.html`` short the first ``times`` times it is
    asked for it, then sends it whole; its base URL."""
    asked = [0]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.path != "/cut.html":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            asked[0] += 1
            short = asked[0] <= times
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            if short:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(PAGE[:3000] if short else PAGE)
            self.wfile.flush()
            self.close_connection = short

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serving_handler(Handler) as base:
        yield base


@pytest.mark.slow  # a real scrapy process against a local server
def test_a_crawl_retries_a_cut_body_stores_the_whole_one_and_archives_both(
    tmp_path: Path,
) -> None:
    with cutting_first(1) as base:
        run = scrapy(
            ["crawl", "article", "-a", f"urls={base}/cut.html"],
            tmp_path / "out",
            settings={"WIRETRACE_DB": tmp_path / "db.sqlite", "WIRETRACE_WARC_DIR": tmp_path / "w"},
        )
    assert run.returncode == 0, run.log[-2000:]
    stats = run.stats()
    assert stats["retry/reason_count/dataloss"] == 1
    assert "wiretrace/pages_skipped/truncated" not in stats
    assert stats["wiretrace/store/new"] == 1
    assert row_counts(tmp_path / "db.sqlite")["articles"] == 1
    truncated = []
    for warc in sorted((tmp_path / "w").glob("*.warc.gz")):
        with warc.open("rb") as stream:
            truncated += [
                record.rec_headers.get_header("WARC-Truncated")
                for record in ArchiveIterator(stream)
                if record.rec_type == "response"
                and record.rec_headers.get_header("WARC-Target-URI").endswith("/cut.html")
            ]
    assert truncated == ["disconnect", None]  # the cut body, then the whole one
