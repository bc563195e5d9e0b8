"""Saves committed in batches: what another reader sees, and what a failed save leaves.

A crawl's store commits every ``commit_every`` saves (a commit per article was a fifth of a
replayed page's time). Each save must stay atomic inside the batch, and nothing saved may
be lost on close. Rows are counted through a separate connection, which sees only what
was committed.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import psycopg
import pytest

from crawler.storage import Store, open_store
from crawler.storage.sqlite import SQLiteStore
from tests.crawling import TABLES, make_item, row_counts
from tests.servers import Database

pytestmark = pytest.mark.backends()  # every test taking `db`: SQLite and PostgreSQL

EMPTY = dict.fromkeys(TABLES, 0)


def url(n: int) -> str:
    return f"https://cvn.example/world/report-{n}.html"


def save(store: Store, *numbers: int) -> None:
    """Save one distinct article per number."""
    for n in numbers:
        store.save_article(make_item(url=url(n), body_sha256=str(n) * 64))


def test_saves_are_committed_every_n(db: Database) -> None:
    store = open_store(db, commit_every=3)
    try:
        save(store, 1, 2)
        assert row_counts(db) == EMPTY  # not yet committed
        assert store.known(url(1))  # but the store's own reads see them
        save(store, 3)
        assert row_counts(db)["articles"] == 3
        save(store, 4)
        assert row_counts(db)["articles"] == 3
        store.commit()
        assert row_counts(db)["articles"] == 4
    finally:
        store.close()


def test_close_commits_what_is_pending(db: Database) -> None:
    store = open_store(db, commit_every=100)
    store.save_article(make_item())
    store.close()
    store.close()  # twice is harmless
    assert row_counts(db)["articles"] == 1


def test_the_default_commits_each_save(db: Database) -> None:
    store = open_store(db)
    try:
        store.save_article(make_item())
        assert row_counts(db)["articles"] == 1
    finally:
        store.close()


def test_a_failed_save_in_a_batch_leaves_no_row_and_keeps_the_others(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(db, commit_every=10)
    store.save_article(make_item(url=url(1), body_sha256="1" * 64))

    def broken(*args: object) -> None:
        raise sqlite3.OperationalError("simulated failure after the article row was written")

    with monkeypatch.context() as patch:
        patch.setattr(store, "_insert_evidence", broken)
        with pytest.raises(sqlite3.OperationalError, match="simulated"):
            store.save_article(make_item(url=url(2), body_sha256="2" * 64))
    store.save_article(make_item(url=url(3), body_sha256="3" * 64))
    store.close()
    urls = [u for (u,) in db.query("SELECT url FROM articles ORDER BY id")]
    fetched = [u for (u,) in db.query("SELECT url FROM fetches ORDER BY id")]
    assert urls == [url(1), url(3)]
    assert fetched == [url(1), url(3)]  # not even the failed save's fetch row


def test_a_failed_first_save_frees_the_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "w.sqlite"
    store = SQLiteStore(db, commit_every=10)

    def broken(*args: object) -> None:
        raise sqlite3.OperationalError("simulated")

    monkeypatch.setattr(store, "_insert_evidence", broken)
    with pytest.raises(sqlite3.OperationalError):
        store.save_article(make_item())
    other = sqlite3.connect(db, timeout=0.1, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # would raise 'database is locked' otherwise
        other.execute("ROLLBACK")
    finally:
        other.close()
        store.close()
    assert row_counts(db) == EMPTY


def test_other_writes_commit_the_pending_batch_first(db: Database) -> None:
    store = open_store(db, commit_every=100)
    try:
        save(store, 1, 2)
        store.save_reuse([])
        assert row_counts(db)["articles"] == 2
    finally:
        store.close()


def test_commit_every_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="commit_every"):
        SQLiteStore(tmp_path / "w.sqlite", commit_every=0)


@pytest.mark.backends("postgresql")
def test_a_failed_first_save_leaves_no_transaction_open_on_postgresql(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(db, commit_every=10)

    def broken(*args: object) -> None:
        raise sqlite3.OperationalError("simulated")

    monkeypatch.setattr(store, "_insert_evidence", broken)
    with pytest.raises(sqlite3.OperationalError):
        store.save_article(make_item())
    try:
        # Another writer saving the same article would wait on its lock otherwise.
        with psycopg.connect(db, autocommit=True) as other:
            other.execute("SET lock_timeout = '100ms'")
            with other.transaction():
                other.execute("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE")
    finally:
        store.close()
    assert row_counts(db) == EMPTY


def test_concurrent_writers_saving_the_same_articles_store_each_once(db: Database) -> None:
    """Two crawlers, each batching, save overlapping articles in opposite orders: locks are
    taken per article, a lost deadlock retries the one save, and no row is doubled."""
    numbers = list(range(1, 41))
    errors: list[BaseException] = []

    def crawl(order: list[int]) -> None:
        store = open_store(db, commit_every=7)
        try:
            save(store, *order)
        except BaseException as error:  # reported below, with the other thread's
            errors.append(error)
        finally:
            store.close()

    open_store(db).close()  # the schema exists before both start, as in a deployment
    threads = [
        threading.Thread(target=crawl, args=(numbers,)),
        threading.Thread(target=crawl, args=(numbers[::-1],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    evidence = len(make_item().provenance.evidence)
    assert row_counts(db) == {**dict.fromkeys(TABLES, len(numbers)), "evidence": 40 * evidence}
    assert db.query("SELECT sum(visits) FROM articles") == [(2 * len(numbers),)]
