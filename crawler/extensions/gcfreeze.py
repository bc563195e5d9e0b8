"""Keeps Python's cyclic garbage collector off the objects a crawl builds once, and less
often busy with the ones it builds per page.

When the engine starts, the process already holds about a hundred thousand long-lived
objects (Scrapy, lxml and trafilatura modules, the agency registry and its compiled
patterns, the outlet profiles, the replay index), and every full collection walked all of
them again. ``gc.freeze()`` moves them out of the collector's sight, Python's documented
remedy for long-running processes. Each page then makes thousands of short-lived objects,
so a first-generation threshold of 700 allocations (Python's default) meant a collection
every few pages; ``WIRETRACE_GC_THRESHOLD`` (10,000) spaces them out. Together they leave
the collector only the objects a page makes, seldom. Objects the crawl makes are collected
as before. ``WIRETRACE_GC_FREEZE = False`` switches this off; a threshold of 0 leaves
Python's own.
"""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector


class GcFreeze:
    def __init__(self, stats: StatsCollector, threshold: int) -> None:
        if threshold < 0:
            raise ValueError(f"WIRETRACE_GC_THRESHOLD must be >= 0, got {threshold}")
        self.stats = stats
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcFreeze:
        settings = crawler.settings
        if not settings.getbool("WIRETRACE_GC_FREEZE", True):
            raise NotConfigured("WIRETRACE_GC_FREEZE is off")
        ext = cls(crawler.stats, settings.getint("WIRETRACE_GC_THRESHOLD", 10_000))
        # After the spider is open (pipelines, middlewares and the replay index built).
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def engine_started(self) -> None:
        # No collection first: it took longer than the frozen garbage (import-time cycles)
        # is worth, and it would run inside the crawl's own time.
        gc.freeze()
        if self.threshold:
            _, older, oldest = gc.get_threshold()
            gc.set_threshold(self.threshold, older, oldest)

    def spider_closed(self) -> None:
        # Counting walks every frozen object (about 10 ms per 100,000), so it is done once the
        # crawl's work is over; frozen objects the crawl freed are no longer counted.
        self.stats.set_value("wiretrace/gc_frozen_objects", gc.get_freeze_count())
