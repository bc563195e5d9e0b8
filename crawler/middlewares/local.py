"""Local input at local speed: ``file://`` and ``data:`` requests skip what exists to spare
a web server.

A politeness delay (``DOWNLOAD_DELAY``, AutoThrottle's start delay), robots.txt and retries
protect remote sites and ride out network trouble; none of that applies to a file on this
machine, and with them a folder of saved pages waits out a delay per page and a missing file
is retried as if a server were down.
Local requests go to a download slot of their own (``LOCAL_SLOT``, configured without delay
by ``crawler.addons.LocalInputAddon``) and are never retried; a file that cannot be read is
one log line and a counted skip, not a traceback.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import StatsCollector
from w3lib.url import file_uri_to_path

from crawler.skips import record_skip
from crawler.urls import is_local

#: The download slot of local requests (see ``DOWNLOAD_SLOTS``).
LOCAL_SLOT = "wiretrace-local"
#: What each local request carries so Scrapy's own components leave it alone.
LOCAL_META = {
    "download_slot": LOCAL_SLOT,
    "dont_retry": True,
    "dont_obey_robotstxt": True,
    "autothrottle_dont_adjust_delay": True,
}


class LocalInputMiddleware:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LocalInputMiddleware:
        return cls(crawler.stats)

    def process_request(self, request: Request) -> None:
        if is_local(request.url):
            request.meta.update(LOCAL_META)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not is_local(request.url) or not isinstance(exception, OSError | ValueError):
            return
        if request.url.startswith("file:") and isinstance(exception, FileNotFoundError):
            reason, detail = "local_file_missing", f"no file at {file_uri_to_path(request.url)}"
        elif request.url.startswith("file:"):
            reason, detail = "local_file_unreadable", f"{type(exception).__name__}: {exception}"
        else:
            reason, detail = "bad_data_url", str(exception)
        record_skip(self.stats, reason, request.url, detail)
        raise IgnoreRequest(f"{reason}: {request.url}")
