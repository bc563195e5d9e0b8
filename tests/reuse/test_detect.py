"""Reuse detection: copies and light rewrites pair, translations and shared quotes do not."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from datasketch import MinHash

from crawler.reuse.detect import (
    Doc,
    ReusePair,
    candidate_pairs,
    find_reuse,
    parse_published,
    which_earlier,
)
from crawler.reuse.shingles import (
    SCHEME,
    SEED,
    Vocabulary,
    fold_word,
    kgram_hashes,
    shingle_input,
    sketches,
    tokenize,
    tokenize_many,
)
from tests.crawling import SUMMARY_EN, light_edit, seed_item

AGENCY = seed_item("cvn/003-poutine-kim-cooperation-spatiale")
OTHER = seed_item("article/000-poutine-accueille-kim")

SPEECH = (
    "« Nous sommes déterminés à renforcer nos relations de camaraderie et de bon voisinage, "
    "et les deux pays agiront au nom de la paix, de la stabilité et de la prospérité dans "
    "toute la région, aujourd'hui comme demain, quelles que soient les pressions extérieures "
    "exercées sur nos deux peuples », a déclaré le président russe."
)
REPORT_1 = (
    "Les dirigeants russe et nord-coréen ont déjeuné ensemble mercredi au cosmodrome, à "
    "l'issue d'une rencontre de plusieurs heures consacrée à la coopération militaire.\n"
    f"{SPEECH}\n"
    "Les États-Unis redoutent des livraisons d'armes à Moscou en échange de technologies "
    "spatiales, ce que ni le Kremlin ni Pyongyang n'ont confirmé à ce stade."
)
REPORT_2 = (
    "Au terme de leur sommet en Extrême-Orient, Vladimir Poutine et Kim Jong Un ont levé "
    "leur verre à l'amitié entre leurs pays, selon les images de la télévision publique.\n"
    f"{SPEECH}\n"
    "Le dirigeant nord-coréen poursuivra sa visite par des usines aéronautiques puis par la "
    "flotte du Pacifique à Vladivostok, a indiqué le service de presse russe."
)


def doc(key: str, text: str, published: str | None = None, outlet: str = "x") -> Doc:
    return Doc(key=key, text=text, outlet=outlet, published=published, language="fr")


def only(pairs: list[ReusePair]) -> ReusePair:
    assert len(pairs) == 1, pairs
    return pairs[0]


def folded_words(text: str) -> list[str]:
    tokens = tokenize(text, Vocabulary())
    return [fold_word(text[s:e]) for s, e in zip(tokens.starts, tokens.ends, strict=True)]


def test_a_verbatim_copy_pairs_with_everything_shared() -> None:
    pair = only(
        find_reuse(
            [
                doc("https://agency/1", AGENCY["text"], "2023-09-13T12:00:00+03:00"),
                doc("https://outlet/1", AGENCY["text"], "2023-09-13T20:00:00+07:00"),
                doc("https://other/1", OTHER["text"], "2023-09-13T15:20:00+07:00"),
            ]
        )
    )
    assert (pair.a, pair.b, pair.earlier) == ("https://agency/1", "https://outlet/1", pair.a)
    assert pair.share_a == pytest.approx(1.0)
    assert pair.share_b == pytest.approx(1.0)
    assert pair.passages[0].a_start == 0
    assert pair.passages[-1].a_end == len(AGENCY["text"].rstrip(" ."))


def test_a_light_rewrite_pairs_and_its_passages_point_at_the_same_words() -> None:
    edited = light_edit(AGENCY["text"])
    pair = only(find_reuse([doc("https://a/1", AGENCY["text"]), doc("https://b/1", edited)]))
    assert pair.earlier is None
    assert pair.share_b > 0.8  # most of the rewrite is agency text
    assert 0.5 < pair.share_a < 0.95  # three paragraphs of the original were dropped
    assert len(pair.passages) >= 5  # paragraph by paragraph, whatever their order
    for p in pair.passages:
        a_text, b_text = AGENCY["text"][p.a_start : p.a_end], edited[p.b_start : p.b_end]
        assert folded_words(a_text) == folded_words(b_text)
        assert len(folded_words(a_text)) == p.words
        assert p.words >= 12
    new_headline = edited.index("\n")
    assert all(p.b_start > new_headline for p in pair.passages)


def test_passages_point_into_the_original_texts_with_accents_and_case() -> None:
    a = "Prologue sans rapport aucun.\n" + OTHER["text"]
    b = OTHER["text"].upper().replace("É", "E") + "\nÉpilogue propre à ce journal."
    pair = only(find_reuse([doc("https://a/1", a), doc("https://b/1", b)]))
    passage = pair.passages[0]
    assert a[passage.a_start : passage.a_start + 11] == "Le présiden"
    assert b[passage.b_start : passage.b_start + 11] == "LE PRESIDEN"
    assert (pair.share_a, pair.share_b) == (pytest.approx(1.0, abs=0.02),) * 2


def test_a_translated_summary_is_not_reuse() -> None:
    assert find_reuse([doc("https://fr/1", OTHER["text"]), doc("https://en/1", SUMMARY_EN)]) == []


def test_two_reports_quoting_the_same_speech_are_not_copies() -> None:
    docs = [doc("https://r/1", REPORT_1), doc("https://r/2", REPORT_2)]
    assert find_reuse(docs) == []
    # The quotation alone is what they share: counted, it would make them a pair.
    pair = only(find_reuse(docs, exclude_quotes=False))
    assert pair.passages[0].words >= 40


def test_quoted_words_do_not_count_towards_the_share() -> None:
    copy = REPORT_1.replace("Les États-Unis", "Washington et ses alliés")
    pair = only(find_reuse([doc("https://r/1", REPORT_1), doc("https://r/3", copy)]))
    tokens = tokenize(REPORT_1, Vocabulary())
    unquoted = int((~tokens.quoted).sum())
    assert tokens.quoted.sum() >= 40
    shared = sum(p.words for p in pair.passages) - int(tokens.quoted.sum())
    assert pair.share_a == pytest.approx(shared / unquoted)


def test_a_pair_below_the_share_threshold_is_left_out() -> None:
    borrowed = AGENCY["text"].split("\n")[6]  # one paragraph of ten
    docs = [doc("https://a/1", AGENCY["text"]), doc("https://b/1", OTHER["text"] + "\n" + borrowed)]
    # A small borrowing makes sets with little in common: the LSH threshold must go down too.
    assert find_reuse(docs, lsh_threshold=0.05) == []
    pair = only(find_reuse(docs, min_share=0.1, lsh_threshold=0.05))
    assert 0.1 < pair.share_a < 0.3 and pair.share_b < 0.3


@pytest.mark.parametrize(
    ("first", "second", "earlier"),
    [
        # 02:00 UTC before 06:00 UTC, though the first clock reads later
        ("2023-09-13T09:00:00+07:00", "2023-09-13T08:00:00+02:00", "first"),
        ("2023-09-13T08:00:00+02:00", "2023-09-13T09:00:00+07:00", "second"),
        ("2023-09-13T10:00:00+02:00", "2023-09-13T08:02:00Z", None),  # two minutes apart
        ("2023-09-13T10:00:00+02:00", None, None),  # unknown
        ("2023-09-13T10:00:00", "2023-09-13T12:00:00+00:00", None),  # naive: any zone
        ("2023-09-13T10:00:00", "2023-09-15T10:00:00+00:00", "first"),
        ("2023-09-13", "2023-09-13T22:00:00+00:00", None),  # a date is a whole day
        ("2023-09-13", "2023-09-16", "first"),
        ("not a date", "2023-09-16", None),
    ],
)
def test_which_was_published_first(first: str, second: str | None, earlier: str | None) -> None:
    a, b = doc("https://a/1", "", first), doc("https://b/1", "", second)
    expected = {"first": a.key, "second": b.key, None: None}[earlier]
    assert which_earlier(a, b) == expected


def test_the_earlier_article_is_a_and_passages_follow_it() -> None:
    edited = light_edit(AGENCY["text"])
    late = doc("https://a/late", AGENCY["text"], "2023-09-14T09:00:00+03:00")
    early = doc("https://z/early", edited, "2023-09-14T08:00:00+07:00")  # 01:00 UTC
    pair = only(find_reuse([late, early]))
    assert (pair.a, pair.b, pair.earlier) == (early.key, late.key, early.key)
    assert pair.share_a > pair.share_b
    for p in pair.passages:
        assert folded_words(edited[p.a_start : p.a_end]) == folded_words(
            AGENCY["text"][p.b_start : p.b_end]
        )
    assert [p.a_start for p in pair.passages] == sorted(p.a_start for p in pair.passages)


def test_unclear_order_sorts_the_keys_and_the_first_doc_with_a_key_counts() -> None:
    docs = [
        doc("https://z/1", AGENCY["text"]),
        doc("https://a/1", AGENCY["text"]),
        doc("https://a/1", OTHER["text"]),  # same key again: ignored
    ]
    pair = only(find_reuse(docs))
    assert (pair.a, pair.b, pair.earlier) == ("https://a/1", "https://z/1", None)


def test_candidates_come_from_the_lsh_index_not_from_all_pairs() -> None:
    docs = [
        doc("https://a/1", AGENCY["text"]),
        doc("https://b/1", OTHER["text"]),
        doc("https://c/1", SUMMARY_EN),
        doc("https://d/1", REPORT_1),
        doc("https://e/1", light_edit(AGENCY["text"])),
    ]
    found = candidate_pairs(docs, Vocabulary(), shingle_words=5, num_perm=64, lsh_threshold=0.1)
    assert found == [(0, 4)]


def test_sketches_are_datasketch_minhashes() -> None:
    tokens = tokenize(AGENCY["text"], Vocabulary())
    values = shingle_input(kgram_hashes(tokens.hashes, 5))
    ours = sketches(values, np.array([0, len(values)]), 64)[0]
    theirs = MinHash(num_perm=64, seed=SEED, scheme=SCHEME, hashfunc=int)
    theirs.update_batch(values.tolist())
    assert np.array_equal(ours, theirs.hashvalues)


def test_words_fold_case_accents_and_composition_alike() -> None:
    vocabulary = Vocabulary()
    nfc = tokenize("Corée du Nord, l’été", vocabulary)
    nfd = tokenize("COREE DU NORD — L'E\u0301TE\u0301", vocabulary)
    assert np.array_equal(nfc.hashes, nfd.hashes)
    assert list(nfc.starts) == [0, 6, 9, 15, 17]
    assert list(nfc.ends) == [5, 8, 13, 16, 20]


def test_quotation_marks_of_several_languages() -> None:
    text = 'Il a dit « un deux » puis “trois” et „vier“ ou "five six".\nPas « ici'
    tokens = tokenize(text, Vocabulary())
    words = [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)]
    quoted = {w for w, q in zip(words, tokens.quoted, strict=True) if q}
    assert quoted == {"un", "deux", "trois", "vier", "five", "six", "ici"}


def test_texts_tokenised_together_give_what_each_gives_alone() -> None:
    texts = [
        'Il a dit « un deux » puis "trois',
        "",
        " … — ",
        "E\u0301TE\u0301 \u0301 \u0301\u0301 l’été",
        "quatre » cinq",
        AGENCY["text"],
    ]
    together = tokenize_many(texts, Vocabulary())
    for text, tokens in zip(texts, together, strict=True):
        alone = tokenize(text, Vocabulary())
        assert np.array_equal(tokens.hashes, alone.hashes)
        assert np.array_equal(tokens.starts, alone.starts)
        assert np.array_equal(tokens.ends, alone.ends)
        assert np.array_equal(tokens.quoted, alone.quoted)
    assert [len(t) for t in together[:5]] == [7, 0, 0, 3, 2]


def test_an_empty_corpus_and_texts_without_words() -> None:
    assert find_reuse([]) == []
    assert find_reuse([doc("https://a/1", ""), doc("https://b/1", " … — ")]) == []
    assert parse_published(None) is None


def test_doc_is_frozen() -> None:
    d = doc("https://a/1", "x")
    assert replace(d, outlet="y").outlet == "y"
    with pytest.raises(AttributeError):
        d.outlet = "y"  # type: ignore[misc]
