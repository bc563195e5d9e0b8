"""The provenance pipeline reads the page the spider parsed without walking it again: the
page index's walk (``PageQuery.walk``) is the table its readers ask, and what they find is
what a walk of their own finds."""

from __future__ import annotations

from typing import Any

import pytest
from itemadapter import ItemAdapter

from crawler.extract import PageQuery, parse_html
from crawler.items import ArticleItem, Fetch
from crawler.pages import Page, attach
from crawler.pipelines.extract import extract_fields
from crawler.pipelines.provenance import read_provenance
from crawler.profile import load_profile
from crawler.provenance import marks
from crawler.registry import load_registry

URL = "https://wire.example/news/harbour.html"
PAGE = (
    "<html><head><meta name='author' content='Associated Press'></head><body><article>"
    "<h1>Port reopens</h1><div class='byline'>By Reuters</div>"
    "<p>HAMBURG (dpa) - The harbour reopened on Monday after a week of storms, the port "
    "authority said, and the first ships came in before noon.</p>"
    "<p>Repairs to the quay will take until spring, according to AFP.</p>"
    "<figure><img src='a.jpg' alt='Ships'><figcaption>Ships in the harbour"
    "<span class='credit'>Foto: EPA-EFE/Jane Doe</span></figcaption></figure>"
    "<small>apr/dpa</small></article><footer class='site-footer'>"
    "<span class='credit'>Photo: Reuters</span></footer></body></html>"
)


def item_with(query: bool) -> ArticleItem:
    item = ArticleItem(
        url=URL,
        outlet="wire.example",
        fetch=Fetch(fetched_at="", status=200, sha256="", replayed=True),
    )
    tree = parse_html(PAGE)
    attach(item, Page(url=URL, tree=tree, query=PageQuery(tree) if query else None))
    extract_fields(item, load_profile("generic"))
    return item


def provenance(item: ArticleItem) -> dict[str, Any]:
    read_provenance(item, load_registry())
    return ItemAdapter(ItemAdapter(item)["provenance"]).asdict()


def test_the_readers_ask_the_walk_the_page_index_made(monkeypatch: pytest.MonkeyPatch) -> None:
    item = item_with(query=True)
    walks: list[object] = []
    walk_class = marks.PageWalk
    monkeypatch.setattr(marks, "PageWalk", lambda root: walks.append(root) or walk_class(root))
    found = provenance(item)
    assert walks == []
    assert found["chain"] and found["media"]


def test_what_they_find_is_what_a_walk_of_their_own_finds() -> None:
    assert provenance(item_with(query=True)) == provenance(item_with(query=False))
