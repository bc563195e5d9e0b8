"""Fills the article fields from the page the spider parsed (see crawler.extract), skips
pages without article text, and says at the end which profile selectors missed."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler import metadata
from crawler.bodytext import MIN_WORDS, article_words
from crawler.fallback import Reading, field_stats, missed_fields, read_article
from crawler.pages import page_of, release
from crawler.profile import Profile, load_profile
from crawler.skips import record_skip

logger = logging.getLogger(__name__)


class ExtractPipeline:
    def __init__(self, crawler: Crawler, min_words: int = MIN_WORDS) -> None:
        self.crawler = crawler
        self.min_words = min_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        # Scrapy leaves the root logger at NOTSET and filters in its handler, so each of
        # trafilatura's debug messages (about 20 a page on real pages) built a record only
        # to be dropped: its logger now stops at the crawl's own LOG_LEVEL.
        logging.getLogger("trafilatura").setLevel(crawler.settings.get("LOG_LEVEL", "DEBUG"))
        # Checked before the crawl starts (crawler.commands.preflight): one line, exit 1.
        min_words = max(0, crawler.settings.getint("WIRETRACE_MIN_WORDS", MIN_WORDS))
        return cls(crawler, min_words)

    @property
    def stats(self) -> StatsCollector:
        return self.crawler.stats

    def profile(self) -> Profile:
        spider = self.crawler.spider
        return getattr(spider, "profile", None) or load_profile("generic")

    def open_spider(self) -> None:
        metadata.prepare()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        reading = extract_fields(item, self.profile(), min_words=self.min_words)
        if reading.empty_body:
            self.skip(adapter, "no_article_body", "the profile's body container holds no text")
        words = article_words(adapter["text"])
        if words < self.min_words:
            self.skip(
                adapter,
                "not_article",
                f"no article text: {words} words of prose in the main text, "
                f"fewer than WIRETRACE_MIN_WORDS={self.min_words}",
            )
        for key in field_stats(reading):
            self.stats.inc_value(key)
        return item

    def skip(self, adapter: ItemAdapter, reason: str, detail: str) -> None:
        record_skip(self.stats, reason, adapter["url"], detail)
        release(adapter.item)
        raise DropItem(f"{reason.replace('_', ' ')}: {adapter['url']}")

    def close_spider(self) -> None:
        """A WARNING for every profile field that missed on most articles of the crawl."""
        for line in missed_fields(self.profile(), self.stats.get_stats()):
            logger.warning(line)


def extract_fields(item: Any, profile: Profile, *, min_words: int = MIN_WORDS) -> Reading:
    """Fills the item's article fields and page evidence from the page handed on with it
    (``crawler.pages``), each field the profile misses read the generic way
    (``crawler.fallback``). The one place a page is read: ``crawler.analyze`` calls it too.
    The caller decides whether the page is an article (``Reading.empty_body``, the words of
    prose in ``text``)."""
    adapter = ItemAdapter(item)
    page = page_of(item)
    assert page is not None, "no parsed page with the item (the validate pipeline drops those)"
    reading = read_article(
        page.query or page.tree,
        adapter["url"],
        profile,
        declared_language=page.content_language,
        publisher=adapter["outlet"],
        min_words=min_words,
    )
    found = reading.extraction
    adapter["title"] = found.title
    adapter["published"] = found.published
    adapter["authors"] = found.authors
    adapter["language"] = found.language
    adapter["canonical_url"] = found.canonical_url
    adapter["text"] = found.text
    adapter["fallback_fields"] = reading.fallback
    ItemAdapter(adapter["provenance"])["evidence"] = found.evidence
    return reading
