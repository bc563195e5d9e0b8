"""One way to turn away a page: one log line, one counted stat, nothing stored."""

from __future__ import annotations

import logging

from scrapy.statscollectors import StatsCollector

logger = logging.getLogger("wiretrace")

SKIPPED = "wiretrace/pages_skipped"


def record_skip(stats: StatsCollector | None, reason: str, url: str, detail: str = "") -> None:
    """Count a skipped page under ``wiretrace/pages_skipped/<reason>`` and say why, once."""
    if stats is not None:
        stats.inc_value(SKIPPED)
        stats.inc_value(f"{SKIPPED}/{reason}")
    logger.warning(
        "skipped %s: %s%s", url, reason.replace("_", " "), f" ({detail})" if detail else ""
    )
