"""An outlet profile whose selectors miss is survived field by field, and says so.

The pages are written for these tests: one outlet template as the profile knows it, and the
same words after a redesign (new class names, one more level of nesting).
"""

from __future__ import annotations

from crawler.endcredit import credit_after_body
from crawler.extract import parse_html
from crawler.fallback import field_hits, field_stats, missed_fields, read_article
from crawler.printeddate import date_near_headline
from crawler.profile import Profile

PROFILE = Profile.from_mapping(
    {
        "id": "cvn",
        "timezone": "+07:00",
        "unverified": {
            "optional": ["authors"],
            "selectors": {
                "article": "div.story",
                "title": "h1.story-title",
                "published": "span.story-date",
                "published_format": "%d/%m/%Y %H:%M",
                "authors": "span.story-author",
                "credit_line": "div.story-credit",
                "captions": "figure.story-image figcaption",
                "body": "div.story-body",
                "drop": "figure, div.story-credit",
            },
        },
    }
)

PARAGRAPHS = [
    "Le ministre a présenté mardi un plan de relance de l'économie régionale, attendu de tous.",
    "Les syndicats ont salué une première étape, tout en demandant des garanties sur l'emploi.",
    "Le texte sera examiné par l'assemblée provinciale à la fin du mois, a précisé son cabinet.",
]
PS = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
CAPTION = "<img src='a.jpg'><figcaption>Le ministre, mardi. Photo : AFP/VNA/CVN</figcaption>"
URL = "https://lecourrier.vn/un-plan-de-relance/1200001.html"
HEAD = f"<head><link rel='canonical' href='{URL}'></head>"

KNOWN = f"""<html lang="fr">{HEAD}<body><nav>Accueil Politique</nav>
<div class="story"><h1 class="story-title">Un plan de relance</h1>
<span class="story-date">13/09/2023 22:40</span>
<div class="story-body"><figure class="story-image">{CAPTION}</figure>{PS}</div>
<div class="story-credit">Xinhua/VNA/CVN</div></div>
<footer>© Le Courrier</footer></body></html>"""

REDESIGNED = f"""<html lang="fr">{HEAD}<body><nav>Accueil Politique</nav>
<article class="detail"><h1 class="detail__headline">Un plan de relance</h1>
<div class="detail__meta"><span class="detail__when">13/09/2023 22:40</span></div>
<div class="detail__copy"><div class="rich"><figure class="media">{CAPTION}</figure>{PS}</div></div>
<div class="detail__origin">Xinhua/VNA/CVN</div></article>
<aside><p>13/09/2023 20:15</p><p>Un autre article</p></aside>
<footer>© Le Courrier</footer></body></html>"""


def read(html: str) -> tuple[dict[str, bool], list[str], object]:
    reading = read_article(parse_html(html), URL, PROFILE, publisher="cvn")
    return reading.hits, reading.fallback, reading.extraction


def test_on_the_markup_it_knows_the_profile_hits_and_nothing_falls_back() -> None:
    hits, fallback, found = read(KNOWN)
    assert fallback == []
    assert {name for name, hit in hits.items() if not hit} == {"authors"}  # optional, absent
    assert found.text == "\n".join(PARAGRAPHS)  # type: ignore[attr-defined]


def test_after_a_redesign_every_field_is_read_the_generic_way_and_named() -> None:
    hits, fallback, found = read(REDESIGNED)
    assert not any(hit for name, hit in hits.items() if name != "canonical")
    assert fallback == ["title", "published", "body", "credit_line", "captions"]
    assert found.title == "Un plan de relance"  # type: ignore[attr-defined]
    assert found.published == "2023-09-13T22:40:00+07:00"  # type: ignore[attr-defined]
    assert found.text == "\n".join(PARAGRAPHS)  # type: ignore[attr-defined]
    kinds = {(e.kind, e.text) for e in found.evidence}  # type: ignore[attr-defined]
    assert ("credit_line", "Xinhua/VNA/CVN") in kinds
    assert ("caption", "Le ministre, mardi. Photo : AFP/VNA/CVN") in kinds


def test_an_optional_field_that_misses_is_not_read_the_generic_way() -> None:
    page = KNOWN.replace("</h1>", "</h1><p class='author'>Par Jean Martin</p>")
    hits, fallback, _ = read(page)
    assert hits["authors"] is False
    assert "authors" not in fallback


def test_field_hits_only_measure_the_fields_a_profile_sets() -> None:
    hits = field_hits(parse_html(KNOWN), PROFILE)
    assert "dateline" not in hits and "lead" not in hits
    assert hits["article"] and hits["body"] and hits["credit_line"]


def test_a_time_that_the_profiles_format_cannot_read_is_a_miss() -> None:
    page = KNOWN.replace("13/09/2023 22:40", "mercredi soir")
    assert field_hits(parse_html(page), PROFILE)["published"] is False


def test_each_article_adds_one_hit_or_miss_per_measured_field() -> None:
    reading = read_article(parse_html(REDESIGNED), URL, PROFILE, publisher="cvn")
    keys = field_stats(reading)
    assert "wiretrace/profile/credit_line/miss" in keys
    assert "wiretrace/profile/canonical/hit" in keys
    assert len(keys) == len(reading.hits)


def test_the_warning_names_each_field_missed_on_most_articles_and_where_to_fix_it() -> None:
    stats = {
        "wiretrace/profile/credit_line/miss": 18,
        "wiretrace/profile/credit_line/hit": 2,
        "wiretrace/profile/title/miss": 10,
        "wiretrace/profile/title/hit": 10,
        "wiretrace/profile/authors/miss": 20,
    }
    assert missed_fields(PROFILE, stats) == [
        "profile cvn: credit_line missed on 18 of 20 articles; "
        "fix [unverified.selectors] credit_line"
    ], "half is not most, and an optional field is never warned about"


def test_the_generic_profile_is_not_measured() -> None:
    from crawler.profile import load_profile

    reading = read_article(parse_html(REDESIGNED), URL, load_profile("generic"))
    assert reading.hits == {} and reading.fallback == []


# -- the generic evidence places used by the fallback --------------------------------------


def test_the_credit_block_right_after_the_body_is_found_by_position() -> None:
    found = credit_after_body(parse_html(REDESIGNED), "\n".join(PARAGRAPHS), publisher="cvn")
    assert found is not None and found.kind == "credit_line"
    assert found.text == "Xinhua/VNA/CVN"
    assert "div.detail__origin" in found.where


def test_no_credit_is_taken_from_beyond_the_next_long_block() -> None:
    teaser = (
        "<p>"
        + "Un long paragraphe d'un autre article qui vient ensuite dans la page. " * 3
        + "</p>"
    )
    page = REDESIGNED.replace(
        '<div class="detail__origin">', teaser + '<div class="detail__origin">'
    )
    assert credit_after_body(parse_html(page), "\n".join(PARAGRAPHS)) is None


def test_the_time_beside_the_headline_is_read_in_the_outlets_format() -> None:
    tree = parse_html(REDESIGNED)
    assert date_near_headline(tree, "Un plan de relance", "%d/%m/%Y %H:%M", "+07:00") == (
        "2023-09-13T22:40:00+07:00"
    )
    assert date_near_headline(tree, "Un autre titre", "%d/%m/%Y %H:%M") is None


def test_a_time_printed_before_the_headline_is_found_too() -> None:
    page = (
        "<html><body><span>14 Septembre 2023 22:35 (UTC+01:00)</span>"
        "<h1>Le titre</h1><p>Texte.</p></body></html>"
    )
    assert date_near_headline(parse_html(page), "Le titre", "text") == "2023-09-14T22:35:00+01:00"


def test_a_licence_notice_in_the_footer_is_not_the_articles_credit() -> None:
    page = REDESIGNED.replace('<div class="detail__origin">Xinhua/VNA/CVN</div>', "").replace(
        "© Le Courrier", "© AFP 2023 - Tous droits réservés"
    )
    assert credit_after_body(parse_html(page), "\n".join(PARAGRAPHS)) is None
