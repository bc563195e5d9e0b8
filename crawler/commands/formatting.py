"""How the commands print what the store holds: chains, agency names, dates, passages, and
any text a page gave, made safe for a terminal.

Shared by ``provenance``, ``reuse``, ``stories`` and ``versions``, so an article's chain
reads the same in each. Not a command itself (it defines no ``Command``), so Scrapy lists
nothing for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crawler.registry import Registry

ARROW = " → "
SAME_HOP = " + "
#: Characters of a shared passage shown: enough to recognise the paragraph.
SNIPPET = 80


def chain_text(chain: Iterable[Iterable[Any]], registry: Registry) -> str:
    """``Xinhua → VNA → Le Courrier du Vietnam``; sources of one hop joined with `` + ``."""
    hops = [SAME_HOP.join(display_name(str(i), registry) for i in hop) for hop in chain]
    return ARROW.join(hop for hop in hops if hop)


def display_name(agency_id: str, registry: Registry) -> str:
    """The registry's name; ids it does not hold (a site's domain, ``unknown:...``) as they are."""
    return registry.get(agency_id).name if agency_id in registry else agency_id


def published_date(value: Any) -> str:
    """The date part of a stated publication time, as the page gives it (its own zone)."""
    return str(value)[:10] if value else "no date"


def snippet(text: str, limit: int = SNIPPET) -> str:
    """The start of a passage on one line, cut at ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


#: Control characters (C0, DEL, C1): a title holding ESC sequences would retitle or clear
#: the terminal it is printed on.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters shown escaped (``\\x1b``), never sent raw."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
