"""Logs and counts what ``page_tree`` had to repair before it could read a page.

``page_tree`` only has the response, so it notes its repairs in ``request.meta``
(``crawler.htmlrepair.REPAIRS_META``); this spider middleware reads them once the callback
has run and turns each into one log line and a ``wiretrace/<repair>`` stat.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler.htmlrepair import REPAIRS_META

logger = logging.getLogger("wiretrace")

_SAID = {
    "control_chars_removed": "%d control characters removed before parsing",
    "deep_nesting_flattened": "nested deeper than libxml2 can read: the deepest tags were "
    "dropped and their text kept (%d page)",
}


class PageRepairs:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageRepairs:
        return cls(crawler.stats)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        yield from result
        self.count(response)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            yield output
        self.count(response)

    def count(self, response: Response) -> None:
        repairs = response.meta.pop(REPAIRS_META, None) if response.request else None
        for name, count in (repairs or {}).items():
            self.stats.inc_value(f"wiretrace/{name}", count)
            logger.warning("repaired %s: " + _SAID.get(name, name + " %d"), response.url, count)
