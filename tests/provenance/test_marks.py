"""One walk of a page (``Marks``) files what each reader used to find by an XPath walk of
its own: the same elements, in document order, of the whole document."""

from __future__ import annotations

import random
from typing import Any

import pytest
from lxml import etree

from crawler.extract import css_path, parse_html
from crawler.pagewalk import PageWalk
from crawler.provenance import markup
from crawler.provenance.captions import has_word
from crawler.provenance.marks import Marks, marks_of
from tests.crawling import FIXTURES

PAGE = (
    "<html><head><meta name='author' content='Jane Roe'><meta property='og:type'>"
    "<script type='application/ld+json'>{}</script><script>var a = 1;</script></head>"
    "<body class='Page'><div id='Photo-Credit'>a</div><figure><img src='a.jpg'>"
    "<figcaption>Hafen<span>Foto: dpa</span></figcaption></figure>"
    "<div itemprop='author'><span itemprop='name'>Jane Roe</span></div>"
    "<p class='' data-credit='AP'>x<b>bold</b><i>it</i></p><div><div>inner</div></div>"
    "<img class='logo' data-copyright=''><small>apr/dpa</small><!-- a comment -->"
    "<em>y</em><strong>z</strong><cite>c</cite><address>d</address></body></html>"
)

#: What each table held when every reader walked the page with an XPath of its own.
_XPATHS = {
    "elements": "//*[@class or @id or self::figcaption or self::figure or self::img]",
    "images": "//img",
    "metas": "//meta",
    "scripts": "//script",
    "itemprops": "//*[@itemprop]",
    "lines": "//p | //span | //small | //em | //i | //b | //strong | //cite | //address | //div",
}


def test_each_table_holds_what_its_xpath_finds_in_document_order() -> None:
    tree = parse_html(PAGE)
    marks = Marks(tree)
    for table, xpath in _XPATHS.items():
        assert getattr(marks, table) == tree.xpath(xpath), table


def test_media_and_credited_name_the_marked_elements_that_are_so() -> None:
    marks = Marks(parse_html(PAGE))
    media = {i for i, e in enumerate(marks.elements) if e.tag in ("img", "figure", "figcaption")}
    assert marks.media == media
    # An empty data-copyright credits nothing.
    assert [marks.elements[i].get("data-credit") for i in marks.credited] == ["AP"]


def test_the_table_is_of_the_whole_document_whatever_element_is_given() -> None:
    tree = parse_html(PAGE)
    body = tree.find("body")
    assert body is not None
    assert Marks(body).elements == Marks(tree).elements
    assert Marks(etree.ElementTree(tree)).metas == Marks(tree).metas


def test_a_class_that_lower_cases_longer_still_points_at_its_own_element() -> None:
    # "İ" lower-cases into two characters: the words after it must not shift elements.
    page = "<html><body><div class='İİİ x'>a</div><div class='credit'>b</div></body></html>"
    marks = Marks(parse_html(page))
    assert [marks.elements[i].get("class") for i in marks.having(("credit",))] == ["credit"]
    assert [marks.elements[i].get("class") for i in marks.having(("i̇",))] == ["İİİ x"]


def test_the_walk_of_the_whole_page_is_read_again_not_walked_again() -> None:
    tree = parse_html(PAGE)
    walk = PageWalk(tree)
    marks = Marks(tree, walk)
    assert marks.elements is walk.elements and marks.lines is walk.lines
    assert marks.having(("credit",)) == Marks(tree).having(("credit",))


def test_a_walk_of_part_of_the_page_is_not_taken_for_the_whole() -> None:
    tree = parse_html(PAGE)
    body = tree.find("body")
    assert body is not None
    marks = Marks(tree, PageWalk(body))
    assert marks.metas == tree.xpath("//meta") and marks.elements == Marks(tree).elements


PAGES = sorted(FIXTURES.glob("**/*.html"))
#: Every word table the readers ask about, and words most pages hold many times.
_WORD_LISTS = [
    markup.words(table) for table in ("credit", "source", "portrait", "byline_boxes", "lists")
] + [("a", "e"), ("nav", "menu", "post"), ("",)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.parent.name)
def test_words_are_found_in_every_element_carrying_a_mark_as_asking_each_alone(page: Any) -> None:
    marks = Marks(parse_html(page.read_bytes()))
    for words in _WORD_LISTS:
        alone = {i for i, e in enumerate(marks.elements) if has_word(marks_of(e), words)}
        assert marks.having(words) == alone, words


def test_a_mark_repeated_on_many_elements_is_found_on_each() -> None:
    page = "<html><body>" + "<p class='Caption'>x</p><p id='c'>y</p>" * 20 + "</body></html>"
    marks = Marks(parse_html(page))
    assert sorted(marks.having(("caption",))) == list(range(0, 40, 2))


@pytest.mark.parametrize(
    "page", [*PAGES[:8], None], ids=lambda p: "made-up" if p is None else p.parent.name
)
def test_paths_made_once_per_page_are_those_made_alone(page: Any) -> None:
    tree = parse_html(PAGE if page is None else page.read_bytes())
    marks = Marks(tree)
    elements = list(tree.iter(etree.Element))
    random.Random(9).shuffle(elements)  # a descendant asked before or after its ancestors
    assert [css_path(e, marks.paths) for e in elements] == [css_path(e) for e in elements]
