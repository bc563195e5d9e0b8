"""Scrapy's two log lines per page ("Crawled", "Scraped from") built only when kept.

Scrapy leaves the root logger at NOTSET and filters in its handler, so at the default
``LOG_LEVEL`` (INFO) each page's two DEBUG lines were still made into records (the caller
looked up on the stack, the record built) and then dropped: 0.1 ms a page. The engine's and
the scraper's loggers now stop at the crawl's own ``LOG_LEVEL``, as trafilatura's does
(``crawler.pipelines.extract``); at DEBUG both lines are logged as before.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

PAGE_LOGGERS = ("scrapy.core.engine", "scrapy.core.scraper")


class PageLogLevel:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageLogLevel:
        level = crawler.settings.get("LOG_LEVEL", "DEBUG")
        for name in PAGE_LOGGERS:
            logging.getLogger(name).setLevel(level)
        return cls()
