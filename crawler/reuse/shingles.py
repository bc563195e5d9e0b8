"""Words, word shingles and their MinHash sketches, computed with numpy over whole texts.

Reuse detection has to read every stored article, so the per-word work is kept in C: a text
becomes an array of code points, one table lookup folds each code point (case folded, accent
stripped, anything that is not a letter or digit turned into a space) *without changing the
text's length*, and ``str.split`` on the folded text gives the words while numpy gives their
offsets, which therefore point into the original text. Each distinct word is hashed once
(BLAKE2b, so hashes are the same in every process and run); shingles, sketches and seed
k-grams are then arithmetic on arrays.

The sketches are datasketch MinHashes of the ``affine32`` scheme: exactly the hash values
``MinHash(num_perm, seed, hashfunc=int).update_batch(shingle_hashes)`` would hold, only
computed for many shingles and documents at once instead of one Python call per shingle.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

from crawler.reuse.words import WordTable, mix64, word_hash

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: Seed of the MinHash permutations: fixed, so sketches of two runs can be compared.
SEED = 1
#: The ``datasketch`` permutation scheme the sketches follow.
SCHEME = "affine32"
_SPACE = 0x20
#: Folded value of marks and format characters that belong to the word they sit in (a
#: combining accent, a soft hyphen): they neither split a word nor count in it.
_IGNORED = 0
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"

#: Opening quotation marks and the marks that may close each. Straight quotes open and close;
#: a German „ closes with “ (or ”); an English or French “ with ”.
QUOTE_PAIRS: dict[str, str] = {"«": "»", "“": "”", "„": "“”", '"': '"', "”": "”"}
_QUOTE_CHARS = re.compile('[«»“”„"\n]')


@cache
def fold_table() -> U32:
    """Code point → folded code point, one to one, so folding keeps every offset.

    Letters and digits are case folded and lose their accents (``É`` → ``e``, ``ß`` → ``s``,
    the first letter of what folding gives); combining marks and format characters map to
    ``_IGNORED``; everything else (spaces, punctuation, symbols) becomes a space.
    """
    table = np.full(0x110000, _SPACE, dtype=np.uint32)
    for code in range(0x110000):
        char = chr(code)
        if char.isalnum():
            folded = "".join(
                c
                for c in unicodedata.normalize("NFKD", char.casefold())
                if not unicodedata.combining(c)
            )
            first = folded[:1]
            table[code] = ord(first) if first and first.isalnum() else code
        else:
            category = unicodedata.category(char)
            if category in ("Mn", "Me", "Mc") or (category == "Cf" and code != 0x200B):
                table[code] = _IGNORED
    table[0xD800:0xE000] = _SPACE  # lone surrogates are no text
    return table


def fold_word(word: str) -> str:
    """One word folded the way texts are (``Corée`` → ``coree``), marks and punctuation dropped."""
    table = fold_table()
    folded = (chr(table[ord(char)]) for char in word)
    return "".join(c for c in folded if c not in " \0")


class Vocabulary(dict[str, int]):
    """Folded word → small id, and each id's stable 64-bit hash (BLAKE2b, computed once);
    ``table`` gives the same hashes for the words of whole folded texts (``word_spans``).

    A dict subclass with ``__missing__``, so ``map(vocabulary.__getitem__, words)`` runs in C
    for every word already seen; ids rather than the hashes themselves are looked up because
    numpy converts small ints several times faster than 64-bit ones.
    """

    def __init__(self) -> None:
        super().__init__()
        self._new: list[int] = []
        self._table = np.zeros(1024, dtype=np.uint64)
        self._filled = 0
        self.table = WordTable()

    def __missing__(self, word: str) -> int:
        ident = self[word] = len(self)
        self._new.append(word_hash(word))
        return ident

    def hashes(self, words: list[str]) -> U64:
        """The hash of each word, in order."""
        ids = np.array(list(map(self.__getitem__, words)), dtype=np.int64)
        if self._new:
            size = self._filled + len(self._new)
            if size > len(self._table):
                grown = np.zeros(max(size, 2 * len(self._table)), dtype=np.uint64)
                grown[: self._filled] = self._table[: self._filled]
                self._table = grown
            self._table[self._filled : size] = np.array(self._new, dtype=np.uint64)
            self._filled = size
            self._new.clear()
        return self._table[ids]


@dataclass(frozen=True)
class Tokens:
    """The words of one text: hashes of their folded form and where they are in the text."""

    hashes: U64
    starts: I64  # char offset of each word's first character in the original text
    ends: I64  # char offset just past its last character
    quoted: Bools  # inside quotation marks

    def __len__(self) -> int:
        return len(self.hashes)


def word_spans(text: str, vocabulary: Vocabulary) -> tuple[U64, I64, I64]:
    """Word hashes, start and end offsets of ``text`` (see the module docstring)."""
    if not text:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), empty, empty
    codes = np.frombuffer(text.encode(_UTF32, "surrogatepass"), dtype=np.uint32)
    folded = fold_table()[codes]
    is_word = folded != _SPACE
    edges = np.diff(is_word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    hashes, kept = vocabulary.table.hashes(folded, folded[is_word], starts, ends)
    if not kept.all():
        starts, ends = starts[kept], ends[kept]
    return hashes, starts, ends


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Char ranges ``[open, close]`` inside quotation marks, outermost quotes only.

    An unclosed quote ends with its paragraph: English quotes running over several
    paragraphs reopen each one, and a stray mark cannot swallow the rest of the article.
    """
    spans: list[tuple[int, int]] = []
    opened = -1
    closers = ""
    for match in _QUOTE_CHARS.finditer(text):
        char, at = match.group(), match.start()
        if opened < 0:
            if char in QUOTE_PAIRS:
                opened, closers = at, QUOTE_PAIRS[char]
        elif char == "\n" or char in closers:
            spans.append((opened, at))
            opened = -1
    if opened >= 0:
        spans.append((opened, len(text)))
    return spans


def tokenize(text: str, vocabulary: Vocabulary) -> Tokens:
    """The words of ``text`` with their offsets and whether each is quoted."""
    hashes, starts, ends = word_spans(text, vocabulary)
    return Tokens(hashes, starts, ends, _quoted(text, starts))


def tokenize_many(texts: Sequence[str], vocabulary: Vocabulary) -> list[Tokens]:
    """``tokenize`` of each text, the words of all found in one pass over the joined texts.

    numpy's cost per call outweighs its cost per word on a single article, so texts are
    tokenised together; a newline between them keeps any word from straddling two.
    """
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    text_starts = np.concatenate(([0], np.cumsum(lengths)))
    hashes, starts, ends = word_spans("\n".join(texts), vocabulary)
    cuts = np.searchsorted(starts, text_starts).tolist()
    found: list[Tokens] = []
    for index, text in enumerate(texts):
        lo, hi, offset = cuts[index], cuts[index + 1], text_starts[index]
        own_starts = starts[lo:hi] - offset
        found.append(
            Tokens(
                hashes[lo:hi].copy(), own_starts, ends[lo:hi] - offset, _quoted(text, own_starts)
            )
        )
    return found


def _quoted(text: str, starts: I64) -> Bools:
    """Whether each word starting at ``starts`` is inside quotation marks."""
    quoted = np.zeros(len(starts), dtype=bool)
    spans = quoted_spans(text) if len(starts) else []
    if spans:
        opens = np.array([s for s, _ in spans], dtype=np.int64)
        closes = np.array([e for _, e in spans], dtype=np.int64)
        inside = np.searchsorted(opens, starts, side="right") - 1
        quoted = (inside >= 0) & (starts < closes[np.maximum(inside, 0)])
    return quoted


#: Odd multipliers giving each position of a k-gram its own weight (splitmix64 outputs).
_POSITION_WEIGHTS = np.array(
    [
        0xE220A8397B1DCDAF, 0x6E789E6AA1B965F5, 0x06C45D188009454F, 0xF88BB8A8724C81EC | 1,
        0x1B39896A51A8749B, 0x53CB9F0C747EA2EB | 1, 0x2C829ABE1F4532E1, 0xC584133AC916AB3D,
    ],
    dtype=np.uint64,
)  # fmt: skip


def kgram_hashes(words: U64, k: int) -> U64:
    """One 64-bit hash per run of ``k`` consecutive words (none when there are fewer)."""
    count = len(words) - k + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    combined = words[:count] * _weight(0)
    for j in range(1, k):
        combined += words[j : j + count] * _weight(j)
    return mix64(combined)


def _weight(position: int) -> np.uint64:
    if position < len(_POSITION_WEIGHTS):
        return np.uint64(_POSITION_WEIGHTS[position])
    value = mix64(np.array([position], dtype=np.uint64))[0]
    return np.uint64(value | np.uint64(1))


@cache
def permutations(num_perm: int, seed: int = SEED) -> tuple[U32, U32]:
    """datasketch's own permutation parameters (a, b) for ``num_perm`` and ``seed``."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return np.ascontiguousarray(a, dtype=np.uint32), np.ascontiguousarray(b, dtype=np.uint32)


def _fmix32(values: U32) -> U32:
    """MurmurHash3's 32-bit finalizer, the pre-mix datasketch's affine32 scheme applies."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def shingle_input(shingles: U64) -> U32:
    """The 32-bit values the sketches are built from: the top half of each shingle hash."""
    return (shingles >> np.uint64(32)).astype(np.uint32)


#: Shingles permuted at once; bounds the (num_perm x chunk) temporary to a few MB.
_CHUNK = 1 << 15


def sketches(values: U32, offsets: I64, num_perm: int, seed: int = SEED) -> U32:
    """MinHash values of many sets at once: set ``i`` is ``values[offsets[i]:offsets[i+1]]``.

    Every set must be non-empty. Returns an array of shape (sets, num_perm), row ``i`` equal
    to the ``hashvalues`` of a datasketch ``MinHash`` updated with set ``i``.
    """
    a, b = permutations(num_perm, seed)
    a_col, b_col = a[:, None], b[:, None]
    mixed = _fmix32(values)
    out = np.empty((len(offsets) - 1, num_perm), dtype=np.uint32)
    # Chunks end on set boundaries so each set's minimum is taken in one piece.
    first = 0
    while first < len(offsets) - 1:
        last = int(np.searchsorted(offsets, offsets[first] + _CHUNK, side="right")) - 1
        last = max(last, first + 1)
        lo, hi = int(offsets[first]), int(offsets[last])
        permuted = a_col * mixed[lo:hi][None, :] + b_col
        starts = offsets[first:last] - lo
        out[first:last] = np.minimum.reduceat(permuted, starts, axis=1).T
        first = last
    return out
