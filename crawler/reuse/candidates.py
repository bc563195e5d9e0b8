"""Candidate pairs from MinHash sketches: the banding of a datasketch ``MinHashLSH`` index,
done on whole arrays at once.

An LSH index finds, for each sketch, the sketches equal to it on at least one band (a fixed
slice of sketch values). Querying a datasketch index one sketch at a time costs a Python
call, a byte swap and a dict lookup per band and per article, which at 100,000 articles was
half of ``scrapy stories``. Here the same pairs come from sorting: within one band, the rows
with equal values are neighbours once sorted, and the pairs are read off the sorted order.
The bands are the ones datasketch chooses for the threshold (its ``hashranges``), so the
pairs are exactly those its index would return.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

import numpy as np
import numpy.typing as npt
from datasketch import MinHashLSH

from crawler.reuse.shingles import I64, U32, Bools

F64 = npt.NDArray[np.float64]

#: Sketch values two candidates must share, per 64 (see ``lsh_pairs``).
_MIN_AGREEING = 3
#: Band pairs made at once: pairs are filtered as they are made, so memory stays at a few
#: tens of megabytes however many pairs share a band (tens of millions at 100,000 articles).
_PAIR_CHUNK = 1 << 20
#: Candidate pairs whose sketches are compared at once (bounds a temporary to ~16 MB).
_AGREE_CHUNK = 1 << 16
#: Seconds the window's lower bound is widened by before the exact test: the sorted search
#: uses ``t - horizon``, the test ``t_i - t_j <= horizon``, which rounding may tell apart.
_SLACK = 1.0


@cache
def bands(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """The sketch slices datasketch's ``MinHashLSH`` bands on for this threshold."""
    return tuple(MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges)


def lsh_pairs(
    indices: I64,
    rows: U32,
    *,
    threshold: float,
    num_perm: int,
    moments: Sequence[float | None] | None = None,
    horizon: float | None = None,
) -> list[tuple[int, int]]:
    """Pairs ``(indices[p], indices[q])``, sorted, whose sketches LSH banding finds similar.

    A pair must also agree on at least ``_MIN_AGREEING`` of every 64 sketch values (an
    estimated Jaccard similarity of about 0.05): at low thresholds datasketch bands single
    values, and one or two shared values are what a couple of common phrases give two
    unrelated articles. Such pairs would grow with the square of the corpus; true copies
    agree on far more (10 of 64 at the least in the benchmark's planted pairs).

    With ``moments`` (a time in seconds per row, None when unknown) and ``horizon``, only
    rows at most ``horizon`` seconds apart are paired (an unknown time pairs with any), so
    the pairs looked at grow with the window, not with the store's whole history.
    """
    count = len(rows)
    if count < 2:
        return []
    known = np.ones(count, dtype=bool)
    times = np.zeros(count, dtype=np.float64)
    if moments is not None and horizon is not None:
        known = np.fromiter((m is not None for m in moments), dtype=bool, count=count)
        times = np.fromiter((m or 0.0 for m in moments), dtype=np.float64, count=count)
    else:
        horizon = None
    needed = max(2, num_perm * _MIN_AGREEING // 64)
    keys = np.stack([_band_keys(rows, start, end) for start, end in bands(threshold, num_perm)])
    kept: list[I64] = []
    for band, band_keys in enumerate(keys):
        for first, second in _band_pairs(band_keys, times, known, horizon):
            # A pair equal on an earlier band was judged there already.
            fresh = np.ones(len(first), dtype=bool)
            for earlier in keys[:band]:
                fresh &= earlier[first] != earlier[second]
            if horizon is not None:
                both = known[first] & known[second]
                fresh &= ~both | (np.abs(times[first] - times[second]) <= horizon)
            first, second = first[fresh], second[fresh]
            for at in range(0, len(first), _AGREE_CHUNK):
                p, q = first[at : at + _AGREE_CHUNK], second[at : at + _AGREE_CHUNK]
                agreeing = (rows[p] == rows[q]).sum(axis=1) >= needed
                a, b = indices[p[agreeing]], indices[q[agreeing]]
                kept.append(np.stack((np.minimum(a, b), np.maximum(a, b))))
    if not kept:
        return []
    low, high = np.concatenate(kept, axis=1)
    del kept
    order = np.lexsort((high, low))
    low, high = low[order], high[order]
    del order
    # Made a chunk at a time: millions of pairs as two whole lists of ints besides the
    # list of pairs would double what the pairs take.
    pairs: list[tuple[int, int]] = []
    for at in range(0, len(low), _PAIR_CHUNK):
        chunk = slice(at, at + _PAIR_CHUNK)
        pairs.extend(zip(low[chunk].tolist(), high[chunk].tolist(), strict=True))
    return pairs


def _band_keys(rows: U32, start: int, end: int) -> I64:
    """One integer per row, equal for two rows exactly when their band values are."""
    if end - start == 1:
        return rows[:, start].astype(np.int64)
    _, inverse = np.unique(rows[:, start:end], axis=0, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64)


def _band_pairs(
    keys: I64, times: F64, known: Bools, horizon: float | None
) -> Iterator[tuple[I64, I64]]:
    """Pairs of rows with equal ``keys`` (and, with a horizon, close enough in time), each
    once, in chunks of about ``_PAIR_CHUNK``: two arrays of row positions.

    Rows are sorted by key, unknown times first, then by time; each row pairs with every
    row before it in its key's run that is unknown or (known and) at most ``horizon``
    seconds earlier, give or take ``_SLACK`` (the caller applies the exact test).
    """
    count = len(keys)
    order = np.lexsort((times, known, keys))
    sorted_keys = keys[order]
    run_start = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    run_of = np.repeat(np.arange(len(run_start)), np.diff(np.append(run_start, count)))
    first_of_run = run_start[run_of]
    position = np.arange(count, dtype=np.int64)
    unknowns = np.zeros(count, dtype=np.int64)  # partners before the window (unknown times)
    low = first_of_run
    if horizon is not None:
        # Rank each row's (key, known, time) so one sorted search finds, per known row, the
        # first known row of its run inside the window.
        sorted_known = known[order]
        sorted_times = times[order]
        distinct = np.unique(sorted_times)
        span = len(distinct) + 1
        rank = np.searchsorted(distinct, sorted_times)
        composite = (run_of * 2 + sorted_known) * span + rank
        bound = np.searchsorted(distinct, sorted_times - horizon - _SLACK, side="left")
        window_low = np.searchsorted(composite, (run_of * 2 + 1) * span + bound, side="left")
        low = np.where(sorted_known, window_low, first_of_run)
        unknowns = np.where(sorted_known, _unknown_in_run(sorted_known, run_start, run_of), 0)
    partners = unknowns + (position - low)
    ends = np.cumsum(partners)
    begin = 0
    while begin < count:
        end = int(np.searchsorted(ends, ends[begin] - partners[begin] + _PAIR_CHUNK, "right"))
        end = max(end, begin + 1)
        part = partners[begin:end]
        total = int(part.sum())
        if total:
            mine = np.repeat(position[begin:end], part)
            within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(part) - part, part)
            skipped = np.repeat(unknowns[begin:end], part)
            other = np.where(
                within < skipped,
                np.repeat(first_of_run[begin:end], part) + within,
                np.repeat(low[begin:end], part) + within - skipped,
            )
            yield order[mine], order[other]
        begin = end


def _unknown_in_run(sorted_known: Bools, run_start: I64, run_of: I64) -> I64:
    """How many rows of each row's run have an unknown time (they come first in it)."""
    unknown_before = np.concatenate(([0], np.cumsum(~sorted_known)))
    run_end = np.append(run_start[1:], len(sorted_known))
    per_run = unknown_before[run_end] - unknown_before[run_start]
    return per_run[run_of]
