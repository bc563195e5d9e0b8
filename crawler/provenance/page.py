"""One article's provenance from everything the page gives: located evidence, body text, tree.

The single entry point the provenance pipeline and ``crawler.analyze`` call, so a crawl, a
script and the benchmark decide the same way. The tree adds the page's structured metadata
(JSON-LD, meta tags: crawler.provenance.metadata); a decider (crawler.provenance.model) may
then overrule the hand-written rules where the labels say it decides better.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crawler.items import Evidence
from crawler.provenance.captions import read_image_credits
from crawler.provenance.chain import build_provenance
from crawler.provenance.evidence import as_evidence, locate
from crawler.provenance.metadata import read_metadata
from crawler.provenance.model import Decider, apply_decider
from crawler.registry import Registry


def page_provenance(
    page_evidence: Iterable[Evidence],
    text: str,
    publisher: str,
    registry: Registry,
    *,
    tree: Any = None,
    decider: Decider | None = None,
) -> dict[str, Any]:
    """The contract's ``provenance`` object: chain, basis, cited, media, evidence."""
    pieces = list(page_evidence)
    if tree is not None:
        pieces.extend(read_metadata(tree))
        pieces.extend(read_image_credits(tree))
    found = locate(pieces, text, publisher, registry)
    result = build_provenance(found, publisher)
    if decider is not None:
        result = apply_decider(decider, result, found, text, publisher, tree, registry)
    return {
        "chain": result.chain,
        "basis": result.basis,
        "cited": result.cited,
        "media": result.media,
        "evidence": as_evidence(found),
    }
