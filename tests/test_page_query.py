"""Selectors are evaluated faster than their plain translation, never differently.

``PageQuery`` answers simple selectors from one walk of the page (``crawler.pageindex``),
reads other ``meta`` and ``link`` selectors from ``<head>`` alone when that gives the same
matches, and a list of simple selectors (``figure, nav, .share``) compiled as XPath is one
walk of the document (``css_to_one_pass_xpath``). Both must match exactly what the plain XPath
translation of the selector matches on the whole page: checked for every selector of every
profile on every fixture page and, when ``../shared`` is there, on the real publisher pages
of the external benchmark sets.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from crawler.extract import PageQuery, css_to_one_pass_xpath, css_to_xpath, parse_html
from crawler.pageindex import simple_selector
from crawler.profile import load_profile
from tests.crawling import FIXTURES, SHARED

PROFILES = ("cvn", "lagazette", "leplacentin", "generic")
EXTRA = (
    "script[type='application/ld+json']::text",
    "link[rel=canonical]::attr(href)",
    "meta[property='og:url']::attr(content)",
    # crawler.metadata's own places
    "meta[property='og:site_name']::attr(content)",
    "meta[http-equiv='Content-Language']::attr(content)",
    "meta[itemprop='inLanguage']::attr(content)",
    "time[itemprop='datePublished']::attr(datetime)",
    "time[pubdate]::attr(datetime)",
)


def specs() -> list[tuple[str, ...]]:
    """Every profile field's alternatives, as ``select_each`` gets them."""
    found = []
    for name in PROFILES:
        chosen = load_profile(name).selectors
        for field in dataclasses.fields(chosen):
            value = getattr(chosen, field.name)
            if field.name in {"title_suffixes", "published_format"} or not isinstance(value, tuple):
                continue
            found.append(tuple(css for css in value if not css.startswith("jsonld:")))
    return [spec for spec in found if spec]


def selectors() -> list[str]:
    """Every selector of every profile, once, and the spiders' own."""
    return list(dict.fromkeys([*EXTRA, *(css for spec in specs() for css in spec)]))


def fixture_pages() -> list[Path]:
    pages = []
    for meta in sorted(FIXTURES.rglob("response.json")):
        body = json.loads(meta.read_text(encoding="utf-8")).get("body")
        if body and (meta.parent / body).suffix in {".html", ".htm"}:
            pages.append(meta.parent / body)
    return pages


def external_pages() -> list[Path]:
    return sorted((SHARED / "external").glob("*/html/*.gz"))


def comparable(tree: Any, matches: list[Any]) -> list[str]:
    root = tree.getroottree()
    return [m if isinstance(m, str) else root.getpath(m) for m in matches]


def check(raw: bytes) -> int:
    tree = parse_html(raw)
    page = PageQuery(tree)
    matched = 0
    for css in selectors():
        expected = list(etree.XPath(css_to_xpath(css), smart_strings=False)(tree))
        assert comparable(tree, page.select(css)) == comparable(tree, expected), css
        matched += bool(expected)
    for spec in specs():
        plain = [list(etree.XPath(css_to_xpath(css), smart_strings=False)(tree)) for css in spec]
        expected_each = [comparable(tree, m) for m in plain]
        # Alone, and through the query that already answered the other fields (its memo).
        for query in (PageQuery(tree), page):
            each = list(query.select_each(spec))
            assert [comparable(tree, m) for m in each] == expected_each, spec
    return matched


def test_same_matches_on_every_fixture_page() -> None:
    pages = fixture_pages()
    assert len(pages) > 20
    assert sum(check(page.read_bytes()) for page in pages) > len(pages)


@pytest.mark.slow  # every real publisher page of ../shared/external, each selector both ways
@pytest.mark.skipif(not (SHARED / "external").is_dir(), reason="../shared/external is absent")
def test_same_matches_on_real_publisher_pages() -> None:
    pages = external_pages()
    assert len(pages) > 100
    heads_used = 0
    for path in pages:
        raw = gzip.decompress(path.read_bytes())
        check(raw)
        heads_used += PageQuery(parse_html(raw)).head() is not None
    assert heads_used > len(pages) // 2  # the shortcut does apply on most real pages


def test_nearly_every_profile_selector_is_answered_from_the_one_walk_index() -> None:
    simple = [css for css in selectors() if simple_selector(css) is not None]
    assert len(simple) >= 0.75 * len(selectors())
    generic = load_profile("generic").selectors
    for spec in (generic.article, generic.byline, generic.captions, generic.drop):
        assert all(simple_selector(css) for css in spec if not css.startswith("jsonld:"))
    # What is not one simple selector stays XPath.
    assert simple_selector("div.article p") is None
    assert simple_selector("li:first-child") is None
    assert simple_selector("a::attr(href), b::text") is None


@pytest.mark.parametrize(
    ("css", "html", "expected"),
    [
        ("[class~='a b']", "<p class='a b'>x</p>", 0),  # cssselect: never, with a space
        ("[class^='']", "<p class=''>x</p>", 0),
        ("[class='']", "<p class=''>x</p>", 1),
        (".a", "<p class='b\ta'>x</p>", 1),  # XPath whitespace
        (".a", "<p class='b\u00a0a'>x</p>", 0),  # but not a non-breaking space
        ("[lang|=en]", "<p lang='en-GB'>x</p><p lang='eng'>y</p>", 1),
        ("[data-x$=z]", "<p data-x='yz'>x</p>", 1),
        ("#main.a", "<p id='main' class='a'>x</p><p id='main'>y</p>", 1),
        ("p::text", "<p>a<b>b</b>c</p>", 2),
        ("[data-x]", "<p data-x=''>x</p><p>y</p>", 1),
    ],
)
def test_the_index_keeps_the_xpath_semantics_at_the_edges(
    css: str, html: str, expected: int
) -> None:
    tree = parse_html(f"<html><body>{html}</body></html>")
    plain = list(etree.XPath(css_to_xpath(css), smart_strings=False)(tree))
    assert len(plain) == expected
    assert comparable(tree, PageQuery(tree).select(css)) == comparable(tree, plain)


def test_lists_of_simple_selectors_become_one_walk() -> None:
    assert css_to_one_pass_xpath("figure, nav, .share").count("descendant-or-self::") == 1
    # A list with a descendant step keeps its union: it is not one step per branch.
    assert " | " in css_to_one_pass_xpath("div.a figure, nav")
    assert css_to_one_pass_xpath("h1") == css_to_xpath("h1")
    assert any(" | " in css_to_xpath(css) for css in selectors())  # the profiles have lists


def test_a_meta_outside_head_makes_every_selector_read_the_whole_page() -> None:
    html = (
        "<html><head><meta name='author' content='A'></head>"
        "<body><div><meta name='author' content='B'></div></body></html>"
    )
    page = PageQuery(parse_html(html))
    assert page.head() is None
    assert page.select("meta[name='author']::attr(content)") == ["A", "B"]


def test_a_part_of_a_page_is_read_as_given() -> None:
    tree = parse_html("<html><head><link rel='canonical' href='/a'></head><body><p>x</p></body>")
    (body,) = tree.xpath("//body")
    assert PageQuery(body).select("link[rel=canonical]::attr(href)") == []
    assert PageQuery(tree).select("link[rel=canonical]::attr(href)") == ["/a"]


def test_the_drop_list_is_pruned_through_marks_that_leave_the_page_afterwards() -> None:
    from crawler.extract import DROP_MARK, main_text, marked_for_drop

    body = " ".join(["Le texte de l'article, assez long pour être gardé."] * 6)
    html = (
        f"<html><body><article><p>{body}</p><div class='share'>Partager sur X</div>"
        f"<p>{body}</p><figure><figcaption>Photo : AFP</figcaption></figure></article>"
        "</body></html>"
    )
    tree = parse_html(html)
    text = main_text(tree, "https://site.example/a", load_profile("generic"))
    assert "texte de l'article" in text
    assert "Partager" not in text and "Photo" not in text
    assert DROP_MARK not in etree.tostring(tree, encoding=str)
    page = PageQuery(tree)
    with pytest.raises(RuntimeError), marked_for_drop(page, ("figure, .share",)) as prune:
        assert prune is not None and len(etree.XPath(prune[0])(tree)) == 2
        raise RuntimeError("trafilatura failed")
    assert DROP_MARK not in etree.tostring(tree, encoding=str), "marks go even on failure"
    with marked_for_drop(page, (".nothing-here",)) as prune:
        assert prune is None
