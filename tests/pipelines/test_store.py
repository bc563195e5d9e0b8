"""The store pipeline: built from settings, one connection per database per process, and
everything saved is committed when the spider closes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from crawler.pipelines.store import StorePipeline
from tests.crawling import make_item


def pipeline(db: Path | str, **settings: object) -> StorePipeline:
    crawler = get_crawler(settings_dict={"WIRETRACE_DB": str(db), **settings})
    return StorePipeline.from_crawler(crawler)


def articles(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [url for (url,) in conn.execute("SELECT url FROM articles ORDER BY id")]


def test_no_database_setting_switches_it_off() -> None:
    with pytest.raises(NotConfigured):
        pipeline("")


def test_batch_settings_are_read(tmp_path: Path) -> None:
    built = pipeline(
        tmp_path / "w.sqlite", WIRETRACE_DB_COMMIT_EVERY=7, WIRETRACE_DB_COMMIT_SECONDS=2.5
    )
    assert (built.commit_every, built.commit_seconds) == (7, 2.5)
    with pytest.raises(ValueError, match="WIRETRACE_DB_COMMIT_EVERY"):
        pipeline(tmp_path / "w.sqlite", WIRETRACE_DB_COMMIT_EVERY=0)


def test_closing_the_spider_commits_the_batch(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    store = pipeline(db, WIRETRACE_DB_COMMIT_EVERY=100, WIRETRACE_DB_COMMIT_SECONDS=0)
    store.open_spider()
    store.process_item(make_item())
    assert articles(db) == []
    store.close_spider()
    assert articles(db) == [make_item().url]


def test_an_idle_crawl_commits(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    crawler = get_crawler(settings_dict={"WIRETRACE_DB": str(db), "WIRETRACE_DB_COMMIT_EVERY": 100})
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    try:
        store.process_item(make_item())
        crawler.signals.send_catch_log(signals.spider_idle)
        assert articles(db) == [make_item().url]
    finally:
        store.close_spider()


def test_spiders_crawled_together_share_one_connection_per_database(tmp_path: Path) -> None:
    """``scrapy crawlall`` runs every spider in one process: two connections to one file,
    one holding a batch open, would make the other wait on a lock its own thread holds."""
    db = tmp_path / "w.sqlite"
    first = pipeline(db, WIRETRACE_DB_COMMIT_EVERY=100)
    second = pipeline(f"sqlite:///{db}", WIRETRACE_DB_COMMIT_EVERY=100)  # same file
    first.open_spider()
    second.open_spider()
    assert first.store is second.store
    first.process_item(make_item(url="https://cvn.example/a/1.html", body_sha256="1" * 64))
    second.process_item(make_item(url="https://cvn.example/a/2.html", body_sha256="2" * 64))
    first.close_spider()  # the other spider still writes through the open store
    second.process_item(make_item(url="https://cvn.example/a/3.html", body_sha256="3" * 64))
    second.close_spider()
    assert articles(db) == [f"https://cvn.example/a/{n}.html" for n in (1, 2, 3)]
    other = pipeline(db)
    other.open_spider()  # a later crawl opens the file afresh
    assert other.store is not first.store
    other.close_spider()


class _FullDisk:
    """A store whose writes fail as on a full disk, holding two uncommitted saves."""

    pending = 2

    def commit(self) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    def rollback(self) -> int:
        taken_back, self.pending = self.pending, 0
        return taken_back


def test_a_failed_commit_never_raises_into_the_timer_and_is_counted(tmp_path: Path) -> None:
    # Scrapy's looping call stops for good at the first exception: commit must not raise.
    store = pipeline(tmp_path / "w.sqlite")
    store.store = _FullDisk()  # type: ignore[assignment]  # a stand-in for the disk fault
    store.commit()
    store.commit()  # the timer's next tick: quiet, nothing counted twice
    assert store.failed
    assert store.stats.get_value("wiretrace/store/errors") == 1
    assert store.stats.get_value("wiretrace/store/lost") == 2
    assert "disk is full" in store.stats.get_value("wiretrace/store/error")


class _BrokenStore:
    """A store whose save fails for a reason of its own, not a database error."""

    pending = 0

    def save_article(self, item: object) -> None:
        raise AttributeError("'Store' object has no attribute 'lock_wait'")

    def rollback(self) -> int:
        return 0


def test_a_store_that_fails_unexpectedly_is_a_failed_write_said_once(tmp_path: Path) -> None:
    store = pipeline(tmp_path / "w.sqlite")
    store.store = _BrokenStore()  # type: ignore[assignment]
    for n in range(3):
        with pytest.raises(DropItem):
            store.process_item(make_item(url=f"https://cvn.example/a/{n}.html"))
    assert store.failed
    assert store.stats.get_value("wiretrace/store/errors") == 1
    assert "lock_wait" in store.stats.get_value("wiretrace/store/error")
