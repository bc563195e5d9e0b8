"""The item contract of docs/contract.md as typed dataclasses.

Items are read and written through ``ItemAdapter`` everywhere, so feed exports, pipelines
and storage see the same field names. Nested dataclasses export as nested objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Fields written by feed exports and stored as the item's JSON, in contract order.
EXPORT_FIELDS: tuple[str, ...] = (
    "url",
    "canonical_url",
    "outlet",
    "title",
    "published",
    "authors",
    "language",
    "text",
    "fetch",
    "provenance",
    "fallback_fields",
)


@dataclass
class Fetch:
    """Where and when the bytes of the page were obtained."""

    fetched_at: str
    status: int
    sha256: str
    replayed: bool
    warc: str | None = None
    offset: int | None = None
    record_id: str | None = None
    #: URLs redirected from, in order, before ``url`` answered (empty when none).
    redirects: list[str] = field(default_factory=list)


@dataclass
class Evidence:
    """One piece of evidence for provenance, as found on the page."""

    kind: str  # credit_line, byline, dateline, photo_credit, in_text, text_reuse
    text: str
    where: str
    agency: str | None = None
    confidence: float = 1.0
    agencies: list[str] = field(default_factory=list)  # every source it names, in order
    #: Why ``agency`` is null: ``not_in_registry`` (it names a source no entry knows, listed
    #: in ``unresolved``) or ``no_source_named`` (an own dateline, a staff byline).
    reason: str | None = None
    unresolved: list[str] = field(default_factory=list)  # names no registry entry matched


@dataclass
class Provenance:
    """The copy's path (origin first, publisher last) and what it rests on."""

    chain: list[list[str]] = field(default_factory=list)
    basis: str = "own"
    cited: list[str] = field(default_factory=list)
    media: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class ArticleItem:
    """One article as the contract defines it.

    Spiders fill ``url``, ``outlet`` and ``fetch`` and hand the parsed page on beside the
    item (``crawler.pages``); the extract and provenance pipelines fill the rest from it.
    """

    url: str
    outlet: str
    fetch: Fetch
    canonical_url: str | None = None
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    text: str = ""
    provenance: Provenance = field(default_factory=Provenance)
    #: Profile selector fields (``title``, ``body``, ``credit_line``...) the outlet profile
    #: missed on this page and the generic reading filled (crawler.fallback); empty for the
    #: generic spider, whose reading is the generic one.
    fallback_fields: list[str] = field(default_factory=list)
