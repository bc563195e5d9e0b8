"""Whether a box sits in a caption or a list: the per-page memory (``_Within``) says of
every element what asking its ancestors one by one says, in whatever order it is asked."""

from __future__ import annotations

import random
from typing import Any

import pytest

from crawler.extract import parse_html
from crawler.provenance.boxes import _is_caption, _is_list, _Within
from tests.crawling import FIXTURES

PAGES = sorted(FIXTURES.glob("**/*.html"))

MADE_UP = (
    "<html><body><figure><div><span>a</span></div></figure>"
    "<div itemprop=' Image '><p>b</p></div><div class='Related-Stories'><ul><li>c</li></ul>"
    "</div><div id='mainPhoto'><b>d</b></div><p class='byline'>e<!-- x --></p>"
    "<div class='factbox'><figcaption><i>f</i></figcaption></div></body></html>"
)


def _asked_alone(test: Any, element: Any) -> bool:
    return any(test(node) for node in (element, *element.iterancestors()))


@pytest.mark.parametrize(
    "page", [None, *PAGES], ids=lambda p: "made-up" if p is None else p.parent.name
)
@pytest.mark.parametrize("test", [_is_caption, _is_list], ids=["caption", "list"])
def test_remembered_answers_are_those_of_the_ancestors_asked_alone(page: Any, test: Any) -> None:
    tree = parse_html(MADE_UP if page is None else page.read_bytes())
    elements = list(tree.iter())
    random.Random(9).shuffle(elements)  # a descendant asked before or after its ancestors
    within = _Within(test)
    assert [within(e) for e in elements] == [_asked_alone(test, e) for e in elements]


def test_captions_and_lists_are_found_by_tag_itemprop_or_class_word() -> None:
    tree = parse_html(MADE_UP)
    in_caption, in_list = _Within(_is_caption), _Within(_is_list)
    said = {e.text: (in_caption(e), in_list(e)) for e in tree.iter("span", "p", "li", "b", "i")}
    assert said == {
        "a": (True, False),
        "b": (True, False),
        "c": (False, True),
        "d": (True, False),
        "e": (False, False),
        "f": (True, True),
    }
