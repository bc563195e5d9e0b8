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
import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from crawler.schedule import RevisitPolicy
from crawler.storage import SaveResult, SaveStatus, version_diff
from crawler.storage.reuse_tables import _ReuseTables
from crawler.storage.rows import (
    ARTICLE_COLUMNS,
    STATED_BASES,
    TEXT_REUSE,
    EdgeRow,
    _aware,
    _edge_key,
    _iso,
    _parse,
    _provenance_record,
    _Record,
    _record_from_exported,
    _record_from_item,
    rebuilt_item,
    text_digest,
    utc_timestamp,
)
from crawler.storage.schema import SCHEMA_VERSION, _Migrations
from crawler.storage.sql import (
    INSERT_ARTICLE,
    INSERT_EVIDENCE,
    REFRESH_ARTICLE,
    SELECT_UNRESOLVED,
    UPSERT_EDGE,
    UPSERT_FETCH,
)

__all__ = [
    "BUSY_TIMEOUT",
    "LOCK_WAIT",
    "SCHEMA_VERSION",
    "STATED_BASES",
    "TEXT_REUSE",
    "EdgeRow",
    "SQLiteStore",
    "text_digest",
    "utc_timestamp",
]


#: Seconds one attempt to take the write lock waits for another process's transaction.
BUSY_TIMEOUT = 30.0
#: Seconds a writer keeps trying (attempt after attempt, saying so in the log) before a save
#: fails: another crawl on the same file may hold its batch while it reads a slow page.
LOCK_WAIT = 600.0

#: URLs per ``IN (...)`` list: well under SQLite's limit on a statement's parameters.
_IN_CHUNK = 400

logger = logging.getLogger(__name__)


class SQLiteStore(_Migrations, _ReuseTables):
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
        """Give back exactly what was scraped last, plus when the article was first/last seen.

        The item is rebuilt from ``item_json``, the article's columns and its latest
        version's text (see ``rows.stored_item``): each is stored once.
        """
        sql = (
            f"SELECT a.item_json, a.first_seen, a.last_seen, {ARTICLE_COLUMNS}, v.text"
            " FROM articles AS a LEFT JOIN versions AS v ON v.id = a.latest_version_id"
        )
        params: tuple[str, ...] = ()
        if outlet is not None:
            sql += " WHERE a.outlet = ?"
            params = (outlet,)
        cursor = self._conn.execute(sql + " ORDER BY a.id", params)
        try:  # closed even if the caller stops early, so no read snapshot is left open
            for row in cursor:
                item = rebuilt_item(row["item_json"], row["text"], row)
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
            f" {ARTICLE_COLUMNS}, v.text_sha256"
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
        rows = self._conn.execute(SELECT_UNRESOLVED.format(outlet=where), params).fetchall()
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

    def known_among(self, urls: Iterable[str], outlet: str | None = None) -> set[str]:
        """Those of ``urls`` that ``known`` says are stored: a listing's links in one query
        per few hundred instead of a round trip each (on PostgreSQL, each one a wait)."""
        wanted = list(dict.fromkeys(urls))
        found: set[str] = set()
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self._conn.execute(
                "SELECT url, canonical_url, outlet FROM articles"
                f" WHERE url IN ({marks}) OR canonical_url IN ({marks})",
                (*chunk, *chunk),
            ).fetchall()
            for row in rows:
                found.add(row["url"])
                if outlet is None or row["outlet"] == outlet:
                    found.add(row["canonical_url"])
        return found.intersection(wanted)

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

    def close(self) -> None:
        """Commit pending saves and close; closing twice is harmless so shutdown paths need
        no guard."""
        with contextlib.suppress(sqlite3.ProgrammingError):  # already closed
            self.commit()
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

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
        exported = dict(record.exported)
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
        # The first version is inserted next, with this very text.
        item_json = record.item_json(record.text)
        params = {**record.columns, "item_json": item_json, "next_visit": next_visit}
        article_id = _lastrowid(self._conn.execute(INSERT_ARTICLE, params))
        version_id, _, _ = self._upsert_version(article_id, record, fetch_id)
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
        version_id, added, version_text = self._upsert_version(article_id, record, fetch_id)
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
                "item_json": record.item_json(version_text),
                "article_id": article_id,
                "version_id": version_id,
                "unchanged_visits": unchanged,
                "next_visit": self._next_visit(article["first_seen"], record.fetched_at, unchanged),
            }
            self._conn.execute(REFRESH_ARTICLE, params)
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
        (row,) = self._conn.execute(UPSERT_FETCH, record.columns).fetchall()
        return int(row["id"])

    def _upsert_version(
        self, article_id: int, record: _Record, fetch_id: int
    ) -> tuple[int, bool, str]:
        """(version id, whether it was added, the text it now holds); a version keeps its
        earliest sighting, text included (whitespace aside, a later one has the same)."""
        row = self._conn.execute(
            "SELECT id, text, first_seen FROM versions WHERE article_id = ? AND text_sha256 = ?",
            (article_id, record.text_sha256),
        ).fetchone()
        if row is not None:
            if row["first_seen"] <= record.fetched_at:
                return int(row["id"]), False, str(row["text"])
            if row["text"] != record.text:
                self._keep_latest_text(article_id, int(row["id"]), str(row["text"]))
            self._conn.execute(
                "UPDATE versions SET text = ?, title = ?, fetch_id = ?, first_seen = ?"
                " WHERE id = ?",
                (record.text, record.columns["title"], fetch_id, record.fetched_at, row["id"]),
            )
            return int(row["id"]), False, record.text
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
        return _lastrowid(cursor), True, record.text

    def _keep_latest_text(self, article_id: int, version_id: int, text: str) -> None:
        """Before an older sighting rewrites a version's text (in whitespace only), put the
        text into the article's ``item_json`` if that version is its latest and the item
        left its text to it: the latest item still reads back as it was scraped."""
        row = self._conn.execute(
            "SELECT item_json FROM articles WHERE id = ? AND latest_version_id = ?",
            (article_id, version_id),
        ).fetchone()
        if row is None:
            return
        item = json.loads(row["item_json"])
        if "text" not in item:
            item["text"] = text
            self._conn.execute(
                "UPDATE articles SET item_json = ? WHERE id = ?",
                (json.dumps(item, ensure_ascii=False), article_id),
            )

    def _insert_evidence(
        self,
        version_id: int,
        evidence: tuple[tuple[str, str, str, str | None, float | None], ...],
    ) -> None:
        """Attach the provenance evidence to the version it was read from."""
        self._conn.executemany(INSERT_EVIDENCE, [(version_id, *row) for row in evidence])

    def _add_edges(self, version_id: int, edges: tuple[EdgeRow, ...]) -> None:
        """A new article's edges: its version is new too, so there is nothing to reconcile."""
        rows = _by_key(edges).values()
        self._conn.executemany(UPSERT_EDGE, [(version_id, *row) for row in rows])

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
        self._conn.executemany(UPSERT_EDGE, [(version_id, *row) for row in wanted.values()])


def _by_key(edges: tuple[EdgeRow, ...]) -> dict[tuple[str, int | None, int | None, str], EdgeRow]:
    """The edges by their key, one row per key (the last of each)."""
    return {_edge_key(row): row for row in edges}


# -- connection ----------------------------------------------------------------------------


def _connect(path: Path, busy_timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """Autocommit mode, so every transaction is an explicit ``BEGIN IMMEDIATE`` we control.

    WAL lets readers (exports, reports) run while a crawl writes; synchronous=NORMAL is
    durable enough under WAL and avoids an fsync per article. A crawl saves on a thread of
    its own (see ``crawler.pipelines.store``, whose lock keeps the threads' uses apart).
    """
    conn = sqlite3.connect(
        path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
    )
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
