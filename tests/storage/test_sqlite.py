"""The SQLite store, as a specification: what a save records, and what it never does.

Rows are counted through a separate ``sqlite3`` connection, so every check also proves the
data was committed to the file, not just held by the store's own connection.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from crawler.items import EXPORT_FIELDS, ArticleItem
from crawler.pages import Page
from crawler.storage import SaveResult, SaveStatus, Store, open_store
from crawler.storage.postgres import PostgresStore
from crawler.storage.sqlite import SCHEMA_VERSION, SQLiteStore
from tests.crawling import ITEM_TEXT as TEXT
from tests.crawling import ITEM_URL, TABLES, make_item, row_counts
from tests.crawling import ITEM_URL as URL
from tests.servers import Database, as_database, free_port

pytestmark = pytest.mark.backends()  # every test taking `db`: SQLite and PostgreSQL


def exported(item: ArticleItem) -> dict[str, Any]:
    """What a feed export would write for the item: the contract fields."""
    data = dataclasses.asdict(item)
    return {name: data[name] for name in EXPORT_FIELDS}


# -- looking at the file -----------------------------------------------------------------


def query(db: Database | Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return as_database(db).query(sql, *params)


@pytest.fixture
def store(db: Database) -> Iterator[Store]:
    opened = open_store(str(db))
    yield opened
    opened.close()


# -- a new article ---------------------------------------------------------------------------


def test_a_new_article_creates_its_rows_in_every_table(store: Store, db: Database) -> None:
    result = store.save_article(make_item())

    assert result.status is SaveStatus.NEW
    assert row_counts(db) == {"fetches": 1, "articles": 1, "versions": 1, "evidence": 2}
    assert query(db, "SELECT id, latest_version_id FROM articles") == [
        (result.article_id, result.version_id)
    ]
    assert query(db, "SELECT kind, location, agency FROM evidence ORDER BY id") == [
        ("credit_line", "div.article-meta > p", "xinhua"),
        ("photo_credit", "figure > figcaption", "afp"),
    ]
    assert store.fetch_count() == 1


def test_the_fetch_row_records_where_and_when_the_bytes_came_from(
    store: Store, db: Database
) -> None:
    store.save_article(make_item(fetched_at="2025-05-01T08:00:00Z"))

    assert query(
        db,
        "SELECT url, status, sha256, replayed, first_fetched_at, last_fetched_at, times_seen"
        " FROM fetches",
    ) == [(URL, 200, "a" * 64, 1, "2025-05-01T08:00:00+00:00", "2025-05-01T08:00:00+00:00", 1)]


def test_the_stored_item_is_exactly_what_was_scraped(store: Store) -> None:
    item = make_item()
    store.save_article(item)

    [article] = store.articles()

    first_seen, last_seen = article.pop("first_seen"), article.pop("last_seen")
    assert article == exported(item)
    assert first_seen == last_seen == "2025-05-01T08:00:00+00:00"


# -- saving again --------------------------------------------------------------------------


def test_saving_the_same_item_again_adds_no_rows_and_is_unchanged(
    store: Store, db: Database
) -> None:
    first = store.save_article(make_item())
    again = store.save_article(make_item())

    assert again == SaveResult(SaveStatus.UNCHANGED, first.article_id, first.version_id)
    assert row_counts(db) == {"fetches": 1, "articles": 1, "versions": 1, "evidence": 2}
    assert query(db, "SELECT times_seen FROM fetches") == [(2,)]


def test_a_later_recrawl_of_the_same_page_only_moves_last_seen(store: Store, db: Database) -> None:
    store.save_article(make_item(fetched_at="2025-05-01T08:00:00+00:00"))
    result = store.save_article(make_item(fetched_at="2025-05-02T09:30:00+00:00"))

    assert result.status is SaveStatus.UNCHANGED
    assert row_counts(db) == {"fetches": 1, "articles": 1, "versions": 1, "evidence": 2}
    [article] = store.articles()
    assert article["first_seen"] == "2025-05-01T08:00:00+00:00"
    assert article["last_seen"] == "2025-05-02T09:30:00+00:00"
    assert query(db, "SELECT first_fetched_at, last_fetched_at, times_seen FROM fetches") == [
        ("2025-05-01T08:00:00+00:00", "2025-05-02T09:30:00+00:00", 2)
    ]


def test_changed_text_is_a_new_version_listed_oldest_first(store: Store, db: Database) -> None:
    first = store.save_article(make_item())
    edited = TEXT + "\nA correction was added."
    result = store.save_article(
        make_item(text=edited, body_sha256="b" * 64, fetched_at="2025-05-03T10:00:00+00:00")
    )

    assert result.status is SaveStatus.NEW_VERSION
    assert result.article_id == first.article_id
    assert result.version_id != first.version_id
    versions = store.versions(URL)
    assert [v["text"] for v in versions] == [TEXT, edited]
    assert [v["id"] for v in versions] == [first.version_id, result.version_id]
    assert [v["first_seen"] for v in versions] == [
        "2025-05-01T08:00:00+00:00",
        "2025-05-03T10:00:00+00:00",
    ]
    assert set(versions[0]) == {"id", "text_sha256", "text", "title", "first_seen", "diff"}
    assert store.fetch_count() == 2
    assert row_counts(db)["evidence"] == 4  # each version keeps the evidence read from it
    [article] = store.articles()
    assert article["text"] == edited


def test_a_whitespace_only_change_is_not_a_new_version(store: Store, db: Database) -> None:
    store.save_article(make_item())
    rewrapped = "  HANOI, 1 May  (Xinhua) –\tFirst paragraph.\n\n  Second paragraph.  "
    result = store.save_article(make_item(text=rewrapped, body_sha256="c" * 64))

    assert result.status is SaveStatus.UNCHANGED
    assert len(store.versions(URL)) == 1
    assert row_counts(db)["versions"] == 1


def test_going_back_to_an_earlier_text_reuses_its_version(store: Store, db: Database) -> None:
    original = store.save_article(make_item(fetched_at="2025-05-01T08:00:00+00:00"))
    store.save_article(make_item(text="Edited.", fetched_at="2025-05-02T08:00:00+00:00"))
    reverted = store.save_article(make_item(fetched_at="2025-05-03T08:00:00+00:00"))

    assert reverted.status is SaveStatus.NEW_VERSION  # the latest text changed...
    assert reverted.version_id == original.version_id  # ...back to a version already stored
    assert row_counts(db)["versions"] == 2
    assert query(db, "SELECT latest_version_id FROM articles") == [(original.version_id,)]


def test_replaying_an_older_fetch_does_not_make_its_text_the_latest(store: Store) -> None:
    store.save_article(make_item(text="Newest.", fetched_at="2025-05-09T08:00:00+00:00"))
    store.save_article(make_item(text="Oldest.", fetched_at="2025-05-01T08:00:00+00:00"))

    [article] = store.articles()
    assert article["text"] == "Newest."
    assert (article["first_seen"], article["last_seen"]) == (
        "2025-05-01T08:00:00+00:00",
        "2025-05-09T08:00:00+00:00",
    )
    assert [v["text"] for v in store.versions(URL)] == ["Oldest.", "Newest."]


# -- any item type ----------------------------------------------------------------------------


def test_dict_items_and_dataclass_items_are_stored_alike(tmp_path: Path) -> None:
    item = make_item()
    as_dict = exported(item)
    with_nested_dataclasses = {**as_dict, "fetch": item.fetch, "provenance": item.provenance}

    stored = []
    for name, candidate in [("dc", item), ("dict", as_dict), ("mixed", with_nested_dataclasses)]:
        store = open_store(tmp_path / f"{name}.sqlite")
        try:
            assert store.save_article(candidate).status is SaveStatus.NEW
            stored.append((list(store.articles()), store.versions(URL), store.fetch_count()))
        finally:
            store.close()

    assert stored[0] == stored[1] == stored[2]
    assert row_counts(tmp_path / "dict.sqlite")["evidence"] == 2


@pytest.mark.backends("sqlite")  # reads or edits the file with sqlite3
def test_the_parsed_page_is_never_stored(store: Store, db: Database) -> None:
    marker = "<html>RAW-RESPONSE-MARKER</html>"
    store.save_article(make_item(page=Page(url=ITEM_URL, tree=marker)))
    store.save_article({**exported(make_item()), "page": marker})

    [article] = store.articles()
    assert "page" not in article
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump())
    assert "RAW-RESPONSE-MARKER" not in dump
    assert all("page" not in json.loads(j) for (j,) in query(db, "SELECT item_json FROM articles"))


def test_an_item_without_fetch_details_is_refused_before_anything_is_written(
    store: Store, db: Database
) -> None:
    item = exported(make_item())
    del item["fetch"]["sha256"]

    with pytest.raises(ValueError, match="sha256"):
        store.save_article(item)
    assert row_counts(db) == dict.fromkeys(TABLES, 0)


# -- all or nothing -----------------------------------------------------------------------------


def _fail(*_args: Any, **_kwargs: Any) -> None:
    raise sqlite3.OperationalError("disk I/O error (simulated)")


def test_a_failure_mid_save_leaves_no_half_written_record(
    store: Store, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "_insert_evidence", _fail)  # after fetch, article and version

    with pytest.raises(sqlite3.OperationalError):
        store.save_article(make_item())

    assert row_counts(db) == dict.fromkeys(TABLES, 0)
    monkeypatch.undo()
    assert store.save_article(make_item()).status is SaveStatus.NEW  # the store is still usable


def test_a_failed_resave_leaves_the_earlier_record_as_it_was(
    store: Store, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save_article(make_item())
    before = {t: query(db, f"SELECT * FROM {t} ORDER BY id") for t in TABLES}
    monkeypatch.setattr(store, "_insert_evidence", _fail)

    with pytest.raises(sqlite3.OperationalError):
        store.save_article(
            make_item(text="Edited.", body_sha256="d" * 64, fetched_at="2025-06-01T00:00:00Z")
        )

    assert {t: query(db, f"SELECT * FROM {t} ORDER BY id") for t in TABLES} == before


# -- opening a store ------------------------------------------------------------------------------


def test_the_file_and_its_folders_are_created_on_first_use(tmp_path: Path) -> None:
    db = tmp_path / "not" / "yet" / "there.sqlite"

    store = open_store(str(db))
    store.close()

    assert db.is_file()
    assert query(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert query(db, "PRAGMA journal_mode") == [("wal",)]


def test_reopening_keeps_what_was_stored(db: Database) -> None:
    store = open_store(db)
    store.save_article(make_item())
    store.close()

    reopened = open_store(db)
    try:
        assert reopened.save_article(make_item()).status is SaveStatus.UNCHANGED
        assert reopened.fetch_count() == 1
    finally:
        reopened.close()


def test_a_sqlite_url_opens_the_sqlite_store(tmp_path: Path) -> None:
    db = tmp_path / "via-url.sqlite"  # absolute, so sqlite:// + "/" + "/tmp/..."

    store = open_store(f"sqlite:///{db}")
    try:
        assert isinstance(store, SQLiteStore)
        assert isinstance(store, Store)
    finally:
        store.close()
    assert db.is_file()


def test_a_relative_sqlite_url_is_relative_to_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    open_store("sqlite:///data/rel.sqlite").close()

    assert (tmp_path / "data" / "rel.sqlite").is_file()


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_a_postgresql_url_opens_the_postgresql_store(postgres_url: str, scheme: str) -> None:
    store = open_store(scheme + "://" + postgres_url.partition("://")[2])
    try:
        assert isinstance(store, PostgresStore)
        assert isinstance(store, Store)
    finally:
        store.close()


def test_a_reader_refuses_a_postgresql_database_without_wiretrace_tables(
    postgres_url: str,
) -> None:
    with pytest.raises(FileNotFoundError, match="no wiretrace tables"):
        open_store(postgres_url, create=False)
    open_store(postgres_url).close()
    open_store(postgres_url, create=False).close()


def test_an_unreachable_postgresql_server_is_an_error_that_hides_the_password() -> None:
    with pytest.raises(psycopg.OperationalError) as raised:
        open_store(f"postgresql://crawler:s3cret@127.0.0.1:{free_port()}/wiretrace")
    assert "s3cret" not in str(raised.value)  # a database URL may carry a password


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("mysql://db.example/wiretrace", "unsupported storage scheme 'mysql'"),
        ("sqlite://host/wiretrace.sqlite", "three slashes"),
        ("sqlite:///", "three slashes"),
        ("", "empty storage target"),
    ],
)
def test_other_targets_are_refused_with_a_clear_message(target: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        open_store(target)


# -- reading back --------------------------------------------------------------------------------


def test_articles_can_be_filtered_by_outlet(store: Store) -> None:
    store.save_article(make_item(url="https://cvn.example/a.html", outlet="cvn"))
    store.save_article(make_item(url="https://lagazette.example/b", outlet="lagazette"))
    store.save_article(make_item(url="https://cvn.example/c.html", outlet="cvn"))

    assert [a["url"] for a in store.articles(outlet="cvn")] == [
        "https://cvn.example/a.html",
        "https://cvn.example/c.html",
    ]
    assert [a["outlet"] for a in store.articles(outlet="lagazette")] == ["lagazette"]
    assert list(store.articles(outlet="leplacentin")) == []
    assert len(list(store.articles())) == 3


def test_versions_of_an_unknown_url_is_empty(store: Store) -> None:
    assert store.versions("https://nowhere.example/") == []


def test_known_among_answers_as_known_does_for_every_url_at_once(store: Store) -> None:
    """A listing's links are asked about in one query: the answer is ``known``'s for each."""
    own = make_item(url="https://cvn.example/a/1.html", body_sha256="1" * 64)
    own.canonical_url = "https://cvn.example/a/one"
    reprint = make_item(url="https://other.example/r.html", outlet="other", body_sha256="2" * 64)
    reprint.canonical_url = "https://cvn.example/a/2.html"  # names a cvn page it copied
    store.save_article(own)
    store.save_article(reprint)
    asked = [
        own.url,
        "https://cvn.example/a/one",
        "https://cvn.example/a/2.html",
        "https://cvn.example/a/new.html",
        reprint.url,
    ]
    for outlet in (None, "cvn"):
        assert store.known_among(asked, outlet) == {u for u in asked if store.known(u, outlet)}
    assert "https://cvn.example/a/2.html" in store.known_among(asked)
    assert "https://cvn.example/a/2.html" not in store.known_among(asked, "cvn")
    assert store.known_among([], "cvn") == set()
