"""One walk of a page for every provenance reader that looks at its markup.

Why one walk: each reader asked libxml2 for its own elements (those with a class or id, the
images, the meta tags, the JSON-LD scripts, the microdata), and an XPath with a predicate
tests every element of the document in turn: 0.2 to 0.7 ms a walk on a real publisher page
of 750 elements, five such walks a page. One walk in Python over the page's elements (lxml
filters out comments in C) files them all at once, and the readers ask this table instead.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from crawler.joined import Joined
from crawler.provenance import markup

#: Marked without a class or id: the images and their captions.
_MEDIA_TAGS = frozenset({"img", "figure", "figcaption"})
#: The elements a stand-alone credit line is written in (crawler.provenance.boxes).
_LINE_TAGS = markup.tags("credit_lines")


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
    element of it is given.
    """

    __slots__ = (
        "_joined",
        "credited",
        "elements",
        "images",
        "itemprops",
        "lines",
        "media",
        "metas",
        "scripts",
    )

    def __init__(self, tree: Any) -> None:
        tree = tree if isinstance(tree, etree._ElementTree) else tree.getroottree()
        root = tree.getroot()
        elements: list[Any] = []
        marks: list[str] = []
        #: Indexes into ``elements`` of those with a (non-empty) data-credit or data-copyright.
        self.credited: set[int] = set()
        #: Indexes of the ``img``, ``figure`` and ``figcaption`` elements.
        self.media: set[int] = set()
        self.images: list[Any] = []
        self.metas: list[Any] = []
        self.scripts: list[Any] = []
        self.itemprops: list[Any] = []
        #: The elements of the tags a stand-alone credit line is written in.
        self.lines: list[Any] = []
        for element in root.iter(etree.Element):
            get, tag = element.get, element.tag
            name, ident = get("class"), get("id")
            if name is not None or ident is not None or tag in _MEDIA_TAGS:
                if get("data-credit") or get("data-copyright"):
                    self.credited.add(len(elements))
                elements.append(element)
                marks.append(f"{name or ''} {ident or ''}")
                if tag in _MEDIA_TAGS:
                    self.media.add(len(elements) - 1)
                    if tag == "img":
                        self.images.append(element)
            if get("itemprop") is not None:
                self.itemprops.append(element)
            if tag in _LINE_TAGS:
                self.lines.append(element)
            elif tag == "meta":
                self.metas.append(element)
            elif tag == "script":
                self.scripts.append(element)
        self.elements = elements
        self._joined = Joined(marks, fold=str.lower)

    def having(self, words: tuple[str, ...]) -> set[int]:
        """Indexes into ``elements`` of those whose class or id holds one of ``words``: what
        ``has_word`` says of each, from one ``str.find`` scan per word."""
        found: set[int] = set()
        for word in words:
            found.update(self._joined.holding(word))
        return found
