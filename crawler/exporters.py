"""JSON lines feeds (``-O items.jsonl``) written from our dataclass items directly.

Scrapy's exporter takes each field through ItemAdapter, and its JSON encoder converts every
nested dataclass (the fetch, the provenance, each piece of evidence) through ItemAdapter
again, asking every adapter class about it and copying every list: about 1 ms a page of a
crawl, several times the encoding itself. Here a dataclass item's fields go straight to an
encoder with the same options that turns each nested dataclass into the dict of its fields
(in declaration order, as ItemAdapter does) and leaves the rest to the JSON encoder, so each
line is byte for byte what Scrapy's exporter writes. Any other item, a field with its own
serializer, or a feed that exports empty fields or renames them, goes Scrapy's way.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from scrapy.exporters import JsonLinesItemExporter
from scrapy.utils.python import to_bytes
from scrapy.utils.serialize import ScrapyJSONEncoder

from crawler.plain import field_names


class PlainJsonLinesExporter(JsonLinesItemExporter):
    def __init__(self, file: Any, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self.dataclass_encoder = _DataclassEncoder(**self._kwargs)

    def export_item(self, item: Any) -> None:
        fields = self._fields(item)
        if fields is not None:
            try:
                data = self.dataclass_encoder.encode(fields) + "\n"
            except AttributeError:
                pass  # a field deleted from an instance: ItemAdapter leaves it out
            else:
                self.file.write(to_bytes(data, self.encoding))
                return
        super().export_item(item)

    def _fields(self, item: Any) -> dict[str, Any] | None:
        """The fields Scrapy's exporter would write, unconverted; None when this item or
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
        return {name: getattr(item, name) for name in names}


class _DataclassEncoder(ScrapyJSONEncoder):
    def default(self, o: Any) -> Any:
        kind: type = type(o)
        if _plain_dataclass(kind):
            return {name: getattr(o, name) for name in field_names(kind)}
        return super().default(o)


@functools.cache
def _plain_dataclass(cls: type) -> bool:
    """A dataclass none of whose fields names a serializer (the exporter would apply it)."""
    return dataclasses.is_dataclass(cls) and not any(
        "serializer" in f.metadata for f in dataclasses.fields(cls)
    )
