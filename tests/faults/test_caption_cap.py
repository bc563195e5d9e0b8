"""A page with more captions than a gallery ever has: the first ones are read as before, the
rest are counted and said, and a page under the cap is read exactly as without one."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import pytest
from itemadapter import ItemAdapter
from lxml import html as lxml_html
from scrapy.utils.test import get_crawler

from crawler.extract import PageQuery, parse_html, read_evidence
from crawler.items import ArticleItem, Evidence, Fetch
from crawler.pages import Page, attach
from crawler.pipelines.extract import extract_fields
from crawler.pipelines.provenance import CAPTIONS_DROPPED, ProvenancePipeline
from crawler.profile import load_profile
from crawler.provenance import captions
from crawler.provenance.captions import CaptionCap
from crawler.provenance.page import page_provenance
from crawler.registry import load_registry
from tests.faults.hostile import article_html

REG = load_registry()
TEXT = "Le conseil a voté mardi. Les travaux commencent en mai."


def gallery(count: int, repeats: int = 1) -> str:
    """``count`` distinct photo credits, each caption given ``repeats`` times."""
    return "".join(
        f'<figure><img src="/p{i}.jpg"><figcaption>Photo {i} : AFP/VNA/CVN</figcaption></figure>'
        for i in range(count)
        for _ in range(repeats)
    )


def read(page: str, pieces: list[Evidence] | None = None) -> dict[str, Any]:
    return page_provenance(pieces or [], TEXT, "hostile.example", REG, tree=parse_html(page))


def test_the_cap_admits_a_text_seen_before_and_counts_each_new_one_past_it_once() -> None:
    cap = CaptionCap(2)
    assert [cap.admit(t) for t in ("a", "b", "a", "c", "c", "d")] == [1, 1, 1, 0, 0, 0]
    assert cap.dropped == 2  # "c" and "d", each once
    kept = cap.keep([Evidence(kind="byline", text="x", where=""), Evidence(kind="caption",
                     text="e", where="")])  # fmt: skip
    assert [p.kind for p in kept] == ["byline"]  # other kinds are never capped


def test_past_the_cap_the_first_captions_are_read_and_the_rest_counted() -> None:
    found = read(article_html("Galerie", gallery(captions.MAX_CAPTIONS + 50, repeats=3)))
    assert found["captions_dropped"] == 50
    credits = [m["credit"] for m in found["media"]]
    assert len(credits) == captions.MAX_CAPTIONS
    assert credits[0] == "Photo 0 : AFP/VNA/CVN"
    assert credits[-1] == f"Photo {captions.MAX_CAPTIONS - 1} : AFP/VNA/CVN"


def test_captions_the_profile_located_count_against_the_same_cap() -> None:
    located = [Evidence(kind="caption", text=f"Photo {i} : AFP", where="p") for i in range(30)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(captions, "MAX_CAPTIONS", 10)
        found = read(article_html("Galerie", gallery(5)), located)
    assert found["captions_dropped"] == 20 + 5  # located first, then the tree's own


@pytest.mark.parametrize("repeats", [1, 4])
def test_under_the_cap_a_page_reads_as_it_would_without_one(repeats: int) -> None:
    page = article_html("Galerie", gallery(60, repeats))
    capped = read(page)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(captions, "MAX_CAPTIONS", 10**9)
        uncapped = read(page)
    assert capped["captions_dropped"] == 0
    assert capped == uncapped


def test_the_pipeline_counts_captions_past_the_cap_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = article_html("Galerie", gallery(captions.MAX_CAPTIONS + 7)).encode()
    url = "https://hostile.example/galerie.html"
    item = ArticleItem(
        url=url,
        outlet="hostile.example",
        fetch=Fetch(fetched_at="", status=200, sha256="", replayed=True),
    )
    attach(item, Page(url=url, tree=parse_html(body)))
    extract_fields(item, load_profile("generic"))
    crawler = get_crawler()
    crawler.stats.open_spider()
    pipeline = ProvenancePipeline.from_crawler(crawler)
    with caplog.at_level(logging.WARNING, logger="crawler.pipelines.provenance"):
        pipeline.process_item(item)
    assert crawler.stats.get_value(CAPTIONS_DROPPED) == 7
    [line] = [r.getMessage() for r in caplog.records if "photo captions" in r.getMessage()]
    assert url in line and " 7 more distinct photo captions" in line
    assert len(ItemAdapter(item)["provenance"].media) == captions.MAX_CAPTIONS


def test_many_matches_of_a_selector_list_come_in_document_order() -> None:
    """Past a few dozen matches they are sorted by one numbering of the page (each child's
    index among 20,000 siblings made the sort quadratic)."""
    items = "".join(f'<p class="{"a" if i % 3 else "b"}">{i}</p>' for i in range(500))
    root = lxml_html.fromstring(f"<div>{items}</div>")
    matched = PageQuery.of(root).select(".a, .b")
    assert [e.text for e in matched] == [str(i) for i in range(500)]
    assert matched == root.xpath("//p")


def test_a_body_whose_class_names_a_caption_is_no_caption() -> None:
    """``<body class="f_caption_muted_videos_on">`` matches the generic ``[class*='caption']``:
    the page's body and root are never read as a caption or byline, the page's own are."""
    filler = " ".join(["Un mot de la page."] * 400)
    page = (
        '<html class="byline-on"><body class="f_caption_muted_videos_on">'
        f"<article><h1>Titre</h1><p>{filler}</p>"
        "<figure><img src='a.jpg'><figcaption>Photo : Reuters</figcaption></figure>"
        '<p class="byline">Par Minh Duc</p></article></body></html>'
    )
    found = read_evidence(parse_html(page), load_profile("generic"))
    kinds = [(e.kind, e.text) for e in found]
    assert ("caption", "Photo : Reuters") in kinds
    assert ("byline", "Par Minh Duc") in kinds
    assert all(len(e.text) < 100 for e in found), kinds


def test_a_selector_matching_only_the_body_falls_through_to_the_next_alternative() -> None:
    root = parse_html(
        '<html><body class="dateline-js">'
        '<p class="where">HANOI, 3 mai</p><p>Texte.</p></body></html>'
    )
    profile = load_profile("generic")
    spec = ("[class*='dateline']", ".where")
    profile = replace(profile, selectors=replace(profile.selectors, dateline=spec))
    found = read_evidence(root, profile)
    datelines = [e.text for e in found if e.kind == "dateline"]
    assert datelines == ["HANOI, 3 mai"]
