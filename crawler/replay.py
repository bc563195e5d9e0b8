"""Saved responses, looked up by URL: a fixtures folder (see fixtures/README.md) or WARC
files (what a live crawl archives, or what ``scrapy packwarc`` makes of fixtures).

Replay answers every request from here instead of the network, through the same spiders
and pipelines as a live crawl. Both sources offer one interface, ``get(url)``, so the
replay middleware does not care which one it reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from w3lib.url import canonicalize_url

from crawler.archive.location import WarcLocation
from crawler.archive.reader import WARC_SUFFIXES, is_warc, iter_responses, read_response
from crawler.progress import Bar

#: Response headers as ``scrapy.http.Headers`` takes them: text from a fixture's JSON, or
#: bytes exactly as a WARC record stores them (a name may repeat, e.g. Set-Cookie).
HeaderMap = Mapping[str, str] | Mapping[bytes, list[bytes]]


class Saved(Protocol):
    """One saved response, as the replay middleware reads it."""

    @property
    def url(self) -> str: ...
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> HeaderMap: ...
    @property
    def location(self) -> WarcLocation | None: ...
    def body(self) -> bytes: ...


class ReplaySource(Protocol):
    def __len__(self) -> int: ...
    def get(self, url: str) -> Saved | None: ...


@dataclass(frozen=True)
class SavedResponse:
    url: str
    status: int
    headers: dict[str, str]
    body_path: Path | None
    #: Fixtures are not archived records: nothing to point an item's ``fetch.warc`` at.
    location: WarcLocation | None = None

    def body(self) -> bytes:
        return self.body_path.read_bytes() if self.body_path else b""


def url_key(url: str) -> str:
    """Requests and saved pages match on the canonical URL (query sorted, no fragment)."""
    return canonicalize_url(url, keep_fragments=False)


class FixtureSource:
    """Every ``response.json`` below a folder, indexed by URL; bodies read when asked for."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise FileNotFoundError(f"REPLAY_FROM: no folder at {root}")
        self.root = root
        self._index: dict[str, SavedResponse] = {}
        for meta_path in sorted(root.rglob("response.json")):
            saved = self._load(meta_path)
            key = url_key(saved.url)
            if key in self._index:
                raise ValueError(f"REPLAY_FROM: {saved.url} is saved twice ({meta_path})")
            self._index[key] = saved

    @staticmethod
    def _load(meta_path: Path) -> SavedResponse:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body = meta.get("body")
        return SavedResponse(
            url=meta["url"],
            status=int(meta.get("status", 200)),
            headers={str(k): str(v) for k, v in meta.get("headers", {}).items()},
            body_path=meta_path.parent / body if body else None,
        )

    def __len__(self) -> int:
        return len(self._index)

    def get(self, url: str) -> SavedResponse | None:
        return self._index.get(url_key(url))

    def __iter__(self) -> Iterator[SavedResponse]:
        """Every saved response, in the order of their folders' paths (stable)."""
        return iter(self._index.values())


@dataclass(frozen=True)
class WarcResponse:
    """A response read from its WARC record; ``location`` is that record."""

    url: str
    status: int
    headers: dict[bytes, list[bytes]]
    location: WarcLocation
    content: bytes

    def body(self) -> bytes:
        return self.content


class WarcSource:
    """Every ``response`` record of one WARC file or of the WARC files below a folder,
    indexed by canonical URL (as fixtures are). Only each record's place is kept; status,
    headers and body are read from the file when the URL is asked for.

    A URL captured more than once (a re-crawl, a retried 500) replays its **last** capture:
    files are read in path order, which for the crawl's files (named by UTC time) is the
    order they were written in, and records in file order.
    """

    def __init__(self, path: Path) -> None:
        if is_warc(path):
            self.root, files = path.parent, [path]
        elif path.is_dir():
            self.root, files = path, sorted(p for p in path.rglob("*") if is_warc(p))
        else:
            raise FileNotFoundError(f"REPLAY_FROM: no WARC file or folder at {path}")
        self._index: dict[str, tuple[Path, WarcLocation]] = {}
        sizes = [file.stat().st_size for file in files]
        with Bar("indexing the WARC archive", total=sum(sizes), unit="B") as bar:
            for file, size in zip(files, sizes, strict=True):
                name = file.relative_to(self.root).as_posix()
                read = 0
                for entry in iter_responses(file):
                    bar.update(entry.offset - read)
                    read = max(read, entry.offset)
                    if entry.url.startswith(("http://", "https://")):
                        location = WarcLocation(name, entry.offset, entry.record_id)
                        self._index[url_key(entry.url)] = (file, location)
                bar.update(size - read)

    def __len__(self) -> int:
        return len(self._index)

    def get(self, url: str) -> WarcResponse | None:
        found = self._index.get(url_key(url))
        if found is None:
            return None
        file, location = found
        record = read_response(file, location.offset)
        headers: dict[bytes, list[bytes]] = {}
        for name, value in record.headers:
            headers.setdefault(name, []).append(value)
        return WarcResponse(record.url, record.status, headers, location, record.body)


def is_warc_source(path: Path) -> bool:
    """A WARC file, or a folder that holds WARC files and no fixture (``response.json``)."""
    if path.is_dir():
        return not any(path.rglob("response.json")) and any(
            is_warc(p) for p in path.rglob("*.warc*")
        )
    return is_warc(path)


def open_source(path: str | Path) -> FixtureSource | WarcSource:
    """The replay source for ``REPLAY_FROM``: a WARC file, a folder of WARC files, or a
    fixtures folder."""
    path = Path(path)
    if path.name.endswith(WARC_SUFFIXES) or is_warc_source(path):
        return WarcSource(path)
    return FixtureSource(path)
