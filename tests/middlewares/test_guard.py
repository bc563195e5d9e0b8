"""The guard turns away what cannot hold an article, with one stat each, and repairs charsets."""

from __future__ import annotations

import codecs

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.test import get_crawler

from crawler.charset import decodes
from crawler.middlewares.guard import ResponseGuard, clean_utf8

URL = "https://lecourrier.vn/un-article/1299999.html"
PAGE = "<html><head><meta charset='utf-8'></head><body><p>Le président à Hanoï.</p></body></html>"


def make_guard() -> tuple[ResponseGuard, dict]:
    crawler = get_crawler()
    crawler.stats.open_spider()
    return ResponseGuard.from_crawler(crawler), crawler.stats


def html(
    body: bytes, status: int = 200, content_type: str = "text/html; charset=utf-8"
) -> Response:
    return HtmlResponse(URL, status=status, body=body, headers={"Content-Type": content_type})


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (html(PAGE.encode(), status=404), "http_404"),
        (html(PAGE.encode(), status=500), "http_500"),
        (html(b""), "empty_body"),
        (html(b"  \n "), "empty_body"),
        (
            Response(URL, body=b"%PDF-1.4 ...", headers={"Content-Type": "application/pdf"}),
            "not_html",
        ),
        (TextResponse(URL, body=b"plain", headers={"Content-Type": "text/plain"}), "not_html"),
        (html(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 50), "binary_body"),
        (html(PAGE.encode()[:60]), "truncated"),
    ],
)
def test_unreadable_responses_are_skipped_with_one_stat(response: Response, reason: str) -> None:
    guard, stats = make_guard()
    with pytest.raises(IgnoreRequest, match=reason):
        guard.process_response(Request(URL), response)
    assert stats.get_value(f"wiretrace/pages_skipped/{reason}") == 1
    assert stats.get_value("wiretrace/pages_skipped") == 1


def test_a_good_page_passes_untouched() -> None:
    guard, stats = make_guard()
    response = html(PAGE.encode())
    assert guard.process_response(Request(URL), response) is response
    assert stats.get_value("wiretrace/pages_skipped") is None


def test_feeds_pass_even_without_html_end_tags() -> None:
    guard, _ = make_guard()
    feed = XmlResponse(URL, body=b"<rss><channel><item><link>x</link></item></channel></rss>")
    assert guard.process_response(Request(URL), feed) is feed


def test_robots_txt_is_left_to_the_robots_middleware() -> None:
    guard, stats = make_guard()
    robots = Response("https://lecourrier.vn/robots.txt", status=404)
    # As Scrapy's RobotsTxtMiddleware sends it.
    request = Request(robots.url, meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
    assert guard.process_response(request, robots) is robots
    assert stats.get_value("wiretrace/pages_skipped") is None


@pytest.mark.parametrize(
    "url", ["file:///tmp/saved/page.html", "data:text/html,x", "https://lecourrier.vn/a.html"]
)
def test_a_page_exempt_from_robots_txt_is_still_judged(url: str) -> None:
    """Local input and user requests carry ``dont_obey_robotstxt`` too: a binary body among
    them is skipped and counted like any other."""
    guard, stats = make_guard()
    page = HtmlResponse(url, body=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 50)
    request = Request(url, meta={"dont_obey_robotstxt": True})
    with pytest.raises(IgnoreRequest):
        guard.process_response(request, page)
    assert stats.get_value("wiretrace/pages_skipped/binary_body") == 1


def test_utf8_label_over_cp1252_bytes_is_repaired_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    guard, stats = make_guard()
    fixed = guard.process_response(Request(URL), html(PAGE.encode("cp1252")))
    assert isinstance(fixed, TextResponse)
    assert "Le président à Hanoï." in fixed.text
    assert stats.get_value("wiretrace/charset_repaired") == 1
    assert "charset repaired" in caplog.text


def test_unknown_charset_name_is_counted_and_the_bytes_still_read() -> None:
    guard, stats = make_guard()
    body = PAGE.replace("utf-8", "utf-8x").encode("utf-8")
    fixed = guard.process_response(
        Request(URL), html(body, content_type="text/html; charset=utf-8x")
    )
    assert "Le président à Hanoï." in fixed.text
    assert stats.get_value("wiretrace/charset_repaired") == 1


def test_truncation_check_can_be_switched_off() -> None:
    crawler = get_crawler(settings_dict={"WIRETRACE_SKIP_TRUNCATED": False})
    crawler.stats.open_spider()
    guard = ResponseGuard.from_crawler(crawler)
    cut = html(PAGE.encode()[:80])
    assert guard.process_response(Request(URL), cut) is cut


def test_download_errors_after_retries_are_counted_once() -> None:
    guard, stats = make_guard()
    with pytest.raises(IgnoreRequest):
        guard.process_exception(Request(URL), TimeoutError("took too long"))
    assert stats.get_value("wiretrace/pages_skipped/download_error") == 1
    # A replay miss is already counted by the replay middleware.
    assert guard.process_exception(Request(URL), IgnoreRequest("replay miss")) is None


def test_declared_type_wins_over_an_html_looking_url() -> None:
    guard, stats = make_guard()
    pdf = HtmlResponse(URL, body=b"%PDF-1.4\n</html>", headers={"Content-Type": "application/pdf"})
    with pytest.raises(IgnoreRequest):
        guard.process_response(Request(URL), pdf)
    assert stats.get_value("wiretrace/pages_skipped/not_html") == 1


_UTF8_BODIES = {
    "ascii": PAGE.encode("ascii", "replace"),
    "accents": PAGE.encode(),
    "astral": PAGE.replace("Hanoï", "Hanoï 🗞").encode(),
    "bom": codecs.BOM_UTF8 + PAGE.encode(),
    "literal U+FFFD": PAGE.replace("à", "\ufffd").encode(),
    "cp1252 byte": PAGE.encode().replace("à".encode(), b"\xe0"),
    "lone continuation": PAGE.encode() + b"\x80",
    "cut sequence at the end": PAGE.encode() + "é".encode()[:1],
    "encoded surrogate": PAGE.encode().replace(b"Le", b"\xed\xa0\x80"),
    "overlong": PAGE.encode().replace(b"Le", b"\xc0\xaf"),
    "utf-16 BOM": codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"),
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(_UTF8_BODIES))
@pytest.mark.parametrize("read_as", ["header", "given"])
def testclean_utf8_reads_the_text_as_a_strict_decode_reads_the_bytes(
    name: str, read_as: str
) -> None:
    body = _UTF8_BODIES[name]
    # An encoding given to the response wins over its header and its page.
    given = HtmlResponse(URL, body=body, encoding="utf-8")
    response = html(body) if read_as == "header" else given
    strict = decodes(body, "utf-8") and "\ufffd".encode() not in body
    assert clean_utf8(response) is strict


def test_a_local_file_that_cannot_be_read_is_left_to_the_local_input_middleware() -> None:
    """crawler.middlewares.local says what went wrong with a file (``local_file_missing``);
    the guard does not count it a second time as a download error."""
    guard, stats = make_guard()
    request = Request("file:///tmp/saved/missing.html", meta={"dont_obey_robotstxt": True})
    assert guard.process_exception(request, FileNotFoundError(2, "No such file")) is None
    assert stats.get_value("wiretrace/pages_skipped") is None
