"""The garbage-collector settings a crawl applies when its engine starts."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler import settings
from crawler.extensions.gcfreeze import GcFreeze

#: Scrapy's memory extension also listens for engine_started and needs a running reactor.
QUIET = {"MEMUSAGE_ENABLED": False}


@pytest.fixture(autouse=True)
def restore_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_engine_start_freezes_what_exists_and_spaces_out_young_collections() -> None:
    crawler = get_crawler(settings_dict={"WIRETRACE_GC_THRESHOLD": 12_345, **QUIET})
    ext = GcFreeze.from_crawler(crawler)  # signals hold their receivers weakly
    crawler.stats.open_spider()
    before = gc.get_threshold()
    crawler.signals.send_catch_log(signals.engine_started)
    assert gc.get_freeze_count() > 1000  # modules, classes, compiled patterns...
    assert gc.get_threshold() == (12_345, before[1], before[2])
    assert ext.threshold == 12_345


def test_the_frozen_objects_are_counted_when_the_spider_closes() -> None:
    crawler = get_crawler(settings_dict=QUIET)
    ext = GcFreeze.from_crawler(crawler)  # signals hold their receivers weakly
    crawler.stats.open_spider()
    crawler.signals.send_catch_log(signals.engine_started)
    assert crawler.stats.get_value("wiretrace/gc_frozen_objects") is None
    crawler.signals.send_catch_log(signals.spider_closed)
    assert crawler.stats.get_value("wiretrace/gc_frozen_objects") > 1000
    assert ext.threshold == 10_000


def test_the_count_comes_before_the_stats_file_is_written() -> None:
    extensions = settings.EXTENSIONS
    assert (
        extensions["crawler.extensions.gcfreeze.GcFreeze"]
        < extensions["crawler.extensions.statsfile.StatsFile"]
    )


def test_a_zero_threshold_leaves_pythons_own() -> None:
    crawler = get_crawler(settings_dict={"WIRETRACE_GC_THRESHOLD": 0, **QUIET})
    ext = GcFreeze.from_crawler(crawler)  # signals hold their receivers weakly
    before = gc.get_threshold()
    crawler.signals.send_catch_log(signals.engine_started)
    assert gc.get_freeze_count() > 1000
    assert gc.get_threshold() == before
    assert ext.threshold == 0


def test_it_can_be_switched_off() -> None:
    with pytest.raises(NotConfigured):
        GcFreeze.from_crawler(get_crawler(settings_dict={"WIRETRACE_GC_FREEZE": False}))


def test_a_negative_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="WIRETRACE_GC_THRESHOLD"):
        GcFreeze.from_crawler(get_crawler(settings_dict={"WIRETRACE_GC_THRESHOLD": -1}))
