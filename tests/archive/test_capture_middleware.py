"""The capture middleware in isolation: what it archives, what it leaves alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler.archive.location import META_KEY
from crawler.archive.reader import read_response
from crawler.middlewares.archive import WarcCapture
from tests.archive.helpers import records


def capture(directory: Path, **settings: object) -> tuple[WarcCapture, dict]:
    crawler = get_crawler(settings_dict={"WIRETRACE_WARC_DIR": str(directory), **settings})
    crawler.stats.open_spider()
    return WarcCapture.from_crawler(crawler), crawler.stats


def page(url: str = "https://site.test/a.html", **kwargs: object) -> tuple[Request, Response]:
    request = Request(url, headers={"User-Agent": "wiretrace-test"})
    kwargs.setdefault("body", b"<html><body>a</body></html>")
    kwargs.setdefault("headers", {"Content-Type": "text/html"})
    return request, HtmlResponse(url, request=request, **kwargs)  # type: ignore[arg-type]


def test_off_without_a_folder_and_in_replay(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        WarcCapture.from_crawler(get_crawler(settings_dict={"WIRETRACE_WARC_DIR": ""}))
    with pytest.raises(NotConfigured):
        capture(tmp_path, REPLAY_FROM="fixtures")


def test_a_response_is_archived_and_its_record_named_in_meta(tmp_path: Path) -> None:
    mw, stats = capture(tmp_path, ROBOTSTXT_OBEY=True, USER_AGENT="wiretrace-test")
    request, response = page(status=503, protocol="HTTP/1.1", ip_address=None)
    assert mw.process_response(request, response) is response
    mw.spider_closed()
    (path,) = tmp_path.glob("*.warc.gz")
    where = request.meta[META_KEY]
    assert where["warc"] == path.name
    stored = read_response(path, where["offset"])
    assert stored.record_id == where["record_id"]
    assert (stored.status, stored.body) == (503, b"<html><body>a</body></html>")
    found = records(path)
    assert "robots: obey" in found[0]["payload"].decode()
    assert "http-header-user-agent: wiretrace-test" in found[0]["payload"].decode()
    assert stats.get_value("wiretrace/warc/records") == 3 == len(found)
    assert stats.get_value("wiretrace/warc/files") == 1
    assert stats.get_value("wiretrace/warc/bytes") == path.stat().st_size


def test_replayed_and_local_responses_are_not_archived(tmp_path: Path) -> None:
    mw, stats = capture(tmp_path)
    request, response = page(flags=["replayed"])
    mw.process_response(request, response)
    local = (tmp_path / "x.html").as_uri()
    request, response = page(local)
    mw.process_response(request, response)
    assert META_KEY not in request.meta
    assert not list(tmp_path.glob("*.warc.gz"))
    assert stats.get_value("wiretrace/warc/records") is None


def test_a_redirected_request_does_not_inherit_the_redirects_record(tmp_path: Path) -> None:
    mw, _ = capture(tmp_path)
    request, response = page(status=301, headers={"Location": "/b.html"})
    mw.process_response(request, response)
    follow = request.replace(url="https://site.test/b.html")  # what RedirectMiddleware does
    assert META_KEY in follow.meta
    mw.process_request(follow)
    assert META_KEY not in follow.meta


def test_a_failed_write_stops_the_crawl_rather_than_keep_untraceable_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    mw, stats = capture(blocker / "warc")
    stops: list[bool] = []
    monkeypatch.setattr(mw, "stop_crawl", lambda: stops.append(True))
    request, response = page()
    with pytest.raises(IgnoreRequest, match="not archived"):
        mw.process_response(request, response)
    assert stats.get_value("wiretrace/warc/errors") == 1
    assert stops == [True]
