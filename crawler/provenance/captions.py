"""Image credits wherever a page's template puts them: captions, ``figcaption`` parts,
credit spans, and the image's own attributes (``alt``, ``title``, ``data-credit``).

Why from the tree, beside the profile's caption selector: a profile names one place, and
real pages split a caption into parts (the text, then a ``<span class="credit">``), or keep
the credit only in an attribute. Captions of teasers, related links, navigation and footers
are the page's chrome, not this article's images, and are left out.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from crawler.extract import clean, css_path
from crawler.items import Evidence

#: Class or id words marking a caption or an image credit.
_CREDIT_CLASS = re.compile(
    r"caption|credit|_cred|copyright|bildquelle|bildrechte|quelle|source|photographer|foto"
    r"|photo-?info|image-?info|image--author|img-?info|media-?info|legend",
    re.I,
)
#: Containers that are the page's chrome, not the article: their images are teasers'.
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "a", "button", "noscript"})
#: Class or id words (at the start of a class name) of teaser boxes and page furniture;
#: ``ps-sidebar`` or ``widget-area`` wrap article images on real pages, so only names that
#: begin with the word count.
_CHROME_CLASS = re.compile(
    r"(?:^|\s)(?:related|teaser|recommend|sidebar|promo|newsletter|more-?stories|also-?read"
    r"|read-?more|trending|most-?read|popular|footer|nav|menu|outbrain|taboola|ad-)",
    re.I,
)
#: A link that opens the article's own image (a lightbox, the image file) is no teaser.
_IMAGE_LINK = re.compile(r"light-?b|zoom|gallery|fancybox|\.(?:jpe?g|png|webp|gif)(?:\?|$)", re.I)
_IMAGE_ATTRS = ("data-credit", "data-copyright", "data-caption", "title", "alt")
_CANDIDATES = etree.XPath(
    "//figcaption | //figure | //img | //*[@data-credit] | //*[@data-copyright]"
    " | //*[contains(translate(@class, 'CAPTIONREDIT', 'captionredit'), 'caption')]"
    " | //*[contains(translate(@class, 'CREDIT', 'credit'), 'credit')]"
    " | //*[contains(translate(@class, 'COPYRIGHT', 'copyright'), 'copyright')]"
    " | //*[contains(@class, 'quelle') or contains(@class, 'Quelle')]"
    " | //*[contains(@class, 'source') or contains(@class, 'photographer')]"
    " | //*[contains(@class, '_cred') or contains(@class, 'image--author')]"
)
_TEXT = etree.XPath("string()")
_MAX_CHARS = 400


def in_chrome(element: Any) -> bool:
    """Whether ``element`` sits in navigation, a footer, an aside, a link or a teaser box."""
    for node in element.iterancestors():
        if not isinstance(node.tag, str):
            continue
        if node.tag == "a" and _IMAGE_LINK.search(f"{node.get('class')} {node.get('href')}"):
            continue
        if node.tag in _CHROME_TAGS:
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if marks.strip() and _CHROME_CLASS.search(marks):
            return True
    return False


def read_image_credits(tree: Any) -> list[Evidence]:
    """Every caption and image credit of the article's own images, once each."""
    found: list[Evidence] = []
    seen: set[str] = set()

    def add(text: str, where: str) -> None:
        text = clean(text)
        if text and len(text) <= _MAX_CHARS and text not in seen:
            seen.add(text)
            found.append(Evidence(kind="caption", text=text, where=where))

    for element in _CANDIDATES(tree):
        if not isinstance(element.tag, str) or in_chrome(element):
            continue
        if element.tag == "img":
            for attr in _IMAGE_ATTRS:
                if element.get(attr):
                    add(element.get(attr), f"{css_path(element)}@{attr}")
            continue
        for attr in ("data-credit", "data-copyright"):
            if element.get(attr):
                add(element.get(attr), f"{css_path(element)}@{attr}")
        if element.tag == "figure":
            # Its images and caption are candidates of their own; the whole figure's text
            # is read too, for a credit in a plain paragraph beside the image.
            add(_TEXT(element), css_path(element))
            continue
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element.tag == "figcaption" or _CREDIT_CLASS.search(marks):
            add(_TEXT(element), css_path(element))
            # A caption's parts: the credit is often a span of its own after the text.
            for child in element:
                if isinstance(child.tag, str):
                    add(_TEXT(child), css_path(child))
    return found
