"""Bad input never crashes a crawl and never passes silently.

The real ``cvn`` spider replays every page under fixtures/bad/ in one crawl: each case logs
one clear line, counts under a ``wiretrace/`` stat, and leaves no record behind, while the
pages that can be saved (a wrong or unknown charset) are repaired and stored whole.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from tests.crawling import FIXTURES, Case, Run, fixture_cases, scrapy

pytestmark = pytest.mark.slow  # a real scrapy process

BAD = [c for c in fixture_cases() if c.folder.parent.name == "bad"]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Path]:
    work = tmp_path_factory.mktemp("bad")
    db = work / "bad.sqlite"
    urls = ",".join(c.url for c in BAD)
    args = ["crawl", "cvn", "-a", f"start_urls={urls}", "-a", "follow=0"]
    return scrapy(args, work / "out", db, feed=True, replay=FIXTURES), db


def test_the_crawl_survives_every_case(crawl: tuple[Run, Path]) -> None:
    result, _ = crawl
    assert result.returncode == 0
    assert "Traceback" not in result.log
    assert result.stats("cvn")["finish_reason"] == "finished"


@pytest.mark.parametrize("case", BAD, ids=[c.folder.name for c in BAD])
def test_each_case_is_counted_and_logged(crawl: tuple[Run, Path], case: Case) -> None:
    result, _ = crawl
    stats = result.stats("cvn")
    for key in case.expected.get("stats", {}):
        assert stats.get(key, 0) >= 1, f"{case.folder.name}: {key}"
    if case.expected["item"] is None:
        lines = [line for line in result.log.splitlines() if f"skipped {case.url}" in line]
        assert len(lines) == 1, f"one clear log line for {case.folder.name}, got {lines}"
    else:
        assert any(f"charset repaired for {case.url}" in line for line in result.log.splitlines())


def test_stats_add_up_to_the_cases(crawl: tuple[Run, Path]) -> None:
    stats = crawl[0].stats("cvn")
    expected: Counter[str] = Counter()
    for case in BAD:
        expected.update(case.expected.get("stats", {}))
    for key, count in expected.items():
        assert stats[key] == count, key
    skipped = sum(1 for c in BAD if c.expected["item"] is None)
    assert stats["wiretrace/pages_skipped"] == skipped


def test_only_the_repairable_pages_are_stored_and_they_are_whole(
    crawl: tuple[Run, Path],
) -> None:
    result, db = crawl
    items = {i["url"]: i for i in result.items("cvn")}
    repairable = {c.url: c.expected["item"] for c in BAD if c.expected["item"] is not None}
    assert set(items) == set(repairable)
    for url, expected in repairable.items():
        assert items[url]["text"] == expected["text"]
        assert "\ufffd" not in items[url]["text"]
    with sqlite3.connect(db) as conn:
        (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
        (versions,) = conn.execute("SELECT count(*) FROM versions").fetchone()
        stored = {row[0] for row in conn.execute("SELECT url FROM articles")}
    assert articles == versions == len(repairable)
    assert stored == set(repairable)
