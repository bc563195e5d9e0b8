"""One crawl spread over many worker processes, on any number of machines, through Redis.

``-s WIRETRACE_REDIS_URL=redis://host:6379/0`` turns it on (``DistributedAddon``); without
it nothing here loads and a crawl keeps Scrapy's own in-memory scheduler. With it, every
worker that runs the same command shares, per spider, one request queue and one duplicate
filter in Redis (scrapy-redis's): seeds and discovered links go into the one queue, each URL
enters it once, and whichever worker is free takes the next request. The store (set
``WIRETRACE_DB`` to a ``postgresql://`` URL shared by the workers) and each worker's own WARC
files hold the results; the revisit schedule still decides which known articles are due,
since each worker's spider asks the shared store and the shared filter lets one of them in.

``SharedScheduler`` is scrapy-redis's scheduler with what a multi-worker crawl needs:

* the queue and filter persist while any worker runs (a finishing worker must not wipe a
  queue others still use) and are cleared by the last worker out, so the next scheduled
  run starts afresh instead of finding every URL "already seen";
* workers announce themselves with a heartbeat; an idle worker stays (``DontCloseSpider``)
  while the queue holds requests or another live worker is busy, since that worker's
  pages may yet yield links; a worker whose heartbeat stopped (killed) stops counting
  after ``WIRETRACE_REDIS_WORKER_TIMEOUT`` seconds;
* start requests go through the shared filter even when built with ``dont_filter``, so N
  workers starting the same seeds fetch them once; a retry keeps ``dont_filter``;
* a worker whose seed another worker took still reads that host's robots.txt at once, as
  it would before fetching the seed itself: its politeness clock (AutoThrottle's start
  delay counts from its last request to the host) then runs while the first worker fetches
  the seed, instead of starting only when the seed's links reach the queue, 5 s later;
* stats are counted without the deprecated ``spider=`` argument;
* equal priorities come out newest first (``LifoPriorityQueue``), as in Scrapy's own
  scheduler, so pagination is followed at once and many workers have work to share;
* a worker takes a request from the shared queue only when it can start it soon: at most
  one per download slot may wait in its downloader. Scrapy's engine pulls requests until
  ``CONCURRENT_REQUESTS`` (16) are in hand, so a worker crawling one polite host took 16,
  downloaded them one by one (3 s and more at 200 ms a page) while the other workers found
  the queue empty and idled: the crawl ended on one worker working through its hoard.

A worker killed mid-crawl loses, for this run, the requests it had taken from the queue and
not finished: those downloading, the responses waiting for the spider (a CPU-bound worker
holds up to ``SCRAPER_SLOT_MAX_ACTIVE_SIZE`` bytes of them) and the articles saved since
its store's last commit (hundreds of pages for a busy worker). Nothing is lost for
good: the filter is cleared when the run ends, so the **next scheduled run** fetches the
seeds again, and every article link that is not in the store yet is fetched then (stored
articles are skipped unless due). tests/distributed proves it.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.asyncio import AsyncioLoopingCall, create_looping_call
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from twisted.internet.task import LoopingCall

logger = logging.getLogger(__name__)

__all__ = ["DistributedAddon", "LifoPriorityQueue", "SharedScheduler", "keys", "worker_id"]


def worker_id() -> str:
    """This process's name among the workers: unique across machines and restarts."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


def keys(settings: BaseSettings, spider: str) -> dict[str, str]:
    """The Redis keys of one spider's shared crawl, namespaced by ``WIRETRACE_CRAWL_ID``."""
    prefix = f"wiretrace:{settings.get('WIRETRACE_CRAWL_ID') or 'crawl'}:{spider}"
    return {
        "queue": f"{prefix}:requests",
        "dupefilter": f"{prefix}:dupefilter",
        "workers": f"{prefix}:workers",
    }


class DistributedAddon:
    """Switches a crawl to the shared Redis scheduler when ``WIRETRACE_REDIS_URL`` is set."""

    def update_settings(self, settings: Settings) -> None:
        url = settings.get("WIRETRACE_REDIS_URL")
        if not url:
            return
        prefix = f"wiretrace:{settings.get('WIRETRACE_CRAWL_ID') or 'crawl'}:%(spider)s"
        for name, value in {
            "SCHEDULER": "crawler.distributed.SharedScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "REDIS_URL": url,
            # What scrapy-redis 0.9.1 needs to give each URL to one worker once; see the
            # module docstring (known pitfalls of the other values, from the issue).
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_FLUSH_ON_START": False,
            "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
            "SCHEDULER_QUEUE_CLASS": "crawler.distributed.LifoPriorityQueue",
            "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        }.items():
            settings.set(name, value, priority="addon")


class LifoPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue, newest first among equal priorities, as Scrapy's own.

    Its queue orders equal priorities by the requests' pickled bytes, which is no order at
    all: the link to a section's next page waited behind that page's fifty articles, so
    workers went idle until it came up, and a crawl of many workers was no faster than one.
    Newest first (Scrapy's default) follows pagination as soon as it is found. The score is
    ``-priority`` scaled, minus a sequence number drawn from Redis, so the ordering holds
    across workers; pushing and popping stay single atomic Redis commands.
    """

    def push(self, request: Request) -> None:
        sequence = int(self.server.incr(f"{self.key}:sequence"))
        score = -request.priority * 2**32 - sequence
        self.server.execute_command("ZADD", self.key, score, self._encode_request(request))

    def clear(self) -> None:
        self.server.delete(self.key, f"{self.key}:sequence")


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler, fit for many workers; see the module docstring."""

    crawler: Crawler
    heartbeat: float
    timeout: float

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        scheduler: SharedScheduler = cls.from_settings(crawler.settings)
        scheduler.stats = crawler.stats
        scheduler.crawler = crawler
        scheduler.worker = worker_id()
        scheduler.heartbeat = crawler.settings.getfloat("WIRETRACE_REDIS_HEARTBEAT", 0.5)
        scheduler.timeout = crawler.settings.getfloat("WIRETRACE_REDIS_WORKER_TIMEOUT", 15.0)
        scheduler._timer = None
        scheduler._busy = False
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self.keys = keys(self.crawler.settings, spider.name)
        self._beat(busy=True)
        self._timer: AsyncioLoopingCall | LoopingCall | None = create_looping_call(self._tick)
        self._timer.start(self.heartbeat, now=False)
        logger.info(
            "shared crawl of %s through Redis as worker %s (%d requests queued)",
            spider.name,
            self.worker,
            len(self.queue),
        )

    def close(self, reason: str) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.server.hdel(self.keys["workers"], self.worker)
        live = self._live_workers()
        stale = [w for w in self.server.hkeys(self.keys["workers"]) if _text(w) not in live]
        if stale:
            self.server.hdel(self.keys["workers"], *stale)
        if not live:
            # The last worker out ends the run: the next one starts with a clean filter.
            self.server.delete(
                self.keys["queue"],
                f"{self.keys['queue']}:sequence",
                self.keys["dupefilter"],
                self.keys["workers"],
            )
            logger.info("last worker of the shared crawl: its queue and filter are cleared")

    def enqueue_request(self, request: Request) -> bool:
        start = bool(request.meta.get("is_start_request", False))
        filtered = not request.dont_filter or start
        if filtered and self.df.request_seen(request):
            self.df.log(request, self.spider)
            if start:
                self._read_robots(request)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        if self._holding_enough():
            return None  # the engine asks again when one of its downloads ends
        request = self.queue.pop(0)
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
            if not self._busy:  # say so at once: an idle worker may be deciding to leave
                self._beat(busy=True)
        return request

    def _read_robots(self, request: Request) -> None:
        """Fetch the robots.txt of ``request``'s host now, as Scrapy does before a first
        request to it (once per host; nothing when robots.txt is not obeyed, or for a local
        ``file:``/``data:`` seed, which has none)."""
        if not request.url.startswith(("http://", "https://")):
            return
        try:
            middlewares = self.crawler.engine.downloader.middleware.middlewares
        except RuntimeError:  # no engine yet
            return
        robots = next((m for m in middlewares if isinstance(m, RobotsTxtMiddleware)), None)
        if robots is not None and not request.meta.get("dont_obey_robotstxt"):
            deferred_from_coro(robots.robot_parser(request))  # it logs its own errors

    def _holding_enough(self) -> bool:
        """Whether this worker already has requests waiting for a download slot of its own
        (one per slot it uses): another worker may be free to download the next one now."""
        try:
            downloader = self.crawler.engine.downloader
        except RuntimeError:  # no engine yet (Scrapy sets it when the crawl starts)
            return False
        transferring = sum(len(slot.transferring) for slot in downloader.slots.values())
        waiting = len(downloader.active) - transferring
        return waiting >= max(1, len(downloader.slots))

    # -- workers ----------------------------------------------------------------------

    def spider_idle(self) -> None:
        """Stay while the shared crawl may still give this worker something to do."""
        self._beat(busy=False)
        if len(self.queue):
            raise DontCloseSpider
        others = {w: s for w, s in self._live_workers().items() if w != self.worker}
        if any(state.get("busy") for state in others.values()):
            raise DontCloseSpider

    def _tick(self) -> None:
        engine = self.crawler.engine
        slot = engine.scraper.slot if engine is not None else None
        busy = engine is not None and bool(
            engine.downloader.active or (slot is not None and not slot.is_idle())
        )
        self._beat(busy=busy)
        if not busy and engine is not None and engine._slot is not None and len(self.queue):
            # Another worker queued work while this one idled: Scrapy itself would look
            # again only at its next 5-second heartbeat.
            engine._slot.nextcall.schedule()

    def _beat(self, *, busy: bool) -> None:
        self._busy = busy
        state = json.dumps({"at": time.time(), "busy": busy})
        self.server.hset(self.keys["workers"], self.worker, state)

    def _live_workers(self) -> dict[str, dict[str, Any]]:
        """Workers whose heartbeat is recent, with their last state."""
        now = time.time()
        live = {}
        for worker, raw in self.server.hgetall(self.keys["workers"]).items():
            state = json.loads(raw)
            if now - float(state.get("at", 0)) <= self.timeout:
                live[_text(worker)] = state
        return live


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
