"""Point a spider at another server without changing one URL it sees.

``WIRETRACE_HOST_MAP`` maps an outlet's host to a base URL, e.g.
``-s 'WIRETRACE_HOST_MAP={"lecourrier.vn": "http://127.0.0.1:8080"}'``. A request for a
mapped host is downloaded from that base (same path and query) with the outlet's host in the
``Host`` header, and its response comes back under the ORIGINAL URL and request. Everything
above the download handler (spiders, profiles, offsite filtering, the dupefilter, redirects,
robots.txt, AutoThrottle's per-host slots, storage) therefore keeps seeing the outlet's real
URLs: a crawl against a local test server or a mirror is the production crawl, byte for byte,
except for where the bytes came from.

Why a download handler and not a downloader middleware: a middleware that rewrote URLs would
be seen (and undone, or recorded) by the redirect, robots and retry middlewares; the handler
sits below all of them, like DNS.

Keys are exact host names (case-insensitive): ``lecourrier.vn`` does not cover
``www.lecourrier.vn``; map both when both are crawled. With an empty map the handler is
Scrapy's own HTTP/1.1 handler, unchanged. ``WIRETRACE_HOST_MAP_STRICT = True`` refuses every
request for a host that is not mapped (the test suite uses it so that no test can reach the
internet by accident).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: Request meta the stock handler writes on the request it downloads, which is our copy:
#: copied back so AutoThrottle and the stats see them on the request the crawl knows.
_META_BACK = ("download_latency",)


class HostMap:
    """Host name → base URL, as given by ``WIRETRACE_HOST_MAP``; validated once at start."""

    def __init__(self, mapping: Mapping[str, str] | None = None) -> None:
        self._bases: dict[str, tuple[str, str, str]] = {}
        for host, base in (mapping or {}).items():
            parts = urlsplit(str(base))
            if parts.scheme not in {"http", "https"} or not parts.netloc:
                raise ValueError(
                    f"WIRETRACE_HOST_MAP: {host!r} maps to {base!r}, not http(s)://host[:port]"
                )
            if parts.query or parts.fragment:
                raise ValueError(f"WIRETRACE_HOST_MAP: {base!r} must not have a query or fragment")
            self._bases[str(host).strip().lower()] = (
                parts.scheme,
                parts.netloc,
                parts.path.rstrip("/"),
            )

    def __bool__(self) -> bool:
        return bool(self._bases)

    def __contains__(self, host: object) -> bool:
        return isinstance(host, str) and host.lower() in self._bases

    def describe(self) -> str:
        """One line for the log: which hosts go where."""
        return ", ".join(
            f"{host} → {urlunsplit((scheme, netloc, path, '', ''))}"
            for host, (scheme, netloc, path) in sorted(self._bases.items())
        )

    def target(self, url: str) -> str | None:
        """The URL to download ``url`` from, or None when its host is not mapped.

        Path and query are kept as they are (already percent-encoded by Scrapy); the fragment
        is dropped, as it never goes on the wire. A base with a path (``http://h/mirror``) is a
        prefix: ``https://outlet/a?b`` → ``http://h/mirror/a?b``.
        """
        parts = urlsplit(url)
        base = self._bases.get((parts.hostname or "").lower())
        if base is None:
            return None
        scheme, netloc, prefix = base
        return urlunsplit((scheme, netloc, prefix + (parts.path or "/"), parts.query, ""))


def host_header(url: str) -> str:
    """The ``Host`` header for ``url``: its host, and its port unless the scheme's default."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host if port is None or port == default else f"{host}:{port}"


class HostMapDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, downloading mapped hosts from the base they are mapped to."""

    #: Crawlers whose map was already logged: http and https each get a handler instance.
    _logged: ClassVar[weakref.WeakSet[Any]] = weakref.WeakSet()

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.host_map = HostMap(crawler.settings.getdict("WIRETRACE_HOST_MAP"))
        self.strict = crawler.settings.getbool("WIRETRACE_HOST_MAP_STRICT")
        self.stats = crawler.stats
        if (self.host_map or self.strict) and crawler not in self._logged:
            self._logged.add(crawler)
            logger.info(
                "host map: downloading %s%s",
                self.host_map.describe() or "no host",
                "; every other host is refused" if self.strict else "",
            )

    async def download_request(self, request: Request) -> Response:
        if not self.host_map and not self.strict:  # the default: Scrapy's handler, as is
            return await super().download_request(request)
        target = self.host_map.target(request.url)
        if target is None:
            if self.strict:
                if self.stats is not None:
                    self.stats.inc_value("wiretrace/host_map/refused")
                logger.warning("host map: %s is not mapped; refused (strict)", request.url)
                raise IgnoreRequest(f"host not in WIRETRACE_HOST_MAP: {request.url}")
            return await super().download_request(request)
        mapped = request.replace(url=target)
        if b"Host" not in mapped.headers:
            # What the request to the outlet itself would carry: virtual hosts answer by it.
            mapped.headers[b"Host"] = host_header(request.url)
        try:
            response = await super().download_request(mapped)
        finally:
            for key in _META_BACK:
                if key in mapped.meta:
                    request.meta[key] = mapped.meta[key]
        if self.stats is not None:
            self.stats.inc_value("wiretrace/host_map/mapped")
        return response.replace(url=request.url, request=request)
