"""When to look at a stored article again: often while it is fresh, rarely as it ages, then never.

News copy changes most in its first hours (corrections, an agency's later lead, a credit
line added or swapped), and almost never weeks later. Revisiting everything at a fixed rate
would either miss those early edits or hammer outlets for pages that stopped moving long ago.
So the wait before the next visit starts short, grows by ``factor`` with every visit that
found the text unchanged, is capped at ``max_interval``, and drops back to ``first_after``
when a visit finds a change (an edited article is "fresh" again: more edits tend to follow).
Past ``stop_after``, counted from when the article was first seen (the best publication age
the crawl itself can vouch for), it is not revisited at all.

Plain functions and a dataclass, no Scrapy: the store computes each article's next visit
with a policy when it saves, and spiders only ask the store which URLs are due.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

__all__ = ["SETTINGS", "RevisitPolicy", "next_visit"]

#: The Scrapy settings ``RevisitPolicy.from_settings`` reads, each in seconds (the factor
#: is a plain number), mapped to the field they set.
SETTINGS: dict[str, str] = {
    "WIRETRACE_REVISIT_FIRST_AFTER": "first_after",
    "WIRETRACE_REVISIT_FACTOR": "factor",
    "WIRETRACE_REVISIT_MAX_INTERVAL": "max_interval",
    "WIRETRACE_REVISIT_STOP_AFTER": "stop_after",
}


@dataclass(frozen=True, slots=True)
class RevisitPolicy:
    """How the wait between visits of one article grows, and when revisiting stops.

    With the defaults an article nobody edits is seen again after 1 h, 2 h, 4 h, ... 128 h,
    then weekly, and for the last time about 25 days after it was first seen.
    """

    first_after: timedelta = timedelta(hours=1)
    factor: float = 2.0
    max_interval: timedelta = timedelta(days=7)
    stop_after: timedelta = timedelta(days=30)

    def __post_init__(self) -> None:
        # Refused here, once, rather than producing a schedule that hammers a site (a zero
        # or shrinking interval) or never revisits at all without saying why.
        if self.first_after <= timedelta(0):
            raise ValueError(f"revisit first_after must be positive, got {self.first_after}")
        if not math.isfinite(self.factor) or self.factor < 1.0:
            raise ValueError(f"revisit factor must be a finite number >= 1, got {self.factor}")
        if self.max_interval < self.first_after:
            raise ValueError(
                f"revisit max_interval ({self.max_interval}) is shorter than first_after "
                f"({self.first_after})"
            )
        if self.stop_after < timedelta(0):
            raise ValueError(f"revisit stop_after must not be negative, got {self.stop_after}")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | Any) -> RevisitPolicy:
        """The policy the ``WIRETRACE_REVISIT_*`` settings describe; unset ones keep defaults.

        ``settings`` is Scrapy's ``Settings`` or any mapping; values may be numbers or the
        strings ``-s NAME=VALUE`` gives, durations in seconds.
        """
        values: dict[str, Any] = {}
        for name, field_name in SETTINGS.items():
            raw = settings.get(name)
            if raw is None or raw == "":
                continue
            try:
                number = float(raw)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{name} must be a number, got {raw!r}") from exc
            if not math.isfinite(number):
                raise ValueError(f"{name} must be a finite number, got {raw!r}")
            values[field_name] = number if field_name == "factor" else timedelta(seconds=number)
        return cls(**values)

    def interval(self, visits_without_change: int) -> timedelta:
        """The wait after the last visit: ``first_after * factor ** n``, capped at the maximum."""
        if visits_without_change < 0:
            raise ValueError(f"visits_without_change must be >= 0, got {visits_without_change}")
        cap = self.max_interval.total_seconds()
        try:
            seconds = self.first_after.total_seconds() * self.factor**visits_without_change
        except OverflowError:  # a very long unchanged streak: the cap applies anyway
            seconds = cap
        return timedelta(seconds=min(seconds, cap))

    def next_visit(
        self, first_seen: datetime, last_visit: datetime, visits_without_change: int
    ) -> datetime | None:
        """When to visit next, or ``None`` when the article is too old to revisit.

        ``visits_without_change`` counts the visits since the text last changed (0 right
        after the first sighting or a change). The next visit is never later than
        ``first_seen + stop_after``: a visit that would fall past it is not scheduled.
        The datetimes should be timezone-aware (the store passes UTC).
        """
        due = last_visit + self.interval(visits_without_change)
        if due > first_seen + self.stop_after:
            return None
        return due


def next_visit(
    first_seen: datetime,
    last_visit: datetime,
    visits_without_change: int,
    policy: RevisitPolicy | None = None,
) -> datetime | None:
    """``RevisitPolicy.next_visit`` with the default policy unless one is given."""
    return (policy or RevisitPolicy()).next_visit(first_seen, last_visit, visits_without_change)
