"""One walk of a page (``PageWalk``) files what the page index and the provenance readers
each found by an XPath walk of their own: the same elements, in document order, of the
(sub)tree it is given."""

from __future__ import annotations

import pytest
from lxml import etree

from crawler.extract import PageQuery, parse_html
from crawler.pageindex import PageIndex
from crawler.pagewalk import PageWalk

PAGE = (
    "<html><head><meta name='author' content='Jane Roe'><meta property='og:type'>"
    "<script type='application/ld+json'>{}</script><script>var a = 1;</script></head>"
    "<body class='Page'><div id='Photo-Credit'>a</div><figure><img src='a.jpg'>"
    "<figcaption>Hafen<span class='credit'>Foto: dpa</span></figcaption></figure>"
    "<div itemprop='author'><span itemprop='name'>Jane Roe</span></div>"
    "<p class='' data-credit='AP'>x<b>bold</b><i>it</i></p><div><div>inner</div></div>"
    "<img class='logo' data-copyright=''><small>apr/dpa</small><!-- a comment -->"
    "<em class='credit' id='c1'>y</em><a rel='author' href='/j'>J</a><a rel=''>K</a>"
    "<strong>z</strong><cite>c</cite><address>d</address>"
    "<svg><text class='credit'>v</text></svg></body></html>"
)

#: What each list holds, as an XPath from the walk's root finds it.
_XPATHS = {
    "classed": "descendant-or-self::*[@class]",
    "classes": "descendant-or-self::*/@class",
    "elements": "descendant-or-self::*[@class or @id or self::figcaption or self::figure"
    " or self::img]",
    "images": "descendant-or-self::img",
    "metas": "descendant-or-self::meta",
    "scripts": "descendant-or-self::script",
    "itemprops": "descendant-or-self::*[@itemprop]",
    "rels": "descendant-or-self::*[@rel]",
    "lines": "descendant-or-self::*[self::p or self::span or self::small or self::em or self::i"
    " or self::b or self::strong or self::cite or self::address or self::div]",
}


@pytest.mark.parametrize("part", ["html", "body", "figure"])
def test_each_list_holds_what_its_xpath_finds_in_document_order(part: str) -> None:
    tree = parse_html(PAGE)
    root = tree if part == "html" else next(tree.iter(part))
    walk = PageWalk(root)
    for name, xpath in _XPATHS.items():
        assert getattr(walk, name) == root.xpath(xpath), name


def test_marks_are_class_then_id() -> None:
    walk = PageWalk(parse_html(PAGE))
    assert walk.marks[:5] == ["Page ", " Photo-Credit", " ", " ", " "]  # body, div, figure...
    assert [m for m, e in zip(walk.marks, walk.elements, strict=True) if e.tag == "em"] == [
        "credit c1"
    ]


def test_equal_class_strings_are_kept_once() -> None:
    walk = PageWalk(parse_html("<html><body>" + "<p class='caption'>x</p>" * 50 + "</body></html>"))
    assert len(walk.classes) == 50 and len({id(value) for value in walk.classes}) == 1
    assert len({id(mark) for mark in walk.marks}) == 1


def test_the_page_index_and_its_query_hand_on_the_walk_it_was_built_from() -> None:
    tree = parse_html(PAGE)
    index = PageIndex(tree)
    assert index.walk.root is tree and index._classed == index.walk.classed
    query = PageQuery(tree)
    walk = query.walk()
    assert walk is query.walk()  # built once
    assert [e.get("class") for e in query.select(".credit")] == ["credit", "credit", "credit"]
    assert walk is query.walk()  # the same index answered the selector


def test_a_walk_reads_no_comment_or_processing_instruction() -> None:
    tree = parse_html(PAGE)
    walk = PageWalk(tree)
    assert all(isinstance(e.tag, str) for e in walk.elements + walk.lines)
    assert not any(isinstance(e, etree._Comment) for e in walk.elements)


@pytest.mark.parametrize("part", ["html", "body", "figure"])
def test_every_element_is_filed_by_its_tag_as_a_tag_walk_finds_it(part: str) -> None:
    tree = parse_html(PAGE)
    root = tree if part == "html" else next(tree.iter(part))
    walk = PageWalk(root)
    tags = {element.tag for element in root.iter(etree.Element)}
    assert set(walk.tagged) == tags
    for tag in tags:
        assert walk.tagged[tag] == list(root.iter(tag)), tag
    assert walk.images == walk.tagged.get("img", [])
    assert walk.metas == walk.tagged.get("meta", [])
