"""What a scheduled crawl remembers from earlier runs: which articles it already has and
which are due for a revisit, so that an hourly run does bounded work.

Plain questions to a store, no Scrapy: ``crawler.middlewares.revisits`` asks them during a
crawl. New articles are always fetched; a known article is fetched again only when the
revisit policy says it is due (often while fresh, rarely as it ages, then never:
crawler.schedule).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from crawler.storage import Store


class CrawlMemory:
    def __init__(self, store: Store, limit: int | None = None) -> None:
        self.store = store
        self.limit = limit
        self.due: set[str] = set()

    def due_now(self, outlet: str) -> list[str]:
        """Known articles of the outlet whose next visit has come, most overdue first."""
        urls = self.store.due_for_revisit(datetime.now(UTC), outlet=outlet, limit=self.limit)
        self.due.update(urls)
        return urls

    def skip(self, url: str, outlet: str | None = None) -> bool:
        """A known article of ``outlet`` that is not due: seen again on a listing, not
        fetched again. Another site's reprint of it, whose canonical URL names it, is not
        the outlet's article and does not count."""
        return url not in self.due and self.store.known(url, outlet)

    def skipped(self, urls: Iterable[str], outlet: str | None = None) -> set[str]:
        """Those of ``urls`` that ``skip`` would skip, asked of the store at once."""
        return self.store.known_among((u for u in urls if u not in self.due), outlet)
