"""The generic spider: any outlet, given URLs; trafilatura and common page metadata only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scrapy.http import Response, TextResponse

from crawler import publisher
from crawler.extract import PageQuery
from crawler.publisher import publisher_of, registered_domain
from crawler.spiders.base import OutletSpider, page_tree, read_url_list, seeds_dir, split_urls
from crawler.urls import url_problem

# ``registered_domain`` moved to crawler.publisher; importers of it from here keep working.
__all__ = ["ArticleSpider", "registered_domain"]

REFUSED = "wiretrace/start_urls_refused"
#: A comma that starts another URL (a scheme follows): a comma inside a URL
#: (``data:text/html,<p>``, ``/a,b``) stays in it.
_URL_SEPARATOR = re.compile(r",(?=\s*[A-Za-z][A-Za-z0-9+.-]*:)")


class ArticleSpider(OutletSpider):
    """Scrapes the given pages as articles: ``-a urls=u1,u2`` or ``-a url_file=FILE``.

    http, https, file:// and data: URLs; any other is refused with one error line and the
    rest still run. Without either argument it reads ``seeds/article.txt``. It does not
    follow links: each given URL is a page to read, not a site to crawl.
    """

    name = "article"
    profile_name = "generic"

    def __init__(
        self, *args: Any, urls: str | None = None, url_file: str | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("follow", False)
        super().__init__(*args, **kwargs)
        self._urls = split_urls(_URL_SEPARATOR.split(urls) if urls else None)
        self._url_file = Path(url_file) if url_file else None
        publisher.prepare()  # every page is named by its site (``outlet_of``)

    def start_url_list(self) -> list[str]:
        if self._urls or self._start_override:
            return self.accepted(self._urls + self._start_override, "-a urls")
        path = self._url_file or seeds_dir(self.settings.get("WIRETRACE_SEEDS_DIR")) / "article.txt"
        if not path.is_file():
            raise FileNotFoundError(
                f"article: no URL list at {path}; pass -a urls=... or -a url_file=..."
            )
        return self.accepted(read_url_list(path), str(path))

    def accepted(self, urls: list[str], source: str) -> list[str]:
        """The URLs a crawl can fetch; each other one is an error line of its own and is
        counted (``wiretrace/start_urls_refused``), and the rest still run."""
        good = []
        for url in urls:
            problem = url_problem(url)
            if problem is None:
                good.append(url)
                continue
            self.logger.error("refused start URL %r from %s: %s", url, source, problem)
            self.crawler.stats.inc_value(REFUSED)
        if urls and not good:
            self.logger.error("nothing to crawl: none of the %d URLs from %s", len(urls), source)
        return good

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        # Every page handed over is an article candidate, marked up as one or not: the
        # extract pipeline skips it only when its main text holds no article text.
        yield self.article_item(response, PageQuery(page_tree(response)))

    def outlet_of(self, response: TextResponse, page: PageQuery) -> str:
        """The registry id of the site (``lecourrier.vn`` → ``cvn``), else its registered
        domain; a saved page with no web address is named from its canonical URL."""
        canonical = (
            response.urljoin(href)
            for css in ("link[rel=canonical]::attr(href)", "meta[property='og:url']::attr(content)")
            for href in page.select(css)[:1]
        )
        return publisher_of(response.url, canonical) or "local"
