"""One walk of a page for every provenance reader that looks at its markup.

Why one walk: each reader asked libxml2 for its own elements (those with a class or id, the
images, the meta tags, the JSON-LD scripts, the microdata), and an XPath with a predicate
tests every element of the document in turn: 0.2 to 0.7 ms a walk on a real publisher page
of 750 elements, five such walks a page. One walk in Python over the page's elements
(crawler.pagewalk) files them all at once, and the readers ask this table instead. In a
crawl that walk is the one the page index already made (``PageQuery.walk``).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from crawler.joined import Joined
from crawler.pagewalk import MEDIA_TAGS, PageWalk


def marks_of(element: Any) -> str:
    """An element's class and id, lower-cased, as the readers look for words in them."""
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower()


class Marks:
    """A page's elements with a class or id, and its ``figure``, ``figcaption`` and ``img``
    elements, in document order, and which of them carry given class or id words; beside
    them, what the metadata and image readers look up: the page's images, ``meta`` and
    ``script`` elements, those with an ``itemprop`` and those a credit line is written in,
    each in document order, and which
    marked elements are images or captions and which hold a ``data-credit`` or
    ``data-copyright``.

    Read once for the page's readers: the lower-cased class and id of the marked elements
    are joined into one string, and a word list is one scan of it, each match giving the
    element it lies in. The table is of the whole document, as ``//`` is in XPath, whatever
    element of it is given; ``walk``, the page's walk when it was walked already (used only
    when it is of the whole document).
    """

    __slots__ = (
        "_carriers",
        "_joined",
        "credited",
        "elements",
        "images",
        "itemprops",
        "lines",
        "media",
        "metas",
        "paths",
        "scripts",
        "walk",
    )

    def __init__(self, tree: Any, walk: PageWalk | None = None) -> None:
        tree = tree if isinstance(tree, etree._ElementTree) else tree.getroottree()
        root = tree.getroot()
        if walk is None or walk.root is not root:
            walk = PageWalk(root)
        self.walk = walk
        self.elements = elements = walk.elements
        #: Indexes into ``elements`` of those with a (non-empty) data-credit or data-copyright.
        self.credited = {
            index
            for index, element in enumerate(elements)
            if element.get("data-credit") or element.get("data-copyright")
        }
        #: Indexes of the ``img``, ``figure`` and ``figcaption`` elements.
        self.media = {index for index, element in enumerate(elements) if element.tag in MEDIA_TAGS}
        self.images = walk.images
        self.metas = walk.metas
        self.scripts = walk.scripts
        self.itemprops = walk.itemprops
        #: The elements of the tags a stand-alone credit line is written in.
        self.lines = walk.lines
        #: Each distinct mark once (a page repeats a few on hundreds of elements), and the
        #: indexes of the elements that carry it: a word list scans about half the text.
        carriers: dict[str, list[int]] = {}
        for index, mark in enumerate(walk.marks):
            carriers.setdefault(mark, []).append(index)
        self._carriers = list(carriers.values())
        self._joined = Joined(list(carriers), fold=str.lower)
        #: The CSS paths made so far on this page, by element (``css_path``'s ``known``):
        #: the page's pieces of evidence share most of their ancestors.
        self.paths: dict[Any, str] = {}

    def having(self, words: tuple[str, ...]) -> set[int]:
        """Indexes into ``elements`` of those whose class or id holds one of ``words``: what
        ``has_word`` says of each, from one ``str.find`` scan per word."""
        found: set[int] = set()
        carriers = self._carriers
        if not carriers:
            return found  # no marked element: even an empty word is held by none
        for word in words:
            for distinct in self._joined.holding(word):
                found.update(carriers[distinct])
        return found
