"""In-text attributions: sources cited inside running text (``selon l'agence TASS``,
``told Reuters``, ``laut dpa``, ``según EFE``).

Only a name with an attribution cue beside it counts: an agency that is the topic of a
sentence, or an item in a list, is not a source of this text.
"""

from __future__ import annotations

from crawler.provenance.readers.conventions import (
    WEAK_CUES,
)
from crawler.provenance.readers.names import (
    CONFIDENCE,
    Finding,
    _clean,
    _mentions,
    _registry,
)
from crawler.provenance.readers.patterns import (
    _CITE_AFTER,
    _CITE_BEFORE,
    _DESCRIPTOR_BEFORE,
    _LIST_GAP,
    _RESTATED,
)
from crawler.registry import Mention, Registry


def _clusters(text: str, mentions: list[Mention]) -> list[list[Mention]]:
    """Names cited together share their cue.

    A list (``selon RT, Sputnik``, ``AFP et Reuters``) is one group, and so is one source
    named twice in a row (``l'agence de presse officielle nord-coréenne KCNA``,
    ``l'Agence centrale de presse coréenne (KCNA)``), so it gives one finding, not two.
    """
    groups: list[list[Mention]] = []
    for mention in mentions:
        if groups and _joined(text, groups[-1][-1], mention):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    return groups


def _joined(text: str, left: Mention, right: Mention) -> bool:
    between = text[left.end : right.start]
    if left.agency == right.agency and _RESTATED.fullmatch(between):
        return True
    return bool(_LIST_GAP.fullmatch(between))


def _cue_before(text: str, first: Mention) -> tuple[int, float] | None:
    """A cue ending right before the name: ``selon l'agence ``, ``told the ``."""
    window = text[max(0, first.start - 160) : first.start]
    match = _CITE_BEFORE.search(window)
    if match is None:
        return None
    weak = _clean(match.group("cue")).casefold() in WEAK_CUES
    return first.start - len(window) + match.start(), CONFIDENCE["in_text"] - (0.1 if weak else 0)


def _cue_after(text: str, last: Mention) -> tuple[int, float] | None:
    """A cue right after the name: ``Reuters reported``, ``KCNA indique``."""
    match = _CITE_AFTER.match(text, last.end)
    if match is None or match.group("person"):
        return None
    weak = match.group("cue").casefold() in WEAK_CUES
    return match.end("cue"), CONFIDENCE["in_text"] - (0.1 if weak else 0)


def _descriptor_before(text: str, first: Mention) -> int | None:
    """Only a descriptor before the name (``Nachrichtenagentur Reuters``): a weak cue."""
    window = text[max(0, first.start - 80) : first.start]
    match = _DESCRIPTOR_BEFORE.search(window)
    return None if match is None else first.start - len(window) + match.start()


def _cited(text: str, group: list[Mention]) -> tuple[int, int, float] | None:
    """Span and confidence of the cue that makes ``group`` a cited source, strongest first."""
    before = _cue_before(text, group[0])
    if before is not None:
        return before[0], group[-1].end, before[1]
    after = _cue_after(text, group[-1])
    if after is not None:
        return group[0].start, after[0], after[1]
    descriptor = _descriptor_before(text, group[0])
    if descriptor is not None:
        return descriptor, group[-1].end, CONFIDENCE["in_text"] - 0.15
    return None


def read_in_text(text: str, registry: Registry | None = None) -> list[Finding]:
    """Sources cited inside running text, one finding per cue.

    Only names with an attribution cue next to them count: an agency that is a topic or an
    item in a list (``l'AFP a licencié...``, ``Reuters, AP and AFP journalists``) is not a
    source of this text, and guessing would flood ``cited`` with noise. A bare descriptor
    (``Nachrichtenagentur Reuters``) is a weak cue (0.45). ``Bloomberg said he would run``
    (a person) is dropped by the pronoun that follows, ``Michael Bloomberg`` by the given
    name before; a person named by surname alone with a neutral verb is missed or, rarely,
    kept.
    """
    reg = _registry(registry)
    findings = []
    for group in _clusters(text, _mentions(text, reg)):
        cited = _cited(text, group)
        if cited is None:
            continue
        start, end, confidence = cited
        ids = tuple(dict.fromkeys(m.agency for m in group))
        findings.append(Finding("in_text", text[start:end], ids, (), start, round(confidence, 2)))
    return findings
