"""The shared scheduler on a real Redis, worker by worker: what goes into the one queue, when
an idle worker stays, and who clears the crawl's keys."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import redis
from scrapy import Request, Spider
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.internet.defer import succeed

from crawler.distributed import DistributedAddon, SharedScheduler, keys


class Outlet(Spider):
    name = "outlet"


def shared_settings(url: str, **extra: Any) -> dict[str, Any]:
    settings = Settings({"WIRETRACE_REDIS_URL": url, **extra})
    DistributedAddon().update_settings(settings)
    return {
        k: settings[k] for k in settings if k.startswith(("SCHEDULER", "REDIS", "WIRE", "DUPE"))
    }


class ManualTimer:
    """Stands in for the heartbeat's looping call: no reactor runs in these tests, and each
    test beats by hand (``_beat``/``_tick``) where the timer would."""

    def __init__(self, function: Any) -> None:
        self.running = False

    def start(self, interval: float, now: bool = True) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False


@pytest.fixture(autouse=True)
def no_reactor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crawler.distributed.create_looping_call", ManualTimer)


@pytest.fixture
def redis_url(redis_server_url: str) -> Iterator[str]:
    url = f"{redis_server_url}/3"
    yield url
    redis.Redis.from_url(url).flushdb()


def worker(url: str, **extra: Any) -> SharedScheduler:
    crawler = get_crawler(Outlet, shared_settings(url, **extra))
    scheduler = SharedScheduler.from_crawler(crawler)
    scheduler.open(Outlet.from_crawler(crawler))
    return scheduler


def test_without_a_redis_url_the_crawl_keeps_scrapys_scheduler() -> None:
    settings = Settings({"WIRETRACE_REDIS_URL": ""})
    DistributedAddon().update_settings(settings)
    assert settings["SCHEDULER"] == "scrapy.core.scheduler.Scheduler"
    assert not settings.get("REDIS_URL")


def test_with_a_redis_url_the_queue_and_filter_are_shared_and_persist(redis_url: str) -> None:
    settings = shared_settings(redis_url, WIRETRACE_CRAWL_ID="hourly")
    assert settings["SCHEDULER"] == "crawler.distributed.SharedScheduler"
    assert settings["SCHEDULER_PERSIST"] is True
    assert settings["SCHEDULER_FLUSH_ON_START"] is False
    assert settings["SCHEDULER_QUEUE_KEY"] == "wiretrace:hourly:%(spider)s:requests"
    assert settings["SCHEDULER_QUEUE_CLASS"] == "crawler.distributed.LifoPriorityQueue"


def test_two_workers_starting_the_same_seeds_queue_them_once(redis_url: str) -> None:
    first, second = worker(redis_url), worker(redis_url)
    try:
        for scheduler in (first, second):
            seed = Request("https://lecourrier.vn/international/74.cvn", dont_filter=True)
            seed.meta["is_start_request"] = True
            scheduler.enqueue_request(seed)
        assert len(first.queue) == 1
        # A retry is deliberately unfiltered, and stays so.
        second.enqueue_request(
            Request("https://lecourrier.vn/international/74.cvn", dont_filter=True)
        )
        assert len(first.queue) == 2
        # A link found by both workers goes in once.
        for scheduler in (first, second):
            scheduler.enqueue_request(Request("https://lecourrier.vn/a-b/1.html"))
        assert len(first.queue) == 3
        assert second.next_request() is not None
        assert first.stats.get_value("scheduler/enqueued/redis") == 2
    finally:
        first.close("finished")
        second.close("finished")


def test_an_idle_worker_stays_while_another_is_busy_or_work_is_queued(redis_url: str) -> None:
    idle, busy = worker(redis_url), worker(redis_url)
    try:
        busy._beat(busy=True)
        with pytest.raises(DontCloseSpider):
            idle.spider_idle()
        busy._beat(busy=False)
        idle.spider_idle()  # nobody busy, nothing queued: it may close
        busy.enqueue_request(Request("https://lecourrier.vn/a-b/2.html"))
        with pytest.raises(DontCloseSpider):
            idle.spider_idle()
    finally:
        idle.close("finished")
        busy.close("finished")


def test_a_killed_worker_stops_holding_the_others_after_its_timeout(redis_url: str) -> None:
    alive = worker(redis_url, WIRETRACE_REDIS_WORKER_TIMEOUT=2)
    server = redis.Redis.from_url(redis_url)
    workers_key = keys(alive.crawler.settings, "outlet")["workers"]
    try:
        dead = json.dumps({"at": time.time() - 1, "busy": True})
        server.hset(workers_key, "other-host-123-abc", dead)
        with pytest.raises(DontCloseSpider):
            alive.spider_idle()
        server.hset(workers_key, "other-host-123-abc", json.dumps({"at": time.time() - 5}))
        alive.spider_idle()
    finally:
        alive.close("finished")
    assert not server.exists(workers_key)  # the last one out cleared the dead one too


def test_the_last_worker_out_clears_the_queue_and_filter(redis_url: str) -> None:
    first, second = worker(redis_url), worker(redis_url)
    first.enqueue_request(Request("https://lecourrier.vn/a-b/3.html"))
    server = redis.Redis.from_url(redis_url)
    crawl = keys(first.crawler.settings, "outlet")
    first.close("finished")
    assert server.exists(crawl["queue"], crawl["dupefilter"]) == 2  # the other still works
    second.close("finished")
    assert server.exists(crawl["queue"], crawl["dupefilter"], crawl["workers"]) == 0


def test_equal_priorities_come_out_newest_first_and_higher_priorities_before(
    redis_url: str,
) -> None:
    first, second = worker(redis_url), worker(redis_url)
    try:
        first.enqueue_request(Request("https://lecourrier.vn/a-b/10.html"))
        second.enqueue_request(Request("https://lecourrier.vn/a-b/11.html"))
        first.enqueue_request(Request("https://lecourrier.vn/international/74.cvn?page=2"))
        second.enqueue_request(Request("https://lecourrier.vn/a-b/12.html", priority=1))
        popped = [second.next_request().url for _ in range(4)]
        assert popped == [
            "https://lecourrier.vn/a-b/12.html",
            "https://lecourrier.vn/international/74.cvn?page=2",
            "https://lecourrier.vn/a-b/11.html",
            "https://lecourrier.vn/a-b/10.html",
        ]
        assert first.next_request() is None
    finally:
        first.close("finished")
        second.close("finished")


def downloader(slots: dict[str, tuple[int, int]]) -> SimpleNamespace:
    """A stand-in for a worker's engine: per slot, (requests downloading, requests waiting)."""
    active: list[object] = []
    built = {}
    for name, (transferring, waiting) in slots.items():
        moving = {object() for _ in range(transferring)}
        active += [*moving, *(object() for _ in range(waiting))]
        built[name] = SimpleNamespace(transferring=moving)
    return SimpleNamespace(downloader=SimpleNamespace(active=active, slots=built))


@pytest.mark.parametrize(
    ("slots", "takes"),
    [
        ({}, True),  # nothing in hand
        ({"lecourrier.vn": (1, 0)}, True),  # downloading one: the next may wait its turn
        ({"lecourrier.vn": (1, 1)}, False),  # one already waits: leave the rest to others
        ({"lecourrier.vn": (1, 1), "leplacentin.fr": (0, 0)}, True),  # a slot is free
        ({"lecourrier.vn": (1, 1), "leplacentin.fr": (1, 1)}, False),
    ],
)
def test_a_worker_takes_no_more_than_it_can_start_soon(
    redis_url: str, slots: dict[str, tuple[int, int]], takes: bool
) -> None:
    busy, other = worker(redis_url), worker(redis_url)
    try:
        for n in range(3):
            busy.enqueue_request(Request(f"https://lecourrier.vn/a-b/{n}.html"))
        busy.crawler.engine = downloader(slots)  # type: ignore[assignment]
        assert (busy.next_request() is not None) is takes
        assert other.next_request() is not None  # what it left, a free worker takes
    finally:
        busy.close("finished")
        other.close("finished")


class Robots(RobotsTxtMiddleware):
    """A robots.txt middleware that notes which hosts it was asked to read."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def robot_parser(self, request: Request) -> Any:  # type: ignore[override]
        self.asked.append(request.url)
        return succeed(None)


def test_a_worker_whose_seed_another_took_reads_that_hosts_robots_txt_at_once(
    redis_url: str,
) -> None:
    first, second = worker(redis_url), worker(redis_url)
    robots = {scheduler: Robots() for scheduler in (first, second)}
    for scheduler, middleware in robots.items():
        engine = downloader({})
        engine.downloader.middleware = SimpleNamespace(middlewares=[middleware])
        scheduler.crawler.engine = engine  # type: ignore[assignment]
    try:
        for scheduler in (first, second):
            seed = Request("https://lecourrier.vn/international/74.cvn", dont_filter=True)
            seed.meta["is_start_request"] = True
            scheduler.enqueue_request(seed)
        # The first fetches the seed (robots.txt first, as Scrapy does); the second's
        # politeness clock starts now, not when the seed's links reach the queue.
        assert robots[first].asked == []
        assert robots[second].asked == ["https://lecourrier.vn/international/74.cvn"]
        # A link another worker queued first is no reason to read anything, nor is a local
        # seed: it has no robots.txt.
        for scheduler in (first, second):
            scheduler.enqueue_request(Request("https://leplacentin.fr/a-b/1.html"))
            local = Request("file:///srv/pages/1.html", dont_filter=True)
            local.meta["is_start_request"] = True
            scheduler.enqueue_request(local)
        assert robots[first].asked == []
        assert robots[second].asked == ["https://lecourrier.vn/international/74.cvn"]
    finally:
        first.close("finished")
        second.close("finished")
