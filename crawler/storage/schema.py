"""The tables, and how a store written by an earlier wiretrace is brought up to date.

A store's schema version is a number (SQLite's ``user_version``, a ``wiretrace_meta`` row
in PostgreSQL). A new store runs ``_SCHEMA`` and then every migration step, so there is
one way to reach each version; an older one runs the steps it lacks, in one transaction,
with the backfills that give its old rows what the new columns and tables hold.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.storage.rows import ARTICLE_COLUMNS, EdgeRow, _edge_rows, _mapping, stored_item

SCHEMA_VERSION = 5

#: Articles an upgrade to version 5 rewrites per statement batch (their texts are in memory).
STRIP_BATCH = 500

_SCHEMA: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS fetches (
        id               INTEGER PRIMARY KEY,
        url              TEXT    NOT NULL,
        status           INTEGER NOT NULL,
        sha256           TEXT    NOT NULL,
        replayed         INTEGER NOT NULL DEFAULT 0,
        warc             TEXT,
        warc_offset      INTEGER,
        record_id        TEXT,
        first_fetched_at TEXT    NOT NULL,
        last_fetched_at  TEXT    NOT NULL,
        times_seen       INTEGER NOT NULL DEFAULT 1,
        UNIQUE (url, sha256, status)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS articles (
        id                INTEGER PRIMARY KEY,
        url               TEXT NOT NULL UNIQUE,
        outlet            TEXT NOT NULL,
        canonical_url     TEXT,
        title             TEXT,
        published         TEXT,
        authors           TEXT NOT NULL DEFAULT '[]',
        language          TEXT,
        first_seen        TEXT NOT NULL,
        last_seen         TEXT NOT NULL,
        latest_version_id INTEGER REFERENCES versions (id),
        item_json         TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS articles_outlet ON articles (outlet)",
    """
    CREATE TABLE IF NOT EXISTS versions (
        id          INTEGER PRIMARY KEY,
        article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        text_sha256 TEXT    NOT NULL,
        text        TEXT    NOT NULL,
        title       TEXT,
        fetch_id    INTEGER NOT NULL REFERENCES fetches (id),
        first_seen  TEXT    NOT NULL,
        UNIQUE (article_id, text_sha256)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS evidence (
        id         INTEGER PRIMARY KEY,
        version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
        kind       TEXT    NOT NULL,
        text       TEXT    NOT NULL,
        location   TEXT    NOT NULL DEFAULT '',
        agency     TEXT,
        confidence REAL,
        UNIQUE (version_id, kind, text, location)
    )
    """,
)


@dataclass(frozen=True, slots=True)
class _AddColumn:
    """A column a migration adds, unless the table already has it.

    SQLite has no ``ADD COLUMN IF NOT EXISTS``; checking first lets a file whose version
    number was lowered by hand (as the migration tests do) upgrade instead of failing.
    """

    table: str
    name: str
    declaration: str


#: Statements that bring a file from the version before the key up to the key; a new file
#: runs ``_SCHEMA`` and then every step, so there is one way to reach each version.
_MIGRATIONS: dict[int, tuple[str | _AddColumn, ...]] = {
    2: (
        # One row per agency a version's provenance names: each agency of each copy-chain
        # hop ("copy", hop 0 = origin, the publisher's hop included), each cited id
        # ("cited", no hop), each agency of each hop of each image credit's chain ("media",
        # with the credit's index). ``basis`` and ``evidence_text`` say what the edge rests on.
        """
        CREATE TABLE IF NOT EXISTS edges (
            id            INTEGER PRIMARY KEY,
            version_id    INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
            relation      TEXT    NOT NULL CHECK (relation IN ('copy', 'cited', 'media')),
            hop           INTEGER,
            media_index   INTEGER,
            agency        TEXT    NOT NULL,
            basis         TEXT,
            evidence_text TEXT
        )
        """,
        # Expressions, because NULLs never collide in a plain UNIQUE: a cited edge has no hop.
        """
        CREATE UNIQUE INDEX IF NOT EXISTS edges_key ON edges
            (version_id, relation, coalesce(hop, -1), coalesce(media_index, -1), agency)
        """,
        "CREATE INDEX IF NOT EXISTS edges_agency ON edges (agency, version_id)",
    ),
    3: (
        # What an edit changed: the unified diff of the paragraphs against the text this
        # version replaced; NULL for an article's first version.
        _AddColumn("versions", "diff", "TEXT"),
        # The revisit schedule: visits saved, visits since the text last changed (the
        # policy's streak), and when the article is due again (NULL: not any more).
        _AddColumn("articles", "visits", "INTEGER NOT NULL DEFAULT 1"),
        _AddColumn("articles", "unchanged_visits", "INTEGER NOT NULL DEFAULT 0"),
        _AddColumn("articles", "next_visit", "TEXT"),
        "CREATE INDEX IF NOT EXISTS articles_next_visit ON articles (next_visit)",
        # known() answers for canonical URLs too, once per link a spider considers.
        "CREATE INDEX IF NOT EXISTS articles_canonical_url ON articles (canonical_url)",
    ),
    4: (
        # Text reuse between two stored articles, as the last ``scrapy reuse`` run found it
        # (the table is replaced wholesale by each run). ``a``/``b`` are the two articles,
        # with the versions whose texts the passages' character offsets point into;
        # ``share_a`` is the part of a's text found in b, ``share_b`` the part of b's text
        # found in a; ``earlier_id`` is whichever was published first (NULL: unknown).
        """
        CREATE TABLE IF NOT EXISTS reuse (
            id           INTEGER PRIMARY KEY,
            a_id         INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            b_id         INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            a_version_id INTEGER REFERENCES versions (id) ON DELETE SET NULL,
            b_version_id INTEGER REFERENCES versions (id) ON DELETE SET NULL,
            share_a      REAL    NOT NULL,
            share_b      REAL    NOT NULL,
            passages     TEXT    NOT NULL DEFAULT '[]',
            earlier_id   INTEGER REFERENCES articles (id) ON DELETE SET NULL,
            computed_at  TEXT    NOT NULL,
            UNIQUE (a_id, b_id),
            CHECK (a_id != b_id)
        )
        """,
        "CREATE INDEX IF NOT EXISTS reuse_b ON reuse (b_id)",
    ),
    # Each text stored once: ``item_json`` leaves out the text (in ``versions.text``) and
    # the fields the article row has columns for; no table changes, only the backfill
    # ``_strip_items``, which takes them out of the rows written before.
    5: (),
}


class _Migrations:
    """Creating and upgrading the tables: the part of ``SQLiteStore`` that runs once per file."""

    _conn: Any  # sqlite3.Connection, or PostgreSQL's look-alike
    path: Path

    if TYPE_CHECKING:

        def _next_visit(
            self, first_seen: str, last_visit: str, unchanged_visits: int
        ) -> str | None: ...

        def _set_diff(
            self, version_id: int, previous: Mapping[str, Any] | sqlite3.Row, text: str, seen: str
        ) -> None: ...

        def _sync_edges(self, version_id: int, edges: tuple[EdgeRow, ...]) -> None: ...

    def _ensure_schema(self) -> None:
        """Create or upgrade the tables once; under a write lock so two first runs cannot race.

        A file from an earlier wiretrace is migrated step by step in the same transaction,
        so it is either fully upgraded or left as it was.
        """
        if self._schema_version() == SCHEMA_VERSION:
            return  # the usual case takes no write lock, so readers never wait on a crawl
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            version = self._schema_version()
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path} has schema version {version}, newer than this wiretrace "
                    f"understands ({SCHEMA_VERSION}); upgrade wiretrace"
                )
            if version == SCHEMA_VERSION:
                return
            if version == 0:
                for statement in _SCHEMA:
                    self._conn.execute(statement)
                version = 1
            self._upgrade_from(version)
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _upgrade_from(self, version: int) -> None:
        """Each migration step after ``version``, with its backfill, in the caller's
        transaction."""
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for change in _MIGRATIONS[step]:
                if isinstance(change, _AddColumn):
                    self._add_column(change)
                else:
                    self._conn.execute(change)
            self._backfill(step)

    def _backfill(self, step: int) -> None:
        """Give the rows written before ``step`` what the step's tables and columns hold."""
        if step == 2:
            self._backfill_edges()
        if step == 3:
            self._backfill_diffs()
            self._backfill_schedule()
        if step == 5:
            self._strip_items()

    def _schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _add_column(self, column: _AddColumn) -> None:
        present = {row["name"] for row in self._conn.execute(f"PRAGMA table_info({column.table})")}
        if column.name not in present:
            self._conn.execute(
                f"ALTER TABLE {column.table} ADD COLUMN {column.name} {column.declaration}"
            )

    def _backfill_diffs(self) -> None:
        """Give a version-2 file's later versions their diffs, each against the one before.

        Which text each version replaced was not recorded before, so the order they were
        first seen in stands in for it (it differs only where an article reverted).
        """
        rows = self._conn.execute(
            "SELECT id, article_id, text, first_seen, diff FROM versions"
            " ORDER BY article_id, first_seen, id"
        ).fetchall()
        previous: sqlite3.Row | None = None
        for row in rows:
            if (
                previous is not None
                and previous["article_id"] == row["article_id"]
                and row["diff"] is None
            ):
                self._set_diff(row["id"], previous, row["text"], row["first_seen"])
            previous = row

    def _backfill_schedule(self) -> None:
        """Count a version-2 file's visits from its fetches and schedule every article.

        The unchanged streak was not recorded, so it starts at 0: an article still within
        ``stop_after`` is due soon and then backs off as usual.
        """
        self._conn.execute(
            "UPDATE articles SET visits = max(1, coalesce("
            "(SELECT sum(times_seen) FROM fetches AS f WHERE f.url = articles.url), 1))"
        )
        rows = self._conn.execute(
            "SELECT id, first_seen, last_seen, unchanged_visits FROM articles"
        ).fetchall()
        self._conn.executemany(
            "UPDATE articles SET next_visit = ? WHERE id = ?",
            [
                (
                    self._next_visit(row["first_seen"], row["last_seen"], row["unchanged_visits"]),
                    row["id"],
                )
                for row in rows
            ],
        )

    def _backfill_edges(self) -> None:
        """Give a version-1 file the edges of each article's latest version.

        Only the latest item was kept as JSON before edges existed, so older versions stay
        without edges; a later save of the same pages fills them in as usual.
        """
        rows = self._conn.execute(
            "SELECT latest_version_id, item_json FROM articles WHERE latest_version_id IS NOT NULL"
        ).fetchall()
        for row in rows:
            provenance = json.loads(row["item_json"]).get("provenance") or {}
            try:
                edges = _edge_rows(_mapping(provenance, "provenance"))
            except ValueError:
                continue  # a malformed old item keeps its JSON; it just gets no edges
            self._sync_edges(int(row["latest_version_id"]), edges)

    def _strip_items(self) -> None:
        """Take out of each stored ``item_json`` what the row and its latest version hold.

        The same rule as a save (``rows.stored_item``): a field goes only where what is
        stored elsewhere reads back exactly as the item has it, so every article reads
        back as before. In batches of ``STRIP_BATCH`` articles, so memory stays bounded
        whatever the store's size. SQLite does not give the freed pages back to the
        file system by itself; ``VACUUM`` does (docs/deployment.md).
        """
        last = 0
        while True:
            rows = self._conn.execute(
                f"SELECT a.id, a.item_json, {ARTICLE_COLUMNS}, v.text"
                " FROM articles AS a LEFT JOIN versions AS v ON v.id = a.latest_version_id"
                " WHERE a.id > ? ORDER BY a.id LIMIT ?",
                (last, STRIP_BATCH),
            ).fetchall()
            if not rows:
                return
            updates = []
            for row in rows:
                item = json.loads(row["item_json"])
                stored = stored_item(item, row["text"], dict(row))
                if stored != item:
                    updates.append((json.dumps(stored, ensure_ascii=False), row["id"]))
            self._conn.executemany("UPDATE articles SET item_json = ? WHERE id = ?", updates)
            last = int(rows[-1]["id"])
