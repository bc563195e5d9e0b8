"""Scheduled crawls do bounded work: known articles are fetched again only when due."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem, Fetch
from crawler.spiders.cvn import CvnSpider
from crawler.storage import open_store

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


def spider(db: Path, incremental: bool = True) -> CvnSpider:
    settings = {"WIRETRACE_DB": str(db), "WIRETRACE_INCREMENTAL": incremental}
    crawler = get_crawler(CvnSpider, settings)
    crawler.stats.open_spider()
    return CvnSpider.from_crawler(crawler)


def start_urls(s: CvnSpider) -> list[str]:
    async def drain() -> list[str]:
        return [r.url async for r in s.start()]

    return asyncio.run(drain())


def listing() -> HtmlResponse:
    links = "".join(f'<a href="{u}">x</a>' for u in (OLD, FRESH, NEW))
    body = f"<html><body>{links}</body></html>".encode()
    return HtmlResponse(SECTION, body=body, encoding="utf-8", request=Request(SECTION))


def test_due_articles_are_revisited_after_the_seeds(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    stored(db)
    urls = start_urls(spider(db))
    assert urls[0] == SECTION  # from seeds/cvn.txt
    assert OLD in urls and FRESH not in urls


def test_known_articles_that_are_not_due_are_not_fetched_again(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    stored(db)
    s = spider(db)
    start_urls(s)
    followed = [r.url for r in s.parse(listing())]
    assert NEW in followed, "new articles are always fetched"
    assert FRESH not in followed
    assert s.crawler.stats.get_value("wiretrace/known_skipped") == 1


def test_first_run_and_replay_fetch_everything(tmp_path: Path) -> None:
    first = spider(tmp_path / "absent.sqlite")
    assert not (tmp_path / "absent.sqlite").exists(), "reading memory creates no database"
    assert {OLD, FRESH, NEW} <= {r.url for r in first.parse(listing())}
    db = tmp_path / "w.sqlite"
    stored(db)
    replay = spider(db, incremental=False)
    assert {OLD, FRESH, NEW} <= {r.url for r in replay.parse(listing())}
