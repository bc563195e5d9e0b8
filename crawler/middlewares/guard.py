"""Turns away responses that cannot hold an article, each with one log line and a stat.

Placed after retries, redirects and decompression, it sees what the spider would see: an
error status after the last retry, an empty or binary body, a non-HTML type, a page larger
than ``WIRETRACE_MAX_PAGE_BYTES`` (decompressed; turned away before any tree is built), a
truncated page (no end tag, or a body cut short by the server, which Scrapy flags
``dataloss`` with ``DOWNLOAD_FAIL_ON_DATALOSS`` off so that the archive keeps it; such a
body is retried as Scrapy retries other network faults, and skipped once retries run out). It
repairs a wrong charset declaration instead of losing the page, and reads a UTF-8 page with
a few invalid bytes as UTF-8, replacing only those bytes.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.http.request import NO_CALLBACK
from scrapy.statscollectors import StatsCollector
from scrapy.utils.httpobj import urlparse_cached

from crawler.charset import (
    bom_encoding,
    declared_labels,
    decodes,
    is_known,
    is_wide,
    mostly_utf8,
    repair_encoding,
)
from crawler.skips import record_skip
from crawler.urls import is_local

logger = logging.getLogger("wiretrace")

_HTML_END = (b"</html", b"</body")
_PAGE_TYPES = {"text/html", "application/xhtml+xml", "application/xml", "text/xml",
               "application/rss+xml", "application/atom+xml"}  # fmt: skip


#: Pages larger than this (decompressed) are skipped before a tree is built: extraction
#: needs about 40 times a page's size in memory.
DEFAULT_MAX_PAGE_BYTES = 10 * 1024 * 1024


def skip_reason(
    response: Response, *, require_end_tag: bool = True, max_bytes: int = 0
) -> tuple[str, str] | None:
    """Why this response holds no page to read, as (stat reason, detail); None if it does."""
    if not 200 <= response.status < 300:
        return f"http_{response.status}", f"HTTP status {response.status}"
    body = response.body
    if not body.strip():
        return "empty_body", f"{len(body)} bytes"
    if max_bytes and len(body) > max_bytes:
        return "too_large", f"{len(body)} bytes, over WIRETRACE_MAX_PAGE_BYTES={max_bytes}"
    if "dataloss" in response.flags:
        return "truncated", "the server sent fewer bytes than it announced"
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    mime = content_type.split(";", 1)[0].strip().lower()
    # The declared type wins over the URL: Scrapy picks HtmlResponse for a PDF at a .html URL.
    if (mime and mime not in _PAGE_TYPES) or not isinstance(response, HtmlResponse | XmlResponse):
        return "not_html", f"Content-Type {content_type or 'unknown'}"
    wide = isinstance(response, TextResponse) and (
        is_wide(bom_encoding(body) or "") or is_wide(response.encoding)
    )
    if b"\x00" in body[:4096] and not wide:
        return "binary_body", f"NUL bytes in a {content_type or 'text'} body"
    if require_end_tag and isinstance(response, HtmlResponse):
        # UTF-16 and UTF-32 hold no ASCII tag bytes: look for the tag in the text.
        tail = response.text[-2048:].lower().encode() if wide else body[-2048:].lower()
        if not any(tag in tail for tag in _HTML_END):
            return "truncated", "no closing </body> or </html>"
    return None


class ResponseGuard:
    def __init__(
        self,
        stats: StatsCollector,
        require_end_tag: bool,
        max_bytes: int = DEFAULT_MAX_PAGE_BYTES,
        crawler: Crawler | None = None,
    ) -> None:
        self.stats = stats
        self.require_end_tag = require_end_tag
        self.max_bytes = max_bytes
        #: Retries a body cut short (the crawl's spider and retry settings); None: never.
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResponseGuard:
        return cls(
            crawler.stats,
            crawler.settings.getbool("WIRETRACE_SKIP_TRUNCATED", True),
            crawler.settings.getint("WIRETRACE_MAX_PAGE_BYTES", DEFAULT_MAX_PAGE_BYTES),
            crawler,
        )

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if is_robots_request(request):
            return response  # the robots middleware judges it
        reason = skip_reason(
            response, require_end_tag=self.require_end_tag, max_bytes=self.max_bytes
        )
        if reason is not None:
            if "dataloss" in response.flags and (again := self.retry_cut(request, response)):
                return again
            record_skip(self.stats, reason[0], response.url, reason[1])
            raise IgnoreRequest(f"{reason[0]}: {response.url}")
        if isinstance(response, TextResponse):
            return self.fix_charset(response)
        return response

    def retry_cut(self, request: Request, response: Response) -> Request | None:
        """The request again when the server closed before sending the whole body, as
        Scrapy retries other network faults (``RETRY_TIMES``, ``retry/reason_count/
        dataloss``); None once those are spent, and the page is skipped as truncated. The
        archive, nearer the downloader, has kept each cut body (``WARC-Truncated``)."""
        crawler = self.crawler
        if crawler is None or crawler.spider is None or request.meta.get("dont_retry"):
            return None
        if not crawler.settings.getbool("RETRY_ENABLED"):
            return None
        again = get_retry_request(
            request, spider=crawler.spider, reason="dataloss", give_up_log_level=logging.DEBUG
        )
        if again is not None:
            logger.info(
                "body cut short for %s (%d bytes of %s announced); retrying (%d of %d)",
                response.url, len(response.body),
                (response.headers.get(b"Content-Length") or b"?").decode("latin-1"),
                again.meta["retry_times"],
                request.meta.get("max_retry_times", crawler.settings.getint("RETRY_TIMES")),
            )  # fmt: skip
        return again

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest) or is_robots_request(request):
            return None
        if is_local(request.url):
            return None  # a file that cannot be read is said by crawler.middlewares.local
        record_skip(
            self.stats, "download_error", request.url, f"{type(exception).__name__}: {exception}"
        )
        raise IgnoreRequest(f"download error: {request.url}") from exception

    def fix_charset(self, response: TextResponse) -> TextResponse:
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        labels = declared_labels(content_type, response.body)
        unknown = [label for label in labels if not is_known(label)]
        if not unknown and _is_utf8(response.encoding):
            if clean_utf8(response):
                # Nearly every page: nothing to repair (a U+FFFD already in the bytes is
                # counted as a replaced byte below).
                return response
            bad = mostly_utf8(response.body)
            if bad:
                # Scrapy decodes with replacement: the page is read as it says it is.
                logger.warning(
                    "charset repaired for %s: %d bytes are not valid utf-8; read as utf-8 "
                    "with those bytes replaced (U+FFFD)", response.url, bad,
                )  # fmt: skip
                self.stats.inc_value("wiretrace/charset_repaired")
                self.stats.inc_value("wiretrace/invalid_bytes_replaced", bad)
                return response
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


#: U+FFFD in UTF-8.
_REPLACEMENT = "\ufffd".encode()


def is_robots_request(request: Request) -> bool:
    """Whether ``request`` is Scrapy's own fetch of a host's robots.txt (``RobotsTxtMiddleware``
    sends it without a callback). Its ``dont_obey_robotstxt`` meta alone does not say so: local
    input (``file:``, ``data:``) and any request a user exempts from robots.txt carry it too,
    and those are pages the guard must judge."""
    return request.callback is NO_CALLBACK and urlparse_cached(request).path == "/robots.txt"


def clean_utf8(response: TextResponse) -> bool:
    """Whether the body of a page read as UTF-8 is valid UTF-8 without a U+FFFD in it.

    Scrapy's ``response.text`` of such a page is its body (less a UTF-8 BOM) decoded as
    UTF-8 with each invalid byte replaced by U+FFFD, so the text holds no U+FFFD exactly
    when the body decodes strictly and holds none itself. The spider reads that text anyway
    (Scrapy's meta refresh check decodes it before this guard, in a default crawl), and a
    search of it, instant on an ASCII page, costs a fifth of a strict decode and a search of
    the bytes. A BOM naming another encoding would win over a declared UTF-8 in that
    decode: the bytes are checked then.
    """
    if bom_encoding(response.body) not in (None, "utf-8"):
        return decodes(response.body, "utf-8") and _REPLACEMENT not in response.body
    return "\ufffd" not in response.text


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in {"utf-8", "utf8"}
