"""Settings checked before a crawl starts, so a mistake costs one line and exit code 1.

Without these, a missing ``REPLAY_FROM`` folder or an unwritable database surfaced as a
traceback from deep inside Scrapy (four of them under ``crawlall``, one per spider), and a
feed given with ``-O`` was already emptied. Each check returns the one line a user needs:
what is wrong, with which path, and which setting to change.

Not a command itself (it defines no ``Command``).
"""

from __future__ import annotations

import os
from pathlib import Path

from scrapy.settings import BaseSettings

from crawler.archive.reader import WARC_SUFFIXES, is_warc
from crawler.storage import _postgres_url, _sqlite_path


def problems(settings: BaseSettings) -> list[str]:
    """Every mistake found in the crawl's settings, one line each (empty: none)."""
    found = []
    replay = settings.get("REPLAY_FROM")
    if replay:
        found += _replay_problems(Path(replay))
    target = settings.get("WIRETRACE_DB")
    if target and _postgres_url(str(target)) is None:  # a server is checked when it connects
        found += _db_problems(str(target))
    try:
        if settings.getint("WIRETRACE_MIN_WORDS", 0) < 0:
            found.append("WIRETRACE_MIN_WORDS: must be 0 or more (words of prose an article needs)")
    except ValueError:
        found.append(
            f"WIRETRACE_MIN_WORDS: not a whole number: {settings.get('WIRETRACE_MIN_WORDS')!r}"
        )
    warc_dir = settings.get("WIRETRACE_WARC_DIR")
    if warc_dir and not replay:
        reason = unwritable_dir(Path(warc_dir))
        if reason:
            found.append(f"WIRETRACE_WARC_DIR: cannot write WARC files to {warc_dir}: {reason}")
    return found


def _replay_problems(path: Path) -> list[str]:
    if not path.exists():
        return [f"REPLAY_FROM: no such folder or WARC file: {path}"]
    if path.is_file():
        if path.name.endswith(WARC_SUFFIXES):
            return []
        return [f"REPLAY_FROM: {path} is a file, not a folder of saved pages or a WARC file"]
    saved = next(path.rglob("response.json"), None) or next(
        (p for p in path.rglob("*.warc*") if is_warc(p)), None
    )
    if saved is None:
        return [f"REPLAY_FROM: {path} holds no saved pages (no response.json, no WARC file)"]
    return []


def _db_problems(target: str) -> list[str]:
    try:
        path = _sqlite_path(target)
    except (ValueError, NotImplementedError) as error:
        return [f"WIRETRACE_DB: {error}"]
    if path.is_dir():
        return [f"WIRETRACE_DB: {path} is a folder; give the database file's path"]
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            return [f"WIRETRACE_DB: cannot write the database {path}: permission denied"]
        # SQLite writes its journal (-wal, -shm) beside the file.
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return [
                f"WIRETRACE_DB: cannot write beside the database {path} (its journal): "
                f"permission denied on {path.parent}"
            ]
        return []
    reason = unwritable_dir(path.parent)
    if reason:
        return [f"WIRETRACE_DB: cannot create the database {path}: {reason}"]
    return []


def unwritable_dir(folder: Path) -> str | None:
    """Why files cannot be created in ``folder`` (made if missing); None when they can."""
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        return f"{existing} is a file, not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"permission denied on {existing}"
    return None
