"""WARC files that survive a crash: each record is its own gzip member, flushed and
fsync'd before the next one starts, so killing the crawler at any moment loses at most the
record being written (a truncated last member, which readers skip).

``WarcFile`` is one file (the fixture packer writes exactly one); ``RotatingWarcWriter``
is what a crawl uses: it names files, starts a new one when the current one is big enough,
and counts what it wrote. Neither knows about Scrapy.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
import socket
from collections.abc import Mapping
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.warcwriter import WARCWriter

from crawler.archive.location import WarcLocation
from crawler.archive.records import HttpExchange, Original, build_pair, payload_digest

#: WARC 1.0 (ISO 28500:2009): what every archive tool reads; 1.1 adds little we use.
WARC_VERSION = "1.0"
WARC_FORMAT = "WARC File Format 1.0"
WARC_CONFORMS_TO = "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf"

# One counter for the whole process: `scrapy crawlall` runs several crawls side by side,
# each with its own writer, and their file names must never collide.
_serial = itertools.count()
#: This machine's name, made safe for a file name, and a token drawn once per process: with
#: the pid they keep names apart when workers on several machines write to one folder.
_HOST = re.sub(r"[^A-Za-z0-9.]+", "_", socket.gethostname()) or "host"
_TOKEN = secrets.token_hex(4)


def warcinfo(
    *,
    software: str,
    robots: str,
    user_agent: str | None = None,
    is_part_of: str | None = None,
    description: str | None = None,
) -> dict[str, str]:
    """The ``warcinfo`` fields (WARC annex: software, format, robots policy...) that open
    every file, so a file found on its own still says what made it and how."""
    fields = {
        "software": software,
        "format": WARC_FORMAT,
        "conformsTo": WARC_CONFORMS_TO,
        "hostname": socket.gethostname(),
        "robots": robots,
        "http-header-user-agent": user_agent or "",
        "isPartOf": is_part_of or "",
        "description": description or "",
    }
    return {k: v for k, v in fields.items() if v}


class WarcFile:
    """One WARC file, created (never overwritten), opened by its ``warcinfo`` record."""

    def __init__(
        self,
        path: Path,
        *,
        info: Mapping[str, str],
        name: str | None = None,
        fsync: bool = True,
        gzip: bool | None = None,
    ) -> None:
        self.path = path
        #: What locations call this file (the writer gives the name inside its folder).
        self.name = name or path.name
        self.fsync = fsync
        self.records = 0
        self._out = path.open("xb")
        if fsync:
            _fsync_dir(path.parent)  # the new file's name survives a crash too
        if gzip is None:
            gzip = path.name.endswith(".gz")
        self._writer = WARCWriter(self._out, gzip=gzip, warc_version=WARC_VERSION)
        record = self._writer.create_warcinfo_record(self.name, dict(info))
        self.warcinfo_id: str = record.rec_headers.get_header("WARC-Record-ID")
        self._write(record)

    @property
    def size(self) -> int:
        return self._out.tell()

    @property
    def closed(self) -> bool:
        return self._out.closed

    def _write(self, record: Any) -> int:
        offset = self._out.tell()
        self._writer.write_record(record)  # one gzip member, flushed to the OS
        if self.fsync:
            os.fsync(self._out.fileno())
        self.records += 1
        return offset

    def write_exchange(
        self,
        exchange: HttpExchange,
        *,
        warc_date: str | None = None,
        original: Original | None = None,
    ) -> WarcLocation:
        """Append the response record (a ``revisit`` of ``original`` when given), then its
        request record; the first record's location."""
        self.last_date = warc_date or self._writer.curr_warc_date()
        response, request = build_pair(
            self._writer,
            exchange,
            warc_date=self.last_date,
            warcinfo_id=self.warcinfo_id,
            original=original,
        )
        offset = self._write(response)
        self._write(request)
        return WarcLocation(self.name, offset, response.rec_headers.get_header("WARC-Record-ID"))

    def close(self) -> None:
        if not self._out.closed:
            self._out.close()


class RotatingWarcWriter:
    """``<prefix>-<UTC timestamp>-<host>-<pid>-<random>-<serial>.warc.gz`` files in one folder
    (host, pid and a random token: workers on many machines may share one folder), a new one
    once the current file reaches ``max_bytes`` (0: never). Files open on the first record,
    so a crawl that fetches nothing leaves nothing behind. A request/response pair is never
    split across files, so a file may pass ``max_bytes`` by one exchange."""

    def __init__(
        self,
        directory: Path,
        *,
        info: Mapping[str, str],
        max_bytes: int = 0,
        prefix: str = "wiretrace",
        fsync: bool = True,
        revisits: bool = True,
    ) -> None:
        self.directory = directory
        #: Write a ``revisit`` record for a URL fetched again with the same payload.
        self.revisits = revisits
        self.revisit_count = 0
        self._captures: dict[str, tuple[str, Original]] | None = None
        self.info = dict(info)
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.fsync = fsync
        self.records = 0
        self.bytes = 0
        self.files = 0
        self._current: WarcFile | None = None

    @property
    def current(self) -> WarcFile | None:
        return self._current

    def write_exchange(self, exchange: HttpExchange) -> WarcLocation:
        file = self._current or self._open()
        size, records = file.size, file.records
        digest = payload_digest(exchange.body)
        original = self._original(exchange, digest)
        try:
            location = file.write_exchange(exchange, original=original)
        except BaseException:
            # Whatever reached the disk is a damaged last member: nothing may follow it in
            # this file, so the next exchange starts a new one.
            with suppress(OSError):
                file.close()
            self._current = None
            raise
        finally:
            self.bytes += _size(file) - size
            self.records += file.records - records
        if original is not None:
            self.revisit_count += 1
        elif self.revisits and not exchange.truncated:
            self._remember(exchange.url, digest, location, file.last_date)
        if self.max_bytes and file.size >= self.max_bytes:
            self._close_current()
        return location

    # -- revisits: what was captured before, by URL, kept beside the files -----------------

    @property
    def captures_path(self) -> Path:
        """One JSON line per full capture written to this folder: a later crawl writes a
        ``revisit`` for an unchanged page instead of its bytes again. Losing this file only
        means the next capture of each page is written whole."""
        return self.directory / f"{self.prefix}-captures.jsonl"

    def _original(self, exchange: HttpExchange, digest: str) -> Original | None:
        if not self.revisits or exchange.truncated:
            return None
        if self._captures is None:
            self._captures = _load_captures(self.captures_path, self.directory)
        known = self._captures.get(exchange.url)
        return known[1] if known is not None and known[0] == digest else None

    def _remember(self, url: str, digest: str, location: WarcLocation, date: str) -> None:
        original = Original(location.record_id, url, date, location.warc, location.offset)
        assert self._captures is not None
        self._captures[url] = (digest, original)
        line = {"url": url, "digest": digest, "record_id": original.record_id,
                "date": date, "file": original.file, "offset": original.offset}  # fmt: skip
        with suppress(OSError), self.captures_path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")

    def _open(self) -> WarcFile:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
            name = (
                f"{self.prefix}-{stamp}-{_HOST}-{os.getpid()}-{_TOKEN}-{next(_serial):05d}.warc.gz"
            )
            try:
                file = WarcFile(self.directory / name, info=self.info, fsync=self.fsync)
            except FileExistsError:  # another process with a recycled pid, same second
                continue
            break
        self._current = file
        self.files += 1
        self.records += file.records
        self.bytes += file.size
        return file

    def _close_current(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None

    def close(self) -> None:
        self._close_current()


def _load_captures(path: Path, directory: Path) -> dict[str, tuple[str, Original]]:
    """The last full capture of each URL whose file is still in ``directory``."""
    captures: dict[str, tuple[str, Original]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return captures
    for line in lines:
        try:
            entry = json.loads(line)
            original = Original(entry["record_id"], entry["url"], entry["date"],
                                entry["file"], int(entry["offset"]))  # fmt: skip
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a crash
        if (directory / original.file).is_file():
            captures[original.url] = (str(entry["digest"]), original)
    return captures


def _size(file: WarcFile) -> int:
    return file.path.stat().st_size if file.closed else file.size


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
