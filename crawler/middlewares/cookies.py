"""Scrapy's cookie middleware with the public suffix list tldextract ships, never fetched.

Scrapy's ``CookiesMiddleware`` asks a module-level ``TLDExtract()`` whether a cookie's
domain is a public suffix; on its first call that object downloads the list from
publicsuffix.org (and caches it in the user's home). A crawl of local files or of a test
server on 127.0.0.1 would then touch the internet, and a firewalled deployment would wait
for the fetch to time out. The bundled snapshot answers the same question offline; it is as
old as the installed tldextract, which only matters for suffixes added since.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from http.cookiejar import Cookie

import tldextract
from scrapy import Request
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.http.cookies import CookieJar
from scrapy.utils.httpobj import urlparse_cached


@cache
def offline_suffixes() -> tldextract.TLDExtract:
    """The snapshot's suffixes, private ones included as Scrapy asks (``github.io``)."""
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


def is_public_domain(domain: str) -> bool:
    """Whether ``domain`` is a public suffix (``co.uk``), on which no site may set a cookie."""
    return not offline_suffixes()(domain).domain


class OfflineCookiesMiddleware(CookiesMiddleware):
    """``CookiesMiddleware`` (same settings, same jars) with :func:`is_public_domain`."""

    def _process_cookies(
        self, cookies: Iterable[Cookie], *, jar: CookieJar, request: Request
    ) -> None:
        # Scrapy's loop, with the offline suffix test in place of its module-level one.
        for cookie in cookies:
            cookie_domain = cookie.domain.removeprefix(".")
            hostname = urlparse_cached(request).hostname
            if hostname is None:
                continue
            request_domain = hostname.lower()
            if cookie_domain and is_public_domain(cookie_domain):
                if cookie_domain != request_domain:
                    continue
                cookie.domain = request_domain
            jar.set_cookie_if_ok(cookie, request)
