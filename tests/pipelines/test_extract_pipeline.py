"""The extract pipeline's set-up: trafilatura logs no finer than the crawl does."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from scrapy.utils.test import get_crawler

from crawler.pipelines.extract import ExtractPipeline


@pytest.fixture(autouse=True)
def restore_level() -> Iterator[None]:
    logger = logging.getLogger("trafilatura")
    level = logger.level
    yield
    logger.setLevel(level)


@pytest.mark.parametrize(("setting", "level"), [("INFO", logging.INFO), ("DEBUG", logging.DEBUG)])
def test_trafilatura_logs_at_the_crawls_level(setting: str, level: int) -> None:
    ExtractPipeline.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": setting}))
    assert logging.getLogger("trafilatura").level == level
    assert not logging.getLogger("trafilatura.core").isEnabledFor(level - 1)
