"""The text-reuse fixture pages (fixtures/reuse/) are what fixtures/README.md says they are,
and each yields what its expected.json ``reuse`` key says when compared with the CVN source.

The pages are scraped in-process as the fixture tests do (replay, guard, spider, pipelines),
so a failure here points at one page or at detection, not at a crawl. The same pages go
through real ``scrapy`` processes in test_commands.py.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import Any

import pytest

from crawler.reuse.detect import Doc, ReusePair, find_reuse
from crawler.reuse.infer import infer_provenance
from crawler.spiders.article import registered_domain
from tests.crawling import FIXTURES, Case, exported, fixture_cases, run_page

SOURCE_FOLDER = FIXTURES / "cvn" / "001-poutine-kim-vostotchny"
QUOTES_FOLDER = FIXTURES / "leplacentin" / "004-fin-des-discussions"
PUTIN = "« Je suis très content de vous voir »"
KIM = "« Je saisis cette opportunité pour affirmer que nous serons toujours avec la Russie »"


def reuse_cases() -> list[Case]:
    return [c for c in fixture_cases("article") if c.folder.parent.name == "reuse"]


def case_named(prefix: str) -> Case:
    (case,) = [c for c in reuse_cases() if c.folder.name.startswith(prefix)]
    return case


def source_case() -> Case:
    (case,) = [c for c in fixture_cases("article") if c.folder == SOURCE_FOLDER]
    return case


@cache
def scraped(folder_name: str) -> dict[str, Any]:
    """The item the page yields, scraped as a replay crawl would (cached per page)."""
    (case,) = [c for c in fixture_cases("article") if str(c.folder) == folder_name]
    run = run_page(case)
    assert len(run.items) == 1, f"{case.id}: {run.dropped}"
    return exported(run.items[0])


def doc(case: Case) -> Doc:
    item = scraped(str(case.folder))
    return Doc(
        key=item["url"],
        text=item["text"],
        outlet=item["outlet"],
        published=item["published"],
        language=item["language"],
    )


@cache
def detected() -> tuple[ReusePair, ...]:
    """Reuse among the reuse pages, the CVN source and seed 004 (the quotes' origin)."""
    cases = [source_case(), *reuse_cases()]
    cases += [c for c in fixture_cases("article") if c.folder == QUOTES_FOLDER]
    return tuple(find_reuse([doc(c) for c in cases]))


def pairs_of(url: str) -> list[ReusePair]:
    return [p for p in detected() if url in (p.a, p.b)]


# -- what the pages are --------------------------------------------------------------------


def test_there_are_five_reuse_pages() -> None:
    names = sorted(c.folder.name for c in reuse_cases())
    assert [n.split("-")[0] for n in names] == ["a", "b", "c", "d1", "d2"]


@pytest.mark.parametrize("case", reuse_cases(), ids=[c.id for c in reuse_cases()])
def test_every_reuse_page_is_marked_synthetic_on_an_invented_outlet(case: Case) -> None:
    body = (case.folder / case.response["body"]).read_text(encoding="utf-8")
    assert "<!-- Synthetic page written for wiretrace's text-reuse tests" in body
    assert case.expected["synthetic"] is True
    host = case.url.split("/")[2]
    assert host.startswith("www.") and host.endswith(".example")  # a reserved domain
    assert case.expected["item"]["outlet"] == host.removeprefix("www.")
    assert "seed" not in case.expected  # not one of the five seed articles
    # What the page alone says: nothing points elsewhere.
    provenance = case.expected["item"]["provenance"]
    assert provenance["chain"] == [[case.expected["item"]["outlet"]]]
    assert provenance["basis"] == "own"


@pytest.mark.parametrize("case", reuse_cases(), ids=[c.id for c in reuse_cases()])
def test_every_reuse_page_is_published_after_the_source(case: Case) -> None:
    source = datetime.fromisoformat(source_case().expected["item"]["published"])
    published = datetime.fromisoformat(case.expected["item"]["published"])
    assert published.utcoffset() is not None
    if case.expected["reuse"]["reuses"]:
        assert published > source


def test_the_verbatim_reprint_is_the_source_text_byte_for_byte() -> None:
    reprint = case_named("a-").expected["item"]
    source = source_case().expected["item"]
    assert reprint["text"] == source["text"]
    assert reprint["title"] == source["title"]


def test_the_edited_reprint_is_source_paragraphs_reordered_and_two_trimmed() -> None:
    edited = case_named("b-").expected["item"]
    source_paragraphs = source_case().expected["item"]["text"].split("\n")
    paragraphs = edited["text"].split("\n")
    whole = [p for p in paragraphs if p in source_paragraphs]
    trimmed = [p for p in paragraphs if p not in source_paragraphs]
    assert len(whole) == 7 and len(trimmed) == 2
    normalised = [s.replace("en Europe .", "en Europe.") for s in source_paragraphs]
    assert all(any(s.startswith(t) and s != t for s in normalised) for t in trimmed)
    assert all(len(t.split()) >= 15 and t.endswith(".") for t in trimmed)  # whole sentences
    assert [source_paragraphs.index(p) for p in whole] != sorted(
        source_paragraphs.index(p) for p in whole
    )
    assert edited["title"] != source_case().expected["item"]["title"]


def test_the_summary_is_english_and_the_quote_pages_share_both_quotes() -> None:
    summary = case_named("c-").expected["item"]
    assert summary["language"] == "en"
    assert len(summary["text"].split("\n")) == 5
    for prefix in ("d1-", "d2-"):
        text = case_named(prefix).expected["item"]["text"]
        assert PUTIN in text and KIM in text
    seed = json.loads((QUOTES_FOLDER / "expected.json").read_text(encoding="utf-8"))
    assert PUTIN in seed["item"]["text"] and KIM in seed["item"]["text"]


def test_a_host_without_a_public_suffix_is_its_own_outlet() -> None:
    assert registered_domain("https://www.depeches-du-jour.example/monde/x") == (
        "depeches-du-jour.example"
    )
    assert registered_domain("https://revue-hebdo.example/") == "revue-hebdo.example"
    assert registered_domain("http://localhost:8080/a") == "localhost"
    assert registered_domain("https://www.vietnam.vn/fr/x") == "vietnam.vn"
    assert registered_domain("https://news.bbc.co.uk/a") == "bbc.co.uk"
    assert registered_domain("file:///tmp/a.html") is None


# -- what detection makes of them ------------------------------------------------------------


@pytest.mark.parametrize("case", reuse_cases(), ids=[c.id for c in reuse_cases()])
def test_each_page_pairs_as_its_expected_json_says(case: Case) -> None:
    expected = case.expected["reuse"]
    found = pairs_of(case.url)
    if expected["reuses"] is None:
        assert found == [], f"{case.id} must not pair: {found}"
        return
    source = expected["reuses"]
    (pair,) = [p for p in found if source in (p.a, p.b)]
    assert pair.earlier == source
    own_share = pair.share_b if pair.b == case.url else pair.share_a
    assert own_share >= expected["min_share"]
    assert pair.passages


def test_the_two_reprints_get_the_sources_chain_and_nothing_else_does() -> None:
    source = source_case().expected["item"]
    articles: dict[str, dict[str, Any]] = {
        source["url"]: {
            "outlet": source["outlet"],
            "published": source["published"],
            "provenance": {
                "chain": source["provenance"]["chain"],
                "basis": source["provenance"]["basis"],
            },
        }
    }
    for case in reuse_cases():
        item = case.expected["item"]
        articles[item["url"]] = {
            "outlet": item["outlet"],
            "published": item["published"],
            "provenance": {"chain": item["provenance"]["chain"], "basis": "own"},
        }
    inferred = {i.url: i for i in infer_provenance(list(detected()), articles) if i.url in articles}
    expected = {
        c.url: c.expected["reuse"]["chain"] for c in reuse_cases() if c.expected["reuse"]["reuses"]
    }
    assert {url: i.chain for url, i in inferred.items() if i.chain} == expected
    for url in expected:
        evidence = inferred[url].evidence
        assert inferred[url].basis == "text_reuse"
        assert evidence["kind"] == "text_reuse"
        assert evidence["source_url"] == source["url"]
    assert source["url"] not in inferred or not inferred[source["url"]].chain
