"""Which stored articles share text, how much, where, and which came first.

Outlets reprint agency copy without a credit line or rewrite it lightly; the page is then
silent about where its text came from, and only the text itself can tell. Comparing every
pair of articles is quadratic, so the work is split the usual way for near-duplicate search:

1. candidates: a MinHash of each article's word shingles is banded as a datasketch
   ``MinHashLSH`` index bands it (``crawler.reuse.candidates``, on whole arrays), which gives
   the pairs of articles likely to share shingles. Shingles common to a large part of the
   corpus (set phrases, boilerplate) are left out of the sketches, and a candidate must
   agree on a few sketch values, not one: otherwise unrelated articles sharing a phrase
   would make candidates grow with the square of the corpus;
2. alignment: each candidate pair is aligned exactly, on folded words: seed k-grams common to
   both texts are joined into maximal runs along their diagonals, and the longest runs are
   kept first (greedy string tiling), so a reordered or trimmed copy still aligns paragraph by
   paragraph. Runs shorter than ``min_passage_words`` are chance (set phrases, names).

Quoted words do not count: two reports of the same speech quote the same sentences and are
not copies of each other. A translation shares no shingles with its original, so it never
becomes a candidate, which is the intended outcome: a translated summary is new text.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from crawler.memory import release_freed
from crawler.progress import progress
from crawler.reuse.candidates import lsh_pairs
from crawler.reuse.shingles import (
    I64,
    U32,
    U64,
    Bools,
    Tokens,
    Vocabulary,
    kgram_hashes,
    shingle_input,
    sketches,
    tokenize_many,
    word_spans,
)

I32 = npt.NDArray[np.int32]

#: Publication times closer than this say nothing about which text came first: pages round
#: times to the minute, and an agency's subscribers publish its wire within minutes.
SAME_TIME = timedelta(minutes=5)
#: A naive time (no UTC offset) may be in any zone from UTC-12 to UTC+14.
_UNKNOWN_ZONE = timedelta(hours=14)
#: Characters of text tokenised at once when sketching: big enough to keep numpy's per-call
#: cost small, small enough to keep the temporary arrays to tens of megabytes.
_BATCH_CHARS = 1_000_000
#: A seed k-gram repeated more often than this in one text (a refrain, a table) is skipped,
#: so a pathological page cannot make the alignment quadratic.
_MAX_REPEATS = 32
#: Shingles more common than this share of the corpus (and than ``_MIN_COMMON``) are set
#: phrases or boilerplate, not evidence of copying (see ``corpus_sketches``).
_COMMON_SHARE = 0.01
_MIN_COMMON = 100
#: Shingle counts are kept in 2**_COUNT_BITS buckets.
_COUNT_BITS = 22
#: Batches tokenised between two hand-backs of freed memory (``release_freed``): each costs
#: page faults when the pages are used again.
_TRIM_BATCHES = 64
#: Tokenised articles kept for the alignment of candidate pairs.
_TOKEN_CACHE = 8192
#: Texts tokenised together for the alignment, at most this many characters or texts.
_ALIGN_BATCH_CHARS = 250_000
_ALIGN_BATCH_TEXTS = _TOKEN_CACHE // 8


@dataclass(frozen=True)
class Doc:
    """One stored article, as reuse detection sees it."""

    key: str  # the article URL
    text: str  # paragraphs separated by "\n"
    outlet: str
    published: str | None = None  # ISO 8601 (with offset when known); None = unknown
    language: str | None = None


@dataclass(frozen=True)
class Passage:
    """The same words at ``a.text[a_start:a_end]`` and at ``b.text[b_start:b_end]``."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int  # aligned words in it, quoted ones included


@dataclass(frozen=True)
class ReusePair:
    """Two articles sharing text, with how much of each is shared."""

    a: str  # keys, a = the earlier when the order is known, else sorted
    b: str
    share_a: float  # fraction of a's words inside aligned passages
    share_b: float
    passages: tuple[Passage, ...]
    earlier: str | None  # key of the one published first, None when unclear


# ------------------------------------------------------------------------------ times


def parse_published(value: str | None) -> tuple[datetime, timedelta] | None:
    """The UTC instant a publication time stands for, and how far off it may be.

    A time with an offset is exact; a naive time may be in any zone; a bare date may be any
    time of that day in any zone. Unparseable values are unknown.
    """
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return None
    if len(text) <= 10:  # a date alone: noon UTC, give or take half a day and any zone
        return parsed.replace(hour=12, tzinfo=UTC), timedelta(hours=12) + _UNKNOWN_ZONE
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return parsed.replace(tzinfo=UTC), _UNKNOWN_ZONE
    return parsed.astimezone(UTC), timedelta(0)


def which_earlier(a: Doc, b: Doc, same_time: timedelta = SAME_TIME) -> str | None:
    """The key of the one published first, or None when the times cannot tell."""
    time_a, time_b = parse_published(a.published), parse_published(b.published)
    if time_a is None or time_b is None:
        return None
    margin = same_time + time_a[1] + time_b[1]
    gap = time_b[0] - time_a[0]
    if gap > margin:
        return a.key
    if -gap > margin:
        return b.key
    return None


# ------------------------------------------------------------------------------ candidates


def _batches(docs: Sequence[Doc]) -> Iterator[tuple[int, int]]:
    """Index ranges of consecutive documents holding about ``_BATCH_CHARS`` characters."""
    first, size = 0, 0
    for index, doc in enumerate(docs):
        size += len(doc.text) + 1
        if size >= _BATCH_CHARS:
            yield first, index + 1
            first, size = index + 1, 0
    if first < len(docs):
        yield first, len(docs)


def _batch_shingles(
    docs: Sequence[Doc], vocabulary: Vocabulary, shingle_words: int
) -> tuple[U32, I64]:
    """The 32-bit shingle values of a batch of documents, and how many each document has.

    The texts are joined by newlines and tokenised in one go; a shingle belongs to a document
    only when its first and last words do (none straddles two texts).
    """
    texts = [doc.text for doc in docs]
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    doc_starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    words, word_starts, _ = word_spans("\n".join(texts), vocabulary)
    shingles = kgram_hashes(words, shingle_words)
    count = len(shingles)
    if count == 0:
        return np.zeros(0, dtype=np.uint32), np.zeros(len(docs), dtype=np.int64)
    doc_of_word = np.searchsorted(doc_starts, word_starts, side="right") - 1
    owner = doc_of_word[:count]
    inside = owner == doc_of_word[shingle_words - 1 : shingle_words - 1 + count]
    per_doc = np.bincount(owner[inside], minlength=len(docs)).astype(np.int64)
    return shingle_input(shingles[inside]), per_doc


def _bucket_counts(buckets: list[U32], size: int) -> I64:
    """How many of ``buckets`` (emptied) fall in each of ``size`` buckets.

    Counted a few million at a time: a count per batch of a fraction of a million would add
    up the whole array of buckets each time.
    """
    if not buckets:
        return np.zeros(size, dtype=np.int64)
    counts = np.bincount(np.concatenate(buckets), minlength=size).astype(np.int64, copy=False)
    buckets.clear()
    return counts


def corpus_sketches(
    docs: Sequence[Doc], vocabulary: Vocabulary, *, shingle_words: int, num_perm: int
) -> tuple[I64, U32]:
    """The indices of the documents that have a sketch, and their sketches (one row each).

    Shingles found in more than ``max(_MIN_COMMON, _COMMON_SHARE * len(docs))`` places are
    left out first: set phrases ("a déclaré le porte-parole du"), bylines and boilerplate
    shared by thousands of unrelated articles make LSH buckets whose pairs grow with the
    square of the corpus, and say nothing about copying. Counts are kept per bucket of
    ``2**_COUNT_BITS`` (a rare shingle sharing a bucket with a common one is dropped too,
    about one in a thousand), so counting takes a few megabytes whatever the corpus.
    """
    shift = np.uint32(32 - _COUNT_BITS)
    counts = np.zeros(1 << _COUNT_BITS, dtype=np.int64)
    batches: list[tuple[int, U32, I64]] = []
    uncounted: list[U32] = []  # buckets of the latest batches, counted together
    for number, (first, last) in enumerate(_batches(docs), 1):
        values, per_doc = _batch_shingles(docs[first:last], vocabulary, shingle_words)
        uncounted.append(values >> shift)
        batches.append((first, values, per_doc))
        if sum(map(len, uncounted)) >= len(counts) // 4:
            counts += _bucket_counts(uncounted, len(counts))
        if number % _TRIM_BATCHES == 0:
            release_freed()  # the tokenising temporaries, between the shingles kept
    counts += _bucket_counts(uncounted, len(counts))
    common = counts > max(_MIN_COMMON, _COMMON_SHARE * len(docs))
    del counts
    indices: list[I64] = []
    rows: list[U32] = []
    while batches:
        first, values, per_doc = batches.pop(0)
        keep = ~common[values >> shift]
        kept = np.concatenate(([0], np.cumsum(keep, dtype=np.int64)))
        bounds = np.concatenate(([0], np.cumsum(per_doc)))
        per_doc = kept[bounds[1:]] - kept[bounds[:-1]]
        present = np.flatnonzero(per_doc)
        if len(present):
            offsets = np.concatenate(([0], np.cumsum(per_doc[present])))
            indices.append(first + present)
            rows.append(sketches(values[keep], offsets, num_perm))
    release_freed()  # the shingles, now sketched
    if not indices:
        return np.zeros(0, dtype=np.int64), np.zeros((0, num_perm), dtype=np.uint32)
    return np.concatenate(indices), np.concatenate(rows)


def candidate_pairs(
    docs: Sequence[Doc],
    vocabulary: Vocabulary,
    *,
    shingle_words: int,
    num_perm: int,
    lsh_threshold: float,
) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, likely to share text (see ``lsh_pairs``)."""
    indices, rows = corpus_sketches(
        docs, vocabulary, shingle_words=shingle_words, num_perm=num_perm
    )
    return lsh_pairs(indices, rows, threshold=lsh_threshold, num_perm=num_perm)


# ------------------------------------------------------------------------------ alignment


@dataclass(frozen=True)
class Seeded:
    """What alignment needs of a text, made once for all the pairs the text is in: where its
    words are, which are quoted, and its seed k-grams. Thousands are kept at once, so the
    word hashes are not (the k-grams replace them) and offsets take 32 bits."""

    starts: I32  # char offset of each word's first character
    ends: I32  # char offset just past its last character
    quoted: Bools
    seed_words: int
    grams: U64  # hash of the k-gram starting at each word
    order: I32  # k-gram positions sorted by hash (stable: equal hashes in text order)
    counted: int  # words outside quotation marks

    @classmethod
    def of(cls, tokens: Tokens, seed_words: int) -> Seeded:
        grams = kgram_hashes(tokens.hashes, seed_words)
        return cls(
            starts=tokens.starts.astype(np.int32),
            ends=tokens.ends.astype(np.int32),
            quoted=tokens.quoted,
            seed_words=seed_words,
            grams=grams,
            order=np.argsort(grams, kind="stable").astype(np.int32),
            counted=int((~tokens.quoted).sum()),
        )

    def __len__(self) -> int:
        return len(self.starts)


def align(a: Seeded, b: Seeded, min_words: int) -> list[tuple[int, int, int]]:
    """Non-overlapping runs of identical words ``(i, j, length)``, longest first kept.

    Seeds are the k-grams present in both texts; seeds on one diagonal (``i - j``) at
    consecutive positions form one maximal run. Runs are then taken longest first, each
    trimmed to the words no longer run already covers in either text.
    """
    seed_words = a.seed_words
    grams_a, grams_b, order = a.grams, b.grams, b.order
    if not len(grams_a) or not len(grams_b):
        return []
    sorted_b = grams_b[order]
    left = np.searchsorted(sorted_b, grams_a, side="left")
    counts = np.searchsorted(sorted_b, grams_a, side="right") - left
    counts[counts > _MAX_REPEATS] = 0
    total = int(counts.sum())
    if total == 0:
        return []
    ia = np.repeat(np.arange(len(grams_a), dtype=np.int64), counts)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    jb = order[np.repeat(left, counts) + within].astype(np.int64)
    width = len(grams_a) + 1
    key = (ia - jb + len(grams_b)) * width + ia
    key.sort()
    ia = key % width
    jb = ia - (key // width - len(grams_b))
    breaks = np.flatnonzero(np.diff(key) != 1) + 1
    run_first = np.concatenate(([0], breaks))
    run_length = np.diff(np.concatenate((run_first, [total]))) + seed_words - 1
    long_enough = run_length >= min_words
    if not long_enough.any():
        return []
    runs = sorted(
        zip(
            run_length[long_enough].tolist(),
            ia[run_first[long_enough]].tolist(),
            jb[run_first[long_enough]].tolist(),
            strict=True,
        ),
        key=lambda run: (-run[0], run[1], run[2]),
    )
    taken_a = np.zeros(len(a), dtype=bool)
    taken_b = np.zeros(len(b), dtype=bool)
    kept: list[tuple[int, int, int]] = []
    for length, i, j in runs:
        free = ~(taken_a[i : i + length] | taken_b[j : j + length])
        if free.all():
            pieces = [(0, length)]
        else:
            edges = np.diff(free.view(np.int8), prepend=np.int8(0), append=np.int8(0))
            pieces = list(
                zip(
                    np.flatnonzero(edges == 1).tolist(),
                    np.flatnonzero(edges == -1).tolist(),
                    strict=True,
                )
            )
        for start, end in pieces:
            if end - start >= min_words:
                taken_a[i + start : i + end] = True
                taken_b[j + start : j + end] = True
                kept.append((i + start, j + start, end - start))
    kept.sort()
    return kept


def compare(
    a: Doc,
    b: Doc,
    seeded_a: Seeded,
    seeded_b: Seeded,
    *,
    min_passage_words: int,
    exclude_quotes: bool,
    same_time: timedelta = SAME_TIME,
) -> ReusePair | None:
    """The reuse between two documents, or None when no passage survives.

    Each text comes with its seeds (``Seeded``), made once: a text is in several pairs.
    """
    runs = align(seeded_a, seeded_b, min_passage_words)
    tokens_a, tokens_b = seeded_a, seeded_b
    if not runs:
        return None
    passages: list[Passage] = []
    shared = 0
    for i, j, length in runs:
        if exclude_quotes:
            counted = int(
                (~(tokens_a.quoted[i : i + length] | tokens_b.quoted[j : j + length])).sum()
            )
            if counted < min_passage_words:
                continue  # a shared quotation, perhaps with its "he said": not a copy
        else:
            counted = length
        shared += counted
        passages.append(
            Passage(
                a_start=int(tokens_a.starts[i]),
                a_end=int(tokens_a.ends[i + length - 1]),
                b_start=int(tokens_b.starts[j]),
                b_end=int(tokens_b.ends[j + length - 1]),
                words=length,
            )
        )
    if not passages:
        return None
    total_a = seeded_a.counted if exclude_quotes else len(tokens_a)
    total_b = seeded_b.counted if exclude_quotes else len(tokens_b)
    share_a = shared / total_a if total_a else 0.0
    share_b = shared / total_b if total_b else 0.0
    earlier = which_earlier(a, b, same_time)
    if earlier == b.key or (earlier is None and b.key < a.key):
        return ReusePair(
            a=b.key,
            b=a.key,
            share_a=share_b,
            share_b=share_a,
            passages=tuple(
                sorted(
                    (Passage(p.b_start, p.b_end, p.a_start, p.a_end, p.words) for p in passages),
                    key=lambda p: (p.a_start, p.b_start),
                )
            ),
            earlier=earlier,
        )
    return ReusePair(a.key, b.key, share_a, share_b, tuple(passages), earlier)


def find_reuse(
    docs: Iterable[Doc],
    *,
    min_share: float = 0.3,
    shingle_words: int = 5,
    num_perm: int = 64,
    lsh_threshold: float = 0.1,
    min_passage_words: int = 12,
    exclude_quotes: bool = True,
    same_time: timedelta = SAME_TIME,
) -> list[ReusePair]:
    """Every pair of documents sharing at least ``min_share`` of one of them, sorted by keys.

    ``min_share`` applies to the larger of the two shares: a short brief made of a long
    report's first paragraphs is reuse even though most of the report is not in it.
    A document whose key was already seen is ignored (the first one counts).
    """
    unique: dict[str, Doc] = {}
    for doc in docs:
        unique.setdefault(doc.key, doc)
    ordered = list(unique.values())
    vocabulary = Vocabulary()
    pairs = candidate_pairs(
        ordered,
        vocabulary,
        shingle_words=shingle_words,
        num_perm=num_perm,
        lsh_threshold=lsh_threshold,
    )
    seed_words = max(1, min(shingle_words, min_passage_words))
    cache: OrderedDict[int, Seeded] = OrderedDict()
    upcoming = iter(dict.fromkeys(index for pair in pairs for index in pair))

    def seeded(index: int) -> Seeded:
        found = cache.get(index)
        if found is not None:
            cache.move_to_end(index)
            return found
        # A miss tokenises this text with the next ones the pairs need, in one pass.
        batch = {index: None}
        size = len(ordered[index].text)
        while size < _ALIGN_BATCH_CHARS and len(batch) < _ALIGN_BATCH_TEXTS:
            following = next(upcoming, None)
            if following is None:
                break
            if following not in cache and following not in batch:
                batch[following] = None
                size += len(ordered[following].text)
        texts = [ordered[k].text for k in batch]
        for k, tokens in zip(batch, tokenize_many(texts, vocabulary), strict=True):
            cache[k] = Seeded.of(tokens, seed_words)
            if len(cache) > _TOKEN_CACHE:
                cache.popitem(last=False)
        return cache[index]

    found: list[ReusePair] = []
    for i, j in progress(pairs, "comparing texts", unit="pair"):
        pair = compare(
            ordered[i],
            ordered[j],
            seeded(i),
            seeded(j),
            min_passage_words=min_passage_words,
            exclude_quotes=exclude_quotes,
            same_time=same_time,
        )
        if pair is not None and max(pair.share_a, pair.share_b) >= min_share:
            found.append(pair)
    found.sort(key=lambda p: (p.a, p.b))
    return found
