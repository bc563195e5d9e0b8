"""Progress bars for long commands, shown only to a person at a terminal.

``scrapy reuse``, ``stories``, ``report``, ``packwarc`` and the index scan of a large replay
archive run for minutes on a big store; a person watching wants to see they move. Cron,
scrapyd and log files want nothing of it: a bar redrawn with carriage returns is noise in a
log. So a bar is drawn only when standard error is a terminal, and is gone when it ends
(``leave=False``): what the command prints afterwards reads the same with or without one.
tqdm draws it (rates, remaining time, terminal width) rather than code of our own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")

#: Set to ``0`` to hide bars even at a terminal (``1`` shows them even without one).
ENV = "WIRETRACE_PROGRESS"


def shown() -> bool:
    """Whether bars are drawn: at a terminal, unless ``WIRETRACE_PROGRESS`` says otherwise."""
    forced = os.environ.get(ENV, "").strip()
    if forced in {"0", "1"}:
        return forced == "1"
    stream = sys.stderr
    return stream is not None and stream.isatty()


def progress(
    items: Iterable[T], what: str, *, total: int | None = None, unit: str = "it"
) -> Iterator[T]:
    """``items`` unchanged, with a bar on standard error while they are gone through."""
    if not shown():
        yield from items
        return
    with tqdm(
        items, desc=what, total=total, unit=unit, leave=False, file=sys.stderr, dynamic_ncols=True
    ) as bar:
        yield from bar
