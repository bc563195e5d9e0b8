"""Article fields from one parse of a page: the outlet profile's selectors, then trafilatura.

Plain functions over an lxml tree, tested without Scrapy. The tree is the one Scrapy's
selector already built for link extraction; trafilatura works on its own copy, so reading
the raw evidence first and extracting text second never parses the page again.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urljoin

import trafilatura
from lxml import etree
from lxml.etree import _Element
from parsel import Selector
from parsel.csstranslator import HTMLTranslator
from trafilatura.settings import Extractor

from crawler import metadata
from crawler.bodytext import split_body
from crawler.items import Evidence
from crawler.memory import release_freed
from crawler.pageindex import PageIndex, simple_selector
from crawler.pagewalk import PageWalk
from crawler.profile import Profile, SelectorSpec
from crawler.provenance.chrome import Chrome, is_whole_page

#: The part of a byline that names sources, kept as evidence but not as an author.
_BYLINE_SOURCES = re.compile(r"\s*\((?:selon|d'après|d’après|avec|via|source)\b[^)]*\)", re.I)
_BYLINE_PREFIX = re.compile(r"^\s*(?:par|by|von|por)\s+", re.I)


@dataclass
class Extraction:
    """What the page says about itself; provenance is built from ``evidence`` later."""

    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    canonical_url: str | None = None
    text: str = ""
    evidence: list[Evidence] = field(default_factory=list)


def clean(text: str | None) -> str:
    """Collapse whitespace (incl. non-breaking spaces) to single spaces. (``str.split``
    finds the same whitespace as the regular expression ``\\s+``, in a fifth of the time:
    the provenance readers clean every caption and box they read.)"""
    return " ".join(text.split()) if text else ""


def parse_html(html: str | bytes) -> _Element:
    """Parse a page the way the spiders do (``page_tree``); for callers that hold raw HTML.

    Always as HTML: left to guess, parsel reads an XHTML page that opens with ``<?xml``
    as XML, with namespaced tags in which trafilatura finds no text at all."""
    text = html if isinstance(html, str) else html.decode("utf-8", "replace")
    return Selector(text=text, type="html").root


def _texts(
    page: PageQuery, spec: SelectorSpec, *, parts: bool = False
) -> list[tuple[str, _Element | None]]:
    """Matches of the first alternative that matches: (text, element or None for attributes);
    with ``parts``, the page's ``<body>`` and ``<html>`` are no match (``is_whole_page``)."""
    for found in page.select_each(spec):
        out = _match_texts([m for m in found if not is_whole_page(m)] if parts else found)
        if out:
            return out
    return []


def _match_texts(found: list[Any]) -> list[tuple[str, _Element | None]]:
    """(text, element or None for attributes) of each match that has text."""
    out: list[tuple[str, _Element | None]] = []
    for match in found:
        if isinstance(match, str):
            text, element = match, None
        else:
            text, element = _STRING(match), match
        text = clean(text)
        if text:
            out.append((text, element))
    return out


def _jsonld_names(page: PageQuery, key: str) -> list[str]:
    """Names under ``key`` (``author``) in the page's JSON-LD: a string, an object or a list."""
    names: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if key in node:
                value = node[key]
                for entry in value if isinstance(value, list) else [value]:
                    name = entry.get("name") if isinstance(entry, dict) else entry
                    if isinstance(name, str) and clean(name):
                        names.append(clean(name))
            for child_key in ("@graph", "mainEntity"):
                if child_key in node:
                    walk(node[child_key])

    for document in page.walk().jsonld():
        walk(document)
    return names


def _all_texts(
    page: PageQuery, spec: SelectorSpec, skip: Callable[[_Element], bool] | None = None
) -> list[tuple[str, _Element | None, str]]:
    """Matches of every alternative, once each: (text, element or None, the selector);
    elements ``skip`` says yes to are passed over before the once-each test."""
    out: list[tuple[str, _Element | None, str]] = []
    seen: set[str] = set()
    plain = tuple(css for css in spec if not css.startswith("jsonld:"))
    matches = dict(zip(plain, page.select_each(plain), strict=True))
    for css in spec:
        found: list[tuple[str, _Element | None]]
        if css.startswith("jsonld:"):
            found = [(name, None) for name in _jsonld_names(page, css.removeprefix("jsonld:"))]
        else:
            found = _match_texts(matches[css])
        for text, element in found:
            if skip is not None and element is not None and skip(element):
                continue
            if text not in seen:
                seen.add(text)
                out.append((text, element, css))
    return out


def _first(page: PageQuery, spec: SelectorSpec) -> str | None:
    found = _texts(page, spec)
    return found[0][0] if found else None


def css_path(element: _Element | None, known: dict[_Element, str] | None = None) -> str:
    """A readable CSS path to an element, so evidence says where on the page it was.

    ``known`` holds the paths already made on this page, by element, and gets the new
    ones: the pieces of evidence of one page share most of their ancestors, and each part
    of a path depends on its element alone."""
    if element is None:
        return ""
    chain: list[tuple[_Element, str]] = []
    path = ""
    node: _Element | None = element
    while node is not None and isinstance(tag := node.tag, str):
        if known is not None and node in known:
            path = known[node]
            break
        ident = node.get("id")
        if ident:
            chain.append((node, f"{tag}#{ident}"))
            break
        classes = node.get("class")
        part = tag + "".join("." + c for c in classes.split()) if classes else tag
        parent = node.getparent()
        if parent is not None:
            position, shared = _type_position(parent, node)
            if shared:
                part += f":nth-of-type({position + 1})"
        chain.append((node, part))
        node = parent
    for node, part in reversed(chain):
        path = f"{path} > {part}" if path else part
        if known is not None:
            known[node] = path
    return path


#: Per parent with many children of one tag, each child's (index among its tag, count of that
#: tag), for the last few such parents: counting preceding siblings per node is quadratic in
#: a parent's children (a gallery of thousands of captions in one container). Few are kept,
#: and only big ones: the cache holds its pages' trees alive.
_POSITIONS: OrderedDict[_Element, dict[_Element, tuple[int, int]]] = OrderedDict()
_POSITIONS_KEPT = 4
_SMALL_PARENT = 32


def _type_position(parent: _Element, node: _Element) -> tuple[int, bool]:
    """``node``'s index among its parent's children of its tag, and whether it has siblings
    of its tag.

    Its siblings of its tag before it are counted (lxml filters the tag in C: only those
    become Python objects), and after it only the first is looked for: a path needs no
    count of them. Past ``_SMALL_PARENT`` siblings before it, the parent's children are
    numbered once (``_numbered``)."""
    cached = _POSITIONS.get(parent)
    if cached is not None and node in cached:
        _POSITIONS.move_to_end(parent)
        index, count = cached[node]
        return index, count > 1
    tag = node.tag
    index = 0
    for _ in node.itersiblings(tag, preceding=True):
        index += 1
        if index > _SMALL_PARENT:
            index, count = _numbered(parent)[node]
            return index, count > 1
    return index, index > 0 or next(node.itersiblings(tag), None) is not None


def _numbered(parent: _Element) -> dict[_Element, tuple[int, int]]:
    """Each child's index among its parent's children of its tag and how many there are,
    kept for the next children asked about."""
    counts: dict[Any, int] = {}
    before: dict[_Element, int] = {}
    for child in parent:
        before[child] = counts.get(child.tag, 0)
        counts[child.tag] = before[child] + 1
    positions = {child: (index, counts[child.tag]) for child, index in before.items()}
    _POSITIONS[parent] = positions
    while len(_POSITIONS) > _POSITIONS_KEPT:
        _POSITIONS.popitem(last=False)
    return positions


@cache
def css_to_xpath(css: str) -> str:
    """A profile's CSS selector as XPath, translated once per selector."""
    return HTMLTranslator().css_to_xpath(css)


@cache
def css_to_one_pass_xpath(css: str) -> str:
    """``css_to_xpath``, with a list of simple selectors (``figure, nav, .share``) as one
    walk of the document instead of one walk each.

    The translator makes ``a, b`` a union of two paths, and libxml2 walks the whole document
    for each (about 0.2 ms a walk on a real page): ``descendant-or-self::figure |
    descendant-or-self::*[@class and ...]`` becomes ``descendant-or-self::*[self::figure or
    (@class and ...)]``, the same elements in the same order. Only lists whose every branch
    is one step with a predicate on the element itself are rewritten.
    """
    xpath = css_to_xpath(css)
    branches = xpath.split(" | ")
    tests = [_step_test(branch) for branch in branches]
    if len(branches) < 2 or None in tests:
        return xpath
    return _any_of([test for test in tests if test is not None])


#: One step down the tree with at most one predicate that holds no further path.
_ONE_STEP = re.compile(
    r"descendant-or-self::(?P<name>\*|[A-Za-z][\w-]*)(?:\[(?P<predicate>[^\[\]/]*)\])?"
)


def _step_test(xpath: str) -> str | None:
    """The test a one-step path (``descendant-or-self::h1[...]``) puts on an element, or
    None for any other path (descendants, attributes, text, positions)."""
    found = _ONE_STEP.fullmatch(xpath)
    if found is None or "position()" in xpath or "last()" in xpath:
        return None
    name, predicate = found.group("name"), found.group("predicate")
    parts = ([] if name == "*" else [f"self::{name}"]) + ([f"({predicate})"] if predicate else [])
    return " and ".join(parts) or "true()"


def _any_of(tests: Iterable[str]) -> str:
    """One walk of the page for the elements that pass any of ``tests``."""
    return "descendant-or-self::*[" + " or ".join(f"({test})" for test in tests) + "]"


@cache
def compiled_css(css: str) -> etree.XPath:
    """A profile's CSS selector compiled once: lxml re-parses an XPath string on every call,
    and parsel wraps every match in a Selector, which together cost more than the page's
    own fields. Matches are elements, or plain strings for ``::text`` and ``::attr()``."""
    return etree.XPath(css_to_one_pass_xpath(css), smart_strings=False)


#: An element's whole text, compiled once (see ``compiled_css``).
_STRING = etree.XPath("string()")
_HEAD = etree.XPath("/html/head")
#: Two tag paths, not ``.//*[self::meta or self::link]``: a ``self::`` test on every element
#: costs libxml2 about three times as much.
_META_AND_LINKS = etree.XPath("count(.//meta | .//link)")
_UNKNOWN: Any = object()


@cache
def _head_only(css: str) -> bool:
    """Whether a selector can only match ``meta`` or ``link`` elements (or their attributes)."""
    return all(
        re.fullmatch(r"descendant-or-self::(?:meta|link)(?:\[[^\]]*\])*(?:/@[\w:-]+)?", branch)
        for branch in css_to_xpath(css).split(" | ")
    )


class PageQuery:
    """One page's tree, with the profile's selectors evaluated on as little of it as gives
    the same matches.

    An XPath evaluation is a scan of the whole document (about 0.2 ms on a real publisher
    page of 750 elements), and a page's fields, article markers, captions and drop list are
    a score of selectors. Simple selectors (one element, with a tag, classes, an id or
    attribute tests: nearly all of them) are answered from one walk of the page that files
    its elements by tag and class (``crawler.pageindex``). Other selectors run as XPath;
    those that can only match ``meta`` or ``link`` read the ``<head>`` alone when every
    ``meta`` and ``link`` of the page is inside it, which gives the same matches.
    """

    __slots__ = ("_found", "_head", "_index", "tree")

    def __init__(self, tree: _Element) -> None:
        self.tree = tree
        self._head: _Element | None = _UNKNOWN
        self._index: PageIndex | None = None
        #: Matches by selector: fields share selectors (the generic byline and authors both
        #: look for ``.author``), and the spider's article markers are read again here.
        self._found: dict[str, list[Any]] = {}

    @classmethod
    def of(cls, tree: _Element | PageQuery) -> PageQuery:
        return tree if isinstance(tree, PageQuery) else cls(tree)

    def select(self, css: str) -> list[Any]:
        """What ``compiled_css(css)`` finds in the page (elements or plain strings)."""
        found = self._found.get(css)
        if found is None:
            simple = simple_selector(css)
            if simple is not None:
                if self._index is None:
                    self._index = PageIndex(self.tree)
                found = self._index.select(simple)
            else:
                head = self.head() if _head_only(css) else None
                found = list(compiled_css(css)(self.tree if head is None else head))
            self._found[css] = found
        return found

    def walk(self) -> PageWalk:
        """The page's one walk (crawler.pagewalk) its index is built from, for the
        provenance readers to read again rather than walk the page a second time."""
        if self._index is None:
            self._index = PageIndex(self.tree)
        return self._index.walk

    def select_each(self, spec: SelectorSpec) -> Iterator[list[Any]]:
        """``select`` for each alternative of ``spec`` in turn, lazily."""
        for css in spec:
            yield self.select(css)

    def head(self) -> _Element | None:
        """The ``<head>``, if it holds every ``meta`` and ``link`` of the page."""
        if self._head is _UNKNOWN:
            heads = _HEAD(self.tree) if self.tree.getparent() is None else []  # whole pages only
            self._head = None
            if len(heads) == 1 and _META_AND_LINKS(heads[0]) == _META_AND_LINKS(self.tree):
                self._head = heads[0]
        return self._head


#: The attribute that marks, for the length of one trafilatura call, what the drop list matched.
DROP_MARK = "data-wiretrace-drop"
_DROP_MARKED = f"descendant-or-self::*[@{DROP_MARK}]"


@contextmanager
def marked_for_drop(page: PageQuery, drop: SelectorSpec) -> Iterator[list[str] | None]:
    """The ``prune_xpath`` for trafilatura that removes what the profile's drop list matches.

    trafilatura tests its prune expressions on every element of its copy of the page, and a
    drop list of class tests costs about 2 ms a page that way. The matches come from the
    page's one-walk index instead (``PageQuery``), are marked with an attribute that the
    copy inherits, and trafilatura removes the marked elements (one attribute test per
    element); the marks leave the page when the call returns.
    """
    marked = [m for css in drop for m in page.select(css) if not isinstance(m, str)]
    if not marked:
        yield None
        return
    for element in marked:
        element.set(DROP_MARK, "")
    try:
        yield [_DROP_MARKED]
    finally:
        for element in marked:
            element.attrib.pop(DROP_MARK, None)


def _title(page: PageQuery, profile: Profile) -> str | None:
    title = _first(page, profile.selectors.title)
    if title is None:
        return None
    for suffix in profile.selectors.title_suffixes:
        if title.endswith(suffix) and len(title) > len(suffix):
            title = title[: -len(suffix)].rstrip()
    return title


def _authors(names: Iterable[str]) -> list[str]:
    authors: list[str] = []
    for raw in names:
        name = _BYLINE_PREFIX.sub("", _BYLINE_SOURCES.sub("", raw)).strip(" .,;")
        if name and name not in authors:
            authors.append(name)
    return authors


def read_evidence(tree: _Element | PageQuery, profile: Profile) -> list[Evidence]:
    """Raw provenance evidence from the page, read before trafilatura drops its containers."""
    page = PageQuery.of(tree)
    found: list[Evidence] = []
    kinds = (
        ("credit_line", profile.selectors.credit_line),
        ("dateline", profile.selectors.dateline),
        ("lead", profile.selectors.lead),
    )
    paths: dict[_Element, str] = {}
    for kind, spec in kinds:
        for text, element in _texts(page, spec, parts=True):
            found.append(Evidence(kind=kind, text=text, where=css_path(element, paths)))
    # Bylines hide in several places at once (a byline element, author meta tags, JSON-LD),
    # and the one that names the agency is not always the first: read them all, except
    # those in the page's chrome (a sidebar's story list, a teaser, a footer): there a
    # byline is another story's.
    chrome = Chrome()
    bylines = _all_texts(page, profile.selectors.byline, lambda e: is_whole_page(e) or chrome(e))
    for text, element, css in bylines:
        where = css_path(element, paths) or css
        found.append(Evidence(kind="byline", text=text, where=where))
    for text, element in _texts(page, profile.selectors.captions, parts=True):
        # The whole caption: the provenance readers find the credit in it.
        found.append(Evidence(kind="caption", text=text, where=css_path(element, paths)))
    return found


def body_element(tree: _Element | PageQuery, profile: Profile) -> _Element | None:
    """The profile's body container, if the profile names one and the page has it."""
    page = PageQuery.of(tree)
    for css in profile.selectors.body:
        found = page.select(css)
        if found and not isinstance(found[0], str):
            return found[0]
    return None


def has_text(element: _Element) -> bool:
    """Whether any text node under ``element`` holds more than whitespace; stops at the
    first that does, where joining the whole body's text to test it cost as much again."""
    return any(not text.isspace() for text in element.itertext() if text)


@cache
def _trafilatura_options(fast: bool) -> Extractor:
    """trafilatura's options for the article text, built once: built per call, they re-read
    its configuration each time, a tenth of its time on a body container. Each call gets
    a copy with its URL (trafilatura itself copies shared options before changing them)."""
    return Extractor(
        output_format="txt",
        fast=fast,
        comments=False,
        tables=True,
        images=False,
        dedup=False,
        with_metadata=False,
    )


def main_text(tree: _Element | PageQuery, url: str | None, profile: Profile) -> str:
    """Body paragraphs, one per line, from trafilatura (which works on its own copy).

    When the profile knows the body container, trafilatura reads only that subtree: the
    profile already says where the article is, so trafilatura's job is to clean it, which
    is more precise and about half the work of searching the whole page. A container that
    holds no text means there is no article body (trafilatura would otherwise fall back to
    whatever text the page has). Without a container (the generic profile) it reads the
    whole page; the fallback extractors (readability, jusText) are skipped (``fast``).
    """
    page = PageQuery.of(tree)
    root: _Element | None = page.tree
    if profile.selectors.body:
        root = body_element(page, profile)
        if root is None or not has_text(root):
            return ""
    # Without the fallback extractors on the generic profile too: on the 181 real pages of
    # the Zyte benchmark they cost an eighth of trafilatura's time and lowered F1 by 0.002
    # (the drop list already removes the clutter they rescue the text from).
    options = copy(_trafilatura_options(True))
    options.url = options.source = url
    with marked_for_drop(page, profile.selectors.drop) as prune:
        text = trafilatura.extract(root, url=url, prune_xpath=prune, options=options)
    release_freed()  # trafilatura's copies of the page
    if not text:
        return ""
    return "\n".join(line for line in _clean_lines(text) if line)


def _clean_lines(text: str) -> list[str]:
    """``clean`` of each line of ``text`` (lines end at ``\\n`` only): ``str.split`` finds
    the same whitespace as the regular expression's ``\\s``, at a third of the cost."""
    return [" ".join(line.split()) for line in text.split("\n")]


def extract_article(
    tree: _Element | PageQuery,
    url: str,
    profile: Profile,
    *,
    declared_language: str | None = None,
    publisher: str | None = None,
) -> Extraction:
    """Every contract field the page itself can give, from one parsed tree.

    ``text`` is the body only: the headline, byline, caption and credit lines trafilatura
    kept are cut from it and added to ``evidence`` (crawler.bodytext); ``publisher`` (the
    item's outlet) lets an outlet's own signature line stay what it is.
    """
    s = profile.selectors
    page = PageQuery.of(tree)
    # trafilatura first, while the page holds little besides its tree: its copies of the
    # tree are the peak of a page's memory, and what is read after them reuses that memory.
    text = main_text(page, url, profile)
    evidence = read_evidence(page, profile)
    title = metadata.title(_title(page, profile), page)
    body = split_body(text, title=title, evidence=evidence, publisher=publisher)
    evidence.extend(body.cut)
    author_names = [t for t, _ in _texts(page, s.authors)] or [
        e.text for e in evidence if e.kind == "byline"
    ]
    canonical = _first(page, s.canonical)
    return Extraction(
        title=title,
        published=metadata.published(_first(page, s.published), profile, page, url),
        authors=_authors(author_names),
        language=metadata.language(page, profile, declared_language),
        canonical_url=urljoin(url, canonical) if canonical else None,
        text=body.text,
        evidence=evidence,
    )


def first_text(tree: _Element | PageQuery, spec: SelectorSpec) -> str | None:
    """The text of the first alternative of ``spec`` that finds any on the page."""
    return _first(PageQuery.of(tree), spec)
