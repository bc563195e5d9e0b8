"""Word hashes from whole folded texts: each word's BLAKE2b hash, whatever the text around it."""

from __future__ import annotations

import random

import numpy as np

from crawler.reuse.shingles import Vocabulary, fold_word, tokenize
from crawler.reuse.words import word_hash
from tests.crawling import seed_item

AGENCY = seed_item("cvn/003-poutine-kim-cooperation-spatiale")


def expected(text: str) -> list[int]:
    """Each word's hash as a single word gives it: BLAKE2b of its folded form."""
    tokens = tokenize(text, Vocabulary())
    words = [fold_word(text[s:e]) for s, e in zip(tokens.starts, tokens.ends, strict=True)]
    return [word_hash(w) for w in words]


def test_each_word_gets_the_hash_of_its_folded_form() -> None:
    text = "Corée du Nord, l’été 2023 — E\u0301TE\u0301 東京都の天気 ǅemal ﬁne 😀 ab\u00adcd"
    tokens = tokenize(text, Vocabulary())
    assert tokens.hashes.tolist() == expected(text)
    # A ligature folds to its first letter, as every letter does.
    folded = [
        "coree",
        "du",
        "nord",
        "l",
        "ete",
        "2023",
        "ete",
        "東京都の天気",
        "demal",
        "fne",
        "abcd",
    ]
    assert [fold_word(text[s:e]) for s, e in zip(tokens.starts, tokens.ends, strict=True)] == folded


def test_a_word_of_marks_alone_is_no_word() -> None:
    tokens = tokenize("un \u0301\u0301 deux \u00ad trois", Vocabulary())
    assert len(tokens) == 3
    assert tokens.hashes.tolist() == [word_hash(w) for w in ("un", "deux", "trois")]


def test_hashes_stay_the_same_as_the_vocabulary_grows() -> None:
    vocabulary = Vocabulary()
    first = tokenize(AGENCY["text"], vocabulary).hashes
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyzéàç"
    many = " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(1, 12))) for _ in range(20_000)
    )
    grown = tokenize(many, vocabulary)
    assert grown.hashes.tolist() == expected(many)
    assert np.array_equal(tokenize(AGENCY["text"], vocabulary).hashes, first)
    assert first.tolist() == expected(AGENCY["text"])


def test_words_longer_than_any_seen_before() -> None:
    long = "x" * 3000
    tokens = tokenize(f"a {long} b {long}y", Vocabulary())
    assert tokens.hashes.tolist() == [word_hash(w) for w in ("a", long, "b", long + "y")]
