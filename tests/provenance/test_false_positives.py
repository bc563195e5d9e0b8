"""Names that look like sources but are not: none of them may become a chain hop.

Whole pages through extraction and provenance (crawler.analyze), so the test covers where
evidence is read from, not only how a string is parsed.
"""

from __future__ import annotations

import pytest

from crawler.analyze import analyze
from crawler.profile import load_profile

BODY = (
    "<p>Le sommet entre les deux dirigeants a duré plus de cinq heures au cosmodrome, "
    "où ils ont visité les installations de lancement et parlé de coopération spatiale.</p>"
    "<p>Les deux délégations ont ensuite déjeuné ensemble avant une dernière séance de "
    "travail consacrée aux transports, à l'agriculture et aux échanges économiques.</p>"
)


def page(body: str, *, chrome: str = "", head: str = "") -> str:
    return (
        '<html lang="fr"><head><meta property="og:type" content="article">'
        f"<title>Un article</title>{head}</head><body><nav><a href='/'>Accueil</a></nav>"
        f"<article><h1>Un article</h1><div class='content'>{body}</div></article>"
        f"{chrome}</body></html>"
    )


def chain_and_cited(html: str, outlet: str = "example.fr", profile: str = "generic") -> tuple:
    item = analyze(html, "https://www.example.fr/a/1", outlet, load_profile(profile))
    return item["provenance"]["chain"], item["provenance"]["cited"], item["provenance"]["basis"]


@pytest.mark.parametrize(
    ("case", "html"),
    [
        (
            "agency only in a related-article link",
            page(
                BODY,
                chrome="<aside class='related'><a href='/b'>Ukraine : l'AFP "
                "révèle un nouveau document (AFP)</a></aside>",
            ),
        ),
        (
            "agency only in the footer",
            page(
                BODY,
                chrome="<footer><p>© AFP 2023 - Tous droits réservés. "
                "Reuters, AP et l'AFP sont nos partenaires.</p></footer>",
            ),
        ),
        (
            "AP inside words and as an abbreviation",
            page(
                BODY + "<p>L'AP-HP et le CAPES "
                "ont publié un communiqué commun sur l'APEC, sans autre précision sur le sujet.</p>"
            ),
        ),
        (
            "RT as a retweet",
            page(
                BODY + "<p>RT @kremlin_fr: les discussions se "
                "poursuivent, a écrit un internaute sur le réseau social, sans plus de détails.</p>"
            ),
        ),
        (
            "Chine and Russie alone",
            page(
                BODY + "<p>La Chine et la Russie ont salué "
                "la rencontre, selon des diplomates présents sur place au moment des faits.</p>"
            ),
        ),
        (
            "a person's quote to a broadcaster",
            page(
                BODY + "<p>« Je suis très content de vous voir », a déclaré "
                "Vladimir Poutine à la télévision russe avant les pourparlers.</p>"
            ),
        ),
    ],
)
def test_no_false_chain_hop(case: str, html: str) -> None:
    chain, cited, basis = chain_and_cited(html)
    assert chain == [["example.fr"]], case
    assert basis == "own", case
    assert cited == [], case


def test_the_outlets_own_signature_is_not_a_source() -> None:
    html = page(BODY + "<p>Le Placentin</p>")
    chain, _, basis = chain_and_cited(html, outlet="leplacentin")
    assert chain == [["leplacentin"]]
    assert basis == "own"


def test_an_agency_cited_in_the_text_is_cited_not_the_origin() -> None:
    html = page(
        BODY + "<p>Selon l'agence TASS, un déjeuner a suivi les discussions "
        "entre les deux dirigeants, qui ont échangé des cadeaux.</p>"
    )
    chain, cited, basis = chain_and_cited(html)
    assert (chain, basis) == ([["example.fr"]], "own")
    assert cited == ["tass"]


def test_generic_pages_get_the_same_readers_as_outlets() -> None:
    html = page("<p>PARIS (AFP) - " + BODY[3:])
    chain, _, basis = chain_and_cited(html)
    assert chain == [["afp"], ["example.fr"]]
    assert basis == "dateline"
