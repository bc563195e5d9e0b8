"""The conventions of more languages and scripts, each a row of crawler/data/conventions.toml,
read by the readers. Every string here is written for the test after the forms real pages
use (labels before a credit, the wire's own dateline forms, photo labels), none copied."""

from __future__ import annotations

import pytest

from crawler.provenance.readers import (
    find_end_credit,
    find_lead_credit,
    read_byline,
    read_credit_line,
    read_dateline,
    read_in_text,
    read_photo_credit,
)
from crawler.provenance.readers.conventions import languages, load_conventions
from crawler.provenance.readers.credit_lines import read_source_note
from crawler.registry import load_registry

REG = load_registry()

CREDIT_LINES = [
    pytest.param("Source : AFP", "afp", id="fr-source-label"),
    pytest.param("Quelle: dpa", "dpa", id="de-quelle-label"),
    pytest.param("Fonte: ANSA", "ansa", id="it-fonte-label"),
    pytest.param("Fuente: EFE", "efe", id="es-fuente-label"),
    pytest.param("本文来源：新华社", "xinhua", id="zh-source-label"),
    pytest.param("Источник: ТАСС", "tass", id="ru-source-label"),
    pytest.param("Kaynak: Reuters", "reuters", id="tr-source-label"),
    pytest.param("Zdroj: Reuters", "reuters", id="cs-source-label"),
    pytest.param("(dpa/xy)", "dpa", id="end-mark-agency-then-initials"),
    pytest.param("sak/Reuters", "reuters", id="end-mark-initials-then-agency"),
    pytest.param("apr/dpa", "dpa", id="end-mark-initials-dpa"),
]


@pytest.mark.parametrize(("text", "agency"), CREDIT_LINES)
def test_labelled_credit_lines_in_many_languages(text: str, agency: str) -> None:
    found = read_credit_line(text, REG)
    assert found is not None
    assert found.agencies == (agency,)


def test_a_source_line_opening_the_body_is_a_lead_credit() -> None:
    body = "Quelle: dpa\nDer Stadtrat hat am Montag beschlossen, die Brücke zu sanieren."
    found = find_lead_credit(body, REG)
    assert found is not None and found.agencies == ("dpa",)


SOURCE_NOTES = [
    pytest.param(
        "Mit Informationen der Korrespondenten sowie der Nachrichtenagenturen AFP, AP und dpa.",
        ("afp", "ap", "dpa"),
        id="de-mit-informationen",
    ),
    pytest.param("Mit Material der Agenturen dpa und epd", ("dpa", "epd"), id="de-mit-material"),
    pytest.param(
        "With information from the news agencies Reuters and AFP.",
        ("reuters", "afp"),
        id="en-with-information",
    ),
]


@pytest.mark.parametrize(("text", "agencies"), SOURCE_NOTES)
def test_a_source_note_lists_the_agencies_the_copy_rests_on(
    text: str, agencies: tuple[str, ...]
) -> None:
    found = read_source_note(text, REG)
    assert found is not None and found.hops == (agencies,)


def test_a_source_note_below_the_first_lines_of_a_live_blog_is_found() -> None:
    body = (
        "Die wichtigsten Meldungen\n- Erste Meldung\n- Zweite Meldung\n- Dritte Meldung\n"
        "Mit Informationen der Nachrichtenagenturen AP und Reuters. Manches ist unbestätigt.\n"
        "Der Rat tagte am Montag."
    )
    found = find_lead_credit(body, REG)
    assert found is not None and found.hops == (("ap", "reuters"),)


@pytest.mark.parametrize(
    "text",
    ["Mit Informationen von Zeugen vor Ort.", "Mit Informationen über Agenturen wie Reuters"],
)
def test_a_note_naming_no_agency_list_is_no_source_note(text: str) -> None:
    assert read_source_note(text, REG) is None


def test_end_mark_with_editor_initials_closes_the_body() -> None:
    body = "Der Rat tagt wieder im Mai, wie ein Sprecher am Montag in Berlin mitteilte.\nmk/dpa"
    found = find_end_credit(body, REG)
    assert found is not None and found.agencies == ("dpa",)


DATELINES = [
    pytest.param("МОСКВА, 5 мая. /ТАСС/. Президент заявил", "tass", id="ru-slash-agency"),
    pytest.param("新华社北京1月3日电 国务院总理说", "xinhua", id="zh-wire-mark"),
    pytest.param("【6月18日 AFP】ナイジェリア北東部で", "afp", id="ja-bracketed-date-agency"),
    pytest.param("AFP, MANILA Thousands of troops began drills", "afp", id="agency-caps-place"),
    pytest.param("CAIRO (Reuters) - Talks resumed", "reuters", id="en-paren-agency"),
    pytest.param("新华社 2020-01-03 18:13\n新年伊始", "xinhua", id="zh-agency-then-date"),
    pytest.param("PTI | July 9, 2020 | Updated 08:24 IST", "pti", id="en-agency-bar-date"),
]


@pytest.mark.parametrize(("text", "agency"), DATELINES)
def test_datelines_in_their_scripts(text: str, agency: str) -> None:
    found = read_dateline(text, REG)
    assert found is not None
    assert found.agencies == (agency,)
    assert text.startswith(found.text)


NOT_DATELINES = [
    pytest.param("Die Partei / SPD / hat am Montag entschieden", id="slashes-around-a-party"),
    pytest.param("他说新华社的报道很重要", id="agency-inside-a-sentence"),
    pytest.param("AFP, which employs staff in Paris, said", id="agency-as-subject"),
    pytest.param("AFP said on Monday 2020-01-01 that", id="agency-date-inside-a-sentence"),
]


@pytest.mark.parametrize("text", NOT_DATELINES)
def test_not_datelines_in_their_scripts(text: str) -> None:
    assert read_dateline(text, REG) is None


PHOTO_CREDITS = [
    pytest.param("Bildquelle: dpa/Max Muster", "dpa", id="de-bildquelle"),
    pytest.param("Bildrechte: dpa", "dpa", id="de-bildrechte"),
    pytest.param(
        "Ein Mann am Fluss. [사진 출처 = 연합뉴스]", "yonhap", id="ko-photo-source-equals"
    ),
    pytest.param("Fot. Reuters", "reuters", id="pl-fot-abbreviation"),
    pytest.param("Photo by: The Associated Press", "ap", id="en-photo-by-colon"),
    pytest.param("Fotó: Kiss Anna / Reuters", "reuters", id="hu-foto"),
    pytest.param("© AFP/Jan Muster", "afp", id="copyright-then-agency"),
    pytest.param("(Image credit: AP photo/Jane Roe)", "ap", id="en-image-credit-label"),
    pytest.param("Jane Roe / AFP - Getty Images", "afp", id="dash-before-the-distributor"),
]


@pytest.mark.parametrize(("text", "agency"), PHOTO_CREDITS)
def test_photo_labels_in_many_languages(text: str, agency: str) -> None:
    found = read_photo_credit(text, REG)
    assert found is not None
    assert agency in found.agencies


def test_copyright_sign_with_two_agencies_names_both() -> None:
    found = read_photo_credit("Der Hafen am Abend. © AFP/dpa", REG)
    assert found is not None
    assert found.hops == (("afp",), ("dpa",))


def test_byline_glued_to_the_next_word_by_markup_is_still_a_byline() -> None:
    """``Von dpa`` then ``Aktualisiert`` in the next element: text joined with a space."""
    found = read_byline("Von dpa Aktualisiert am 5. Mai", REG)
    assert found is not None and found.agencies == ("dpa",)


def test_every_language_table_uses_known_keys_only() -> None:
    """A language is rows under known keys: a typo in a key would silently add nothing."""
    known = {
        "credit_labels", "with_cues", "unnamed_agencies", "contributed", "agency_nouns",
        "name_suffixes", "articles", "org_words", "particles", "byline_openers",
        "byline_source_cues", "photo_labels", "months", "cite_before", "speech_verbs",
        "addressee", "cite_after", "weak_cues", "after_auxiliaries", "person_pronouns",
        "descriptors", "gap_articles", "gap_modifiers", "gap_time_words", "clause_words",
        "list_joiners", "byline_words", "cue_words", "dateline_marks", "source_notes",
        "agencies_plural",
    }  # fmt: skip
    for lang, keys in load_conventions().items():
        assert set(keys) <= known, lang
        assert all(isinstance(row, str) and row for rows in keys.values() for row in rows), lang


def test_the_tables_cover_the_languages_of_the_labelled_pages() -> None:
    assert {"fr", "en", "de", "es", "it", "pt", "ru", "zh", "ja", "ko", "pl", "cs"} <= set(
        languages()
    )


CITED = [
    pytest.param("Det var uvanlig, sa han ifølge Reuters.", "reuters", id="no-ifolge"),
    pytest.param(
        "Agencja Associated Press podała, że rozmowy trwają.", "ap", id="pl-agencja-podala"
    ),
    pytest.param("Według Reutersa rozmowy trwają.", None, id="pl-inflected-name-unread"),
    pytest.param("Podle agentury Reuters jednání pokračují.", "reuters", id="cs-podle-agentury"),
    pytest.param("Как сообщает ТАСС, переговоры продолжаются.", "tass", id="ru-kak-soobshchaet"),
    pytest.param(
        "Samtalene fortsetter, melder nyhetsbyrået NTB i dag.", "ntb", id="no-melder-nyhetsbyraet"
    ),
    # Scripts without spaces: the cue touches the name.
    pytest.param("路透社报道称，谈判已经结束。", "reuters", id="zh-name-baodao"),
    pytest.param("法新社援引官员的话说，谈判结束。", "afp", id="zh-name-yuanyin"),
    pytest.param("共同通信によると、会議は開かれた。", "kyodo", id="ja-niyoruto"),
    pytest.param("ロイター通信が報じた。", "reuters", id="ja-ga-hojita"),
    # Turkish: the case suffix glued to the name by an apostrophe.
    pytest.param("Reuters'a göre görüşmeler sürüyor.", "reuters", id="tr-a-gore"),
    pytest.param(
        "Anadolu Ajansı'nın haberine göre toplantı yapıldı.", "anadolu", id="tr-haberine-gore"
    ),
    pytest.param("AFP'nin bildirdiğine göre toplantı yapıldı.", "afp", id="tr-bildirdigine"),
    pytest.param("Toplantı Anadolu Lisesi'nde yapıldı.", None, id="tr-school-no-cue"),
    # English report forms, German with a mixed-case name, Russian without "Agence".
    pytest.param(
        "a previous report from Bloomberg has suggested", "bloomberg", id="en-report-from"
    ),
    pytest.param("A recent Bloomberg survey sees oil at $50.", "bloomberg", id="en-survey"),
    pytest.param("The details come to us from Reuters: cuts.", "reuters", id="en-come-to-us"),
    pytest.param("Michael Bloomberg survey of voters", None, id="en-person-survey"),
    pytest.param("wie die Nachrichtenagentur Ansa berichtete.", "ansa", id="de-ansa-mixed-case"),
    pytest.param("агентство France-Presse со ссылкой на данные", "afp", id="ru-france-presse"),
]


@pytest.mark.parametrize(("text", "agency"), CITED)
def test_citations_in_more_languages(text: str, agency: str | None) -> None:
    """An inflected name (``Reutersa``) or an agency the registry lacks is not read (yet)."""
    found = [a for f in read_in_text(text, REG) for a in f.agencies]
    assert found == ([agency] if agency else [])
