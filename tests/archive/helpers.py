"""Helpers shared by the archive tests: exchanges to write, and reading records back."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from crawler.archive.records import HttpExchange


def exchange(n: int = 0, body: bytes | None = None, **kwargs: Any) -> HttpExchange:
    """A plausible page exchange; ``n`` makes URL and body distinct."""
    return HttpExchange(
        url=f"https://site.test/news/{n}.html?b=2&a=1",
        status=kwargs.pop("status", 200),
        response_headers=kwargs.pop(
            "response_headers",
            [
                (b"Content-Type", b"text/html; charset=utf-8"),
                (b"Set-Cookie", b"a=1"),
                (b"Set-Cookie", b"b=2"),
            ],
        ),
        body=body if body is not None else f"<html><body><p>page {n}</p></body></html>".encode(),
        request_headers=[(b"User-Agent", b"wiretrace-test"), (b"Accept-Encoding", b"gzip")],
        **kwargs,
    )


def records(path: Path) -> list[dict[str, Any]]:
    """Every record of a file: type, WARC headers, HTTP header block, raw payload, offset."""
    found = []
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            found.append(
                {
                    "type": record.rec_type,
                    "warc": dict(record.rec_headers.headers),
                    "http": record.http_headers,
                    "payload": record.raw_stream.read(),
                    "offset": iterator.get_record_offset(),
                }
            )
    return found


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()
