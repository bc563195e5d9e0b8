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
from crawler.provenance.captions import in_chrome
from crawler.provenance.readers.conventions import CREDIT_LABELS
from crawler.provenance.readers.patterns import _all, _alternation

_BYLINE_CLASS = re.compile(
    r"byline|author|autor|auteur|source|quelle|fuente|fonte|agency|agentur|signature|dateline"
    r"|article-?info|article-?meta|meta-?info|post-?meta|credit-?line",
    re.I,
)
_CAPTION_CLASS = re.compile(r"caption|photo|image|img|figure|media|gallery|video", re.I)
_BOXES = etree.XPath("//*[@class or @id]")
_SHORT = etree.XPath(
    "//p | //span | //small | //em | //i | //b | //strong | //div[not(*)] | //cite | //address"
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
        if _CAPTION_CLASS.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
    return False


def read_boxes(tree: Any) -> list[Evidence]:
    """Byline boxes and stand-alone credit lines outside the page's chrome."""
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
        if not _BYLINE_CLASS.search(marks):
            continue
        text = clean(_TEXT(element))
        if text and len(text) <= _MAX_BOX and not in_chrome(element) and not _in_caption(element):
            add("box_byline", text, element)
    for element in _SHORT(tree):
        text = clean(_TEXT(element))
        if not text or len(text) > _MAX_CREDIT or not _CREDIT_FORM.match(text):
            continue
        if not in_chrome(element) and not _in_caption(element):
            add("credit_line", text, element)
    return found
