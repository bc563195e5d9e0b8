"""Saved responses, looked up by URL: a fixtures folder (see fixtures/README.md) or WARC
files (what a live crawl archives, or what ``scrapy packwarc`` makes of fixtures).

Replay answers every request from here instead of the network, through the same spiders
and pipelines as a live crawl. Both sources offer one interface, ``get(url)``, so the
replay middleware does not care which one it reads.

Folders are walked following symbolic links (each real folder once, so a link cycle ends),
and what each file holds is remembered in an index file (``WIRETRACE_REPLAY_INDEX_DIR``),
keyed by the file's size and modification time: a restart reads again only the files that
changed, instead of every ``response.json`` of the folder before the first page is served.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from w3lib.url import canonicalize_url

from crawler.archive.location import WarcLocation
from crawler.archive.reader import WARC_SUFFIXES, is_warc, iter_responses, read_response
from crawler.progress import Bar

logger = logging.getLogger(__name__)

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
    #: The ``response.json`` it was read from.
    meta_path: Path | None = None

    def body(self) -> bytes:
        return self.body_path.read_bytes() if self.body_path else b""


def url_key(url: str) -> str:
    """Requests and saved pages match on the canonical URL (query sorted, no fragment)."""
    return canonicalize_url(url, keep_fragments=False)


def walk_files(root: Path, wanted: Callable[[str], bool]) -> list[Path]:
    """Files below ``root`` whose name is ``wanted``, sorted by path, following symbolic
    links to folders (``Path.rglob`` skips them) and entering each real folder once."""
    return sorted(iter_files(root, wanted))


def iter_files(root: Path, wanted: Callable[[str], bool]) -> Iterator[Path]:
    """``walk_files``, unsorted and as found (a caller may stop at the first)."""
    seen: set[tuple[int, int]] = set()
    for folder, folders, files in os.walk(root, followlinks=True):
        info = Path(folder).stat()
        if (info.st_dev, info.st_ino) in seen:
            folders[:] = []  # a link back to a folder already read
            continue
        seen.add((info.st_dev, info.st_ino))
        yield from (Path(folder, name) for name in files if wanted(name))


class IndexCache:
    """What each file of a replay source held last time, keyed by its size and mtime.

    One JSON file per source folder under ``directory`` (none: nothing remembered). A cache
    that cannot be read or written costs a full read, never a wrong answer or a failed crawl.
    """

    VERSION = 2

    def __init__(self, directory: str | Path | None, root: Path, kind: str) -> None:
        self.path: Path | None = None
        if directory:
            digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
            self.path = Path(directory) / f"{kind}-{digest}.json"
        self._old: dict[str, list[Any]] = {}
        self._new: dict[str, list[Any]] = {}
        self.reread = 0
        if self.path is not None and self.path.is_file():
            try:
                saved = json.loads(self.path.read_text(encoding="utf-8"))
                if saved.get("version") == self.VERSION:
                    self._old = saved["files"]
            except (OSError, ValueError, KeyError, TypeError):
                logger.info("replay index cache %s unreadable: rebuilding it", self.path)

    def stamp(self, name: str) -> list[Any] | None:
        """[mtime_ns, size] of the file when the cache last read it."""
        hit = self._old.get(name)
        return hit[:2] if hit else None

    def remembered(self) -> dict[str, list[Any]]:
        """Every file the cache knows, as ``{path: [mtime_ns, size, value]}``."""
        return self._old

    def get(self, file: Path, read: Callable[[Path], Any]) -> Any:
        """What ``read(file)`` gives, from the cache while the file is unchanged."""
        info = file.stat()
        key = str(file)
        stamp = [info.st_mtime_ns, info.st_size]
        hit = self._old.get(key)
        if hit is not None and hit[:2] == stamp:
            self._new[key] = hit
            return hit[2]
        value = read(file)
        self._new[key] = [*stamp, value]
        self.reread += 1
        return value

    def save(self) -> None:
        if self.path is None or (not self.reread and self._new.keys() == self._old.keys()):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(
                json.dumps({"version": self.VERSION, "files": self._new}), encoding="utf-8"
            )
            partial.replace(self.path)
        except OSError as exc:
            logger.warning("replay index cache not saved at %s: %s", self.path, exc)


class FixtureSource:
    """Every ``response.json`` below a folder, indexed by URL; bodies read when asked for.

    With an index cache from an earlier run, the folder is not walked at start: the cached
    index answers, each answer checked against its file's size and mtime when asked for,
    and the first URL it does not hold (or holds from a file that changed) makes one walk of
    the folder, which picks up whatever was added, changed or removed since. One page
    from a 50,000-page folder is then served without reading the other 49,999 first.
    """

    def __init__(self, root: Path, cache_dir: str | Path | None = None) -> None:
        if not root.is_dir():
            raise FileNotFoundError(f"REPLAY_FROM: no folder at {root}")
        self.root = root
        self._cache = IndexCache(cache_dir, root, "fixtures")
        #: canonical URL → (its ``response.json``, what the file says); answers are built
        #: when asked for, so a kept index of 50,000 pages loads as one JSON file.
        self._index: dict[str, tuple[str, dict[str, Any]]] = {}
        self._complete = False
        remembered = self._cache.remembered()
        if remembered and all(len(entry) == 3 for entry in remembered.values()):
            for name, (_, _, meta) in remembered.items():
                self._index.setdefault(meta["key"], (name, meta))
        else:
            self._scan()

    def _scan(self) -> None:
        """Walk the folder: every ``response.json``, read unless the cache has it unchanged."""
        self._index = {}
        for meta_path in walk_files(self.root, lambda name: name == "response.json"):
            meta = self._cache.get(meta_path, self._read)
            if meta["key"] in self._index:
                raise ValueError(f"REPLAY_FROM: {meta['url']} is saved twice ({meta_path})")
            self._index[meta["key"]] = (str(meta_path), meta)
        self._cache.save()
        self._complete = True

    def _current(self, name: str) -> bool:
        """Whether the file is as the kept index saw it (always, once the folder was walked)."""
        if self._complete:
            return True
        try:
            info = Path(name).stat()
        except OSError:
            return False
        return self._cache.stamp(name) == [info.st_mtime_ns, info.st_size]

    @staticmethod
    def _read(meta_path: Path) -> dict[str, Any]:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return {
            "url": meta["url"],
            "key": url_key(meta["url"]),
            "status": int(meta.get("status", 200)),
            "headers": {str(k): str(v) for k, v in meta.get("headers", {}).items()},
            "body": meta.get("body"),
        }

    @staticmethod
    def _saved(name: str, meta: dict[str, Any]) -> SavedResponse:
        body = meta.get("body")
        meta_path = Path(name)
        return SavedResponse(
            url=meta["url"],
            status=meta["status"],
            headers=meta["headers"],
            body_path=meta_path.parent / body if body else None,
            meta_path=meta_path,
        )

    def __len__(self) -> int:
        return len(self._index)

    def get(self, url: str) -> SavedResponse | None:
        key = url_key(url)
        found = self._index.get(key)
        if found is not None and self._current(found[0]):
            return self._saved(*found)
        if not self._complete and urlparse(url).path != "/robots.txt":
            self._scan()  # something was added, changed or removed since the index was kept
            found = self._index.get(key)
            return self._saved(*found) if found else None
        return None

    def __iter__(self) -> Iterator[SavedResponse]:
        """Every saved response, in the order of their folders' paths (stable)."""
        if not self._complete:
            self._scan()
        return (self._saved(*found) for found in self._index.values())


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

    def __init__(self, path: Path, cache_dir: str | Path | None = None) -> None:
        if is_warc(path):
            self.root, files = path.parent, [path]
        elif path.is_dir():
            self.root, files = path, walk_files(path, lambda name: name.endswith(WARC_SUFFIXES))
        else:
            raise FileNotFoundError(f"REPLAY_FROM: no WARC file or folder at {path}")
        self._index: dict[str, tuple[Path, WarcLocation]] = {}
        cache = IndexCache(cache_dir, path, "warc")
        sizes = [file.stat().st_size for file in files]
        with Bar("indexing the WARC archive", total=sum(sizes), unit="B") as bar:
            for file, size in zip(files, sizes, strict=True):
                name = file.relative_to(self.root).as_posix()
                for url, offset, record_id in cache.get(file, _warc_entries):
                    location = WarcLocation(name, offset, record_id)
                    self._index[url_key(url)] = (file, location)
                bar.update(size)
        cache.save()

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


def _warc_entries(file: Path) -> list[list[Any]]:
    """(url, offset, record id) of each web response record of a WARC file."""
    return [
        [entry.url, entry.offset, entry.record_id]
        for entry in iter_responses(file)
        if entry.url.startswith(("http://", "https://"))
    ]


def is_warc_source(path: Path) -> bool:
    """A WARC file, or a folder that holds WARC files and no fixture (``response.json``)."""
    if path.is_dir():
        warc = False
        for file in iter_files(path, _replay_file):
            if file.name == "response.json":
                return False  # a fixtures folder: no need to look further
            warc = True
        return warc
    return is_warc(path)


def _replay_file(name: str) -> bool:
    return name == "response.json" or name.endswith(WARC_SUFFIXES)


def open_source(
    path: str | Path, cache_dir: str | Path | None = None
) -> FixtureSource | WarcSource:
    """The replay source for ``REPLAY_FROM``: a WARC file, a folder of WARC files, or a
    fixtures folder; ``cache_dir`` keeps their index between runs (None: not kept)."""
    path = Path(path)
    if path.name.endswith(WARC_SUFFIXES) or is_warc_source(path):
        return WarcSource(path, cache_dir)
    return FixtureSource(path, cache_dir)
