"""``-O``/``-o`` feeds to local files that a failed job does not clobber.

Scrapy opens an ``-O`` feed (overwrite) as the spider opens, so a job that then failed (no
network, a full disk) had already emptied the previous, good file. Here an overwriting feed
is written beside its target as ``<name>.part`` and moved over the target (atomically, same
folder) only when the job did not fail (``crawler.extensions.outcome``); a failed job
leaves the previous file as it was and its own partial output in ``<name>.part``. Appending
feeds (``-o``) are written in place, as Scrapy does.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FileFeedStorage

from crawler.extensions.outcome import FAILURE

logger = logging.getLogger("wiretrace")


class SafeFileFeedStorage(FileFeedStorage):
    def __init__(
        self,
        uri: str,
        *,
        feed_options: dict[str, Any] | None = None,
        crawler: Crawler | None = None,
    ) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler
        self.part = Path(f"{self.path}.part")

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
    ) -> SafeFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    @property
    def overwrite(self) -> bool:
        return self.write_mode == "wb"

    def open(self, spider: Spider) -> IO[bytes]:
        if not self.overwrite:
            return super().open(spider)
        self.part.parent.mkdir(parents=True, exist_ok=True)
        return self.part.open("wb")

    def store(self, file: IO[bytes]) -> None:
        file.close()
        if not self.overwrite:
            return None
        stats = self.crawler.stats if self.crawler is not None else None
        failure = stats.get_value(FAILURE) if stats is not None else None
        if failure:
            logger.error(
                "feed %s not replaced because the job failed; this run's output is in %s",
                self.path, self.part,
            )  # fmt: skip
            return None
        self.part.replace(self.path)  # same folder: atomic
        return None
