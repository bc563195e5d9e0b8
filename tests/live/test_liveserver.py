"""The local test server answers as the outlets would, and as each test tells it to."""

from __future__ import annotations

import socket
import time
from http.client import HTTPConnection
from urllib.parse import urlsplit

import pytest

from tests.crawling import FIXTURES
from tests.liveserver import LiveServer, page_key

CVN_001 = FIXTURES / "cvn" / "001-poutine-kim-vostotchny"
ARTICLE = "https://lecourrier.vn/vladimir-poutine-et-kim-jong-un-se-rencontrent-au-cosmodrome-vostotchny/1205536.html"


def get(
    server: LiveServer, url: str, timeout: float = 5, agent: str = "wiretrace-test"
) -> tuple[int, dict[str, str], bytes]:
    """GET ``url`` from the server as a mapped crawl does: its path, its Host header."""
    parts = urlsplit(url)
    port = int(server.base_url.rsplit(":", 1)[1])
    conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers={"Host": parts.netloc, "User-Agent": agent})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_saved_pages_are_served_by_host_and_path(live_server: LiveServer) -> None:
    status, headers, body = get(live_server, ARTICLE)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (CVN_001 / "body.html").read_bytes()
    # Saved statuses and queries are kept; the Host header chooses the site.
    assert get(live_server, "https://lagazetteaz.fr/news/linfodeaaz/15206.html")[0] == 404
    assert get(live_server, "https://lecourrier.vn/international/74.cvn?page=2")[0] == 200
    assert get(live_server, "https://lagazetteaz.fr/international/74.cvn?page=2")[0] == 404


def test_a_saved_empty_body_is_served_with_its_own_length(live_server: LiveServer) -> None:
    status, headers, body = get(
        live_server, "https://lecourrier.vn/le-festival-de-hue-attire-les-visiteurs/1299001.html"
    )
    assert (status, headers["Content-Length"], body) == (200, "0", b"")


def test_unknown_pages_and_robots_are_404_until_a_test_sets_them(live_server: LiveServer) -> None:
    assert get(live_server, "https://lecourrier.vn/robots.txt")[0] == 404
    assert get(live_server, "https://lecourrier.vn/nothing/1.html")[0] == 404
    live_server.robots("lecourrier.vn", "User-agent: *\nDisallow: /private/\n")
    status, headers, body = get(live_server, "https://lecourrier.vn/robots.txt")
    assert (status, body) == (200, b"User-agent: *\nDisallow: /private/\n")
    assert headers["Content-Type"].startswith("text/plain")
    assert get(live_server, "https://lagazetteaz.fr/robots.txt")[0] == 404


def test_set_page_changes_a_page_between_crawls(live_server: LiveServer) -> None:
    live_server.set_page(ARTICLE, "<html><body>corrigé</body></html>")
    status, _, body = get(live_server, ARTICLE)
    assert (status, body.decode()) == (200, "<html><body>corrigé</body></html>")
    live_server.set_page(ARTICLE, "gone", status=410, headers={"Content-Type": "text/plain"})
    assert get(live_server, ARTICLE)[0] == 410


def test_fail_answers_the_error_so_many_times_then_the_page(live_server: LiveServer) -> None:
    live_server.fail(ARTICLE, times=2)
    assert [get(live_server, ARTICLE)[0] for _ in range(4)] == [503, 503, 200, 200]
    live_server.fail(ARTICLE, times=1, status=500)
    assert [get(live_server, ARTICLE)[0] for _ in range(2)] == [500, 200]


def test_redirect_points_to_the_new_url(live_server: LiveServer) -> None:
    old = "https://lecourrier.vn/old/1.html"
    live_server.redirect(old, ARTICLE)
    status, headers, _ = get(live_server, old)
    assert (status, headers["Location"]) == (301, ARTICLE)
    live_server.redirect(old, ARTICLE, status=302)
    assert get(live_server, old)[0] == 302


def test_delay_makes_a_page_slow_for_so_many_requests(live_server: LiveServer) -> None:
    live_server.delay(ARTICLE, 0.3, times=1)
    started = time.monotonic()
    assert get(live_server, ARTICLE)[0] == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    get(live_server, ARTICLE)
    assert time.monotonic() - started < 0.3
    live_server.delay(ARTICLE, 5)
    with pytest.raises(socket.timeout):
        get(live_server, ARTICLE, timeout=0.2)


def test_requests_are_logged_with_their_headers(live_server: LiveServer) -> None:
    get(live_server, ARTICLE, agent="wiretrace/0.1 (test)")
    get(live_server, "https://leplacentin.fr/category/diplomatie?page=2")
    first, second = live_server.requests
    assert (first.method, first.url, first.user_agent) == ("GET", ARTICLE, "wiretrace/0.1 (test)")
    assert first.headers["host"] == "lecourrier.vn"
    assert second.url == "https://leplacentin.fr/category/diplomatie?page=2"
    assert live_server.count(ARTICLE) == 1
    assert live_server.count(ARTICLE.replace("https:", "http:")) == 1, "the scheme is not sent"


def test_the_server_stops_with_its_block_even_with_a_slow_answer_pending() -> None:
    with LiveServer() as server:
        server.delay(ARTICLE, 30)
        with pytest.raises(socket.timeout):
            get(server, ARTICLE, timeout=0.2)
        port = int(server.base_url.rsplit(":", 1)[1])
    started = time.monotonic()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    assert time.monotonic() - started < 1
    with pytest.raises(RuntimeError):
        _ = server.base_url


def test_keys_ignore_scheme_and_port_but_keep_the_query() -> None:
    assert page_key("https://LeCourrier.vn:8443/a?b=1") == ("lecourrier.vn", "/a?b=1")
    assert page_key("http://lecourrier.vn") == ("lecourrier.vn", "/")
    assert page_key("https://lecourrier.vn/été") == ("lecourrier.vn", "/%C3%A9t%C3%A9")
