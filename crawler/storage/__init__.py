"""The storage interface: the only thing pipelines, commands and exporters know about storage.

It is kept small on purpose so that the PostgreSQL store (a shared, multi-machine
deployment: ``postgresql://`` URLs, see docs/deployment.md) stands behind it without its
callers knowing. SQLite, one file, is the default because a crawl must run with nothing
installed beyond the package.
"""

from __future__ import annotations

import difflib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

import psycopg

if TYPE_CHECKING:
    from crawler.schedule import RevisitPolicy

__all__ = [
    "DATABASE_ERRORS",
    "SaveResult",
    "SaveStatus",
    "Store",
    "database_id",
    "open_store",
    "paragraphs",
    "redact",
    "version_diff",
]

_POSTGRES_SCHEMES = frozenset({"postgresql", "postgres"})

#: What a database error is, whichever backend raised it: commands catch these to fail with
#: one line instead of a traceback.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, psycopg.Error)


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
        """Store one scraped article atomically: all of its rows, or none of them.

        Each save is also a visit: it moves the article's ``last_seen``, counts the visit,
        and sets when the article is next due with the store's ``RevisitPolicy``.
        """
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

    def unresolved(
        self, outlet: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Source names the stored evidence gives that no registry entry matched.

        Read from each article's latest item: the ``unresolved`` names of its evidence (and
        the ``unknown:<name>`` ids items stored before that field carry). Most common
        first, each a dict: ``name``, ``articles`` (how many articles name it), ``kinds``
        (the evidence kinds it was found in) and ``example`` (the URL of the article that
        named it most recently).
        """
        ...

    def versions(self, url: str) -> list[dict[str, Any]]:
        """The distinct texts one article has had, oldest first.

        Each holds ``id``, ``text_sha256``, ``text``, ``title``, ``first_seen`` and ``diff``:
        the unified diff of its paragraphs against the text it replaced (``None`` for the
        first version).
        """
        ...

    def known(self, url: str, outlet: str | None = None) -> bool:
        """Whether an article is stored under this URL (requested, or canonical on one of
        ``outlet``'s own articles when given)."""
        ...

    def known_among(self, urls: Iterable[str], outlet: str | None = None) -> set[str]:
        """Those of ``urls`` that ``known`` says are stored, asked in one query."""
        ...

    def due_for_revisit(
        self, now: datetime, outlet: str | None = None, limit: int | None = None
    ) -> list[str]:
        """URLs of stored articles whose next visit is at or before ``now``, most overdue first."""
        ...

    def fetch_count(self) -> int:
        """How many distinct fetches (url, body digest, status) are recorded."""
        ...

    def reuse_docs(self) -> Iterator[dict[str, Any]]:
        """Each article's latest text with what reuse detection needs to weigh it.

        ``url``, ``outlet``, ``published``, ``language``, ``title``, ``text`` and the
        ``version_id`` the text is from.
        """
        ...

    def save_reuse(
        self, pairs: Sequence[Mapping[str, Any]], *, computed_at: datetime | None = None
    ) -> None:
        """Replace every stored reuse pair with these (one detection run's findings).

        A pair: ``a``, ``b`` (URLs of stored articles), ``share_a``, ``share_b``,
        ``passages`` (char offsets ``a_start``, ``a_end``, ``b_start``, ``b_end`` into the
        latest texts, and ``words``), ``earlier`` (one of the two URLs, or None).
        """
        ...

    def reuse_pairs(self, url: str | None = None) -> list[dict[str, Any]]:
        """The stored reuse pairs (all, or those of one article), with both articles'
        outlet, publication time and title beside their URLs."""
        ...

    def apply_inferred(
        self, url: str, chain: Sequence[Sequence[str]], basis: str, evidence: Mapping[str, Any]
    ) -> bool:
        """Set an article's chain from text reuse and add the evidence (once).

        Never overrides a credit line: returns False and changes nothing then, or when the
        URL is not stored. An empty ``chain`` adds the evidence only.
        """
        ...

    def apply_inferred_many(
        self,
        inferences: Iterable[tuple[str, Sequence[Sequence[str]], str, Mapping[str, Any]]],
        *,
        batch: int = ...,
    ) -> list[bool]:
        """``apply_inferred`` for each ``(url, chain, basis, evidence)``, in order, with one
        transaction per ``batch`` of them; each batch is applied whole or not at all."""
        ...

    @property
    def pending(self) -> int:
        """Saves made since the last commit (0 once committed): what a failed commit loses."""
        ...

    def rollback(self) -> int:
        """Take back the saves made since the last commit (after a write failed, so that
        what is reported lost is exactly what is not stored); how many."""
        ...

    def commit(self) -> None:
        """Make every save so far durable.

        A store opened with ``commit_every=N`` commits on its own after every N saves (and
        on ``close``); a crawl calls this on a timer too, so a quiet spell never leaves saved
        articles uncommitted. Each save stays atomic either way.
        """
        ...

    def close(self) -> None:
        """Commit pending saves and release the connection; the store must not be used
        afterwards."""
        ...


def open_store(
    target: str | os.PathLike[str],
    *,
    create: bool = True,
    policy: RevisitPolicy | None = None,
    commit_every: int = 1,
    busy_timeout: float | None = None,
    lock_wait: float | None = None,
) -> Store:
    """Open the store a setting names, so callers never pick a backend class themselves.

    ``target`` is a plain file path, or a URL: ``sqlite:///relative/path`` and
    ``sqlite:////absolute/path`` (the SQLAlchemy convention, so the URLs people already
    write keep working), or ``postgresql://user@host/db`` (also ``postgres://`` and
    ``postgresql+psycopg://``) for the shared PostgreSQL store. With ``create=False``
    (readers, reports) a missing database is ``FileNotFoundError`` instead of a new empty
    one. ``policy`` schedules revisits of the articles saved (and bounds which are due);
    without one the defaults of ``crawler.schedule.RevisitPolicy`` apply, so a crawl should
    pass ``RevisitPolicy.from_settings(settings)``. ``commit_every`` saves share one
    transaction (see ``Store.commit``); 1, the default, commits each.
    ``busy_timeout`` is how long one attempt to write waits for another process, and
    ``lock_wait`` how long a save keeps trying in all (the backend's defaults when None;
    SQLite only). A reader (``create=False``) never writes into what it opens: an empty file
    or a file that is not a wiretrace database is ``ValueError``.
    """
    url = _postgres_url(os.fspath(target))
    if url is not None:
        from crawler.storage.postgres import PostgresStore  # deferred, as below

        return PostgresStore(url, policy=policy, commit_every=commit_every, create=create)
    path = _sqlite_path(os.fspath(target))
    if not create and not path.is_file():
        raise FileNotFoundError(f"no wiretrace database at {path}")
    from crawler.storage.sqlite import (  # deferred: backends import this module
        BUSY_TIMEOUT,
        LOCK_WAIT,
        SQLiteStore,
    )

    return SQLiteStore(
        path,
        policy=policy,
        commit_every=commit_every,
        create=create,
        busy_timeout=BUSY_TIMEOUT if busy_timeout is None else busy_timeout,
        lock_wait=LOCK_WAIT if lock_wait is None else lock_wait,
    )


def paragraphs(text: str) -> list[str]:
    """The paragraphs of an article's text (one per line), each with its whitespace collapsed.

    Versions are told apart by text with whitespace collapsed, so diffs and paragraph counts
    ignore whitespace too: a re-wrap that comes along with a real edit does not bury it.
    """
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def version_diff(old_text: str, new_text: str, old_seen: str, new_seen: str) -> str:
    """The unified diff, paragraph by paragraph, from one version's text to the next one's.

    The headers name when each version was first seen, so a diff read on its own still
    says which two versions it compares. Every backend stores the same text this way.
    """
    lines = difflib.unified_diff(
        paragraphs(old_text), paragraphs(new_text), fromfile=old_seen, tofile=new_seen, lineterm=""
    )
    return "\n".join(lines)


def database_id(target: str | os.PathLike[str]) -> str:
    """One name per database however a setting spells it (``data/db.sqlite``,
    ``sqlite:///data/db.sqlite``), so a process can keep one connection per database."""
    url = _postgres_url(os.fspath(target))
    if url is not None:
        return url
    return str(_sqlite_path(os.fspath(target)).resolve())


def _postgres_url(target: str) -> str | None:
    """The target itself when it is a PostgreSQL URL, else None."""
    scheme, separator, _ = target.partition("://")
    if separator and scheme.lower().split("+", 1)[0] in _POSTGRES_SCHEMES:
        return target
    return None


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
    raise ValueError(
        f"unsupported storage scheme {scheme!r}: use a SQLite file path, "
        "sqlite:///relative/path, sqlite:////absolute/path or postgresql://user@host/db"
    )


def _path_from_sqlite_url(rest: str) -> Path:
    """Take the part after ``sqlite://``; a host part is refused rather than guessed at."""
    if not rest.startswith("/") or len(rest) < 2:
        raise ValueError(
            "a sqlite URL names a file with three slashes: sqlite:///relative/path "
            "or sqlite:////absolute/path"
        )
    return Path(rest[1:])


def redact(target: str) -> str:
    """A storage target fit for messages and logs: a URL's password masked."""
    parts = urlsplit(target)
    if "://" not in target or parts.password is None:
        return target
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
