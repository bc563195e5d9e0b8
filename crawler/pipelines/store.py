"""Last step: the article goes to the store in one transaction, then the page is let go."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler.schedule import RevisitPolicy
from crawler.storage import Store, open_store


class StorePipeline:
    def __init__(
        self, target: str, stats: StatsCollector, policy: RevisitPolicy | None = None
    ) -> None:
        self.target = target
        self.stats = stats
        self.policy = policy
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        target = crawler.settings.get("WIRETRACE_DB")
        if not target:
            raise NotConfigured("WIRETRACE_DB is empty: articles go to feeds only")
        return cls(target, crawler.stats, RevisitPolicy.from_settings(crawler.settings))

    def open_spider(self) -> None:
        self.store = open_store(self.target, policy=self.policy)

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: Any) -> Any:
        assert self.store is not None, "store used before the spider opened"
        adapter = ItemAdapter(item)
        adapter["page"] = None  # the parsed page is not needed past this point
        result = self.store.save_article(item)
        self.stats.inc_value(f"wiretrace/store/{result.status.value}")
        return item
