"""Specification of the provenance readers: what each credit convention on a page means.

The tables of inputs and what each must yield (``hops``, origin first, or the cited
agencies; the ``ids`` name the convention), and of look-alikes that must yield nothing, are
in ``tests/provenance/reader_cases.py``; here, each reader is run over its tables, with the
cases that need a registry of their own or a whole seed article.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.provenance.readers import (
    Finding,
    find_end_credit,
    find_lead_credit,
    read_byline,
    read_credit_line,
    read_dateline,
    read_in_text,
    read_photo_credit,
)
from crawler.registry import Agency, Registry, load_registry
from tests.crawling import SHARED
from tests.provenance.reader_cases import (
    BYLINES,
    CREDIT_LINES,
    DATELINES,
    END_CREDITS,
    IN_TEXT,
    LEAD_CREDITS,
    METADATA_FIELDS,
    NO_END_CREDIT,
    NOT_BYLINES,
    NOT_CREDIT_LINES,
    NOT_DATELINES,
    NOT_IN_TEXT,
    NOT_PHOTO_CREDITS,
    PHOTO_CREDITS,
)

REG = load_registry()


def with_extra(*extra: Agency) -> Registry:
    """The shipped registry plus agencies it does not (yet) list, for one test."""
    added = [a for a in extra if a.id not in REG and REG.resolve(a.name) is None]
    return Registry([*REG, *added])


def flat(hops: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a for hop in hops for a in hop))


def assert_span(found: Finding, text: str) -> None:
    """``text`` and ``start`` point at the span as it stands in the input."""
    assert text[found.start : found.start + len(found.text)] == found.text
    assert 0 < found.confidence <= 1


# --------------------------------------------------------------------------------------------
# 1. Credit lines
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "credit", "hops"), METADATA_FIELDS)
def test_labelled_field_of_a_metadata_line(
    text: str, credit: str, hops: tuple[tuple[str, ...], ...]
) -> None:
    """A metadata line's fields: only a labelled one (``Fonte:``) is read as a credit."""
    found = read_credit_line(text, REG)
    assert found is not None
    assert (found.text, found.hops) == (credit, hops)
    assert_span(found, text)


@pytest.mark.parametrize(("text", "hops"), CREDIT_LINES)
def test_credit_line(text: str, hops: tuple[tuple[str, ...], ...]) -> None:
    found = read_credit_line(text, REG)
    assert found is not None
    assert (found.kind, found.hops, found.agencies) == ("credit_line", hops, flat(hops))
    assert_span(found, text)


@pytest.mark.parametrize("text", NOT_CREDIT_LINES)
def test_not_a_credit_line(text: str) -> None:
    assert read_credit_line(text, REG) is None


def test_german_initials_are_not_an_agency_credit() -> None:
    """``(vyp/kna)`` closes a German article: initials, even where KNA is a known agency."""
    registry = with_extra(Agency("kna", "KNA", "news_agency", country="DE"))
    assert read_credit_line("(vyp/kna)", registry) is None
    assert find_end_credit("Der Text endet hier. (vyp/kna)", registry) is None


@pytest.mark.parametrize(
    ("text", "publisher"),
    [
        pytest.param("Le Placentin", "leplacentin", id="signature"),
        pytest.param("Le Placentin / Rédaction", "leplacentin", id="signature-with-desk"),
        pytest.param("© Le Placentin", "leplacentin", id="own-copyright"),
    ],
)
def test_a_publisher_signing_its_own_copy_is_no_credit(text: str, publisher: str) -> None:
    assert read_credit_line(text, REG, publisher=publisher) is None


def test_a_line_read_again_gives_the_same_reading_for_the_same_publisher_only() -> None:
    """The body text's last lines are read where the text is split and again by provenance:
    remembered by line, registry and publisher, never across publishers."""
    first = read_credit_line("FMW/Bloomberg", REG, publisher="finanzmarktwelt.de")
    assert first is read_credit_line("FMW/Bloomberg", REG, publisher="finanzmarktwelt.de")
    elsewhere = read_credit_line("FMW/Bloomberg", REG, publisher="example.de")
    assert first is not None and elsewhere is not None
    assert (first.hops, elsewhere.hops) == ((("bloomberg",),), (("unknown:FMW",), ("bloomberg",)))
    assert read_credit_line("Le Placentin", REG, publisher="leplacentin") is None
    assert read_credit_line("Le Placentin", REG) is not None


@pytest.mark.parametrize(
    ("text", "publisher", "hops"),
    [
        pytest.param("FMW/Bloomberg", "finanzmarktwelt.de", (("bloomberg",),), id="fmw"),
        pytest.param("Quelle: BZW/Reuters", "boersenzeitungwelt.de", (("reuters",),), id="label"),
        pytest.param(
            "FMW/Bloomberg", "example.de", (("unknown:FMW",), ("bloomberg",)), id="other-site"
        ),
    ],
)
def test_a_chain_hop_spelling_out_the_publishers_name_is_the_publishers_mark(
    text: str, publisher: str, hops: tuple[tuple[str, ...], ...]
) -> None:
    """``FMW/Bloomberg`` on finanzmarktwelt.de: the outlet's initials before the agency it
    wrote from; on another site the same capitals stay an unknown source."""
    found = read_credit_line(text, REG, publisher=publisher)
    assert found is not None and found.hops == hops


def test_a_chain_ending_with_the_publisher_is_kept() -> None:
    found = read_credit_line("Xinhua/VNA/CVN", REG, publisher="cvn")
    assert found is not None and found.hops == (("xinhua",), ("vna",), ("cvn",))


def test_outlet_hop_needs_the_outlet_in_the_registry() -> None:
    """Without Le Monde in the registry the outlet is kept as written, marked unknown."""
    registry = Registry([Agency("afp", "AFP", "news_agency"), Agency("reuters", "Reuters", "x")])
    found = read_credit_line("Le Monde avec AFP et Reuters", registry)
    assert found is not None
    assert found.hops == (("afp", "reuters"), ("unknown:Le Monde",))


# --------------------------------------------------------------------------------------------
# find_end_credit: the credit closing an article body
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "credit", "hops"), END_CREDITS)
def test_end_credit(body: str, credit: str, hops: tuple[tuple[str, ...], ...]) -> None:
    found = find_end_credit(body, REG)
    assert found is not None
    assert (found.text, found.hops) == (credit, hops)
    assert_span(found, body)


@pytest.mark.parametrize("body", NO_END_CREDIT)
def test_no_end_credit(body: str) -> None:
    assert find_end_credit(body, REG) is None


@pytest.mark.parametrize(("body", "credit", "agency"), LEAD_CREDITS)
def test_lead_credit(body: str, credit: str, agency: str) -> None:
    found = find_lead_credit(body, REG)
    assert found is not None
    assert (found.text, found.agencies) == (credit, (agency,))
    assert_span(found, body)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("Reuters chief quits\nThe text begins.", id="headline-naming-agency"),
        pytest.param("By Jane Doe\nThe text begins.", id="staff-byline"),
        pytest.param("First line.\nSecond.\nThird.\nQuelle: dpa", id="label-too-far-down"),
    ],
)
def test_no_lead_credit(body: str) -> None:
    assert find_lead_credit(body, REG) is None


def test_own_signature_at_the_end_is_no_end_credit() -> None:
    body = "Les résultats pourraient avoir un impact significatif.\nLe Placentin"
    assert find_end_credit(body, REG, publisher="leplacentin") is None


# --------------------------------------------------------------------------------------------
# 2. Bylines
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "hops"), BYLINES)
def test_byline(text: str, hops: tuple[tuple[str, ...], ...]) -> None:
    found = read_byline(text, REG)
    assert found is not None
    assert (found.kind, found.hops, found.agencies) == ("byline", hops, flat(hops))
    assert_span(found, text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Par Jean Dupont avec agences", id="avec-agences"),
        pytest.param("By Jane Doe with agencies", id="with-agencies"),
        pytest.param("Von Max Muster (mit Agenturen)", id="mit-agenturen"),
    ],
)
def test_byline_agencies_unnamed(text: str) -> None:
    """Agency-based but unnamed: a finding with no agencies, less sure than a named one."""
    found = read_byline(text, REG)
    assert found is not None
    assert (found.agencies, found.hops) == ((), ())
    assert found.confidence < 0.8


@pytest.mark.parametrize("text", NOT_BYLINES)
def test_not_an_agency_byline(text: str) -> None:
    assert read_byline(text, REG) is None


def test_own_byline_is_not_an_agency_byline() -> None:
    assert read_byline("Le Placentin / Journaliste", REG, publisher="leplacentin") is None


# --------------------------------------------------------------------------------------------
# 3. Datelines
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "span", "agency"), DATELINES)
def test_dateline(text: str, span: str, agency: str) -> None:
    found = read_dateline(text, REG)
    assert found is not None
    assert (found.kind, found.text, found.hops) == ("dateline", span, ((agency,),))
    assert_span(found, text)


@pytest.mark.parametrize("text", NOT_DATELINES)
def test_not_a_dateline(text: str) -> None:
    assert read_dateline(text, REG) is None


def test_a_via_dateline_keeps_a_first_outlet_the_registry_knows() -> None:
    found = read_dateline("Le Monde via AFP - Le gouvernement a annoncé", REG)
    assert found is not None and found.hops == (("lemonde",), ("afp",))


# --------------------------------------------------------------------------------------------
# 4. Photo credits
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "hops"), PHOTO_CREDITS)
def test_photo_credit(text: str, hops: tuple[tuple[str, ...], ...]) -> None:
    found = read_photo_credit(text, REG)
    assert found is not None
    assert (found.kind, found.hops, found.agencies) == ("photo_credit", hops, flat(hops))
    assert_span(found, text)


def test_photo_credit_bild_keystone() -> None:
    """``Bild: Keystone``: the Swiss photo agency, known here under its short name."""
    registry = with_extra(Agency("keystone", "Keystone", "photo_agency", country="CH"))
    keystone = registry.resolve("Keystone")
    found = read_photo_credit("Bild: Keystone", registry)
    assert keystone is not None and found is not None
    assert found.hops == ((keystone,),)


@pytest.mark.parametrize("text", NOT_PHOTO_CREDITS)
def test_not_a_photo_credit(text: str) -> None:
    assert read_photo_credit(text, REG) is None


# --------------------------------------------------------------------------------------------
# 5. In-text attributions
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "agencies"), IN_TEXT)
def test_in_text(text: str, agencies: tuple[str, ...]) -> None:
    found = read_in_text(text, REG)
    assert [f.agencies for f in found] == [agencies]
    assert (found[0].kind, found[0].hops) == ("in_text", ())
    assert_span(found[0], text)


def test_in_text_each_citation_is_a_finding() -> None:
    text = "Selon l'agence TASS, ils ont parlé. Un déjeuner est prévu, selon TASS."
    found = read_in_text(text, REG)
    assert [(f.agencies, f.text) for f in found] == [
        (("tass",), "Selon l'agence TASS"),
        (("tass",), "selon TASS"),
    ]


def test_in_text_descriptor_alone_is_a_weak_cue() -> None:
    """``die Nachrichtenagentur Reuters`` with no verb: cited, but less surely than a cue."""
    found = read_in_text("Ein Reporter der Nachrichtenagentur Reuters war vor Ort.", REG)
    assert [f.agencies for f in found] == [("reuters",)]
    assert found[0].confidence < read_in_text("laut Reuters", REG)[0].confidence


@pytest.mark.parametrize("text", NOT_IN_TEXT)
def test_not_cited(text: str) -> None:
    assert read_in_text(text, REG) == []


# --------------------------------------------------------------------------------------------
# The seed articles (acceptance examples in DESIGN.md), where the shared folder is present
# --------------------------------------------------------------------------------------------

SEEDS = SHARED / "seeds"


def seed(prefix: str) -> str:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip("shared seed articles are not present")
    return Path(files[0]).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("prefix", "cited"),
    [
        pytest.param("002", [("kcna",), ("kcna",)], id="lagazette-kcna"),
        pytest.param("003", [("rossiya-1",)], id="cvn-rossiya-1"),
        pytest.param("004", [("tass",), ("tass",)], id="leplacentin-tass"),
    ],
)
def test_seed_citations(prefix: str, cited: list[tuple[str, ...]]) -> None:
    assert [f.agencies for f in read_in_text(seed(prefix), REG)] == cited


def test_seed_credit_lines() -> None:
    lines = seed("001").splitlines() + seed("003").splitlines()
    chains = [f.hops for f in map(lambda line: read_credit_line(line, REG), lines) if f]
    assert chains == [(("xinhua",), ("vna",), ("cvn",)), (("tass",), ("vna",), ("cvn",))]
    assert read_byline("Minh Duc (selon RT, Sputnik)", REG) is not None
