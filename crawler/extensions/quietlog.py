"""One line, not a traceback, for a robots.txt that could not be downloaded.

Scrapy's robots.txt middleware logs such an error with the whole exception chain (twenty
lines of Twisted for a refused connection), though its message already says what failed;
with no network, that was the first thing a cron mail showed. The line is kept, the
traceback dropped. The crawl's outcome (``crawler.extensions.outcome``) still says whether
the job failed.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"


class _NoTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Error downloading"):
            record.exc_info = None
            record.exc_text = None
        return True


class QuietDownloadErrors:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietDownloadErrors:
        logger = logging.getLogger(ROBOTS_LOGGER)
        if not any(isinstance(f, _NoTraceback) for f in logger.filters):
            logger.addFilter(_NoTraceback())
        return cls()
