"""Reading WARC files back: list their response records, read one at its offset.

Bodies come back exactly as stored (still content-encoded, as they came off the wire), so
a replayed response goes through the same decompression as a live one.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from crawler.archive.records import REFERS_TO_FILE, REFERS_TO_OFFSET, Header

logger = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")

#: Records that stand for a capture: a response, or a revisit naming an earlier response.
_CAPTURES = frozenset({"response", "revisit"})

#: What a damaged (crash-truncated) last record raises while it is read.
_DAMAGE = (ArchiveLoadFailed, EOFError, ValueError, zlib.error, OSError)


def is_warc(path: Path) -> bool:
    return path.is_file() and path.name.endswith(WARC_SUFFIXES)


@dataclass(frozen=True)
class IndexEntry:
    """A response record found in a file: enough to find it again, nothing more."""

    url: str
    offset: int
    record_id: str


@dataclass(frozen=True)
class ResponseRecord:
    url: str
    record_id: str
    status: int
    headers: list[Header]
    body: bytes


def iter_responses(path: Path) -> Iterator[IndexEntry]:
    """Every ``response`` record of a file, in file order.

    A damaged record (a crash cut the last one short, a bad disk block flipped bytes in the
    middle) is skipped with one warning, and in a ``.warc.gz`` reading resumes at the next
    gzip member that starts a WARC record: each record is its own member, so one bad
    member costs that record alone, never the records after it.
    """
    start: int | None = 0
    while start is not None:
        damaged_at = yield from _responses_from(path, start)
        if damaged_at is None:
            return
        start = _next_member(path, damaged_at + 1) if path.name.endswith(".gz") else None
        where = f"resumed at byte {start}" if start is not None else "nothing readable after it"
        logger.warning("%s: damaged WARC record at byte %d skipped; %s", path, damaged_at, where)


def _responses_from(path: Path, start: int) -> Generator[IndexEntry, None, int | None]:
    """The response records from byte ``start`` on; the offset of a damaged record that
    ended the reading (None: the file was read to its end)."""
    with path.open("rb") as stream:
        stream.seek(start)
        records = ArchiveIterator(stream, no_record_parse=True)
        offset = start
        try:
            for record in records:
                # warcio hands out a cut-short record without complaint: check its length
                # (before asking for the offset, which reads the record to its end).
                if _content_length(record.raw_stream) < int(record.length or 0):
                    raise EOFError("record cut short")
                offset = records.get_record_offset()  # from the start of the file
                if record.rec_type not in _CAPTURES:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
                yield IndexEntry(url.strip("<>"), offset, record_id)
        except _DAMAGE:
            # Where the bad record starts: past the last good one (its offset is known).
            return max(offset, start)
    return None


#: A gzip member (magic, deflate) whose content starts a WARC record.
_GZIP_MAGIC = b"\x1f\x8b\x08"


def _next_member(path: Path, after: int) -> int | None:
    """The offset of the first gzip member at or after ``after`` that opens with a WARC
    header; None when there is none."""
    with path.open("rb") as stream:
        stream.seek(after)
        position = after
        carry = b""
        while chunk := stream.read(1 << 20):
            data = carry + chunk
            base = position - len(carry)
            found = data.find(_GZIP_MAGIC)
            while found != -1:
                if _opens_warc_record(path, base + found):
                    return base + found
                found = data.find(_GZIP_MAGIC, found + 1)
            carry = data[-(len(_GZIP_MAGIC) - 1) :]
            position += len(chunk)
    return None


def _opens_warc_record(path: Path, offset: int) -> bool:
    """Whether a whole, intact gzip member (its CRC checked) holding a WARC record starts at
    ``offset``: a damaged member's own header passes the first test but not this one."""
    inflate = zlib.decompressobj(31)
    head = b""
    with path.open("rb") as stream:
        stream.seek(offset)
        try:
            while not inflate.eof and (chunk := stream.read(1 << 16)):
                out = inflate.decompress(chunk)
                if len(head) < 5:
                    head += out[:5]
        except zlib.error:
            return False
    return inflate.eof and head.startswith(b"WARC/")


def _content_length(stream: BinaryIO) -> int:
    read = 0
    while chunk := stream.read(1 << 16):
        read += len(chunk)
    return read


def read_response(path: Path, offset: int) -> ResponseRecord:
    """The response record whose gzip member starts at ``offset``: status, headers and body
    bytes as stored. Chunk framing, if another tool kept it, is removed (Scrapy never sees
    it live either); content encoding is not."""
    with path.open("rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream, no_record_parse=True)))
        if record.rec_type == "revisit":
            return _follow_revisit(path, offset, record)
        if record.rec_type != "response":
            raise ValueError(f"{path}@{offset}: a {record.rec_type} record, not a response")
        raw = record.raw_stream.read()
        if len(raw) < int(record.length or 0):
            raise ValueError(f"{path}@{offset}: record cut short (a crash while writing it)")
        url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<>")
        record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
    status, headers, body = parse_http_response(raw)
    if any(k.lower() == b"transfer-encoding" and b"chunked" in v.lower() for k, v in headers):
        body = ChunkedDataReader(BytesIO(body)).read()
        headers = [(k, v) for k, v in headers if k.lower() != b"transfer-encoding"]
    return ResponseRecord(url, record_id, status, headers, body)


def parse_http_response(raw: bytes) -> tuple[int, list[Header], bytes]:
    """Status, header lines and body of a stored HTTP response, bytes untouched."""
    stream = BytesIO(raw)
    status_line = stream.readline().split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        raise ValueError(f"not an HTTP status line: {b' '.join(status_line)!r}")
    headers: list[Header] = []
    for line in iter(stream.readline, b""):
        line = line.rstrip(b"\r\n")
        if not line:
            break
        if line[:1] in (b" ", b"\t") and headers:  # obsolete line folding
            name, value = headers[-1]
            headers[-1] = (name, value + b" " + line.strip())
            continue
        name, _, value = line.partition(b":")
        headers.append((name.strip(), value.strip()))
    return int(status_line[1]), headers, stream.read()


def _follow_revisit(path: Path, offset: int, record: ArcWarcRecord) -> ResponseRecord:
    """A ``revisit`` record read as the response it repeats: its own URL, id, status and
    headers (as received that time), the body of the record it refers to."""
    name = record.rec_headers.get_header(REFERS_TO_FILE)
    at = record.rec_headers.get_header(REFERS_TO_OFFSET)
    if not name or not at:
        raise ValueError(f"{path}@{offset}: a revisit record that names no record to follow")
    original = read_response(path.parent / name, int(at))
    status, headers, _ = parse_http_response(record.raw_stream.read())
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<>")
    record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
    return ResponseRecord(url, record_id, status, headers, original.body)
