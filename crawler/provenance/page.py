"""One article's provenance from everything the page gives: located evidence, body text, tree.

The single entry point the provenance pipeline and ``crawler.analyze`` call, so a crawl, a
script and the benchmark decide the same way. The tree adds the page's image credits
(crawler.provenance.captions) and structured metadata (crawler.provenance.metadata); the
learned model (crawler.provenance.model) then decides the questions it measured better on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crawler.items import Evidence
from crawler.pagewalk import PageWalk
from crawler.provenance.boxes import read_boxes
from crawler.provenance.captions import CaptionCap, Chrome, Marks, read_image_credits
from crawler.provenance.chain import Located, ProvenanceResult, build_provenance
from crawler.provenance.evidence import as_evidence, locate
from crawler.provenance.features import Candidate, candidates
from crawler.provenance.image_neighbours import read_image_neighbours
from crawler.provenance.metadata import read_metadata
from crawler.provenance.model import Model, apply_decider
from crawler.registry import Registry

#: Say "no model" explicitly: ``decider=RULES`` measures the hand-written rules alone.
RULES: Model | None = None


@dataclass
class PageReading:
    """What the readers and rules made of a page, before the model has its say."""

    pieces: list[Evidence]
    found: list[Located]
    rules: ProvenanceResult
    candidates: dict[str, Candidate]
    #: Distinct caption texts past the page's cap (crawler.provenance.captions), unread.
    captions_dropped: int = 0


def read_page(
    page_evidence: Iterable[Evidence],
    text: str,
    publisher: str,
    registry: Registry,
    tree: Any = None,
    walk: PageWalk | None = None,
) -> PageReading:
    """What the readers and rules make of the page; ``walk``, the tree's walk when the page
    index has made it already (``PageQuery.walk``)."""
    cap = CaptionCap()
    pieces = cap.keep(page_evidence)
    if tree is not None:
        chrome, marks = Chrome(), Marks(tree, walk)  # one walk of the page for every reader
        pieces.extend(read_metadata(tree, marks))  # a handful at most: never capped
        pieces.extend(read_image_credits(tree, chrome, cap, marks))
        pieces.extend(cap.keep(read_image_neighbours(tree, chrome, registry, marks)))
        pieces.extend(read_boxes(tree, chrome, registry, marks))
    found = locate(pieces, text, publisher, registry)
    rules = build_provenance(found, publisher)
    named = candidates(pieces, text, found, rules.chain, publisher, registry)
    return PageReading(pieces, found, rules, named, cap.dropped)


def page_provenance(
    page_evidence: Iterable[Evidence],
    text: str,
    publisher: str,
    registry: Registry,
    *,
    tree: Any = None,
    walk: PageWalk | None = None,
    decider: Model | None = None,
) -> dict[str, Any]:
    """The contract's ``provenance`` object: chain, basis, cited, media, evidence."""
    reading = read_page(page_evidence, text, publisher, registry, tree, walk)
    return decide(reading, publisher, decider)


def decide(reading: PageReading, publisher: str, decider: Model | None) -> dict[str, Any]:
    result = reading.rules
    if decider is not None:
        result = apply_decider(decider, result, reading.candidates, publisher)
    return {
        "chain": result.chain,
        "basis": result.basis,
        "cited": result.cited,
        "media": result.media,
        "evidence": as_evidence(reading.found),
        "captions_dropped": reading.captions_dropped,
    }
