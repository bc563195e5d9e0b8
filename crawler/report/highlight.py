"""Where each piece of an article's evidence sits in its text, for the article page to mark.

Evidence keeps where it was found: ``text:<offset>`` inside the extracted text (a dateline
opening it, an in-text citation), a CSS path on the raw page (credit lines, bylines, photo
captions: outside the text trafilatura keeps), a metadata field, or, for text reuse, the
source's URL. Pieces inside the text become marked spans; the others are listed apart with
their location, since the text does not hold them. Reused passages come from the stored
reuse pairs (character offsets into the article's latest text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

_TEXT_OFFSET = re.compile(r"text:(\d+)\Z")

#: The kind of a span made of text shared with another article (not an evidence kind).
REUSE = "reuse"


@dataclass(frozen=True, slots=True)
class Span:
    """``text[start:end]`` is a piece of evidence of ``kind``; ``note`` says what it shows."""

    start: int
    end: int
    kind: str
    note: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text covered by the same spans (none: plain text)."""

    text: str
    kinds: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


def locate(text: str, evidence: Mapping[str, Any]) -> tuple[int, int] | None:
    """Where in ``text`` one piece of evidence is: at its stated offset when the text there
    is the evidence, else its first occurrence for a ``text:`` location whose offset went
    stale (the text was re-extracted); None for evidence found outside the text."""
    piece = str(evidence.get("text") or "")
    where = str(evidence.get("where") or "")
    found = _TEXT_OFFSET.match(where)
    if not piece or found is None:
        return None
    start = int(found.group(1))
    if text[start : start + len(piece)] == piece:
        return start, start + len(piece)
    start = text.find(piece)
    return (start, start + len(piece)) if start >= 0 else None


def evidence_note(evidence: Mapping[str, Any]) -> str:
    """``credit_line → xinhua (0.95)``: what a marked piece says, for its tooltip."""
    agency = evidence.get("agency") or "unresolved"
    note = f"{evidence.get('kind') or 'evidence'} → {agency}"
    if evidence.get("confidence") is not None:
        note += f" ({float(evidence['confidence']):.2f})"
    return note


def evidence_spans(
    text: str, evidence: Iterable[Mapping[str, Any]]
) -> tuple[list[Span], list[Mapping[str, Any]]]:
    """The spans of the evidence found in ``text``, and the evidence found elsewhere."""
    spans: list[Span] = []
    elsewhere: list[Mapping[str, Any]] = []
    for entry in evidence:
        if not isinstance(entry, Mapping):
            continue
        where = locate(text, entry)
        if where is None:
            elsewhere.append(entry)
        else:
            spans.append(Span(where[0], where[1], str(entry.get("kind")), evidence_note(entry)))
    return spans, elsewhere


def reuse_spans(
    text: str, version_id: int | None, pairs: Iterable[Mapping[str, Any]], url: str
) -> list[Span]:
    """Passages of ``text`` shared with other articles, from pairs computed on this very
    version (offsets into another text would mark the wrong words)."""
    spans = []
    for pair in pairs:
        side, other = ("a", "b") if pair.get("a") == url else ("b", "a")
        if pair.get(f"{side}_version_id") != version_id:
            continue
        title = pair.get(f"{other}_title") or pair.get(other)
        note = f"shared with {pair.get(f'{other}_outlet')}: {title}"
        for passage in pair.get("passages") or ():
            start, end = int(passage[f"{side}_start"]), int(passage[f"{side}_end"])
            if 0 <= start < end <= len(text):
                spans.append(Span(start, end, REUSE, f"{note} ({passage.get('words')} words)"))
    return spans


def segments(text: str, spans: Sequence[Span]) -> list[Segment]:
    """``text`` cut at every span's edges, each piece with the spans covering it, so that
    overlapping evidence (a citation inside a reused passage) is marked as both."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    pieces = []
    for start, end in pairwise(cuts):
        if start >= end:
            continue
        covering = [s for s in spans if s.start <= start and end <= s.end]
        pieces.append(
            Segment(
                text[start:end],
                tuple(dict.fromkeys(s.kind for s in covering)),
                tuple(dict.fromkeys(s.note for s in covering)),
            )
        )
    return pieces
