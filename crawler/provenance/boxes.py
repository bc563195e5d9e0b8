"""Byline boxes and credit lines the page's markup holds outside the extracted body text.

A byline box is kept as its own kind (``box_byline``), a feature the learned model weighs for
the agency it names. When the box reads as a byline that credits an agency (``By Reuters``,
``Von Diana Resnik mit AP``, ``PTI | July 9, 2020``) it is also a ``byline``, the weakest
evidence the rules rest a chain on: a box that merely names an agency (a teaser's source,
a photo credit) does not. On the labelled pages, such reading boxes credited the wire copy
far more often than anything else; recommendation lists are left out. A credit
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
from collections.abc import Callable
from typing import Any

from lxml import etree

from crawler.extract import clean, css_path
from crawler.items import Evidence
from crawler.provenance import markup
from crawler.provenance.captions import Chrome, Marks, has_word
from crawler.provenance.readers.bylines import read_byline
from crawler.provenance.readers.conventions import CREDIT_LABELS
from crawler.provenance.readers.patterns import _all, _alternation
from crawler.registry import Registry, load_registry

#: Class or id words of byline, author and source boxes.
_BYLINE_WORDS = markup.words("byline_boxes")
#: Class or id words of lists of other articles, fact boxes and news timelines: their
#: credits are their entries' own.
_LIST_WORDS = markup.words("lists")
#: Class or id words of images and other media: a byline box inside one is a photo credit.
_CAPTION_WORDS = markup.words("captions")
#: ``itemprop`` values of an article's images: a credit inside one is the image's.
_MEDIA_PROPS = frozenset({"associatedmedia", "image", "photo", "video"})
#: Of the page's elements a credit line is written in (``Marks.lines``, in document order),
#: the short ones, tested in libxml2: a div only when it holds no element. Every credit
#: form (``_CREDIT_FORM``) holds a colon, a slash or a parenthesis, looked for in the text
#: nodes first (a string value is built only for the few that have one); only those few
#: are read in Python.
_SHORT = etree.XPath(
    "$lines[not(self::div) or not(*)]"
    "[.//text()[contains(., ':') or contains(., '：') or contains(., '/') or contains(., '(')]]"
    "[string-length(normalize-space()) <= 60][normalize-space()]"
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


def _is_caption(node: Any) -> bool:
    """Whether ``node`` itself is an image, a caption or a media item."""
    if not isinstance(node.tag, str):
        return False
    if node.tag in ("figure", "figcaption"):
        return True
    if (node.get("itemprop") or "").strip().lower() in _MEDIA_PROPS:
        return True
    return has_word(f"{node.get('class') or ''} {node.get('id') or ''}".lower(), _CAPTION_WORDS)


def _short(element: Any, limit: int) -> bool:
    """Whether ``element`` holds at most about ``limit`` characters; stops reading early,
    since a class saying ``author`` may sit on a container of the whole article."""
    total = 0
    for text in element.itertext():
        total += len(text.strip())
        if total > limit:
            return False
    return True


def _is_list(node: Any) -> bool:
    """Whether ``node`` itself is a list of other articles, a fact box or a timeline."""
    if not isinstance(node.tag, str):
        return False
    return has_word(f"{node.get('class') or ''} {node.get('id') or ''}".lower(), _LIST_WORDS)


class _Within:
    """Whether an element or one of its ancestors is what ``test`` says of an element itself.

    Remembered per element for one page, as ``Chrome`` is: the boxes and lines a page's
    readers ask about share most of their ancestors."""

    def __init__(self, test: Callable[[Any], bool]) -> None:
        self._test = test
        self._known: dict[Any, bool] = {}

    def __call__(self, element: Any) -> bool:
        known, node = self._known, element
        chain = []
        while node is not None and node not in known:
            chain.append(node)
            node = node.getparent()
        verdict = known[node] if node is not None else False
        for each in reversed(chain):
            verdict = verdict or self._test(each)
            known[each] = verdict
        return verdict


def read_boxes(
    tree: Any,
    chrome: Chrome | None = None,
    registry: Registry | None = None,
    marks: Marks | None = None,
) -> list[Evidence]:
    """Byline boxes and stand-alone credit lines outside the page's chrome; ``marks``, the
    page's class and id words, when another reader has read them already."""
    chrome = chrome or Chrome()
    registry = registry or load_registry()
    found: list[Evidence] = []
    seen: set[tuple[str, str]] = set()

    marks = marks or Marks(tree)

    def add(kind: str, text: str, element: Any) -> None:
        if (kind, text) not in seen:
            seen.add((kind, text))
            found.append(Evidence(kind=kind, text=text, where=css_path(element, marks.paths)))

    in_caption, in_list = _Within(_is_caption), _Within(_is_list)
    for index in sorted(marks.having(_BYLINE_WORDS)):
        element = marks.elements[index]
        if element.tag in ("html", "body", "script", "style"):
            continue
        if not _short(element, _MAX_BOX):
            continue
        text = clean(_TEXT(element))
        if text and len(text) <= _MAX_BOX and not chrome(element) and not in_caption(element):
            add("box_byline", text, element)
            read = read_byline(text, registry)
            if read is not None and read.agencies and not in_list(element):
                add("byline", text, element)
    for element in _SHORT(tree, lines=marks.lines):
        text = clean(_TEXT(element))
        if not text or len(text) > _MAX_CREDIT or not _CREDIT_FORM.match(text):
            continue
        if not chrome(element) and not in_caption(element) and not in_list(element):
            add("credit_line", text, element)
    return found
