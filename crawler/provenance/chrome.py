"""Whether an element sits in the page's chrome (navigation, a footer, an aside, a teaser
link or box) rather than in the article: a byline or an image credit there belongs to
another story. Shared by the extraction's byline reading and the provenance readers.
"""

from __future__ import annotations

import re
from typing import Any

from crawler.provenance import markup

#: Containers that are the page's chrome, not the article: their images are teasers'.
_CHROME_TAGS = markup.tags("chrome")
#: Class or id words (at the start of a class name) of teaser boxes and page furniture.
_CHROME_STARTS = markup.words("chrome_starts")
#: A link that opens the article's own image (a lightbox, the image file, or the image's
#: own page, whose address ends in the file's name: ``/image/debate_83976-2c544jpg/``) is
#: no teaser. An image folder alone (``/photo/...``) is not enough: photo stories' teasers
#: link there too.
_IMAGE_LINK = re.compile(
    r"light-?b|zoom|gallery|fancybox|[.\w-](?:jpe?g|png|webp|gif)/?(?:\?|$)", re.I
)
#: What a link matching ``_IMAGE_LINK`` holds in lower case, one at least. A case-blind
#: pattern that may match at any character is slow on long addresses (15 µs a link on
#: real pages); an ASCII link holding none of these words cannot match, and most hold none.
_IMAGE_LINK_WORDS = ("light", "zoom", "gallery", "fancybox", "jpg", "jpeg", "png", "webp", "gif")


class Chrome:
    """Whether an element sits in navigation, a footer, an aside, a link or a teaser box.

    Remembered per element for one page: every caption and box asks about its ancestors,
    and most of them share the same few.
    """

    def __init__(self) -> None:
        self._known: dict[Any, bool] = {}

    def __call__(self, element: Any) -> bool:
        parent = element.getparent()
        return parent is not None and self._is(parent)

    def _is(self, node: Any) -> bool:
        known = self._known.get(node)
        if known is not None:
            return known
        chain = []
        while node is not None and node not in self._known:
            chain.append(node)
            node = node.getparent()
        verdict = self._known.get(node, False) if node is not None else False
        for element in reversed(chain):
            verdict = verdict or _marks_chrome(element)
            self._known[element] = verdict
        return verdict


#: The elements that hold the whole page, never one part of it.
_WHOLE_PAGE = frozenset({"html", "body"})


def is_whole_page(match: Any) -> bool:
    """Whether a selector's match is the page's ``<body>`` or ``<html>``: whatever their
    classes say, they are no menu, caption or byline. Scripts put state words there
    (``<body class="nav-trigger">``, ``f_caption_muted_videos_on``), which class-word
    selectors (``[class*='caption']``) match, handing over the whole page as one piece."""
    return not isinstance(match, str) and match.tag in _WHOLE_PAGE


def _image_link(link: str) -> bool:
    """Whether ``link`` (an anchor's class and address) opens an image (``_IMAGE_LINK``)."""
    if link.isascii():  # where lower-casing is what the case-blind pattern does
        lowered = link.lower()
        if not any(word in lowered for word in _IMAGE_LINK_WORDS):
            return False
    return _IMAGE_LINK.search(link) is not None


#: A class or id word (split at white space, as ``str.split`` does: ``\s`` is the same
#: set of characters) that starts with one of ``_CHROME_STARTS``.
_CHROME_START = re.compile(
    r"(?<!\S)(?:" + "|".join(map(re.escape, _CHROME_STARTS)) + ")" if _CHROME_STARTS else "(?!)"
)


def _marks_chrome(node: Any) -> bool:
    """Whether ``node`` itself is chrome; the page's ``body`` and ``html`` never are."""
    tag = node.tag
    if not isinstance(tag, str) or tag in _WHOLE_PAGE:  # is_whole_page
        return False
    if tag == "a":
        href = node.get("href")
        if href is None or _image_link(f"{node.get('class')} {href}"):
            return False  # an anchor that leads nowhere, or to the image, is no teaser
    if tag in _CHROME_TAGS:
        return True
    name, ident = node.get("class"), node.get("id")
    if not name and not ident:
        return False  # most ancestors: nothing to split
    return _CHROME_START.search(f"{name or ''} {ident or ''}".lower()) is not None
