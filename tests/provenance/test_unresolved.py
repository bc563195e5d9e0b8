"""Evidence the engine saw but could not resolve stays in the item: ``agency`` null, a
``reason``, and the names no registry entry matched under ``unresolved``."""

from __future__ import annotations

import pytest

from crawler.items import Evidence
from crawler.provenance.chain import build_provenance
from crawler.provenance.evidence import as_evidence, locate
from crawler.provenance.unresolved import (
    NO_SOURCE_NAMED,
    NOT_IN_REGISTRY,
    evidence_agency,
    find_unresolved_credit,
    labelled_unknown,
    unknown_names,
)
from crawler.registry import load_registry

REG = load_registry()
BODY = "Le port accueillera des navires plus grands.\nLes travaux dureront deux ans."


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Source : Agence XYZ", "Agence XYZ"),
        ("Source: Bakhtar News Agency.", "Bakhtar News Agency"),
        ("Quelle: Nachrichtenagentur Foo", "Nachrichtenagentur Foo"),
        ("Fuente: Agencia Boliviana de Información", "Agencia Boliviana de Información"),
        ("Fonte: Agenzia Nova", "Agenzia Nova"),
        ("Źródło: Agencja Foo", "Agencja Foo"),
        ("SOURCE : Agence XYZ", "Agence XYZ"),
    ],
)
def test_a_labelled_credit_naming_no_entry_gives_the_name(line: str, name: str) -> None:
    assert labelled_unknown(line, REG) == name


@pytest.mark.parametrize(
    "line",
    [
        "Source : AFP",  # known: the readers read it
        "Source : Agence XYZ et AFP",  # names a known agency: the readers' business
        "Source : le ministère de la Santé",  # not a name
        "Source : https://example.org/rapport",
        "Source : a b c d e f g h",  # a sentence, not a name
        "Sources : AFP/Agence XYZ",  # a chain: the credit readers keep its unknown hop
        "Agence XYZ",  # no label: nothing says it is a source
        "Il a cité sa source : un diplomate qui a requis l'anonymat.",
        "Source : 2024",
    ],
)
def test_what_is_not_an_unresolved_credit(line: str) -> None:
    assert labelled_unknown(line, REG) is None


def test_the_unresolved_credit_is_read_from_the_last_or_first_lines() -> None:
    end = find_unresolved_credit(BODY + "\nSource : Agence XYZ", REG)
    assert end is not None
    assert (end.kind, end.agencies, end.hops) == ("credit_line", ("unknown:Agence XYZ",), ())
    assert (BODY + "\nSource : Agence XYZ")[end.start :].startswith("Source : Agence XYZ")
    lead = find_unresolved_credit("Source : Agence XYZ\n" + BODY, REG)
    assert lead is not None and lead.start == 0
    middle = BODY.replace("\n", "\nSource : Agence XYZ\n") + "\nUn.\nDeux.\nTrois."
    assert find_unresolved_credit(middle, REG) is None  # not where credits go


def test_evidence_agency_is_the_first_known_id_or_null_with_a_reason() -> None:
    assert evidence_agency(("unknown:FMW", "bloomberg")) == ("bloomberg", None, ["FMW"])
    assert evidence_agency(("afp",)) == ("afp", None, [])
    assert evidence_agency(("unknown:Agence XYZ",)) == (None, NOT_IN_REGISTRY, ["Agence XYZ"])
    assert evidence_agency(()) == (None, NO_SOURCE_NAMED, [])
    assert unknown_names(("unknown:A", "afp", "unknown:A", "unknown:B")) == ["A", "B"]


def _evidence(text: str, page: list[Evidence] | None = None) -> list[Evidence]:
    return as_evidence(locate(page or [], text, "news.example", REG))


def test_a_body_credit_naming_an_unknown_agency_is_kept_with_agency_null() -> None:
    found = locate([], BODY + "\nSource : Agence XYZ", "news.example", REG)
    [piece] = [e for e in as_evidence(found) if e.kind == "credit_line"]
    assert (piece.text, piece.agency, piece.reason) == (
        "Source : Agence XYZ", None, NOT_IN_REGISTRY
    )  # fmt: skip
    assert piece.unresolved == ["Agence XYZ"]
    result = build_provenance(found, "news.example")
    assert (result.chain, result.basis, result.cited) == ([["news.example"]], "own", [])


def test_a_chain_with_an_unknown_hop_names_its_known_agency_and_lists_the_other() -> None:
    [piece] = [e for e in _evidence(BODY + "\nFMW/Bloomberg") if e.kind == "credit_line"]
    assert (piece.agency, piece.reason, piece.unresolved) == ("bloomberg", None, ["FMW"])
    assert piece.agencies == ["unknown:FMW", "bloomberg"]


def test_a_known_credit_leaves_nothing_unresolved() -> None:
    [piece] = [e for e in _evidence(BODY + "\nSource : AFP") if e.kind == "credit_line"]
    assert (piece.agency, piece.reason, piece.unresolved) == ("afp", None, [])


def test_page_evidence_naming_no_source_says_so() -> None:
    page = [Evidence("byline", "Par Jean Dupont", "p.author")]
    [piece] = [e for e in _evidence(BODY, page) if e.kind == "byline"]
    assert (piece.agency, piece.reason, piece.unresolved) == (None, NO_SOURCE_NAMED, [])


def test_a_page_credit_line_naming_an_unknown_agency_is_unresolved() -> None:
    page = [Evidence("credit_line", "Source : Agence XYZ", "div.credit")]
    pieces = [e for e in _evidence(BODY, page) if e.kind == "credit_line"]
    assert [(p.where, p.agency, p.reason, p.unresolved) for p in pieces] == [
        ("div.credit", None, NOT_IN_REGISTRY, ["Agence XYZ"])
    ]


def test_an_unresolved_page_credit_does_not_hide_a_known_credit_in_the_text() -> None:
    page = [Evidence("credit_line", "Source : Agence XYZ", "div.credit")]
    found = locate(page, BODY + "\nXinhua/VNA", "news.example", REG)
    result = build_provenance(found, "news.example")
    assert result.chain == [["xinhua"], ["vna"], ["news.example"]]


@pytest.mark.parametrize(
    ("caption", "name"),
    [
        ("Der Hafen am Morgen. Foto: Jane Doe/ANPX", "ANPX"),
        ("Photo: Imago Images", "Imago Images"),
        ("© 2020 Foo Photos", "Foo Photos"),
    ],
)
def test_a_photo_credit_naming_an_unknown_agency_is_kept_with_agency_null(
    caption: str, name: str
) -> None:
    page = [Evidence(kind="caption", text=caption, where="figure > figcaption")]
    found = locate(page, BODY, "news.example", REG)
    assert build_provenance(found, "news.example").media == []  # no image chain on it
    (credit,) = [e for e in as_evidence(found) if e.kind == "photo_credit"]
    assert (credit.agency, credit.reason, credit.unresolved) == (None, NOT_IN_REGISTRY, [name])


@pytest.mark.parametrize(
    "caption", ["Foto: Jane Doe", "Foto: privat", "© Jane Doe", "Der Hafen am Morgen."]
)
def test_a_photographer_or_a_word_in_a_caption_is_nothing_unresolved(caption: str) -> None:
    page = [Evidence(kind="caption", text=caption, where="figure > figcaption")]
    assert [e for e in _evidence(BODY, page) if e.unresolved] == []
