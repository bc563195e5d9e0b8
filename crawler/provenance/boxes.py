"""Byline boxes and credit lines the page's markup holds outside the extracted body text.

A byline box is kept as its own kind (``box_byline``): the hand-written rules do not rest a
chain on it (on the labelled pages boxes brought teaser and photo credits in as often as
wire credits), the learned model weighs it as a feature of the agency it names. A credit
element is a ``credit_line`` like one in the text: on both halves of the labelled pages it
found more wire copy than it brought errors.

Why: trafilatura drops the bar under a headline (``von APA``, ``PTI | July 9, 2020``) and a
credit closing the article in an element of its own (``apr/dpa``, ``Quelle: dpa``,
``Source: Reuters``), and a generic profile cannot name every template's class. So short
elements whose class or id says byline, author, source or agency are read as bylines, and
short elements that are a credit line as a whole, in a form no sentence or caption takes (a
label, initials beside the agency, parentheses), as credit lines. Navigation, footers,
teasers and captions are left out: there an agency names something else.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from crawler.extract import clean, css_path
from crawler.items import Evidence
from crawler.provenance.captions import Chrome, has_word
from crawler.provenance.readers.conventions import CREDIT_LABELS
from crawler.provenance.readers.patterns import _all, _alternation

_BYLINE_WORDS = (
    "byline", "author", "autor", "auteur", "source", "quelle", "fuente", "fonte", "agency",
    "agentur", "signature", "dateline", "article-info", "articleinfo", "article-meta",
    "articlemeta", "meta-info", "metainfo", "post-meta", "postmeta", "credit-line",
    "creditline",
)  # fmt: skip
_CAPTION_WORDS = ("caption", "photo", "image", "img", "figure", "media", "gallery", "video")
_BOXES = etree.XPath("//*[@class or @id]")
_SHORT = etree.XPath(
    "//*[self::p or self::span or self::small or self::em or self::i or self::b or self::strong"
    " or self::cite or self::address or (self::div and not(*))]"
    "[string-length(normalize-space()) > 0][string-length(normalize-space()) <= 60]"
)
_TEXT = etree.XPath("string()")
_MAX_BOX = 160
_MAX_CREDIT = 60
#: The credit forms no sentence or caption takes: a label, initials beside an agency, or
#: the whole element in parentheses.
_CREDIT_FORM = re.compile(
    rf"^\s*(?:(?i:{_alternation(_all(CREDIT_LABELS))})\s*[:：]"
    r"|[a-z]{1,4}\s*/\s*\w|\w[^/©]*/\s*[a-z]{1,4}\s*$|\([^©]*\)\s*\.?\s*$)"
)


def _in_caption(element: Any) -> bool:
    for node in (element, *element.iterancestors()):
        if not isinstance(node.tag, str):
            continue
        if node.tag in ("figure", "figcaption"):
            return True
        if has_word(f"{node.get('class') or ''} {node.get('id') or ''}".lower(), _CAPTION_WORDS):
            return True
    return False


def _short(element: Any, limit: int) -> bool:
    """Whether ``element`` holds at most about ``limit`` characters; stops reading early,
    since a class saying ``author`` may sit on a container of the whole article."""
    total = 0
    for text in element.itertext():
        total += len(text.strip())
        if total > limit:
            return False
    return True


def read_boxes(tree: Any, chrome: Chrome | None = None) -> list[Evidence]:
    """Byline boxes and stand-alone credit lines outside the page's chrome."""
    chrome = chrome or Chrome()
    found: list[Evidence] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, text: str, element: Any) -> None:
        if (kind, text) not in seen:
            seen.add((kind, text))
            found.append(Evidence(kind=kind, text=text, where=css_path(element)))

    for element in _BOXES(tree):
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "script", "style"):
            continue
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if not has_word(marks.lower(), _BYLINE_WORDS):
            continue
        if not _short(element, _MAX_BOX):
            continue
        text = clean(_TEXT(element))
        if text and len(text) <= _MAX_BOX and not chrome(element) and not _in_caption(element):
            add("box_byline", text, element)
    for element in _SHORT(tree):
        text = clean(_TEXT(element))
        if not text or len(text) > _MAX_CREDIT or not _CREDIT_FORM.match(text):
            continue
        if not chrome(element) and not _in_caption(element):
            add("credit_line", text, element)
    return found
