"""Photo credits: the chain a caption or credit string gives for its image.

``Photo : AFP/VNA/CVN``, ``Robyn Beck/AFP/Getty Images``, ``(NASA via AP)``, ``© AFP``.
Photographers and owners that are not agencies are dropped; an image's chain is its own,
never the copy's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crawler.provenance.readers.conventions import ORG_WORDS
from crawler.provenance.readers.names import (
    CONFIDENCE,
    Finding,
    Hops,
    _chain,
    _clean,
    _finding,
    _registry,
)
from crawler.provenance.readers.patterns import (
    _BRACKETED,
    _COPYRIGHT,
    _PHOTO_HOP_SPLIT,
    _PHOTO_LABEL,
    _RIGHTS,
    _SENTENCE_END,
    _YEAR,
)
from crawler.registry import Registry

#: How sure an unknown agency's photo credit is: the form says agency, the registry not which.
_UNRESOLVED_CONFIDENCE = 0.5
#: An agency-like name where a credit puts its agency: an acronym (``ANP``, ``BELGA``).
_ACRONYM = re.compile(r"[A-ZÀ-ÞА-Я]{2,6}")


def _photo_hops(credit: str, registry: Registry) -> Hops | None:
    """``AFP/VNA/CVN``, ``Robyn Beck/AFP/Getty Images``, ``NASA via AP, File``.

    Photographers and image owners that are not agencies (people, ``NASA``) are dropped.
    """
    credit = _clean(credit)
    if not credit or len(credit.split()) > 12:
        return None
    parts = _PHOTO_HOP_SPLIT.split(credit)
    return _chain(parts, registry, unknown="drop")


@lru_cache(maxsize=64)
def _labels(text: str) -> tuple[re.Match[str], ...]:
    """The photo labels in ``text``: a scan for every label of every language at each
    character, the costliest step of reading a caption, asked again of a caption that gave
    no credit (``_unresolved_photo_credit``)."""
    return tuple(_PHOTO_LABEL.finditer(text))


def _photo_labelled(text: str, registry: Registry) -> tuple[Hops, int, int] | None:
    """``Photo : AFP/VNA/CVN``, ``Foto: dpa``, ``... Source : Sputnik``; the last label wins."""
    for match in reversed(_labels(text)):
        credit = match.group("credit")
        copyright_read = _COPYRIGHT.match(credit)
        hops = (
            _photo_hops(copyright_read.group("holder"), registry)
            if copyright_read
            else _photo_hops(credit, registry)
        )
        if hops:
            return hops, match.start(), match.end()
    return None


def _photo_copyright(text: str, registry: Registry) -> tuple[Hops, int, int] | None:
    """``© AFP``, ``Image copyright Reuters``."""
    for match in _COPYRIGHT.finditer(text):
        hops = _photo_hops(_RIGHTS.sub("", _YEAR.sub("", match.group("holder"))), registry)
        if hops:
            return hops, match.start(), match.end()
    return None


def _photo_bracketed(text: str, registry: Registry) -> tuple[Hops, int, int] | None:
    """``(Manu Fernandez/AP)``, ``[File: Reuters]``, ``Julian Assange (AFP)``."""
    for match in reversed(list(_BRACKETED.finditer(text))):
        inner = match.group("a") or match.group("b") or ""
        read = _photo_labelled(inner, registry) or _photo_copyright(inner, registry)
        hops = read[0] if read else _photo_hops(inner, registry)
        if hops:
            return hops, match.start(), match.end()
    return None


def _photo_plain(text: str, registry: Registry) -> tuple[Hops, int, int] | None:
    """``Joshua Roberts/Reuters``, ``Damian Dovarganes, AP``, a caption ending ``. Bob Edme/AP``
    or set off by a bar with no full stop (``Antony im Zweikampf | AP/Dave Thompson``)."""
    ends = list(_SENTENCE_END.finditer(text))
    start = ends[-1].end() if ends else 0
    hops = _photo_hops(text[start:], registry)
    bar = text.rfind(" | ", start)
    if not hops and bar >= 0:
        start = bar + 3
        hops = _photo_hops(text[start:], registry)
    return (hops, start, len(text.rstrip())) if hops else None


#: Recent readings: one caption is read where it was found (an image's neighbour, the tree's
#: captions) and again with the page's evidence, and the readers are plain functions of the
#: text and the (unchanging) registry.
@lru_cache(maxsize=1024)
def read_photo_credit(text: str, registry: Registry | None = None) -> Finding | None:
    """The chain a caption or credit string gives for its image.

    Person names are not agencies; an agency credit gives one hop (``((agency,),)``) and a
    slash chain of agencies gives one hop each (``AFP/VNA/CVN``).
    """
    reg = _registry(registry)
    forms = (
        (_photo_copyright, CONFIDENCE["photo_credit"]),
        (_photo_labelled, CONFIDENCE["photo_credit"]),
        (_photo_bracketed, CONFIDENCE["photo_credit"]),
        (_photo_plain, CONFIDENCE["photo_credit"] - 0.05),
    )
    for form, confidence in forms:
        read = form(text, reg)
        if read is not None:
            hops, a, b = read
            return _finding("photo_credit", text[a:b].strip(), a, hops, confidence)
    return _unresolved_photo_credit(text, reg)


def _unresolved_photo_credit(text: str, registry: Registry) -> Finding | None:
    """``Foto: Jane Doe/ANP``, ``Photo: Imago Images``: a labelled or copyright credit whose
    agency slot (the last part) holds an agency-like name the registry does not know.

    Kept with ``unknown:<name>`` and no hops, so no image chain rests on it and the item's
    evidence lists it with ``agency: null``; a photographer's name (``Foto: Jane Doe``) or a
    word (``Foto: privat``) is no agency and gives nothing.
    """
    for match in (*_labels(text), *_COPYRIGHT.finditer(text)):
        credit = match.group("credit") if "credit" in match.groupdict() else match.group("holder")
        credit = _RIGHTS.sub("", _YEAR.sub("", credit))
        parts = [p for p in _PHOTO_HOP_SPLIT.split(_clean(credit)) if p.strip()]
        if not parts or len(parts) > 4:
            continue
        name = parts[-1].strip(" .,;")
        words = name.split()
        if not words or len(words) > 4 or registry.find(name):
            continue
        agency_like = _ACRONYM.fullmatch(name) is not None or (
            words[0][:1].isupper() and any(w.casefold() in ORG_WORDS for w in words)
        )
        if agency_like:
            return Finding(
                "photo_credit",
                text[match.start() : match.end()].strip(),
                (f"unknown:{name}",),
                (),
                match.start(),
                _UNRESOLVED_CONFIDENCE,
            )
    return None
