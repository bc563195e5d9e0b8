"""Image credits in unmarked elements beside an article image.

Why beside the caption readers (crawler.provenance.captions): many templates mark neither
caption nor credit. Their class names are generated (``sc-fHjqPf``) or say nothing
(``secondaryText``), and the credit is simply the short element that follows the image in
its wrapper: ``<picture>…</picture><div>Chelsea fans …</div><div>REUTERS</div>``,
``<picture>…</picture><div><span>Fotó: </span><span>Jane Doe</span>/<span>MTI</span></div>``.

So for each image of the article (not in the page's chrome, not a logo or an avatar), the
few short elements that follow it, or follow its wrapper up to three levels up (never past
a ``figure``, and only up to the first level with any text beside it), are read as photo
credits, and kept only where the photo-credit reader finds an agency in them: a caption
sentence, a date, a share button or an outlet's signature gives nothing. Kept as
``caption`` evidence, so they are read and deduplicated like every other caption.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from crawler.extract import clean, css_path
from crawler.items import Evidence
from crawler.provenance import markup
from crawler.provenance.captions import Chrome, has_word
from crawler.provenance.marks import Marks
from crawler.provenance.readers.photo_credits import read_photo_credit
from crawler.registry import Registry, load_registry

_TEXT = etree.XPath("string()")
#: An image that is no article picture: the site's logo, an author's portrait, an icon.
_NOT_PICTURE = markup.words("not_picture")
_IMAGE_WRAPPERS = ("source", "picture")
#: Who an unmarked credit must name: a line naming only an outlet (``Paris / La Gazette``)
#: is a dateline or a signature, not an image credit.
_CREDITING = frozenset({"news_agency", "photo_agency"})
_LEVELS = 3
_SIBLINGS = 3
_MAX_CHARS = 160


def _is_picture(img: Any) -> bool:
    marks = f"{img.get('class') or ''} {img.get('alt') or ''} {img.get('src') or ''}".lower()
    return not has_word(marks, _NOT_PICTURE)


def _following(node: Any) -> list[Any]:
    """The next few element siblings of ``node`` that hold short text and no image (no
    ``img`` among their descendants: lxml's own iterator answers that at a fraction of an
    XPath call's cost)."""
    out: list[Any] = []
    for sibling in node.itersiblings():
        if len(out) >= _SIBLINGS:
            break
        if not isinstance(sibling.tag, str) or sibling.tag in ("script", "style"):
            continue
        out.append(sibling)
    return [s for s in out if next(s.iterdescendants("img"), None) is None]


def read_image_neighbours(
    tree: Any,
    chrome: Chrome | None = None,
    registry: Registry | None = None,
    marks: Marks | None = None,
) -> list[Evidence]:
    """Agency credits in the short unmarked elements that follow the article's images;
    ``marks``, the page's elements filed by one walk, when another reader has walked it."""
    marks = marks or Marks(tree)
    chrome = chrome or Chrome()
    registry = registry or load_registry()
    found: list[Evidence] = []
    seen: set[str] = set()
    for img in marks.images:
        if not _is_picture(img) or chrome(img):
            continue
        node = img
        while node.getparent() is not None and node.getparent().tag in _IMAGE_WRAPPERS:
            node = node.getparent()  # lxml nests an unclosed <source> around what follows it
        for _ in range(_LEVELS):
            texts = [(s, clean(_TEXT(s))) for s in _following(node)]
            texts = [(s, t) for s, t in texts if t]
            for sibling, text in texts:
                if len(text) > _MAX_CHARS:
                    continue
                if text in seen:
                    continue  # read once: a text is a credit everywhere or nowhere
                seen.add(text)
                read = read_photo_credit(text, registry)
                if read is not None and any(
                    a in registry and registry.get(a).kind in _CREDITING for a in read.agencies
                ):
                    where = css_path(sibling, marks.paths)
                    found.append(Evidence(kind="caption", text=text, where=where))
            if texts:
                break  # the image's own wrapper had text beside it: that is its caption
            parent = node.getparent()
            if node.tag == "figure" or parent is None or parent.tag in ("body", "article", "main"):
                break  # a figure holds its own caption; past it the text is the article's
            node = parent
    return found
