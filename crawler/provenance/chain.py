"""From evidence to the contract's provenance: chain, basis, cited, media.

Ranking, strongest first: a credit line states the copy's path outright; a dateline names
the agency whose copy it is; a byline's source list says whose copy a staff writer reworked.
A source named only inside the text is cited, never the origin of the copy. The publisher
is always the last hop, and a chain that already ends with it does not repeat it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crawler.provenance.readers import Finding

Hop = tuple[str, ...]
#: Which evidence a chain may rest on, strongest first.
RANKING = ("credit_line", "dateline", "byline")


@dataclass
class Located:
    """A reader's finding and where on the page (CSS path or ``text:<offset>``) it was."""

    finding: Finding
    where: str


@dataclass
class ProvenanceResult:
    chain: list[list[str]]
    basis: str
    cited: list[str] = field(default_factory=list)
    media: list[dict[str, Any]] = field(default_factory=list)


def with_publisher(hops: Sequence[Hop], publisher: str) -> list[list[str]]:
    """The stated hops, then the publisher unless the credit already ends with it."""
    chain = [list(h) for h in hops if h]
    if not chain or chain[-1] != [publisher]:
        chain.append([publisher])
    return chain


def _points_elsewhere(hops: Sequence[Hop], publisher: str) -> bool:
    return any(agency != publisher for hop in hops for agency in hop)


def copy_chain(found: Iterable[Located], publisher: str) -> tuple[list[list[str]], str]:
    """The chain of the copy and its basis, from the strongest evidence that names a source."""
    by_kind: dict[str, Located] = {}
    for located in found:
        kind = located.finding.kind
        if (
            kind in RANKING
            and kind not in by_kind
            and _points_elsewhere(located.finding.hops, publisher)
        ):
            by_kind[kind] = located
    for kind in RANKING:
        if kind in by_kind:
            return with_publisher(by_kind[kind].finding.hops, publisher), kind
    return [[publisher]], "own"


def media_chains(found: Iterable[Located], publisher: str) -> list[dict[str, Any]]:
    """One entry per image credit that names a source: the image's own chain."""
    media = []
    for located in found:
        finding = located.finding
        if finding.kind == "photo_credit" and finding.hops:
            media.append({"credit": finding.text, "chain": with_publisher(finding.hops, publisher)})
    return media


def cited_sources(found: Iterable[Located], chain: list[list[str]], publisher: str) -> list[str]:
    """Sources named inside the text, except those already in the copy chain."""
    in_chain = {agency for hop in chain for agency in hop} | {publisher}
    cited: list[str] = []
    for located in found:
        if located.finding.kind != "in_text":
            continue
        for agency in located.finding.agencies:
            if agency not in in_chain and agency not in cited and not agency.startswith("unknown:"):
                cited.append(agency)
    return cited


def build_provenance(found: Sequence[Located], publisher: str) -> ProvenanceResult:
    chain, basis = copy_chain(found, publisher)
    return ProvenanceResult(
        chain=chain,
        basis=basis,
        cited=cited_sources(found, chain, publisher),
        media=media_chains(found, publisher),
    )
