"""The readers' regular expressions, built once at import from the conventions tables.

Why built, not written: a cue phrase in conventions.toml becomes a pattern here (spaces as any
run of spaces, either apostrophe, ``…`` for up to three words), so no reader holds a
hand-written list of words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.provenance.readers.conventions import (
    ADDRESSEE,
    AFTER_AUXILIARIES,
    AGENCIES_PLURAL,
    AGENCY_NOUNS,
    BYLINE_OPENERS,
    BYLINE_SOURCE_CUES,
    BYLINE_WORDS,
    CITE_AFTER,
    CITE_BEFORE,
    CLAUSE_WORDS,
    CONTRIBUTED,
    CREDIT_LABELS,
    CUE_EXTRA_WORDS,
    DESCRIPTORS,
    GAP_ARTICLES,
    GAP_MODIFIERS,
    GAP_TIME_WORDS,
    LIST_JOINERS,
    PARTICLES,
    PERSON_PRONOUNS,
    PHOTO_LABELS,
    SOURCE_NOTES,
    SPEECH_VERBS,
    UNNAMED_AGENCIES,
    WITH_CUES,
)

#: Lower-case words a byline may put before an agency name (``Par X avec AFP``).
_BYLINE_WORDS = (
    frozenset(
        w.casefold()
        for phrase in (*BYLINE_OPENERS, *AGENCY_NOUNS, *BYLINE_WORDS)
        for w in phrase.split()
    )
    | PARTICLES
)


def _word(token: str) -> str:
    """One word of a phrase: apostrophes match both ' and ’, a glued ``l'`` needs no space."""
    return re.escape(token).replace("'", "['’]")


#: Scripts written without spaces (Chinese, Japanese kana, Korean, Thai): a cue in them
#: touches the name (``路透社报道``, ``共同通信によると``), so it gets no word boundary.
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _phrase(phrase: str, head: bool = True) -> str:
    """A cue phrase as a regex: words separated by any space, ``…`` = up to three words.

    Word phrases get word boundaries; ``, so`` may follow a word directly; a phrase ending in
    an apostrophe (``all'``) may touch the name. ``head=False`` leaves out the boundary
    before the phrase, for an alternation that puts one before all its phrases.
    """
    out, previous = "", None
    for token in phrase.split():
        if token == "…":
            out += r"(?:\s+[^\s.;:!?,()]+){0,3}?"
        else:
            if previous is not None:
                out += r"\s*" if previous == "," else r"\s+"
            out += _word(token)
        previous = token
    spaced = head and phrase[:1].isalnum() and not _UNSPACED.match(phrase[:1])
    tail = r"(?!\w)" if phrase[-1:].isalnum() and not _UNSPACED.match(phrase[-1:]) else ""
    return (r"(?<!\w)" if spaced else "") + out + tail


def _alternation(phrases: Iterable[str], heads: bool = True) -> str:
    r"""Longest first, so ``a rapporté`` wins over ``rapporté``. ``heads=False`` for an
    alternation behind ``(?<!\w)`` already: tested again by each phrase, that boundary was
    most of the work of a search that tries every phrase at every character."""
    unique = sorted(set(phrases), key=len, reverse=True)
    return "|".join(_phrase(p, heads) for p in unique)


def _all(table: dict[str, tuple[str, ...]]) -> list[str]:
    return [p for phrases in table.values() for p in phrases]


_SPEECH_CUES = [
    f"{verb} … {to}"
    for lang, verbs in SPEECH_VERBS.items()
    for verb in verbs
    for to in ADDRESSEE[lang]
]
_SPACED_ARTICLES = [a for a in GAP_ARTICLES if not a.endswith("'")]
_ART = rf"(?:(?:{_alternation(_SPACED_ARTICLES)})\s+|[lL]['’])"
_GAP = (
    rf"\s*(?:(?:{_alternation(GAP_TIME_WORDS)})\s+){{0,2}}"
    rf"(?:{_ART})?"
    rf"(?:(?:{_alternation(GAP_MODIFIERS)}|[a-z]+-[a-z]+)\s+){{0,2}}"
    rf"(?:(?:{_alternation(DESCRIPTORS)})"
    rf"(?:\s+(?!(?:{_alternation(CLAUSE_WORDS)}))[\w'’.-]+){{0,5}}\s+)?"
)


class _PhraseSearch:
    """``pattern.search`` for a pattern that can only start where one of ``phrases`` does.

    A search tries every alternative of a long cue alternation at every character of the
    text; this tries the pattern only where a word starts that some phrase starts with
    (``selon``, ``according``, ``,``), which gives the same leftmost match for a fraction of
    the work. It holds because every phrase's first word is a whole word in the pattern
    (``_phrase`` puts word boundaries around it), which tests/provenance check against a
    plain search. A phrase in a script without spaces (``据``) is tried wherever its first
    character stands.
    """

    _TOKEN = re.compile(r"\w+|[^\w\s]")

    def __init__(self, pattern: re.Pattern[str], phrases: Iterable[str]) -> None:
        self.pattern = pattern
        phrases = list(phrases)
        self.starts = frozenset(self._TOKEN.match(p).group().casefold() for p in phrases)  # type: ignore[union-attr]  # every phrase starts with a word or a sign
        #: Phrases in scripts without spaces start anywhere inside a run of letters.
        glued = sorted({p[0] for p in phrases if _UNSPACED.match(p[:1])})
        self.glued = re.compile("[" + "".join(map(re.escape, glued)) + "]") if glued else None

    def search(self, text: str) -> re.Match[str] | None:
        starts = [
            t.start() for t in self._TOKEN.finditer(text) if t.group().casefold() in self.starts
        ]
        if self.glued is not None:
            starts = sorted({*starts, *(m.start() for m in self.glued.finditer(text))})
        for start in starts:
            found = self.pattern.match(text, start)
            if found is not None:
                return found
        return None


_CITE_BEFORE_PHRASES = [*_all(CITE_BEFORE), *_SPEECH_CUES]
_CITE_BEFORE = _PhraseSearch(
    re.compile(
        rf"(?P<cue>{_alternation(_CITE_BEFORE_PHRASES)})(?P<gap>{_GAP})$",
        re.IGNORECASE,
    ),
    _CITE_BEFORE_PHRASES,
)
_DESCRIPTOR_BEFORE = _PhraseSearch(
    re.compile(
        rf"(?P<cue>{_alternation(DESCRIPTORS)})"
        rf"(?P<gap>(?:\s+(?!(?:{_alternation(CLAUSE_WORDS)}))[\w'’.-]+){{0,3}}\s+)$",
        re.IGNORECASE,
    ),
    DESCRIPTORS,
)
#: After the name: a case suffix glued by an apostrophe (Turkish ``Reuters'a göre``,
#: ``AFP'nin bildirdiğine göre``), then auxiliaries, then the cue.
_CITE_AFTER = re.compile(
    r"(?:['’]\w{1,6})?"
    rf"\s*(?:(?:{_alternation(AFTER_AUXILIARIES)})\s+){{0,3}}"
    rf"(?P<cue>{_alternation(_all(CITE_AFTER))})"
    rf"(?P<person>\s+(?:that\s+)?(?:{_alternation(PERSON_PRONOUNS)}))?",
    re.IGNORECASE,
)
_LIST_GAP = re.compile(rf"\s*(?:{_alternation(LIST_JOINERS)})\s*(?:{_ART})?\s*", re.IGNORECASE)
#: Every word a cue, article or descriptor is made of: a capitalised one before an agency name
#: is the cue (``Selon Sputnik``), any other capitalised word is a given name (``Michael
#: Bloomberg``).
_CUE_WORDS = frozenset(
    w.strip("'").casefold()
    for phrase in (
        *_all(CITE_BEFORE),
        *_all(CITE_AFTER),
        *_SPEECH_CUES,
        *DESCRIPTORS,
        *GAP_ARTICLES,
        *GAP_MODIFIERS,
        *GAP_TIME_WORDS,
        *BYLINE_OPENERS,
        *BYLINE_SOURCE_CUES,
        *_all(WITH_CUES),
        *AGENCY_NOUNS,
        *PHOTO_LABELS,
        *CUE_EXTRA_WORDS,
    )
    for token in phrase.replace("’", "'").split()
    for w in (token, *token.split("'"))
    if w.strip("'")
)

_CREDIT_LABEL = re.compile(
    rf"^(?P<label>{_alternation(_all(CREDIT_LABELS))})\s*[:：]\s*(?P<rest>.+)$", re.IGNORECASE
)
_WITH_BARE = re.compile(
    rf"^(?P<cue>{_alternation(_all(WITH_CUES))})\s+(?P<rest>.+)$", re.IGNORECASE
)
_WITH_OUTLET = re.compile(
    rf"^(?P<outlet>.+?)\s+(?P<cue>{_alternation(_all(WITH_CUES))})\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"(?:©|\([cC]\)|\b(?:image|photo)?\s*copyright\b)\s*(?:©\s*)?(?:\d{4}\s*)?(?P<holder>[^.;|]+)",
    re.IGNORECASE,
)
#: A copyright opens a credit line or follows a closed clause (``(Reporting by ...) © Reuters``).
_AFTER_CLAUSE = re.compile(r"(?:^|[)\].!?]\s*)$")
_CONTRIBUTED = re.compile(_alternation(CONTRIBUTED), re.IGNORECASE)
_UNNAMED = re.compile(
    rf"(?:(?<!\w)(?:avec|with|mit|con|com|and|et|und|y|e|&)\s+(?:les\s+|the\s+)?|\(\s*)"
    rf"(?:{_alternation(UNNAMED_AGENCIES)})",
    re.IGNORECASE,
)
_BYLINE_SOURCES = re.compile(
    rf"\(\s*(?P<cue>{_alternation(BYLINE_SOURCE_CUES)})\s*:?\s*(?P<names>[^()]+)\)", re.IGNORECASE
)
_BYLINE_OPENER = re.compile(rf"^(?:{_alternation(BYLINE_OPENERS)})\s*:?\s+", re.IGNORECASE)
_AGENCY_NOUN_NAME = re.compile(
    rf"(?<!\w)(?:{_alternation(AGENCY_NOUNS, heads=False)})\s+(?P<name>[^\W\d_][\w-]*)",
    re.IGNORECASE,
)
_PHOTO_LABEL = re.compile(
    rf"(?<!\w)(?P<label>{_alternation(PHOTO_LABELS, heads=False)})"
    r"(?:\s*[:.：=]\s*|\s+(?:by|par|von|de|of)\s*:?\s+|\s+)(?P<credit>[^\n|()\[\]]+?)\s*(?=[|)\]]|$)",
    re.IGNORECASE,
)
#: A photo label opening the whole string (``Foto: X``, ``Снимка: Getty Images``): an image's
#: credit, whatever place it was found in. Labels that also open a source line (``Zdroj``,
#: ``Fuente``) say nothing of the kind.
_PHOTO_OPENER = re.compile(
    rf"^\s*(?:{_alternation(tuple(set(PHOTO_LABELS) - set(_all(CREDIT_LABELS))))})\s*[:：]",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\((?P<a>[^()]+)\)|\[(?P<b>[^\[\]]+)\]")
_RESTATED = re.compile(r"[\s(]*")
_SENTENCE_END = re.compile(r"[.!?…»”\"]\s+")
_HOP_SPLIT = re.compile(r"\s*/\s*")
_BYLINE_SEPARATOR = re.compile(r"[,;|·/()\n]|\s[-–—]\s|\s(?:and|et|y|und|e|&)\s", re.I)
_FIELD_SPLIT = re.compile(r"\s+[-–—|·•]\s+|\s*\|\s*")
#: Hops of an image credit: ``Jane Doe/AFP``, ``AFP - Getty``, ``NASA via AP``, and the
#: agency then the site that ran it, set apart by a bar (``EFE | Confidencial``).
_PHOTO_HOP_SPLIT = re.compile(r"\s*/\s*|\s+[-–|]\s+|\s+(?:via|vía|über)\s+", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"\s*(?:,|;|&|\+|\b(?:et|and|y|und|e)\b)\s*")
_DOMAIN = re.compile(r"^(?P<label>[a-z0-9-]+)\.(?:com|fr|de|org|net|es|it|co\.uk|info)$", re.I)
_INITIALS = re.compile(r"[a-z]{1,4}")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_RIGHTS = re.compile(
    r"all rights reserved|tous droits réservés|alle rechte vorbehalten"
    r"|todos los derechos reservados",
    re.I,
)
_PRODUCT = re.compile(
    r"^\s+(?:[BCDFGHJKLNPQRSTUVWXZ](?![\w'’])(?!\.\w)|Light\b|vacc\w*|Impfstoff\w*|vacuna\w*)"
)
_VACCINE_BEFORE = re.compile(r"(?:vacc\w*|Impfstoff\w*|vacuna\w*)\s+(?:\w+\s+)?$", re.I)

_DATELINE = re.compile(
    r"(?P<place>[^\n()]{0,80}?)\s*\((?P<names>[^()\n]{1,40})\)\s*(?P<dash>\.?\s*[-–—]+|:)"
)
_DATE = (
    r"(?:[^\W\d_]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+[^\W\d_]{3,9}\.?\s+\d{4}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
)
_PLACE_WORD = r"[^\W\d_][\w'’.-]*"
_AGENCY_FIRST = re.compile(
    rf"(?P<agency>[^,\n]{{2,40}}?)\s*,\s*(?P<place>{_PLACE_WORD}(?:[ ]{_PLACE_WORD}){{0,3}})"
    rf"(?:\s*,\s*(?P<date>{_DATE}))?(?=\s*(?:[,:|\n–—-]|$))"
)
_DATELINE_WINDOW = 150
#: find_end_credit looks at most this many lines back, stopping at the first long one.
_END_LINES = 4
_SHORT_LINE = 80
#: find_lead_credit looks at the first lines within this many characters.
_LEAD_WINDOW = 400
_LEAD_LINES = 3
#: A source note is distinct enough to be looked for further into the body.
_NOTE_LINES = 8
_NOTE_WINDOW = 1500
#: ``Mit Informationen der ARD-Korrespondenten sowie der Nachrichtenagenturen AFP, AP und
#: dpa.``: the note, at most a clause, the plural, then the names up to the sentence's end.
_SOURCE_NOTE = re.compile(
    rf"^(?:{_alternation(SOURCE_NOTES)})\b[^.!?\n]{{0,160}}?"
    rf"(?:{_alternation(AGENCIES_PLURAL)})\s+(?P<names>[^.!?\n]+)",
    re.IGNORECASE,
)
#: A byline is a name or two, an agency, a date; longer text is a sentence, not a byline.
_BYLINE_MAX_WORDS = 20
_LINE = re.compile(r"[^\n]+")
