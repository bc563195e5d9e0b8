"""Turns away responses that cannot hold an article, each with one log line and a stat.

Placed after retries and redirects, it sees what the spider would see: an error status
after the last retry, an empty or binary body, a non-HTML type, a truncated page. It
repairs a wrong charset declaration instead of losing the page.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.statscollectors import StatsCollector

from crawler.charset import declared_labels, is_known, repair_encoding
from crawler.skips import record_skip

logger = logging.getLogger("wiretrace")

_HTML_END = (b"</html", b"</body")
_PAGE_TYPES = {"text/html", "application/xhtml+xml", "application/xml", "text/xml",
               "application/rss+xml", "application/atom+xml"}  # fmt: skip


def skip_reason(response: Response, *, require_end_tag: bool = True) -> tuple[str, str] | None:
    """Why this response holds no page to read, as (stat reason, detail); None if it does."""
    if not 200 <= response.status < 300:
        return f"http_{response.status}", f"HTTP status {response.status}"
    body = response.body
    if not body.strip():
        return "empty_body", f"{len(body)} bytes"
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    mime = content_type.split(";", 1)[0].strip().lower()
    # The declared type wins over the URL: Scrapy picks HtmlResponse for a PDF at a .html URL.
    if (mime and mime not in _PAGE_TYPES) or not isinstance(response, HtmlResponse | XmlResponse):
        return "not_html", f"Content-Type {content_type or 'unknown'}"
    if b"\x00" in body[:4096]:
        return "binary_body", f"NUL bytes in a {content_type or 'text'} body"
    if (
        require_end_tag
        and isinstance(response, HtmlResponse)
        and not any(tag in body[-2048:].lower() for tag in _HTML_END)
    ):
        return "truncated", "no closing </body> or </html>"
    return None


class ResponseGuard:
    def __init__(self, stats: StatsCollector, require_end_tag: bool) -> None:
        self.stats = stats
        self.require_end_tag = require_end_tag

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResponseGuard:
        return cls(
            crawler.stats,
            crawler.settings.getbool("WIRETRACE_SKIP_TRUNCATED", True),
        )

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("dont_obey_robotstxt"):
            return response  # robots.txt: the robots middleware judges it
        reason = skip_reason(response, require_end_tag=self.require_end_tag)
        if reason is not None:
            record_skip(self.stats, reason[0], response.url, reason[1])
            raise IgnoreRequest(f"{reason[0]}: {response.url}")
        if isinstance(response, TextResponse):
            return self.fix_charset(response)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest) or request.meta.get("dont_obey_robotstxt"):
            return None
        record_skip(
            self.stats, "download_error", request.url, f"{type(exception).__name__}: {exception}"
        )
        raise IgnoreRequest(f"download error: {request.url}") from exception

    def fix_charset(self, response: TextResponse) -> TextResponse:
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        labels = declared_labels(content_type, response.body)
        unknown = [label for label in labels if not is_known(label)]
        better = repair_encoding(response.body, response.encoding)
        if better is None and not unknown:
            return response
        read_as = better or response.encoding
        problem = (
            f"declared charset {unknown[0]!r} does not exist"
            if unknown
            else f"declared charset {response.encoding} does not decode the bytes"
        )
        logger.warning("charset repaired for %s: %s; read as %s", response.url, problem, read_as)
        self.stats.inc_value("wiretrace/charset_repaired")
        return response.replace(encoding=read_as) if better else response
