"""Repairs to a page's text that libxml2 needs before it can build the page's tree.

Both are rare on real pages and both used to lose the article silently: a control
character makes lxml's parse come back without the text trafilatura looks for, and libxml2
stops at 2,048 levels of nesting and drops everything after that point. ``page_tree`` applies
them; what it repaired goes into ``response.meta[REPAIRS_META]`` for
``crawler.middlewares.repairs`` to log and count.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: ``request.meta`` key: {repair name: count} for one page.
REPAIRS_META = "wiretrace_repairs"

#: C0 controls other than tab, LF and CR, and the non-characters U+FFFE and U+FFFF: not
#: allowed in an XML tree, and libxml2 handles them badly in HTML.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: The same characters one by one: a substring test for each is a third of the time of
#: the character class scanned over a whole page, which nearly never holds any.
_CONTROL_CHARS = tuple(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))
_CONTROL_CHARS += ("\ufffe", "\uffff")
#: Every byte mapped to 0 if it is one of those C0 controls, to 2 if it is 0xEF (which
#: starts U+F000 to U+FFFF in UTF-8, the non-characters among them), else to 1. In UTF-8 a
#: byte below 0x20 only ever stands for that character (invalid bytes decode to U+FFFD,
#: never taking the next byte with them).
_BYTE_FLAGS = bytes(
    0 if chr(byte) in _CONTROL_CHARS else 2 if byte == 0xEF else 1 for byte in range(256)
)

#: Deeper than this, tags are dropped (their text is kept): well under libxml2's 2,048.
MAX_DEPTH = 1000

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def strip_control_chars(text: str) -> tuple[str, int]:
    """``text`` without the characters libxml2 refuses, and how many were removed."""
    if not any(char in text for char in _CONTROL_CHARS):
        return text, 0
    cleaned, count = _CONTROL.subn("", text)
    return cleaned, count


def utf8_has_control_chars(body: bytes, text: str) -> bool:
    """Whether ``text``, decoded from ``body`` as UTF-8, holds a character that
    ``strip_control_chars`` removes.

    One table lookup per byte in C and a byte search, then a search of the text for the two
    non-characters only if a byte could start one: the thirty character searches of the
    text cost about twice as much on a real page."""
    flags = body.translate(_BYTE_FLAGS)
    if b"\0" in flags:
        return True
    return b"\2" in flags and ("\ufffe" in text or "\uffff" in text)


class _Flattener(HTMLParser):
    """Re-emits a page with every tag below ``MAX_DEPTH`` dropped; text, entities and the
    tags above that depth are kept as written. Depth is counted naively (start tags minus end
    tags): close enough for a fallback that only runs once libxml2 has given up."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        void = tag in _VOID
        if not void:
            self.depth += 1
        if self.depth <= MAX_DEPTH or void:
            self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.depth <= MAX_DEPTH:
            self.out.append(f"</{tag}>")
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")


def flatten_deep_tags(text: str) -> str:
    """The page with the tags nested deeper than ``MAX_DEPTH`` removed, text kept."""
    flattener = _Flattener()
    flattener.feed(text)
    flattener.close()
    return "".join(flattener.out)
