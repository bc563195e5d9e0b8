"""Where one record sits: the address an item's ``fetch`` carries back to its bytes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: ``request.meta`` key under which the downloader puts the response record's location,
#: for ``fetch_record`` to copy into the item.
META_KEY = "wiretrace_warc"


@dataclass(frozen=True)
class WarcLocation:
    """A record's file (relative to the archive folder, so the archive can move), the byte
    offset of its gzip member in that file (what ``seek`` needs), and its WARC-Record-ID."""

    warc: str
    offset: int
    record_id: str

    def as_meta(self) -> dict[str, Any]:
        return {"warc": self.warc, "offset": self.offset, "record_id": self.record_id}
