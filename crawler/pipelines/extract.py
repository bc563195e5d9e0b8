"""Fills the article fields from the page the spider parsed (see crawler.extract)."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler.extract import extract_article
from crawler.profile import Profile, load_profile
from crawler.skips import record_skip


class ExtractPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        # Scrapy leaves the root logger at NOTSET and filters in its handler, so each of
        # trafilatura's debug messages (about 20 a page on real pages) built a record only
        # to be dropped: its logger now stops at the crawl's own LOG_LEVEL.
        logging.getLogger("trafilatura").setLevel(crawler.settings.get("LOG_LEVEL", "DEBUG"))
        return cls(crawler)

    @property
    def stats(self) -> StatsCollector:
        return self.crawler.stats

    def profile(self) -> Profile:
        spider = self.crawler.spider
        return getattr(spider, "profile", None) or load_profile("generic")

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if not extract_fields(item, self.profile()):
            record_skip(
                self.stats, "no_article_body", adapter["url"], "trafilatura found no main text"
            )
            adapter["page"] = None
            raise DropItem(f"no article body: {adapter['url']}")
        return item


def extract_fields(item: Any, profile: Profile) -> bool:
    """Fills the item's article fields and page evidence from its ``page``; False when the
    page has no main text. The one place a page is read: ``crawler.analyze`` calls it too."""
    adapter = ItemAdapter(item)
    page = adapter["page"]
    found = extract_article(
        page.query or page.tree,
        adapter["url"],
        profile,
        declared_language=page.content_language,
    )
    adapter["title"] = found.title
    adapter["published"] = found.published
    adapter["authors"] = found.authors
    adapter["language"] = found.language
    adapter["canonical_url"] = found.canonical_url
    adapter["text"] = found.text
    ItemAdapter(adapter["provenance"])["evidence"] = found.evidence
    return bool(found.text)
