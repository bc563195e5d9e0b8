"""The storage interface: the only thing pipelines, commands and exporters know about storage.

It is kept small on purpose so that a PostgreSQL store (for a shared, multi-machine
deployment) can stand behind it later without touching its callers. SQLite, one file, is
the default because a crawl must run with nothing installed beyond the package.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

__all__ = ["SaveResult", "SaveStatus", "Store", "open_store"]

_POSTGRES_SCHEMES = frozenset({"postgresql", "postgres"})


class SaveStatus(StrEnum):
    """What a save did to an article's history, so callers can count changes without SQL."""

    NEW = "new"  # first time this URL is stored
    NEW_VERSION = "new_version"  # the article's text differs from its latest version
    UNCHANGED = "unchanged"  # same text (whitespace aside) as its latest version


@dataclass(frozen=True, slots=True)
class SaveResult:
    """The outcome of one save, with the row ids a caller may want to log or link to."""

    status: SaveStatus
    article_id: int
    version_id: int


@runtime_checkable
class Store(Protocol):
    """What every storage backend offers; items go in through ``ItemAdapter``, dicts come out."""

    def save_article(self, item: Any) -> SaveResult:
        """Store one scraped article atomically: all of its rows, or none of them."""
        ...

    def articles(self, outlet: str | None = None) -> Iterator[dict[str, Any]]:
        """Each stored article as its latest item JSON plus ``first_seen``/``last_seen``."""
        ...

    def provenance(
        self, outlet: str | None = None, agency: str | None = None, url: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Each stored article's latest provenance, the filters combined with AND.

        A record holds ``url``, ``outlet``, ``title``, ``published``, the item's ``chain``,
        ``basis``, ``cited``, ``media`` and ``evidence``, the latest ``version_id`` (and its
        ``text_sha256``), ``first_seen`` and ``last_seen``. ``agency`` keeps the articles
        whose copy chain, cited ids or image-credit chains name that registry id.
        """
        ...

    def versions(self, url: str) -> list[dict[str, Any]]:
        """The distinct texts one article has had, oldest first."""
        ...

    def fetch_count(self) -> int:
        """How many distinct fetches (url, body digest, status) are recorded."""
        ...

    def close(self) -> None:
        """Release the connection; the store must not be used afterwards."""
        ...


def open_store(target: str | os.PathLike[str], *, create: bool = True) -> Store:
    """Open the store a setting names, so callers never pick a backend class themselves.

    ``target`` is a plain file path, or a URL: ``sqlite:///relative/path`` and
    ``sqlite:////absolute/path`` (the SQLAlchemy convention, so the URLs people already
    write keep working). ``postgresql://`` is reserved for the planned PostgreSQL store.
    With ``create=False`` (readers, reports) a missing database is ``FileNotFoundError``
    instead of a new empty file.
    """
    path = _sqlite_path(os.fspath(target))
    if not create and not path.is_file():
        raise FileNotFoundError(f"no wiretrace database at {path}")
    from crawler.storage.sqlite import SQLiteStore  # deferred: backends import this module

    return SQLiteStore(path)


def _sqlite_path(target: str) -> Path:
    """Resolve a storage target to a SQLite file path, refusing anything else loudly."""
    if not target.strip():
        raise ValueError("empty storage target: give a SQLite file path or a sqlite:/// URL")
    scheme, separator, rest = target.partition("://")
    if not separator:
        return Path(target)
    scheme = scheme.lower()
    if scheme == "sqlite":
        return _path_from_sqlite_url(rest)
    # Only the scheme is echoed: a database URL may carry a password.
    if scheme.split("+", 1)[0] in _POSTGRES_SCHEMES:
        raise NotImplementedError(
            "PostgreSQL storage is planned behind the same Store interface but not "
            "implemented yet; use a SQLite file path or a sqlite:/// URL"
        )
    raise ValueError(
        f"unsupported storage scheme {scheme!r}: use a SQLite file path, "
        "sqlite:///relative/path or sqlite:////absolute/path"
    )


def _path_from_sqlite_url(rest: str) -> Path:
    """Take the part after ``sqlite://``; a host part is refused rather than guessed at."""
    if not rest.startswith("/") or len(rest) < 2:
        raise ValueError(
            "a sqlite URL names a file with three slashes: sqlite:///relative/path "
            "or sqlite:////absolute/path"
        )
    return Path(rest[1:])
