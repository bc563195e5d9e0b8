"""Articles about the same event, across outlets and languages, grouped into stories.

Articles on one event rarely share sentences (each outlet writes its own, or translates), but
they name the same people, places, organisations and numbers: "Kim Jong Un", "Vostotchny",
"KCNA", "2019". So a story is found on names: each article's set of capitalised words and
numbers (folded, accents stripped, function words and sentence-initial capitals left out),
MinHash LSH over those sets for candidates, then the exact Jaccard similarity of the sets and
the publication times decide. Stories are the connected groups of such pairs (union-find), so
an article joins a story by resembling any article of it.

Names written alike in several languages (Kim Jong Un, KCNA, Vostochny) link translations;
names that are translated (Poutine, Putin) do not, which is why every name counts, not only
the long ones.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

import numpy as np

from crawler.progress import progress
from crawler.reuse.candidates import lsh_pairs
from crawler.reuse.detect import Doc, parse_published
from crawler.reuse.shingles import Vocabulary, fold_word, shingle_input, sketches

#: Words (letters and digits, hyphenated compounds kept whole; apostrophes split ``l'Amour``).
_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
#: The rest of a word from any letter or digit but a lower-case Latin-1 letter (``à``,
#: ``été`` are as common as ``de``): where a capitalised word or a number may start.
#: Opening with a character class lets the regex engine skip the other positions in C; a
#: class of every upper-case letter would not (sre scans a class of a thousand scattered
#: characters one by one, 50 times slower).
_CANDIDATE = re.compile(r"[^\W_a-z\u00df-\u00f6\u00f8-\u00ff][^\W_]*(?:-[^\W_]+)*")
_DIGITS = re.compile(r"\d+")
#: What before a word makes it the first of a sentence, where any word is capitalised.
_OPENING = set(".!?:;«“\"'‘’([—–-•")
#: The word just before a position, for the honorific test.
_WORD_BEFORE = re.compile(r"(?<!\w)(\w+)$")
#: Abbreviations whose period ends no sentence.
_HONORIFICS_LIST = "m mm mme mmes mlle mr mrs ms dr pr me mgr st ste gen sen rep gov jr sr"
_HONORIFICS = frozenset(_HONORIFICS_LIST.split())
#: A name shared by more than this share of the stored articles (and than ``_MIN_COMMON``
#: articles) is left out of the sketches: "France" or "Poutine" alone would put a large part
#: of the corpus in one candidate bucket. It still counts in the exact similarity.
_COMMON_SHARE = 0.02
_MIN_COMMON = 50

#: Capitalised words that are no names: function words opening a quote or a title, honorifics,
#: English months and days (French and Spanish write them in lower case).
_STOPWORDS_LIST = """
    a al als am an and au aux avec but by ce ces cet cette con da dans das de dei del della
    der des die du e ein eine el elle elles en et for from he her his i il ils im in is it
    its je l la las le les lo los mais mit mme mr mrs ms nous o on or ou par pour que qui
    se she sur the their they this un una une und vous we with y you
    dr m mm mgr pr st ste
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
"""
STOPWORDS = frozenset(_STOPWORDS_LIST.split())


def names(text: str) -> set[str]:
    """The names and numbers of ``text``: folded, without function words.

    A capitalised word that opens a sentence or a quotation is left out (any word is
    capitalised there); a name is rarely met only in that position. Numbers of two digits or
    more count (dates, years, tolls), by their digits (``75e`` → ``75``).

    Only the words that may count are visited (``_CANDIDATE`` skips the others in C):
    most words of a text open with a lower-case ASCII letter and cost nothing here.
    """
    found: set[str] = set()
    for match in _CANDIDATE.finditer(text):
        start = match.start()
        if start and (
            text[start - 1].isalnum()
            or (text[start - 1] == "-" and start > 1 and text[start - 2].isalnum())
        ):
            continue  # inside a word that opens otherwise (``iPhone``, ``x-Bar``, ``A4``)
        token = match.group()
        first = token[0]
        if first.isdigit():
            digits = _DIGITS.match(token)
            if digits and len(digits.group()) >= 2:
                found.add(digits.group())
            continue
        if not first.isupper() or _opens_sentence(text, start):
            continue
        for part in token.split("-"):
            folded = _name(part)
            if folded is not None:
                found.add(folded)
    return found


@functools.lru_cache(maxsize=1 << 16)
def _name(part: str) -> str | None:
    """One part of a capitalised word as a name (folded), or None if it is none."""
    folded = fold_word(part)
    return folded if len(folded) >= 2 and folded not in STOPWORDS else None


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` is the first of a paragraph, sentence or quotation.

    A period after an honorific or an initial (``M. Poutine``, ``John F. Kennedy``) ends no
    sentence, and an apostrophe after a letter is an elision, not a quotation mark.
    """
    if (
        start > 1
        and text[start - 1] == " "
        and (text[start - 2].isalnum() or text[start - 2] == ",")
    ):
        return False  # the usual case, mid-sentence, answered before the general one
    at = start - 1
    while at >= 0 and text[at] in " \t\u00a0\u202f":
        at -= 1
    if at < 0 or text[at] == "\n":
        return True
    if text[at] == "." and (before := _WORD_BEFORE.search(text[max(0, at - 8) : at])):
        word = before.group(1)
        if (len(word) == 1 and word.isupper()) or word.casefold() in _HONORIFICS:
            return False
    if text[at] in "'’" and at > 0 and text[at - 1].isalpha():
        return False  # an elision, ``l'Amour``, ``d’Ukraine``
    return text[at] in _OPENING


def _jaccard(a: set[str], b: set[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _close_in_time(
    time_a: tuple[datetime, timedelta] | None,
    time_b: tuple[datetime, timedelta] | None,
    window_hours: float,
) -> bool:
    """Published within the window of each other (times as ``parse_published`` gives them,
    parsed once per article: a store has far more candidate pairs than articles); an
    unknown time may be any time."""
    if time_a is None or time_b is None:
        return True
    gap = abs((time_a[0] - time_b[0]).total_seconds())
    return gap <= window_hours * 3600 + (time_a[1] + time_b[1]).total_seconds()


def cluster_stories(
    docs: Iterable[Doc], *, window_hours: float = 72, threshold: float = 0.15, num_perm: int = 64
) -> list[list[str]]:
    """Groups of at least two article keys about the same event, each sorted, sorted by key.

    Two articles are linked when the Jaccard similarity of their name sets reaches
    ``threshold`` and they were published within ``window_hours`` of each other; stories are
    the connected groups of links.
    """
    # Only each article's names and time are kept, never its text: ``docs`` may stream
    # from the store, and a store's texts are far larger than their names.
    keys: list[str] = []
    published: list[str | None] = []
    name_sets: list[set[str]] = []
    seen: set[str] = set()
    # One string per distinct name, shared by every set holding it: at 100,000 articles the
    # sets' own copies took more than half of what the sets did.
    shared: dict[str, str] = {}
    for doc in progress(docs, "reading names", unit="article"):
        if doc.key not in seen:
            seen.add(doc.key)
            keys.append(doc.key)
            published.append(doc.published)
            name_sets.append({shared.setdefault(name, name) for name in names(doc.text)})
    del seen, shared
    counts = Counter(name for found in name_sets for name in found)
    common = {n for n, c in counts.items() if c > max(_MIN_COMMON, _COMMON_SHARE * len(keys))}

    vocabulary = Vocabulary()
    present: list[int] = []
    values: list[np.ndarray] = []
    for index, found in enumerate(name_sets):
        kept = sorted(found - common)
        if kept:
            present.append(index)
            values.append(shingle_input(vocabulary.hashes(kept)))
    if len(present) < 2:
        return []
    offsets = np.concatenate(([0], np.cumsum([len(v) for v in values]))).astype(np.int64)
    rows = sketches(np.concatenate(values), offsets, num_perm)
    # Candidates from a lower threshold than the decision's, so a pair at the threshold is
    # rarely missed (datasketch's banding is an S-curve around its threshold, not a step);
    # and only among articles within the window of each other (give or take how far off
    # each time may be), so the work grows with the corpus, not with its square.
    times = [parse_published(published[i]) for i in present]
    slack = max((t[1].total_seconds() for t in times if t is not None), default=0.0)
    candidates = lsh_pairs(
        np.array(present, dtype=np.int64),
        rows,
        threshold=threshold / 2,
        num_perm=num_perm,
        moments=[None if t is None else t[0].timestamp() for t in times],
        horizon=window_hours * 3600 + 2 * slack,
    )

    times = [parse_published(stamp) for stamp in published]
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in progress(candidates, "grouping stories", unit="pair"):
        if _jaccard(name_sets[i], name_sets[j]) >= threshold and _close_in_time(
            times[i], times[j], window_hours
        ):
            parent[root(i)] = root(j)
    groups: dict[int, list[str]] = {}
    for index, key in enumerate(keys):
        groups.setdefault(root(index), []).append(key)
    return sorted(sorted(keys) for keys in groups.values() if len(keys) >= 2)
