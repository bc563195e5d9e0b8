"""Structured metadata: what JSON-LD and meta tags say about the copy's authors and sources.

Wire copy is often credited only there (``"author": "Reuters"``, ``<meta name="dc.source"
content="dpa">``). Each field becomes evidence of the kind it is read as, with ``where``
naming the field (``jsonld:author``, ``meta:dc.source``), so the readers that read bylines,
credit lines and captions read these too. The field decides the kind:

- people and desks (``author``, ``creator``, ``article:author``, ``dc.creator``, and the
  many vendor names ending in author: ``articleAuthor``, ``parsely-author``,
  ``cXenseParse:author``, ``lrt_authors``): a byline;
- where the copy comes from (``sourceOrganization``, ``isBasedOn``, ``provider``,
  ``dc.source``, ``dcterms.source``, ``syndication-source``, ``original-source``): a credit
  line;
- an image's ``creditText``, ``copyrightHolder``, ``author`` or ``creator``: a caption;
- microdata (``itemprop="author"``, ``itemprop="sourceOrganization"``) is read like the
  JSON-LD fields of the same names, each ``itemprop="name"`` inside as one name; inside an
  image's item or a ``figure`` it is the image's credit, inside a comment or review someone
  else's name (``where``: ``meta:itemprop:author``, metadata like the tags);
- the publisher (``publisher``, ``og:site_name``, the article's ``copyrightHolder``): kept as
  ``metadata`` evidence, a mention the decisions may weigh but no rule reads as a source, since
  a site names itself there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from crawler.extract import clean
from crawler.items import Evidence
from crawler.provenance.marks import Marks

_BYLINE_KEYS = ("author", "creator")
_SOURCE_KEYS = ("sourceOrganization", "isBasedOn", "provider")
_PUBLISHER_KEYS = ("publisher", "copyrightHolder")
_IMAGE_KEYS = ("creditText", "copyrightHolder", "author", "creator", "copyrightNotice")
_IMAGE_TYPES = frozenset({"ImageObject", "VideoObject", "MediaObject"})
_META = {
    "author": "byline",
    "article:author": "byline",
    "og:article:author": "byline",
    "dc.creator": "byline",
    "dcterms.creator": "byline",
    "dc.source": "credit_line",
    "dcterms.source": "credit_line",
    "syndication-source": "credit_line",
    "original-source": "credit_line",
    "og:site_name": "metadata",
    "dc.publisher": "metadata",
}
#: Meta names ending so are an author field, whatever the vendor's prefix.
_AUTHOR_ENDINGS = ("author", "authors", "autor", "autores", "auteur", "auteurs", "autori")
#: The ``itemprop`` values read as the JSON-LD fields of the same names.
_MICRO_PROPS = frozenset({"author", "creator", "sourceOrganization", "provider", "isBasedOn"})
_MICRO_NAMES = etree.XPath(".//*[@itemprop='name']")
_MICRO_MAX = 160
#: Items whose names are not the article's: a commenter, a reviewer.
_NOT_ARTICLE_ITEMS = ("Comment", "Review", "Person/Comment")


def _names(value: Any) -> Iterator[str]:
    """Names in a JSON-LD value: a string, a Person or Organization, a list of them."""
    for entry in value if isinstance(value, list) else [value]:
        name: Any
        if isinstance(entry, str):
            name = entry
        elif isinstance(entry, dict):
            name = entry.get("name") or entry.get("legalName") or entry.get("alternateName")
            if name is None and isinstance(entry.get("url"), str):
                name = entry["url"]
        else:
            continue
        if isinstance(name, str) and clean(name) and not clean(name).startswith("http"):
            yield clean(name)


def _is_image(node: dict[str, Any]) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(k in _IMAGE_TYPES for k in kinds if isinstance(k, str))


def _walk(node: Any, path: str, out: list[Evidence], *, image: bool = False) -> None:
    if isinstance(node, list):
        for child in node:
            _walk(child, path, out, image=image)
        return
    if not isinstance(node, dict):
        return
    image = image or _is_image(node)
    if image:
        for key in _IMAGE_KEYS:
            for name in _names(node.get(key)):
                out.append(Evidence(kind="caption", text=name, where=f"{path}image.{key}"))
    else:
        fields = (
            *((k, "byline") for k in _BYLINE_KEYS),
            *((k, "credit_line") for k in _SOURCE_KEYS),
            *((k, "metadata") for k in _PUBLISHER_KEYS),
        )
        for key, kind in fields:
            for name in _names(node.get(key)):
                out.append(Evidence(kind=kind, text=name, where=f"{path}{key}"))
        credit = node.get("creditText")
        for name in _names(credit):
            out.append(Evidence(kind="credit_line", text=name, where=f"{path}creditText"))
    for key in ("@graph", "mainEntity", "mainEntityOfPage", "image", "associatedMedia", "video"):
        if key in node:
            _walk(node[key], path, out, image=image or key in ("image", "associatedMedia", "video"))


def _microdata(marks: Marks) -> Iterator[Evidence]:
    for element in marks.itemprops:
        prop = element.get("itemprop")
        if prop not in _MICRO_PROPS:
            continue
        image = False
        skip = False
        for node in (element, *element.iterancestors()):
            if node.tag in ("figure", "figcaption"):
                image = True
            kind = node.get("itemtype") or ""
            if any(kind.endswith(t) for t in _NOT_ARTICLE_ITEMS):
                skip = True
                break
            if any(kind.endswith(t) for t in _IMAGE_TYPES) or node.get("itemprop") in (
                "image",
                "associatedMedia",
                "video",
            ):
                image = True
        if skip:
            continue
        named = [clean(n.xpath("string()")) for n in _MICRO_NAMES(element)]
        names = [n for n in named if n] or [clean(element.xpath("string()"))]
        kind = "caption" if image else "byline" if prop in _BYLINE_KEYS else "credit_line"
        for name in names:
            if name and len(name) <= _MICRO_MAX:
                yield Evidence(kind=kind, text=name, where=f"meta:itemprop:{prop}")


def read_metadata(tree: Any, marks: Marks | None = None) -> list[Evidence]:
    """Credits the page's JSON-LD and meta tags state, once per field and text; ``marks``,
    the page's elements filed by one walk, when another reader has walked it already."""
    marks = marks or Marks(tree)
    out: list[Evidence] = []
    for document in marks.walk.jsonld():  # parsed once a page (crawler.jsonld)
        _walk(document, "jsonld:", out)
    out.extend(_microdata(marks))
    for meta in marks.metas:
        if meta.get("content") is None:
            continue
        key = (meta.get("name") or meta.get("property") or "").strip().casefold()
        kind = _META.get(key) or ("byline" if key.endswith(_AUTHOR_ENDINGS) else None)
        if not kind:
            continue  # most of a page's meta tags: its content is not read
        content = clean(meta.get("content"))
        if content:
            out.append(Evidence(kind=kind, text=content, where=f"meta:{key}"))
    seen: set[tuple[str, str]] = set()
    unique = []
    for piece in out:
        if (piece.kind, piece.text) not in seen:
            seen.add((piece.kind, piece.text))
            unique.append(piece)
    return unique
