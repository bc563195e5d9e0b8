"""The store on PostgreSQL, for a shared deployment: many crawlers, one record, live readers.

It is the SQLite store's logic over another engine, not a second implementation: the same
statements (rewritten by ``crawler.storage.sql.to_postgres``), the same row building, the
same versioning, diffing, scheduling and reuse rules, so the two cannot drift apart. What
differs is what a server shared by several writers needs:

* The schema version lives in a ``wiretrace_meta`` row, and creating or upgrading it takes
  a transaction-scoped advisory lock, so two workers starting at once migrate once.
* Each save first takes an advisory lock on its article's URL for the rest of its
  transaction, so two workers saving the same article (a page linked from both their
  listings) queue up instead of both inserting it; everything else is ``ON CONFLICT``.
* Saves are batched in one transaction as in SQLite (``commit_every``). Should two batches
  deadlock on each other's locks, PostgreSQL aborts one statement: that save alone is rolled
  back to its savepoint, the batch before it is committed (which frees its locks for the
  other writer), and the save is tried again. Nothing is lost and no half record is written.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, cast

import psycopg
from psycopg import errors
from psycopg.pq import TransactionStatus

from crawler.schedule import RevisitPolicy
from crawler.storage import SaveResult, redact
from crawler.storage.rows import _Record
from crawler.storage.schema import _SCHEMA, SCHEMA_VERSION, _AddColumn
from crawler.storage.sql import to_postgres
from crawler.storage.sqlite import SQLiteStore

__all__ = ["PostgresStore"]

#: Key of the advisory lock that serialises schema creation and upgrades (any constant
#: works; this one reads "wiretrace" in ASCII-ish hex, so it is recognisable in pg_locks).
_SCHEMA_LOCK = 0x77697265

#: How often a save that lost a deadlock is tried again before its error is raised.
DEADLOCK_RETRIES = 5

_META = """
    CREATE TABLE IF NOT EXISTS wiretrace_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
"""


class PostgresStore(SQLiteStore):
    """The ``Store`` interface over a PostgreSQL database (see the module docstring)."""

    def __init__(
        self,
        url: str,
        *,
        policy: RevisitPolicy | None = None,
        commit_every: int = 1,
        create: bool = True,
    ) -> None:
        if commit_every < 1:
            raise ValueError(f"commit_every must be >= 1, got {commit_every}")
        self.url = redact(url)  # what messages name the database by; never a password
        #: No database-wide write lock to wait for: row locks and the advisory lock per
        #: article keep concurrent writers apart (see ``_begin``).
        self.lock_wait = 0.0
        self.commit_every = commit_every
        self._unsaved = 0
        self.policy = policy if policy is not None else RevisitPolicy()
        # Typed as sqlite3's: the inherited code calls it exactly as it calls sqlite3.
        self._pg = _Connection(psycopg.connect(libpq_url(url), autocommit=True))
        self._conn = cast(Any, self._pg)
        try:
            if not create and self._schema_version() == 0:
                raise FileNotFoundError(f"no wiretrace tables in {self.url}")
            self._ensure_schema()
        except BaseException:
            self._conn.close()
            raise

    def save_article(self, item: Any) -> SaveResult:
        """As in SQLite; a save that loses a deadlock is retried after the batch commits."""
        for attempt in range(DEADLOCK_RETRIES):
            try:
                return super().save_article(item)
            except (errors.DeadlockDetected, errors.SerializationFailure):
                if attempt == DEADLOCK_RETRIES - 1:
                    raise
                # The failed save was rolled back to its savepoint; committing the batch
                # before it releases the locks the other writer is waiting for.
                self.commit()
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _begin(self) -> None:
        """A plain ``BEGIN``: SQLite's wait for another process's write lock does not apply."""
        self._conn.execute("BEGIN")

    def _save(self, record: _Record) -> SaveResult:
        self._conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (record.url,))
        return super()._save(record)

    def close(self) -> None:
        """Commit pending saves and close; closing twice is harmless."""
        if self._pg.closed:
            return
        with contextlib.suppress(psycopg.OperationalError):
            self.commit()
        self._conn.close()

    # -- schema -------------------------------------------------------------------------

    def _ensure_schema(self) -> None:
        """Create or upgrade the tables, as SQLite does, under an advisory lock."""
        if self._schema_version() == SCHEMA_VERSION:
            return
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.execute(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")
            version = self._schema_version()
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.url} has schema version {version}, newer than this wiretrace "
                    f"understands ({SCHEMA_VERSION}); upgrade wiretrace"
                )
            if version == SCHEMA_VERSION:
                return
            if version == 0:
                self._create_tables()
                version = 1
            self._upgrade_from(version)
            self._conn.execute(
                "INSERT INTO wiretrace_meta (key, value) VALUES ('schema_version', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(SCHEMA_VERSION),),
            )

    def _backfill(self, step: int) -> None:
        """The backfills of steps 2 and 3 fill data that older SQLite files lacked;
        PostgreSQL came at version 4, so no database here lacks it. Version 5 takes the
        duplicated text out of items written before it."""
        if step >= 5:
            super()._backfill(step)

    def _create_tables(self) -> None:
        """The version-1 tables. PostgreSQL checks a reference when the table is created, so
        the articles → versions reference (the two refer to each other) is added last."""
        forward = "REFERENCES versions (id)"
        for statement in _SCHEMA:
            if "TABLE IF NOT EXISTS articles" in statement:
                statement = statement.replace(forward, "")
            self._conn.execute(statement)
        self._conn.execute("ALTER TABLE articles ADD FOREIGN KEY (latest_version_id) " + forward)
        self._conn.execute(_META)

    def _schema_version(self) -> int:
        row = self._conn.execute("SELECT to_regclass('wiretrace_meta') AS meta").fetchone()
        if row is None or row["meta"] is None:
            return 0
        row = self._conn.execute(
            "SELECT value FROM wiretrace_meta WHERE key = 'schema_version'"
        ).fetchone()
        return 0 if row is None else int(row["value"])

    def _add_column(self, column: _AddColumn) -> None:
        self._conn.execute(
            f"ALTER TABLE {column.table} ADD COLUMN IF NOT EXISTS"
            f" {column.name} {column.declaration}"
        )


# -- the connection, with sqlite3's manners ----------------------------------------------


class _Row(dict[str, Any]):
    """A result row read by name, like ``sqlite3.Row``, and by position (``row[0]``)."""

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            return list(self.values())[key]
        return super().__getitem__(key)


def _row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    names = [column.name for column in cursor.description or ()]
    return lambda values: _Row(zip(names, values, strict=True))


class _Cursor:
    """What the store reads of a sqlite3 cursor: rows, and ``lastrowid`` after an insert."""

    def __init__(self, cursor: psycopg.Cursor[Any], lastrowid: int | None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    def close(self) -> None:
        self._cursor.close()


class _Connection:
    """A psycopg connection that takes the store's SQLite statements and answers like
    ``sqlite3``: explicit ``BEGIN``/``COMMIT`` (the connection is in autocommit mode),
    ``in_transaction``, ``with conn:`` committing or rolling back, ``lastrowid``."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    @property
    def in_transaction(self) -> bool:
        return self._conn.info.transaction_status in (
            TransactionStatus.INTRANS,
            TransactionStatus.INERROR,
            TransactionStatus.ACTIVE,
        )

    @property
    def closed(self) -> bool:
        return self._conn.closed

    def execute(self, statement: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> _Cursor:
        sql = to_postgres(statement)
        # A plain insert gives its new row's id back, as ``sqlite3``'s ``lastrowid`` does.
        upper = sql.upper()
        wants_id = (
            upper.lstrip().startswith("INSERT")
            and "RETURNING" not in upper
            and "ON CONFLICT" not in upper
        )
        if wants_id:
            sql += " RETURNING id"
        cursor = self._conn.cursor(row_factory=_row_factory)
        cursor.execute(sql, params)
        lastrowid = None
        if wants_id:
            row = cursor.fetchone()
            lastrowid = None if row is None else int(row["id"])
        return _Cursor(cursor, lastrowid)

    def executemany(
        self, statement: str, rows: Sequence[Sequence[Any]] | Iterator[Sequence[Any]]
    ) -> None:
        rows = list(rows)
        if rows:
            with self._conn.cursor() as cursor:
                cursor.executemany(to_postgres(statement), rows)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> _Connection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.in_transaction:
            self._conn.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def libpq_url(url: str) -> str:
    """The URL libpq reads: ``postgresql+psycopg://`` (SQLAlchemy's spelling) loses its
    driver suffix; libpq knows ``postgresql://`` and ``postgres://``."""
    scheme, _, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}://{rest}"
