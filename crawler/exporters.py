"""JSON lines feeds (``-O items.jsonl``) written from our dataclass items directly.

Scrapy's exporter takes each field through ItemAdapter, and its JSON encoder converts every
nested dataclass (the fetch, the provenance, each piece of evidence) through ItemAdapter
again, asking every adapter class about it: about 1 ms a page of a crawl, three times the
encoding itself. Here a dataclass item is made plain data first (``crawler.plain``) and
encoded by the same encoder with the same options, so each line is byte for byte what
Scrapy's exporter writes; any other item, a field with its own serializer, or a feed that
exports empty fields or renames them, goes Scrapy's way.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from scrapy.exporters import JsonLinesItemExporter
from scrapy.utils.python import to_bytes

from crawler.plain import field_names, plain


class PlainJsonLinesExporter(JsonLinesItemExporter):
    def export_item(self, item: Any) -> None:
        itemdict = self._plain_fields(item)
        if itemdict is None:
            super().export_item(item)
            return
        data = self.encoder.encode(itemdict) + "\n"
        self.file.write(to_bytes(data, self.encoding))

    def _plain_fields(self, item: Any) -> dict[str, Any] | None:
        """The fields Scrapy's exporter would write, as plain data; None when this item or
        feed needs Scrapy's own way."""
        kind: type = type(item)
        if not _plain_dataclass(kind) or self.export_empty_fields:
            return None
        wanted = self.fields_to_export
        if wanted is not None and not (
            isinstance(wanted, list | tuple) and all(isinstance(n, str) for n in wanted)
        ):
            return None  # a mapping renames fields
        declared = field_names(kind)
        names = declared if wanted is None else [n for n in wanted if n in declared]
        try:
            return {name: plain(getattr(item, name)) for name in names}
        except AttributeError:
            return None  # a field deleted from the instance: ItemAdapter leaves it out


@functools.cache
def _plain_dataclass(cls: type) -> bool:
    """A dataclass none of whose fields names a serializer (the exporter would apply it)."""
    return dataclasses.is_dataclass(cls) and not any(
        "serializer" in f.metadata for f in dataclasses.fields(cls)
    )
