"""Each text is stored once: ``versions.text`` holds it, ``item_json`` does not.

``item_json`` keeps the item without its text and without the fields the article row has
columns for; reading an article rebuilds the whole item from the three. Stores written
before (schema version 4, the text in both places) are rewritten by the upgrade to 5.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from crawler.items import EXPORT_FIELDS
from crawler.storage import Store, open_store
from crawler.storage.rows import COLUMN_FIELDS
from crawler.storage.sql import to_postgres
from crawler.storage.sqlite import SCHEMA_VERSION
from tests.crawling import ITEM_URL as URL
from tests.crawling import exported, make_item
from tests.servers import Database

pytestmark = pytest.mark.backends()  # SQLite and PostgreSQL

LONG_TEXT = "\n".join(f"Paragraphe {n} : le texte de la dépêche, assez long." for n in range(200))


@pytest.fixture
def store(db: Database) -> Iterator[Store]:
    opened = open_store(str(db))
    yield opened
    opened.close()


def stored_json(db: Database, url: str = URL) -> dict[str, Any]:
    [(raw,)] = db.query("SELECT item_json FROM articles WHERE url = ?", url)
    return dict(json.loads(raw))


def read_back(store: Store, url: str = URL) -> dict[str, Any]:
    [article] = [a for a in store.articles() if a["url"] == url]
    return {k: v for k, v in article.items() if k not in ("first_seen", "last_seen")}


# -- a save --------------------------------------------------------------------------------


def test_item_json_holds_neither_the_text_nor_the_fields_with_columns(
    store: Store, db: Database
) -> None:
    store.save_article(make_item(text=LONG_TEXT))

    kept = stored_json(db)
    assert "text" not in kept
    assert not set(COLUMN_FIELDS) & set(kept)
    assert set(kept) == {"fetch", "provenance", "fallback_fields"}
    [(raw,)] = db.query("SELECT item_json FROM articles")
    assert len(raw) < len(LONG_TEXT) / 4
    assert db.query("SELECT text FROM versions") == [(LONG_TEXT,)]


def test_every_reader_gets_the_whole_item_back(store: Store) -> None:
    item = make_item(text=LONG_TEXT)
    store.save_article(item)

    article = read_back(store)
    assert article == {name: exported(item)[name] for name in EXPORT_FIELDS}
    assert list(article) == list(EXPORT_FIELDS)  # in the item's own order
    [record] = store.provenance()
    assert (record["url"], record["outlet"], record["title"], record["published"]) == (
        URL,
        "cvn",
        "Un reportage",
        "2025-05-01T07:30:00+07:00",
    )
    [doc] = store.reuse_docs()
    assert doc["text"] == LONG_TEXT


def test_a_recrawl_whose_text_differs_in_whitespace_reads_back_as_scraped(
    store: Store, db: Database
) -> None:
    store.save_article(make_item(text="Un  paragraphe.\nUn autre."))
    respaced = "Un paragraphe.\n\nUn   autre."
    store.save_article(
        make_item(text=respaced, body_sha256="b" * 64, fetched_at="2025-05-02T08:00:00+00:00")
    )

    assert db.query("SELECT text FROM versions") == [("Un  paragraphe.\nUn autre.",)]
    assert stored_json(db)["text"] == respaced  # the version keeps the first sighting's
    assert read_back(store)["text"] == respaced


def test_an_older_sighting_rewriting_the_latest_versions_text_keeps_the_latest_item(
    store: Store, db: Database
) -> None:
    latest = "Un paragraphe.\nUn autre."
    store.save_article(make_item(text=latest, fetched_at="2025-05-02T08:00:00+00:00"))
    older = "Un   paragraphe.\n\nUn autre."  # same text, whitespace aside: same version
    store.save_article(
        make_item(text=older, body_sha256="b" * 64, fetched_at="2025-05-01T08:00:00+00:00")
    )

    assert db.query("SELECT text FROM versions") == [(older,)]  # its earliest sighting
    assert read_back(store)["text"] == latest


def test_a_dict_item_with_odd_values_keeps_them_in_its_json(store: Store, db: Database) -> None:
    item = exported(make_item())
    item["authors"] = ("Rédaction",)  # a tuple: the column reads back a list
    item["text"] = None
    store.save_article(item)

    kept = stored_json(db)
    assert kept["text"] is None
    article = read_back(store)
    assert article["text"] is None
    assert article["authors"] == ["Rédaction"]


# -- stores written before: the upgrade to version 5 ---------------------------------------------


def execute(db: Database, sql: str, *params: Any) -> None:
    """Run one statement that returns no rows, committed, on either backend."""
    if db.kind == "sqlite":
        with sqlite3.connect(db) as conn:
            conn.execute(sql, params)
        return
    with psycopg.connect(db.target, autocommit=True) as conn:
        conn.execute(to_postgres(sql), params)


def make_old(db: Database, items: list[dict[str, Any]]) -> None:
    """Put each item's whole JSON back into ``item_json`` (text and all), as versions up to
    4 stored it, and mark the store as version 4."""
    for item in items:
        execute(
            db,
            "UPDATE articles SET item_json = ? WHERE url = ?",
            json.dumps(item, ensure_ascii=False),
            item["url"],
        )
    if db.kind == "sqlite":
        execute(db, "PRAGMA user_version = 4")
    else:
        execute(db, "UPDATE wiretrace_meta SET value = '4' WHERE key = 'schema_version'")


def test_the_upgrade_takes_the_text_out_of_old_rows_and_reads_back_the_same(
    db: Database,
) -> None:
    items = [
        exported(make_item(url=f"https://cvn.example/{n}.html", text=f"{LONG_TEXT} {n}"))
        for n in range(3)
    ]
    with open_store(str(db)) as store:
        for item in items:
            store.save_article(item)
    make_old(db, items)
    [(size_before,)] = db.query("SELECT sum(length(item_json)) FROM articles")

    with open_store(str(db)) as store:
        assert [read_back(store, i["url"]) for i in items] == items
    for item in items:
        assert set(stored_json(db, item["url"])) == {"fetch", "provenance", "fallback_fields"}
    [(size_after,)] = db.query("SELECT sum(length(item_json)) FROM articles")
    assert size_after < size_before / 10
    version = (
        "PRAGMA user_version"
        if db.kind == "sqlite"
        else ("SELECT value::int FROM wiretrace_meta WHERE key = 'schema_version'")
    )
    assert db.query(version) == [(SCHEMA_VERSION,)] == [(5,)]


#: A store as wiretrace wrote it at schema version 4, one article in it: the tables exactly
#: as that version created them and the rows a save made, its whole item in item_json.
VERSION_4 = """
CREATE TABLE fetches (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL, status INTEGER NOT NULL, sha256 TEXT NOT NULL,
    replayed INTEGER NOT NULL DEFAULT 0, warc TEXT, warc_offset INTEGER, record_id TEXT,
    first_fetched_at TEXT NOT NULL, last_fetched_at TEXT NOT NULL,
    times_seen INTEGER NOT NULL DEFAULT 1, UNIQUE (url, sha256, status));
CREATE TABLE articles (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, outlet TEXT NOT NULL, canonical_url TEXT,
    title TEXT, published TEXT, authors TEXT NOT NULL DEFAULT '[]', language TEXT,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
    latest_version_id INTEGER REFERENCES versions (id), item_json TEXT NOT NULL,
    visits INTEGER NOT NULL DEFAULT 1, unchanged_visits INTEGER NOT NULL DEFAULT 0,
    next_visit TEXT);
CREATE INDEX articles_outlet ON articles (outlet);
CREATE INDEX articles_next_visit ON articles (next_visit);
CREATE INDEX articles_canonical_url ON articles (canonical_url);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    text_sha256 TEXT NOT NULL, text TEXT NOT NULL, title TEXT,
    fetch_id INTEGER NOT NULL REFERENCES fetches (id), first_seen TEXT NOT NULL, diff TEXT,
    UNIQUE (article_id, text_sha256));
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    kind TEXT NOT NULL, text TEXT NOT NULL, location TEXT NOT NULL DEFAULT '', agency TEXT,
    confidence REAL, UNIQUE (version_id, kind, text, location));
CREATE TABLE edges (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    relation TEXT NOT NULL CHECK (relation IN ('copy', 'cited', 'media')), hop INTEGER,
    media_index INTEGER, agency TEXT NOT NULL, basis TEXT, evidence_text TEXT);
CREATE UNIQUE INDEX edges_key ON edges
    (version_id, relation, coalesce(hop, -1), coalesce(media_index, -1), agency);
CREATE INDEX edges_agency ON edges (agency, version_id);
CREATE TABLE reuse (
    id INTEGER PRIMARY KEY,
    a_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    b_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    a_version_id INTEGER REFERENCES versions (id) ON DELETE SET NULL,
    b_version_id INTEGER REFERENCES versions (id) ON DELETE SET NULL,
    share_a REAL NOT NULL, share_b REAL NOT NULL, passages TEXT NOT NULL DEFAULT '[]',
    earlier_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    computed_at TEXT NOT NULL, UNIQUE (a_id, b_id), CHECK (a_id != b_id));
CREATE INDEX reuse_b ON reuse (b_id);
INSERT INTO fetches VALUES (1, 'https://cvn.example/a.html', 200, 'aaaa', 1, NULL, NULL, NULL,
    '2025-05-01T08:00:00+00:00', '2025-05-01T08:00:00+00:00', 1);
INSERT INTO articles VALUES (1, 'https://cvn.example/a.html', 'cvn', NULL, 'Un titre',
    '2025-05-01T07:30:00+07:00', '["Rédaction"]', 'fr', '2025-05-01T08:00:00+00:00',
    '2025-05-01T08:00:00+00:00', 1, :item_json, 1, 0, '2025-05-01T14:00:00+00:00');
INSERT INTO versions VALUES (1, 1, 'digest', :text, 'Un titre', 1,
    '2025-05-01T08:00:00+00:00', NULL);
INSERT INTO edges VALUES (1, 1, 'copy', 0, NULL, 'xinhua', 'credit_line', 'Xinhua/VNA/CVN');
PRAGMA user_version = 4;
"""

OLD_ITEM = {
    "url": "https://cvn.example/a.html",
    "canonical_url": None,
    "outlet": "cvn",
    "title": "Un titre",
    "published": "2025-05-01T07:30:00+07:00",
    "authors": ["Rédaction"],
    "language": "fr",
    "text": LONG_TEXT,
    "fetch": {"fetched_at": "2025-05-01T08:00:00+00:00", "status": 200, "sha256": "aaaa"},
    "provenance": {
        "chain": [["xinhua"], ["vna"], ["cvn"]],
        "basis": "credit_line",
        "cited": [],
        "media": [],
        "evidence": [{"kind": "credit_line", "text": "Xinhua/VNA/CVN", "agency": "xinhua"}],
    },
    "fallback_fields": [],
}


@pytest.mark.backends("sqlite")  # the file is written with sqlite3, as version 4 wrote it
def test_a_version_4_file_written_by_the_old_code_is_rewritten_once(db: Database) -> None:
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(db) as conn:
        for statement in VERSION_4.split(";\n"):
            if statement.strip():
                conn.execute(
                    statement,
                    {"item_json": json.dumps(OLD_ITEM, ensure_ascii=False), "text": LONG_TEXT},
                )
    before = Path(db).stat().st_size

    with open_store(str(db)) as store:
        assert read_back(store, OLD_ITEM["url"]) == OLD_ITEM
        [record] = store.provenance(agency="xinhua")
        assert record["chain"] == OLD_ITEM["provenance"]["chain"]  # type: ignore[index]
        assert record["title"] == "Un titre"
    kept = stored_json(db, str(OLD_ITEM["url"]))
    assert set(kept) == {"fetch", "provenance", "fallback_fields"}
    with sqlite3.connect(db) as conn:
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert Path(db).stat().st_size < before
    # Opening it again changes nothing: the upgrade ran once.
    with open_store(str(db)) as store:
        assert read_back(store, OLD_ITEM["url"]) == OLD_ITEM
    assert stored_json(db, str(OLD_ITEM["url"])) == kept
