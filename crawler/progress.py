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
from typing import Any, TypeVar

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


class Bar:
    """A bar advanced by hand (``update(n)``), for work counted in bytes or steps rather
    than items of one iterable; does nothing when bars are not shown."""

    def __init__(self, what: str, *, total: int | None = None, unit: str = "it") -> None:
        self._bar: tqdm[Any] | None = None
        if shown():
            self._bar = tqdm(
                desc=what,
                total=total,
                unit=unit,
                unit_scale=unit == "B",
                leave=False,
                file=sys.stderr,
                dynamic_ncols=True,
            )

    def update(self, steps: int) -> None:
        if self._bar is not None and steps > 0:
            self._bar.update(steps)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
