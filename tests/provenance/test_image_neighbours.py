"""The siblings read beside an image: those holding an image are left out, as the XPath
``boolean(.//img)`` says of each, on every element of the fixture pages."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from crawler.extract import parse_html
from crawler.provenance.image_neighbours import _SIBLINGS, _following
from tests.crawling import FIXTURES

PAGES = sorted(FIXTURES.glob("**/*.html"))
_HAS_IMAGE = etree.XPath("boolean(.//img)")

MADE_UP = (
    "<html><body><div><img src='a.jpg'><div>REUTERS</div><div><p><img src='b.jpg'></p></div>"
    "<!-- c --><script>x</script><img src='c.jpg'><span>AP</span><div>late</div></div>"
    "<picture><source><img src='d.jpg'></source></picture><div><svg><img/></svg></div>"
    "</body></html>"
)


def _following_read_plainly(node: Any) -> list[Any]:
    out = [
        s
        for s in node.itersiblings()
        if isinstance(s.tag, str) and s.tag not in ("script", "style")
    ][:_SIBLINGS]
    return [s for s in out if not _HAS_IMAGE(s)]


@pytest.mark.parametrize(
    "page", [None, *PAGES], ids=lambda p: "made-up" if p is None else p.parent.name
)
def test_the_siblings_kept_are_those_without_an_image(page: Any) -> None:
    tree = parse_html(MADE_UP if page is None else page.read_bytes())
    for element in tree.iter():
        assert _following(element) == _following_read_plainly(element)


def test_a_sibling_holding_an_image_is_left_out_and_counts_among_the_few_read() -> None:
    tree = parse_html(MADE_UP)
    first = next(tree.iter("img"))
    # The third sibling is the next image itself: none among its descendants.
    assert [s.tag for s in _following(first)] == ["div", "img"]
