"""The publication time printed next to the headline, in the outlet's own format.

When an outlet's ``published`` selector misses (a redesign renamed the date's class) and the
page states no machine-readable time (no ``article:published_time``, no ``<time datetime>``),
the profile still knows how the outlet prints its dates (``published_format``:
``13/09/2023 22:40``, ``14 Septembre 2023 22:35 (UTC+01:00)``), and outlets print the date
beside the headline. So the few text blocks just before and after the headline are read with
that format; the first that parses is the time. Blocks further away (teasers, the sidebar)
are never read: their dates are other articles'.

A plain function over an lxml tree, tested without Scrapy.
"""

from __future__ import annotations

from itertools import zip_longest

from lxml import etree
from lxml.etree import _Element

from crawler.dates import parse_published
from crawler.extract import clean

#: Text blocks read on each side of the headline.
_BEFORE = 3
_AFTER = 4
#: A date line is short; longer blocks are skipped unread.
_DATE_CHARS = 80

_HEADLINES = etree.XPath("//body//*[self::h1 or self::h2]", smart_strings=False)
_TEXT_BLOCKS = "[not(self::script or self::style)][normalize-space(text())]"
_FOLLOWING = etree.XPath("following::*" + _TEXT_BLOCKS, smart_strings=False)
_PRECEDING = etree.XPath("preceding::*" + _TEXT_BLOCKS, smart_strings=False)


def _text(element: _Element) -> str:
    return clean(etree.tostring(element, method="text", encoding="unicode", with_tail=False))


def date_near_headline(
    tree: _Element, title: str | None, fmt: str, timezone: str | None = None
) -> str | None:
    """The time printed beside the headline that repeats ``title``, read with ``fmt``
    (a profile's ``published_format``); None when no block there parses."""
    if not title:
        return None
    wanted = clean(title).casefold()
    headline = next((h for h in _HEADLINES(tree) if _text(h).casefold() == wanted), None)
    if headline is None:
        return None
    # Nearest first: the block right after the headline, then right before, and so on.
    after = _FOLLOWING(headline)[:_AFTER]
    before = list(reversed(_PRECEDING(headline)))[:_BEFORE]
    nearest = [e for pair in zip_longest(after, before) for e in pair if e is not None]
    for element in nearest:
        text = _text(element)
        if text and len(text) <= _DATE_CHARS:
            found = parse_published(text, fmt, timezone)
            if found is not None:
                return found
    return None
