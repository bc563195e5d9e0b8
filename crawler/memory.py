"""Hands the memory a page's reading freed back to the operating system.

trafilatura reads a page on copies of its tree (five on a page it reads in full), all in
libxml2's memory. glibc keeps the pages of that memory once it is freed, for later ``malloc``
calls, but Python's own objects come from arenas of their own: everything built after
trafilatura (the evidence, the provenance mentions) was added on top of its freed copies,
and a page of 20,000 captions peaked 30 MB higher for it. The heap is trimmed only once it
holds :data:`FREE_KEPT` more free than after the last trim: on an ordinary page a trim would
only hand back pages the next page faults in again. ``mallinfo2`` and ``malloc_trim`` exist
in glibc only (2.33 and later); elsewhere this does nothing.

A ``reuse`` run (crawler.reuse) calls it between its steps for the same reason at a larger
scale: it makes and drops hundreds of megabytes of temporary arrays while keeping others
(shingles, sketches, pairs) alive between them, and the freed space pinned between those
kept a few hundred megabytes resident at 100,000 articles. (A fixed mmap threshold avoids
the holes but costs a page fault per fresh page: a third more CPU time.)
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import cache

#: Free bytes the C heap may keep for the next pages.
FREE_KEPT = 16 * 1024 * 1024


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd",
            "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


@cache
def _glibc() -> tuple[Callable[[], _MallInfo2], Callable[[int], int]] | None:
    try:
        libc = ctypes.CDLL(None)
        info, trim = libc.mallinfo2, libc.malloc_trim
    except (OSError, AttributeError):  # not glibc, or older than 2.33
        return None
    info.restype = _MallInfo2
    return info, trim


def free_in_heap() -> int | None:
    """Bytes the C heap holds free (None without glibc)."""
    glibc = _glibc()
    return None if glibc is None else int(glibc[0]().fordblks)


#: Free bytes of the heap after the last trim: trimmed chunks stay in glibc's free lists
#: (only their pages go back), so growth past this, not the total, says there is more.
_trimmed = [0]


def release_freed() -> None:
    """Returns the free pages of the C heap to the system once it holds :data:`FREE_KEPT`
    more free than after the last time (Python's objects are left where they are)."""
    glibc = _glibc()
    if glibc is None:
        return
    free = int(glibc[0]().fordblks)
    if free > _trimmed[0] + FREE_KEPT:
        glibc[1](0)
        _trimmed[0] = free
    elif free < _trimmed[0]:
        _trimmed[0] = free  # the freed chunks were used again
