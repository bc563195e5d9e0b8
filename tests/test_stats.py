"""The crawl's stats collector keeps exactly what Scrapy's in-memory collector keeps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector, StatsCollector
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler import settings
from crawler.stats import MemoryStats

Step = Callable[[StatsCollector], Any]

STEPS: list[Step] = [
    lambda s: s.inc_value("downloader/request_count"),
    lambda s: s.inc_value("downloader/request_count"),
    lambda s: s.inc_value("downloader/response_bytes", 5120),
    lambda s: s.inc_value("wiretrace/store/new", 1, start=10),
    lambda s: s.set_value("start_time", "2026-11-27"),
    lambda s: s.max_value("request_depth_max", 2),
    lambda s: s.max_value("request_depth_max", 1),
    lambda s: s.min_value("fastest", 3.5),
    lambda s: s.min_value("fastest", 1.25),
    lambda s: s.get_value("downloader/request_count"),
    lambda s: s.get_value("missing", "default"),
    lambda s: s.set_stats({**s.get_stats(), "replaced": True}),
    lambda s: s.inc_value("replaced/count"),
]


def run(collector_class: type[StatsCollector]) -> tuple[list[Any], dict[str, Any], Any]:
    collector = collector_class(get_crawler())
    collector.open_spider()
    answers = [step(collector) for step in STEPS]
    kept = dict(collector.get_stats())
    collector.close_spider(reason="finished")
    return answers, kept, getattr(collector, "spider_stats", None)


def test_same_answers_and_counts_as_scrapys_collector() -> None:
    assert run(MemoryStats) == run(MemoryStatsCollector)


def test_the_deprecated_spider_argument_is_still_accepted() -> None:
    stats = MemoryStats(get_crawler())
    stats.open_spider()
    stats.inc_value("pages", spider=object())
    assert stats.get_value("pages") == 1


def test_crawls_use_it() -> None:
    assert load_object(settings.STATS_CLASS) is MemoryStats
    assert (
        get_crawler(settings_dict={"STATS_CLASS": settings.STATS_CLASS}).stats.__class__
        is MemoryStats
    )
