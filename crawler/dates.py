"""Publication times as outlets print them, turned into ISO 8601 with their UTC offset."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

MONTHS = {
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip

_OFFSET = r"(?P<offset>[+-]\d{1,2}(?::?\d{2})?)"
_TEXT_DATE = re.compile(
    r"(?P<day>\d{1,2})(?:er|st|nd|rd|th)?\s+(?P<month>[^\W\d_]+)\.?\s+(?P<year>\d{4})"
    r"(?:\s*(?:à|at|,|-|–)?\s*(?P<hour>\d{1,2})\s*[:hH]\s*(?P<minute>\d{2}))?"
    r"(?:\s*\(?\s*(?:UTC|GMT)\s*" + _OFFSET + r"\s*\)?)?",
    re.IGNORECASE,
)


def parse_offset(text: str) -> timezone:
    """``+07:00``, ``+7``, ``-0530`` → a fixed-offset timezone."""
    match = re.fullmatch(r"([+-])(\d{1,2})(?::?(\d{2}))?", text.strip())
    if not match:
        raise ValueError(f"not a UTC offset: {text!r}")
    sign = 1 if match.group(1) == "+" else -1
    delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
    return timezone(sign * delta)


def _finish(moment: datetime, default_tz: str | None) -> str:
    if moment.tzinfo is None:
        if default_tz is None:
            return moment.isoformat()
        moment = moment.replace(tzinfo=parse_offset(default_tz))
    return moment.isoformat()


def parse_iso(raw: str, default_tz: str | None = None) -> str | None:
    text = raw.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None
    if len(text) <= 10:  # a date without a time: no offset to give
        return moment.date().isoformat()
    return _finish(moment, default_tz)


def parse_text(raw: str, default_tz: str | None = None) -> str | None:
    """``14 Septembre 2023 22:35 (UTC+01:00)``, ``13 septembre 2023``, ``Sept 13, 2023``..."""
    match = _TEXT_DATE.search(raw)
    if not match:
        return None
    month = MONTHS.get(match.group("month").lower())
    if month is None:
        return None
    year, day = int(match.group("year")), int(match.group("day"))
    if match.group("hour") is None:
        return date(year, month, day).isoformat()
    moment = datetime(year, month, day, int(match.group("hour")), int(match.group("minute")))
    if match.group("offset"):
        moment = moment.replace(tzinfo=parse_offset(match.group("offset")))
    return _finish(moment, default_tz)


def parse_published(raw: str | None, fmt: str = "iso", default_tz: str | None = None) -> str | None:
    """Parse a publication time with the profile's format; None when it cannot be read."""
    if not raw or not raw.strip():
        return None
    if fmt == "iso":
        return parse_iso(raw, default_tz)
    if fmt == "text":
        return parse_text(raw, default_tz)
    try:
        moment = datetime.strptime(" ".join(raw.split()), fmt)
    except ValueError:
        return None
    return _finish(moment, default_tz)
