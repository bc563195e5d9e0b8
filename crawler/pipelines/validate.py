"""First gate: an item reaches extraction only with a parsed page and its fetch record."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler.pages import page_of
from crawler.skips import record_skip


class ValidatePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        page = page_of(item)
        missing = [name for name in ("url", "outlet", "fetch") if not adapter.get(name)]
        if page is None or page.tree is None:
            missing.append("page")
        if missing:
            url = adapter.get("url") or "<no url>"
            record_skip(self.stats, "invalid_item", url, f"missing {', '.join(missing)}")
            raise DropItem(f"invalid item from {url}: missing {', '.join(missing)}")
        return item
