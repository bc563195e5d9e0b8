"""One walk of a page in Python that files its elements for everything that reads markup.

Why one walk: the page index (crawler.pageindex) asks for the elements with a class and
their values, the provenance readers (crawler.provenance.marks) for those with a class or
id, the images and captions, the ``meta``, ``script`` and ``itemprop`` elements and those a
credit line is written in. An XPath with a predicate is a walk of the whole document in
libxml2 that tests every element (0.5 ms or more on a real publisher page of 750
elements), and the index alone took two; one walk in Python files everything at once.
The page index makes it when it is built, and it goes with the page to the provenance
readers, so a page is walked once between the spider and the store.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from crawler.jsonld import parse_scripts
from crawler.provenance import markup

#: Marked without a class or id: the images and their captions.
MEDIA_TAGS = frozenset({"img", "figure", "figcaption"})
#: The elements a stand-alone credit line is written in (crawler.provenance.boxes).
LINE_TAGS = markup.tags("credit_lines")


class PageWalk:
    """The elements of ``root`` and its descendants, filed in document order.

    - ``classed``: those with a class attribute, and ``classes`` their values;
    - ``elements``: those with a class or id, and the ``figure``, ``figcaption`` and ``img``
      elements; ``marks`` their class and id as ``"<class> <id>"`` (either may be empty);
    - ``images``, ``metas``, ``scripts``: the ``img``, ``meta`` and ``script`` elements;
    - ``itemprops``: those with an ``itemprop``; ``rels``: those with a ``rel`` (the page
      index's ``[rel=author]``: a walk of the tree in libxml2 for them cost more);
    - ``lines``: those of the tags a credit line is written in;
    - ``tagged``: every element, by tag.

    Equal strings are kept once: a page repeats a few classes on thousands of elements.
    What only the provenance readers ask of these elements is left to them
    (crawler.provenance.marks): the walk is held while trafilatura copies the page, the
    page's peak of memory. The tree must not change afterwards (nothing between the spider
    and the store does).
    """

    __slots__ = (
        "_jsonld",
        "classed",
        "classes",
        "elements",
        "images",
        "itemprops",
        "lines",
        "marks",
        "metas",
        "rels",
        "root",
        "scripts",
        "tagged",
    )

    def __init__(self, root: Any) -> None:
        self.root = root
        self._jsonld: list[Any] | None = None
        self.classed: list[Any] = []
        self.classes: list[str] = []
        self.elements: list[Any] = []
        self.marks: list[str] = []
        self.itemprops: list[Any] = []
        self.rels: list[Any] = []
        self.lines: list[Any] = []
        #: Every element by tag, in document order: what ``root.iter(tag)`` gives, without a
        #: walk of the tree per tag asked for (crawler.pageindex).
        self.tagged: dict[str, list[Any]] = {}
        classed, classes, elements, marks = self.classed, self.classes, self.elements, self.marks
        itemprops, rels, lines, tagged = self.itemprops, self.rels, self.lines, self.tagged
        once: dict[str, str] = {}
        for element in root.iter(etree.Element):  # lxml leaves comments out in C
            tag = element.tag
            same = tagged.get(tag)
            if same is None:
                tagged[tag] = [element]
            else:
                same.append(element)
            get = element.get
            name, ident = get("class"), get("id")
            if name is not None:
                classed.append(element)
                classes.append(once.setdefault(name, name))
            if name is not None or ident is not None or tag in MEDIA_TAGS:
                elements.append(element)
                mark = f"{name or ''} {ident or ''}"
                marks.append(once.setdefault(mark, mark))
            if get("itemprop") is not None:
                itemprops.append(element)
            if get("rel") is not None:
                rels.append(element)
            if tag in LINE_TAGS:
                lines.append(element)
        self.images: list[Any] = tagged.get("img", [])
        self.metas: list[Any] = tagged.get("meta", [])
        self.scripts: list[Any] = tagged.get("script", [])

    def having(self, name: str) -> list[Any] | None:
        """The elements with the attribute ``name``, if the walk filed them, else None."""
        if name == "itemprop":
            return self.itemprops
        return self.rels if name == "rel" else None

    def jsonld(self) -> list[Any]:
        """The documents of the JSON-LD scripts (crawler.jsonld), parsed on the first call and
        kept for the next reader."""
        if self._jsonld is None:
            self._jsonld = parse_scripts(self.scripts)
        return self._jsonld
