"""Extraction is plain functions over one parsed tree, tested without Scrapy."""

from __future__ import annotations

from typing import Any

from crawler.extract import css_path, extract_article, parse_html, read_evidence
from crawler.profile import Profile
from tests.crawling import FIXTURES

PROFILE = Profile.from_mapping(
    {
        "id": "demo",
        "language": "fr",
        "timezone": "+07:00",
        "selectors": {
            "title": "h1",
            "title_suffixes": [" | Demo"],
            "published": "span.date",
            "published_format": "%d/%m/%Y %H:%M",
            "byline": "p.byline",
            "credit_line": "p.author",
            "captions": "figcaption",
            "body": "div.content",
            "drop": "figure, p.author, p.byline, nav",
        },
    }
)

PAGE = """<html><head><title>x</title></head><body>
<nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav>
<h1>Un titre | Demo</h1><span class="date">13/09/2023 18:02</span>
<div class="content">
  <figure><img src="a.jpg"><figcaption>Deux dirigeants. Photo : AFP/VNA/CVN</figcaption></figure>
  <p>Premier paragraphe de l'article, assez long pour que trafilatura le garde sans hésiter.</p>
  <p>Second paragraphe de l'article, lui aussi suffisamment long pour compter comme du texte.</p>
  <p class="byline">Minh Duc (selon RT, Sputnik)</p>
  <p class="author">Xinhua/VNA/CVN</p>
</div></body></html>"""


def test_fields_come_from_the_profile_and_text_from_trafilatura() -> None:
    found = extract_article(parse_html(PAGE), "https://demo.test/a/1.html", PROFILE)
    assert found.title == "Un titre"
    assert found.published == "2023-09-13T18:02:00+07:00"
    assert found.authors == ["Minh Duc"], "the sources in a byline are evidence, not authors"
    assert found.language == "fr"
    assert found.text.split("\n") == [
        "Premier paragraphe de l'article, assez long pour que trafilatura le garde sans hésiter.",
        "Second paragraphe de l'article, lui aussi suffisamment long pour compter comme du texte.",
    ]


def test_evidence_is_read_from_the_raw_page_with_where_it_was() -> None:
    from parsel import Selector

    tree = parse_html(PAGE)
    evidence = read_evidence(tree, PROFILE)
    assert [(e.kind, e.text) for e in evidence] == [
        ("credit_line", "Xinhua/VNA/CVN"),
        ("byline", "Minh Duc (selon RT, Sputnik)"),
        ("caption", "Deux dirigeants. Photo : AFP/VNA/CVN"),
    ]
    assert evidence[0].where == "html > body > div.content > p.author:nth-of-type(4)"
    for piece in evidence:  # each path finds its element again, and only it
        (element,) = Selector(root=tree, type="html").css(piece.where)
        assert piece.text in " ".join(element.xpath("string()").get().split())


def test_bylines_in_the_pages_chrome_are_other_stories() -> None:
    """A sidebar's story list carries its stories' bylines (``By AP and staff``); only the
    article's own byline is evidence for it."""
    tree = parse_html(
        "<html><body><article><h1>Titre</h1><p class='byline'>Par Jeanne Martin</p>"
        "<p>Le conseil a siégé lundi.</p></article>"
        "<aside class='sidebar'><div class='item'><a href='/b'>Autre sujet</a>"
        "<p class='byline'>By AP and staff</p></div></aside></body></html>"
    )
    bylines = [e.text for e in read_evidence(tree, PROFILE) if e.kind == "byline"]
    assert bylines == ["Par Jeanne Martin"]


def test_the_tree_is_not_changed_by_extraction() -> None:
    tree = parse_html(PAGE)
    extract_article(tree, "https://demo.test/a/1.html", PROFILE)
    assert tree.xpath("//p[@class='author']/text()") == ["Xinhua/VNA/CVN"]


def test_an_empty_body_container_means_no_article_text() -> None:
    empty = PAGE.split('<div class="content">')[0] + '<div class="content"> </div></body></html>'
    assert extract_article(parse_html(empty), "https://demo.test/a/2.html", PROFILE).text == ""


def test_css_paths_count_same_tag_siblings() -> None:
    tree = parse_html(
        "<html><body><div><p>a</p><p id='x'>b</p><p class='c'>c</p></div></body></html>"
    )
    third = tree.xpath("//p")[2]
    assert css_path(third) == "html > body > div > p.c:nth-of-type(3)"
    assert css_path(tree.xpath("//p")[1]) == "p#x"


def test_css_paths_made_with_the_pages_known_paths_are_the_same() -> None:
    tree = parse_html(
        "<html><body><div class='a b'><p>a</p><p id='x'><i>b</i><!-- c --></p>"
        "<section><p class='c'><b>c</b></p><p>d</p></section><p>e</p></div>"
        + "<ul>"
        + "<li><a>x</a></li><li class='y'><a>y</a></li>" * 40
        + "</ul></body></html>"
    )
    elements = [node for node in tree.iter() if isinstance(node.tag, str)]
    expected = [css_path(node) for node in elements]
    for order in (elements[::-1], elements, elements[::3] + elements):
        known: dict = {}
        assert [css_path(node, known) for node in order] == [css_path(node) for node in order]
    assert len(set(expected)) == len(expected)


def _slow_css_path(element: Any) -> str:
    """``css_path`` spelled out with XPath counts of same-tag siblings, no shortcut taken."""
    parts: list[str] = []
    node = element
    while node is not None and isinstance(node.tag, str):
        if node.get("id"):
            parts.append(f"{node.tag}#{node.get('id')}")
            break
        classes = node.get("class")
        part = node.tag + "".join("." + c for c in classes.split()) if classes else node.tag
        parent = node.getparent()
        if parent is not None and parent.xpath("count(*[name() = $t])", t=node.tag) > 1:
            before = node.xpath("count(preceding-sibling::*[name() = $t])", t=node.tag)
            part += f":nth-of-type({int(before) + 1})"
        parts.append(part)
        node = parent
    return " > ".join(reversed(parts))


def test_css_paths_are_what_counting_every_sibling_gives() -> None:
    gallery = "".join(
        f"<figure><img><figcaption class='c{i % 3}'>{i}</figcaption></figure><p>{i}</p>"
        for i in range(90)
    )
    pages = [
        f"<html><body><div class='g'>{gallery}</div><div>{gallery[:2000]}</div></body></html>",
        "<html><body><p>a</p><!-- x --><p>b<i>c</i><i>d</i></p><div><p>e</p></div></body></html>",
        *(path.read_bytes() for path in sorted(FIXTURES.rglob("*.html"))[:12]),
    ]
    for page in pages:
        tree = parse_html(page)
        elements = [node for node in tree.iter() if isinstance(node.tag, str)]
        for order in (elements, elements[::-1]):
            known: dict[Any, str] = {}
            for node in order:
                assert css_path(node, known) == css_path(node) == _slow_css_path(node)


def test_language_prefers_the_page_over_the_profile() -> None:
    page = PAGE.replace("<html>", '<html lang="en-GB">')
    assert extract_article(parse_html(page), "https://demo.test/a/1.html", PROFILE).language == "en"
