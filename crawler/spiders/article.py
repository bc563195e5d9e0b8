"""The generic spider: any outlet, given URLs; trafilatura and common page metadata only."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tldextract
from scrapy.http import Response, TextResponse

from crawler.extract import PageQuery
from crawler.spiders.base import OutletSpider, page_tree, read_url_list, seeds_dir, split_urls


@cache
def _suffixes() -> tldextract.TLDExtract:
    # The suffix list bundled with tldextract: looking it up online would be a network call
    # in the middle of an offline replay.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url: str) -> str | None:
    """``https://www.vietnam.vn/fr/x`` → ``vietnam.vn``; None for file:// URLs.

    A host under no public suffix (the reserved ``.example``, ``.test``, ``.invalid``,
    ``localhost``, an intranet name) has no registered domain to find, so the outlet is
    named by the host itself, without a leading ``www.``: pages on two such hosts must not
    end up as one outlet, nor as none.
    """
    parts = _suffixes()(url)
    if parts.top_domain_under_public_suffix:
        return parts.top_domain_under_public_suffix
    split = urlsplit(url)
    if split.scheme not in ("http", "https"):
        return None
    host = (split.hostname or "").rstrip(".")
    return host.removeprefix("www.") or None


class ArticleSpider(OutletSpider):
    """Scrapes the given pages as articles: ``-a urls=u1,u2`` or ``-a url_file=FILE``.

    http, https and file:// URLs. Without either argument it reads ``seeds/article.txt``.
    It does not follow links: each given URL is a page to read, not a site to crawl.
    """

    name = "article"
    profile_name = "generic"

    def __init__(
        self, *args: Any, urls: str | None = None, url_file: str | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("follow", False)
        super().__init__(*args, **kwargs)
        self._urls = split_urls(urls)
        self._url_file = Path(url_file) if url_file else None

    def start_url_list(self) -> list[str]:
        if self._urls or self._start_override:
            return self._urls + self._start_override
        path = self._url_file or seeds_dir(self.settings.get("WIRETRACE_SEEDS_DIR")) / "article.txt"
        if not path.is_file():
            raise FileNotFoundError(
                f"article: no URL list at {path}; pass -a urls=... or -a url_file=..."
            )
        return read_url_list(path)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        # Every page handed over is an article candidate, marked up as one or not: the
        # extract pipeline skips it only when its main text holds no article text.
        yield self.article_item(response, PageQuery(page_tree(response)))

    def outlet_of(self, response: TextResponse, page: PageQuery) -> str:
        """The site's registered domain, from the canonical URL when the page states one."""
        for candidate in (
            *page.select("link[rel=canonical]::attr(href)")[:1],
            *page.select("meta[property='og:url']::attr(content)")[:1],
            response.url,
        ):
            if candidate and candidate.startswith(("http://", "https://")):
                domain = registered_domain(response.urljoin(candidate))
                if domain:
                    return domain
        return "local"
