"""Title, publication time and language: the profile's selectors first, then trafilatura's
and htmldate's readings of the same tree."""

from __future__ import annotations

import logging

import pytest

from crawler import metadata
from crawler.extract import PageQuery, extract_article, parse_html
from crawler.metadata import with_offset_or_date
from crawler.profile import load_profile

GENERIC = load_profile("generic")
BODY = "<p>" + " ".join(["Un paragraphe assez long pour faire un article."] * 8) + "</p>"


def read(head: str, body: str = "", url: str = "https://site.example/a", **kwargs: str):  # type: ignore[no-untyped-def]
    html = (
        f"<html{kwargs.get('html_attrs', '')}><head>{head}</head><body>{body}{BODY}</body></html>"
    )
    return extract_article(
        PageQuery(parse_html(html)), url, GENERIC, declared_language=kwargs.get("declared")
    )


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        # The site's name after a separator goes...
        (
            '<meta property="og:title" content="Parité : au-dessous | La Presse de Tunisie">'
            '<meta property="og:site_name" content="La Presse de Tunisie">',
            "",
            "Parité : au-dessous",
        ),
        # ... as does anything after the page's own headline.
        (
            '<meta property="og:title" content="La perte des terres | DW | 23.05.2011">',
            "<h1>La perte des terres</h1>",
            "La perte des terres",
        ),
        # A separator inside the headline stays.
        (
            '<meta property="og:title" content="Benko-Firma in Sorge - Finanzdaten">',
            "<h1>Ganz anders</h1>",
            "Benko-Firma in Sorge - Finanzdaten",
        ),
        # Neither og:title nor h1: trafilatura reads <title> without the site name.
        (
            "<title>Un titre d'article assez long - Le Site</title>",
            "",
            "Un titre d'article assez long",
        ),
    ],
)
def test_the_title_is_the_headline_without_the_site_name(head: str, body: str, title: str) -> None:
    assert read(head, body).title == title


def test_a_stated_publication_time_keeps_its_offset() -> None:
    head = '<meta property="article:published_time" content="2024-03-05T09:30:00+07:00">'
    assert read(head).published == "2024-03-05T09:30:00+07:00"


def test_without_one_htmldate_finds_the_publication_date() -> None:
    assert read('<meta name="date" content="2024-03-05">').published == "2024-03-05"
    assert read("", url="https://site.example/2023/11/19/un-article/").published == "2023-11-19"


def _jsonld(stamp: str) -> str:
    return (
        '<script type="application/ld+json">'
        f'{{"@type": "NewsArticle", "datePublished": "{stamp}"}}</script>'
    )


@pytest.mark.parametrize(
    ("head", "body", "published"),
    [
        # Only JSON-LD states the time: htmldate reads it with its offset.
        (_jsonld("2024-03-05T09:30:00+07:00"), "", "2024-03-05T09:30:00+07:00"),
        (_jsonld("2024-03-05T02:30:00Z"), "", "2024-03-05T02:30:00+00:00"),
        # A <time> without an offset: the same moment stated with one elsewhere is taken.
        (
            _jsonld("2024-03-05T09:30:00+07:00"),
            '<time datetime="2024-03-05T09:30:00">5 mars</time>',
            "2024-03-05T09:30:00+07:00",
        ),
        # A date without a time stays a date: no midnight, no offset made up.
        ('<meta name="date" content="2024-03-05">', "", "2024-03-05"),
        (_jsonld("2024-03-05"), "", "2024-03-05"),
        # A time without an offset anywhere on the page cannot be placed: the day alone.
        (_jsonld("2024-03-05T09:30:00"), "", "2024-03-05"),
    ],
)
def test_the_publication_time_keeps_its_offset_where_the_page_states_one(
    head: str, body: str, published: str
) -> None:
    assert read(head, body).published == published


@pytest.mark.parametrize(
    ("stamp", "published"),
    [
        ("2019-03-05T10:00:00+0100", "2019-03-05T10:00:00+01:00"),
        ("2019-03-05T10:00:00-0530", "2019-03-05T10:00:00-05:30"),
        ("2019-03-05T00:00:00", "2019-03-05"),
        ("2019-03-05T10:00:00", "2019-03-05"),
        (None, None),
    ],
)
def test_htmldate_output_is_a_time_with_offset_or_a_day(
    stamp: str | None, published: str | None
) -> None:
    assert with_offset_or_date(stamp) == published


@pytest.mark.parametrize(
    ("head", "kwargs", "language"),
    [
        ("", {"html_attrs": ' lang="pt-BR"'}, "pt"),
        ("", {"declared": "fr, en"}, "fr"),
        ('<meta property="og:locale" content="de_DE">', {}, "de"),
        ('<meta http-equiv="content-language" content="es">', {}, "es"),
        (
            '<script type="application/ld+json">{"@graph": [{"inLanguage": "it-IT"}]}</script>',
            {},
            "it",
        ),
        ("", {}, None),
    ],
)
def test_the_language_is_what_the_page_states(
    head: str, kwargs: dict, language: str | None
) -> None:
    assert read(head, **kwargs).language == language


def test_preparing_htmldate_never_stops_a_crawl(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no language data")

    monkeypatch.setattr(metadata, "find_date", broken)
    with caplog.at_level(logging.DEBUG, logger="crawler.metadata"):
        metadata.prepare()  # not raised: the first page loads the data instead
    assert "htmldate could not be prepared: no language data" in caplog.text
