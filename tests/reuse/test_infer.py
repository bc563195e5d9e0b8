"""Chains inferred from reuse: where the page is silent, the order clear and the source known."""

from __future__ import annotations

from typing import Any

import pytest

from crawler.reuse.detect import Doc, ReusePair, find_reuse
from crawler.reuse.infer import Inferred, agency_of, infer_provenance
from tests.crawling import light_edit, seed_item

AGENCY = seed_item("cvn/003-poutine-kim-cooperation-spatiale")

CVN = [["tass"], ["vna"], ["cvn"]]


def article(
    outlet: str, published: str | None, chain: list[list[str]] | None = None, basis: str = "own"
) -> dict[str, Any]:
    return {
        "outlet": outlet,
        "published": published,
        "provenance": {"chain": chain or [[outlet]], "basis": basis},
    }


def pair(a: str, b: str, share_a: float, share_b: float, earlier: str | None) -> ReusePair:
    return ReusePair(a, b, share_a, share_b, (), earlier)


def by_url(found: list[Inferred]) -> dict[str, Inferred]:
    urls = [f.url for f in found]
    assert urls == sorted(set(urls)), "one entry per article, sorted"
    return {f.url: f for f in found}


ARTICLES = {
    "https://cvn/a": article("cvn", "2023-09-13T20:15:00+07:00", CVN, "credit_line"),
    "https://b.example/b": article("b.example", "2023-09-14T09:00:00+02:00"),
}


def test_an_uncredited_copy_gets_the_source_chain_with_lower_confidence() -> None:
    found = by_url(
        infer_provenance(
            [pair("https://cvn/a", "https://b.example/b", 0.8, 0.92, "https://cvn/a")], ARTICLES
        )
    )
    inferred = found["https://b.example/b"]
    assert inferred.chain == [["tass"], ["vna"], ["cvn"], ["b.example"]]
    assert inferred.basis == "text_reuse"
    evidence = inferred.evidence
    assert evidence["kind"] == "text_reuse"
    assert evidence["text"] == "reuses 92% of https://cvn/a"
    assert evidence["where"] == evidence["source_url"] == "https://cvn/a"
    assert evidence["agency"] == "tass"
    assert evidence["agencies"] == ["tass", "vna", "cvn"]
    assert evidence["share"] == 0.92
    assert 0 < evidence["confidence"] <= 0.7 < 0.95
    assert "https://cvn/a" not in found  # a credit line is never touched


def test_a_credit_line_is_never_overridden() -> None:
    articles = dict(ARTICLES)
    articles["https://b.example/b"] = article(
        "b.example", "2023-09-14T09:00:00+02:00", [["afp"], ["b.example"]], "credit_line"
    )
    found = infer_provenance(
        [pair("https://cvn/a", "https://b.example/b", 1.0, 1.0, "https://cvn/a")], articles
    )
    assert found == []


@pytest.mark.parametrize("basis", ["dateline", "byline"])
def test_a_dateline_or_byline_chain_is_kept_and_gains_the_evidence(basis: str) -> None:
    articles = dict(ARTICLES)
    articles["https://b.example/b"] = article(
        "b.example", "2023-09-14T09:00:00+02:00", [["reuters"], ["b.example"]], basis
    )
    (found,) = infer_provenance(
        [pair("https://cvn/a", "https://b.example/b", 1.0, 1.0, "https://cvn/a")], articles
    )
    assert (found.url, found.chain, found.basis) == ("https://b.example/b", [], basis)
    assert found.evidence["kind"] == "text_reuse"


def test_when_the_direction_is_unclear_both_get_evidence_and_neither_a_chain() -> None:
    articles = {
        "https://x.example/1": article("x.example", None),
        "https://y.example/1": article("y.example", "2023-09-14T09:00:00+02:00"),
    }
    found = by_url(
        infer_provenance(
            [pair("https://x.example/1", "https://y.example/1", 0.9, 0.95, None)], articles
        )
    )
    assert set(found) == set(articles)
    for url, inferred in found.items():
        assert inferred.chain == []
        assert inferred.basis == "own"
        assert "unclear" in inferred.evidence["text"]
        assert inferred.evidence["where"] != url
        assert inferred.evidence["confidence"] <= 0.3


def test_the_earlier_article_gets_nothing_from_a_later_one() -> None:
    articles = dict(ARTICLES)
    articles["https://cvn/a"] = article("cvn", "2023-09-13T20:15:00+07:00")  # cvn's own text
    found = infer_provenance(
        [pair("https://cvn/a", "https://b.example/b", 0.95, 0.95, "https://cvn/a")], articles
    )
    assert [f.url for f in found] == ["https://b.example/b"]


def test_a_copy_must_be_mostly_the_source_text() -> None:
    pairs = [pair("https://cvn/a", "https://b.example/b", 0.9, 0.45, "https://cvn/a")]
    assert infer_provenance(pairs, ARTICLES) == []
    (found,) = infer_provenance(pairs, ARTICLES, most=0.4)
    assert found.chain[-1] == ["b.example"]


def test_a_source_that_is_its_outlet_own_reporting_gives_evidence_not_a_chain() -> None:
    articles = {
        "https://lagazette/1": article("lagazette", "2023-09-13T10:00:00+02:00"),
        "https://b.example/b": article("b.example", "2023-09-14T09:00:00+02:00"),
    }
    (found,) = infer_provenance(
        [pair("https://lagazette/1", "https://b.example/b", 0.9, 0.9, "https://lagazette/1")],
        articles,
    )
    assert (found.url, found.chain, found.basis) == ("https://b.example/b", [], "own")
    assert found.evidence["agency"] == "lagazette"
    assert 0 < found.evidence["confidence"] <= 0.5


@pytest.mark.parametrize("outlet", ["afp", "afp.com", "tass.ru"])
def test_an_agency_own_copy_is_an_origin(outlet: str) -> None:
    articles = {
        "https://wire/1": article(outlet, "2023-09-13T10:00:00+02:00"),
        "https://b.example/b": article("b.example", "2023-09-13T18:00:00+02:00"),
    }
    (found,) = infer_provenance(
        [pair("https://wire/1", "https://b.example/b", 0.9, 0.9, "https://wire/1")], articles
    )
    assert found.chain == [[agency_of(outlet)], ["b.example"]]
    assert found.evidence["agency"] == agency_of(outlet)


def test_two_copies_of_the_same_agency_text_both_go_back_to_it() -> None:
    c, a, b = "https://cvn/c", "https://a.example/a", "https://b.example/b"
    articles = {
        c: article("cvn", "2023-09-13T20:15:00+07:00", CVN, "credit_line"),
        a: article("a.example", "2023-09-14T08:00:00+02:00"),
        b: article("b.example", "2023-09-14T12:00:00+02:00"),
    }
    pairs = [
        pair(c, a, 0.9, 0.95, c),
        pair(c, b, 0.85, 0.9, c),
        pair(a, b, 0.85, 0.95, a),  # B shares A's text too, but A is itself a copy of C
    ]
    found = by_url(infer_provenance(pairs, articles))
    assert found[a].chain == [*CVN, ["a.example"]]
    assert found[b].chain == [*CVN, ["b.example"]]
    assert found[b].evidence["source_url"] == c


def test_a_copy_of_a_copy_goes_back_to_the_first_source() -> None:
    c, a, b = "https://cvn/c", "https://a.example/a", "https://b.example/b"
    articles = {
        c: article("cvn", "2023-09-13T20:15:00+07:00", CVN, "credit_line"),
        a: article("a.example", "2023-09-14T08:00:00+02:00"),
        b: article("b.example", "2023-09-14T12:00:00+02:00"),
    }
    pairs = [pair(c, a, 0.9, 0.95, c), pair(a, b, 0.85, 0.95, a)]  # B never matched C enough
    found = by_url(infer_provenance(pairs, articles))
    assert found[b].chain == [*CVN, ["b.example"]]
    assert found[b].evidence["where"] == a
    assert found[b].evidence["via"] == c
    assert found[b].evidence["confidence"] < found[a].evidence["confidence"]


def test_from_texts_to_chains() -> None:
    texts = {
        "https://lecourrier.vn/003": (AGENCY["text"], "cvn", "2023-09-13T20:15:00+07:00"),
        "https://b.example/edit": (light_edit(AGENCY["text"]), "b.example", "2023-09-14T08:00Z"),
        "https://c.example/same": (AGENCY["text"], "c.example", None),
    }
    docs = [Doc(url, text, outlet, when) for url, (text, outlet, when) in texts.items()]
    articles = {
        "https://lecourrier.vn/003": article("cvn", texts["https://lecourrier.vn/003"][2], CVN),
        "https://b.example/edit": article("b.example", "2023-09-14T08:00Z"),
        "https://c.example/same": article("c.example", None),
    }
    articles["https://lecourrier.vn/003"]["provenance"]["basis"] = "credit_line"
    found = by_url(infer_provenance(find_reuse(docs), articles))
    assert found["https://b.example/edit"].chain == [*CVN, ["b.example"]]
    assert found["https://c.example/same"].chain == []  # no publication time: evidence only
    assert "https://lecourrier.vn/003" not in found
