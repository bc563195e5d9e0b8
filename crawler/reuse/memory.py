"""Handing freed heap memory back to the system between the steps of a reuse run.

A run makes and drops hundreds of megabytes of temporary arrays while keeping others
(shingles, sketches, pairs) alive between them. glibc's allocator raises its mmap threshold
each time a large block is freed, after which blocks of a few megabytes come from its heap,
where the long-lived arrays pin the freed space between them: at 100,000 articles that kept
a few hundred megabytes resident that no array used. ``malloc_trim`` hands the free pages
back. (A fixed mmap threshold avoids the holes but costs a page fault per fresh page: a
third more CPU time.) Elsewhere (another C library, another system) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any


@cache
def _malloc_trim() -> Any:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None


def release_freed() -> None:
    """Return the allocator's free heap pages to the system, where glibc can."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
