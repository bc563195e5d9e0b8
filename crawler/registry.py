"""The agency registry: who is who among news agencies, broadcasters and outlets.

Data in ``crawler/data/agencies.toml``; this module loads it and finds agency names in text.
Matching is by whole token: ``AP`` inside a word, in ``AP-HP`` or ``RT @user`` never counts,
and short all-capital aliases in any script (``AP``, ``RT``, ``ТАСС``) match only in capitals, as
do the names an entry lists under ``aliases.exact`` (``Le Monde``: in lower case it is "the
world"). Chinese, Japanese, Korean, Thai, Lao, Khmer and Burmese names need no space around
them (``据新华社报道``); an Arabic name may carry a glued conjunction or preposition
(``لرويترز``, "to Reuters") and matches whichever alef, yeh, kaf or teh marbuta the text writes.
An entry's ``not_before``/``not_after`` patterns refuse a name in a context that makes it
something else (``Sputnik V``, ``中央视察``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

KINDS = ("news_agency", "broadcaster", "newspaper", "outlet", "photo_agency", "contributor")
LANGS = ("fr", "en", "local")
#: The ``aliases`` key for names matched only as written (capitals and all), like acronyms.
EXACT = "exact"
#: The ``aliases`` key for acronyms with a common second meaning (``APA``, ``PAP``, ``TT``):
#: ``find`` counts them only where a credit puts them (see ``in_credit_context``).
CREDIT = "credit"

#: Scripts written without spaces between words (Thai, Lao, Burmese, Khmer, kana, CJK
#: ideographs, Hangul syllables, full-width forms): a name may touch them, or ``新华社`` would
#: never be found in ``据新华社报道``, nor ``ロイター`` in ``＝ロイター``.
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uac00-\ud7af\uff00-\uffef"
)
#: Arabic one-letter proclitics (and, so, by, to, like), written glued to the next word:
#: ``لرويترز`` is "to Reuters". One or two may come before an Arabic-script name.
_PROCLITIC = "(?:[\u0648\u0641\u0628\u0644\u0643]{1,2}(?=[\u0621-\u064a\u067e-\u06d3]))?"
#: Arabic letters written in several forms (hamza on alef or not, alef maqsura for yeh, the
#: Persian yeh and kaf, teh marbuta for heh): a name is stored in one form, found in any.
_ARABIC_FORMS = {"\u0627": "\u0623\u0625\u0622\u0671", "\u064a": "\u0649\u06cc",
                 "\u0643": "\u06a9", "\u0647": "\u0629"}  # fmt: skip
_ARABIC_FOLD = str.maketrans({v: k for k, forms in _ARABIC_FORMS.items() for v in forms})
#: What a name may not touch on either side: a word character of a spaced script, ``@`` or
#: ``#``, or a hyphen glued to a word (``AP-HP``), so ``Xinhua/VNA/CVN`` still splits on ``/``.
_WORD = rf"[^\W{_UNSPACED}]"
_EDGE_PUNCT = ".,;:()[]«»\"'"
#: Before a name: a character that is not ``_WORD`` (consumed, so that the regex engine
#: skips in C every position inside a word, where no name can start: starting with a
#: lookbehind, the same test cost one pattern entry per character and was most of the time
#: spent scanning an article), not ``@`` or ``#``, and no hyphen glued to a word.
_BEFORE_NAME = rf"[\W{_UNSPACED}](?<![@#])(?<!\w-){_PROCLITIC}"
#: After a name: no word character, ``@``, ``#``, hyphen glued to a word or ``@`` handle.
_AFTER_NAME = rf"(?!{_WORD})(?![@#])(?!-\w)(?!\s@)"


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    kind: str
    country: str | None = None
    state_owned: bool | None = None
    wikidata: str | None = None
    domains: tuple[str, ...] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Patterns of the text right before / right after a name that make it something else.
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()

    def all_aliases(self) -> tuple[str, ...]:
        langs = (*LANGS, EXACT, CREDIT)
        names = [self.name, *(a for lang in langs for a in self.aliases.get(lang, ()))]
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Mention:
    """One agency name found in a text: ``text[start:end]`` is ``alias``."""

    agency: str
    start: int
    end: int
    alias: str


def normalise(name: str) -> str:
    """Case-, accent-apostrophe-, Arabic-letter-form- and space-insensitive key for long names."""
    name = name.replace("’", "'").replace("‘", "'").translate(_ARABIC_FOLD)
    return re.sub(r"\s+", " ", name).strip().casefold()


def _exact_key(name: str) -> str:
    """Key for names matched as written: only apostrophes, Arabic letter forms and spacing
    are evened out."""
    name = name.replace("’", "'").replace("‘", "'").translate(_ARABIC_FOLD)
    return re.sub(r"\s+", " ", name).strip()


def _body(name: str) -> str:
    """The regex for one name: any run of spaces for a space, either apostrophe for one."""
    return re.escape(name).replace("\\ ", r"\s+").replace("'", "['’]")


def _trie(names: Iterable[str], fold: bool) -> str:
    """One regex for many names, as a trie of their characters (lower-cased with ``fold``).

    An alternation of hundreds of names makes the regex engine try each one at every
    position of the text; a trie fails after a character or two where no name starts,
    which is what makes scanning article text for agency names cheap. Longer names are
    tried first at every branch, so the longest name at a position wins.
    """
    root: dict[str, Any] = {}
    for name in names:
        node = root
        for char in (name.lower() if fold else name).translate(_ARABIC_FOLD):
            node = node.setdefault(" " if char.isspace() else char, {})
        node[""] = {}  # end of a name

    def emit(node: dict[str, Any]) -> str:
        branches = []
        for char in sorted((c for c in node if c), key=lambda c: -_depth(node[c])):
            if char == " ":
                atom = r"\s+"
            elif char in "'’":
                atom = "['’]"
            elif char in _ARABIC_FORMS:
                atom = f"[{char}{_ARABIC_FORMS[char]}]"
            else:
                atom = re.escape(char)
            branches.append(atom + emit(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _depth(node: dict[str, Any]) -> int:
    return 1 + max((_depth(child) for key, child in node.items() if key), default=0)


def is_acronym(alias: str) -> bool:
    """Short capitals in any cased script (``AP``, ``RT``, ``ČTK``, ``ТАСС``, ``ΚΥΠΕ``) are
    matched case-sensitively: ``тасс`` or ``Rt`` is not the agency."""
    letters = [c for c in alias if c.isalpha()]
    return 0 < len(letters) <= 5 and all(c.isupper() for c in letters)


class Registry:
    def __init__(
        self,
        agencies: list[Agency],
        credit_labels: Iterable[str] = (),
        link_words: Iterable[str] = (),
    ) -> None:
        self.agencies = {a.id: a for a in agencies}
        self._link_words = frozenset(w.casefold() for w in link_words)
        #: Names ``find`` counts only in a credit: ``(APA)``, ``APA/dpa``, ``Foto: X/TT``.
        self._credit_only = {
            _exact_key(alias) for a in agencies for alias in a.aliases.get(CREDIT, ())
        }
        labels = sorted(credit_labels, key=len, reverse=True)
        self._credit_label = re.compile(
            r"(?:^|[^\w])(?:" + "|".join(re.escape(label) for label in labels) + r")\s*[:：]\s*\Z"
            if labels
            else "(?!)",
            re.IGNORECASE,
        )
        self._false_friends = {
            a.id: (
                tuple(re.compile(f"(?:{p})\\Z") for p in a.not_before),
                tuple(re.compile(p) for p in a.not_after),
            )
            for a in agencies
            if a.not_before or a.not_after
        }
        self._by_domain: dict[str, str] = {}
        for agency in agencies:
            for domain in agency.domains:
                if self._by_domain.setdefault(domain, agency.id) != agency.id:
                    raise ValueError(f"agency registry: domain {domain} belongs to two entries")
        if len(self.agencies) != len(agencies):
            raise ValueError("agency registry: duplicate ids")
        self._by_name: dict[str, str] = {}
        self._exact: dict[str, str] = {}
        exact_names: set[str] = set()
        for agency in agencies:
            for alias in agency.all_aliases():
                exact = (
                    is_acronym(alias)
                    or alias in agency.aliases.get(EXACT, ())
                    or alias in agency.aliases.get(CREDIT, ())
                )
                if exact:
                    exact_names.add(alias)
                table, key = (
                    (self._exact, _exact_key(alias)) if exact else (self._by_name, normalise(alias))
                )
                owner = table.get(key)
                if owner is not None and owner != agency.id:
                    raise ValueError(
                        f"agency registry: alias {alias!r} names {owner} and {agency.id}"
                    )
                table[key] = agency.id
        names = {a for ag in agencies for a in ag.all_aliases()}
        # Names matched as written have a case-sensitive pattern of their own, so a wrongly
        # cased long name never swallows the text a shorter, valid name would have matched.
        #: The two tries: names matched case-blind (lower-cased), and names matched as written.
        self.tries = (_trie(names - exact_names, True), _trie(names & exact_names, False))
        # Case-blind names are matched in the lower-cased text: the regex engine's
        # case-insensitive mode compares each branch of the trie in turn where an exact
        # branch is skipped on its first character.
        self._lower = _name_pattern(self.tries[0])
        self._any_case = _name_pattern(self.tries[0], re.IGNORECASE)
        self._as_written = _name_pattern(self.tries[1])

    def __contains__(self, agency_id: str) -> bool:
        return agency_id in self.agencies

    def __iter__(self) -> Iterator[Agency]:
        return iter(self.agencies.values())

    def __len__(self) -> int:
        return len(self.agencies)

    def get(self, agency_id: str) -> Agency:
        return self.agencies[agency_id]

    def owner_of(self, host: str) -> str | None:
        """The entry whose own website ``host`` is or is under (``bbc.co.uk`` → ``bbc``,
        ``francais.rt.com`` → ``rt``), if any; a trailing dot and ``www.`` make no difference."""
        labels = host.strip().rstrip(".").lower().split(".")
        for i in range(len(labels) - 1):
            if (owner := self._by_domain.get(".".join(labels[i:]))) is not None:
                return owner
        return None

    def needs_credit_context(self, name: str) -> bool:
        """Whether ``find`` counts this name only in a credit (``aliases.credit``)."""
        return _exact_key(name) in self._credit_only

    def in_credit_context(self, text: str, start: int, end: int) -> bool:
        """Whether the name at ``text[start:end]`` stands where credits put agencies.

        In a slash chain (``APA/dpa``, ``Foto: X/TT``), after ``©`` or a credit label
        (``Quelle: APA``), or alone in brackets (``Wien (APA)``), unless the words before
        the brackets spell it out: ``People's Action Party (PAP)`` defines an acronym.
        """
        before = text[max(0, start - 80) : start]
        after = text[end : end + 3].lstrip(" ")
        tail = before.rstrip(" ")
        if tail.endswith(("/", "©")) or after.startswith("/"):
            return True
        if self._credit_label.search(before):
            return True
        if tail.endswith(("(", "[")) and after[:1] in (")", "]"):
            return not _spelled_out(tail[:-1], text[start:end], self._link_words)
        return False

    def is_false_friend(self, agency: str, text: str, start: int, end: int) -> bool:
        """Whether the name at ``text[start:end]`` is, in this context, something else
        than ``agency`` (the entry's ``not_before``/``not_after`` patterns)."""
        patterns = self._false_friends.get(agency)
        if patterns is None:
            return False
        before, after = patterns
        head = text[max(0, start - 40) : start]
        return any(p.search(head) for p in before) or any(p.match(text, end) for p in after)

    def resolve(self, name: str) -> str | None:
        """The id an alias names exactly (``Chine nouvelle`` → ``xinhua``), else None."""
        name = name.strip()
        # As given first, so a name ending in punctuation (``CTV (collaborateur)``) resolves;
        # then without the punctuation around it (``(AFP)``).
        for candidate in dict.fromkeys((name, name.strip(_EDGE_PUNCT))):
            key = _exact_key(candidate)
            if key in self._exact:
                return self._exact[key]
            if not is_acronym(candidate) and (found := self._by_name.get(normalise(candidate))):
                return found  # ``ap`` or ``Rt`` are not the acronyms
        return None

    def find(self, text: str) -> list[Mention]:
        """Every agency named in ``text``, left to right, longest name first where they overlap."""
        lowered = text.lower()
        if len(lowered) == len(text):
            spans = [*_scan(self._lower, lowered), *_scan(self._as_written, text)]
        else:  # lower-casing moved the offsets (``İ``): match case-blind on the text itself
            spans = [*_scan(self._any_case, text), *_scan(self._as_written, text)]
        matches = sorted(spans, key=lambda span: (span[0], -span[1]))
        found: list[Mention] = []
        taken = 0
        #: What each distinct name resolves to, asked once per call: a page naming one
        #: agency thousands of times (photo credits) repeats a handful of names.
        known: dict[str, tuple[str | None, bool]] = {}
        for start, end in matches:
            if start < taken:
                continue  # inside a longer name already found
            name = text[start:end]
            if (read := known.get(name)) is None:
                read = known[name] = (self.resolve(name), self.needs_credit_context(name))
            agency, needs_context = read
            if agency is not None and self.is_false_friend(agency, text, start, end):
                continue  # ``Sputnik V`` is the vaccine
            if needs_context and not self.in_credit_context(text, start, end):
                continue  # ``APA style``, ``People's Action Party (PAP)``
            if agency is not None:
                found.append(Mention(agency, start, end, name))
                taken = end
        return found


def _spelled_out(before: str, acronym: str, link_words: frozenset[str]) -> bool:
    """Whether the words right before end in ``acronym`` spelled out (``Austria Presse
    Agentur``, ``American Psychological Association`` for ``APA``), skipping short link
    words (``Société protectrice des animaux`` for ``SPA``)."""
    letters = [c for c in acronym.upper() if c.isalpha()]
    words = [
        w for w in re.findall(r"[^\W\d_][\w'’-]*", before[-120:]) if w.casefold() not in link_words
    ]
    if len(words) < len(letters):
        return False
    initials = [w[0].upper() for w in words[-len(letters) :]]
    return initials == letters


def _name_pattern(trie: str, flags: int = 0) -> re.Pattern[str]:
    if not trie:  # no names of this sort: an empty name would match everywhere, forever
        return re.compile("(?!)")
    return re.compile(_BEFORE_NAME + f"(?P<name>{trie})" + _AFTER_NAME, flags)


def _scan(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each name ``pattern`` finds in ``text``, as ``finditer`` would.

    The pattern consumes the character before the name (see ``_BEFORE_NAME``), so the text
    gets a space in front, and the next search starts on the last character of a match,
    which a name ending in ``)`` leaves free for the name right after it.
    """
    padded = " " + text
    pos = 0
    while (match := pattern.search(padded, pos)) is not None:
        yield match.start("name") - 1, match.end("name") - 1
        pos = match.end() - 1


def _agency(entry: dict[str, Any]) -> Agency:
    given = entry.get("aliases", {})
    aliases = {lang: tuple(given.get(lang, ())) for lang in LANGS}
    for key in (EXACT, CREDIT):
        if key in given:
            aliases[key] = tuple(given[key])
    return Agency(
        id=entry["id"],
        name=entry["name"],
        kind=entry["kind"],
        country=entry.get("country"),
        state_owned=entry.get("state_owned"),
        wikidata=entry.get("wikidata"),
        domains=tuple(entry.get("domains", ())),
        aliases=aliases,
        not_before=tuple(entry.get("not_before", ())),
        not_after=tuple(entry.get("not_after", ())),
    )


@cache
def load_registry() -> Registry:
    """The registry shipped in the package."""
    text = (resources.files("crawler") / "data" / "agencies.toml").read_text(encoding="utf-8")
    return registry_from_toml(text)


def registry_from_toml(text: str) -> Registry:
    """A registry from the text of a data file laid out as ``crawler/data/agencies.toml``."""
    data = tomllib.loads(text)
    return Registry(
        [_agency(e) for e in data["agency"]],
        data.get("credit_labels", ()),
        data.get("link_words", ()),
    )
