"""The parsed page goes from the spider to the pipelines beside the item, never inside it: no
field of the item, the feed or the store holds it, a pipeline that is done with it lets it
go, and it goes with its item."""

from __future__ import annotations

import copy
import gc
import weakref
from pathlib import Path

import lxml.html
import pytest
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import EXPORT_FIELDS, ArticleItem
from crawler.pages import Page, attach, page_of, release
from crawler.pipelines.extract import ExtractPipeline
from crawler.pipelines.store import StorePipeline
from crawler.pipelines.validate import ValidatePipeline
from tests.crawling import ITEM_URL, cases_param, make_item, run_page


def a_page(html: str = "<html><body><p>Un texte.</p></body></html>") -> Page:
    return Page(url=ITEM_URL, tree=lxml.html.fromstring(html))


def test_the_item_has_no_field_for_it() -> None:
    item = attach(make_item(), a_page())
    assert set(ItemAdapter(item).field_names()) == set(EXPORT_FIELDS)
    assert "page" not in ItemAdapter(item).asdict()


def test_it_is_found_by_the_item_it_was_attached_to_and_by_no_other() -> None:
    page = a_page()
    item = attach(make_item(), page)
    assert page_of(item) is page
    assert page_of(make_item()) is None, "an equal item is another item"
    assert page_of(copy.copy(item)) is None


def test_attaching_again_replaces_it() -> None:
    item = attach(make_item(), a_page())
    second = a_page()
    attach(item, second)
    assert page_of(item) is second


def test_released_it_is_gone_and_the_item_stays_whole() -> None:
    item = attach(make_item(), a_page())
    before = ItemAdapter(item).asdict()
    release(item)
    assert page_of(item) is None
    assert ItemAdapter(item).asdict() == before
    release(item)  # twice is harmless


def test_it_goes_with_its_item() -> None:
    page = a_page()
    item = attach(make_item(), page)
    freed = weakref.ref(page)
    del page, item
    gc.collect()
    assert freed() is None


# -- the pipelines ------------------------------------------------------------------------------


def test_an_item_handed_on_without_a_page_is_dropped_as_invalid() -> None:
    crawler = get_crawler()
    crawler.stats.open_spider()
    with pytest.raises(DropItem, match="missing page"):
        ValidatePipeline.from_crawler(crawler).process_item(make_item())
    assert crawler.stats.get_value("wiretrace/pages_skipped/invalid_item") == 1


def test_a_page_skipped_as_no_article_is_released() -> None:
    crawler = get_crawler()
    crawler.stats.open_spider()
    item = attach(ArticleItem(url=ITEM_URL, outlet="cvn", fetch=make_item().fetch), a_page())
    with pytest.raises(DropItem, match="article"):
        ExtractPipeline.from_crawler(crawler).process_item(item)
    assert page_of(item) is None


def test_the_store_pipeline_releases_it(tmp_path: Path) -> None:
    crawler = get_crawler(settings_dict={"WIRETRACE_DB": str(tmp_path / "w.sqlite")})
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    item = attach(make_item(), a_page())
    store.process_item(item)
    store.close_spider()
    assert page_of(item) is None


@cases_param("article")
def test_every_item_a_spider_yields_carries_its_parse_beside_it(case: object) -> None:
    run = run_page(case)  # type: ignore[arg-type]
    for item in run.items:
        page = page_of(item)
        assert page is not None and page.url == ItemAdapter(item)["url"]
        assert page.query is not None and page.query.tree is page.tree
