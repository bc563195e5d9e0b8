"""WARC files that survive a crash: each record is its own gzip member, flushed and
fsync'd before the next one starts, so killing the crawler at any moment loses at most the
record being written (a truncated last member, which readers skip).

``WarcFile`` is one file (the fixture packer writes exactly one); ``RotatingWarcWriter``
is what a crawl uses: it names files, starts a new one when the current one is big enough,
and counts what it wrote. Neither knows about Scrapy.
"""

from __future__ import annotations

import itertools
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
from crawler.archive.records import HttpExchange, build_pair

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
        self, exchange: HttpExchange, *, warc_date: str | None = None
    ) -> WarcLocation:
        """Append the response record, then its request record; the response's location."""
        response, request = build_pair(
            self._writer,
            exchange,
            warc_date=warc_date or self._writer.curr_warc_date(),
            warcinfo_id=self.warcinfo_id,
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
    ) -> None:
        self.directory = directory
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
        try:
            location = file.write_exchange(exchange)
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
        if self.max_bytes and file.size >= self.max_bytes:
            self._close_current()
        return location

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


def _size(file: WarcFile) -> int:
    return file.path.stat().st_size if file.closed else file.size


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
