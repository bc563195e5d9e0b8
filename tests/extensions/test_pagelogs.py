"""Scrapy's per-page log lines are built only at a LOG_LEVEL that keeps them."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from scrapy.utils.test import get_crawler

from crawler import settings
from crawler.extensions.pagelogs import PAGE_LOGGERS, PageLogLevel


@pytest.fixture(autouse=True)
def restore_levels() -> Iterator[None]:
    levels = {name: logging.getLogger(name).level for name in PAGE_LOGGERS}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize(
    ("setting", "debug_kept"), [("INFO", False), ("WARNING", False), ("DEBUG", True)]
)
def test_the_engine_and_scraper_stop_at_the_crawls_level(setting: str, debug_kept: bool) -> None:
    PageLogLevel.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": setting}))
    for name in ("scrapy.core.engine", "scrapy.core.scraper"):
        logger = logging.getLogger(name)
        assert logger.isEnabledFor(logging.DEBUG) is debug_kept
        assert logger.isEnabledFor(logging.getLevelName(setting))


def test_it_is_enabled_for_every_crawl() -> None:
    assert "crawler.extensions.pagelogs.PageLogLevel" in settings.EXTENSIONS
