"""What the report counts: where an article's copy came from, in which week, along which hops.

Plain functions over stored provenance records and the agency registry, so the numbers the
report's pages show are computed (and tested) here once, in Python; the pages' JavaScript
only filters the articles and adds these up.

**Origin.** An article is ``own`` reporting when its chain names no one before its
publisher. Otherwise it is agency copy, and its *origin* is the chain's first hop: ``state``
when an agency of that hop is state-owned in the registry (``state_owned = true``),
``agency`` otherwise (not state-owned, ownership unknown, or a name the registry does not
know). ``Xinhua → VNA → CVN`` is state copy; ``AFP → VNA → CVN`` is agency copy even though
VNA relayed it (the flow graph shows the relays).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from crawler.registry import Registry

STATE = "state"
AGENCY = "agency"
OWN = "own"
#: Origins in the order the charts stack them.
ORIGINS = (STATE, AGENCY, OWN)
ORIGIN_LABELS = {
    STATE: "state-owned agency",
    AGENCY: "other agency",
    OWN: "own reporting",
}

Chain = Sequence[Sequence[str]]


def page_key(value: str) -> str:
    """A file name for a page about ``value`` (a URL, an edge): the same on every build,
    and never anything a page's content chose (a URL may hold ``../`` or markup)."""
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


def upstream(chain: Chain, outlet: str | None) -> list[list[str]]:
    """The chain's hops before its publisher: empty for the outlet's own reporting."""
    hops = [[str(i) for i in hop] for hop in chain if hop]
    if hops and outlet is not None and outlet in hops[-1]:
        hops = hops[:-1]
    return hops


def origin(chain: Chain, outlet: str | None, registry: Registry) -> str:
    """``state``, ``agency`` or ``own`` (see the module's docstring)."""
    hops = upstream(chain, outlet)
    if not hops:
        return OWN
    if any(i in registry and registry.get(i).state_owned for i in hops[0]):
        return STATE
    return AGENCY


def upstream_ids(chain: Chain, outlet: str | None) -> list[str]:
    """Every id named before the publisher, in chain order, once each: what the agency
    filter matches (``vna`` finds the articles VNA relayed, not only those it wrote)."""
    return list(dict.fromkeys(i for hop in upstream(chain, outlet) for i in hop))


def hops_pairs(chain: Chain) -> list[tuple[str, str]]:
    """The chain's edges, origin first: each id of a hop to each id of the next one."""
    pairs: list[tuple[str, str]] = []
    hops = [hop for hop in chain if hop]
    for before, after in pairwise(hops):
        for a in before:
            for b in after:
                if a != b and (str(a), str(b)) not in pairs:
                    pairs.append((str(a), str(b)))
    return pairs


def stated_day(published: Any, first_seen: Any = None) -> str | None:
    """The article's date (``YYYY-MM-DD``) as its page states it, else the day it was first
    seen; None when neither parses. Stated dates keep their own time zone, as ``scrapy
    stories`` shows them: 22:40 in Hanoi is that day in Hanoi."""
    for value in (published, first_seen):
        if not value:
            continue
        try:
            return datetime.fromisoformat(str(value)).date().isoformat()
        except ValueError:
            try:
                return date.fromisoformat(str(value)[:10]).isoformat()
            except ValueError:
                continue
    return None


def week_of(day: str | None) -> str | None:
    """The Monday (``YYYY-MM-DD``) of the ISO week holding ``day``."""
    if day is None:
        return None
    moment = date.fromisoformat(day)
    return (moment - timedelta(days=moment.weekday())).isoformat()


def basis_confidence(evidence: Iterable[Mapping[str, Any]], basis: str | None) -> float | None:
    """How sure the chain is: the highest confidence among the evidence of its basis kind
    (None for own reporting, which rests on the absence of evidence)."""
    found = [
        float(e["confidence"])
        for e in evidence
        if isinstance(e, Mapping) and e.get("kind") == basis and e.get("confidence") is not None
    ]
    return max(found) if found else None


def origin_counts(articles: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Articles per outlet per origin, every origin present (0 when none): the overview's
    first chart, from records holding ``outlet`` and ``origin``."""
    counts: dict[str, dict[str, int]] = {}
    for article in articles:
        row = counts.setdefault(str(article["outlet"]), dict.fromkeys(ORIGINS, 0))
        row[str(article["origin"])] += 1
    return counts


def weekly_shares(articles: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, dict[str, int]]]:
    """Per outlet, per week: ``total`` articles, ``agency`` copy among them (either origin
    but own) and ``state`` copy. Undated articles count in no week."""
    weeks: dict[str, dict[str, dict[str, int]]] = {}
    for article in articles:
        week = article.get("week")
        if week is None:
            continue
        row = weeks.setdefault(str(article["outlet"]), {}).setdefault(
            str(week), {"total": 0, "agency": 0, "state": 0}
        )
        row["total"] += 1
        if article["origin"] != OWN:
            row["agency"] += 1
        if article["origin"] == STATE:
            row["state"] += 1
    return weeks


def flow_edges(articles: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], list[str]]:
    """Each hop-to-hop edge of every chain with the URLs of the articles that travelled it."""
    edges: dict[tuple[str, str], list[str]] = {}
    for article in articles:
        for pair in hops_pairs(article.get("chain") or ()):
            edges.setdefault(pair, []).append(str(article["url"]))
    return edges
