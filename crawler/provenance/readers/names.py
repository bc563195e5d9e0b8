"""What every reader shares: the finding it returns, and how a credited name is resolved.

A credited name comes dressed (``Agencia EFE``, ``AP Photo``, ``the Associated Press``,
``afp.com``) and sits among people (``Jane Doe/Reuters``); these helpers undress it, tell
a person from an organisation, and read a slash chain into hops, origin first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from crawler.provenance.readers.conventions import (
    AGENCY_NOUNS,
    ARTICLES,
    NAME_SUFFIXES,
    ORG_WORDS,
    PARTICLES,
)
from crawler.provenance.readers.patterns import (
    _CUE_WORDS,
    _DOMAIN,
    _INITIALS,
    _LIST_SPLIT,
    _PRODUCT,
    _VACCINE_BEFORE,
)
from crawler.registry import Mention, Registry, is_acronym, load_registry

Hops = tuple[tuple[str, ...], ...]

CONFIDENCE = {
    "credit_line": 0.95,
    "dateline": 0.9,
    "photo_credit": 0.9,
    "byline": 0.8,
    "in_text": 0.6,
}


@dataclass(frozen=True)
class Finding:
    """One piece of evidence: where it is, what it says, how sure the reader is.

    ``agencies`` lists registry ids in the order the text gives them (origin first for
    chains); names a credit line states but the registry does not know are kept as
    ``unknown:<name as written>`` so a curator can add them. ``hops`` is the chain the span
    states (one tuple per hop, several ids when one hop names several sources); in-text
    citations state no chain, so theirs is empty.
    """

    kind: str
    text: str
    agencies: tuple[str, ...]
    hops: Hops
    start: int
    confidence: float


def _registry(registry: Registry | None) -> Registry:
    return registry if registry is not None else load_registry()


#: The readers' patterns of a few characters, compiled once: asked of every name and word
#: of every credit, where a pattern given as a string is looked up in ``re``'s cache first.
_SPACES = re.compile(r"\s+")
_NOT_NAME_CHARS = re.compile(r"[:;!?()]")
_PERSON_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*|[^\W\d_]\.")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’-]*) $")
_NOT_LETTERS = re.compile(r"[^a-z]")
_LEAD_DECORATION = re.compile(r"[\s\-–—•*|>]*")
_END_STOPS = re.compile(r"(?<=[\w)])\.+$")


def _clean(name: str) -> str:
    return _SPACES.sub(" ", name).strip(" \t\n.,;:()[]«»\"'’-–—©|*•")


def _strip_words(name: str, words: tuple[str, ...], *, prefix: bool) -> str | None:
    """``name`` without one of ``words`` in front (or behind), if it had one."""
    folded = name.casefold().replace("’", "'")
    for word in _longest_first(words):
        if prefix and folded.startswith(word) and len(name) > len(word):
            rest = name[len(word) :]
            if word.endswith("'") or rest[:1].isspace():
                return rest.strip()
        if not prefix and folded.endswith(" " + word):
            return name[: -len(word)].strip()
    return None


@cache
def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    """The word tables sorted once, not at every name (``words`` is a module-level table)."""
    return tuple(sorted(words, key=len, reverse=True))


def _candidates(name: str) -> list[tuple[str, bool]]:
    """Forms of a credited name to try, each with whether case may be relaxed.

    Why relax: after an agency noun (``Agencia Efe``) or in a domain (``afp.com``) the
    context already says "this is an agency", so ``Efe``/``afp`` may stand for ``EFE``/``AFP``.
    """
    out = [(name, False)]
    bare = _strip_words(name, ARTICLES, prefix=True)
    if bare:
        out.append((bare, False))
    for form in [name, *([bare] if bare else [])]:
        noun = _strip_words(form, AGENCY_NOUNS, prefix=True)
        if noun:
            out.append((noun, True))
        suffix = _strip_words(form, NAME_SUFFIXES, prefix=False)
        if suffix:
            out.append((suffix, False))
    domain = _DOMAIN.match(name)
    if domain:
        out.append((domain.group("label"), True))
    return out


def _resolve(name: str, registry: Registry, *, loose: bool = False) -> str | None:
    """The registry id a credited name stands for, trying its undressed forms."""
    return _resolve_in(name, registry, loose)


@lru_cache(maxsize=16_384)
def _resolve_in(name: str, registry: Registry, loose: bool) -> str | None:
    """``_resolve``, remembered: an outlet credits the same few names (``Xinhua``, ``VNA``,
    ``Photo : AFP``) on thousands of pages, so each is undressed once, not once a page. A
    registry is never changed once built."""
    name = _clean(name)
    if not name:
        return None
    for candidate, relaxed in _candidates(name):
        found = registry.resolve(candidate)
        if found is None and (loose or relaxed):
            found = registry.resolve(candidate.upper())
        if found is not None:
            return found
    return None


def _looks_like_name(text: str) -> bool:
    """Short, capitalised, no verbs: ``The Local``, ``FMW``, ``Agência Brasil``."""
    words = text.split()
    if not 1 <= len(words) <= 5 or not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    if _NOT_NAME_CHARS.search(text):
        return False
    return all(
        w[0].isupper()
        or w[0].isdigit()
        or w.casefold() in PARTICLES
        or w[:2].casefold() in PARTICLES
        for w in words
    )


def _looks_like_person(text: str) -> bool:
    """``Jane Doe``, ``Joshua Roberts``: two to four capitalised words, no article, no org word.

    Why: credit lines mix sources with the people who wrote or photographed (``Jane Doe/
    Reuters``); a person is not a hop, while an unknown organisation (``The Local``) is.
    """
    words = text.split()
    if not 2 <= len(words) <= 4 or words[0].casefold() in ARTICLES:
        return False
    if any(w.casefold().strip(".") in ORG_WORDS for w in words):
        return False
    return all(_PERSON_WORD.fullmatch(w) and w[0].isupper() and not w.isupper() for w in words)


def _split_list(text: str) -> list[str]:
    return [p for p in (_clean(x) for x in _LIST_SPLIT.split(text)) if p]


def _is_product(text: str, mention: Mention) -> bool:
    """``Sputnik V``, ``Sputnik Light``, ``le vaccin Sputnik``: a product, not the agency."""
    before = text[max(0, mention.start - 30) : mention.start]
    after = text[mention.end : mention.end + 20]
    return bool(_PRODUCT.match(after) or _VACCINE_BEFORE.search(before))


def _is_surname(text: str, mention: Mention) -> bool:
    """``Michael Bloomberg``: a one-word, non-acronym name right after a given name.

    Acronyms (``AP``, ``dpa``) and multi-word names are never surnames; a capitalised word
    that belongs to a cue (``Selon Sputnik``, ``By Reuters``) is not a given name.
    """
    alias = mention.alias
    if " " in alias or is_acronym(alias) or not alias[:1].isupper():
        return False
    before = _WORD_BEFORE.search(text[max(0, mention.start - 40) : mention.start])
    if before is None:
        return False
    word = before.group(1)
    folded = word.replace("’", "'").casefold().strip("'")
    return word[0].isupper() and folded not in _CUE_WORDS


def _mentions(text: str, registry: Registry) -> list[Mention]:
    """Agency names in free text, without products and surnames."""
    return list(_text_mentions(text, registry))


@lru_cache(maxsize=4)
def _text_mentions(text: str, registry: Registry) -> tuple[Mention, ...]:
    """Read once per text: the in-text reader and the model's features both ask for an
    article's mentions, and a page of thousands of credits has tens of thousands."""
    return tuple(
        m for m in registry.find(text) if not _is_product(text, m) and not _is_surname(text, m)
    )


def _finding(kind: str, text: str, start: int, hops: Hops, confidence: float) -> Finding:
    agencies = tuple(dict.fromkeys(a for hop in hops for a in hop))
    return Finding(kind, text, agencies, hops, start, round(confidence, 2))


def _only_publisher(hops: Hops, publisher: str | None) -> bool:
    """The publisher signing its own copy (``Le Placentin``, ``Le Placentin/Rédaction``)."""
    known = {a for hop in hops for a in hop if not a.startswith("unknown:")}
    return publisher is not None and known <= {publisher}


def _without_own_mark(hops: Hops, publisher: str | None) -> Hops:
    """``FMW/Bloomberg`` on finanzmarktwelt.de: an unknown capitals hop whose letters, in
    order, spell out the publisher's site name (``FMW`` in ``FinanzMarktWelt``) is the
    publisher's own mark (as ``dpa/lby`` puts a desk's initials), never a source of its own."""
    if publisher is None:
        return hops
    site = _NOT_LETTERS.sub("", publisher.split(".")[0].casefold())
    kept = tuple(h for h in hops if not (len(h) == 1 and _abbreviates(h[0], site)))
    return kept if kept else hops


def _abbreviates(hop_id: str, site: str) -> bool:
    if not hop_id.startswith("unknown:"):
        return False
    name = hop_id.removeprefix("unknown:")
    if not _OWN_MARK.fullmatch(name) or not site.startswith(name[0].casefold()):
        return False
    rest = iter(site)
    return all(letter in rest for letter in name.casefold())


#: An outlet's mark in a chain: two to five capitals (``FMW``, ``SZ``).
_OWN_MARK = re.compile(r"[A-Z]{2,5}")


# --------------------------------------------------------------------------------------------
# Chains: ``Xinhua/VNA/CVN``, ``AFP/The Local``, ``Robyn Beck/AFP/Getty Images``
# --------------------------------------------------------------------------------------------


def _hop(part: str, registry: Registry, *, loose: bool) -> tuple[str, ...]:
    """The known ids in one hop (``AFP, Reuters`` is one hop of two)."""
    found = (i for n in _split_list(part) for i in _joint(n, registry, loose=loose))
    return tuple(dict.fromkeys(f for f in found if f is not None))


def _joint(name: str, registry: Registry, *, loose: bool) -> tuple[str | None, ...]:
    """``EPA-EFE``: agencies that credit jointly are joined by a hyphen, and both are the
    source. Only when every side is an agency of its own; ``France-Presse`` or
    ``Interfax-Ukraine`` (a side that is no agency) is one name."""
    sides = name.split("-") if "-" in name and " " not in name else ()
    if len(sides) >= 2:
        ids = [_resolve(s, registry, loose=loose) for s in sides]
        if all(ids) and len(set(ids)) == len(ids):
            return tuple(ids)
    return (_resolve(name, registry, loose=loose),)


def _chain(parts: Sequence[str], registry: Registry, *, unknown: str) -> Hops | None:
    """Hops for the parts of a chain, origin first, or None when no part is a known agency.

    ``unknown`` says what to do with a part the registry does not know: ``keep`` it as
    ``unknown:<name>`` (a credit line states only sources, so an unknown one is still a
    source), or ``drop`` it (bylines and photo credits mix sources with people). Lower-case
    chains (``afp/vna/cvn``) are read case-blind only when every part resolves that way;
    short lower-case parts are initials (``(vyp/kna)``, ``(dpa/lby)``) and never a hop.
    """
    if any(not p.strip() or p.strip().isdigit() for p in parts):
        return None
    if not any(c.isupper() for p in parts for c in p):
        loose = [_hop(p, registry, loose=True) for p in parts]
        if all(loose):
            return tuple(loose)
    hops: list[tuple[str, ...]] = []
    for part in parts:
        hop = _hop(part, registry, loose=False)
        name = _clean(part)
        if hop:
            hops.append(hop)
        elif _INITIALS.fullmatch(name) or _looks_like_person(name):
            continue
        elif unknown == "keep" and _looks_like_name(name):
            hops.append((f"unknown:{name}",))
        elif unknown == "keep":
            return None
    return tuple(hops) if _grounded(hops, registry) else None


def _grounded(hops: Sequence[tuple[str, ...]], registry: Registry) -> bool:
    """A chain needs a known hop; beside an unknown one, a known *agency* (not an outlet).

    ``FMW/Bloomberg`` is a credit, ``Paris / La Gazette`` (a place and an outlet) is not.
    """
    ids = [a for hop in hops for a in hop]
    known = [a for a in ids if not a.startswith("unknown:")]
    if len(known) == len(ids):
        return bool(known)
    return any(registry.get(a).kind != "outlet" for a in known)


def _trim(text: str) -> tuple[str, int]:
    """The credit without decoration: leading dashes/bullets, trailing full stop."""
    match = _LEAD_DECORATION.match(text)
    start = match.end() if match else 0
    span = text[start:].rstrip()
    span = _END_STOPS.sub("", span).rstrip()
    return span, start
