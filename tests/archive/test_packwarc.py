"""``scrapy packwarc``: the fixtures as one WARC replay exactly as the fixtures folder does.

Both replays run the real crawl (all four spiders, then the bad-input pages) with the
network switched off; items and skip stats must match, and the items replayed from the
WARC must point at the records they came from.
"""

from __future__ import annotations

import subprocess
import sys
from operator import itemgetter
from pathlib import Path
from typing import Any

import pytest

from crawler.archive.reader import read_response
from tests.archive.helpers import records
from tests.crawling import FIXTURES, ROOT, Run, fixture_cases, scrapy

pytestmark = pytest.mark.slow  # real scrapy processes

SPIDERS = ["cvn", "lagazette", "leplacentin", "article"]
BAD_URLS = ",".join(c.url for c in fixture_cases() if c.folder.parent.name == "bad")
BAD_CRAWL = ["crawl", "cvn", "-a", f"start_urls={BAD_URLS}", "-a", "follow=0"]


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("pack") / "packed.warc.gz"
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "packwarc", str(FIXTURES), str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out, done.stdout


@pytest.fixture(scope="module")
def crawls(
    packed: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Run]]:
    work = tmp_path_factory.mktemp("replays")
    runs: dict[str, dict[str, Run]] = {}
    for name, source in (("fixtures", FIXTURES), ("warc", packed[0])):
        runs[name] = {
            "all": scrapy(
                ["crawlall"], work / name / "all", work / name / "a.db", feed=True, replay=source
            ),
            "bad": scrapy(
                BAD_CRAWL, work / name / "bad", work / name / "b.db", feed=True, replay=source
            ),
        }
        for result in runs[name].values():
            assert result.returncode == 0, result.log[-3000:]
            assert "Traceback" not in result.log
    return runs


def comparable(item: dict[str, Any]) -> dict[str, Any]:
    """What must not depend on where the bytes were replayed from."""
    provenance = item["provenance"]
    return {
        "url": item["url"],
        "title": item["title"],
        "published": item["published"],
        "authors": item["authors"],
        "text": item["text"],
        "sha256": item["fetch"]["sha256"],
        "status": item["fetch"]["status"],
        "provenance": {k: provenance[k] for k in ("chain", "basis", "cited", "media")},
    }


def in_order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted((comparable(i) for i in items), key=itemgetter("url"))


def skip_stats(stats: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in stats.items()
        if k.startswith(("wiretrace/pages_skipped", "wiretrace/replay/", "wiretrace/charset"))
        or k in {"item_scraped_count", "downloader/request_count"}
    }


def test_packwarc_writes_every_saved_response_with_its_request(packed: tuple[Path, str]) -> None:
    path, stdout = packed
    saved = len(list(FIXTURES.rglob("response.json")))
    found = records(path)
    assert [r["type"] for r in found] == ["warcinfo"] + ["response", "request"] * saved
    assert f"wrote {1 + 2 * saved} records" in stdout
    assert "reconstructions, not captures" in found[0]["payload"].decode()
    # Stable order: the fixture folders' order, as replay from the folder indexes them.
    in_file = [r["warc"]["WARC-Target-URI"] for r in found if r["type"] == "response"]
    assert in_file == [c.url for c in fixture_cases()]


@pytest.mark.parametrize("spider", SPIDERS)
def test_the_packed_warc_replays_the_same_items(
    crawls: dict[str, dict[str, Run]], spider: str
) -> None:
    folder = crawls["fixtures"]["all"].items(spider)
    warc = crawls["warc"]["all"].items(spider)
    assert folder, "the crawl found the spider's articles"
    assert in_order(warc) == in_order(folder)
    assert skip_stats(crawls["warc"]["all"].stats(spider)) == skip_stats(
        crawls["fixtures"]["all"].stats(spider)
    )


def test_bad_pages_replay_byte_for_byte_from_the_warc(
    crawls: dict[str, dict[str, Run]],
) -> None:
    # Empty and binary bodies, a PDF, a 500, cp1252 bytes under a UTF-8 label: the WARC
    # must hand each over exactly as the folder does.
    folder, warc = crawls["fixtures"]["bad"], crawls["warc"]["bad"]
    assert in_order(warc.items("cvn")) == in_order(folder.items("cvn"))
    assert skip_stats(warc.stats("cvn")) == skip_stats(folder.stats("cvn"))
    assert warc.stats("cvn")["wiretrace/pages_skipped"] >= 6


def test_items_replayed_from_the_warc_point_at_their_records(
    packed: tuple[Path, str], crawls: dict[str, dict[str, Run]]
) -> None:
    path, _ = packed
    for spider in SPIDERS:
        for item in crawls["warc"]["all"].items(spider):
            fetch = item["fetch"]
            assert fetch["warc"] == path.name
            stored = read_response(path, fetch["offset"])
            assert stored.record_id == fetch["record_id"]
            assert stored.url == item["url"]
        for item in crawls["fixtures"]["all"].items(spider):
            assert item["fetch"]["warc"] is None, "a fixture is no archived record"
