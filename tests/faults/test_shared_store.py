"""Spiders crawled together (``scrapy crawlall``) into one database share its connection;
a failed write of one spider takes back and counts that spider's saves, never another's."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.pipelines.store import StorePipeline
from tests.crawling import make_item


def pipeline(db: Path) -> StorePipeline:
    crawler = get_crawler(settings_dict={"WIRETRACE_DB": str(db), "WIRETRACE_DB_COMMIT_EVERY": 100})
    return StorePipeline.from_crawler(crawler)


def item(name: str) -> Any:
    return make_item(url=f"https://cvn.example/a/{name}.html", body_sha256=name.ljust(64, "0"))


def stored(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [url.rsplit("/", 1)[1] for (url,) in conn.execute("SELECT url FROM articles")]


def test_a_failed_save_of_one_spider_takes_back_its_own_batch_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "w.sqlite"
    cvn, gazette = pipeline(db), pipeline(db)
    cvn.open_spider()
    gazette.open_spider()
    assert cvn.store is gazette.store
    save = cvn.store.save_article  # type: ignore[union-attr]

    def failing(article: Any) -> Any:
        if article.url.endswith("/a3.html"):
            raise sqlite3.OperationalError("disk I/O error")
        return save(article)

    monkeypatch.setattr(cvn.store, "save_article", failing)
    cvn.process_item(item("a1"))
    gazette.process_item(item("b1"))
    gazette.process_item(item("b2"))
    cvn.process_item(item("a2"))
    with pytest.raises(DropItem):
        cvn.process_item(item("a3"))
    # The failing spider lost its own open batch (a2), counted as lost, and stopped.
    assert cvn.failed
    assert cvn.stats.get_value("wiretrace/store/lost") == 1
    assert cvn.stats.get_value("wiretrace/store/new") == 2
    # The other spider's saves, counted as stored, are stored; it goes on.
    assert not gazette.failed
    assert gazette.stats.get_value("wiretrace/store/lost") is None
    gazette.process_item(item("b3"))
    gazette.close_spider()
    cvn.close_spider()
    assert sorted(stored(db)) == ["a1.html", "b1.html", "b2.html", "b3.html"]
    assert gazette.stats.get_value("wiretrace/store/new") == 3


def test_a_spider_closing_commits_its_batch_before_another_saves_into_it(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    first, second = pipeline(db), pipeline(db)
    first.open_spider()
    second.open_spider()
    first.process_item(item("a1"))
    first.close_spider()
    assert stored(db) == ["a1.html"]  # committed at its own close, not left to the other
    second.process_item(item("b1"))
    second.close_spider()
    assert sorted(stored(db)) == ["a1.html", "b1.html"]
