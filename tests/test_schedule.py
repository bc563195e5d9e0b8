"""The revisit policy, as plain arithmetic on fake times: often while fresh, rarely when old,
then never."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from scrapy.settings import Settings

from crawler.schedule import RevisitPolicy, next_visit

T0 = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def test_the_defaults_are_hourly_at_first_weekly_at_most_and_a_month_in_all() -> None:
    policy = RevisitPolicy()

    assert policy == RevisitPolicy(
        first_after=HOUR, factor=2.0, max_interval=7 * DAY, stop_after=30 * DAY
    )


def test_the_wait_grows_geometrically_with_each_visit_that_found_no_change() -> None:
    policy = RevisitPolicy()

    waits = [policy.next_visit(T0, T0, n) for n in range(5)]

    assert waits == [T0 + HOUR, T0 + 2 * HOUR, T0 + 4 * HOUR, T0 + 8 * HOUR, T0 + 16 * HOUR]


def test_the_wait_counts_from_the_last_visit_not_from_the_first() -> None:
    last = T0 + 3 * DAY

    assert RevisitPolicy().next_visit(T0, last, 2) == last + 4 * HOUR


def test_a_fractional_factor_grows_more_gently() -> None:
    policy = RevisitPolicy(first_after=timedelta(minutes=20), factor=1.5)

    assert [policy.interval(n) for n in range(3)] == [
        timedelta(minutes=20),
        timedelta(minutes=30),
        timedelta(minutes=45),
    ]


def test_the_wait_is_capped_at_the_maximum_interval() -> None:
    policy = RevisitPolicy()

    assert policy.interval(7) == 128 * HOUR  # still under a week
    assert policy.interval(8) == 7 * DAY  # 256 h would be more
    assert policy.interval(40) == 7 * DAY
    assert policy.interval(100_000) == 7 * DAY  # no overflow on an absurd streak


def test_a_factor_of_one_keeps_a_fixed_rate() -> None:
    policy = RevisitPolicy(first_after=6 * HOUR, factor=1.0)

    assert {policy.interval(n) for n in range(10)} == {6 * HOUR}


def test_no_visit_is_scheduled_past_stop_after_counted_from_first_seen() -> None:
    policy = RevisitPolicy()  # stops 30 days after first seen

    # 29 days in, a one-hour wait still fits, but a week does not.
    assert policy.next_visit(T0, T0 + 29 * DAY, 0) == T0 + 29 * DAY + HOUR
    assert policy.next_visit(T0, T0 + 29 * DAY, 10) is None
    # Landing exactly on the limit is still allowed; a second later is not.
    assert policy.next_visit(T0, T0 + 30 * DAY - HOUR, 0) == T0 + 30 * DAY
    assert policy.next_visit(T0, T0 + 30 * DAY - HOUR + timedelta(seconds=1), 0) is None
    # Once past the limit nothing is scheduled, even right after a change.
    assert policy.next_visit(T0, T0 + 31 * DAY, 0) is None


def test_a_change_resets_the_wait_even_for_an_older_article() -> None:
    policy = RevisitPolicy()
    last = T0 + 12 * DAY

    assert policy.next_visit(T0, last, 9) == last + 7 * DAY  # backed off to a week
    assert policy.next_visit(T0, last, 0) == last + HOUR  # edited: fresh again


def test_an_article_that_never_changes_is_visited_eleven_times_in_its_first_25_days() -> None:
    """Follow the schedule as a crawler would: visit exactly when due, never find a change."""
    policy = RevisitPolicy()
    visits = [T0]
    while (due := policy.next_visit(T0, visits[-1], len(visits) - 1)) is not None:
        visits.append(due)

    elapsed_hours = [(v - T0) / HOUR for v in visits]
    assert elapsed_hours == [0, 1, 3, 7, 15, 31, 63, 127, 255, 423, 591]
    assert visits[-1] - T0 < 30 * DAY


def test_the_module_function_uses_the_default_policy_unless_given_one() -> None:
    quick = RevisitPolicy(first_after=timedelta(minutes=5))

    assert next_visit(T0, T0, 1) == T0 + 2 * HOUR
    assert next_visit(T0, T0, 1, quick) == T0 + timedelta(minutes=10)


def test_a_negative_streak_is_refused() -> None:
    with pytest.raises(ValueError, match="visits_without_change"):
        RevisitPolicy().next_visit(T0, T0, -1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"first_after": timedelta(0)}, "first_after must be positive"),
        ({"factor": 0.5}, "factor must be a finite number >= 1"),
        ({"factor": float("inf")}, "factor must be a finite number >= 1"),
        ({"max_interval": timedelta(minutes=30)}, "max_interval .* shorter than first_after"),
        ({"stop_after": -DAY}, "stop_after must not be negative"),
    ],
)
def test_a_policy_that_would_hammer_or_never_revisit_is_refused(
    fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        RevisitPolicy(**fields)  # type: ignore[arg-type]


# -- from settings -------------------------------------------------------------------------


def test_settings_give_durations_in_seconds() -> None:
    settings = Settings(
        {
            "WIRETRACE_REVISIT_FIRST_AFTER": 1800,
            "WIRETRACE_REVISIT_FACTOR": 3,
            "WIRETRACE_REVISIT_MAX_INTERVAL": 2 * 86400,
            "WIRETRACE_REVISIT_STOP_AFTER": 14 * 86400,
        }
    )

    assert RevisitPolicy.from_settings(settings) == RevisitPolicy(
        first_after=timedelta(minutes=30),
        factor=3.0,
        max_interval=2 * DAY,
        stop_after=14 * DAY,
    )


def test_settings_from_the_command_line_are_strings_and_unset_ones_keep_defaults() -> None:
    settings = Settings()
    settings.set("WIRETRACE_REVISIT_STOP_AFTER", "604800", priority="cmdline")  # -s ...=604800
    settings.set("WIRETRACE_REVISIT_FACTOR", "1.5", priority="cmdline")

    policy = RevisitPolicy.from_settings(settings)

    assert policy == RevisitPolicy(factor=1.5, stop_after=7 * DAY)


def test_a_plain_mapping_works_too_and_empty_means_default() -> None:
    policy = RevisitPolicy.from_settings(
        {"WIRETRACE_REVISIT_FIRST_AFTER": "", "WIRETRACE_REVISIT_MAX_INTERVAL": 86400.0}
    )

    assert policy == RevisitPolicy(max_interval=DAY)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("WIRETRACE_REVISIT_FIRST_AFTER", "an hour", "WIRETRACE_REVISIT_FIRST_AFTER must be a"),
        ("WIRETRACE_REVISIT_STOP_AFTER", "nan", "WIRETRACE_REVISIT_STOP_AFTER must be a finite"),
        ("WIRETRACE_REVISIT_FACTOR", "0", "factor must be a finite number >= 1"),
        ("WIRETRACE_REVISIT_FIRST_AFTER", "-60", "first_after must be positive"),
    ],
)
def test_bad_settings_are_refused_by_name(name: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RevisitPolicy.from_settings({name: value})
