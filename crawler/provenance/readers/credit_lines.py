"""Credit lines: the line that states the copy's path, at the end of a body or on top of it.

``Xinhua/VNA/CVN``, ``Source : Sputnik``, ``Le Monde avec AFP``, ``© Reuters``, ``... merece».
EFE``: chains read left to right, origin first, publisher last. A sentence that mentions an
agency is not a credit line; the line must be a credit as a whole.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crawler.provenance.readers.bylines import (
    read_byline,
)
from crawler.provenance.readers.names import (
    CONFIDENCE,
    Finding,
    Hops,
    _chain,
    _clean,
    _finding,
    _hop,
    _is_product,
    _looks_like_name,
    _looks_like_person,
    _mentions,
    _only_publisher,
    _registry,
    _resolve,
    _split_list,
    _trim,
    _without_own_mark,
)
from crawler.provenance.readers.patterns import (
    _AFTER_CLAUSE,
    _BYLINE_OPENER,
    _CONTRIBUTED,
    _COPYRIGHT,
    _CREDIT_LABEL,
    _END_LINES,
    _FIELD_SPLIT,
    _HOP_SPLIT,
    _LEAD_LINES,
    _LEAD_WINDOW,
    _LINE,
    _NOTE_LINES,
    _NOTE_WINDOW,
    _RIGHTS,
    _SENTENCE_END,
    _SHORT_LINE,
    _SOURCE_NOTE,
    _WITH_BARE,
    _WITH_OUTLET,
    _YEAR,
)
from crawler.registry import Registry


def _credit_chain(span: str, registry: Registry) -> tuple[Hops, float] | None:
    if "/" not in span:
        return None
    parts = _HOP_SPLIT.split(span)
    if len(parts) > 6 or any(len(p.split()) > 5 for p in parts):
        return None
    hops = _chain(parts, registry, unknown="keep")
    return (hops, CONFIDENCE["credit_line"]) if hops else None


def _credit_list(names: str, registry: Registry) -> Hops | None:
    """One hop of several sources (``AFP, EFE y Reuters``); None if any name is unknown."""
    parts = _split_list(names)
    ids = [_resolve(p, registry) for p in parts]
    if not parts or any(i is None for i in ids):
        return None
    return (tuple(dict.fromkeys(i for i in ids if i is not None)),)


def _credit_bare(span: str, registry: Registry) -> tuple[Hops, float] | None:
    """``PTI``, ``Dépêche AFP``, ``AFP, Reuters``: the line is nothing but agency names."""
    hops = _credit_list(span, registry)
    return (hops, CONFIDENCE["credit_line"]) if hops else None


def _credit_labelled(span: str, registry: Registry) -> tuple[Hops, float] | None:
    """``Source : Sputnik``, ``Sources : AFP, Reuters``, ``Quelle: dpa-AFX``.

    A label alone does not make an agency credit: ``Source : AP-HP`` (a hospital) or
    ``Source : ministère`` names no agency and gives None, like any line without one.
    """
    match = _CREDIT_LABEL.match(span)
    if match is None:
        return None
    rest = _clean(match.group("rest"))
    if "/" in rest:
        return _credit_chain(rest, registry)
    hops = _credit_list(rest, registry)
    if hops:
        return hops, CONFIDENCE["credit_line"]
    known = _hop(rest, registry, loose=False)
    return ((known,), CONFIDENCE["credit_line"] - 0.1) if known else None


def _credit_with(span: str, registry: Registry) -> tuple[Hops, float] | None:
    """``avec AFP``, ``Le Monde avec AFP et Reuters``, ``Additional reporting by Reuters``.

    Agencies come first, the outlet that wrote "with" last. People in the list
    (``Additional reporting by Jane Doe and Reuters``) are skipped; an outlet part that is
    a sentence (``Il a travaillé avec AFP``) means the line is not a credit.
    """
    match = _WITH_BARE.match(span) or _WITH_OUTLET.match(span)
    if match is None:
        return None
    names = _split_list(match.group("rest"))
    if not all(_resolve(n, registry) or _looks_like_name(n) for n in names):
        return None  # ``Selon Sputnik, le président ...`` is a sentence, not a credit
    sources = _hop(match.group("rest"), registry, loose=False)
    if not sources:
        return None
    hops: list[tuple[str, ...]] = [sources]
    outlet = match.groupdict().get("outlet")
    if outlet:
        outlet = _clean(outlet)
        known = _resolve(outlet, registry)
        if known is not None:
            hops.append((known,))
        elif _looks_like_person(outlet):
            pass  # ``Jane Doe avec AFP``: the writer, not a hop
        elif _looks_like_name(outlet):
            hops.append((f"unknown:{outlet}",))
        else:
            return None
    return tuple(hops), CONFIDENCE["credit_line"]


def _credit_copyright(span: str, registry: Registry) -> tuple[Hops, float] | None:
    """``© Reuters``, ``Copyright 2020 The Associated Press``, ``(Reporting by ...) © Reuters``."""
    match = _COPYRIGHT.search(span)
    if match is None or not _AFTER_CLAUSE.search(span[: match.start()]):
        return None
    holder = _RIGHTS.sub("", _YEAR.sub("", match.group("holder")))
    ids = [m.agency for m in registry.find(holder) if not _is_product(holder, m)]
    if not ids:
        return None
    return (tuple(dict.fromkeys(ids)),), CONFIDENCE["credit_line"] - 0.05


def _credit_contributed(span: str, registry: Registry) -> tuple[Hops, float] | None:
    """``Associated Press writers X and Y contributed to this report.``"""
    if not _CONTRIBUTED.search(span):
        return None
    ids = [m.agency for m in _mentions(span, registry)]
    return ((tuple(dict.fromkeys(ids)),), CONFIDENCE["byline"]) if ids else None


_PARENTHESISED = re.compile(r"\((?P<inner>[^()]+)\)")


def _credit_parenthesised(span: str, registry: Registry) -> tuple[Hops, float] | None:
    """``(AFP)``, ``(ANSA).``, ``(Con información de AFP, EFE y Reuters)``."""
    match = _PARENTHESISED.fullmatch(span)
    if match is None:
        return None
    return _read_credit_span(match.group("inner").strip(), registry)


_CREDIT_FORMS = (
    _credit_copyright,
    _credit_parenthesised,
    _credit_labelled,
    _credit_chain,
    _credit_bare,
    _credit_with,
    _credit_contributed,
)


def _read_credit_span(span: str, registry: Registry) -> tuple[Hops, float] | None:
    for form in _CREDIT_FORMS:
        read = form(span, registry)
        if read is not None:
            return read
    return None


#: Recent readings: a body's last lines are read as credit lines where the body text is
#: split (crawler.bodytext) and again when provenance reads the text, and the reader is a
#: plain function of the line, the (unchanging) registry and the publisher.
@lru_cache(maxsize=256)
def read_credit_line(
    text: str, registry: Registry | None = None, *, publisher: str | None = None
) -> Finding | None:
    """What a located credit line (or a body's last line) says about the copy's chain.

    The line must be a credit as a whole: a slash chain, a label (``Source :``), a
    copyright, a "with" credit or agency names alone. A sentence that mentions an agency
    (``Reuters a rapporté que...``) is not one. When ``publisher`` is given, a line that
    names only the publisher is its own signature (``Le Placentin``) and gives None.
    """
    reg = _registry(registry)
    span, start = _trim(text)
    if not span or len(span) > 300:
        return None
    read = _read_credit_span(span, reg)
    if read is None:
        return _labelled_field(span, start, reg, publisher)
    hops, confidence = _without_own_mark(read[0], publisher), read[1]
    if _only_publisher(hops, publisher):
        return None
    return _finding("credit_line", span, start, hops, confidence)


def _labelled_field(
    span: str, start: int, registry: Registry, publisher: str | None
) -> Finding | None:
    """``22/11/2020 - 04:30 - Fonte: Agência Brasil - Foto: ...``: a labelled field of a
    metadata line. Only labelled fields count: the label is what makes a field a credit."""
    offset = 0
    for field_text in _FIELD_SPLIT.split(span):
        offset = span.index(field_text, offset)
        read = _credit_labelled(field_text.strip(), registry)
        hops = _without_own_mark(read[0], publisher) if read is not None else ()
        if read is not None and not _only_publisher(hops, publisher):
            lead = len(field_text) - len(field_text.lstrip())
            return _finding(
                "credit_line", field_text.strip(), start + offset + lead, hops, read[1] - 0.05
            )
        offset += len(field_text)
    return None


def _last_lines(text: str) -> list[re.Match[str]]:
    """The last lines, from the end back to the last paragraph.

    Short lines after the credit (a signature, ``back to top``, ``Comments``, ``Seguir
    leyendo:``) are passed over, up to a few; the first long line is the last paragraph.
    """
    lines = [m for m in _LINE.finditer(text) if m.group(0).strip()]
    picked: list[re.Match[str]] = []
    for line in reversed(lines[-_END_LINES:]):
        picked.append(line)
        if len(line.group(0).strip()) > _SHORT_LINE:
            break
    return picked


def _tail_credit(line: re.Match[str], registry: Registry, publisher: str | None) -> Finding | None:
    """``... sneak into the US. PTI``: the words after the last sentence, read as a credit."""
    ends = list(_SENTENCE_END.finditer(line.group(0)))
    if not ends:
        return None
    tail_start = ends[-1].end()
    tail = line.group(0)[tail_start:]
    if not tail.strip() or len(tail) > 80:
        return None
    found = read_credit_line(tail, registry, publisher=publisher)
    if found is None:
        return None
    return _shift(found, line.start() + tail_start, confidence=found.confidence - 0.05)


def _shift(found: Finding, offset: int, *, confidence: float | None = None) -> Finding:
    return Finding(
        found.kind,
        found.text,
        found.agencies,
        found.hops,
        found.start + offset,
        round(confidence if confidence is not None else found.confidence, 2),
    )


def find_end_credit(
    text: str, registry: Registry | None = None, *, publisher: str | None = None
) -> Finding | None:
    """The credit at the end of an article body, with ``start`` relative to ``text``.

    Why the last two lines: outlets put the chain on its own last line (``Xinhua/VNA/CVN``)
    or glue the agency to the last paragraph (``... merece». EFE``); a short signature or
    footer line may follow it.
    """
    reg = _registry(registry)
    for line in _last_lines(text):
        whole = read_credit_line(line.group(0), reg, publisher=publisher)
        whole = whole or read_source_note(line.group(0), reg)
        if whole is not None:
            return _shift(whole, line.start())
        tail = _tail_credit(line, reg, publisher)
        if tail is not None:
            return tail
    return None


@lru_cache(maxsize=256)  # read again with read_credit_line (above)
def read_source_note(text: str, registry: Registry | None = None) -> Finding | None:
    """``Mit Informationen der Korrespondenten sowie der Nachrichtenagenturen AFP, AP und
    dpa.``: a note that the copy rests on the agencies it lists, one hop of them all.

    Live blogs and round-ups print it above or below the text. Names the registry does not
    know are left out of the hop (a note may list a small agency); one known name is needed.
    """
    reg = _registry(registry)
    span, start = _trim(text)
    match = _SOURCE_NOTE.match(span)
    if match is None:
        return None
    ids = [_resolve(name, reg) for name in _split_list(match.group("names"))]
    known = tuple(dict.fromkeys(i for i in ids if i is not None))
    if not known:
        return None
    note = span[: match.end()]
    return _finding("credit_line", note, start, (known,), CONFIDENCE["credit_line"] - 0.1)


def find_lead_credit(
    text: str, registry: Registry | None = None, *, publisher: str | None = None
) -> Finding | None:
    """A source line or agency byline opening a body, with ``start`` relative to ``text``.

    Some outlets print the credit above the text rather than below: ``Quelle: dpa-AFX``,
    ``22/11/2020 - 04:30 - Fonte: Agência Brasil``, ``Por Agencia EFE``. Only labelled
    credits and bylines with an opener (``By``, ``Par``, ``Por``) count here, since a first
    line may be a headline that names an agency.
    """
    reg = _registry(registry)
    lines = [m for m in _LINE.finditer(text[:_LEAD_WINDOW]) if m.group(0).strip()]
    for line in lines[:_LEAD_LINES]:
        span, lead = _trim(line.group(0))
        credit = _labelled_field(span, 0, reg, publisher)
        if credit is not None:
            return _shift(credit, line.start() + lead)
        if _BYLINE_OPENER.match(span):
            byline = read_byline(span, reg, publisher=publisher)
            if byline is not None and byline.agencies:
                return _shift(byline, line.start() + lead)
    notes = [m for m in _LINE.finditer(text[:_NOTE_WINDOW]) if m.group(0).strip()]
    for line in notes[:_NOTE_LINES]:
        note = read_source_note(line.group(0), reg)
        if note is not None:
            return _shift(note, line.start())
    return None
