"""JSON lines feeds: our exporter writes byte for byte what Scrapy's own exporter writes."""

from __future__ import annotations

import dataclasses
import datetime
import io
from typing import Any

import pytest
import scrapy
from scrapy.exporters import JsonLinesItemExporter

from crawler import settings
from crawler.exporters import PlainJsonLinesExporter
from crawler.items import EXPORT_FIELDS, ArticleItem, Evidence, Fetch, Provenance


def article(**changes: Any) -> ArticleItem:
    fetch = Fetch("2026-11-27T09:00:00+00:00", 200, "ab" * 32, True, redirects=["http://a.vn/"])
    evidence = [
        Evidence("credit_line", "(AFP) — « Hà Nội »", "p:nth-of-type(9)", "afp", 0.95, ["afp"]),
        Evidence(
            "photo_credit",
            "Photo: Reuters\u2028",
            "figure > figcaption",
            None,
            1.0,
            reason="not_in_registry",
            unresolved=["Reuters\u2028"],
        ),
    ]
    provenance = Provenance(
        chain=[["afp"], ["lecourrier"]],
        basis="credit_line",
        cited=["reuters"],
        media=[{"credit": "AP", "chain": [["ap"]], "at": datetime.date(2026, 1, 2)}],
        evidence=evidence,
    )
    item = ArticleItem(
        url="https://lecourrier.vn/a/1.html",
        outlet="lecourrier",
        fetch=fetch,
        title="Le président à Hanoï 🗞",
        authors=["Nguyễn Văn A", 'B "Q" C'],
        text="Un texte.\n\nDeux lignes \\ et un\ttab.",
        provenance=provenance,
    )
    return dataclasses.replace(item, **changes)


class Story(scrapy.Item):
    url = scrapy.Field()
    fetch = scrapy.Field()


@dataclasses.dataclass
class Shouted:
    url: str
    title: str = dataclasses.field(default="", metadata={"serializer": str.upper})


ITEMS = [
    article(),
    article(title=None, published=None, authors=[], text="", fallback_fields=["title"]),
    article(provenance=Provenance()),
    {"url": "https://a.vn/", "fetch": Fetch("t", 301, "00", False), "extra": (1, 2.5, None)},
    Story(url="https://b.vn/", fetch=Fetch("t", 200, "11", False)),
    Shouted("https://c.vn/", "quiet"),
]

FEEDS: dict[str, dict[str, Any]] = {
    "the project's fields": {"fields_to_export": list(EXPORT_FIELDS), "encoding": "utf-8"},
    "every field": {"encoding": "utf-8"},
    "a field not on the item": {"fields_to_export": ["url", "nothing", "text"]},
    "renamed fields": {"fields_to_export": {"url": "address", "title": "headline"}},
    "empty fields too": {"fields_to_export": ["url", "nothing"], "export_empty_fields": True},
    "ASCII only": {"fields_to_export": list(EXPORT_FIELDS)},
    "indented": {"encoding": "utf-8", "indent": 2, "sort_keys": True},
}


def written(exporter_class: type[JsonLinesItemExporter], options: dict[str, Any]) -> bytes:
    file = io.BytesIO()
    exporter = exporter_class(file, **options)
    exporter.start_exporting()
    for item in ITEMS:
        exporter.export_item(item)
    exporter.finish_exporting()
    return file.getvalue()


@pytest.mark.parametrize("feed", sorted(FEEDS))
def test_lines_are_byte_for_byte_scrapys(feed: str) -> None:
    ours = written(PlainJsonLinesExporter, FEEDS[feed])
    assert ours == written(JsonLinesItemExporter, FEEDS[feed])
    assert ours.count(b"\n") == len(ITEMS)


def test_an_item_missing_a_field_fails_as_scrapys_exporter_fails() -> None:
    item = article()
    del item.outlet  # no default: nothing left to read
    for exporter_class in (PlainJsonLinesExporter, JsonLinesItemExporter):
        exporter = exporter_class(io.BytesIO(), fields_to_export=list(EXPORT_FIELDS))
        with pytest.raises(AttributeError, match="outlet"):
            exporter.export_item(item)


def test_a_nested_item_missing_a_field_is_written_as_scrapy_writes_it() -> None:
    item = article()
    del item.fetch.status  # no default: ItemAdapter leaves it out of the nested object
    options = {"fields_to_export": list(EXPORT_FIELDS), "encoding": "utf-8"}
    ours, theirs = io.BytesIO(), io.BytesIO()
    PlainJsonLinesExporter(ours, **options).export_item(item)
    JsonLinesItemExporter(theirs, **options).export_item(item)
    assert ours.getvalue() == theirs.getvalue()
    assert b'"sha256"' in ours.getvalue()
    assert b'"status"' not in ours.getvalue()


def test_every_json_lines_feed_format_uses_it() -> None:
    path = "crawler.exporters.PlainJsonLinesExporter"
    assert {name: settings.FEED_EXPORTERS[name] for name in ("jsonlines", "jsonl", "jl")} == {
        "jsonlines": path,
        "jsonl": path,
        "jl": path,
    }
