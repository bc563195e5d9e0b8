"""Evidence the engine saw but could not resolve: it stays visible instead of vanishing.

A credit line ``Source : Agence XYZ`` states where the copy came from even when the registry
has no entry for Agence XYZ; a chain ``FMW/Bloomberg`` names a source the registry does not
know. Dropping such evidence would hide exactly what a curator needs to grow the registry, so
it is kept: the name as ``unknown:<name>`` among the finding's agencies (not in any chain
unless a reader grounded it beside a known agency), and in the item's evidence with
``agency: null``, the ``reason`` and the name under ``unresolved``. ``scrapy provenance
--unresolved`` then lists the most common names across the store, so one alias fixes them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from crawler.provenance.readers.conventions import CREDIT_LABELS
from crawler.provenance.readers.names import Finding
from crawler.registry import Registry

UNKNOWN = "unknown:"
#: ``reason`` values of evidence whose ``agency`` is null.
NOT_IN_REGISTRY = "not_in_registry"
NO_SOURCE_NAMED = "no_source_named"
#: How sure an unresolved credit is: a label says it is a source, nothing says which.
CONFIDENCE = 0.5

_LABELS = sorted({label for labels in CREDIT_LABELS.values() for label in labels}, key=len)
_LABELLED = re.compile(
    r"^\s*(?:" + "|".join(re.escape(label) for label in reversed(_LABELS)) + r")\s*[:：]\s*"
    r"(?P<name>.+?)[\s.;,)]*$",
    re.IGNORECASE,
)
#: A line of the body text.
_LINE = re.compile(r"[^\n]+")
#: A name: begins with a capital or a letter of an uncased script (``Agence XYZ``,
#: ``Bakhtar``, ``新闻社``), at most six words, no sentence punctuation or digits-only words.
_NAME = re.compile(r"^(?=[^\W\d_])(?:(?!\s{2})[^\n:!?;=<>{}])+$")
_MAX_WORDS = 6


def unknown_names(agencies: Iterable[str]) -> list[str]:
    """The names behind ``unknown:<name>`` ids, in order, once each."""
    return list(dict.fromkeys(a[len(UNKNOWN) :] for a in agencies if a.startswith(UNKNOWN)))


def known_ids(agencies: Iterable[str]) -> list[str]:
    """The registry ids among a finding's agencies (every id that is not ``unknown:``)."""
    return [a for a in agencies if not a.startswith(UNKNOWN)]


def evidence_agency(agencies: Sequence[str]) -> tuple[str | None, str | None, list[str]]:
    """``(agency, reason, unresolved)`` for one piece of evidence.

    ``agency`` is the first registry id the piece names; when it names none, it is null and
    ``reason`` says why: a name the registry does not know, or no source named at all.
    """
    unresolved = unknown_names(agencies)
    known = known_ids(agencies)
    if known:
        return known[0], None, unresolved
    return None, (NOT_IN_REGISTRY if unresolved else NO_SOURCE_NAMED), unresolved


def labelled_unknown(line: str, registry: Registry) -> str | None:
    """The name in a labelled credit (``Source : Agence XYZ``) that names no registry entry.

    None when the line is not a labelled credit, when any registry name is in it (the
    readers read those), or when what follows the label is not a name (``Source : le
    ministère de la Santé``, a sentence, a URL).
    """
    match = _LABELLED.match(line.strip())
    if match is None:
        return None
    name = match.group("name").strip()
    if registry.find(name) or not _NAME.match(name) or "/" in name or "http" in name.lower():
        return None
    words = name.split()
    if len(words) > _MAX_WORDS or not (name[0].isupper() or not name[0].isascii()):
        return None
    return name


def find_unresolved_credit(text: str, registry: Registry) -> Finding | None:
    """A labelled credit naming an unknown source in the body's first or last lines.

    Called only when no reader found a credit line there, so it never competes with one.
    """
    lines = [m for m in _LINE.finditer(text) if m.group(0).strip()]
    for line in [*lines[-3:][::-1], *lines[:1]]:
        name = labelled_unknown(line.group(0), registry)
        if name is not None:
            return unresolved_finding("credit_line", line.group(0).strip(), name, line.start())
    return None


def unresolved_finding(kind: str, text: str, name: str, start: int = 0) -> Finding:
    """Evidence of a source the registry does not know: no hops, so no chain rests on it."""
    return Finding(kind, text, (f"{UNKNOWN}{name}",), (), start, CONFIDENCE)
