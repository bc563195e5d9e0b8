"""After a site redesign (fixtures/redesign/: the seed pages re-marked up, words unchanged),
each outlet spider still yields its seed articles with the right text and chain, in a real
replay crawl, and its log names the selectors to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawling import FIXTURES, fixture_cases, scrapy

pytestmark = pytest.mark.slow  # real scrapy processes

REDESIGN = FIXTURES / "redesign"
OUTLETS = sorted(p.name for p in REDESIGN.iterdir() if p.is_dir())


@pytest.mark.parametrize("outlet", OUTLETS)
def test_the_outlet_spider_survives_a_redesign(outlet: str, tmp_path: Path) -> None:
    cases = [c for c in fixture_cases("article") if c.folder.parent == REDESIGN / outlet]
    urls = ",".join(c.url for c in cases)
    run = scrapy(
        ["crawl", outlet, "-a", f"start_urls={urls}", "-a", "follow=0"],
        tmp_path / "out",
        tmp_path / "db.sqlite",
        feed=True,
        replay=REDESIGN,
    )
    assert run.returncode == 0, run.log[-2000:]
    items = {item["url"]: item for item in run.items(outlet)}
    assert set(items) == {c.url for c in cases}
    for case in cases:
        item, expected = items[case.url], case.expected["item"]
        assert item["text"] == expected["text"], case.id
        assert item["provenance"]["chain"] == expected["provenance"]["chain"], case.id
        assert item["fallback_fields"] == expected["fallback_fields"], case.id
    stats = run.stats(outlet)
    assert stats["wiretrace/profile/body/miss"] == len(cases)
    assert not stats.get("wiretrace/pages_skipped")
    assert (
        f"profile {outlet}: body missed on {len(cases)} of {len(cases)} articles; "
        "fix [unverified.selectors] body"
    ) in run.log
