"""Keeps every byte a live crawl fetches in WARC files (``WIRETRACE_WARC_DIR``).

It sits next to the downloader (960, above HttpCompression's 590 and the redirect and
retry middlewares), so it sees each response as it came off the wire: still compressed,
and every redirect, error page, retried attempt and robots.txt on its own. The record's
place goes into ``request.meta`` for the spider's ``fetch_record``. The writing itself is
``crawler.archive.writer``; this only translates Scrapy objects and counts. In a running
crawl each record is written (and fsync'd) on a thread of its own per spider
(``crawler.writer_thread``) while the response waits for it: the fsync no longer holds up
the reactor, and a response still goes on only once its record is on disk.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from importlib.metadata import version
from pathlib import Path
from typing import Any

import scrapy
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

from crawler import __version__
from crawler.archive.location import META_KEY, WarcLocation
from crawler.archive.records import HttpExchange
from crawler.archive.writer import RotatingWarcWriter, warcinfo
from crawler.writer_thread import WriterThread, reactor_running

logger = logging.getLogger(__name__)

#: Responses whose bytes were not fetched from the network just now.
_NOT_FETCHED = {"replayed", "cached"}
_PROTOCOLS = {"h2": "HTTP/2"}


def exchange_from(request: Request, response: Response) -> HttpExchange:
    """The exchange as Scrapy holds it: the request with every header the middlewares set
    (the HTTP client adds only ``Host`` and connection handling), the response as received."""
    protocol = response.protocol or "HTTP/1.1"
    return HttpExchange(
        url=response.url,
        status=response.status,
        response_headers=[(k, v) for k, values in response.headers.items() for v in values],
        body=response.body,
        method=request.method,
        request_headers=[(k, v) for k, values in request.headers.items() for v in values],
        request_body=request.body,
        protocol=_PROTOCOLS.get(protocol, protocol),
        ip_address=str(response.ip_address) if response.ip_address else None,
        # Scrapy flags a body that ended before its announced length (connection lost).
        truncated="disconnect" if "dataloss" in response.flags else None,
    )


class WarcCapture:
    def __init__(self, crawler: Crawler, writer: RotatingWarcWriter, stats: StatsCollector):
        self.crawler = crawler
        self.writer = writer
        self.stats = stats
        self._thread: WriterThread | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCapture:
        settings = crawler.settings
        directory = settings.get("WIRETRACE_WARC_DIR")
        if not directory or settings.get("REPLAY_FROM"):
            raise NotConfigured  # replay fetches nothing, so it archives nothing
        libraries = f"Scrapy {scrapy.__version__}, warcio {version('warcio')}"
        info = warcinfo(
            software=f"wiretrace/{__version__} ({libraries})",
            robots="obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            user_agent=settings.get("USER_AGENT"),
            is_part_of=crawler.spidercls.name,
        )
        writer = RotatingWarcWriter(
            Path(directory), info=info, max_bytes=settings.getint("WIRETRACE_WARC_MAX_BYTES")
        )
        middleware = cls(crawler, writer, crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> None:
        # A redirect's request is a copy of the one before, meta included: drop the record
        # of the response that redirected, this request's own response will get its own.
        request.meta.pop(META_KEY, None)

    def process_response(
        self, request: Request, response: Response
    ) -> Response | Coroutine[Any, Any, Response]:
        if _NOT_FETCHED & set(response.flags):
            return response
        if urlparse_cached(response).scheme not in {"http", "https"}:
            return response  # file:// and data: are read locally, not fetched
        exchange = exchange_from(request, response)
        if self._thread is None and reactor_running():
            self._thread = WriterThread(f"wiretrace-warc {self.crawler.spidercls.name}")
        if self._thread is not None:
            return self._archive_on(self._thread, request, response, exchange)
        return self._archived(request, response, self._write(exchange))

    async def _archive_on(
        self, thread: WriterThread, request: Request, response: Response, exchange: HttpExchange
    ) -> Response:
        outcome = await maybe_deferred_to_future(thread.run(self._write, exchange))
        return self._archived(request, response, outcome)

    def _write(self, exchange: HttpExchange) -> WarcLocation | OSError:
        try:
            return self.writer.write_exchange(exchange)
        except OSError as error:
            return error

    def _archived(
        self, request: Request, response: Response, outcome: WarcLocation | OSError
    ) -> Response:
        """The record's place in ``request.meta``; a failed write stops the crawl."""
        if isinstance(outcome, OSError):
            error = outcome
            # The archive is the point: with the disk full or gone, stop rather than crawl
            # pages that no item could trace back to.
            self.stats.inc_value("wiretrace/warc/errors")
            logger.error("WARC write failed for %s: %s; closing the crawl", response.url, error)
            self._update_stats()
            self.stop_crawl()
            raise IgnoreRequest(f"not archived: {response.url}") from error
        request.meta[META_KEY] = outcome.as_meta()
        self._update_stats()
        return response

    def stop_crawl(self) -> None:
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_error"))

    def _update_stats(self) -> None:
        self.stats.set_value("wiretrace/warc/records", self.writer.records)
        self.stats.set_value("wiretrace/warc/bytes", self.writer.bytes)
        self.stats.set_value("wiretrace/warc/files", self.writer.files)
        self.stats.set_value("wiretrace/warc/revisits", self.writer.revisit_count)

    def spider_closed(self) -> None:
        if self._thread is not None:
            self._thread.stop()  # what is queued is written first
            self._thread = None
        self.writer.close()
