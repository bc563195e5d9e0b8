"""Decides, as a crawl closes, whether the job failed, and says why in one line.

Cron and scrapyd users read exit codes and stats files, not logs. A job has failed when it
could not do what it was run for: the spider found nothing to crawl (``start_error``), not
one page could be downloaded (no network, every host refusing) or replayed, a write failed
(database, WARC archive), or the crawl closed for any reason other than finishing or a
limit the user set (``CLOSESPIDER_*``). The reason goes into the stats as
``wiretrace/failure`` (so the stats file carries it); the ``crawl`` and ``crawlall``
commands print it and exit 1, and ``-O`` feeds keep their previous file
(``crawler.feeds``). Pages skipped one by one are not a failure: they are counted under
``wiretrace/pages_skipped``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

logger = logging.getLogger("wiretrace")

FAILURE = "wiretrace/failure"

#: Close reasons of a crawl that did what it was asked (a CLOSESPIDER_* limit included).
_DONE = ("finished", "closespider_")

_REASONS = {
    "warc_error": "the WARC archive could not be written (see wiretrace/warc/errors)",
    "store_error": "the database could not be written",
    "shutdown": "interrupted before it finished",
    "cancelled": "cancelled before it finished",
    "memusage_exceeded": "stopped at the MEMUSAGE_LIMIT_MB memory limit",
    "start_error": "nothing to crawl: the start URLs could not be read (see the log above)",
}


def failure_reason(stats: Mapping[str, Any], finish_reason: str) -> str | None:
    """Why the job failed, in one line; None when it did its job."""
    if not finish_reason.startswith(_DONE):
        said = _REASONS.get(finish_reason, f"closed early ({finish_reason})")
        detail = stats.get("wiretrace/store/error") if finish_reason == "store_error" else None
        return f"{said}: {detail}" if detail else said
    if stats.get("wiretrace/store/errors"):
        return f"the database could not be written: {stats.get('wiretrace/store/error', '')}"
    if stats.get("wiretrace/warc/errors"):
        return "the WARC archive could not be written (see wiretrace/warc/errors)"
    if stats.get("wiretrace/start_error"):
        return f"nothing to crawl: {stats['wiretrace/start_error']}"
    hits, misses = stats.get("wiretrace/replay/hits", 0), stats.get("wiretrace/replay/misses", 0)
    if misses and not hits:
        return f"nothing replayed: none of the {misses} URLs asked for is saved in REPLAY_FROM"
    asked = stats.get("downloader/request_count", 0)
    if not asked:
        return "nothing to crawl: not one request was made"
    if asked and not stats.get("downloader/response_count", 0):
        errors = stats.get("downloader/exception_count", 0)
        kinds = sorted(
            key.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
            for key in stats
            if key.startswith("downloader/exception_type_count/")
        )
        said = f" ({', '.join(kinds)})" if kinds else ""
        return f"no page could be downloaded: {errors} of {asked} requests failed{said}"
    return None


class JobOutcome:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobOutcome:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, reason: str) -> None:
        assert self.crawler.stats is not None
        why = failure_reason(self.crawler.stats.get_stats(), reason)
        if why is not None:
            self.crawler.stats.set_value(FAILURE, why)
            logger.error("the crawl failed: %s", why)


def failure_of(crawler: Crawler) -> str | None:
    """The failure the crawl recorded, if any (read by the commands after it ran)."""
    return crawler.stats.get_value(FAILURE) if crawler.stats is not None else None
