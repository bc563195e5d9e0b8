"""Whether an element is the page's chrome: the quick answers (a link's image test, the
class words at the start of a name) say what the plain reading says, on every element of
the fixture pages and on made-up marks."""

from __future__ import annotations

from typing import Any

import pytest

from crawler.extract import parse_html
from crawler.provenance.chrome import (
    _CHROME_STARTS,
    _CHROME_TAGS,
    _IMAGE_LINK,
    Chrome,
    _image_link,
    _marks_chrome,
    is_whole_page,
)
from tests.crawling import FIXTURES

PAGES = sorted(FIXTURES.glob("**/*.html"))

LINKS = [
    "None /politics/story-42.html",
    "None https://cdn.example/photo/big.JPG",
    "None https://cdn.example/photo/big.jpeg?w=800",
    "gallery-link /a",
    "None /image/debate_83976-2c544jpg/",
    "LightBox /x",
    "None /lightbox",
    "js-Zoom /x",
    "None /x.webp/",
    "None /x.gif?v=1",
    "None /x.png#frag",
    "FancyBox none",
    "None /giffen-goods",
    "None /jpg",
    "None",
    "",
    "None /fotó/kép.jpg",  # not ASCII: the pattern alone decides
    "None /ſtory/LİGHTBOX",
    "None /GALLERY",
    "None /x.\u212aPG",  # KELVIN SIGN
    "İ /x.jpg",
    "None /\u0131mage/zoom",
]


@pytest.mark.parametrize("link", LINKS)
def test_the_image_link_test_says_what_the_pattern_says(link: str) -> None:
    assert _image_link(link) == (_IMAGE_LINK.search(link) is not None)


def _marks_chrome_read_plainly(node: Any) -> bool:
    """What ``_marks_chrome`` says, read the plain way (the specification)."""
    if not isinstance(node.tag, str) or is_whole_page(node):
        return False
    if node.tag == "a" and (
        node.get("href") is None or _IMAGE_LINK.search(f"{node.get('class')} {node.get('href')}")
    ):
        return False
    if node.tag in _CHROME_TAGS:
        return True
    name, ident = node.get("class"), node.get("id")
    if not name and not ident:
        return False
    marks = f"{name or ''} {ident or ''}".lower()
    return any(word.startswith(_CHROME_STARTS) for word in marks.split())


MADE_UP = (
    "<html><body class='nav-open'><div class='x\u00a0related-box'>a</div>"
    "<div class='story\u2003teaser'>b</div><div class='notrelated'>c</div>"
    "<div id='Sidebar'>d</div><div class='a\u3000promo'>e</div><div class='\u0130menu'>f</div>"
    "<section class='ad- x'>g</section><section class='x\x1cnav'>h</section>"
    "<a href='/a.JPG' class='teaser'>i</a><a class='teaser'>j</a><a href='/s'>k</a>"
    "<nav><p>l</p></nav><footer id='Footer'>m</footer><!-- n --></body></html>"
)


@pytest.mark.parametrize(
    "page", [None, *PAGES], ids=lambda p: "made-up" if p is None else p.parent.name
)
def test_each_element_is_chrome_as_the_plain_reading_says(page: Any) -> None:
    tree = parse_html(MADE_UP if page is None else page.read_bytes())
    elements = list(tree.iter())
    assert elements
    for element in elements:
        assert _marks_chrome(element) == _marks_chrome_read_plainly(element)


def test_a_class_word_counts_at_the_start_of_any_name_whatever_space_sets_it_off() -> None:
    tree = parse_html(MADE_UP)
    said = {e.text: _marks_chrome(e) for e in tree.iter("div", "section")}
    assert said == {"a": True, "b": True, "c": False, "d": True, "e": True, "f": False,
                    "g": True, "h": True}  # fmt: skip


def test_a_link_to_the_image_is_no_chrome_but_what_holds_it_may_be() -> None:
    tree = parse_html(MADE_UP)
    links = {a.text: _marks_chrome(a) for a in tree.iter("a")}
    assert links == {"i": False, "j": False, "k": True}
    chrome = Chrome()
    assert [chrome(p) for p in tree.iter("p")] == [True]  # inside <nav>
