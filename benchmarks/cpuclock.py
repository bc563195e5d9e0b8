"""A crawl's CPU time from spider open to close, as the stat ``cpu_time_seconds``.

For benchmarks that compare a crawl with another program on a shared machine: wall time
counts the time other processes took the CPU, which moves from one run to the next, and
CPU time of the process itself does much less. Loaded by the benchmark alone (through
``-s EXTENSIONS=...``), before the stats file is written (``crawler.extensions.statsfile``).
"""

from __future__ import annotations

import json
import time

from scrapy import signals
from scrapy.crawler import Crawler

from crawler import settings

STAT = "cpu_time_seconds"


class CpuClock:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CpuClock:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self) -> None:
        self.started = time.process_time()

    def spider_closed(self) -> None:
        self.crawler.stats.set_value(STAT, time.process_time() - self.started)


def extensions_setting() -> str:
    """The project's EXTENSIONS with this one added (before the stats file), for ``-s``."""
    extensions = dict(settings.EXTENSIONS)
    extensions[f"{__name__}.CpuClock"] = 400
    return json.dumps(extensions)
