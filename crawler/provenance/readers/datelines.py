"""Datelines: the agency named where the copy opens (``PARIS (AFP) -``, ``Reuters, Washington``).

An own dateline without an agency gives nothing here; a parenthesised agency later in a
sentence is not a dateline.
"""

from __future__ import annotations

import re

from crawler.provenance.readers.conventions import (
    DATELINE_MARKS,
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


def _slash_dateline(line: str, registry: Registry) -> tuple[Hops, int, float] | None:
    """``МОСКВА, 5 мая. /ТАСС/.``, ``KYIV. /Ukrinform/.``: the agency between slashes."""
    match = _SLASH_DATELINE.match(line)
    if match is None or not _looks_like_place(match.group("place")):
        return None

    hop = _hop(match.group("names"), registry, loose=False)
    return ((hop,), match.end(), CONFIDENCE["dateline"]) if hop else None


def _bracket_dateline(line: str, registry: Registry) -> tuple[Hops, int, float] | None:
    """``【6月18日 AFP】``, ``[Reuters]``: the agency closing a bracketed date."""
    match = _BRACKET_DATELINE.match(line)
    if match is None:
        return None

    mentions = registry.find(match.group("inside"))
    if not mentions or mentions[-1].end != len(match.group("inside").rstrip()):
        return None

    return ((mentions[-1].agency,),), match.end(), CONFIDENCE["dateline"]


def _wire_mark_dateline(line: str, registry: Registry) -> tuple[Hops, int, float] | None:
    """``新华社北京1月3日电``, ``中新网北京1月3日电``: agency, place and date, then the wire's
    mark (电, 讯); the mark is a row of conventions.toml."""
    mentions = registry.find(line[:_WIRE_MARK_WINDOW])
    if not mentions or mentions[0].start != 0:
        return None

    after = line[mentions[0].end : mentions[0].end + _WIRE_MARK_WINDOW]
    match = _WIRE_MARK.match(after)
    if match is None:
        return None

    return ((mentions[0].agency,),), mentions[0].end + match.end(), CONFIDENCE["dateline"]


def _caps_place_dateline(line: str, registry: Registry) -> tuple[Hops, int, float] | None:
    """``AFP, MANILA Thousands of ...``: an agency, then a place in capitals, then the text."""
    match = _CAPS_PLACE.match(line)
    if match is None:
        return None

    agency = _resolve(match.group("agency"), registry)
    if agency is None or registry.find(match.group("place")):
        return None

    return ((agency,),), match.end(), CONFIDENCE["dateline"] - 0.05


def _agency_date_dateline(line: str, registry: Registry) -> tuple[Hops, int, float] | None:
    """``新华社 2020-01-03 18:13``, ``PTI | July 9, 2020``, ``BNS 2020.10.26 13:44``: the
    agency and the date heading the copy, nothing else on the line."""
    mentions = registry.find(line[:_AGENCY_DATE_NAME])
    if not mentions or mentions[0].start != 0:
        return None
    match = _AGENCY_DATE.match(line, mentions[0].end)
    if match is None:
        return None
    return ((mentions[0].agency,),), match.end(), CONFIDENCE["dateline"] - 0.05


def _via_dateline(line: str, registry: Registry) -> tuple[Hops, int, float] | None:
    """``KVELLER via JTA — The state ...``: the story's first outlet, then the agency it came
    through, heading the copy before a dash. The first outlet is kept when the registry
    knows it; the agency is the hop the copy reached the publisher by."""
    match = _VIA_DATELINE.match(line)
    if match is None:
        return None
    agency = _resolve(match.group("agency"), registry)
    if agency is None or registry.get(agency).kind == "photo_agency":
        return None  # ``Photos via Getty Images —`` credits pictures, not the copy
    source = _resolve(match.group("source"), registry)
    hops = ((source,), (agency,)) if source is not None and source != agency else ((agency,),)
    return hops, match.end(), CONFIDENCE["dateline"] - 0.05


_AGENCY_DATE_NAME = 40
_AGENCY_DATE = re.compile(
    r"\s*[|·,–—-]?\s*(?:\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}"
    r"|[^\W\d_]{3,9}\.?\s\d{1,2},?\s\d{4}|\d{1,2}\.?\s[^\W\d_]{3,9}\.?\s\d{4})"
    r"(?:\s*[|,]?\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:$|\n|\|)"
)
_SLASH_DATELINE = re.compile(r"(?P<place>[^\n/()]{2,60}?)[\s.,]*/(?P<names>[^/\n]{2,30})/")
_BRACKET_DATELINE = re.compile(r"[【\[]\s*(?P<inside>[^】\]\n]{2,30})[】\]]")
_WIRE_MARK_WINDOW = 24
_WIRE_MARK = re.compile(
    rf"[^\s，。,.!?；;:：]{{0,{_WIRE_MARK_WINDOW}}}?(?:{'|'.join(map(re.escape, DATELINE_MARKS))})"
)
_VIA_DATELINE = re.compile(
    r"(?P<source>[A-ZÀ-Þ][\w&'’.-]*(?:\s[A-ZÀ-Þ][\w&'’.-]*){0,3})\s+(?:via|vía)\s+"
    r"(?P<agency>[A-ZÀ-Þ][\w&'’.-]*(?:\s[A-ZÀ-Þ][\w&'’.-]*){0,3})\s*[—–-]\s"
)
_CAPS_PLACE = re.compile(
    r"(?P<agency>[A-Za-z][\w-]{1,15}),\s+(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+(?:\s[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+){0,2})"
    r"(?=\s+[A-ZÀ-Þ][a-zà-ÿ])"
)


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
        for form in _FORMS:
            read = form(rest, reg)
            if read is not None:
                hops, end, confidence = read
                return _finding("dateline", rest[:end].strip(), start, hops, confidence)
    return None


_FORMS = (
    _paren_dateline,
    _agency_first_dateline,
    _slash_dateline,
    _bracket_dateline,
    _wire_mark_dateline,
    _caps_place_dateline,
    _agency_date_dateline,
    _via_dateline,
)
