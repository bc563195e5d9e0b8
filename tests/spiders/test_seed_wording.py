"""The seed articles' text is every paragraph of the article body, in order, and no chrome.

Each seed fixture's expected.json accounts for every line of the seed (../shared/seeds/):
a line is either a paragraph of the expected text or listed in ``outside_text``. Then the
text the crawler extracts is checked against both lists. Skips when ../shared is absent.
"""

from __future__ import annotations

import pytest

from tests.crawling import SHARED, Case, exported, fixture_cases, run_page

SEEDS = SHARED / "seeds"


def seed_lines(case: Case) -> list[str]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    path = SEEDS / case.expected["seed"]
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_cases() -> list[Case]:
    return [c for c in fixture_cases("article") if "seed" in c.expected]


@pytest.mark.parametrize("case", seed_cases(), ids=[c.id for c in seed_cases()])
def test_every_seed_line_is_text_or_known_chrome(case: Case) -> None:
    lines = seed_lines(case)
    paragraphs = case.expected["item"]["text"].split("\n")
    outside = set(case.expected["outside_text"])
    unaccounted = [line for line in lines if line not in outside and line not in paragraphs]
    assert not unaccounted, f"seed lines neither text nor chrome: {unaccounted}"
    in_seed_order = [line for line in lines if line in paragraphs]
    assert in_seed_order == paragraphs, "expected text follows the seed's paragraph order"


@pytest.mark.parametrize("case", seed_cases(), ids=[c.id for c in seed_cases()])
def test_extracted_text_has_every_paragraph_in_order_and_no_chrome(case: Case) -> None:
    text = exported(run_page(case).items[0])["text"]
    got = text.split("\n")
    paragraphs = case.expected["item"]["text"].split("\n")
    positions = [got.index(p) if p in got else -1 for p in paragraphs]
    assert -1 not in positions, (
        f"missing paragraphs: {[p for p, i in zip(paragraphs, positions, strict=True) if i < 0]}"
    )
    assert positions == sorted(positions), "paragraphs out of order"
    for chrome in case.expected["outside_text"]:
        assert chrome not in got, f"chrome line in text: {chrome!r}"
        if len(chrome) > 25:
            assert chrome not in text, f"chrome inside a paragraph: {chrome!r}"


def test_seed_fixtures_cover_all_five_seeds() -> None:
    assert len(seed_cases()) == 5
