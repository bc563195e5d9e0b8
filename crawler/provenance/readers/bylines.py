"""Bylines: who signed the copy, and whose copy a staff writer reworked.

``Minh Duc (selon RT, Sputnik)``, ``By Reuters``, ``Meg Kinnard, Associated Press``,
``AFP/The Local``. A byline naming only people gives nothing, and neither does a photo
credit a template put in the byline's place (``Foto: dpa``, ``dpa/Efrem Lukatsky``: an
agency then its photographer).
"""

from __future__ import annotations

import re

from crawler.provenance.readers.names import (
    CONFIDENCE,
    Finding,
    Hops,
    _chain,
    _finding,
    _hop,
    _looks_like_person,
    _mentions,
    _only_publisher,
    _registry,
    _resolve,
    _trim,
)
from crawler.provenance.readers.patterns import (
    _AGENCY_NOUN_NAME,
    _BYLINE_MAX_WORDS,
    _BYLINE_OPENER,
    _BYLINE_SEPARATOR,
    _BYLINE_SOURCES,
    _BYLINE_WORDS,
    _HOP_SPLIT,
    _PHOTO_OPENER,
    _UNNAMED,
)
from crawler.registry import Registry

#: A lower-case letter touching a capital: where markup put two elements' texts together.
_GLUED = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")


def _byline_sources(text: str, registry: Registry) -> tuple[Hops, float] | None:
    """``Minh Duc (selon RT, Sputnik)``, ``X (d'après AFP)``."""
    for match in _BYLINE_SOURCES.finditer(text):
        hop = _hop(match.group("names"), registry, loose=False)
        if hop:
            return (hop,), CONFIDENCE["byline"]
    return None


def _byline_chain(text: str, registry: Registry) -> tuple[Hops, float] | None:
    """``AFP/The Local``: a chain in a byline; unknown parts are people or roles."""
    body = _BYLINE_OPENER.sub("", text)
    if "/" not in body:
        return None
    parts = _HOP_SPLIT.split(body)
    if len(parts) > 4 or any(len(p.split()) > 5 for p in parts):
        return None
    hops = _chain(parts, registry, unknown="drop")
    return (hops, CONFIDENCE["byline"]) if hops else None


def _agency_photographer(text: str, registry: Registry) -> bool:
    """``dpa/Efrem Lukatsky``: an agency then its photographer, the form of an image credit."""
    parts = _HOP_SPLIT.split(_BYLINE_OPENER.sub("", text))
    return (
        len(parts) == 2
        and _resolve(parts[0], registry) is not None
        and _looks_like_person(parts[1])
    )


def _in_byline_position(text: str, start: int) -> bool:
    """Whether a name at ``start`` stands where a byline puts its credits.

    Since the last separator (comma, bracket, ``and``, dash) there may only be names,
    an opener (``By``, ``Par``), an agency noun (``Agencia``) or ``with``: ``Meg Kinnard,
    Associated Press``, ``By Hillel Italie The Associated Press``. Lower-case words make
    it a sentence fragment (``those of Sputnik``, ``including Agence France-Presse``).
    """
    before = text[:start]
    cuts = list(_BYLINE_SEPARATOR.finditer(before))
    segment = before[cuts[-1].end() :] if cuts else before
    return all(
        w[0].isupper() or w[0].isdigit() or w.casefold().strip(":") in _BYLINE_WORDS
        for w in segment.split()
    )


def _byline_named(text: str, registry: Registry) -> tuple[Hops, float] | None:
    """``By Reuters``, ``Meg Kinnard and Errin Haines, Associated Press``, ``Por Agencia Efe``."""
    found = [(m.start, m.agency) for m in _mentions(text, registry)]
    for match in _AGENCY_NOUN_NAME.finditer(text):
        agency = _resolve(match.group("name"), registry, loose=True)
        if agency is not None:
            found.append((match.start(), agency))
    ids = [agency for start, agency in sorted(found) if _in_byline_position(text, start)]
    if not ids:
        return None
    return (tuple(dict.fromkeys(ids)),), CONFIDENCE["byline"]


def read_byline(
    text: str, registry: Registry | None = None, *, publisher: str | None = None
) -> Finding | None:
    """Agencies a byline credits; None for a byline naming only people.

    ``Par Y avec agences`` gives a finding with no agencies (the copy is agency-based but
    the agencies are unnamed) at a lower confidence, so callers can tell it from own work.
    """
    reg = _registry(registry)
    span, start = _trim(text)
    if not span or len(span.split()) > _BYLINE_MAX_WORDS or _PHOTO_OPENER.match(span):
        return None
    if _agency_photographer(span, reg):
        return None
    for form in (_byline_sources, _byline_chain, _byline_named):
        read = form(span, reg)
        if read is not None and not _only_publisher(read[0], publisher):
            return _finding("byline", span, start, *read)
    unglued = _GLUED.sub(" ", span)
    if unglued != span:
        # Markup glued the credit to its neighbours (``By Hillel ItalieThe Associated
        # PressMon., March 23``: name, credit and date were elements of their own).
        read = _byline_named(unglued, reg)
        if read is not None and not _only_publisher(read[0], publisher):
            return _finding("byline", span, start, *read)
    if _UNNAMED.search(span):
        return _finding("byline", span, start, (), 0.5)
    return None
