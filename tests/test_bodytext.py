"""``text`` is the article body only: what else trafilatura kept is cut and kept as evidence.

The strings are written for these tests in the forms outlets use; none is a real article.
"""

from __future__ import annotations

import pytest

from crawler.bodytext import (
    MIN_WORDS,
    article_words,
    edge_kind,
    is_caption,
    is_headline,
    is_related_link,
    split_body,
    words,
)
from crawler.items import Evidence

P1 = "Le ministre a présenté mardi un plan de relance de l'économie régionale, attendu de tous."
P2 = "Les syndicats ont salué une première étape, tout en demandant des garanties sur l'emploi."
P3 = "Le texte sera examiné par l'assemblée provinciale à la fin du mois, a précisé son cabinet."


def body(*lines: str) -> str:
    return "\n".join(lines)


def cut(text: str, **kwargs: object) -> tuple[str, list[tuple[str, str]]]:
    found = split_body(text, **kwargs)  # type: ignore[arg-type]
    return found.text, [(e.kind, e.text) for e in found.cut]


# -- what is cut, and where it goes ------------------------------------------------------


@pytest.mark.parametrize(
    "credit",
    ["(AFP)", "Xinhua/VNA/CVN", "TASS/VNA/CVN", "Sources : AFP, Reuters", "Source: Reuters", "EFE"],
)
def test_a_credit_line_after_the_body_is_cut_and_kept_as_credit_line_evidence(credit: str) -> None:
    text, pieces = cut(body(P1, P2, credit))
    assert text == body(P1, P2)
    assert pieces == [("credit_line", credit)]


def test_a_credit_glued_to_the_last_paragraph_is_cut_from_it() -> None:
    text, pieces = cut(body(P1, "El presidente dijo que el país lo merece». EFE"))
    assert text == body(P1, "El presidente dijo que el país lo merece».")
    assert pieces == [("credit_line", "EFE")]


def test_the_headline_line_is_cut_when_it_repeats_the_title() -> None:
    title = "Un plan de relance pour l'économie régionale"
    found = split_body(body(title, P1, P2), title=title)
    assert found.text == body(P1, P2)
    assert found.headline == title
    assert found.cut == [], "the headline is the title, not evidence"


def test_a_headline_with_the_site_name_after_it_is_still_the_headline() -> None:
    assert is_headline(
        "Un plan de relance pour l'économie régionale - Le Journal",
        "Un plan de relance pour l'économie régionale",
    )
    assert not is_headline("Un plan", "Un plan de relance pour l'économie régionale")


@pytest.mark.parametrize(
    "byline", ["Par Claire Vasseur", "By John Smith and Jane Doe", "Minh Duc (selon RT, Sputnik)"]
)
def test_a_byline_at_either_edge_is_cut_and_kept_as_byline_evidence(byline: str) -> None:
    assert cut(body(byline, P1, P2)) == (body(P1, P2), [("byline", byline)])
    assert cut(body(P1, P2, byline)) == (body(P1, P2), [("byline", byline)])


def test_the_publishers_own_signature_is_cut_as_a_byline_but_names_no_source() -> None:
    text, pieces = cut(body(P1, P2, "Le Placentin"), publisher="leplacentin")
    assert text == body(P1, P2)
    assert pieces == [("byline", "Le Placentin")]


@pytest.mark.parametrize(
    "caption",
    [
        "Photo : AFP/VNA/CVN",
        "Foto: dpa",
        "Le ministre lors de la présentation du plan, mardi. Photo : Reuters",
        "Les deux délégations à l'aéroport (Photo: AP)",
    ],
)
def test_a_photo_caption_anywhere_in_the_text_is_cut_as_caption_evidence(caption: str) -> None:
    assert is_caption(caption)
    assert cut(body(P1, caption, P2, P3)) == (body(P1, P2, P3), [("caption", caption)])


def test_a_caption_the_page_located_is_cut_even_over_two_lines() -> None:
    legend = "Le ministre lors de la présentation du plan, mardi."
    located = [Evidence(kind="caption", text=f"{legend} Photo : Reuters", where="figcaption")]
    text, pieces = cut(body(P1, legend, "Photo : Reuters", P2), evidence=located)
    assert text == body(P1, P2)
    assert ("caption", legend) in pieces


def test_a_located_caption_is_matched_without_case_even_where_folding_changes_letters() -> None:
    # "Straße" folds to "strasse": the caption's words are compared folded, whole or cut short.
    legend = "Straße der Einheit in Berlin, am Dienstag."
    located = [
        Evidence(
            kind="caption",
            text="STRASSE DER EINHEIT IN BERLIN, am Dienstag. Foto: dpa",
            where="figcaption",
        )
    ]
    text, pieces = cut(body(P1, legend, "Foto: dpa", P2), evidence=located)
    assert text == body(P1, P2)
    assert ("caption", legend) in pieces


def test_a_paragraph_that_a_caption_repeats_in_part_stays_body() -> None:
    located = [
        Evidence(kind="caption", text=f"{P1} Photo by Jane Doe/Getty Images", where="figcaption")
    ]
    assert cut(body(P1, P2), evidence=located) == (body(P1, P2), [])


def test_evidence_the_page_already_located_is_not_repeated() -> None:
    located = [Evidence(kind="credit_line", text="Xinhua/VNA/CVN", where="div.credit")]
    assert cut(body(P1, P2, "Xinhua/VNA/CVN"), evidence=located) == (body(P1, P2), [])


def test_cut_evidence_says_which_line_of_the_text_it_was() -> None:
    found = split_body(body(P1, P2, "(AFP)"))
    assert found.cut[0].where == "text:line 3"


@pytest.mark.parametrize(
    "line",
    [
        ">> Le dirigeant de la RPDC se rend en Russie",
        "Lire aussi : Le plan de relance en cinq points",
        "Read more: The plan in five points",
    ],
)
def test_related_links_are_cut_and_are_evidence_of_nothing(line: str) -> None:
    assert is_related_link(line)
    assert cut(body(P1, line, P2)) == (body(P1, P2), [])


# -- what stays ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Selon l'agence TASS, le président a dit que la rencontre s'était bien passée hier soir.",
        "Reuters a rapporté que le sommet s'est achevé sans déclaration commune.",
        "LOS ANGELES (AP) — To the coach, a win is a win, and a loss is a lesson.",
        "Par ailleurs, le ministre a annoncé une seconde réunion en octobre.",
        "Follow the coverage at https://news.example/coverage",
    ],
)
def test_prose_naming_an_agency_or_opening_like_a_byline_stays(line: str) -> None:
    assert edge_kind(line, publisher="example.org") is None
    assert cut(body(line, P1, P2, line))[0] == body(line, P1, P2, line)


def test_a_dateline_opening_the_first_paragraph_stays_in_the_body() -> None:
    first = "MOSCOU, 13 septembre (AFP) - Le président russe a reçu son homologue mardi."
    assert cut(body(first, P1, P2))[0] == body(first, P1, P2)


# -- how much text makes an article ---------------------------------------------------------


def test_article_words_count_prose_lines_only() -> None:
    menu = body("Accueil", "Politique", "Économie", "13/09/2023", "Dernières nouvelles")
    teasers = body("Le président accueille son homologue au cosmodrome de Vostochny", "12/09/2023")
    assert article_words(menu) == 0
    assert article_words(teasers) == 0, "teaser headlines carry no punctuation"
    assert article_words(body(P1, P2)) == words(P1) + words(P2)


def test_words_in_scripts_without_spaces_are_counted_by_characters() -> None:
    assert words("東京で新しい展示会が始まりました。") == 9
    assert article_words("東京で新しい展示会が始まりました。多くの人が訪れています。") > 0


def test_a_short_wire_brief_is_an_article_and_a_video_blurb_is_not() -> None:
    brief = body(
        "(ANSA) - ROMA, 28 LUG - Sarà Rossi l'arbitro di",
        "Lazio-Torino, in campo domani sera alle 20.45, decima partita",
        "del girone di ritorno. Milan-Genoa è stata affidata",
        "a Bianchi, mentre Verdi dirigerà Napoli-Bari.",
    )
    blurb = body(
        "12/09/2023 16:20",
        "Votre navigateur ne prend pas en charge la lecture de vidéos.",
        "Autres vidéos",
        "Vidéo : le festival de la mi-automne à Hanoï",
    )
    assert article_words(brief) >= MIN_WORDS
    assert article_words(blurb) < MIN_WORDS


def test_a_metadata_line_naming_the_copys_source_and_the_photos_is_a_credit_line() -> None:
    line = "22/11/2020 - 04:30 - Fonte: Agência Brasil - Foto: Maria Souza/Clube"
    text, pieces = cut(body("ESPORTE", line, P1, P2))
    assert text == body("ESPORTE", P1, P2)
    assert pieces == [("credit_line", line)]


def test_a_caption_ending_on_a_photo_copyright_is_not_the_copys_credit() -> None:
    line = "La skieuse à l'arrivée du slalom, dimanche. © AFP / Jean Dupont"
    assert edge_kind(line) is None
    assert ("credit_line", line) not in cut(body(line, P1, P2))[1]
