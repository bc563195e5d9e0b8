"""Writes the crawl's stats as JSON when it closes (``WIRETRACE_STATS_FILE``), for cron
jobs, dashboards and tests that read a crawl's outcome without parsing its log.

``%(name)s`` in the path is the spider's name, as in feed URIs, so ``scrapy crawlall``
writes one file per spider."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


class StatsFile:
    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsFile:
        path = crawler.settings.get("WIRETRACE_STATS_FILE")
        if not path:
            raise NotConfigured
        ext = cls(crawler, Path(str(path) % {"name": crawler.spidercls.name}))
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, reason: str) -> None:
        stats = {k: _jsonable(v) for k, v in self.crawler.stats.get_stats().items()}
        stats["finish_reason"] = reason
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(stats, indent=2, sort_keys=True), encoding="utf-8")
