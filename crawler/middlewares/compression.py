"""Scrapy's decompression, with a page that decompresses past ``DOWNLOAD_MAXSIZE`` counted.

Scrapy stops decompressing a body once it grows past ``DOWNLOAD_MAXSIZE`` (a gzip bomb of
1 MB that would inflate to 1 GB is stopped at that size, never held whole), but it raises
``IgnoreRequest`` from ``process_response``, which no other middleware's
``process_exception`` sees: the page vanished uncounted. This keeps Scrapy's behaviour and
adds the one log line and the ``wiretrace/pages_skipped/too_large`` stat.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.skips import record_skip


class CountedDecompression(HttpCompressionMiddleware):
    def process_response(  # type: ignore[override]  # Scrapy's own signature takes spider
        self, request: Request, response: Response
    ) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as error:
            record_skip(self.stats, "too_large", response.url, str(error))
            raise
