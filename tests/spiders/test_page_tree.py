"""The spiders' one parse of a page (``page_tree``) is the tree parsel builds from the page's
text, however the page's bytes are encoded, and it notes what it had to repair."""

from __future__ import annotations

import pytest
from lxml import etree
from parsel import Selector
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.htmlrepair import REPAIRS_META, strip_control_chars
from crawler.spiders.base import _spaces_around, page_tree

URL = "https://example.org/a"
PAGE = "<html><head><title>Été</title></head><body><p id='x'>Déjà « vu » – 東京</p></body></html>"


def response(body: bytes, content_type: str = "text/html; charset=utf-8") -> HtmlResponse:
    return HtmlResponse(
        URL, body=body, headers={"Content-Type": content_type}, request=Request(URL)
    )


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (PAGE.encode(), "text/html; charset=utf-8"),
        (f"\n  \t{PAGE}\n\n".encode(), "text/html; charset=utf-8"),
        (f"\u00a0\u2003{PAGE}\u00a0".encode(), "text/html; charset=utf-8"),
        (b"\xef\xbb\xbf" + PAGE.encode(), "text/html; charset=utf-8"),
        (PAGE.replace("Déjà", "D\ufffdj\ufffd").encode(), "text/html; charset=utf-8"),
        (PAGE.encode().replace("Déjà".encode(), b"D\xe9j\xe0"), "text/html; charset=utf-8"),
        (PAGE.replace(" – 東京", "").encode("cp1252"), "text/html; charset=windows-1252"),
        (b"  \n ", "text/html; charset=utf-8"),
    ],
    ids=["utf8", "ascii-space", "unicode-space", "bom", "fffd", "bad-bytes", "cp1252", "blank"],
)
def test_the_tree_is_the_one_parsel_builds_from_the_text(body: bytes, content_type: str) -> None:
    page = response(body, content_type)
    expected = Selector(text=page.text, type="html").root
    assert etree.tostring(page_tree(page), encoding="unicode") == etree.tostring(
        expected, encoding="unicode"
    )


def test_control_characters_are_removed_before_parsing_and_noted() -> None:
    page = response(PAGE.replace("vu", "v\x0bu\x00").encode())
    root = page_tree(page)
    assert root.xpath("string(//p)") == "Déjà « vu » – 東京"
    assert page.meta[REPAIRS_META] == {"control_chars_removed": 2}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (PAGE.replace("vu", "v\x0bu\x00").encode(), "text/html; charset=utf-8"),
        (b"\xef\xbb\xbf" + PAGE.replace("vu", "v\x1fu").encode(), "text/html; charset=utf-8"),
        (PAGE.replace("vu", "v\ufffeu\uffff").encode(), "text/html; charset=utf-8"),
        (PAGE.encode().replace(b"vu", b"v\xe2\x0bu"), "text/html; charset=utf-8"),
        (PAGE.replace(" – 東京", "\x07").encode("cp1252"), "text/html; charset=windows-1252"),
        (PAGE.replace("vu", "v\x0bu").encode("utf-16"), "text/html; charset=utf-8"),
        (PAGE.encode(), "text/html; charset=utf-8"),
        (PAGE.replace(" – 東京", "").encode("cp1252"), "text/html; charset=windows-1252"),
    ],
    ids=["utf8", "bom", "nonchars", "bad-bytes", "cp1252", "utf16", "clean", "clean-cp1252"],
)
def test_control_characters_are_found_however_the_page_is_encoded(
    body: bytes, content_type: str
) -> None:
    page = response(body, content_type)
    text, removed = strip_control_chars(page.text)
    expected = Selector(text=text, type="html").root
    assert etree.tostring(page_tree(page), encoding="unicode") == etree.tostring(
        expected, encoding="unicode"
    )
    assert page.meta.get(REPAIRS_META, {}).get("control_chars_removed", 0) == removed


def test_the_whitespace_around_a_page_is_measured_as_stripping_measures_it() -> None:
    for text in [
        "",
        " ",
        "a",
        " a ",
        "\n" * 300,
        "\n" * 300 + "a",
        "a" + "\u2003" * 300,
        "\u00a0\t<p>x</p>\r\n",
        " " * 255 + "b" + " " * 256,
        "x" * 1000,
    ]:
        assert _spaces_around(text) == (
            len(text) - len(text.lstrip()),
            len(text) - len(text.rstrip()),
        ), repr(text)
        assert _spaces_around(text, edge=1) == _spaces_around(text), repr(text)
