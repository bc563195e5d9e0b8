"""Last step: the article goes to the store, atomically, then the page is let go.

Saves are committed in batches (``WIRETRACE_DB_COMMIT_EVERY`` articles) and on a timer
(``WIRETRACE_DB_COMMIT_SECONDS``), and at the end of the crawl: a commit waits for the disk,
and one per article would make every page wait for it. A crash can lose at most the articles
saved since the last commit, about as much as Scrapy's own job state (``JOBDIR``) can; a
normal or interrupted (Ctrl-C) stop commits everything.

A write that fails (disk full, I/O error, the lock never freed) stops the crawl: the error is
logged once, counted under ``wiretrace/store/errors``, the spider closes with the reason
``store_error`` and the crawl command exits non-zero. Items after it are dropped, not
exported as if stored. The commit timer survives a failed commit (Scrapy's looping call
stops for good at the first exception it sees).

In a running crawl the saves and commits run on one thread of their own per database (the
store's writer), never on the reactor's: a save waits on the database (a dozen round trips
to PostgreSQL, a commit's disk flush), and on the reactor's thread that wait would stop every
download's clock with it, so AutoThrottle would read it as the server's latency and slow
every host down. Scrapy still waits for each save (``process_item`` gives an awaitable), and a
failed one fails as above. Every use of the store, on either thread (the revisits
middleware reads through it), holds the store's lock, so statements never interleave.
Outside a running reactor (a pipeline driven by hand) everything happens in the caller.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import AsyncioLoopingCall, create_looping_call
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.task import LoopingCall

from crawler.pages import release
from crawler.schedule import RevisitPolicy
from crawler.storage import Store, database_id, open_store
from crawler.writer_thread import WriterThread, on_reactor, reactor_running

logger = logging.getLogger(__name__)

#: What a failed write raises: SQLite's errors, a batch SQLite rolled back (RuntimeError,
#: see ``SQLiteStore._undo_save``), the file system's.
WRITE_ERRORS = (sqlite3.Error, RuntimeError, OSError)
ERRORS = "wiretrace/store/errors"
LOST = "wiretrace/store/lost"
CLOSE_REASON = "store_error"


@dataclass(eq=False)
class _Shared:
    """One database's store open in this process, how many pipelines use it, and whose
    saves its open batch holds."""

    store: Store
    users: int = 0
    owner: StorePipeline | None = None
    #: Held by every use of the store, whichever thread it is on.
    lock: threading.RLock = field(default_factory=threading.RLock)
    #: The store's writer thread (one thread: saves keep their order), in a running crawl.
    writer: WriterThread | None = None


#: The stores open in this process, by database. Spiders crawled together (``scrapy
#: crawlall``) into one file share its connection: with a batch left open by one, another's
#: ``BEGIN`` would wait for a lock that the same thread holds, and the crawl would hang until
#: the busy timeout. A batch holds one spider's saves only (a spider commits the other's
#: batch before saving into it), so a failed write takes back and counts that spider's
#: saves, never those of another that believes them stored.
_OPEN: dict[str, _Shared] = {}


def _acquire(
    target: str,
    policy: RevisitPolicy | None,
    commit_every: int,
    busy_timeout: float | None = None,
    lock_wait: float | None = None,
) -> _Shared:
    key = database_id(target)
    shared = _OPEN.get(key) or _Shared(
        open_store(
            target,
            policy=policy,
            commit_every=commit_every,
            busy_timeout=busy_timeout,
            lock_wait=lock_wait,
        )
    )
    shared.users += 1
    if shared.writer is None and reactor_running():
        shared.writer = WriterThread(f"wiretrace-store {key}")
    _OPEN[key] = shared
    return shared


def _release(target: str) -> None:
    key = database_id(target)
    shared = _OPEN.pop(key)
    shared.users -= 1
    if shared.users:
        _OPEN[key] = shared
        return
    if shared.writer is not None:
        shared.writer.stop()  # runs what is queued (commits of closed spiders: no-ops) first
        shared.writer = None
    with shared.lock:
        shared.store.close()  # commits what is pending


class StorePipeline:
    def __init__(
        self,
        target: str,
        stats: StatsCollector,
        policy: RevisitPolicy | None = None,
        *,
        commit_every: int = 1,
        commit_seconds: float = 0.0,
        crawler: Crawler | None = None,
        busy_timeout: float | None = None,
        lock_wait: float | None = None,
    ) -> None:
        if commit_every < 1:
            raise ValueError(f"WIRETRACE_DB_COMMIT_EVERY must be >= 1, got {commit_every}")
        self.target = target
        self.stats = stats
        self.policy = policy
        self.commit_every = commit_every
        self.commit_seconds = commit_seconds
        self.crawler = crawler
        self.options = (busy_timeout, lock_wait)
        self.store: Store | None = None
        self.shared: _Shared | None = None
        self.failed = False
        self._timer: AsyncioLoopingCall | LoopingCall | None = None
        #: The shared store's lock, kept past the spider's close for a late timer tick.
        self._lock: AbstractContextManager[Any] = nullcontext()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        target = settings.get("WIRETRACE_DB")
        if not target:
            raise NotConfigured("WIRETRACE_DB is empty: articles go to feeds only")
        pipeline = cls(
            target,
            crawler.stats,
            RevisitPolicy.from_settings(settings),
            commit_every=settings.getint("WIRETRACE_DB_COMMIT_EVERY", 1),
            commit_seconds=settings.getfloat("WIRETRACE_DB_COMMIT_SECONDS", 0.0),
            crawler=crawler,
            busy_timeout=_float_or_none(settings.get("WIRETRACE_DB_BUSY_TIMEOUT")),
            lock_wait=_float_or_none(settings.get("WIRETRACE_DB_LOCK_WAIT")),
        )
        # Committed before the crawl reports itself closed, whatever the reason it stops.
        crawler.signals.connect(pipeline.commit, signal=signals.spider_idle)
        return pipeline

    def open_spider(self) -> None:
        self.shared = _acquire(self.target, self.policy, self.commit_every, *self.options)
        self.store = self.shared.store
        self._lock = self.shared.lock
        if self.commit_every > 1 and self.commit_seconds > 0:
            self._timer = create_looping_call(self.commit)
            self._timer.start(self.commit_seconds, now=False)

    def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self.store is None:
            return
        with self._lock:
            if self.shared is not None and self.shared.owner is self:
                self._commit_now()  # this spider's last batch, before another's saves join it
                self.shared.owner = None
            store, self.store, self.shared = self.store, None, None
        try:
            _release(self.target)  # the last commit (not under the lock: the writer may wait)
        except WRITE_ERRORS as error:
            self._failed(f"the last commit failed: {error}", store=store)
            with suppress(*WRITE_ERRORS):
                store.close()  # nothing pending any more: only the connection to free

    def commit(self) -> None:
        """Commit the open batch (on the writer thread when there is one, without waiting:
        the timer and the idle signal call this); never raises, so the timer keeps running."""
        shared = self.shared
        if shared is not None and shared.writer is not None:
            shared.writer.run(self._commit_now).addErrback(_log_unexpected)
        else:
            self._commit_now()

    def _commit_now(self) -> None:
        """Commit the open batch here and now; never raises. A batch of another spider
        sharing the store is that spider's to commit."""
        with self._lock:
            if self.store is None or self.failed:
                return
            if self.shared is not None and self.shared.owner not in (None, self):
                return
            try:
                self.store.commit()
            except WRITE_ERRORS as error:
                self._failed(f"commit failed: {error}")

    def process_item(self, item: Any) -> Any:
        assert self.store is not None, "store used before the spider opened"
        adapter = ItemAdapter(item)
        release(item)  # the parsed page is not needed past this point
        if self.failed:
            raise DropItem(f"not stored (the database failed earlier): {adapter['url']}")
        canonical = adapter.get("canonical_url")
        if canonical and not str(canonical).lower().startswith(("http://", "https://")):
            # A page's own claim, and a hostile one can be ``javascript:``: never a link we
            # keep. The requested URL still identifies the article.
            logger.warning("canonical URL of %s dropped: not http(s): %r", adapter["url"],
                           str(canonical)[:80])  # fmt: skip
            self.stats.inc_value("wiretrace/canonical_rejected")
            adapter["canonical_url"] = None
        if self.shared is not None and self.shared.writer is not None:
            return self._save_on(self.shared.writer, item, adapter)
        return self._count(self._save(item, adapter), item)

    async def _save_on(self, writer: WriterThread, item: Any, adapter: ItemAdapter) -> Any:
        status = await maybe_deferred_to_future(writer.run(self._save, item, adapter))
        return self._count(status, item)

    def _count(self, status: str, item: Any) -> Any:
        self.stats.inc_value(f"wiretrace/store/{status}")
        return item

    def _save(self, item: Any, adapter: ItemAdapter) -> str:
        """Save ``item`` (on the writer thread, if any); the status to count."""
        with self._lock:
            return self._save_locked(item, adapter)

    def _save_locked(self, item: Any, adapter: ItemAdapter) -> str:
        if self.store is None:
            raise DropItem(f"not stored (the spider closed first): {adapter['url']}")
        if self.failed:  # an earlier save failed while this one waited for the writer
            raise DropItem(f"not stored (the database failed earlier): {adapter['url']}")
        self._own_batch()
        pending = self.store.pending
        try:
            result = self.store.save_article(item)
        except WRITE_ERRORS as error:
            # SQLite may have rolled the batch back itself (then nothing is pending).
            gone = pending - self.store.pending
            self._failed(f"saving {adapter['url']} failed: {error}", lost=gone)
            raise DropItem(f"not stored: {adapter['url']}") from error
        except Exception as error:
            # A fault of the store itself (a bug, a backend's unexpected answer): every later
            # save would fail the same way, so it is a failed write like any other, said
            # once and ending the crawl non-zero, never an error line per article.
            gone = pending - self.store.pending
            self._failed(f"saving {adapter['url']} failed: {error!r}", lost=gone)
            raise DropItem(f"not stored: {adapter['url']}") from error
        return str(result.status.value)

    def _own_batch(self) -> None:
        """Make the open batch this spider's: one another spider left open is committed
        first, by that spider (a failure there is its own, said and counted by it)."""
        shared = self.shared
        if shared is None or shared.owner is self:
            return
        if shared.owner is not None and shared.store.pending:
            shared.owner._commit_now()
        shared.owner = self

    def _failed(self, what: str, *, lost: int = 0, store: Store | None = None) -> None:
        """Count the failure, say it once, and stop the crawl: pages fetched from now on
        could not be stored. The saves of the open batch are taken back, so that
        ``wiretrace/store/lost`` (with ``lost``, those SQLite took back itself) is exactly
        what the ``wiretrace/store/<status>`` counts hold that the database does not."""
        store = store or self.store
        if store is not None:
            with self._lock:
                try:
                    lost += store.rollback()
                except WRITE_ERRORS:
                    lost += store.pending
        said = self.failed
        self.failed = True  # at once: a save queued behind this one must see it
        on_reactor(self._report, what, lost, said)

    def _report(self, what: str, lost: int, said: bool) -> None:
        """The failure counted, said once, and the crawl closed: the reactor's part."""
        self.stats.inc_value(ERRORS)
        if lost:
            self.stats.inc_value(LOST, lost)
            what += f" ({lost} saved article(s) of the open batch lost with it)"
        if said:
            return
        logger.error("database %s: %s; closing the crawl", self.target, what)
        self.stats.set_value("wiretrace/store/error", f"{self.target}: {what}")
        try:
            engine = self.crawler.engine if self.crawler is not None else None
        except RuntimeError:  # no crawl running: the pipeline used on its own
            engine = None
        if engine is not None and engine.running and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=CLOSE_REASON))


def _log_unexpected(failure: Any) -> None:
    logger.error("store writer: %s", failure.getTraceback())


def _float_or_none(value: Any) -> float | None:
    return None if value in (None, "") else float(value)
