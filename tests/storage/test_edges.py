"""Provenance edges: one row per agency a version's provenance names, kept in step with it.

As in test_sqlite.py, rows are read through a separate ``sqlite3`` connection, so every
check also proves the edges were committed with the rest of the save.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.items import ArticleItem, Evidence, Fetch, Provenance
from crawler.storage import SaveStatus, Store, open_store
from crawler.storage.sqlite import SCHEMA_VERSION, SQLiteStore
from tests.servers import Database, as_database

CVN_URL = "https://cvn.example/monde/poutine-kim-vostotchny.html"
GAZETTE_URL = "https://lagazette.example/2025/poutine-accepte-invitation"
GENERIC_URL = "https://vietnam.vn/poutine-accueille-kim"

EDGE_COLUMNS = "relation, hop, media_index, agency, basis, evidence_text"

pytestmark = pytest.mark.backends()  # every test taking `db`: SQLite and PostgreSQL


# -- building items ----------------------------------------------------------------------


def cvn_provenance(upstream: str = "xinhua") -> Provenance:
    """Seed 001: a Xinhua story relayed by VNA, with an AFP photo relayed the same way."""
    credit = f"{upstream.capitalize()}/VNA/CVN"
    return Provenance(
        chain=[[upstream], ["vna"], ["cvn"]],
        basis="credit_line",
        cited=[],
        media=[{"credit": "Photo : AFP/VNA/CVN", "chain": [["afp"], ["vna"], ["cvn"]]}],
        evidence=[
            Evidence("dateline", "Vladivostok (Xinhua)", "p:first-child", upstream, 0.6),
            Evidence("credit_line", credit, "div.article-meta > p", upstream, 0.95),
            Evidence("photo_credit", "Photo : AFP/VNA/CVN", "figure > figcaption", "afp", 0.9),
        ],
    )


def gazette_provenance() -> Provenance:
    """Seed 002: own reporting that quotes KCNA."""
    return Provenance(
        chain=[["lagazette"]],
        basis="own",
        cited=["kcna"],
        media=[],
        evidence=[Evidence("in_text", "selon l'agence KCNA", "char:812", "kcna", 0.8)],
    )


def generic_provenance() -> Provenance:
    """Seed 000: a generic site whose byline names two Russian sources in one hop."""
    return Provenance(
        chain=[["rt", "sputnik"], ["vietnam.vn"]],
        basis="byline",
        cited=[],
        media=[{"credit": "Photo: Sputnik", "chain": [["sputnik"], ["vietnam.vn"]]}],
        evidence=[Evidence("byline", "RT, Sputnik", "span.author", "rt", 0.7)],
    )


def make_item(
    *,
    url: str = CVN_URL,
    outlet: str = "cvn",
    provenance: Provenance | None = None,
    text: str = "Le président russe a accueilli son homologue.",
    fetched_at: str = "2025-05-01T08:00:00+00:00",
    body_sha256: str = "a" * 64,
    canonical_url: str | None = None,
) -> ArticleItem:
    return ArticleItem(
        url=url,
        outlet=outlet,
        fetch=Fetch(fetched_at=fetched_at, status=200, sha256=body_sha256, replayed=True),
        canonical_url=canonical_url or url,
        title="Poutine accueille Kim",
        published="2025-05-01T07:30:00+07:00",
        authors=[],
        language="fr",
        text=text,
        provenance=provenance or cvn_provenance(),
    )


# -- looking at the file -------------------------------------------------------------------


def query(db: Database | Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return as_database(db).query(sql, *params)


def edges(db: Database, version_id: int | None = None) -> list[tuple[Any, ...]]:
    where = "" if version_id is None else f" WHERE version_id = {int(version_id)}"
    return query(db, f"SELECT {EDGE_COLUMNS} FROM edges{where} ORDER BY id")


def edge_ids(db: Database) -> list[int]:
    return [row[0] for row in query(db, "SELECT id FROM edges ORDER BY id")]


@pytest.fixture
def store(db: Database) -> Iterator[Store]:
    opened = open_store(db)
    yield opened
    opened.close()


# -- what a save writes --------------------------------------------------------------------------


def test_a_relayed_story_has_one_copy_edge_per_hop_and_its_photo_chain(
    store: Store, db: Database
) -> None:
    result = store.save_article(make_item())

    assert query(db, "SELECT DISTINCT version_id FROM edges") == [(result.version_id,)]
    assert edges(db) == [
        ("copy", 0, None, "xinhua", "credit_line", "Xinhua/VNA/CVN"),
        ("copy", 1, None, "vna", "credit_line", "Xinhua/VNA/CVN"),
        ("copy", 2, None, "cvn", "credit_line", "Xinhua/VNA/CVN"),
        ("media", 0, 0, "afp", "photo_credit", "Photo : AFP/VNA/CVN"),
        ("media", 1, 0, "vna", "photo_credit", "Photo : AFP/VNA/CVN"),
        ("media", 2, 0, "cvn", "photo_credit", "Photo : AFP/VNA/CVN"),
    ]


def test_own_reporting_has_only_the_publisher_hop_and_its_citations(
    store: Store, db: Database
) -> None:
    store.save_article(
        make_item(url=GAZETTE_URL, outlet="lagazette", provenance=gazette_provenance())
    )

    assert edges(db) == [
        ("copy", 0, None, "lagazette", "own", None),  # no evidence is of kind "own"
        ("cited", None, None, "kcna", "in_text", "selon l'agence KCNA"),
    ]


def test_several_sources_in_one_hop_share_the_hop_index(store: Store, db: Database) -> None:
    store.save_article(
        make_item(url=GENERIC_URL, outlet="vietnam.vn", provenance=generic_provenance())
    )

    assert edges(db) == [
        ("copy", 0, None, "rt", "byline", "RT, Sputnik"),
        ("copy", 0, None, "sputnik", "byline", "RT, Sputnik"),
        ("copy", 1, None, "vietnam.vn", "byline", "RT, Sputnik"),
        ("media", 0, 0, "sputnik", "photo_credit", "Photo: Sputnik"),
        ("media", 1, 0, "vietnam.vn", "photo_credit", "Photo: Sputnik"),
    ]


def test_each_image_credit_has_its_own_media_index(store: Store, db: Database) -> None:
    provenance = cvn_provenance()
    provenance.media.append({"credit": "Photo : TASS", "chain": [["tass"], ["cvn"]]})
    provenance.media.append({"credit": "Photo : X", "chain": []})  # nobody identified
    store.save_article(make_item(provenance=provenance))

    assert query(
        db, "SELECT media_index, hop, agency FROM edges WHERE relation = 'media' ORDER BY id"
    ) == [(0, 0, "afp"), (0, 1, "vna"), (0, 2, "cvn"), (1, 0, "tass"), (1, 1, "cvn")]


def test_repeated_ids_are_one_edge_and_a_cited_edge_without_evidence_has_no_text(
    store: Store, db: Database
) -> None:
    provenance = gazette_provenance()
    provenance.chain = [["lagazette", "lagazette"]]
    provenance.cited = ["kcna", "tass", "kcna"]
    store.save_article(make_item(url=GAZETTE_URL, outlet="lagazette", provenance=provenance))

    assert edges(db) == [
        ("copy", 0, None, "lagazette", "own", None),
        ("cited", None, None, "kcna", "in_text", "selon l'agence KCNA"),
        ("cited", None, None, "tass", "in_text", None),
    ]


# -- saving again ----------------------------------------------------------------------------------


def test_saving_the_same_item_again_adds_no_edges(store: Store, db: Database) -> None:
    store.save_article(
        make_item(url=GAZETTE_URL, outlet="lagazette", provenance=gazette_provenance())
    )
    store.save_article(make_item())
    before = query(db, "SELECT * FROM edges ORDER BY id")

    store.save_article(make_item())
    store.save_article(make_item(fetched_at="2025-05-02T08:00:00+00:00"))
    store.save_article(
        make_item(url=GAZETTE_URL, outlet="lagazette", provenance=gazette_provenance())
    )

    assert query(db, "SELECT * FROM edges ORDER BY id") == before


def test_a_corrected_reading_of_the_same_text_replaces_that_versions_edges(
    store: Store, db: Database
) -> None:
    first = store.save_article(make_item())
    kept = {row[0] for row in query(db, "SELECT id FROM edges WHERE agency IN ('vna', 'cvn')")}

    again = store.save_article(
        make_item(provenance=cvn_provenance("tass"), fetched_at="2025-05-02T08:00:00+00:00")
    )

    assert again.version_id == first.version_id
    assert [row[:4] for row in edges(db) if row[0] == "copy"] == [
        ("copy", 1, None, "vna"),
        ("copy", 2, None, "cvn"),
        ("copy", 0, None, "tass"),
    ]
    assert {row[5] for row in edges(db) if row[0] == "copy"} == {"Tass/VNA/CVN"}
    assert kept <= set(edge_ids(db))  # unchanged edges keep their rows
    assert list(store.provenance(agency="xinhua")) == []
    assert [r["chain"] for r in store.provenance(agency="tass")] == [[["tass"], ["vna"], ["cvn"]]]


def test_a_new_version_gets_its_own_edges_and_the_old_one_keeps_its(
    store: Store, db: Database
) -> None:
    first = store.save_article(make_item())
    second = store.save_article(
        make_item(
            text="Texte corrigé.",
            body_sha256="b" * 64,
            provenance=cvn_provenance("tass"),
            fetched_at="2025-05-03T08:00:00+00:00",
        )
    )

    assert second.status is SaveStatus.NEW_VERSION
    assert [row[3] for row in edges(db, first.version_id) if row[0] == "copy"] == [
        "xinhua",
        "vna",
        "cvn",
    ]
    assert [row[3] for row in edges(db, second.version_id) if row[0] == "copy"] == [
        "tass",
        "vna",
        "cvn",
    ]
    # Only the latest version answers an agency filter.
    assert list(store.provenance(agency="xinhua")) == []
    assert [r["version_id"] for r in store.provenance(agency="tass")] == [second.version_id]


def test_replaying_an_older_fetch_does_not_rewrite_the_latest_edges(
    store: Store, db: Database
) -> None:
    store.save_article(make_item(fetched_at="2025-05-09T08:00:00+00:00"))
    before = query(db, "SELECT * FROM edges ORDER BY id")

    # Same text, an older reading of it: the newer save's edges stand.
    store.save_article(
        make_item(provenance=cvn_provenance("tass"), fetched_at="2025-05-01T08:00:00+00:00")
    )
    assert query(db, "SELECT * FROM edges ORDER BY id") == before

    # An older text never seen before: its version gets its own edges.
    older = store.save_article(
        make_item(
            text="Première version.",
            body_sha256="c" * 64,
            provenance=cvn_provenance("tass"),
            fetched_at="2025-04-30T08:00:00+00:00",
        )
    )
    assert [row[3] for row in edges(db, older.version_id) if row[0] == "copy"] == [
        "tass",
        "vna",
        "cvn",
    ]
    assert [r["chain"][0] for r in store.provenance()] == [["xinhua"]]


# -- all or nothing ------------------------------------------------------------------------------


def _fail(*_args: Any, **_kwargs: Any) -> None:
    raise sqlite3.OperationalError("disk I/O error (simulated)")


@pytest.mark.parametrize("step", ["_insert_evidence", "_add_edges"])
def test_edges_are_written_in_the_same_transaction_as_the_article(
    store: Store, db: Database, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    monkeypatch.setattr(store, step, _fail)

    with pytest.raises(sqlite3.OperationalError):
        store.save_article(make_item())

    assert query(db, "SELECT count(*) FROM articles") == [(0,)]
    assert query(db, "SELECT count(*) FROM edges") == [(0,)]


def test_a_failed_resave_keeps_the_earlier_edges(
    store: Store, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save_article(make_item())
    before = query(db, "SELECT * FROM edges ORDER BY id")
    real_sync = SQLiteStore._sync_edges

    def sync_then_fail(self: SQLiteStore, *args: Any) -> None:
        real_sync(self, *args)  # the edges change, then the save fails before commit
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr(SQLiteStore, "_sync_edges", sync_then_fail)
    with pytest.raises(sqlite3.OperationalError):
        store.save_article(
            make_item(provenance=cvn_provenance("tass"), fetched_at="2025-05-02T08:00:00Z")
        )

    assert query(db, "SELECT * FROM edges ORDER BY id") == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"chain": ["xinhua", "cvn"]}, "provenance.chain hop must be a list of ids"),
        ({"chain": "xinhua/cvn"}, "provenance.chain must be a list of hops"),
        ({"chain": [["xinhua"], [""]]}, "non-empty id strings"),
        ({"cited": "kcna"}, "provenance.cited must be a list of ids"),
        ({"media": [{"credit": "Photo", "chain": [[7]]}]}, "non-empty id strings"),
        ({"media": ["Photo : AFP"]}, "provenance.media entry must be an object"),
    ],
)
def test_a_malformed_provenance_is_refused_before_anything_is_written(
    store: Store, db: Database, change: dict[str, Any], message: str
) -> None:
    item = make_item()
    for name, value in change.items():
        setattr(item.provenance, name, value)

    with pytest.raises(ValueError, match=message):
        store.save_article(item)
    assert query(db, "SELECT count(*) FROM fetches") == [(0,)]
    assert query(db, "SELECT count(*) FROM edges") == [(0,)]


# -- reading provenance back ----------------------------------------------------------------------


@pytest.fixture
def three(store: Store) -> dict[str, int]:
    """The cvn, lagazette and generic seeds, stored; their version ids by outlet."""
    saved = {
        "cvn": store.save_article(make_item()),
        "lagazette": store.save_article(
            make_item(url=GAZETTE_URL, outlet="lagazette", provenance=gazette_provenance())
        ),
        "vietnam.vn": store.save_article(
            make_item(
                url=GENERIC_URL,
                outlet="vietnam.vn",
                provenance=generic_provenance(),
                canonical_url="https://www.vietnam.vn/canonical/poutine-kim",
            )
        ),
    }
    return {outlet: result.version_id for outlet, result in saved.items()}


def test_provenance_gives_each_articles_latest_provenance(
    store: Store, three: dict[str, int]
) -> None:
    records = list(store.provenance())

    assert [r["url"] for r in records] == [CVN_URL, GAZETTE_URL, GENERIC_URL]
    cvn = records[0]
    assert {
        "url",
        "outlet",
        "title",
        "published",
        "chain",
        "basis",
        "cited",
        "media",
        "evidence",
        "version_id",
        "first_seen",
        "last_seen",
    } <= set(cvn)
    assert cvn["outlet"] == "cvn"
    assert cvn["title"] == "Poutine accueille Kim"
    assert cvn["published"] == "2025-05-01T07:30:00+07:00"
    assert cvn["chain"] == [["xinhua"], ["vna"], ["cvn"]]
    assert cvn["basis"] == "credit_line"
    assert cvn["cited"] == []
    assert cvn["media"] == [{"credit": "Photo : AFP/VNA/CVN", "chain": [["afp"], ["vna"], ["cvn"]]}]
    assert {
        k: cvn["evidence"][1][k] for k in ("kind", "text", "where", "agency", "confidence")
    } == {
        "kind": "credit_line",
        "text": "Xinhua/VNA/CVN",
        "where": "div.article-meta > p",
        "agency": "xinhua",
        "confidence": 0.95,
    }
    assert cvn["version_id"] == three["cvn"]
    assert cvn["first_seen"] == cvn["last_seen"] == "2025-05-01T08:00:00+00:00"
    assert records[1]["cited"] == ["kcna"]
    assert records[2]["chain"] == [["rt", "sputnik"], ["vietnam.vn"]]


@pytest.mark.parametrize(
    ("filters", "urls"),
    [
        ({"outlet": "cvn"}, [CVN_URL]),
        ({"outlet": "vietnam.vn"}, [GENERIC_URL]),
        ({"outlet": "leplacentin"}, []),
        ({"agency": "xinhua"}, [CVN_URL]),  # copy chain, origin
        ({"agency": "vna"}, [CVN_URL]),  # copy chain, middle hop
        ({"agency": "lagazette"}, [GAZETTE_URL]),  # the publisher's own hop
        ({"agency": "kcna"}, [GAZETTE_URL]),  # cited
        ({"agency": "afp"}, [CVN_URL]),  # media chain only
        ({"agency": "sputnik"}, [GENERIC_URL]),  # copy and media: still one record
        ({"agency": "reuters"}, []),
        ({"url": GAZETTE_URL}, [GAZETTE_URL]),
        ({"url": "https://www.vietnam.vn/canonical/poutine-kim"}, [GENERIC_URL]),
        ({"url": "https://nowhere.example/"}, []),
        ({"outlet": "cvn", "agency": "afp"}, [CVN_URL]),
        ({"outlet": "cvn", "agency": "kcna"}, []),
        ({"agency": "vna", "url": CVN_URL}, [CVN_URL]),
    ],
)
def test_provenance_filters_combine(
    store: Store, three: dict[str, int], filters: dict[str, str], urls: list[str]
) -> None:
    assert [r["url"] for r in store.provenance(**filters)] == urls


def test_the_sqlite_store_still_meets_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)
    assert isinstance(store, SQLiteStore)


# -- files from before edges existed ---------------------------------------------------------------


def make_version_1_file(db: Database) -> None:
    """A file as wiretrace wrote it before schema 2: the same tables, without edges."""
    store = open_store(db)
    try:
        store.save_article(make_item(fetched_at="2025-05-01T08:00:00+00:00"))
        store.save_article(
            make_item(
                text="Texte corrigé.",
                body_sha256="b" * 64,
                provenance=cvn_provenance("tass"),
                fetched_at="2025-05-03T08:00:00+00:00",
            )
        )
        store.save_article(
            make_item(url=GAZETTE_URL, outlet="lagazette", provenance=gazette_provenance())
        )
    finally:
        store.close()
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE edges")
        conn.execute("PRAGMA user_version = 1")
    assert query(db, "SELECT name FROM sqlite_master WHERE name = 'edges'") == []


@pytest.mark.backends("sqlite")  # reads or edits the file with sqlite3
def test_a_version_1_file_is_migrated_and_its_latest_versions_get_edges(db: Database) -> None:
    make_version_1_file(db)

    store = open_store(db)
    try:
        assert query(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
        assert [r["url"] for r in store.provenance(agency="tass")] == [CVN_URL]
        assert [r["url"] for r in store.provenance(agency="kcna")] == [GAZETTE_URL]
        assert list(store.provenance(agency="xinhua")) == []  # an older version's reading
        assert query(db, "SELECT count(DISTINCT version_id) FROM edges") == [(2,)]
        before = query(db, "SELECT * FROM edges ORDER BY id")

        # Saving the same pages again adds nothing to the backfilled rows.
        store.save_article(
            make_item(
                text="Texte corrigé.",
                body_sha256="b" * 64,
                provenance=cvn_provenance("tass"),
                fetched_at="2025-05-03T08:00:00+00:00",
            )
        )
        assert query(db, "SELECT * FROM edges ORDER BY id") == before
    finally:
        store.close()

    open_store(db).close()  # reopening a migrated file changes nothing
    assert query(db, "SELECT * FROM edges ORDER BY id") == before


@pytest.mark.backends("sqlite")  # reads or edits the file with sqlite3
def test_a_file_from_a_newer_wiretrace_is_refused(db: Database) -> None:
    open_store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")

    with pytest.raises(RuntimeError, match="newer than this wiretrace"):
        open_store(db)


def test_a_reader_can_refuse_to_create_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "absent" / "wiretrace.sqlite"

    with pytest.raises(FileNotFoundError, match="no wiretrace database"):
        open_store(missing, create=False)
    assert not missing.parent.exists()

    open_store(missing).close()
    open_store(missing, create=False).close()
