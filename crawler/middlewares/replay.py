"""Answers every http(s) request from saved pages when ``REPLAY_FROM`` is set.

It sits last before the downloader, so every other middleware (robots.txt, redirects,
retries, the guard) sees a replayed response exactly as it would see a live one. A URL with
no saved page is a counted miss and is never fetched. A response replayed from a WARC
record names that record in ``request.meta`` (as live capture does), so the item still
traces back to the exact bytes it came from.
"""

from __future__ import annotations

import logging
from urllib.parse import urlparse

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.statscollectors import StatsCollector

from crawler.archive.location import META_KEY
from crawler.replay import ReplaySource, open_source

logger = logging.getLogger(__name__)


class ReplayMiddleware:
    def __init__(self, source: ReplaySource, stats: StatsCollector) -> None:
        self.source = source
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        path = crawler.settings.get("REPLAY_FROM")
        if not path:
            raise NotConfigured
        source = open_source(path, crawler.settings.get("WIRETRACE_REPLAY_INDEX_DIR") or None)
        logger.info(
            "replay: %d saved responses from %s; no request goes to the network", len(source), path
        )
        return cls(source, crawler.stats)

    def process_request(self, request: Request) -> Response | None:
        if urlparse(request.url).scheme not in {"http", "https"}:
            return None  # file:// and data: never touch the network
        saved = self.source.get(request.url)
        # A redirect's request inherits the meta of the one before: never its record.
        request.meta.pop(META_KEY, None)
        if saved is not None and saved.location is not None:
            request.meta[META_KEY] = saved.location.as_meta()
        if saved is None:
            self.stats.inc_value("wiretrace/replay/misses")
            if urlparse(request.url).path == "/robots.txt":
                # No saved robots.txt: treat as absent, as a live site without one would be.
                return Response(url=request.url, status=404, request=request, flags=["replayed"])
            logger.info("replay miss: no saved page for %s (not fetched)", request.url)
            raise IgnoreRequest(f"replay miss: {request.url}")
        self.stats.inc_value("wiretrace/replay/hits")
        body = saved.body()
        headers = Headers(saved.headers)
        respcls = responsetypes.from_args(headers=headers, url=saved.url, body=body)
        return respcls(
            url=request.url,
            status=saved.status,
            headers=headers,
            body=body,
            request=request,
            flags=["replayed"],
        )
