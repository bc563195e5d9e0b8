"""What the database-reading commands share: opening ``WIRETRACE_DB`` without creating it,
and failing with one clear line and exit code 1 instead of a traceback.

Not a command itself (it defines no ``Command``), so Scrapy lists nothing for it.
"""

from __future__ import annotations

import sys

from scrapy.commands import ScrapyCommand
from scrapy.settings import BaseSettings

from crawler.schedule import RevisitPolicy
from crawler.storage import DATABASE_ERRORS, Store, open_store, redact


def open_command_store(settings: BaseSettings, command: str, owner: ScrapyCommand) -> Store | None:
    """The store ``WIRETRACE_DB`` names, or None after printing why (exit code 1).

    Never creates a file: a report over a mistyped path should say so, not show an empty
    database.
    """
    target = settings.get("WIRETRACE_DB")
    if not target:
        fail(owner, command, "WIRETRACE_DB is empty: give the database with -s WIRETRACE_DB=<path>")
        return None
    try:
        return open_store(target, create=False, policy=RevisitPolicy.from_settings(settings))
    except FileNotFoundError:
        fail(
            owner,
            command,
            f"no wiretrace database at {redact(target)}: crawl first, or point to one with "
            "-s WIRETRACE_DB=<path>",
        )
    except (ValueError, RuntimeError) as exc:
        fail(owner, command, f"cannot open the wiretrace database {redact(target)}: {exc}")
    except DATABASE_ERRORS as exc:
        fail(owner, command, f"cannot open the wiretrace database {redact(target)}: {exc}")
    return None


def fail(owner: ScrapyCommand, command: str, message: str) -> None:
    print(f"scrapy {command}: {message}", file=sys.stderr)
    owner.exitcode = 1
