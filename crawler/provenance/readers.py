"""Readers of provenance evidence: what a located credit string says about where a copy came from.

Why plain functions over text: the spider and the outlet profile decide *where* evidence sits
(the raw page, before trafilatura drops bylines, captions and footers); these functions only
decide *what* one string says. Kept free of Scrapy, they read like a specification and any
profile, pipeline or benchmark can call them.

Each reader returns :class:`Finding` values naming registry ids. The conventions covered:

* credit lines (``Xinhua/VNA/CVN``, ``Source : Sputnik``, ``Le Monde avec AFP``, ``© Reuters``,
  ``... merece». EFE``): chains read left to right, origin first, publisher last;
* bylines (``Minh Duc (selon RT, Sputnik)``, ``By Reuters``, ``Meg Kinnard, Associated Press``);
* datelines (``PARIS (AFP) -``, ``Madrid, 5 nov (EFE).-``, ``Reuters, Washington``);
* photo credits (``Photo : AFP/VNA/CVN``, ``Robyn Beck/AFP/Getty Images``, ``(NASA via AP)``);
* in-text attributions (``selon l'agence TASS``, ``told Reuters``, ``laut dpa``, ``según EFE``).

Matching leans on :class:`crawler.registry.Registry`: names are whole tokens, short capitals
(``AP``, ``RT``) match only in capitals, and ``AP-HP`` or ``RT @user`` never count. On top of
that the readers refuse what the registry cannot see: a surname that happens to be an agency
(``Michael Bloomberg``), a product named after one (``Sputnik V``), journalists' initials in a
German credit (``(vyp/kna)``), and an outlet signing its own article (``publisher=``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from crawler.registry import Mention, Registry, is_acronym, load_registry

__all__ = [
    "Finding",
    "find_end_credit",
    "find_lead_credit",
    "read_byline",
    "read_credit_line",
    "read_dateline",
    "read_in_text",
    "read_photo_credit",
]

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


# --------------------------------------------------------------------------------------------
# Word tables. Cue patterns are built from these at import: adding a language means adding
# phrases here, not writing a new regular expression.
# --------------------------------------------------------------------------------------------

#: Labels that introduce a credit line: ``Source : Sputnik``, ``Quelle: dpa-AFX``.
CREDIT_LABELS: dict[str, tuple[str, ...]] = {
    "fr": ("source", "sources", "crédit", "crédits"),
    "en": ("source", "sources", "credit", "credits"),
    "de": ("quelle", "quellen"),
    "es": ("fuente", "fuentes"),
    "it": ("fonte", "fonti"),
    "pt": ("fonte", "fontes"),
    "nl": ("bron",),
    "pl": ("źródło",),
}

#: Phrases after which a credit names the agencies a story was written with
#: (``Le Monde avec AFP``, ``(Con información de AFP, EFE y Reuters)``).
WITH_CUES: dict[str, tuple[str, ...]] = {
    "fr": ("avec", "d'après", "selon", "avec la collaboration de"),
    "en": (
        "with",
        "with reporting by",
        "with reporting from",
        "additional reporting by",
        "additional reporting from",
        "with additional reporting by",
        "with additional reporting from",
        "with files from",
    ),
    "de": ("mit", "mit Material von", "nach Angaben von", "laut"),
    "es": ("con", "con información de", "con informaciones de", "según"),
    "it": ("con", "secondo"),
    "pt": ("com", "com informações de", "com informações da", "segundo"),
}

#: Words saying a credit is "agencies" without naming them (``Par Y avec agences``).
UNNAMED_AGENCIES = ("agences", "agencies", "Agenturen", "agencias", "agenzie", "agências", "wires")

#: Phrases marking a contribution line (``AP writers ... contributed to this report``).
CONTRIBUTED = (
    "contributed to this report",
    "contributed to this story",
    "contributed reporting",
    "a contribué à cet article",
    "ont contribué à cet article",
    "zu diesem Bericht beigetragen",
)

#: Words that only dress an agency name: ``Dépêche AFP``, ``Agencia EFE``, ``Getty Images``,
#: ``AP Photo``, ``Bloomberg News``. Stripped before resolving a name in a credit.
AGENCY_NOUNS = (
    "dépêche",
    "agence de presse",
    "agence",
    "news agency",
    "agency",
    "nachrichtenagentur",
    "agentur",
    "agencia de noticias",
    "agencia",
    "agenzia di stampa",
    "agenzia",
    "agência de notícias",
    "agência",
)
NAME_SUFFIXES = (
    "photo",
    "photos",
    "foto",
    "fotos",
    "images",
    "pictures",
    "news",
    "file",
    "archives",
)
ARTICLES = ("the", "l'", "la", "le", "les", "el", "los", "lo", "il", "die", "der", "das", "a", "o")


def _words(text: str) -> tuple[str, ...]:
    """A word table written as one string, for long lists of short words."""
    return tuple(text.split())


#: Words that make a name an organisation's, not a person's (``The Local``, ``Fox News``).
ORG_WORDS = frozenset(
    _words(
        "news press presse times post agency agence agencia agenzia agência media radio tv "
        "television télévision journal daily herald tribune gazette courier courrier zeitung "
        "nachrichten noticias diario local network group wire wires service services pictures "
        "images photos foto club institute ministry ministère"
    )
)

#: Words allowed inside a multi-word name that is not capitalised (``Le Courrier du Vietnam``).
PARTICLES = frozenset(
    _words(
        "de du des d' l' la le les the of and et y e und von der die das da do dos di del della "
        "van den for für am an im sur"
    )
)

#: Byline openers (``Par AFP``, ``By Reuters``, ``Von dpa``, ``Por Agencia EFE``).
BYLINE_OPENERS = ("par", "by", "von", "por", "di", "door", "av", "przez", "de", "texte", "texto")

#: Lower-case words a byline may put before an agency name (``Par X avec AFP``).
_BYLINE_WORDS = (
    frozenset(
        w.casefold()
        for phrase in (*BYLINE_OPENERS, *AGENCY_NOUNS, "avec", "with", "mit", "con", "com", "und")
        for w in phrase.split()
    )
    | PARTICLES
)

#: Phrases inside a byline's parentheses that name its sources (``Minh Duc (selon RT, Sputnik)``).
BYLINE_SOURCE_CUES = (
    "selon",
    "d'après",
    "avec",
    "source",
    "sources",
    "theo",
    "according to",
    "via",
    "with",
    "from",
    "nach",
    "laut",
    "mit",
    "quelle",
    "según",
    "con",
    "fuente",
    "secondo",
    "fonte",
    "segundo",
    "com",
)

#: Labels in front of a photo credit (``Photo : AFP/VNA/CVN``, ``Foto: dpa``, ``[File: Reuters]``).
PHOTO_LABELS = (
    "photo",
    "photos",
    "photographie",
    "photograph",
    "photography",
    "crédit photo",
    "crédits photo",
    "crédit",
    "credit",
    "photo credit",
    "image",
    "images",
    "source",
    "sources",
    "illustration",
    "foto",
    "fotos",
    "fotografía",
    "bild",
    "bilder",
    "quelle",
    "fuente",
    "fonte",
    "file",
    "archives",
    "archiv",
    "archivo",
    "cortesía",
    "courtesy",
    "courtoisie",
)

#: Month names and abbreviations that may sit in a dateline (``Moscou, 13 septembre (Reuters)``).
MONTH_NAMES: dict[str, str] = {
    "fr": "janvier février fevrier mars avril mai juin juillet août aout septembre octobre "
    "novembre décembre decembre janv févr fév avr juil sept oct nov déc dec",
    "en": "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec",
    "de": "januar februar märz april mai juni juli august september oktober november dezember "
    "jan feb mär apr aug sep okt nov dez",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre "
    "noviembre diciembre ene feb mar abr may jun jul ago sep oct nov dic",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre gen feb mar apr mag giu lug ago set ott nov dic",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro jan fev mar abr mai jun jul ago set out nov dez",
}
MONTHS = frozenset(w for names in MONTH_NAMES.values() for w in _words(names))

# In-text attribution -------------------------------------------------------------------------

#: Cues that come before the cited name (``selon TASS``, ``told Reuters``, ``laut dpa``).
#: ``…`` stands for up to three words (``a déclaré son porte-parole à Keystone-ATS``).
CITE_BEFORE: dict[str, tuple[str, ...]] = {
    "fr": (
        "selon",
        "d'après",
        "cité par",
        "citée par",
        "cités par",
        "citées par",
        "rapporté par",
        "rapportés par",
        "relayé par",
        "relayée par",
        "repris par",
        "a rapporté",
        "ont rapporté",
        "rapporte",
        "rapportent",
        "a indiqué",
        "indique",
        "a annoncé",
        "annonce",
        "a écrit",
        "écrit",
        "a révélé",
        "révèle",
        "a précisé",
        "précise",
        "interview à",
        "interview accordée à",
        "entretien à",
        "entretien accordé à",
        "entretien avec",
        "interrogé par",
        "interrogée par",
        "contacté par",
        "contactée par",
        "joint par",
        "jointe par",
        "de source",
        "dépêche",
        "dépêches",
        "dépêche de",
        "via",
    ),
    "en": (
        "according to",
        "told",
        "reported",
        "reports",
        "writes",
        "wrote",
        "cited by",
        "quoted by",
        "reported by",
        "contacted by",
        "reviewed by",
        "seen by",
        "obtained by",
        "confirmed to",
        "in an email to",
        "in an e-mail to",
        "in a statement to",
        "in an interview with",
        "interview with",
        "an interview to",
        "citing",
        "per",
        "via",
    ),
    "de": (
        "laut",
        "laut einem Bericht von",
        "laut einem Bericht der",
        "Bericht von",
        "Bericht der",
        "berichtete",
        "berichtet",
        "berichten",
        "meldete",
        "meldet",
        "schreibt",
        "schrieb",
        "zitiert von",
        "unter Berufung auf",
        "nach Informationen von",
        "nach Informationen der",
        "gegenüber",
        ", so",
    ),
    "es": (
        "según",
        "de acuerdo con",
        "informó",
        "informa",
        "publicó",
        "reportó",
        "citado por",
        "citada por",
        "entrevista con",
        "en declaraciones a",
    ),
    "it": (
        "secondo",
        "riferisce",
        "ha riferito",
        "riporta",
        "scrive",
        "ha scritto",
        "citato da",
        "citata da",
        "stando a",
        "fa sapere",
    ),
    "pt": ("segundo", "de acordo com", "informou", "noticiou", "citado por", "citada por"),
}

#: Speech verbs and the word that turns them towards an addressee: ``a déclaré à``,
#: ``said ... to``, ``sagte der``, ``dijo a``, ``ha detto all'``. Crossed into "before" cues.
SPEECH_VERBS: dict[str, tuple[str, ...]] = {
    "fr": (
        "a déclaré",
        "a dit",
        "a indiqué",
        "a confié",
        "a précisé",
        "a expliqué",
        "a affirmé",
        "a assuré",
        "a raconté",
        "a ajouté",
        "a souligné",
        "a estimé",
        "a commenté",
        "ont déclaré",
        "ont indiqué",
        "déclare",
        "explique",
        "confie",
    ),
    "en": (
        "said",
        "spoke",
        "speaking",
        "talked",
        "talking",
        "explained",
        "confirmed",
        "added",
        "noted",
        "stated",
        "declined to comment",
        "wrote",
        "told",
    ),
    "de": ("sagte", "sagt", "erklärte", "erklärt", "bestätigte", "sagten", "betonte"),
    "es": (
        "dijo",
        "declaró",
        "explicó",
        "señaló",
        "aseguró",
        "confirmó",
        "indicó",
        "afirmó",
        "manifestó",
        "agregó",
        "añadió",
        "comentó",
        "sostuvo",
        "precisó",
        "advirtió",
        "detalló",
        "reconoció",
    ),
    "it": ("ha detto", "ha dichiarato", "ha spiegato", "ha confermato", "ha riferito"),
    "pt": ("disse", "declarou", "afirmou", "explicou", "confirmou"),
}
ADDRESSEE: dict[str, tuple[str, ...]] = {
    "fr": ("à", "au", "aux"),
    "en": ("to", "with"),
    "de": ("der", "dem", "gegenüber"),
    "es": ("a", "al"),
    "it": ("a", "al", "alla", "all'", "ad"),
    "pt": ("à", "ao", "a"),
}

#: Cues that come after the cited name (``Reuters reported``, ``KCNA indique``, ``informó EFE``
#: is a "before" cue). Auxiliaries (``has``, ``a``, ``hat``) are allowed in between.
CITE_AFTER: dict[str, tuple[str, ...]] = {
    "fr": (
        "rapporte",
        "rapporté",
        "rapportent",
        "indique",
        "indiqué",
        "annonce",
        "annoncé",
        "écrit",
        "précise",
        "précisé",
        "affirme",
        "affirmé",
        "révèle",
        "révélé",
        "relate",
    ),
    "en": (
        "reported",
        "reports",
        "report",
        "said",
        "says",
        "wrote",
        "writes",
        "learned",
        "quoted",
        "cited",
        "confirmed",
    ),
    "de": (
        "berichtete",
        "berichtet",
        "berichten",
        "meldete",
        "meldet",
        "schreibt",
        "schrieb",
        "zufolge",
        "zitiert",
    ),
    "es": ("informó", "informa", "publicó", "reportó", "señaló", "indicó", "dijo"),
    "it": ("riferisce", "riferito", "scrive", "scritto", "riporta", "riportato"),
    "pt": ("informou", "noticiou", "publicou", "relatou"),
}
#: Cues too common to be sure of (``via`` also credits photos; ``said`` also follows people).
WEAK_CUES = frozenset({"via", "per", "said", "says", "dijo", ", so", "de source"})
AFTER_AUXILIARIES = (
    "news agency",
    "agency",
    "agence",
    "wire",
    "has",
    "have",
    "had",
    "also",
    "first",
    "earlier",
    "later",
    "a",
    "ont",
    "aussi",
    "également",
    "déjà",
    "hat",
    "haben",
    "hatte",
    "auch",
    "ha",
    "han",
    "también",
    "anche",
    "já",
)
#: Words after an "after" cue that show the subject is a person (``Bloomberg said he would``).
PERSON_PRONOUNS = ("he", "she", "his", "her", "il", "elle", "er", "él", "ella", "lui", "lei")

#: Nouns that describe the cited source (``l'agence de presse officielle nord-coréenne KCNA``,
#: ``die Nachrichtenagentur Reuters``, ``la chaîne Rossiya 1``). Alone they are a weak cue.
DESCRIPTORS = (
    "agence de presse",
    "agence",
    "news agency",
    "agency",
    "wire service",
    "nachrichtenagentur",
    "agentur",
    "agencia de noticias",
    "agencia",
    "agenzia di stampa",
    "agenzia",
    "agência",
    "chaîne",
    "télévision",
    "radio",
    "channel",
    "broadcaster",
    "network",
    "newspaper",
    "journal",
    "quotidien",
    "hebdomadaire",
    "daily",
    "magazine",
    "site",
    "website",
    "zeitung",
    "sender",
    "fernsehsender",
    "periódico",
    "diario",
    "televisión",
    "cadena",
    "giornale",
    "quotidiano",
    "emittente",
    "jornal",
    "emissora",
)
GAP_ARTICLES = (
    "the",
    "a",
    "an",
    "la",
    "le",
    "les",
    "l'",
    "die",
    "der",
    "dem",
    "den",
    "das",
    "einem",
    "einer",
    "eines",
    "el",
    "los",
    "las",
    "lo",
    "il",
    "gli",
    "o",
    "os",
    "as",
)
#: Modifiers allowed between an article and the name (``the state-run Xinhua``).
GAP_MODIFIERS = (
    "state",
    "official",
    "government",
    "semi-official",
    "semiofficial",
    "russian",
    "chinese",
    "north korean",
    "staatliche",
    "staatlichen",
    "russische",
    "russischen",
    "chinesische",
    "chinesischen",
    "amtliche",
    "amtlichen",
    "oficial",
    "estatal",
    "news",
)
GAP_TIME_WORDS = (
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "hier",
    "aujourd'hui",
    "également",
    "aussi",
    "notamment",
    "encore",
    "déjà",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "earlier",
    "also",
    "gestern",
    "heute",
    "auch",
    "ayer",
    "hoy",
    "también",
    "ieri",
    "oggi",
    "anche",
)
#: Words that start a new clause: a name after them is not what the cue is about.
CLAUSE_WORDS = (
    "qui",
    "que",
    "dont",
    "who",
    "which",
    "that",
    "dass",
    "che",
    "cuando",
    "quand",
    "when",
    "where",
    "où",
    "while",
    "mais",
    "but",
    "aber",
    "pero",
    "ma",
)
LIST_JOINERS = (",", ";", "&", "/", "et", "and", "y", "und", "e", "ou", "or", "o", "oder")


# --------------------------------------------------------------------------------------------
# Regex builders
# --------------------------------------------------------------------------------------------


def _word(token: str) -> str:
    """One word of a phrase: apostrophes match both ' and ’, a glued ``l'`` needs no space."""
    return re.escape(token).replace("'", "['’]")


def _phrase(phrase: str) -> str:
    """A cue phrase as a regex: words separated by any space, ``…`` = up to three words.

    Word phrases get word boundaries; ``, so`` may follow a word directly; a phrase ending in
    an apostrophe (``all'``) may touch the name.
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
    head = r"(?<!\w)" if phrase[:1].isalnum() else ""
    tail = r"(?!\w)" if phrase[-1:].isalnum() else ""
    return head + out + tail


def _alternation(phrases: Iterable[str]) -> str:
    """Longest first, so ``a rapporté`` wins over ``rapporté``."""
    unique = sorted(set(phrases), key=len, reverse=True)
    return "|".join(_phrase(p) for p in unique)


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
    plain search.
    """

    _TOKEN = re.compile(r"\w+|[^\w\s]")

    def __init__(self, pattern: re.Pattern[str], phrases: Iterable[str]) -> None:
        self.pattern = pattern
        self.starts = frozenset(self._TOKEN.match(p).group().casefold() for p in phrases)  # type: ignore[union-attr]  # every phrase starts with a word or a sign

    def search(self, text: str) -> re.Match[str] | None:
        for token in self._TOKEN.finditer(text):
            if token.group().casefold() in self.starts:
                found = self.pattern.match(text, token.start())
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
_CITE_AFTER = re.compile(
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
        "in",
        "dans",
        "im",
        "en",
        "nell'",
        "and",
        "et",
        "und",
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
    rf"(?<!\w)(?:{_alternation(AGENCY_NOUNS)})\s+(?P<name>[^\W\d_][\w-]*)", re.IGNORECASE
)
_PHOTO_LABEL = re.compile(
    rf"(?<!\w)(?P<label>{_alternation(PHOTO_LABELS)})"
    r"(?:\s*[:.：]\s*|\s+(?:by|par|von|de|of)\s+|\s+)(?P<credit>[^\n|()\[\]]+?)\s*(?=[|)\]]|$)",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\((?P<a>[^()]+)\)|\[(?P<b>[^\[\]]+)\]")
_RESTATED = re.compile(r"[\s(]*")
_SENTENCE_END = re.compile(r"[.!?…»”\"]\s+")
_HOP_SPLIT = re.compile(r"\s*/\s*")
_BYLINE_SEPARATOR = re.compile(r"[,;|·/()\n]|\s[-–—]\s|\s(?:and|et|y|und|e|&)\s", re.I)
_FIELD_SPLIT = re.compile(r"\s+[-–—|·•]\s+|\s*\|\s*")
_PHOTO_HOP_SPLIT = re.compile(r"\s*/\s*|\s+(?:via|vía|über)\s+", re.IGNORECASE)
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
#: A byline is a name or two, an agency, a date; longer text is a sentence, not a byline.
_BYLINE_MAX_WORDS = 20
_LINE = re.compile(r"[^\n]+")


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


def _registry(registry: Registry | None) -> Registry:
    return registry if registry is not None else load_registry()


def _clean(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" \t\n.,;:()[]«»\"'’-–—©|*•")


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
    ``Photo : AFP``) on thousands of pages, and undressing each again was a third of the
    time spent reading credit lines. A registry is never changed once built."""
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
    if re.search(r"[:;!?()]", text):
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
    return all(
        re.fullmatch(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*|[^\W\d_]\.", w)
        and w[0].isupper()
        and not w.isupper()
        for w in words
    )


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
    before = re.search(r"([^\W\d_][\w'’-]*) $", text[max(0, mention.start - 40) : mention.start])
    if before is None:
        return False
    word = before.group(1)
    folded = word.replace("’", "'").casefold().strip("'")
    return word[0].isupper() and folded not in _CUE_WORDS


def _mentions(text: str, registry: Registry) -> list[Mention]:
    """Agency names in free text, without products and surnames."""
    return [m for m in registry.find(text) if not _is_product(text, m) and not _is_surname(text, m)]


def _finding(kind: str, text: str, start: int, hops: Hops, confidence: float) -> Finding:
    agencies = tuple(dict.fromkeys(a for hop in hops for a in hop))
    return Finding(kind, text, agencies, hops, start, round(confidence, 2))


def _only_publisher(hops: Hops, publisher: str | None) -> bool:
    """The publisher signing its own copy (``Le Placentin``, ``Le Placentin/Rédaction``)."""
    known = {a for hop in hops for a in hop if not a.startswith("unknown:")}
    return publisher is not None and known <= {publisher}


# --------------------------------------------------------------------------------------------
# Chains: ``Xinhua/VNA/CVN``, ``AFP/The Local``, ``Robyn Beck/AFP/Getty Images``
# --------------------------------------------------------------------------------------------


def _hop(part: str, registry: Registry, *, loose: bool) -> tuple[str, ...]:
    """The known ids in one hop (``AFP, Reuters`` is one hop of two)."""
    found = (_resolve(n, registry, loose=loose) for n in _split_list(part))
    return tuple(dict.fromkeys(f for f in found if f is not None))


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


# --------------------------------------------------------------------------------------------
# 1. Credit lines
# --------------------------------------------------------------------------------------------


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


def _credit_parenthesised(span: str, registry: Registry) -> tuple[Hops, float] | None:
    """``(AFP)``, ``(ANSA).``, ``(Con información de AFP, EFE y Reuters)``."""
    match = re.fullmatch(r"\((?P<inner>[^()]+)\)", span)
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


def _trim(text: str) -> tuple[str, int]:
    """The credit without decoration: leading dashes/bullets, trailing full stop."""
    match = re.match(r"[\s\-–—•*|>]*", text)
    start = match.end() if match else 0
    span = text[start:].rstrip()
    span = re.sub(r"(?<=[\w)])\.+$", "", span).rstrip()
    return span, start


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
    if _only_publisher(read[0], publisher):
        return None
    hops, confidence = read
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
        if read is not None and not _only_publisher(read[0], publisher):
            lead = len(field_text) - len(field_text.lstrip())
            return _finding(
                "credit_line", field_text.strip(), start + offset + lead, read[0], read[1] - 0.05
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
        if whole is not None:
            return _shift(whole, line.start())
        tail = _tail_credit(line, reg, publisher)
        if tail is not None:
            return tail
    return None


# --------------------------------------------------------------------------------------------
# 2. Bylines
# --------------------------------------------------------------------------------------------


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
    if not span or len(span.split()) > _BYLINE_MAX_WORDS:
        return None
    for form in (_byline_sources, _byline_chain, _byline_named):
        read = form(span, reg)
        if read is not None and not _only_publisher(read[0], publisher):
            return _finding("byline", span, start, *read)
    if _UNNAMED.search(span):
        return _finding("byline", span, start, (), 0.5)
    return None


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
    return None


# --------------------------------------------------------------------------------------------
# 3. Datelines
# --------------------------------------------------------------------------------------------


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
        for form in (_paren_dateline, _agency_first_dateline):
            read = form(rest, reg)
            if read is not None:
                hops, end, confidence = read
                return _finding("dateline", rest[:end].strip(), start, hops, confidence)
    return None


# --------------------------------------------------------------------------------------------
# 4. Photo credits
# --------------------------------------------------------------------------------------------


def _photo_hops(credit: str, registry: Registry) -> Hops | None:
    """``AFP/VNA/CVN``, ``Robyn Beck/AFP/Getty Images``, ``NASA via AP, File``.

    Photographers and image owners that are not agencies (people, ``NASA``) are dropped.
    """
    credit = _clean(credit)
    if not credit or len(credit.split()) > 12:
        return None
    parts = _PHOTO_HOP_SPLIT.split(credit)
    return _chain(parts, registry, unknown="drop")


def _photo_labelled(text: str, registry: Registry) -> tuple[Hops, int, int] | None:
    """``Photo : AFP/VNA/CVN``, ``Foto: dpa``, ``... Source : Sputnik``; the last label wins."""
    for match in reversed(list(_PHOTO_LABEL.finditer(text))):
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
    """``Joshua Roberts/Reuters``, ``Damian Dovarganes, AP``, a caption ending ``. Bob Edme/AP``."""
    ends = list(_SENTENCE_END.finditer(text))
    start = ends[-1].end() if ends else 0
    hops = _photo_hops(text[start:], registry)
    return (hops, start, len(text.rstrip())) if hops else None


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
    return None


# --------------------------------------------------------------------------------------------
# 5. In-text attributions
# --------------------------------------------------------------------------------------------


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
