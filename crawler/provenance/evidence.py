"""All the evidence of one article: what the profile located on the page, then the body text.

The page-located pieces (credit line, byline, dateline, captions) come from the extraction
step, read from the raw page before trafilatura. The body text adds what outlets put in the
prose itself: a dateline opening the first paragraph, a credit closing the last one, and
sources cited along the way. Each reader is a plain function (crawler.provenance.readers).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from crawler.items import Evidence
from crawler.provenance.chain import Located
from crawler.provenance.readers import (
    Finding,
    find_end_credit,
    find_lead_credit,
    read_byline,
    read_credit_line,
    read_dateline,
    read_in_text,
    read_photo_credit,
)
from crawler.provenance.unresolved import (
    evidence_agency,
    find_unresolved_credit,
    known_ids,
    labelled_unknown,
    unresolved_finding,
)
from crawler.registry import Registry, load_registry

Reader = Callable[[str, Registry, str], Finding | None]

#: Where metadata evidence comes from (crawler.provenance.metadata).
METADATA = ("meta:", "jsonld:")

_READERS: dict[str, Reader] = {
    "credit_line": lambda text, reg, pub: read_credit_line(text, reg, publisher=pub),
    "byline": lambda text, reg, pub: read_byline(text, reg, publisher=pub),
    "dateline": lambda text, reg, pub: read_dateline(text, reg),
    "caption": lambda text, reg, pub: read_photo_credit(text, reg),
    "lead": lambda text, reg, pub: read_dateline(text, reg),
}

#: Page evidence kept even when it names no source: an own dateline or a staff byline is
#: still what the page says about where the copy came from. A caption without a credit is not.
_KEEP_UNREAD = {"credit_line", "byline", "dateline"}


def _unread(piece: Evidence, registry: Registry) -> Finding:
    """Page evidence no reader turns into a source (an own dateline, a staff byline), or a
    credit line naming a source the registry does not know (kept as unresolved)."""
    if piece.kind == "credit_line" and (name := labelled_unknown(piece.text, registry)):
        return unresolved_finding(piece.kind, piece.text, name)
    return Finding(kind=piece.kind, text=piece.text, agencies=(), hops=(), start=0, confidence=1.0)


def locate(
    page_evidence: Iterable[Evidence],
    text: str,
    publisher: str,
    registry: Registry | None = None,
) -> list[Located]:
    """Every finding for one article, page-located first, then from the body text."""
    registry = registry or load_registry()
    found: list[Located] = []
    seen: set[tuple[str, str]] = set()
    # A piece saying what an earlier one of its kind said (a caption found by the profile
    # and again in the tree) reads the same and is dropped as seen: it is not read again.
    read: set[tuple[str, str]] = set()
    for piece in page_evidence:
        if (piece.kind, piece.text) in read:
            continue
        read.add((piece.kind, piece.text))
        reader = _READERS.get(piece.kind)
        finding = reader(piece.text, registry, publisher) if reader else None
        if finding is None and piece.kind in _KEEP_UNREAD:
            finding = _unread(piece, registry)
        if finding is not None and (finding.kind, finding.text) not in seen:
            seen.add((finding.kind, finding.text))
            found.append(Located(finding, piece.where))
    # Metadata does not stand in for the text: a credit there is looked for in the text too.
    kinds = {
        loc.finding.kind
        for loc in found
        if known_ids(loc.finding.agencies) and not loc.where.startswith(METADATA)
    }
    from_text: list[Finding | None] = []
    if "credit_line" not in kinds:
        end = find_end_credit(text, registry, publisher=publisher)
        end = end or find_lead_credit(text, registry, publisher=publisher)
        if end is None and not any(loc.finding.kind == "credit_line" for loc in found):
            end = find_unresolved_credit(text, registry)  # seen, not known: kept visible
        from_text.append(end)
    if "dateline" not in kinds:
        from_text.append(read_dateline(text, registry))
    from_text.extend(read_in_text(text, registry))
    found.extend(Located(f, f"text:{f.start}") for f in from_text if f is not None)
    return as_publisher(seen_twice(found), registry.owner_of(publisher), publisher)


#: Kinds that say the same thing about a credited agency: where the copy, an image, or a
#: statement came from.
_ROLE = {"credit_line": "copy", "dateline": "copy", "byline": "copy", "photo_credit": "image"}


def seen_twice(found: list[Located]) -> list[Located]:
    """One piece of evidence per credit: a credit in the page's metadata that the page also
    states (``"author": "Reuters"`` and ``© Reuters`` under the text) is one piece seen in
    two places, kept once with both places in ``where``, as the page states it.

    Pieces are looked up by what they say (role and agencies), so a page with thousands of
    captions costs one lookup each, not a comparison with every piece kept before it."""
    out: list[Located] = []
    first: dict[tuple[str, frozenset[str]], Located] = {}
    #: Per credit, the pieces kept so far whose place is still the metadata alone, in order.
    metadata_only: dict[tuple[str, frozenset[str]], list[Located]] = {}
    for loc in found:
        role = _ROLE.get(loc.finding.kind)
        names = frozenset(loc.finding.agencies)
        in_metadata = loc.where.startswith(METADATA)
        twin: Located | None = None
        key = (role or "", names)
        if role is not None and names:
            if in_metadata:
                twin = first.get(key)
            elif metadata_only.get(key):
                twin = metadata_only[key][0]
        if twin is None:
            out.append(loc)
            if role is not None and names:
                first.setdefault(key, loc)
                if in_metadata:
                    metadata_only.setdefault(key, []).append(loc)
        elif twin.where.startswith(METADATA) and not in_metadata:
            twin.finding, twin.where = loc.finding, f"{loc.where} + {twin.where}"
            metadata_only[key].pop(0)  # the text's place comes first now
        else:
            twin.where = f"{twin.where} + {loc.where}"
    return out


def as_publisher(found: list[Located], own_id: str | None, publisher: str) -> list[Located]:
    """Name the publisher one way: on bbc.com a byline "BBC" is the publisher's own
    reporting, not copy from the BBC, so the registry id becomes the publisher's id."""
    if own_id is None or own_id == publisher:
        return found

    def swap(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(publisher if agency == own_id else agency for agency in ids)

    return [
        Located(
            replace(
                loc.finding,
                agencies=swap(loc.finding.agencies),
                hops=tuple(swap(hop) for hop in loc.finding.hops),
            ),
            loc.where,
        )
        for loc in found
    ]


def as_evidence(found: Iterable[Located]) -> list[Evidence]:
    """The contract's ``provenance.evidence``: kind, raw text, where, agency, confidence.

    ``agency`` is the first registry id the piece names, or null with a ``reason``; names
    the registry does not know are listed under ``unresolved``.
    """
    evidence = []
    for loc in found:
        agency, reason, unresolved = evidence_agency(loc.finding.agencies)
        evidence.append(
            Evidence(
                kind=loc.finding.kind,
                text=loc.finding.text,
                where=loc.where,
                agency=agency,
                confidence=loc.finding.confidence,
                agencies=list(loc.finding.agencies),
                reason=reason,
                unresolved=unresolved,
            )
        )
    return evidence


_SPACES = re.compile(r"\s+")
_JOINERS = re.compile(r"^[\s,;/|&+-]+|[\s,;/|&+-]+$|\s+(?:and|et|und|y|e)\s*$", re.I)


def people_only(
    authors: Iterable[str], registry: Registry | None = None, publisher: str | None = None
) -> list[str]:
    """Authors without the agencies in them: agencies go to provenance, never to ``authors``.

    ``Reuters`` is dropped; ``Meg Kinnard and Errin Haines, Associated Press`` keeps the two
    reporters. The publisher's own desk (``Le Placentin`` on leplacentin) stays: it is the
    outlet crediting itself, not a source.
    """
    registry = registry or load_registry()
    own = {publisher, registry.owner_of(publisher) if publisher else None}
    people: list[str] = []
    for name in authors:
        rest = name
        for mention in reversed(registry.find(name)):
            if mention.agency in own:
                continue
            rest = rest[: mention.start] + " " + rest[mention.end :]
        rest = _SPACES.sub(" ", rest)
        previous = None
        while previous != rest:
            previous, rest = rest, _JOINERS.sub("", rest).strip()
        if rest and rest not in people:
            people.append(rest)
    return people
