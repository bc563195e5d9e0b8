"""Resources: a page too big, a gzip bomb, thousands of captions cost bounded memory and time.

Each through a real crawl (the bomb over real HTTP, so Scrapy's own decompression meets it)
in a child process whose peak memory the test reads back. The bounds are loose guards
against the failures that were seen (11 GB for a 1 GB bomb, 2.2 GB for a 50 MB page, 75 s
for 20,000 captions); ``benchmarks/faults.py`` measures the real figures.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.pipelines.provenance import CAPTIONS_DROPPED
from crawler.provenance.captions import MAX_CAPTIONS
from tests.crawling import Served, scrapy, serving
from tests.faults.hostile import HTML, gzip_bomb, many_captions, oversized

pytestmark = pytest.mark.slow  # real scrapy processes under imposed faults

#: Peak memory a crawl of one hostile page may reach (a replay crawl starts at ~150 MB).
MEMORY_BOUND = 600 * 1024 * 1024


def test_a_gzip_bomb_is_stopped_while_decompressing_and_counted(tmp_path: Path) -> None:
    bomb = gzip_bomb(1024)  # 1 GB once inflated, about 1 MB on the wire
    served = {"/bomb.html": Served(bomb.body, [*HTML.items(), ("Content-Encoding", "gzip")])}
    with serving(served) as base:
        run = scrapy(
            ["crawl", "article", "-a", f"urls={base}/bomb.html"],
            tmp_path,
            settings={"WIRETRACE_DB": tmp_path / "db.sqlite", "WIRETRACE_WARC_DIR": tmp_path / "w"},
            measure=True,
            timeout=120,
        )
    assert run.returncode == 0, run.log[-2000:]
    stats = run.stats()
    assert stats["wiretrace/pages_skipped/too_large"] == 1
    assert run.peak_rss < MEMORY_BOUND


def test_a_page_over_the_size_limit_is_skipped_before_its_tree_is_built(tmp_path: Path) -> None:
    page = oversized()
    page.save(tmp_path / "saved")
    run = scrapy(
        ["crawl", "article", "-a", f"urls={page.url}"],
        tmp_path / "out",
        settings={"REPLAY_FROM": tmp_path / "saved", "WIRETRACE_DB": tmp_path / "db.sqlite"},
        measure=True,
        timeout=120,
    )
    assert run.stats()["wiretrace/pages_skipped/too_large"] == 1
    assert [line for line in run.log.splitlines() if "too large" in line]
    assert run.peak_rss < MEMORY_BOUND


def test_twenty_thousand_captions_cost_linear_time_and_those_past_the_cap_are_counted(
    tmp_path: Path,
) -> None:
    page = many_captions(20_000)
    page.save(tmp_path / "saved")
    run = scrapy(
        ["crawl", "article", "-a", f"urls={page.url}"],
        tmp_path / "out",
        settings={"REPLAY_FROM": tmp_path / "saved", "WIRETRACE_DB": tmp_path / "db.sqlite"},
        feed=True,
        timeout=60,  # quadratic CSS paths took 75 s for this page alone
    )
    [item] = run.items()
    assert len(item["provenance"]["media"]) == MAX_CAPTIONS
    with sqlite3.connect(tmp_path / "db.sqlite") as conn:
        places = {
            row[0]
            for row in conn.execute("SELECT location FROM evidence WHERE kind = 'photo_credit'")
        }
    assert len(places) == MAX_CAPTIONS  # each caption read is where it is, told apart
    assert any(p.endswith(f"figcaption.caption:nth-of-type({MAX_CAPTIONS})") for p in places)
    # The rest are not lost in silence: counted, and said once.
    assert run.stats()[CAPTIONS_DROPPED] == 20_000 - MAX_CAPTIONS
    said = [line for line in run.log.splitlines() if "more distinct photo captions" in line]
    assert len(said) == 1 and "19800" in said[0], said
