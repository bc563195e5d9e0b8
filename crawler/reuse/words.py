"""Each word of a folded text to its stable hash, without a Python call per word.

A word's stable hash is BLAKE2b of its folded form: the same in every process and run, but
a Python call per word, and looking words up in a dict of those hashes still costs a ``str``
and a dict probe per word (at 100,000 articles, a third of ``scrapy reuse``). Here each word
gets a *key* computed on arrays from its code points (a pseudo-random value per code point
and position in the word, summed, then mixed), and the keys are looked up in an
open-addressing table held in numpy arrays; only a word never seen before is decoded and
hashed with BLAKE2b, once. A word's key is 64 bits, so two distinct words share one (and the
second would take the first's hash) with a chance of about ``words**2 / 2**65``: one in ten
million for a million distinct words.
"""

from __future__ import annotations

import hashlib
import sys

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
#: Folded value of the marks that belong to the word they sit in (``shingles._IGNORED``).
_IGNORED = 0
#: Table slots used at most (half), so probe sequences stay short.
_LOAD = 0.5
_EMPTY = np.uint64(0)
#: Where the position multipliers start in the sequence ``mix64`` scrambles.
_WEIGHT_SEED = 0x9E3779B97F4A7C15


def word_hash(word: str) -> int:
    """The stable 64-bit hash of a folded word (BLAKE2b)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest())


def mix64(values: U64) -> U64:
    """MurmurHash3's 64-bit finalizer: every input bit moves every output bit."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


class WordTable:
    """Word key → stable hash, for the words of folded code point arrays."""

    def __init__(self) -> None:
        self._keys = np.zeros(1 << 12, dtype=np.uint64)
        self._values = np.zeros(1 << 12, dtype=np.uint64)
        self._filled = 0
        self._position_weights = np.zeros(0, dtype=np.uint64)

    def __len__(self) -> int:
        return self._filled

    def hashes(self, folded: U32, chars: U32, starts: I64, ends: I64) -> tuple[U64, Bools]:
        """The hash of each word ``folded[starts[i]:ends[i]]``, marks (``_IGNORED``) left out,
        and which runs are words at all (a run of marks alone is not): one hash per word kept.

        ``chars`` is the words' values one after the other (``folded`` where it is no space).
        """
        lengths = ends - starts
        kept = np.ones(len(starts), dtype=bool)
        if len(chars) and not chars.all():
            # Rare: marks inside words are dropped, and a word of marks only is no word.
            real = chars != _IGNORED
            lengths = np.add.reduceat(real.astype(np.int64), np.cumsum(lengths) - lengths)
            chars = chars[real]
            kept = lengths > 0
            lengths = lengths[kept]
        keys = self._keys_of(chars, lengths)
        return self._lookup(keys, folded, starts[kept], ends[kept]), kept

    def _keys_of(self, chars: U32, lengths: I64) -> U64:
        """One 64-bit key per word of ``chars`` (words of ``lengths`` values, all > 0)."""
        if not len(lengths):
            return np.zeros(0, dtype=np.uint64)
        firsts = np.cumsum(lengths) - lengths
        # Positions in 32 bits: the temporaries per character are most of what hashing takes.
        position = np.arange(len(chars), dtype=np.int32)
        position -= np.repeat(firsts.astype(np.int32), lengths)
        terms = self._weights(int(lengths.max()))[position]
        del position
        # No value is 0 (marks are gone), so each code point counts.
        np.multiply(terms, chars, out=terms)
        summed: U64 = np.add.reduceat(terms, firsts)
        keys = mix64(summed ^ lengths.astype(np.uint64))
        keys[keys == _EMPTY] = 1
        return keys

    def _weights(self, longest: int) -> U64:
        """A random odd multiplier per position in a word, for words up to ``longest``."""
        if longest > len(self._position_weights):
            size = max(longest, 2 * len(self._position_weights))
            positions = np.arange(size, dtype=np.uint64) + np.uint64(_WEIGHT_SEED)
            self._position_weights = mix64(positions) | np.uint64(1)
        return self._position_weights

    def _lookup(self, keys: U64, folded: U32, starts: I64, ends: I64) -> U64:
        values, found = self._find(keys)
        if not found.all():
            missing = np.flatnonzero(~found)
            new, first = np.unique(keys[missing], return_index=True)
            at = missing[first]
            words = (
                folded[s:e].tobytes().decode(_UTF32).replace("\0", "")
                for s, e in zip(starts[at].tolist(), ends[at].tolist(), strict=True)
            )
            hashed = np.fromiter(map(word_hash, words), dtype=np.uint64, count=len(new))
            self._insert(new, hashed)
            values[missing], _ = self._find(keys[missing])
        return values

    def _find(self, keys: U64) -> tuple[U64, Bools]:
        """The value of each key and whether it is in the table (linear probing)."""
        mask = np.uint64(len(self._keys) - 1)
        slots = (keys & mask).view(np.int64)
        held = self._keys[slots]
        found = held == keys
        values = np.where(found, self._values[slots], _EMPTY)
        # Most keys sit in their own slot; the rest are followed along their probe sequence.
        pending = np.flatnonzero(~found & (held != _EMPTY))
        slots = slots[pending]
        while len(pending):
            slots = (slots + 1) & int(mask)
            held = self._keys[slots]
            hit = held == keys[pending]
            values[pending[hit]] = self._values[slots[hit]]
            found[pending[hit]] = True
            going = ~hit & (held != _EMPTY)
            pending, slots = pending[going], slots[going]
        return values, found

    def _insert(self, keys: U64, values: U64) -> None:
        """Add distinct keys not in the table yet, growing it first when needed."""
        if (self._filled + len(keys)) > _LOAD * len(self._keys):
            size = len(self._keys)
            while (self._filled + len(keys)) > _LOAD * size:
                size *= 2
            held = self._keys != _EMPTY
            old_keys, old_values = self._keys[held], self._values[held]
            self._keys = np.zeros(size, dtype=np.uint64)
            self._values = np.zeros(size, dtype=np.uint64)
            self._filled = 0
            self._place(old_keys, old_values)
        self._place(keys, values)

    def _place(self, keys: U64, values: U64) -> None:
        mask = len(self._keys) - 1
        pending = np.arange(len(keys), dtype=np.int64)
        slots = (keys & np.uint64(mask)).view(np.int64)
        while len(pending):
            free = self._keys[slots] == _EMPTY
            # Of several keys wanting one free slot, the first takes it; the others move on.
            _, first = np.unique(slots[free], return_index=True)
            winners = np.flatnonzero(free)[first]
            self._keys[slots[winners]] = keys[pending[winners]]
            self._values[slots[winners]] = values[pending[winners]]
            going = np.ones(len(pending), dtype=bool)
            going[winners] = False
            pending = pending[going]
            slots = (slots[going] + 1) & mask
        self._filled += len(keys)
