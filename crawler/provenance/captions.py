"""Image credits wherever a page's template puts them: captions, ``figcaption`` parts,
credit spans, and the image's own attributes (``alt``, ``title``, ``data-credit``).

Why from the tree, beside the profile's caption selector: a profile names one place, and
real pages split a caption into parts (the text, then a ``<span class="credit">``), or keep
the credit only in an attribute. Captions of teasers, related links, navigation and footers
are the page's chrome, not this article's images, and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from lxml import etree

from crawler.extract import clean, css_path
from crawler.items import Evidence
from crawler.provenance import markup
from crawler.provenance.chrome import Chrome
from crawler.provenance.marks import Marks, marks_of

__all__ = ["Chrome", "Marks", "marks_of"]  # the readers' shared page tables, named here too

#: Class or id words marking a caption or an image credit (parts of a class name).
CREDIT_WORDS = markup.words("credit")
#: Words that mark an image's source only beside an image (the article's own source line
#: has such classes too).
SOURCE_WORDS = markup.words("source")
#: Beside an image of the article: an author box's portrait (``avatar``, ``author``) is none.
_NEAR_IMAGE = etree.XPath(
    "boolean(ancestor::figure or ancestor::figcaption or ../picture or ../figure"
    " or ../img[not(contains(translate(concat(@class, ' ', @alt), 'AVTRHU', 'avtrhu'), 'avatar'))"
    " and not(contains(translate(concat(@class, ' ', @alt), 'AVTRHU', 'avtrhu'), 'author'))])"
)
#: Class or id words of an author's portrait beside the byline (``article-authorimage``).
_PORTRAIT_WORDS = markup.words("portrait")
_IMAGE_ATTRS = ("data-credit", "data-copyright", "data-caption", "caption", "title", "alt")
_TEXT = etree.XPath("string()")
_MAX_CHARS = 400
#: An image's own ``alt`` or ``title`` speaks of that image alone, however long: agency
#: captions run to several sentences with the credit last (``... (AP Photo/Jane Doe)``).
_MAX_ATTR_CHARS = 1000


def has_word(marks: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` is part of ``marks`` (a lower-cased class and id). Asked of
    every element of a page: a case-sensitive pattern on the lower-cased text is many times
    faster than a case-blind one or a loop over the words."""
    return _words_pattern(words).search(marks) is not None


@cache
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words)))


#: Distinct caption texts one page's provenance reads. A gallery has a few dozen; a
#: hostile page can hold tens of thousands, each a reading, a feature row and an evidence row.
MAX_CAPTIONS = 200


class CaptionCap:
    """The first :data:`MAX_CAPTIONS` distinct caption texts of a page, and how many more
    there were: a caption past the cap is counted (``dropped``), never silently lost."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_CAPTIONS if limit is None else limit
        self.kept: set[str] = set()
        self.over: set[str] = set()

    @property
    def dropped(self) -> int:
        """Distinct caption texts left out."""
        return len(self.over)

    def admit(self, text: str) -> bool:
        """Whether a caption saying ``text`` is read: one already kept is (the same credit
        in another place), a new one while there is room."""
        if text in self.kept:
            return True
        if len(self.kept) < self.limit:
            self.kept.add(text)
            return True
        self.over.add(text)
        return False

    def keep(self, pieces: Iterable[Evidence]) -> list[Evidence]:
        """``pieces`` without the captions past the cap (other kinds all kept)."""
        return [p for p in pieces if p.kind != "caption" or self.admit(p.text)]


def read_image_credits(
    tree: Any,
    chrome: Chrome | None = None,
    cap: CaptionCap | None = None,
    marks: Marks | None = None,
) -> list[Evidence]:
    """Every caption and image credit of the article's own images, once each (and, with a
    ``cap``, only those it admits: the place of the others is never worked out); ``marks``,
    the page's class and id words, when another reader has read them already."""
    chrome = chrome or Chrome()
    found: list[Evidence] = []
    seen: set[str] = set()

    marks = marks or Marks(tree)

    def add(text: str, element: Any, attr: str | None = None) -> None:
        text = clean(text)
        limit = _MAX_CHARS if attr is None else _MAX_ATTR_CHARS
        if text and len(text) <= limit and text not in seen:
            seen.add(text)
            if cap is not None and not cap.admit(text):
                return
            path = css_path(element, marks.paths)
            where = path if attr is None else f"{path}@{attr}"
            found.append(Evidence(kind="caption", text=text, where=where))

    credit_words, source_words = marks.having(CREDIT_WORDS), marks.having(SOURCE_WORDS)
    portraits = marks.having(_PORTRAIT_WORDS)
    elements = marks.elements
    near = {index for index in source_words - credit_words if _NEAR_IMAGE(elements[index])}
    # Only these can give a credit: every other marked element was passed over.
    for index in sorted(marks.media | marks.credited | credit_words | near):
        element = elements[index]
        credit_marked = index in credit_words or index in near
        if chrome(element):
            continue
        if element.tag == "img":
            if index in portraits:
                continue  # an author's portrait: its ``alt`` names the author, not a credit
            for attr in _IMAGE_ATTRS:
                if element.get(attr):
                    add(element.get(attr), element, attr)
            continue
        for attr in ("data-credit", "data-copyright"):
            if element.get(attr):
                add(element.get(attr), element, attr)
        if element.tag == "figure":
            # Its images and caption are candidates of their own; the whole figure's text
            # is read too, for a credit in a plain paragraph beside the image.
            add(_TEXT(element), element)
            continue
        if element.tag == "figcaption" or credit_marked:
            add(_TEXT(element), element)
            # A caption's parts: the credit is often a span of its own after the text.
            for child in element:
                if isinstance(child.tag, str):
                    add(_TEXT(child), child)
    return found
