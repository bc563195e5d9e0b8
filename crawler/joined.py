"""Many short strings searched as one: which of them hold a needle.

A page's class values (or class-and-id marks) number in the thousands, and a selector or a
reader asks which hold a word. Testing each string is a Python step per element; joined by
NUL (which no attribute value holds, so no match spans two of them), one ``str.find`` scan
finds every holder, and a bisection over where each string starts says which it is.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate

_SEPARATOR = "\0"


class Joined:
    """``values`` joined for searching, optionally folded (``fold``, e.g. ``str.lower``)."""

    __slots__ = ("_starts", "_text")

    def __init__(self, values: Sequence[str], fold: Callable[[str], str] | None = None) -> None:
        text = _SEPARATOR.join(values)
        if fold is not None:
            folded = fold(text)
            # Folding the whole text keeps each value's place only when no letter changes
            # length (lower-casing ``İ`` gives two): otherwise each value is folded alone.
            if len(folded) != len(text):
                values = [fold(value) for value in values]
                folded = _SEPARATOR.join(values)
            text = folded
        self._text = text
        #: Where each value starts in the text.
        self._starts = array(
            "q", accumulate((len(value) + len(_SEPARATOR) for value in values[:-1]), initial=0)
        )

    def holding(self, needle: str) -> Iterator[int]:
        """Indexes of the values that hold ``needle`` (not empty), each once, in order."""
        text, starts = self._text, self._starts
        last = len(starts) - 1
        at = text.find(needle)
        while at >= 0:
            index = bisect_right(starts, at) - 1
            yield index
            if index == last:
                return
            at = text.find(needle, starts[index + 1])
