from __future__ import annotations

import pytest

from crawler.dates import parse_offset, parse_published


@pytest.mark.parametrize(
    ("raw", "fmt", "tz", "expected"),
    [
        # La Gazette prints a fixed offset, summer included: taken literally.
        ("14 Septembre 2023 22:35 (UTC+01:00)", "text", "+01:00", "2023-09-14T22:35:00+01:00"),
        # CVN prints Vietnam time without an offset: the profile's timezone fills it in.
        ("13/09/2023 18:02", "%d/%m/%Y %H:%M", "+07:00", "2023-09-13T18:02:00+07:00"),
        ("2023-09-13T10:15:00+02:00", "iso", None, "2023-09-13T10:15:00+02:00"),
        ("2023-09-13T08:15:00Z", "iso", None, "2023-09-13T08:15:00+00:00"),
        ("2023-09-13T10:15", "iso", "+07:00", "2023-09-13T10:15:00+07:00"),
        # A date without a time has no offset to give.
        ("2023-09-13", "iso", "+07:00", "2023-09-13"),
        ("le 13 septembre 2023", "text", "+02:00", "2023-09-13"),
        ("1er août 2023 à 09h05", "text", "+02:00", "2023-08-01T09:05:00+02:00"),
        ("September 13 2023", "text", None, None),  # month before day is not this format
        ("", "iso", None, None),
        ("not a date", "%d/%m/%Y %H:%M", "+07:00", None),
    ],
)
def test_published_times_keep_their_offset(
    raw: str, fmt: str, tz: str | None, expected: str | None
) -> None:
    assert parse_published(raw, fmt, tz) == expected


def test_offsets_in_all_usual_spellings() -> None:
    assert parse_offset("+07:00").utcoffset(None).total_seconds() == 7 * 3600
    assert parse_offset("-0530").utcoffset(None).total_seconds() == -(5 * 3600 + 30 * 60)
    with pytest.raises(ValueError, match="not a UTC offset"):
        parse_offset("CEST")
