"""Scheduled crawls do bounded work: known articles are fetched again only when due.

A spider middleware in the manner of scrapy-deltafetch, so that spiders only navigate: after
the spider's start requests it adds the stored articles of the outlet that are due for a
revisit (at most ``WIRETRACE_REVISIT_LIMIT``, most overdue first; stat
``wiretrace/revisits_scheduled``), and it drops the spider's requests for stored articles that
are not due (stat ``wiretrace/known_skipped``). New articles always pass.

It reads through the store pipeline's connection (one per database in the process, see
``crawler.pipelines.store``), so a crawl holds one connection, and it sees what this crawl
stored before the batch is committed; it holds the store's lock for each read, as the
pipeline's writer thread does for each save, and asks once per page for all its links.
Without a store pipeline it opens the database for reading, and a database that does not
exist yet (the first run) means nothing is known. Off (``NotConfigured``) in replay and
with ``WIRETRACE_INCREMENTAL = False``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.incremental import CrawlMemory
from crawler.pipelines.store import _OPEN, _acquire, _release
from crawler.spiders.base import OutletSpider
from crawler.storage import Store, database_id, open_store

#: ``request.meta`` key marking a revisit this middleware scheduled.
REVISIT_META = "wiretrace_revisit"


class RevisitsMiddleware:
    def __init__(self, crawler: Crawler, target: str, limit: int | None) -> None:
        self.crawler = crawler
        self.target = target
        self.limit = limit
        self.memory: CrawlMemory | None = None
        self._opened = False
        self._shared = False  # the store pipeline's connection, released rather than closed
        self._lock: AbstractContextManager[Any] = nullcontext()  # the shared store's
        #: Revisits scheduled here: the spider asks for each URL once, and so does this.
        self._scheduled: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevisitsMiddleware:
        settings = crawler.settings
        if not settings.getbool("WIRETRACE_INCREMENTAL"):
            raise NotConfigured("incremental crawling is off (replay, or WIRETRACE_INCREMENTAL)")
        target = settings.get("WIRETRACE_DB")
        if not target:
            raise NotConfigured("WIRETRACE_DB is empty: nothing is remembered between crawls")
        return cls(crawler, target, settings.getint("WIRETRACE_REVISIT_LIMIT") or None)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for request_or_item in start:
            yield request_or_item
        for request in self._due_revisits():
            yield request

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        outputs = list(result)
        yield from self._kept(outputs)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        outputs = [request_or_item async for request_or_item in result]
        for request_or_item in self._kept(outputs):
            yield request_or_item

    def _due_revisits(self) -> list[Request]:
        spider = self.crawler.spider
        stats = self.crawler.stats
        # Start URLs given on the command line are a crawl of those pages only; a missing seed
        # list is a failed start, not a revisit run.
        if not isinstance(spider, OutletSpider) or not spider.crawls_seed_list:
            return []
        if stats.get_value("wiretrace/start_error"):
            return []
        memory = self._memory()
        if memory is None:
            return []
        with self._lock:
            due = memory.due_now(spider.profile.id)
        stats.set_value("wiretrace/revisits_scheduled", len(due))
        if due:
            spider.logger.info("revisiting %d known articles that are due", len(due))
        self._scheduled.update(due)
        return [Request(url, callback=spider.parse, meta={REVISIT_META: True}) for url in due]

    def _kept(self, outputs: list[Any]) -> Iterator[Any]:
        """A callback's output less the requests for known articles that are not due, the
        store asked once for all its links (a listing's fifty are one query, not fifty
        waits on the database and on the store's writer)."""
        profile = getattr(self.crawler.spider, "profile", None)
        asked = [
            output.url
            for output in outputs
            if isinstance(output, Request)
            and not output.meta.get(REVISIT_META)
            and output.url not in self._scheduled
            # Listings are never stored: always read.
            and (profile is None or profile.is_article_url(output.url))
        ]
        memory = self._memory() if asked else None
        skipped: set[str] = set()
        if memory is not None:
            # Only the outlet's own articles count: a reprint elsewhere whose canonical URL
            # names this article does not make it known to the outlet's crawl.
            with self._lock:
                skipped = memory.skipped(asked, profile.id if profile is not None else None)
        for output in outputs:
            if isinstance(output, Request) and not output.meta.get(REVISIT_META):
                if output.url in self._scheduled:
                    continue  # already asked for as a revisit
                if output.url in skipped:
                    self.crawler.stats.inc_value("wiretrace/known_skipped")
                    continue
            yield output

    def _memory(self) -> CrawlMemory | None:
        """The crawl's memory, opened on first use: by then the store pipeline is open."""
        if self._opened:
            return self.memory
        self._opened = True
        store: Store
        if database_id(self.target) in _OPEN:
            shared = _acquire(self.target, None, 1)  # the pipeline's; its settings stand
            store, self._lock, self._shared = shared.store, shared.lock, True
        else:
            try:
                store = open_store(self.target, create=False)
            except FileNotFoundError:
                return None  # first run: nothing is known yet
        self.crawler.signals.connect(self._close, signal=signals.spider_closed)
        self.memory = CrawlMemory(store, self.limit)
        return self.memory

    def _close(self) -> None:
        if self.memory is None:
            return
        if self._shared:
            _release(self.target)
        else:
            self.memory.store.close()
        self.memory = None
