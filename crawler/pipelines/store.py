"""Last step: the article goes to the store, atomically, then the page is let go.

Saves are committed in batches (``WIRETRACE_DB_COMMIT_EVERY`` articles) and on a timer
(``WIRETRACE_DB_COMMIT_SECONDS``), and at the end of the crawl: a commit per article was a
fifth of a replayed page's time. A crash can lose at most the articles saved since the last
commit, about as much as Scrapy's own job state (``JOBDIR``) can; a normal or interrupted
(Ctrl-C) stop commits everything.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import AsyncioLoopingCall, create_looping_call
from twisted.internet.task import LoopingCall

from crawler.schedule import RevisitPolicy
from crawler.storage import Store, database_id, open_store

#: The stores open in this process, by database, with how many pipelines use each. Spiders
#: crawled together (``scrapy crawlall``) into one file share its connection: with a batch
#: left open by one, another's ``BEGIN`` would wait for a lock that the same thread holds,
#: and the crawl would hang until the busy timeout.
_OPEN: dict[str, tuple[Store, int]] = {}


def _acquire(target: str, policy: RevisitPolicy | None, commit_every: int) -> Store:
    key = database_id(target)
    store, users = _OPEN.get(key) or (
        open_store(target, policy=policy, commit_every=commit_every),
        0,
    )
    _OPEN[key] = (store, users + 1)
    return store


def _release(target: str) -> None:
    key = database_id(target)
    store, users = _OPEN.pop(key)
    if users > 1:
        _OPEN[key] = (store, users - 1)
    else:
        store.close()  # commits what is pending


class StorePipeline:
    def __init__(
        self,
        target: str,
        stats: StatsCollector,
        policy: RevisitPolicy | None = None,
        *,
        commit_every: int = 1,
        commit_seconds: float = 0.0,
    ) -> None:
        if commit_every < 1:
            raise ValueError(f"WIRETRACE_DB_COMMIT_EVERY must be >= 1, got {commit_every}")
        self.target = target
        self.stats = stats
        self.policy = policy
        self.commit_every = commit_every
        self.commit_seconds = commit_seconds
        self.store: Store | None = None
        self._timer: AsyncioLoopingCall | LoopingCall | None = None

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
        )
        # Committed before the crawl reports itself closed, whatever the reason it stops.
        crawler.signals.connect(pipeline.commit, signal=signals.spider_idle)
        return pipeline

    def open_spider(self) -> None:
        self.store = _acquire(self.target, self.policy, self.commit_every)
        if self.commit_every > 1 and self.commit_seconds > 0:
            self._timer = create_looping_call(self.commit)
            self._timer.start(self.commit_seconds, now=False)

    def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self.store is not None:
            self.store = None
            _release(self.target)

    def commit(self) -> None:
        if self.store is not None:
            self.store.commit()

    def process_item(self, item: Any) -> Any:
        assert self.store is not None, "store used before the spider opened"
        adapter = ItemAdapter(item)
        adapter["page"] = None  # the parsed page is not needed past this point
        result = self.store.save_article(item)
        self.stats.inc_value(f"wiretrace/store/{result.status.value}")
        return item
