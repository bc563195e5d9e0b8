"""Scheduled crawls do bounded work: known articles are fetched again only when due, and the
spiders know nothing of it (``crawler.middlewares.revisits``)."""

from __future__ import annotations

import ast
import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem, Fetch
from crawler.middlewares.revisits import RevisitsMiddleware
from crawler.pipelines.store import StorePipeline
from crawler.spiders.cvn import CvnSpider
from crawler.storage import open_store

ROOT = Path(__file__).resolve().parents[2]
SECTION = "https://lecourrier.vn/international/74.cvn"
OLD = "https://lecourrier.vn/un-article-ancien/1200001.html"  # seen 3 h ago: due
FRESH = "https://lecourrier.vn/un-article-recent/1200002.html"  # seen just now: not due
NEW = "https://lecourrier.vn/un-article-nouveau/1200003.html"  # never seen


def stored(db: Path) -> None:
    store = open_store(db)
    now = datetime.now(UTC)
    for url, seen in ((OLD, now - timedelta(hours=3)), (FRESH, now)):
        store.save_article(
            ArticleItem(
                url=url,
                outlet="cvn",
                fetch=Fetch(seen.isoformat(), 200, "0" * 64, False),
                title="Un article",
                text="Un paragraphe.",
            )
        )
    store.close()


class Crawl:
    """A CVN spider and the middleware, wired to one crawler as Scrapy would."""

    def __init__(self, db: Path, incremental: bool = True, **spider_args: Any) -> None:
        settings = {"WIRETRACE_DB": str(db), "WIRETRACE_INCREMENTAL": incremental}
        self.crawler = get_crawler(CvnSpider, settings)
        self.crawler.stats.open_spider()
        self.spider = CvnSpider.from_crawler(self.crawler, **spider_args)
        self.crawler.spider = self.spider
        self.middleware = RevisitsMiddleware.from_crawler(self.crawler)

    def start_urls(self) -> list[str]:
        async def drain() -> list[str]:
            return [r.url async for r in self.middleware.process_start(self.spider.start())]

        return asyncio.run(drain())

    def followed(self) -> list[str]:
        response = listing()
        out = self.middleware.process_spider_output(response, self.spider.parse(response))
        return [r.url for r in out]

    def stat(self, key: str) -> Any:
        return self.crawler.stats.get_value(key)


def listing() -> HtmlResponse:
    links = "".join(f'<a href="{u}">x</a>' for u in (OLD, FRESH, NEW))
    body = f"<html><body>{links}</body></html>".encode()
    return HtmlResponse(SECTION, body=body, encoding="utf-8", request=Request(SECTION))


def test_due_articles_are_revisited_after_the_seeds(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    stored(db)
    crawl = Crawl(db)
    urls = crawl.start_urls()
    assert urls == [SECTION, OLD]  # the seed of seeds/cvn.txt, then what is due
    assert crawl.stat("wiretrace/revisits_scheduled") == 1


def test_known_articles_that_are_not_due_are_not_fetched_again(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    stored(db)
    crawl = Crawl(db)
    crawl.start_urls()
    followed = crawl.followed()
    assert followed == [NEW], "new articles are always fetched; OLD is already asked for"
    assert crawl.stat("wiretrace/known_skipped") == 1


def test_start_urls_given_on_the_command_line_add_no_revisits(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    stored(db)
    crawl = Crawl(db, start_urls=SECTION)
    assert crawl.start_urls() == [SECTION]
    assert crawl.followed() == [NEW], "known articles are not fetched again"


def test_async_output_is_filtered_the_same_way(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    stored(db)
    crawl = Crawl(db)

    async def run() -> list[str]:
        async def result() -> AsyncIterator[Any]:
            for request in crawl.spider.parse(listing()):
                yield request

        out = crawl.middleware.process_spider_output_async(listing(), result())
        return [r.url async for r in out]

    assert asyncio.run(run()) == [NEW]
    assert crawl.stat("wiretrace/known_skipped") == 2


def test_first_run_fetches_everything_and_creates_no_database(tmp_path: Path) -> None:
    crawl = Crawl(tmp_path / "absent.sqlite")
    assert crawl.start_urls() == [SECTION]
    assert crawl.followed() == [OLD, FRESH, NEW]
    assert not (tmp_path / "absent.sqlite").exists(), "reading memory creates no database"


@pytest.mark.parametrize(
    "settings", [{"WIRETRACE_INCREMENTAL": False}, {"WIRETRACE_DB": ""}], ids=["replay", "no-db"]
)
def test_off_in_replay_and_without_a_database(settings: dict[str, Any]) -> None:
    crawler = get_crawler(CvnSpider, {"WIRETRACE_INCREMENTAL": True, **settings})
    with pytest.raises(NotConfigured):
        RevisitsMiddleware.from_crawler(crawler)


def test_reads_through_the_store_pipelines_connection(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    stored(db)
    crawl = Crawl(db)
    pipeline = StorePipeline.from_crawler(crawl.crawler)
    pipeline.open_spider()
    try:
        crawl.start_urls()
        assert crawl.middleware.memory is not None
        assert crawl.middleware.memory.store is pipeline.store, "one connection per crawl"
    finally:
        crawl.middleware._close()
        pipeline.close_spider()


def test_no_spider_module_imports_storage() -> None:
    for path in sorted((ROOT / "crawler" / "spiders").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        } | {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        banned = {m for m in imported if m.startswith(("crawler.storage", "crawler.incremental"))}
        assert not banned, f"{path.name} imports {banned}: spiders only navigate"
