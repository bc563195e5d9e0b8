"""Every agency a page names, described by where and how it is named: the model's input.

Each registry name found on the page (the body text, the bylines, captions, lead and credit
lines the page's markup holds, its JSON-LD and meta tags) is a mention with features of its
place (first line, last lines, dateline position, alone on a line, inside a caption, a
byline box or the metadata) and of its form (parenthesised, in a slash chain, after a
copyright sign), with the per-language cue words around it (conventions.toml: ``selon``,
``told``, ``Quelle:``, ``Foto:``, ``avec``). What the hand-written readers made of it is a
feature too, so the model learns where to trust them. One agency's mentions on a page are
summed up into one row (any mention with the feature), which is what the model decides on:
whether that agency is the copy's origin, a cited source, or an image's credit.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from crawler.items import Evidence
from crawler.provenance.chain import Located
from crawler.provenance.readers import read_byline, read_credit_line
from crawler.provenance.readers.conventions import (
    BYLINE_OPENERS,
    CREDIT_LABELS,
    PHOTO_LABELS,
    WITH_CUES,
)
from crawler.provenance.readers.names import _mentions
from crawler.provenance.readers.patterns import _CITE_AFTER, _CITE_BEFORE, _all, _alternation
from crawler.registry import Mention, Registry

FEATURES = (
    "bias",
    # what the hand-written readers made of the agency
    "read_credit_line",
    "read_dateline",
    "read_byline",
    "read_photo_credit",
    "read_in_text",
    "in_rules_chain",
    # where it is named in the body text
    "text_any",
    "text_count",
    "text_first_line",
    "text_last_lines",
    "text_dateline_position",
    "text_alone_on_line",
    "text_short_line",
    "text_parenthesised",
    "text_slash_chain",
    "text_after_copyright",
    # the cue words around it (per-language tables)
    "cue_cite_before",
    "cue_cite_after",
    "cue_credit_label",
    "cue_photo_label",
    "cue_with",
    "cue_byline_opener",
    # where on the page, outside the body text
    "page_byline",
    "page_caption",
    "page_lead",
    "page_credit_line",
    "meta_byline",
    "meta_source",
    "meta_publisher",
    "meta_image",
    "box_byline",
    "box_byline_read",
    "box_credit",
    "box_credit_read",
    # the site
    "site_is_agency",
)

_LINE = re.compile(r"[^\n]+")
#: How far back from a mention the cue patterns (labels, ©, "with") can reach.
_CUE_REACH = 200
#: Mentions of one agency in the text whose features are read: this many first and last.
_MENTIONS_READ = 32
_DATELINE_CHARS = 150
_LAST_LINES = 3
_SHORT = 80
_CREDIT_LABEL_BEFORE = re.compile(
    rf"(?:{_alternation(_all(CREDIT_LABELS))})\s*[:：=]\s*[^\n]{{0,25}}$", re.IGNORECASE
)
_PHOTO_LABEL_BEFORE = re.compile(
    rf"(?:{_alternation(PHOTO_LABELS)})\s*[:.：=]?\s*[^\n]{{0,30}}$", re.IGNORECASE
)
_WITH_BEFORE = re.compile(rf"(?:{_alternation(_all(WITH_CUES))})\s+[^\n]{{0,20}}$", re.IGNORECASE)
_OPENER_BEFORE = re.compile(rf"^\s*(?:{_alternation(BYLINE_OPENERS)})\s*:?\s+", re.IGNORECASE)
_COPYRIGHT_BEFORE = re.compile(r"(?:©|\([cC]\)|copyright)[^\n]{0,12}$", re.IGNORECASE)


@dataclass
class Candidate:
    """One agency on one page: its features (name → value) and where it was seen."""

    agency: str
    features: dict[str, float] = field(default_factory=lambda: {"bias": 1.0})
    places: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def mark(self, name: str, value: float = 1.0) -> None:
        self.features[name] = max(self.features.get(name, 0.0), value)

    def vector(self) -> list[float]:
        return [self.features.get(name, 0.0) for name in FEATURES]


@lru_cache(maxsize=4)
def _lines(text: str) -> tuple[list[int], list[re.Match[str]]]:
    """The text's non-blank lines and where each starts, found once per text: every mention
    of a page asks for its line."""
    lines = [m for m in _LINE.finditer(text) if m.group(0).strip()]
    return [m.start() for m in lines], lines


def _text_features(text: str, mention: Mention, candidate: Candidate) -> None:
    starts, lines = _lines(text)
    index = bisect_right(starts, mention.start) - 1
    if index < 0 or not mention.start < lines[index].end():
        return
    line = lines[index]
    # The cue patterns below look at most a few dozen characters back from the mention:
    # searching the whole line before it made a page of one long line quadratic.
    before = text[max(line.start(), mention.start - _CUE_REACH) : mention.start]
    after = text[mention.end : line.end()]
    body = line.group(0).strip()
    candidate.mark("text_any")
    candidate.mark("text_first_line", float(index == 0))
    candidate.mark("text_last_lines", float(index >= len(lines) - _LAST_LINES))
    candidate.mark(
        "text_dateline_position", float(mention.start < _DATELINE_CHARS and len(before) < 60)
    )
    candidate.mark("text_alone_on_line", float(len(body) <= len(mention.alias) + 8))
    candidate.mark("text_short_line", float(len(body) <= _SHORT))
    candidate.mark(
        "text_parenthesised",
        float(before.rstrip()[-1:] in "([" and after.lstrip()[:1] in ")]/" if before else False),
    )
    candidate.mark(
        "text_slash_chain", float(before.rstrip().endswith("/") or after.lstrip().startswith("/"))
    )
    candidate.mark("text_after_copyright", float(bool(_COPYRIGHT_BEFORE.search(before))))
    window = text[max(0, mention.start - 160) : mention.start]
    candidate.mark("cue_cite_before", float(_CITE_BEFORE.search(window) is not None))
    after_cue = _CITE_AFTER.match(text, mention.end)
    candidate.mark("cue_cite_after", float(after_cue is not None and not after_cue.group("person")))
    candidate.mark("cue_credit_label", float(bool(_CREDIT_LABEL_BEFORE.search(before))))
    candidate.mark("cue_photo_label", float(bool(_PHOTO_LABEL_BEFORE.search(before))))
    candidate.mark("cue_with", float(bool(_WITH_BEFORE.search(before))))
    line_head = text[line.start() : min(mention.start, line.start() + _CUE_REACH)]
    candidate.mark("cue_byline_opener", float(bool(_OPENER_BEFORE.match(line_head))))


def _box_features(piece: Evidence, candidate: Candidate, registry: Registry) -> None:
    """A byline box (or a credit element the rules did not take): named there, and read as
    a credit?"""
    if piece.kind == "box_byline":
        candidate.mark("box_byline")
        read = read_byline(piece.text, registry)
        candidate.mark("box_byline_read", float(bool(read and candidate.agency in read.agencies)))
    else:
        candidate.mark("box_credit")
        read = read_credit_line(piece.text, registry)
        candidate.mark("box_credit_read", float(bool(read and candidate.agency in read.agencies)))


def _piece_features(piece: Evidence, candidate: Candidate, registry: Registry) -> None:
    if piece.kind.startswith("box_"):
        _box_features(piece, candidate, registry)
        return
    meta = piece.where.startswith(("meta:", "jsonld:"))
    if meta:
        if piece.kind == "byline":
            candidate.mark("meta_byline")
        elif piece.kind == "credit_line":
            candidate.mark("meta_source")
        elif piece.kind == "caption":
            candidate.mark("meta_image")
        else:
            candidate.mark("meta_publisher")
        return
    name = {
        "byline": "page_byline",
        "caption": "page_caption",
        "lead": "page_lead",
        "dateline": "page_lead",
        "credit_line": "page_credit_line",
    }.get(piece.kind)
    if name:
        candidate.mark(name)


def candidates(
    pieces: Sequence[Evidence],
    text: str,
    found: Iterable[Located],
    chain: Sequence[Sequence[str]],
    publisher: str,
    registry: Registry,
) -> dict[str, Candidate]:
    """Every news agency the page names, except the publisher itself, with its features.

    Only news agencies: they are what the labels name, so they are all the model can learn
    about; broadcasters, newspapers and photo agencies stay with the rules.
    """
    own = {publisher, registry.owner_of(publisher)}
    out: dict[str, Candidate] = {}

    def candidate(agency: str) -> Candidate | None:
        if agency in own or agency.startswith("unknown:") or agency not in registry:
            return None
        if registry.get(agency).kind != "news_agency":
            return None
        if agency not in out:
            out[agency] = Candidate(agency)
            owner = registry.owner_of(publisher)
            out[agency].mark(
                "site_is_agency",
                float(owner is not None and registry.get(owner).kind == "news_agency"),
            )
        return out[agency]

    by_agency: dict[str, list[Mention]] = {}
    for mention in _mentions(text, registry):
        by_agency.setdefault(mention.agency, []).append(mention)
    for agency, mentions in by_agency.items():
        if (c := candidate(agency)) is None:
            continue
        c.features["text_count"] = math.log1p(len(mentions))  # all of them, read or not
        # An agency's first and last mentions carry what its features can say (a dateline,
        # an end credit, the cues around a citation); a hostile page naming it thousands
        # of times must not cost time in proportion.
        if len(mentions) > 2 * _MENTIONS_READ:
            mentions = mentions[:_MENTIONS_READ] + mentions[-_MENTIONS_READ:]
        for mention in mentions:
            _text_features(text, mention, c)
            c.places.append(f"text:{mention.start}")
            c.texts.append(text[max(0, mention.start - 40) : mention.end + 40])
    #: A text said by several pieces (a credit in the metadata and in a box, a caption found
    #: by the profile and in the tree) is looked up once.
    named_in: dict[str, list[Mention]] = {}
    for piece in pieces:
        if piece.text not in named_in:
            named_in[piece.text] = registry.find(piece.text)
        for mention in named_in[piece.text]:
            if (c := candidate(mention.agency)) is not None:
                _piece_features(piece, c, registry)
                c.places.append(piece.where)
                c.texts.append(piece.text)
    for located in found:
        for agency in located.finding.agencies:
            if (c := candidate(agency)) is not None:
                c.mark(f"read_{located.finding.kind}")
    for hop in chain:
        for agency in hop:
            if (c := candidate(agency)) is not None:
                c.mark("in_rules_chain")
    for c in out.values():
        c.features.setdefault("text_count", 0.0)
    return out
