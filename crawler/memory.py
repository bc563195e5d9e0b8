"""Hands the memory a page's reading freed back to the operating system.

trafilatura reads a page on copies of its tree (five on a page it reads in full), all in
libxml2's memory. glibc keeps the pages of that memory once it is freed, for later ``malloc``
calls, but Python's own objects come from arenas of their own: everything built after
trafilatura (the evidence, the provenance mentions) was added on top of its freed copies,
and a page of 20,000 captions peaked 30 MB higher for it. ``malloc_trim`` exists in glibc
only; elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def release_freed() -> None:
    """Returns the free pages of the C heap to the system (not Python's objects: those are
    left where they are)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
