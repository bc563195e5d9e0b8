"""Every saved page yields what its expected.json says: adding a page adds a test.

Each page goes through what a replay crawl runs for it (replay middleware, response guard,
the spider's parse, the validate, extract and provenance pipelines) without a reactor, so a
failure points at one page. The end-to-end crawls are in tests/test_crawl.py.
"""

from __future__ import annotations

from typing import Any

from crawler.profile import load_profile
from tests.crawling import Case, cases_param, exported, run_page, spider_loader


def evidence_pairs(evidence: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((e["kind"], e["text"]) for e in evidence)


@cases_param()
def test_page_yields_its_expected_item(case: Case) -> None:
    run = run_page(case)
    expected_item = case.expected.get("item")
    if expected_item is None:
        assert run.items == [], f"{case.id} is not an article but yielded an item"
        return
    assert len(run.items) == 1, (
        f"{case.id}: expected one item, got {len(run.items)} ({run.dropped})"
    )
    item = exported(run.items[0])
    for key, value in expected_item.items():
        if key == "provenance":
            continue
        if key == "fetch":
            for fkey, fvalue in value.items():
                assert item["fetch"][fkey] == fvalue, f"fetch.{fkey}"
            continue
        assert item[key] == value, f"{case.id}: field {key!r}"
    expected_prov = expected_item.get("provenance", {})
    for key, value in expected_prov.items():
        if key == "evidence":
            # The evidence listed must be found (more, such as in-text citations, may be).
            missing = set(evidence_pairs(value)) - set(
                evidence_pairs(item["provenance"]["evidence"])
            )
            assert not missing, f"{case.id}: evidence not found: {sorted(missing)}"
            assert all(e["where"] for e in item["provenance"]["evidence"]), "evidence says where"
        else:
            assert item["provenance"][key] == value, f"{case.id}: provenance.{key}"
    assert item["fetch"]["replayed"] is True
    assert len(item["fetch"]["sha256"]) == 64


@cases_param()
def test_page_adds_its_expected_stats(case: Case) -> None:
    run = run_page(case)
    for key, value in case.expected.get("stats", {}).items():
        assert run.stats.get(key) == value, f"{case.id}: stat {key}"
    if case.expected.get("item") is not None:
        assert not run.stats.get("wiretrace/pages_skipped"), "an article page is never skipped"


@cases_param("listing")
def test_listing_pages_lead_to_their_articles_and_next_pages(case: Case) -> None:
    run = run_page(case)
    assert run.items == []
    missing = set(case.expected["follows"]) - set(run.requests)
    assert not missing, f"{case.id} does not follow {sorted(missing)}"


@cases_param("article")
def test_the_outlet_profile_finds_every_field_on_the_pages_it_was_written_from(case: Case) -> None:
    """Only a redesigned copy (fixtures/redesign/) falls back to the generic reading."""
    run = run_page(case)
    (item,) = run.items
    redesigned = case.folder.parts[-3] == "redesign"
    assert bool(item.fallback_fields) == redesigned, item.fallback_fields
    profile = spider_loader().load(case.spider).profile_name
    optional = load_profile(profile).optional
    missed = {
        key.split("/")[2]
        for key in run.stats
        if key.startswith("wiretrace/profile/") and key.endswith("/miss")
    }
    assert redesigned or missed <= optional, f"{case.id}: {sorted(missed - optional)} missed"
