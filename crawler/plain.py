"""Items as plain JSON-ready data for the store, and dataclass field names for the feeds.

ItemAdapter's ``asdict`` (and Scrapy's JSON encoder, which calls it on every nested item)
asks every adapter class about every nested value, a cost next to what is then done with
the data; ``dataclasses.asdict`` deep-copies every string and number. Our items are
dataclasses of plain values, which this walks directly. Anything else nested in them
(another item type) still goes through ItemAdapter, and any other value is left as it is.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from itemadapter import ItemAdapter


def plain(value: Any) -> Any:
    """``value`` as plain data: dataclasses become dicts (fields in order), tuples lists."""
    if value is None or isinstance(value, (str, int, float)):
        return value  # immutable: nothing to copy (bool is an int)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in field_names(type(value))}
    return ItemAdapter(value).asdict() if ItemAdapter.is_item(value) else value


@functools.cache
def field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(cls))
