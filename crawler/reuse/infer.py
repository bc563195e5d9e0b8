"""Provenance inferred from shared text, for articles whose page names no source.

An outlet that reprints agency copy without a credit line looks, on its own page, like the
outlet's own reporting (``basis: own``). When its text is mostly another stored article's
text, and that article is known to be earlier and to come from somewhere (its own chain
names a source, or it is the agency's own copy), the reprint's chain can run through that
source, with ``basis: text_reuse`` and a confidence below what a credit line gets.

What the page says always wins: an article with a credit line is never touched, and one whose
chain rests on a dateline or byline keeps it and only gains the evidence. When the order of
publication is unclear, nothing says who copied whom: both sides get the evidence, neither a
chain. When two articles reuse the same earlier article C, each gets C's chain rather than a
chain through the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crawler.registry import load_registry
from crawler.reuse.detect import ReusePair, parse_published

#: Confidence of a chain inferred from reuse, at a share of 100%: below a credit line's 0.95,
#: since a copy may have come from the source's own source rather than from the source.
CHAIN_CONFIDENCE = 0.7
#: The same when the chain goes through an intermediate copy (B reuses A, A reuses C).
INDIRECT_CONFIDENCE = 0.6
#: Evidence without a chain: the direction is known but the source's origin is not.
EVIDENCE_CONFIDENCE = 0.5
#: Evidence when nothing says which text came first.
UNCLEAR_CONFIDENCE = 0.3
#: What an article's chain may rest on that reuse must not replace.
_STATED = ("credit_line", "dateline", "byline")


@dataclass(frozen=True)
class Inferred:
    """What reuse adds to one article's provenance.

    ``chain`` is empty when only the evidence is added (direction unclear, the source's origin
    unknown, or the article's own chain rests on a dateline or byline); ``basis`` is then the
    article's current basis, unchanged. Otherwise ``basis`` is ``text_reuse`` and ``chain``
    replaces the article's ``[[outlet]]``.
    """

    url: str  # B
    chain: list[list[str]]
    basis: str
    evidence: dict[str, Any]


@dataclass(frozen=True)
class _Source:
    """A stored article B's text is mostly made of."""

    url: str
    share: float  # of B's words
    clear: bool  # the source was published before B


@dataclass(frozen=True)
class _Origin:
    """Where a source's own copy comes from: its chain, and the article that chain is read from."""

    chain: list[list[str]]
    url: str
    stated: bool  # read from the source's own page, not inferred


def _provenance(article: Mapping[str, Any]) -> tuple[list[list[str]], str]:
    outlet = str(article.get("outlet") or "")
    provenance = article.get("provenance") or {}
    chain = [list(hop) for hop in provenance.get("chain") or [] if hop]
    return chain or [[outlet]], str(provenance.get("basis") or "own")


def agency_of(outlet: str) -> str | None:
    """The news agency whose own site ``outlet`` is (``afp``, or a domain such as ``tass.ru``)."""
    registry = load_registry()
    ident = outlet if outlet in registry else registry.owner_of(outlet)
    if ident is not None and registry.get(ident).kind == "news_agency":
        return ident
    return None


def _own_origin(url: str, article: Mapping[str, Any]) -> _Origin | None:
    """The source's origin as its page states it, if it points beyond the source itself."""
    chain, basis = _provenance(article)
    outlet = str(article.get("outlet") or "")
    if any(agency != outlet for hop in chain for agency in hop):
        # A chain a previous run inferred is no statement of the page's.
        return _Origin(chain, url, stated=basis != "text_reuse")
    agency = agency_of(outlet)
    if agency is not None:
        return _Origin([[agency]], url, stated=True)
    return None


def _sort_time(article: Mapping[str, Any]) -> tuple[int, datetime | None]:
    parsed = parse_published(article.get("published"))
    return (0, parsed[0]) if parsed else (1, None)


def _with(chain: list[list[str]], outlet: str) -> list[list[str]]:
    """``chain`` then the publisher, who is not repeated when the chain already ends with it."""
    out = [list(hop) for hop in chain]
    if not out or out[-1] != [outlet]:
        out.append([outlet])
    return out


def _sources(
    pairs: Iterable[ReusePair], articles: Mapping[str, Mapping[str, Any]], most: float
) -> dict[str, list[_Source]]:
    """For each article, the stored articles most of its text comes from."""
    found: dict[str, list[_Source]] = {}
    for pair in pairs:
        if pair.a not in articles or pair.b not in articles:
            continue
        for src, dst, share in ((pair.a, pair.b, pair.share_b), (pair.b, pair.a, pair.share_a)):
            if share < most or pair.earlier == dst:
                continue  # not mostly src's text, or published before src: not a copy of it
            found.setdefault(dst, []).append(_Source(src, share, clear=pair.earlier == src))
    return found


def _percent(share: float) -> str:
    return f"{min(100, round(share * 100))}%"


def infer_provenance(
    pairs: Iterable[ReusePair], articles: Mapping[str, Mapping[str, Any]], *, most: float = 0.5
) -> list[Inferred]:
    """What reuse adds to each article's provenance, one entry per article, sorted by URL.

    ``articles[url]`` needs ``outlet``, ``published`` and ``provenance`` (``chain``,
    ``basis``). Articles are taken in order of publication, so when B reuses A and A reuses
    C, A's origin is known by the time B is looked at.
    """
    sources = _sources(pairs, articles, most)
    inferred_origin: dict[str, _Origin] = {}
    results: list[Inferred] = []
    for url in sorted(sources, key=lambda u: (_sort_time(articles[u]), u)):
        article = articles[url]
        outlet = str(article.get("outlet") or "")
        _, basis = _provenance(article)
        if basis == "credit_line":
            continue  # the page names its source: never overridden, nothing to add

        def origin(source: _Source) -> _Origin | None:
            return _own_origin(source.url, articles[source.url]) or inferred_origin.get(source.url)

        clear = [(s, o) for s in sources[url] if s.clear and (o := origin(s)) is not None]
        if clear:
            # A source with a stated origin first (C rather than A when both reuse C), then
            # the earliest, then the one B takes most from.
            source, found = min(
                clear,
                key=lambda so: (
                    not so[1].stated,
                    _sort_time(articles[so[0].url]),
                    -so[0].share,
                    so[0].url,
                ),
            )
            indirect = found.url != source.url
            chain_out = _with(found.chain, outlet)
            agencies = [a for hop in found.chain for a in hop]
            text = f"reuses {_percent(source.share)} of {source.url}"
            if indirect:
                text += f" (which reuses {found.url})"
            evidence: dict[str, Any] = {
                "kind": "text_reuse",
                "text": text,
                "where": source.url,
                "agency": agencies[0] if agencies else None,
                "agencies": list(dict.fromkeys(agencies)),
                "source_url": source.url,
                "share": round(source.share, 3),
            }
            if indirect:
                evidence["via"] = found.url
            if basis in _STATED:
                evidence["confidence"] = round(EVIDENCE_CONFIDENCE * source.share, 3)
                results.append(Inferred(url, [], basis, evidence))
                continue
            ceiling = INDIRECT_CONFIDENCE if indirect else CHAIN_CONFIDENCE
            evidence["confidence"] = round(ceiling * source.share, 3)
            inferred_origin[url] = found
            results.append(Inferred(url, chain_out, "text_reuse", evidence))
            continue
        # Evidence only: which source, what its page says, and how sure the direction is.
        source = min(sources[url], key=lambda s: (not s.clear, -s.share, s.url))
        source_chain, _ = _provenance(articles[source.url])
        agencies = [a for hop in source_chain for a in hop]
        ceiling = EVIDENCE_CONFIDENCE if source.clear else UNCLEAR_CONFIDENCE
        results.append(
            Inferred(
                url,
                [],
                basis,
                {
                    "kind": "text_reuse",
                    "text": f"reuses {_percent(source.share)} of {source.url}"
                    + ("" if source.clear else " (which came first is unclear)"),
                    "where": source.url,
                    "agency": agencies[0] if agencies else None,
                    "agencies": list(dict.fromkeys(agencies)),
                    "confidence": round(ceiling * source.share, 3),
                    "source_url": source.url,
                    "share": round(source.share, 3),
                },
            )
        )
    results.sort(key=lambda r: r.url)
    return results
