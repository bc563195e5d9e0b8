"""What the report counts, from chains and dates alone (no store, no browser)."""

from __future__ import annotations

import pytest

from crawler.registry import load_registry
from crawler.report import model

REGISTRY = load_registry()


@pytest.mark.parametrize(
    ("chain", "outlet", "origin"),
    [
        ([["xinhua"], ["vna"], ["cvn"]], "cvn", "state"),  # seed 001
        ([["tass"], ["vna"], ["cvn"]], "cvn", "state"),  # seed 003
        ([["rt", "sputnik"], ["vietnam.vn"]], "vietnam.vn", "state"),  # seed 000
        ([["lagazette"]], "lagazette", "own"),  # seed 002
        ([["cvn"]], "cvn", "own"),  # an outlet that is itself state-owned, reporting
        ([["afp"], ["vna"], ["cvn"]], "cvn", "agency"),  # relayed by a state agency, not its origin
        ([["unknown:FMW"], ["site.example"]], "site.example", "agency"),
        ([["xinhua"], ["vna"], ["cvn"], ["b.example"]], "b.example", "state"),  # text reuse
        ([], "x.example", "own"),
    ],
)
def test_origin_is_the_first_hop_before_the_publisher(
    chain: list[list[str]], outlet: str, origin: str
) -> None:
    assert model.origin(chain, outlet, REGISTRY) == origin


def test_the_agency_filter_matches_every_id_before_the_publisher() -> None:
    chain = [["xinhua"], ["vna"], ["cvn"], ["b.example"]]
    assert model.upstream_ids(chain, "b.example") == ["xinhua", "vna", "cvn"]
    assert model.upstream_ids([["cvn"]], "cvn") == []


def test_chain_edges_link_every_source_of_a_hop_to_every_id_of_the_next() -> None:
    assert model.hops_pairs([["rt", "sputnik"], ["vietnam.vn"]]) == [
        ("rt", "vietnam.vn"),
        ("sputnik", "vietnam.vn"),
    ]
    assert model.hops_pairs([["xinhua"], ["vna"], ["cvn"]]) == [("xinhua", "vna"), ("vna", "cvn")]
    assert model.hops_pairs([["cvn"]]) == []


@pytest.mark.parametrize(
    ("published", "first_seen", "day", "week"),
    [
        ("2023-09-13T22:40:00+07:00", None, "2023-09-13", "2023-09-11"),  # the page's own day
        ("2023-09-17T23:30:00-05:00", None, "2023-09-17", "2023-09-11"),  # a Sunday
        ("2023-09-18T01:00:00+09:00", None, "2023-09-18", "2023-09-18"),  # a Monday
        (None, "2023-09-14T08:00:00+00:00", "2023-09-14", "2023-09-11"),  # undated: first seen
        ("2023-09-14", None, "2023-09-14", "2023-09-11"),
        ("not a date", None, None, None),
    ],
)
def test_articles_are_dated_and_weeked_by_the_day_their_page_states(
    published: str | None, first_seen: str | None, day: str | None, week: str | None
) -> None:
    assert model.stated_day(published, first_seen) == day
    assert model.week_of(day) == week


def test_counts_by_origin_and_weekly_shares() -> None:
    articles = [
        {"outlet": "cvn", "origin": "state", "week": "2023-09-11", "url": "1", "chain": []},
        {"outlet": "cvn", "origin": "agency", "week": "2023-09-11", "url": "2", "chain": []},
        {"outlet": "cvn", "origin": "own", "week": "2023-09-18", "url": "3", "chain": []},
        {"outlet": "lagazette", "origin": "own", "week": None, "url": "4", "chain": []},
    ]
    assert model.origin_counts(articles) == {
        "cvn": {"state": 1, "agency": 1, "own": 1},
        "lagazette": {"state": 0, "agency": 0, "own": 1},
    }
    assert model.weekly_shares(articles) == {
        "cvn": {
            "2023-09-11": {"total": 2, "agency": 2, "state": 1},
            "2023-09-18": {"total": 1, "agency": 0, "state": 0},
        }
    }


def test_flow_edges_list_the_articles_that_travelled_each_hop() -> None:
    edges = model.flow_edges(
        [
            {"url": "a", "chain": [["xinhua"], ["vna"], ["cvn"]]},
            {"url": "b", "chain": [["tass"], ["vna"], ["cvn"]]},
            {"url": "c", "chain": [["cvn"]]},
        ]
    )
    assert edges == {
        ("xinhua", "vna"): ["a"],
        ("vna", "cvn"): ["a", "b"],
        ("tass", "vna"): ["b"],
    }


def test_confidence_is_the_best_evidence_of_the_basis_kind() -> None:
    evidence = [
        {"kind": "credit_line", "confidence": 0.95},
        {"kind": "credit_line", "confidence": 0.7},
        {"kind": "in_text", "confidence": 0.6},
    ]
    assert model.basis_confidence(evidence, "credit_line") == 0.95
    assert model.basis_confidence(evidence, "own") is None


def test_page_names_are_stable_and_never_taken_from_the_content() -> None:
    key = model.page_key("https://x.example/../../etc/passwd?<script>")
    assert key == model.page_key("https://x.example/../../etc/passwd?<script>")
    assert len(key) == 16 and key.isalnum()
