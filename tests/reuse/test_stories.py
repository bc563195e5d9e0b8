"""Story clusters: the five seed articles are one story, an unrelated article is not in it."""

from __future__ import annotations

import json

import pytest

from crawler.reuse.detect import Doc
from crawler.reuse.stories import cluster_stories, names
from tests.crawling import FIXTURES, SUMMARY_EN

SEEDS = [
    "article/000-poutine-accueille-kim",
    "cvn/001-poutine-kim-vostotchny",
    "lagazette/002-poutine-accepte-invitation",
    "cvn/003-poutine-kim-cooperation-spatiale",
    "leplacentin/004-fin-des-discussions",
]

UNRELATED = (
    "Le Conseil municipal de Bordeaux a adopté lundi soir le budget 2024, marqué par une "
    "hausse des investissements dans les transports, a annoncé le maire Pierre Hurmic.\n"
    "La nouvelle ligne de tramway entre Mérignac et la gare Saint-Jean doit ouvrir en 2026. "
    "L'opposition, menée par Thomas Cazenave, a voté contre et dénoncé une dette trop lourde.\n"
    "Selon la Chambre régionale des comptes, la ville reste l'une des moins endettées de "
    "Nouvelle-Aquitaine, avec 850 euros par habitant."
)


def seed_doc(folder: str) -> Doc:
    expected = json.loads((FIXTURES / folder / "expected.json").read_text(encoding="utf-8"))
    item = expected["item"]
    return Doc(folder, item["text"], item["outlet"], item["published"], item["language"])


def test_the_five_seed_articles_are_one_story_and_an_unrelated_one_is_not() -> None:
    docs = [seed_doc(folder) for folder in SEEDS]
    docs.append(Doc("bordeaux", UNRELATED, "sudouest", "2023-09-13T21:00:00+02:00", "fr"))
    assert cluster_stories(docs) == [sorted(SEEDS)]


def test_a_summary_in_another_language_joins_the_story_by_its_names() -> None:
    docs = [seed_doc(folder) for folder in SEEDS]
    docs.append(Doc("english", SUMMARY_EN, "briefing", "2023-09-14T06:45:00+00:00", "en"))
    assert cluster_stories(docs) == [sorted([*SEEDS, "english"])]


def test_stories_are_bounded_in_time_unless_a_time_is_unknown() -> None:
    first, second = seed_doc(SEEDS[3]), seed_doc(SEEDS[4])
    later = Doc("later", second.text, "x", "2023-09-30T10:00:00+02:00")
    undated = Doc("undated", second.text, "x", None)
    assert cluster_stories([first, later]) == []
    assert cluster_stories([first, later], window_hours=24 * 30) == [sorted([SEEDS[3], "later"])]
    assert cluster_stories([first, undated]) == [sorted([SEEDS[3], "undated"])]


def test_names_are_capitalised_words_and_numbers_not_sentence_openers() -> None:
    text = (
        "Selon l'agence KCNA, M. Kim Jong-un a quitté Pyongyang le 12 septembre 2023.\n"
        "Interrogé par la télévision, « Nous verrons », a dit le Président de la Corée du Sud.\n"
        "'Yes', he said of l'Amour and d’Ukraine."
    )
    assert names(text) == {
        "kcna", "kim", "jong", "pyongyang", "12", "2023", "president", "coree", "sud", "amour",
        "ukraine",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("un iPhone et un x-Bar, le A4 et le 75e", {"75", "a4"}),  # capitals inside words
        ("le 2019-2020 et 3 fois", {"2019"}),  # a number's leading digits, two at least
        ("un Élysée, un éclat, l'Œuvre", {"elysee", "œuvre"}),  # capitals past ASCII
        ("foo_Bar et l_9 puis --Baz", {"bar"}),  # _ splits words; a dash opens a quote
    ],
)
def test_names_are_read_from_whole_words_only(text: str, expected: set[str]) -> None:
    assert names(text) == expected


def test_nothing_to_cluster() -> None:
    assert cluster_stories([]) == []
    assert cluster_stories([seed_doc(SEEDS[0])]) == []
