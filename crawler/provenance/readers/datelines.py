"""Datelines: the agency named where the copy opens (``PARIS (AFP) -``, ``Reuters, Washington``).

An own dateline without an agency gives nothing here; a parenthesised agency later in a
sentence is not a dateline.
"""

from __future__ import annotations

from crawler.provenance.readers.conventions import (
    MONTHS,
    PARTICLES,
)
from crawler.provenance.readers.names import (
    CONFIDENCE,
    Finding,
    Hops,
    _clean,
    _finding,
    _hop,
    _registry,
    _resolve,
)
from crawler.provenance.readers.patterns import (
    _AGENCY_FIRST,
    _DATELINE,
    _DATELINE_WINDOW,
    _HOP_SPLIT,
    _INITIALS,
    _LINE,
)
from crawler.registry import Registry


def _looks_like_place(place: str) -> bool:
    """``PARIS``, ``Moscou, 13 septembre``, ``HAYWARD, Calif.``, ``Frankfurt/Main``.

    Words are capitalised, numbers, months or particles: a sentence (``Le ministre a dit``)
    is not a place.
    """
    words = [w.strip(",.;") for w in place.replace("/", " ").split()]
    words = [w for w in words if w]
    if not words or len(words) > 10 or not words[0][0].isupper():
        return False
    return all(
        w[0].isupper() or w[0].isdigit() or w.casefold() in MONTHS or w.casefold() in PARTICLES
        for w in words
    )


def _dateline_agencies(names: str, registry: Registry) -> Hops | None:
    """The parenthesised part: ``AFP``, ``dpa``, ``dpa/lby`` (a regional desk's initials).

    Every part must be a known agency or initials: ``(Photo)`` or ``(1)`` is no dateline.
    """
    hops = []
    for part in _HOP_SPLIT.split(names.strip()):
        hop = _hop(part, registry, loose=False)
        if hop:
            hops.append(hop)
        elif not _INITIALS.fullmatch(_clean(part)):
            return None
    return tuple(hops) or None


def _paren_dateline(line: str, registry: Registry) -> tuple[Hops, int, float] | None:
    """``PARIS (AFP) -``, ``(Reuters) —``, ``Madrid, 5 nov (EFE).-``."""
    match = _DATELINE.match(line)
    if match is None:
        return None
    place = match.group("place").strip()
    if place and not _looks_like_place(place):
        return None
    hops = _dateline_agencies(match.group("names"), registry)
    return (hops, match.end(), CONFIDENCE["dateline"]) if hops else None


def _agency_first_dateline(line: str, registry: Registry) -> tuple[Hops, int, float] | None:
    """``PTI, Washington``, ``Reuters, Washington, Nov 20 2019``."""
    match = _AGENCY_FIRST.match(line)
    if match is None:
        return None
    agency = _resolve(match.group("agency"), registry)
    place = match.group("place")
    if agency is None or not _looks_like_place(place) or registry.find(place):
        return None
    return ((agency,),), match.end(), CONFIDENCE["dateline"] - 0.05


def read_dateline(text: str, registry: Registry | None = None) -> Finding | None:
    """An agency dateline at the start of a body (first ~150 characters, at a line start).

    An own dateline without an agency (``Paris / La Gazette``) gives None: the caller keeps
    those separately. A parenthesised agency later in a sentence is not a dateline.
    """
    reg = _registry(registry)
    window = text[:_DATELINE_WINDOW]
    for line in _LINE.finditer(window):
        lead = len(line.group(0)) - len(line.group(0).lstrip())
        start = line.start() + lead
        rest = text[start : start + _DATELINE_WINDOW]
        for form in (_paren_dateline, _agency_first_dateline):
            read = form(rest, reg)
            if read is not None:
                hops, end, confidence = read
                return _finding("dateline", rest[:end].strip(), start, hops, confidence)
    return None
