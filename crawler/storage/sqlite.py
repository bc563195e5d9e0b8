"""The default store: one SQLite file that keeps the history of every article.

Rows are deduplicated by natural keys (a fetch by url + body digest + status, a version by
article + normalised text digest, evidence by version + what and where it was found, a
provenance edge by version + relation + position + agency), so re-running a crawl or a
replay over the same pages only moves timestamps and counters.
Each save is atomic: a savepoint inside a transaction taken with ``BEGIN IMMEDIATE`` (so
that two crawls writing the same file wait for each other instead of failing half-way
through an upgrade to a write lock). A crawl commits that transaction every
``commit_every`` saves (and its pipeline at least every second): a commit waits for the
disk, and one per article would make every page wait for it. A failed save rolls back to its
savepoint, so the saves before it in the batch are kept and no half record is written.

A new version keeps the diff of its paragraphs against the text it replaced, so a reader
sees what an edit changed without diffing texts by hand. Every save is also a visit: the
article's visit counters and its next visit (from the store's ``RevisitPolicy``) move in
the same transaction, so the schedule always agrees with the history it was computed from.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from itemadapter import ItemAdapter

from crawler.items import EXPORT_FIELDS
from crawler.schedule import RevisitPolicy
from crawler.storage import SaveResult, SaveStatus, version_diff

SCHEMA_VERSION = 4

#: Seconds one attempt to take the write lock waits for another process's transaction.
BUSY_TIMEOUT = 30.0
#: Seconds a writer keeps trying (attempt after attempt, saying so in the log) before a save
#: fails: another crawl on the same file may hold its batch while it reads a slow page.
LOCK_WAIT = 600.0

logger = logging.getLogger(__name__)

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
}

#: Provenance bases that text reuse never overrides: the page itself says where its copy
#: came from, which is better evidence than matching texts.
STATED_BASES = frozenset({"credit_line"})

#: The basis and evidence kind of a chain inferred from text shared with another article.
TEXT_REUSE = "text_reuse"

_UPSERT_FETCH = """
    INSERT INTO fetches (url, status, sha256, replayed, warc, warc_offset, record_id,
                         first_fetched_at, last_fetched_at, times_seen)
    VALUES (:url, :status, :sha256, :replayed, :warc, :warc_offset, :record_id,
            :fetched_at, :fetched_at, 1)
    ON CONFLICT (url, sha256, status) DO UPDATE SET
        first_fetched_at = min(first_fetched_at, excluded.first_fetched_at),
        last_fetched_at  = max(last_fetched_at, excluded.last_fetched_at),
        times_seen       = times_seen + 1,
        warc_offset      = CASE WHEN warc IS NULL THEN excluded.warc_offset ELSE warc_offset END,
        record_id        = CASE WHEN warc IS NULL THEN excluded.record_id ELSE record_id END,
        warc             = coalesce(warc, excluded.warc)
    RETURNING id
"""

_INSERT_ARTICLE = """
    INSERT INTO articles (url, outlet, canonical_url, title, published, authors, language,
                          first_seen, last_seen, item_json, visits, unchanged_visits,
                          next_visit)
    VALUES (:url, :outlet, :canonical_url, :title, :published, :authors, :language,
            :fetched_at, :fetched_at, :item_json, 1, 0, :next_visit)
"""

_REFRESH_ARTICLE = """
    UPDATE articles SET
        outlet = :outlet, canonical_url = :canonical_url, title = :title,
        published = :published, authors = :authors, language = :language,
        item_json = :item_json, last_seen = :fetched_at, latest_version_id = :version_id,
        first_seen = min(first_seen, :fetched_at), visits = visits + 1,
        unchanged_visits = :unchanged_visits, next_visit = :next_visit
    WHERE id = :article_id
"""

_UPSERT_EDGE = """
    INSERT INTO edges (version_id, relation, hop, media_index, agency, basis, evidence_text)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (version_id, relation, coalesce(hop, -1), coalesce(media_index, -1), agency)
    DO UPDATE SET basis = excluded.basis, evidence_text = excluded.evidence_text
    WHERE basis IS NOT excluded.basis OR evidence_text IS NOT excluded.evidence_text
"""

#: One edge row without its version: (relation, hop, media_index, agency, basis, evidence).
EdgeRow = tuple[str, int | None, int | None, str, str | None, str | None]

_INSERT_EVIDENCE = """
    INSERT INTO evidence (version_id, kind, text, location, agency, confidence)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (version_id, kind, text, location) DO NOTHING
"""

_UPSERT_EVIDENCE = """
    INSERT INTO evidence (version_id, kind, text, location, agency, confidence)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (version_id, kind, text, location) DO UPDATE SET
        agency = excluded.agency, confidence = excluded.confidence
    WHERE agency IS NOT excluded.agency OR confidence IS NOT excluded.confidence
"""

#: Names no registry entry matched, per article (latest item), most common first. The
#: ``unknown:<name>`` ids in evidence ``agencies`` cover items older than ``unresolved``.
_SELECT_UNRESOLVED = """
    WITH names AS (
        SELECT a.id, a.url, a.last_seen, json_extract(e.value, '$.kind') AS kind,
               substr(j.value, 9) AS name
        FROM articles AS a,
             json_each(a.item_json, '$.provenance.evidence') AS e,
             json_each(e.value, '$.agencies') AS j
        WHERE j.type = 'text' AND j.value LIKE 'unknown:_%'{outlet}
        UNION
        SELECT a.id, a.url, a.last_seen, json_extract(e.value, '$.kind'), u.value
        FROM articles AS a,
             json_each(a.item_json, '$.provenance.evidence') AS e,
             json_each(e.value, '$.unresolved') AS u
        WHERE u.type = 'text' AND u.value != ''{outlet}
    )
    SELECT name, count(DISTINCT id) AS articles, group_concat(DISTINCT kind) AS kinds,
           url AS example, max(last_seen) AS last_seen
    FROM names
    GROUP BY name
    ORDER BY articles DESC, name
    LIMIT ?
"""

_INSERT_REUSE = """
    INSERT INTO reuse (a_id, b_id, a_version_id, b_version_id, share_a, share_b, passages,
                       earlier_id, computed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

_SELECT_REUSE = """
    SELECT r.share_a, r.share_b, r.passages, r.computed_at,
           r.a_version_id, r.b_version_id,
           a.url AS a_url, a.outlet AS a_outlet, a.published AS a_published,
           a.title AS a_title,
           b.url AS b_url, b.outlet AS b_outlet, b.published AS b_published,
           b.title AS b_title,
           e.url AS earlier
    FROM reuse AS r
    JOIN articles AS a ON a.id = r.a_id
    JOIN articles AS b ON b.id = r.b_id
    LEFT JOIN articles AS e ON e.id = r.earlier_id
"""


@dataclass(frozen=True, slots=True)
class _Record:
    """An item checked and flattened before any SQL runs, so a bad item never opens a write."""

    columns: dict[str, Any]  # named parameters shared by the fetch and article statements
    text: str
    text_sha256: str
    evidence: tuple[tuple[str, str, str, str | None, float | None], ...]
    edges: tuple[EdgeRow, ...]

    @property
    def url(self) -> str:
        return str(self.columns["url"])

    @property
    def fetched_at(self) -> str:
        return str(self.columns["fetched_at"])


class SQLiteStore:
    """The ``Store`` interface over one SQLite file (see ``crawler.storage``)."""

    def __init__(
        self,
        path: str | Path,
        *,
        policy: RevisitPolicy | None = None,
        commit_every: int = 1,
        create: bool = True,
        busy_timeout: float = BUSY_TIMEOUT,
        lock_wait: float = LOCK_WAIT,
    ) -> None:
        if commit_every < 1:
            raise ValueError(f"commit_every must be >= 1, got {commit_every}")
        self.path = Path(path)
        self.lock_wait = lock_wait
        #: Saves per transaction; the default commits each save before it returns.
        self.commit_every = commit_every
        self._unsaved = 0  # saves made since the last commit
        #: Schedules each saved article's next visit; set before the schema, whose upgrade
        #: to version 3 schedules the articles already stored.
        self.policy = policy if policy is not None else RevisitPolicy()
        if not create and str(path) != ":memory:" and self.path.stat().st_size == 0:
            # Opening it would write a database header into it: a reader never creates one.
            raise ValueError(f"{self.path} is an empty file, not a wiretrace database")
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = _connect(self.path, busy_timeout)
        try:
            if not create and self._schema_version() == 0:
                raise ValueError(f"{self.path} is not a wiretrace database")
            self._ensure_schema()
        except BaseException:
            self._conn.close()
            raise

    # -- the Store interface -------------------------------------------------------------

    def save_article(self, item: Any) -> SaveResult:
        """Record one article; see the module docstring for why rows are never duplicated."""
        record = _record_from_item(item)
        if not self._conn.in_transaction:
            self._begin()
        self._conn.execute("SAVEPOINT save_article")
        try:
            result = self._save(record)
        except BaseException as error:
            self._undo_save(error)
            raise
        self._conn.execute("RELEASE save_article")
        self._unsaved += 1
        if self._unsaved >= self.commit_every:
            self.commit()
        return result

    @property
    def pending(self) -> int:
        """Saves made since the last commit: what a failed commit would lose."""
        return self._unsaved

    def rollback(self) -> int:
        """Take back every save since the last commit; how many were taken back."""
        taken_back, self._unsaved = self._unsaved, 0
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        return taken_back

    def commit(self) -> None:
        """Make every save so far durable (a no-op when nothing is pending)."""
        if self._conn.in_transaction:
            self._conn.execute("COMMIT")
        self._unsaved = 0

    def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, attempt after attempt while another process holds the write
        lock, up to ``lock_wait`` seconds: nothing is pending yet, so waiting loses nothing,
        where giving up after one busy timeout lost the article."""
        deadline = time.monotonic() + self.lock_wait
        while True:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                logger.warning("%s: another process holds the write lock; still waiting",
                               self.path)  # fmt: skip

    def _save(self, record: _Record) -> SaveResult:
        fetch_id = self._upsert_fetch(record)
        article = self._conn.execute(
            "SELECT id, first_seen, last_seen, latest_version_id, unchanged_visits,"
            " json_extract(item_json, '$.provenance.basis') AS basis"
            " FROM articles WHERE url = ?",
            (record.url,),
        ).fetchone()
        if article is None:
            return self._save_new(record, fetch_id)
        return self._save_seen(record, article, fetch_id)

    def _undo_save(self, error: BaseException) -> None:
        """Take back a failed save alone, keeping the batch; say so if SQLite lost the batch."""
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK TO save_article")
            self._conn.execute("RELEASE save_article")
            if not self._unsaved:
                self._conn.execute("ROLLBACK")  # nothing to keep: free the write lock
            return
        # Some errors (disk full, I/O) make SQLite roll the whole transaction back.
        lost, self._unsaved = self._unsaved, 0
        if lost:
            raise RuntimeError(
                f"SQLite rolled back the transaction: the {lost} article(s) saved before "
                "this one since the last commit are not stored either"
            ) from error

    def articles(self, outlet: str | None = None) -> Iterator[dict[str, Any]]:
        """Give back exactly what was scraped last, plus when the article was first/last seen."""
        sql = "SELECT item_json, first_seen, last_seen FROM articles"
        params: tuple[str, ...] = ()
        if outlet is not None:
            sql += " WHERE outlet = ?"
            params = (outlet,)
        cursor = self._conn.execute(sql + " ORDER BY id", params)
        try:  # closed even if the caller stops early, so no read snapshot is left open
            for row in cursor:
                item = json.loads(row["item_json"])
                yield {**item, "first_seen": row["first_seen"], "last_seen": row["last_seen"]}
        finally:
            cursor.close()

    def provenance(
        self, outlet: str | None = None, agency: str | None = None, url: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Each article's latest provenance; ``agency`` matches copy, cited and media edges.

        ``url`` matches the requested URL or the canonical URL the page stated.
        """
        conditions: list[str] = []
        params: list[str] = []
        if outlet is not None:
            conditions.append("a.outlet = ?")
            params.append(outlet)
        if url is not None:
            conditions.append("(a.url = ? OR a.canonical_url = ?)")
            params += [url, url]
        if agency is not None:
            conditions.append(
                "EXISTS (SELECT 1 FROM edges AS e"
                " WHERE e.version_id = a.latest_version_id AND e.agency = ?)"
            )
            params.append(agency)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        cursor = self._conn.execute(
            "SELECT a.item_json, a.first_seen, a.last_seen, a.latest_version_id,"
            " v.text_sha256"
            " FROM articles AS a LEFT JOIN versions AS v ON v.id = a.latest_version_id"
            f"{where} ORDER BY a.id",
            params,
        )
        try:  # closed even if the caller stops early, as in articles()
            for row in cursor:
                yield _provenance_record(row)
        finally:
            cursor.close()

    def unresolved(
        self, outlet: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Unresolved source names across the latest items (see ``Store.unresolved``).

        Read with SQLite's JSON functions from ``item_json``, so files written before the
        evidence had an ``unresolved`` field are listed too, with no schema change.
        """
        where = " AND a.outlet = ?" if outlet is not None else ""
        params: list[Any] = [outlet, outlet] if outlet is not None else []
        params.append(-1 if limit is None else limit)
        rows = self._conn.execute(_SELECT_UNRESOLVED.format(outlet=where), params).fetchall()
        return [
            {
                "name": row["name"],
                "articles": row["articles"],
                "kinds": sorted(set((row["kinds"] or "").split(","))),
                "example": row["example"],
            }
            for row in rows
        ]

    def versions(self, url: str) -> list[dict[str, Any]]:
        """Oldest first, so a reader sees how the text evolved; empty for an unknown URL.

        ``diff`` is against the text the version replaced when it was saved: the latest
        text then, which after a revert is not the version listed just before it (the
        diff's headers name the two versions' times).
        """
        rows = self._conn.execute(
            """
            SELECT v.id, v.text_sha256, v.text, v.title, v.first_seen, v.diff
            FROM versions AS v JOIN articles AS a ON a.id = v.article_id
            WHERE a.url = ?
            ORDER BY v.first_seen, v.id
            """,
            (url,),
        ).fetchall()
        return [dict(row) for row in rows]

    def known(self, url: str, outlet: str | None = None) -> bool:
        """Whether the URL was stored, as requested or as the canonical URL a page stated.

        Lets a spider skip article links it already holds unless they are due (see
        ``due_for_revisit``), without loading every stored URL into memory. With ``outlet``,
        a canonical URL counts only on that outlet's own articles: a reprint elsewhere
        naming the outlet's article as canonical does not make the original known.
        """
        args: tuple[str, ...]
        if outlet is None:
            sql, args = "url = ? OR canonical_url = ?", (url, url)
        else:
            sql, args = "url = ? OR (canonical_url = ? AND outlet = ?)", (url, url, outlet)
        row = self._conn.execute(f"SELECT 1 FROM articles WHERE {sql} LIMIT 1", args).fetchone()
        return row is not None

    def due_for_revisit(
        self, now: datetime, outlet: str | None = None, limit: int | None = None
    ) -> list[str]:
        """Requested URLs whose next visit is at or before ``now``, the longest overdue first.

        An article first seen longer than the policy's ``stop_after`` before ``now`` is never
        due, even if no save rescheduled it (its revisits kept failing, or no crawl ran):
        revisiting stops with age whatever happened in between. ``limit`` bounds the list
        so one run's revisits cannot crowd out its seeds. A naive ``now`` is taken as UTC.
        """
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be >= 0 or None, got {limit}")
        moment = _aware(now)
        sql = (
            "SELECT url FROM articles"
            " WHERE next_visit IS NOT NULL AND next_visit <= ? AND first_seen >= ?"
        )
        params: list[Any] = [_iso(moment), _iso(moment - self.policy.stop_after)]
        if outlet is not None:
            sql += " AND outlet = ?"
            params.append(outlet)
        sql += " ORDER BY next_visit, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [str(row["url"]) for row in self._conn.execute(sql, params).fetchall()]

    def fetch_count(self) -> int:
        """Distinct fetches; re-crawls of identical bytes count once (see ``times_seen``)."""
        return int(self._conn.execute("SELECT count(*) FROM fetches").fetchone()[0])

    # -- text reuse ------------------------------------------------------------------------

    def reuse_docs(self) -> Iterator[dict[str, Any]]:
        """What reuse detection and story clustering read: each article's latest text.

        One dict per article, in the order they were first stored: ``url``, ``outlet``,
        ``published``, ``language``, ``title``, ``text`` and the ``version_id`` the text is
        from (the passages a detection run finds point into that text).
        """
        cursor = self._conn.execute(
            "SELECT a.url, a.outlet, a.published, a.language, a.title,"
            " v.id AS version_id, v.text"
            " FROM articles AS a JOIN versions AS v ON v.id = a.latest_version_id"
            " ORDER BY a.id"
        )
        try:  # closed even if the caller stops early, as in articles()
            for row in cursor:
                yield dict(row)
        finally:
            cursor.close()

    def save_reuse(
        self, pairs: Sequence[Mapping[str, Any]], *, computed_at: datetime | None = None
    ) -> None:
        """Replace the stored reuse pairs with these, in one transaction.

        Each pair names two stored articles by URL (``a``, ``b``) and gives ``share_a``,
        ``share_b`` (0..1), ``passages`` (``a_start``, ``a_end``, ``b_start``, ``b_end``,
        ``words``) and ``earlier`` (``a``'s or ``b``'s URL, or None). The whole table is
        replaced, not merged, because a detection run compares every stored text with every
        other: what it did not find (an edited text, a deleted article) must not linger.
        The passages point into each article's latest version, whose id is kept with them
        (``a_version_id``/``b_version_id`` in a pair override that). A pair naming an
        article the store does not hold is refused before anything changes.
        """
        wanted = [_reuse_input(pair) for pair in pairs]
        seen: set[frozenset[str]] = set()
        for pair in wanted:
            key = frozenset((pair["a"], pair["b"]))
            if key in seen:
                raise ValueError(f"reuse pair given twice: {pair['a']} and {pair['b']}")
            seen.add(key)
        stamp = _iso(computed_at if computed_at is not None else datetime.now(UTC))
        self.commit()  # a batch of saves still open is not part of this transaction
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            stored = self._article_ids({p[end] for p in wanted for end in ("a", "b")})
            missing = sorted({p[end] for p in wanted for end in ("a", "b")} - set(stored))
            if missing:
                raise ValueError(f"reuse pairs name articles that are not stored: {missing}")
            rows = []
            for pair in wanted:
                a_id, a_version = stored[pair["a"]]
                b_id, b_version = stored[pair["b"]]
                earlier = pair["earlier"]
                rows.append(
                    (
                        a_id,
                        b_id,
                        pair["a_version_id"] or a_version,
                        pair["b_version_id"] or b_version,
                        pair["share_a"],
                        pair["share_b"],
                        json.dumps(pair["passages"]),
                        None if earlier is None else stored[earlier][0],
                        stamp,
                    )
                )
            self._conn.execute("DELETE FROM reuse")
            self._conn.executemany(_INSERT_REUSE, rows)

    def reuse_pairs(self, url: str | None = None) -> list[dict[str, Any]]:
        """The stored reuse pairs, in the order they were saved; ``url`` keeps its pairs.

        Each holds ``a``, ``b`` (URLs), their ``*_outlet``, ``*_published``, ``*_title`` and
        ``*_version_id``, ``share_a``, ``share_b``, ``passages`` (a list of dicts),
        ``earlier`` (a URL or None) and ``computed_at``. ``url`` matches the requested or
        the canonical URL of either article.
        """
        sql = _SELECT_REUSE
        params: tuple[str, ...] = ()
        if url is not None:
            sql += " WHERE a.url = ? OR a.canonical_url = ? OR b.url = ? OR b.canonical_url = ?"
            params = (url, url, url, url)
        rows = self._conn.execute(sql + " ORDER BY r.id", params).fetchall()
        return [_reuse_record(row) for row in rows]

    def apply_inferred(
        self, url: str, chain: Sequence[Sequence[str]], basis: str, evidence: Mapping[str, Any]
    ) -> bool:
        """Give an article the chain inferred from text it shares with an earlier one.

        Rewrites the provenance of its latest item (``chain``, ``basis``, and the
        ``text_reuse`` evidence, which replaces any earlier one so that re-running adds
        nothing), and that version's evidence rows and copy edges, in one transaction.
        An empty ``chain`` adds the evidence and keeps the chain (the texts match but which
        came first is unclear). Returns False, changing nothing, for an unknown URL and for
        an article whose provenance rests on a credit line: what the page states about its
        own copy outranks a match between texts.
        """
        entry = dict(_mapping(evidence, "text_reuse evidence"))
        entry.setdefault("kind", TEXT_REUSE)
        evidence_row = _evidence_row(entry)  # refuse a malformed entry before any write
        wanted_chain = _chain(list(chain), "inferred chain")
        self.commit()  # as in save_reuse
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            row = self._conn.execute(
                "SELECT id, latest_version_id, item_json FROM articles WHERE url = ?", (url,)
            ).fetchone()
            if row is None or row["latest_version_id"] is None:
                return False
            item = json.loads(row["item_json"])
            provenance = dict(item.get("provenance") or {})
            if provenance.get("basis") in STATED_BASES:
                return False
            if wanted_chain:
                provenance["chain"] = wanted_chain
                provenance["basis"] = basis
            kept = [
                e
                for e in provenance.get("evidence") or ()
                if not (isinstance(e, Mapping) and e.get("kind") == entry["kind"])
            ]
            provenance["evidence"] = [*kept, entry]
            edges = _edge_rows(provenance)
            item["provenance"] = provenance
            version_id = int(row["latest_version_id"])
            updated = json.dumps(item, ensure_ascii=False)
            if updated != row["item_json"]:
                self._conn.execute(
                    "UPDATE articles SET item_json = ? WHERE id = ?", (updated, row["id"])
                )
            # Evidence of the same kind from an earlier run goes, the current one stays put.
            self._conn.execute(
                "DELETE FROM evidence WHERE version_id = ? AND kind = ?"
                " AND NOT (text = ? AND location = ?)",
                (version_id, evidence_row[0], evidence_row[1], evidence_row[2]),
            )
            self._conn.execute(_UPSERT_EVIDENCE, (version_id, *evidence_row))
            self._sync_edges(version_id, edges)
        return True

    def close(self) -> None:
        """Commit pending saves and close; closing twice is harmless so shutdown paths need
        no guard."""
        with contextlib.suppress(sqlite3.ProgrammingError):  # already closed
            self.commit()
        self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- schema -------------------------------------------------------------------------

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
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for change in _MIGRATIONS[step]:
                    if isinstance(change, _AddColumn):
                        self._add_column(change)
                    else:
                        self._conn.execute(change)
                if step == 2:
                    self._backfill_edges()
                if step == 3:
                    self._backfill_diffs()
                    self._backfill_schedule()
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

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

    # -- one save, step by step (always inside the caller's transaction) -----------------

    def _article_ids(self, urls: set[str]) -> dict[str, tuple[int, int | None]]:
        """(article id, latest version id) of each of these URLs that is stored."""
        found: dict[str, tuple[int, int | None]] = {}
        for url in urls:
            row = self._conn.execute(
                "SELECT id, latest_version_id FROM articles WHERE url = ?", (url,)
            ).fetchone()
            if row is not None:
                found[url] = (int(row["id"]), row["latest_version_id"])
        return found

    def _keep_inferred(self, article_id: int, record: _Record) -> _Record:
        """A re-crawl of an unchanged text keeps the chain ``scrapy reuse`` inferred for it.

        The page alone says nothing new (its basis is still ``own``), and the shared text
        that the inference rests on is the same, so dropping the inference would only make
        ``scrapy provenance`` depend on whether reuse detection ran since the last crawl.
        A page that now states a source (credit line, byline, dateline) wins instead.
        """
        exported = json.loads(record.columns["item_json"])
        provenance = dict(exported.get("provenance") or {})
        if provenance.get("basis") != "own":
            return record
        row = self._conn.execute(
            "SELECT item_json FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        stored = json.loads(row["item_json"]).get("provenance") or {}
        inferred = [
            e
            for e in stored.get("evidence") or ()
            if isinstance(e, Mapping) and e.get("kind") == TEXT_REUSE
        ]
        provenance["chain"] = stored.get("chain") or provenance.get("chain")
        provenance["basis"] = TEXT_REUSE
        provenance["evidence"] = [*(provenance.get("evidence") or ()), *inferred]
        exported["provenance"] = provenance
        return _record_from_exported(exported)

    def _save_new(self, record: _Record, fetch_id: int) -> SaveResult:
        """First sighting of a URL: the article row, its first version and its evidence."""
        next_visit = self._next_visit(record.fetched_at, record.fetched_at, 0)
        params = {**record.columns, "next_visit": next_visit}
        article_id = _lastrowid(self._conn.execute(_INSERT_ARTICLE, params))
        version_id, _ = self._upsert_version(article_id, record, fetch_id)
        self._insert_evidence(version_id, record.evidence)
        self._add_edges(version_id, record.edges)
        self._conn.execute(
            "UPDATE articles SET latest_version_id = ? WHERE id = ?", (version_id, article_id)
        )
        return SaveResult(SaveStatus.NEW, article_id, version_id)

    def _save_seen(self, record: _Record, article: sqlite3.Row, fetch_id: int) -> SaveResult:
        """A known URL: add its version if the text is new, and refresh it if this is newest.

        A fetch older than ``last_seen`` (a replay of an old archive after a live crawl)
        still adds its version and evidence but must not make older text the latest; nor
        may it replace the provenance edges of a version a newer save already described.
        Either way it counts as a visit; only the newest one moves the unchanged streak.
        """
        article_id = int(article["id"])
        version_id, added = self._upsert_version(article_id, record, fetch_id)
        if (
            article["basis"] == TEXT_REUSE
            and version_id == article["latest_version_id"]
            and record.fetched_at >= article["last_seen"]
        ):
            record = self._keep_inferred(article_id, record)
        self._insert_evidence(version_id, record.evidence)
        moved = False
        if record.fetched_at >= article["last_seen"]:
            self._sync_edges(version_id, record.edges)
            moved = version_id != article["latest_version_id"]
            if added:
                self._diff_against(version_id, record, article["latest_version_id"])
            # A changed text makes the article fresh again: the streak, and so the wait
            # before the next visit, starts over.
            unchanged = 0 if added or moved else int(article["unchanged_visits"]) + 1
            params = {
                **record.columns,
                "article_id": article_id,
                "version_id": version_id,
                "unchanged_visits": unchanged,
                "next_visit": self._next_visit(article["first_seen"], record.fetched_at, unchanged),
            }
            self._conn.execute(_REFRESH_ARTICLE, params)
        else:
            if added:
                self._sync_edges(version_id, record.edges)
                self._place_older_version(article_id, version_id, record)
            # An older sighting of a text already stored only moves that version's
            # first_seen back; its diff, and its neighbours', stay as they were saved.
            # An earlier first sighting brings the end of revisiting closer.
            first_seen = min(str(article["first_seen"]), record.fetched_at)
            next_visit = self._next_visit(
                first_seen, article["last_seen"], int(article["unchanged_visits"])
            )
            self._conn.execute(
                "UPDATE articles SET first_seen = ?, visits = visits + 1, next_visit = ?"
                " WHERE id = ?",
                (first_seen, next_visit, article_id),
            )
        # A revert to an earlier text adds no row but is still a change of the latest text.
        status = SaveStatus.NEW_VERSION if added or moved else SaveStatus.UNCHANGED
        return SaveResult(status, article_id, version_id)

    def _next_visit(self, first_seen: str, last_visit: str, unchanged_visits: int) -> str | None:
        """The policy's next visit as stored text (UTC ISO 8601, like every time here)."""
        due = self.policy.next_visit(_parse(first_seen), _parse(last_visit), unchanged_visits)
        return None if due is None else _iso(due)

    def _diff_against(self, version_id: int, record: _Record, previous_id: int | None) -> None:
        """Store the new version's diff against the text that was the latest until now."""
        if previous_id is None:
            return
        previous = self._conn.execute(
            "SELECT text, first_seen FROM versions WHERE id = ?", (previous_id,)
        ).fetchone()
        if previous is not None:
            self._set_diff(version_id, previous, record.text, record.fetched_at)

    def _place_older_version(self, article_id: int, version_id: int, record: _Record) -> None:
        """Diff a version found in an older fetch where it falls in time, not against the latest.

        It replaced the version first seen just before it (if any), and the version first
        seen just after it replaced it, so that one's diff is redone against it too.
        """
        before = self._conn.execute(
            "SELECT text, first_seen FROM versions WHERE article_id = ? AND id != ?"
            " AND first_seen <= ? ORDER BY first_seen DESC, id DESC LIMIT 1",
            (article_id, version_id, record.fetched_at),
        ).fetchone()
        if before is not None:
            self._set_diff(version_id, before, record.text, record.fetched_at)
        after = self._conn.execute(
            "SELECT id, text, first_seen FROM versions WHERE article_id = ? AND id != ?"
            " AND first_seen > ? ORDER BY first_seen, id LIMIT 1",
            (article_id, version_id, record.fetched_at),
        ).fetchone()
        if after is not None:
            mine = {"text": record.text, "first_seen": record.fetched_at}
            self._set_diff(after["id"], mine, after["text"], after["first_seen"])

    def _set_diff(
        self, version_id: int, previous: Mapping[str, Any] | sqlite3.Row, text: str, seen: str
    ) -> None:
        diff = version_diff(previous["text"], text, previous["first_seen"], seen)
        self._conn.execute("UPDATE versions SET diff = ? WHERE id = ?", (diff, version_id))

    def _upsert_fetch(self, record: _Record) -> int:
        """Record the fetch, or count it again if these exact bytes were seen before."""
        (row,) = self._conn.execute(_UPSERT_FETCH, record.columns).fetchall()
        return int(row["id"])

    def _upsert_version(self, article_id: int, record: _Record, fetch_id: int) -> tuple[int, bool]:
        """Return (version id, whether it was added); a version keeps its earliest sighting."""
        row = self._conn.execute(
            "SELECT id FROM versions WHERE article_id = ? AND text_sha256 = ?",
            (article_id, record.text_sha256),
        ).fetchone()
        if row is not None:
            self._conn.execute(
                """
                UPDATE versions SET text = ?, title = ?, fetch_id = ?, first_seen = ?
                WHERE id = ? AND first_seen > ?
                """,
                (
                    record.text,
                    record.columns["title"],
                    fetch_id,
                    record.fetched_at,
                    row["id"],
                    record.fetched_at,
                ),
            )
            return int(row["id"]), False
        cursor = self._conn.execute(
            """
            INSERT INTO versions (article_id, text_sha256, text, title, fetch_id, first_seen)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            (
                article_id,
                record.text_sha256,
                record.text,
                record.columns["title"],
                fetch_id,
                record.fetched_at,
            ),
        )
        return _lastrowid(cursor), True

    def _insert_evidence(
        self,
        version_id: int,
        evidence: tuple[tuple[str, str, str, str | None, float | None], ...],
    ) -> None:
        """Attach the provenance evidence to the version it was read from."""
        self._conn.executemany(_INSERT_EVIDENCE, [(version_id, *row) for row in evidence])

    def _add_edges(self, version_id: int, edges: tuple[EdgeRow, ...]) -> None:
        """A new article's edges: its version is new too, so there is nothing to reconcile."""
        rows = _by_key(edges).values()
        self._conn.executemany(_UPSERT_EDGE, [(version_id, *row) for row in rows])

    def _sync_edges(self, version_id: int, edges: tuple[EdgeRow, ...]) -> None:
        """Make the version's edges the ones of this save, touching only what differs.

        Unchanged edges keep their rows (a re-save adds nothing); edges the provenance no
        longer states are removed, so filtering by agency always agrees with the chain
        that ``articles()`` and ``provenance()`` return.
        """
        wanted = _by_key(edges)
        stale = [
            (row["id"],)
            for row in self._conn.execute(
                "SELECT id, relation, hop, media_index, agency FROM edges WHERE version_id = ?",
                (version_id,),
            ).fetchall()
            if (row["relation"], row["hop"], row["media_index"], row["agency"]) not in wanted
        ]
        self._conn.executemany("DELETE FROM edges WHERE id = ?", stale)
        self._conn.executemany(_UPSERT_EDGE, [(version_id, *row) for row in wanted.values()])


def _by_key(edges: tuple[EdgeRow, ...]) -> dict[tuple[str, int | None, int | None, str], EdgeRow]:
    """The edges by their key, one row per key (the last of each)."""
    return {_edge_key(row): row for row in edges}


def _provenance_record(row: sqlite3.Row) -> dict[str, Any]:
    """One ``provenance()`` result: the article's identity and its latest provenance."""
    item = json.loads(row["item_json"])
    provenance = item.get("provenance") or {}
    return {
        "url": item.get("url"),
        "outlet": item.get("outlet"),
        "title": item.get("title"),
        "published": item.get("published"),
        "chain": provenance.get("chain") or [],
        "basis": provenance.get("basis"),
        "cited": provenance.get("cited") or [],
        "media": provenance.get("media") or [],
        "evidence": provenance.get("evidence") or [],
        "version_id": row["latest_version_id"],
        "text_sha256": row["text_sha256"],
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
    }


# -- connection ----------------------------------------------------------------------------


def _connect(path: Path, busy_timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """Autocommit mode, so every transaction is an explicit ``BEGIN IMMEDIATE`` we control.

    WAL lets readers (exports, reports) run while a crawl writes; synchronous=NORMAL is
    durable enough under WAL and avoids an fsync per article.
    """
    conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _lastrowid(cursor: sqlite3.Cursor) -> int:
    """The id of the row just inserted; an insert without one is a bug, not a state to store."""
    if cursor.lastrowid is None:
        raise RuntimeError("SQLite reported no row id after an insert")
    return cursor.lastrowid


# -- items to rows ---------------------------------------------------------------------------


def _record_from_item(item: Any) -> _Record:
    """Check and flatten an item (dataclass, dict or any ItemAdapter type) before writing."""
    # Our own dataclass items take a plain converter: ItemAdapter's asks every adapter class
    # about every nested value, costly next to the save itself, and ``dataclasses.asdict``
    # deep-copies every string and number. Any other item type (dicts, attrs, scrapy.Item)
    # goes through ItemAdapter as usual.
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        exported = {
            name: _plain(getattr(item, name)) for name in EXPORT_FIELDS if hasattr(item, name)
        }
    else:
        data = ItemAdapter(item).asdict()
        exported = {name: data[name] for name in EXPORT_FIELDS if name in data}
    return _record_from_exported(exported)


def _plain(value: Any) -> Any:
    """A field value as plain JSON-ready data: dataclasses become dicts, tuples lists."""
    if value is None or isinstance(value, (str, int, float)):
        return value  # immutable: nothing to copy (bool is an int)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    return ItemAdapter(value).asdict() if ItemAdapter.is_item(value) else value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _record_from_exported(exported: dict[str, Any]) -> _Record:
    """The record of an item already reduced to its exported fields (and plain values)."""
    url = _required_str(exported, "url", "item")
    outlet = _required_str(exported, "outlet", "item")
    fetch = _mapping(exported.get("fetch"), "fetch")
    text = exported.get("text") or ""
    columns: dict[str, Any] = {
        "url": url,
        "outlet": outlet,
        "canonical_url": exported.get("canonical_url"),
        "title": exported.get("title"),
        "published": exported.get("published"),
        "authors": json.dumps(list(exported.get("authors") or []), ensure_ascii=False),
        "language": exported.get("language"),
        "item_json": json.dumps(exported, ensure_ascii=False),
        **_fetch_columns(fetch),
    }
    provenance = _mapping(exported.get("provenance") or {}, "provenance")
    return _Record(
        columns=columns,
        text=text,
        text_sha256=text_digest(text),
        evidence=tuple(_evidence_row(e) for e in provenance.get("evidence") or ()),
        edges=_edge_rows(provenance),
    )


def _fetch_columns(fetch: Mapping[str, Any]) -> dict[str, Any]:
    """The ``fetches`` columns, with the fetch time normalised so text order is time order."""
    if fetch.get("status") is None:
        raise ValueError("item fetch has no 'status'")
    return {
        "fetched_at": utc_timestamp(_required_str(fetch, "fetched_at", "fetch")),
        "status": int(fetch["status"]),
        "sha256": _required_str(fetch, "sha256", "fetch"),
        "replayed": int(bool(fetch.get("replayed", False))),
        "warc": fetch.get("warc"),
        "warc_offset": fetch.get("offset"),
        "record_id": fetch.get("record_id"),
    }


def _evidence_row(evidence: Any) -> tuple[str, str, str, str | None, float | None]:
    """One evidence row; ``where`` may be a CSS path or a char offset, so it is kept as text."""
    entry = _mapping(evidence, "provenance.evidence entry")
    where = entry.get("where")
    confidence = entry.get("confidence")
    return (
        _required_str(entry, "kind", "provenance.evidence entry"),
        _required_str(entry, "text", "provenance.evidence entry"),
        "" if where is None else str(where),  # '' not NULL: NULLs never collide in UNIQUE
        entry.get("agency"),
        None if confidence is None else float(confidence),
    )


def _edge_rows(provenance: Mapping[str, Any]) -> tuple[EdgeRow, ...]:
    """The provenance's edges, one per agency and position, deduplicated and in item order.

    A copy edge rests on the item's ``basis`` and the text of the first evidence of that
    kind; a cited edge on the first ``in_text`` evidence naming that agency; a media edge
    on the image credit itself (basis ``photo_credit``).
    """
    evidence = [_mapping(e, "provenance.evidence entry") for e in provenance.get("evidence") or ()]
    stated = provenance.get("basis")
    basis = stated if isinstance(stated, str) and stated else None
    rests_on = next((_text(e) for e in evidence if basis and e.get("kind") == basis), None)
    rows: dict[tuple[str, int | None, int | None, str], EdgeRow] = {}

    def add(row: EdgeRow) -> None:
        rows.setdefault(_edge_key(row), row)  # an id repeated at one position is one edge

    for hop, agencies in enumerate(_chain(provenance.get("chain"), "provenance.chain")):
        for agency in agencies:
            add(("copy", hop, None, agency, basis, rests_on))
    for agency in _ids(provenance.get("cited"), "provenance.cited"):
        quoted = next(
            (
                _text(e)
                for e in evidence
                if e.get("kind") == "in_text" and e.get("agency") == agency
            ),
            None,
        )
        add(("cited", None, None, agency, "in_text", quoted))
    for index, media in enumerate(provenance.get("media") or ()):
        entry = _mapping(media, "provenance.media entry")
        credit = None if entry.get("credit") is None else str(entry["credit"])
        for hop, agencies in enumerate(_chain(entry.get("chain"), "provenance.media chain")):
            for agency in agencies:
                add(("media", hop, index, agency, "photo_credit", credit))
    return tuple(rows.values())


def _reuse_input(pair: Mapping[str, Any]) -> dict[str, Any]:
    """One pair for ``save_reuse``, checked before any SQL runs."""
    entry = _mapping(pair, "reuse pair")
    a = _required_str(entry, "a", "reuse pair")
    b = _required_str(entry, "b", "reuse pair")
    if a == b:
        raise ValueError(f"a reuse pair needs two articles, got {a} twice")
    shares = {}
    for key in ("share_a", "share_b"):
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ValueError(f"reuse pair {key} must be a number from 0 to 1, got {value!r}")
        shares[key] = float(value)
    passages = []
    for passage in entry.get("passages") or ():
        span = _mapping(passage, "reuse passage")
        fields = ("a_start", "a_end", "b_start", "b_end", "words")
        if not all(isinstance(span.get(f), int) and span[f] >= 0 for f in fields):
            raise ValueError(f"a reuse passage needs whole numbers {fields}, got {dict(span)!r}")
        passages.append({f: int(span[f]) for f in fields})
    earlier = entry.get("earlier")
    if earlier is not None and earlier not in (a, b):
        raise ValueError(f"reuse pair earlier must be {a!r}, {b!r} or None, got {earlier!r}")
    return {
        "a": a,
        "b": b,
        **shares,
        "passages": passages,
        "earlier": earlier,
        "a_version_id": entry.get("a_version_id"),
        "b_version_id": entry.get("b_version_id"),
    }


def _reuse_record(row: sqlite3.Row) -> dict[str, Any]:
    """One ``reuse_pairs()`` result."""
    return {
        "a": row["a_url"],
        "b": row["b_url"],
        "a_outlet": row["a_outlet"],
        "b_outlet": row["b_outlet"],
        "a_published": row["a_published"],
        "b_published": row["b_published"],
        "a_title": row["a_title"],
        "b_title": row["b_title"],
        "a_version_id": row["a_version_id"],
        "b_version_id": row["b_version_id"],
        "share_a": row["share_a"],
        "share_b": row["share_b"],
        "passages": json.loads(row["passages"]),
        "earlier": row["earlier"],
        "computed_at": row["computed_at"],
    }


def _text(evidence: Mapping[str, Any]) -> str | None:
    text = evidence.get("text")
    return None if text is None else str(text)


def _edge_key(row: EdgeRow) -> tuple[str, int | None, int | None, str]:
    return row[0], row[1], row[2], row[3]


def _chain(value: Any, what: str) -> list[list[str]]:
    """A chain is a list of hops, each a list of registry ids; anything else is refused."""
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        raise ValueError(f"item {what} must be a list of hops, got {type(value).__name__}")
    return [_ids(hop, f"{what} hop") for hop in value]


def _ids(value: Any, what: str) -> list[str]:
    """A list of non-empty registry ids (``None`` counts as empty)."""
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        raise ValueError(f"item {what} must be a list of ids, got {type(value).__name__}")
    if not all(isinstance(i, str) and i for i in value):
        raise ValueError(f"item {what} must hold non-empty id strings, got {value!r}")
    return list(value)


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    """Nested parts arrive as dicts after ``asdict``; anything else is a malformed item."""
    if not isinstance(value, Mapping):
        raise ValueError(f"item {what} must be an object, got {type(value).__name__}")
    return value


def _required_str(data: Mapping[str, Any], key: str, what: str) -> str:
    """Refuse an item missing a key field rather than store a row nobody can find again."""
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} has no {key!r} (a non-empty string is required)")
    return value


def _parse(stamp: str) -> datetime:
    """A stored time back as an aware datetime (stored times are UTC with an offset)."""
    return _aware(datetime.fromisoformat(stamp))


def _aware(moment: datetime) -> datetime:
    """Naive datetimes are UTC here, as fetch times are in the item contract."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _iso(moment: datetime) -> str:
    """The stored form of a time: UTC ISO 8601 with ``+00:00``, so text order is time order."""
    return _aware(moment).astimezone(UTC).isoformat()


def text_digest(text: str) -> str:
    """SHA-256 of the text with whitespace runs collapsed: re-wrapping is not a new version."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def utc_timestamp(value: str) -> str:
    """Rewrite an ISO 8601 time as UTC with a ``+00:00`` suffix, so min()/max() on text work.

    ``Z`` and ``+00:00`` (and other offsets) would otherwise sort wrongly as strings; a time
    without an offset is taken to be UTC, as the item contract says fetch times are.
    """
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"fetch fetched_at is not an ISO 8601 time: {value!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()
