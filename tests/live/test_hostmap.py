"""WIRETRACE_HOST_MAP: which URL is downloaded for which, and what the crawl gets back."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.hostmap import HostMap, HostMapDownloadHandler, host_header

LOCAL = "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://lecourrier.vn/a-b/1205536.html", f"{LOCAL}/a-b/1205536.html"),
        (
            "https://lecourrier.vn/international/74.cvn?page=2",
            f"{LOCAL}/international/74.cvn?page=2",
        ),
        ("http://lecourrier.vn/robots.txt", f"{LOCAL}/robots.txt"),
        ("https://lecourrier.vn", f"{LOCAL}/"),
        ("https://LECOURRIER.VN/x", f"{LOCAL}/x"),  # host names are case-insensitive
        ("https://lecourrier.vn:443/x", f"{LOCAL}/x"),  # the port is the outlet's, not ours
        ("https://lecourrier.vn/x#comments", f"{LOCAL}/x"),  # fragments never go on the wire
        ("https://lecourrier.vn/%C3%A9t%C3%A9?q=a%20b", f"{LOCAL}/%C3%A9t%C3%A9?q=a%20b"),
        ("https://www.lecourrier.vn/x", "http://127.0.0.1:9090/x"),  # its own key
        ("https://lagazetteaz.fr/news/1.html", None),  # not mapped
        ("https://sub.lecourrier.vn/x", None),  # keys are exact hosts, not domains
        ("https://evil.com/lecourrier.vn/x", None),
    ],
)
def test_mapped_hosts_keep_path_and_query(url: str, target: str | None) -> None:
    host_map = HostMap(
        {"lecourrier.vn": LOCAL, "WWW.lecourrier.vn": "http://127.0.0.1:9090/"}  # trailing /
    )
    assert host_map.target(url) == target


def test_a_base_with_a_path_is_a_prefix() -> None:
    host_map = HostMap({"leplacentin.fr": "http://mirror.test:81/captures/leplacentin/"})
    assert (
        host_map.target("https://leplacentin.fr/category/diplomatie?page=2")
        == "http://mirror.test:81/captures/leplacentin/category/diplomatie?page=2"
    )


@pytest.mark.parametrize("base", ["127.0.0.1:8080", "ftp://127.0.0.1/", "http://", "http://h/?a=1"])
def test_a_base_that_is_not_an_http_url_is_refused_at_start(base: str) -> None:
    with pytest.raises(ValueError, match="WIRETRACE_HOST_MAP"):
        HostMap({"lecourrier.vn": base})


def test_an_empty_map_maps_nothing() -> None:
    assert not HostMap({})
    assert not HostMap(None)
    assert HostMap({}).target("https://lecourrier.vn/x") is None


def test_the_map_is_described_for_the_log() -> None:
    host_map = HostMap({"www.lecourrier.vn": LOCAL, "lecourrier.vn": LOCAL})
    assert host_map.describe() == f"lecourrier.vn → {LOCAL}, www.lecourrier.vn → {LOCAL}"
    assert "lecourrier.vn" in host_map and "lagazetteaz.fr" not in host_map


def test_the_project_installs_the_handler_for_http_and_https_with_an_empty_map() -> None:
    handlers = project_settings.DOWNLOAD_HANDLERS
    assert handlers["http"] == handlers["https"] == "crawler.hostmap.HostMapDownloadHandler"
    assert project_settings.WIRETRACE_HOST_MAP == {}
    assert project_settings.WIRETRACE_HOST_MAP_STRICT is False


def test_the_map_is_read_from_a_json_command_line_value() -> None:
    # What -s 'WIRETRACE_HOST_MAP={"lecourrier.vn": "http://127.0.0.1:8080"}' sets.
    settings = Settings({"WIRETRACE_HOST_MAP": '{"lecourrier.vn": "http://127.0.0.1:8080"}'})
    host_map = HostMap(settings.getdict("WIRETRACE_HOST_MAP"))
    assert host_map.target("https://lecourrier.vn/x") == f"{LOCAL}/x"


# The handler itself, with Scrapy's download (which needs a reactor and a socket) replaced by
# a fake that records what it was asked for: the live crawls in test_live_crawl.py run the
# real one.


class FakeDownload:
    """Stands in for ``HTTP11DownloadHandler.download_request``: records, answers a page."""

    def __init__(self) -> None:
        self.asked: list[Request] = []

    def method(self) -> Any:
        async def download_request(handler: Any, request: Request) -> Response:
            self.asked.append(request)
            request.meta["download_latency"] = 0.25  # as Scrapy's agent does
            return HtmlResponse(request.url, body=b"<html></html>", request=request)

        return download_request


def make_handler(
    monkeypatch: pytest.MonkeyPatch, mapping: dict[str, str], *, strict: bool = False
) -> tuple[HostMapDownloadHandler, FakeDownload]:
    fake = FakeDownload()
    monkeypatch.setattr(HTTP11DownloadHandler, "download_request", fake.method())
    monkeypatch.setattr(HTTP11DownloadHandler, "__init__", lambda self, crawler: None)
    crawler = get_crawler(
        settings_dict={"WIRETRACE_HOST_MAP": mapping, "WIRETRACE_HOST_MAP_STRICT": strict}
    )
    crawler.stats.open_spider()
    return HostMapDownloadHandler(crawler), fake


def test_a_mapped_request_goes_to_the_base_with_the_outlets_host_header(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler, fake = make_handler(monkeypatch, {"lecourrier.vn": LOCAL})
    request = Request(
        "https://lecourrier.vn/international/74.cvn?page=2",
        headers={"User-Agent": "wiretrace/0.1"},
        meta={"download_timeout": 7},
    )
    response = asyncio.run(handler.download_request(request))
    (sent,) = fake.asked
    assert sent.url == f"{LOCAL}/international/74.cvn?page=2"
    assert sent.headers[b"Host"] == b"lecourrier.vn"
    assert sent.headers[b"User-Agent"] == b"wiretrace/0.1"
    assert sent.meta["download_timeout"] == 7
    # The crawl gets the outlet's URL and its own request back, with the latency AutoThrottle
    # reads from that request.
    assert response.url == request.url
    assert response.request is request
    assert request.meta["download_latency"] == 0.25
    assert b"Host" not in request.headers


def test_an_unmapped_request_is_the_stock_download(monkeypatch: pytest.MonkeyPatch) -> None:
    handler, fake = make_handler(monkeypatch, {})
    request = Request("https://lagazetteaz.fr/news/linfodeaaz")
    response = asyncio.run(handler.download_request(request))
    assert fake.asked == [request]
    assert response.url == request.url


def test_strict_mode_refuses_unmapped_hosts_and_counts_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler, fake = make_handler(monkeypatch, {"lecourrier.vn": LOCAL}, strict=True)
    with pytest.raises(IgnoreRequest, match="not in WIRETRACE_HOST_MAP"):
        asyncio.run(handler.download_request(Request("https://example.org/")))
    assert fake.asked == []
    assert handler.stats.get_value("wiretrace/host_map/refused") == 1


@pytest.mark.parametrize(
    ("url", "header"),
    [
        ("https://lecourrier.vn/x", "lecourrier.vn"),
        ("https://lecourrier.vn:443/x", "lecourrier.vn"),
        ("http://lecourrier.vn:80/x", "lecourrier.vn"),
        ("https://lecourrier.vn:8443/x", "lecourrier.vn:8443"),
        ("https://user:pw@Lecourrier.VN/x", "lecourrier.vn"),
        ("http://[::1]:8080/x", "[::1]:8080"),
    ],
)
def test_the_host_header_is_the_one_the_outlet_would_get(url: str, header: str) -> None:
    assert host_header(url) == header
