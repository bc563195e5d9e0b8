"""Live crawls keep cookies without asking the internet for the public suffix list.

Scrapy's cookie middleware asks tldextract whether a cookie's domain is a public suffix,
and tldextract fetches the list from publicsuffix.org the first time unless it is told to use
the snapshot it ships. Replay switches cookies off; a live crawl (of a test server on
127.0.0.1, or behind a firewall) keeps them, through ``OfflineCookiesMiddleware``.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler import settings as project
from crawler.middlewares.cookies import OfflineCookiesMiddleware, is_public_domain


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """Every host the code under test tries to reach (and is refused), with tldextract's
    cache empty: a list fetched by an earlier run must not hide a fetch."""
    tried: list[str] = []
    connect, getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1") and not str(host).startswith("/"):
            tried.append(str(host))
            raise OSError("network use refused by the test")
        connect(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and str(host) not in ("127.0.0.1", "::1", "localhost"):
            tried.append(str(host))
            raise OSError("network use refused by the test")
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setenv("TLDEXTRACT_CACHE", str(tmp_path / "tldextract-cache"))
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield tried


def project_cookie_middleware() -> CookiesMiddleware:
    """The cookie middleware a live crawl of this project runs."""
    crawler = get_crawler(settings_dict={"DOWNLOADER_MIDDLEWARES": project.DOWNLOADER_MIDDLEWARES})
    manager = DownloaderMiddlewareManager.from_crawler(crawler)
    [cookies] = [m for m in manager.middlewares if isinstance(m, CookiesMiddleware)]
    return cookies


def test_a_live_crawl_runs_the_offline_cookie_middleware_alone() -> None:
    assert type(project_cookie_middleware()) is OfflineCookiesMiddleware


def test_a_set_cookie_is_kept_and_sent_back_without_any_network_use(
    no_network: list[str],
) -> None:
    cookies = project_cookie_middleware()
    first = Request("http://news.example.co.uk/article.html")
    response = HtmlResponse(
        first.url,
        body=b"<html></html>",
        headers={"Set-Cookie": "session=abc; Domain=.news.example.co.uk; Path=/"},
        request=first,
    )
    cookies.process_response(first, response)
    again = Request("http://news.example.co.uk/next.html")
    cookies.process_request(again)
    assert again.headers.get("Cookie") == b"session=abc"
    assert no_network == []


def test_a_cookie_for_a_public_suffix_is_refused_as_scrapy_refuses_it(
    no_network: list[str],
) -> None:
    cookies = project_cookie_middleware()
    first = Request("http://news.example.co.uk/article.html")
    response = HtmlResponse(
        first.url,
        body=b"<html></html>",
        headers={"Set-Cookie": "tracker=1; Domain=.co.uk; Path=/"},
        request=first,
    )
    cookies.process_response(first, response)
    elsewhere = Request("http://other.co.uk/")
    cookies.process_request(elsewhere)
    assert elsewhere.headers.get("Cookie") is None
    assert no_network == []


@pytest.mark.parametrize(
    ("domain", "public"),
    [("co.uk", True), ("example.co.uk", False), ("github.io", True), ("com", True),
     ("lecourrier.vn", False), ("localhost", False)],
)  # fmt: skip
def test_public_suffixes_come_from_the_bundled_snapshot(
    no_network: list[str], domain: str, public: bool
) -> None:
    assert is_public_domain(domain) is public
    assert no_network == []
