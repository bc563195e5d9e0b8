"""End to end: ``scrapy crawlall`` replays the fixtures through the real spiders, pipelines,
feed export and SQLite store, exactly as ``scrapy crawl cvn`` runs in production."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import FIXTURES, ROOT, Run, fixture_cases, scrapy

pytestmark = pytest.mark.slow  # real scrapy processes

OUTLETS = ["cvn", "lagazette", "leplacentin", "article"]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Path]:
    work = tmp_path_factory.mktemp("crawl")
    db = work / "data" / "wiretrace.sqlite"
    return scrapy(["crawlall"], work / "out", db, feed=True, replay=FIXTURES), db


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("fetches", "articles", "versions", "evidence")
        }


def expected_articles(spider: str) -> dict[str, dict[str, Any]]:
    return {
        c.url: c.expected["item"]
        for c in fixture_cases("article")
        if c.spider == spider and c.folder.parent == FIXTURES / spider
    }


def test_crawl_exits_cleanly_with_no_errors(crawl: tuple[Run, Path]) -> None:
    result, _ = crawl
    assert result.returncode == 0, result.log[-3000:]
    assert "ERROR" not in result.log, [line for line in result.log.splitlines() if "ERROR" in line]
    assert "Traceback" not in result.log


@pytest.mark.parametrize("spider", OUTLETS)
def test_each_spider_scrapes_exactly_its_seed_articles(
    crawl: tuple[Run, Path], spider: str
) -> None:
    result, _ = crawl
    items = {item["url"]: item for item in result.items(spider)}
    expected = expected_articles(spider)
    assert set(items) == set(expected)
    for url, fields in expected.items():
        for key in ("title", "published", "authors", "language", "text", "outlet"):
            assert items[url][key] == fields[key], f"{url}: {key}"
        # The seed table of ../shared/DESIGN.md: chain, basis, cited and media chains.
        for key in ("chain", "basis", "cited", "media"):
            if key in fields["provenance"]:
                assert items[url]["provenance"][key] == fields["provenance"][key], f"{url}: {key}"


@pytest.mark.parametrize("spider", OUTLETS)
def test_replay_never_touches_the_network(crawl: tuple[Run, Path], spider: str) -> None:
    result, _ = crawl
    stats = result.stats(spider)
    # The HTTP download handlers are switched off in this crawl: a request that got past
    # replay would have failed with an error.
    errors = {k for k in stats if k.startswith("downloader/exception_type_count/")}
    assert errors <= {"downloader/exception_type_count/scrapy.exceptions.IgnoreRequest"}
    assert "wiretrace/pages_skipped/download_error" not in stats
    answered = stats.get("wiretrace/replay/hits", 0) + stats.get("wiretrace/replay/misses", 0)
    assert stats["downloader/request_count"] == answered


@pytest.mark.parametrize("spider", ["cvn", "lagazette", "leplacentin"])
def test_outlet_crawls_follow_pagination_and_skip_what_is_not_an_article(
    crawl: tuple[Run, Path], spider: str
) -> None:
    stats = crawl[0].stats(spider)
    assert stats["wiretrace/listing_pages"] >= 2, "section page and its second page"
    assert stats["wiretrace/pages_skipped/not_article"] >= 1, "the video page is not an article"
    assert stats["wiretrace/pages_skipped/http_404"] >= 1, "the deleted article"
    assert stats["wiretrace/replay/misses"] >= 1, "links to pages that were never saved"


def test_items_follow_the_contract_and_carry_no_page(crawl: tuple[Run, Path]) -> None:
    result, _ = crawl
    for spider in OUTLETS:
        for item in result.items(spider):
            assert "page" not in item
            assert set(item["fetch"]) >= {"fetched_at", "status", "sha256", "replayed"}
            assert item["fetch"]["replayed"] is True
            assert set(item["provenance"]) >= {"chain", "basis", "cited", "media", "evidence"}
            assert item["provenance"]["chain"][-1] == [item["outlet"]]


def test_store_holds_every_article_once_and_a_second_crawl_adds_no_rows(
    crawl: tuple[Run, Path], tmp_path: Path
) -> None:
    result, db = crawl
    first = table_counts(db)
    assert first["articles"] == sum(len(result.items(s)) for s in OUTLETS) == 5
    again = scrapy(["crawlall"], tmp_path / "out", db, feed=True, replay=FIXTURES)
    assert again.returncode == 0
    assert table_counts(db) == first
    assert "wiretrace/store/unchanged" in again.stats("cvn")


def test_generic_spider_reads_local_files_and_url_lists(tmp_path: Path) -> None:
    page = FIXTURES / "article" / "000-poutine-accueille-kim" / "body.html"
    url_file = tmp_path / "urls.txt"
    url_file.write_text(f"# saved pages\n{page.as_uri()}\n", encoding="utf-8")
    result = scrapy(
        ["crawl", "article", "-a", f"url_file={url_file}"],
        tmp_path / "out",
        tmp_path / "db",
        offline=True,
        feed=True,
    )
    assert result.returncode == 0, result.log[-2000:]
    (item,) = result.items("article")
    expected = expected_articles("article")
    (want,) = expected.values()
    assert item["url"] == page.as_uri()
    assert item["outlet"] == "vietnam.vn", "named from the page's canonical URL"
    assert item["text"] == want["text"]
    assert item["fetch"]["replayed"] is False


def test_scrapy_list_names_the_four_spiders() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.stdout.split() == ["article", "cvn", "lagazette", "leplacentin"]


def test_scrapy_provenance_lists_the_stored_chains(crawl: tuple[Run, Path]) -> None:
    _, db = crawl
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "provenance", "-s", f"WIRETRACE_DB={db}",
         "--outlet", "cvn"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Xinhua → VNA → Le Courrier du Vietnam  (credit_line)" in done.stdout
    assert "TASS → VNA → Le Courrier du Vietnam  (credit_line)" in done.stdout
    assert "lagazette" not in done.stdout


def test_prov_json_export_of_the_whole_crawl_reads_back(
    crawl: tuple[Run, Path], tmp_path: Path
) -> None:
    from prov.model import ProvDocument

    _, db = crawl
    out = tmp_path / "crawl.prov.json"
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "provenance", "-s", f"WIRETRACE_DB={db}",
         "--prov-json", str(out)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    document = ProvDocument.deserialize(content=out.read_text(encoding="utf-8"), format="json")
    relations = {type(r).__name__ for r in document.get_records()}
    assert {"ProvDerivation", "ProvAttribution"} <= relations
    agents = {str(a.identifier) for a in document.get_records() if type(a).__name__ == "ProvAgent"}
    assert any(a.endswith("xinhua") for a in agents) and any(a.endswith("kcna") for a in agents)
