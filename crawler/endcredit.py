"""The credit line a page prints just after the article body, outside trafilatura's text.

Outlets put the agency chain in a block of its own after the last paragraph
(``<div>Xinhua/VNA/CVN</div>``), and trafilatura leaves such a short block out of the main
text. An outlet profile names that block (``selectors.credit_line``); when its selector no
longer matches (after a redesign) this finds it by position: the element holding the body's
last paragraph is located on the raw page, and the first few short text blocks after it are
read as the provenance readers read a credit line. A long block (the next teaser, a comment)
ends the search: the credit sits right after the body or not at all.

Only the outlet fallback uses it: on the generic spider's real pages the block after the body
is as often an image credit inside a caption (``Reuters/TOM BRENNER`` in ``span.credit``) as
the copy's credit, and the generic profile reads credit lines from the text's edges alone.

A plain function over an lxml tree, tested without Scrapy.
"""

from __future__ import annotations

from lxml import etree
from lxml.etree import _Element

from crawler.extract import clean, css_path
from crawler.items import Evidence
from crawler.provenance.readers import read_credit_line
from crawler.registry import Registry, load_registry

#: Blocks after the body looked at, and the longest a credit block may be (characters).
_BLOCKS = 4
_BLOCK_CHARS = 120
#: Characters of the last paragraph used to find it on the page (its opening words).
_PROBE_CHARS = 40

_HOLDING = etree.XPath(
    "//body//*[not(self::script or self::style)][contains(normalize-space(text()), $probe)]",
    smart_strings=False,
)
#: The blocks after the body, outside the page's chrome: a footer's "© AFP 2023" is the
#: site's licence notice, not the article's credit.
_AFTER = etree.XPath(
    "following::*[not(self::script or self::style or self::noscript)]"
    "[normalize-space(text())]"
    "[not(ancestor-or-self::*[self::footer or self::nav or self::aside or self::header])]",
    smart_strings=False,
)


def credit_after_body(
    tree: _Element,
    text: str,
    *,
    publisher: str | None = None,
    registry: Registry | None = None,
) -> Evidence | None:
    """The credit line in the short blocks right after the body's last paragraph, if any."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return None
    probe = clean(lines[-1])[:_PROBE_CHARS].rstrip()
    if len(probe) < 10:
        return None  # too short to find one paragraph by
    holding = _HOLDING(tree, probe=probe)
    if not holding:
        return None
    reg = registry or load_registry()
    for block in _AFTER(holding[-1])[:_BLOCKS]:
        span = clean(etree.tostring(block, method="text", encoding="unicode", with_tail=False))
        if not span or len(span) > _BLOCK_CHARS:
            return None
        if read_credit_line(span, reg, publisher=publisher) is not None:
            return Evidence(kind="credit_line", text=span, where=css_path(block))
    return None
