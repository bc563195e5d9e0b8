"""What the database-reading commands share: opening ``WIRETRACE_DB`` without creating it,
and failing with one clear line and exit code 1 instead of a traceback.

Not a command itself (it defines no ``Command``), so Scrapy lists nothing for it.
"""

from __future__ import annotations

import os
import sys
from types import TracebackType

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


def quiet_broken_pipe() -> None:
    """End quietly when the reader of our output goes away (``scrapy versions URL | head``)
    instead of printing a ``BrokenPipeError`` traceback; any other error is reported as
    before. Python's own advice: point stdout at devnull so the final flush cannot fail."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, BrokenPipeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return
        previous(kind, error, tb)

    sys.excepthook = hook
