"""What a scheduled crawl remembers from earlier runs: which articles it already has and
which are due for a revisit, so that an hourly run does bounded work.

Read from the store (its own read-only connection; the store pipeline writes). New articles
are always fetched; a known article is fetched again only when the revisit policy says it
is due (often while fresh, rarely as it ages, then never: crawler.schedule).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scrapy.settings import BaseSettings

from crawler.storage import Store, open_store

logger = logging.getLogger("wiretrace")


class CrawlMemory:
    def __init__(self, store: Store | None, limit: int | None) -> None:
        self.store = store
        self.limit = limit
        self.due: set[str] = set()

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> CrawlMemory | None:
        """None when incremental crawling is off (replay, or WIRETRACE_INCREMENTAL=False)."""
        if not settings.getbool("WIRETRACE_INCREMENTAL") or not settings.get("WIRETRACE_DB"):
            return None
        limit = settings.getint("WIRETRACE_REVISIT_LIMIT") or None
        try:
            store = open_store(settings["WIRETRACE_DB"], create=False)
        except FileNotFoundError:
            store = None  # first run: nothing is known yet
        return cls(store, limit)

    def due_now(self, outlet: str) -> list[str]:
        """Known articles of the outlet whose next visit has come, most overdue first."""
        if self.store is None:
            return []
        urls = self.store.due_for_revisit(datetime.now(UTC), outlet=outlet, limit=self.limit)
        self.due.update(urls)
        return urls

    def skip(self, url: str, outlet: str | None = None) -> bool:
        """A known article of ``outlet`` that is not due: seen again on a listing, not
        fetched again. Another site's reprint of it, whose canonical URL names it, is not
        the outlet's article and does not count."""
        return self.store is not None and url not in self.due and self.store.known(url, outlet)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
