"""Candidate pairs: exactly the pairs a datasketch LSH index gives, within a time window."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHashLSH

from crawler.reuse.candidates import lsh_pairs
from crawler.reuse.shingles import SCHEME, SEED

DAY = 24 * 3600.0


def indexed_pairs(indices: np.ndarray, rows: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """What querying a datasketch ``MinHashLSH`` with each row, then inserting it, pairs
    (kept when the two rows agree on at least 3 of 64 values, as ``lsh_pairs`` asks)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=rows.shape[1])
    pairs = []
    for position, row in enumerate(rows):
        sketch = LeanMinHash(seed=SEED, hashvalues=row, scheme=SCHEME)
        for other in lsh.query(sketch):
            if (rows[other] == row).sum() >= 3:
                a, b = int(indices[other]), int(indices[position])
                pairs.append((min(a, b), max(a, b)))
        lsh.insert(position, sketch, check_duplication=False)
    return sorted(pairs)


@pytest.mark.parametrize("threshold", [0.075, 0.1, 0.5])
def test_the_pairs_are_those_a_datasketch_index_returns(threshold: float) -> None:
    """Rows drawn from a few values share bands often, partly or wholly."""
    rng = np.random.default_rng(11)
    rows = rng.integers(0, 4, size=(300, 64), dtype=np.uint32)
    indices = rng.permutation(900)[:300].astype(np.int64)
    expected = indexed_pairs(indices, rows, threshold)
    assert expected  # the comparison means something
    assert lsh_pairs(indices, rows, threshold=threshold, num_perm=64) == expected


def test_candidates_are_sought_only_among_articles_within_the_window() -> None:
    """Three articles with the same names: ten days apart they are never even compared,
    while an unknown time is compared with both."""
    row = np.random.default_rng(7).integers(1, 2**32 - 1, size=64, dtype=np.uint32)
    rows = np.stack([row, row, row])
    pairs = lsh_pairs(
        np.arange(3, dtype=np.int64),
        rows,
        threshold=0.5,
        num_perm=64,
        moments=[0.0, 10 * DAY, None],
        horizon=3 * DAY,
    )
    assert pairs == [(0, 2), (1, 2)]
    assert lsh_pairs(np.arange(3, dtype=np.int64), rows, threshold=0.5, num_perm=64) == [
        (0, 1),
        (0, 2),
        (1, 2),
    ]


def test_the_window_is_inclusive_and_measured_between_the_two_times() -> None:
    """Exactly the horizon apart is inside; a second more is outside, whichever comes first
    in the rows."""
    row = np.arange(64, dtype=np.uint32)
    rows = np.stack([row, row, row, row])
    pairs = lsh_pairs(
        np.arange(4, dtype=np.int64),
        rows,
        threshold=0.5,
        num_perm=64,
        moments=[3 * DAY, 0.0, 6 * DAY + 1, 3 * DAY],
        horizon=3 * DAY,
    )
    assert pairs == [(0, 1), (0, 3), (1, 3)]


def test_fewer_than_two_rows_pair_nothing() -> None:
    rows = np.zeros((1, 64), dtype=np.uint32)
    assert lsh_pairs(np.arange(1, dtype=np.int64), rows, threshold=0.5, num_perm=64) == []
