"""Simple CSS selectors answered from one walk of a page instead of one walk each.

Every XPath evaluation walks the whole document and tests each element in libxml2 (about
0.2 ms a walk on a real publisher page of 750 elements, 0.5 ms for a class test): a
profile's fields, article markers, captions and drop list are a score of such walks, most
of the generic spider's own time on a page. Nearly all of them are *simple* selectors, one
element with a tag, classes, an id and attribute tests (``meta[property='og:title']``,
``.byline``, ``[class*='caption']``, ``figure, nav, aside``), optionally with ``::attr(x)`` or
``::text``. For those, the page's one walk (crawler.pagewalk) collects the elements that have
a class (with a cheap substring test first, class tests become a filter over them) and
files every element by tag; each selector is then a filter over a few candidates, with
exactly the semantics of the XPath ``cssselect``'s HTML translator makes of it
(``tests/test_page_query.py`` compares both on every profile selector and real page).
Anything else (descendant combinators, pseudo-classes) returns None and stays XPath.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import cssselect
from cssselect.parser import Attrib, Class, Element, FunctionalPseudoElement, Hash
from lxml import etree
from lxml.etree import _Element

from crawler.joined import Joined
from crawler.pagewalk import PageWalk

#: XPath's whitespace, which ``normalize-space`` collapses (Python's ``split()`` splits more).
_XML_SPACE = re.compile(r"[ \t\r\n]+")
#: What ``cssselect`` refuses inside a ``~=`` value (the match is then always false).
_CSS_SPACE = re.compile(r"[ \t\r\n\f]")
_TEXT = etree.XPath("text()", smart_strings=False)

Test = tuple[str, str, str | None]  # (attribute, operator, value)


@dataclass(frozen=True, slots=True)
class Compound:
    """One simple selector: ``tag.class#id[attr op value]``, then ``::attr(x)`` or ``::text``."""

    tag: str | None
    classes: tuple[str, ...]
    tests: tuple[Test, ...]
    pseudo: tuple[str, str] | None = None

    @property
    def on_class(self) -> bool:
        """Whether the selector tests the class attribute (a class word or ``[class...]``)."""
        return bool(self.classes) or any(name == "class" for name, _, _ in self.tests)

    @property
    def class_needle(self) -> str:
        """A string every matching class attribute contains: a quick test before the exact
        ones (every class operator but "exists" needs its value in the attribute)."""
        if self.classes:
            return self.classes[0]
        for name, operator, want in self.tests:
            if name == "class" and operator != "exists" and want:
                return want
        return ""


@cache
def simple_selector(css: str) -> tuple[Compound, ...] | None:
    """The branches of ``css`` if every one is a simple selector, else None.

    A list whose branches take ``::attr`` or ``::text`` is left to XPath: its matches are
    attribute and text nodes in document order, which elements alone do not give."""
    try:
        parsed = cssselect.parse(css)
    except cssselect.SelectorError:
        return None
    branches = []
    for selector in parsed:
        pseudo = _pseudo(selector.pseudo_element)
        compound = _compound(selector.parsed_tree, pseudo)
        if compound is None or pseudo == ("?", ""):
            return None
        branches.append(compound)
    if len(branches) > 1 and any(branch.pseudo for branch in branches):
        return None
    return tuple(branches)


def _pseudo(pseudo: Any) -> tuple[str, str] | None:
    if pseudo is None:
        return None
    if pseudo == "text":
        return ("text", "")
    if (
        isinstance(pseudo, FunctionalPseudoElement)
        and pseudo.name == "attr"
        and len(pseudo.arguments) == 1
    ):
        return ("attr", str(pseudo.arguments[0].value))
    return ("?", "")


def _compound(node: Any, pseudo: tuple[str, str] | None) -> Compound | None:
    classes: list[str] = []
    tests: list[Test] = []
    while not isinstance(node, Element):
        if isinstance(node, Class):
            classes.append(node.class_name)
        elif isinstance(node, Hash):
            tests.append(("id", "=", node.id))
        elif isinstance(node, Attrib) and not node.namespace and node.operator in _OPERATORS:
            value = None if node.value is None else str(node.value.value)
            # The HTML translator lower-cases attribute names (lxml's parser does too).
            tests.append((node.attrib.lower(), node.operator, value))
        else:
            return None  # a combinator, a pseudo-class, a namespace
        node = node.selector
    if node.namespace:
        return None
    tag = None if node.element in (None, "*") else node.element.lower()
    return Compound(tag, tuple(reversed(classes)), tuple(reversed(tests)), pseudo)


def _includes(value: str, want: str | None) -> bool:
    """``~=`` as cssselect translates it: ``want`` is one of the space-separated words."""
    return bool(want) and not _CSS_SPACE.search(want or "") and want in _XML_SPACE.split(value)


def _ends(value: str, want: str | None) -> bool:
    return bool(want) and value.endswith(want or "")


_OPERATORS = {
    "exists": lambda value, want: True,
    "=": lambda value, want: value == want,
    "~=": _includes,
    "|=": lambda value, want: value == want or value.startswith(f"{want}-"),
    "^=": lambda value, want: bool(want) and value.startswith(want),
    "$=": _ends,
    "*=": lambda value, want: bool(want) and want in value,
}


def _class_passes(value: str, compound: Compound) -> bool:
    """The selector's class words and ``[class...]`` tests, on the class attribute's value."""
    if compound.classes:
        words = _XML_SPACE.split(value)
        if any(name not in words for name in compound.classes):
            return False
    return all(
        _OPERATORS[operator](value, want)
        for name, operator, want in compound.tests
        if name == "class"
    )


def _passes(element: _Element, compound: Compound) -> bool:
    """Every test but the class ones (see ``_class_passes``)."""
    if compound.tag is not None and element.tag != compound.tag:
        return False
    for name, operator, want in compound.tests:
        if name == "class":
            continue
        value = element.get(name)
        if value is None or not _OPERATORS[operator](value, want):
            return False
    return True


@cache
def _having(name: str) -> etree.XPath | None:
    """The elements that have the attribute ``name`` (``descendant-or-self::*[@name]``),
    compiled once; None for a name XPath cannot spell without a namespace (``xml:lang``),
    for which every element is a candidate. Written as the attributes' parents: libxml2
    then tests no predicate on every element of the page."""
    if not re.fullmatch(r"[A-Za-z_][\w.-]*", name):
        return None
    return etree.XPath(f"descendant-or-self::*/@{name}/..")


class PageIndex:
    """A (sub)tree's elements that have a class, and its elements by tag, from the page's
    one walk (``walk``, crawler.pagewalk, which the provenance readers read again): a walk
    of the tree in C per tag asked for cost more than filing every element by tag in it.

    Built once per page; the tree must not change afterwards (the spider and the extract
    pipeline read it, trafilatura works on its own copy)."""

    __slots__ = (
        "_by_value",
        "_classed",
        "_classes",
        "_having",
        "_joined",
        "root",
        "walk",
    )

    def __init__(self, root: _Element) -> None:
        self.root = root
        self.walk = PageWalk(root)
        self._classed: list[_Element] = self.walk.classed
        # Each class string once (the walk keeps them so): pages repeat a few classes on
        # thousands of elements, and a string per element was most of the index's memory.
        self._classes = self.walk.classes
        #: The class values searched as one: a class needle is found by ``str.find`` over
        #: them joined, not tested per element.
        self._joined = Joined(self._classes)
        self._having: dict[str, list[_Element]] = {}
        self._by_value: dict[tuple[str, str], dict[str, list[_Element]]] = {}

    @property
    def _elements(self) -> list[_Element]:
        return [element for element in self.root.iter() if type(element.tag) is str]

    def select(self, branches: tuple[Compound, ...]) -> list[Any]:
        """The elements (or attribute values, or text) the branches match, in document order,
        as the selector's XPath returns them."""
        if len(branches) == 1:
            compound = branches[0]
            matches = self._matches(compound)
            if compound.pseudo is None:
                return matches
            kind, name = compound.pseudo
            if kind == "text":
                return [text for element in matches for text in _TEXT(element)]
            return [value for element in matches if (value := element.get(name)) is not None]
        found: dict[_Element, None] = {}
        for compound in branches:
            found.update(dict.fromkeys(self._matches(compound)))
        if len(found) <= _FEW_MATCHES:
            return sorted(found, key=_document_order)
        # Many matches (20,000 captions in one container): a child's index is a walk of its
        # preceding siblings, so number the document once instead.
        order = {element: number for number, element in enumerate(self.root.iter())}
        return sorted(found, key=order.__getitem__)

    def _matches(self, compound: Compound) -> list[_Element]:
        """The elements one simple selector matches, from the few that can: by a class
        word, by tag, or by an attribute."""
        if compound.on_class:
            return [
                element
                for element, value in self._containing(compound.class_needle)
                if _class_passes(value, compound) and _passes(element, compound)
            ]
        if compound.tag is not None:
            equal = next((test for test in compound.tests if test[1] == "="), None)
            if equal is not None:
                candidates = self._valued(compound.tag, equal[0]).get(equal[2] or "", [])
            else:
                candidates = self._tagged(compound.tag)
        elif compound.tests:
            candidates = self._with(compound.tests[0][0])
        else:
            candidates = self._elements
        return [element for element in candidates if _passes(element, compound)]

    def _tagged(self, tag: str) -> list[_Element]:
        """The elements of a tag, as the page's walk filed them."""
        return self.walk.tagged.get(tag, [])

    def _valued(self, tag: str, name: str) -> dict[str, list[_Element]]:
        """The elements of a tag by their value of attribute ``name``, once per page: a page's
        ``meta`` elements (dozens) are asked for by ``property`` or ``name`` a dozen times."""
        found = self._by_value.get((tag, name))
        if found is None:
            found = self._by_value[tag, name] = {}
            for element in self._tagged(tag):
                value = element.get(name)
                if value is not None:
                    found.setdefault(value, []).append(element)
        return found

    def _containing(self, needle: str) -> list[tuple[_Element, str]]:
        """The (element, class value) pairs whose value holds ``needle``, in document order."""
        if not needle:
            return list(zip(self._classed, self._classes, strict=True))
        classed, classes = self._classed, self._classes
        return [(classed[index], classes[index]) for index in self._joined.holding(needle)]

    def _with(self, name: str) -> list[_Element]:
        """Elements that have the attribute ``name``: as the page's walk filed them, else one
        walk in libxml2, once per page."""
        found = self._having.get(name)
        if found is None:
            filed = self.walk.having(name)
            if filed is not None:
                return filed
            xpath = _having(name)
            found = list(xpath(self.root)) if xpath is not None else self._elements
            self._having[name] = found
        return found


#: Matches of a selector list sorted by their path of child indexes; more are numbered.
_FEW_MATCHES = 64


def _document_order(element: _Element) -> tuple[int, ...]:
    """Sort key of an element in document order: its child index at every level. Cheap for
    the few matches of a selector list, where numbering every element would walk them all."""
    key: list[int] = []
    parent = element.getparent()
    while parent is not None:
        key.append(parent.index(element))
        element, parent = parent, parent.getparent()
    return tuple(reversed(key))
