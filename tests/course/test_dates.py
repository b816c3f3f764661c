"""Typed dates: the forms people use, what they mean, and that nothing typed makes the parser crash."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.course.dates import DateError, When, parse_day, parse_when

NOW = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)  # a Tuesday
ZONE = "Europe/London"
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2150, 12, 31))
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@pytest.mark.parametrize(
    ("typed", "expected", "has_time"),
    [
        ("2026-03-03", datetime(2026, 3, 3), False),
        ("3 Mar", datetime(2026, 3, 3), False),
        ("Mar 3", datetime(2026, 3, 3), False),
        ("3/4", datetime(2026, 4, 3), False),  # day first, as written in the UK
        ("next tue", datetime(2026, 3, 10), False),  # strictly after today
        ("tue", datetime(2026, 3, 3), False),  # today is a Tuesday
        ("thursday", datetime(2026, 3, 5), False),
        ("last fri", datetime(2026, 2, 27), False),
        ("tomorrow 6:30pm", datetime(2026, 3, 4, 18, 30), True),
        ("Tomorrow at 6:30 PM", datetime(2026, 3, 4, 18, 30), True),
        ("today 18:30", datetime(2026, 3, 3, 18, 30), True),
        ("6:30pm", datetime(2026, 3, 3, 18, 30), True),
        ("in 2 weeks", datetime(2026, 3, 17), False),
        ("yesterday", datetime(2026, 3, 2), False),
        ("3 Mar 2027 9am", datetime(2027, 3, 3, 9, 0), True),
        ("12am tomorrow", None, None),
    ],
)
def test_the_forms_facilitators_type(typed: str, expected: datetime | None, has_time: bool | None) -> None:
    if expected is None:
        with pytest.raises(DateError):
            parse_when(typed, NOW, ZONE)
        return
    when = parse_when(typed, NOW, ZONE)
    assert when.moment.replace(tzinfo=None) == expected
    assert when.has_time is has_time


@pytest.mark.parametrize(
    "typed", ["", "   ", "junk", "3", "2026", "13pm tomorrow", "tomorrow 25:00", "31 Feb"]
)
def test_what_is_not_a_date_gets_one_line(typed: str) -> None:
    with pytest.raises(DateError) as error:
        parse_when(typed, NOW, ZONE)
    assert "\n" not in str(error.value) and str(error.value)


def test_the_echo_is_human_and_says_how_far_away() -> None:
    assert parse_when("tomorrow 6:30pm", NOW, ZONE).human(NOW) == "Wed 4 Mar 2026, 6:30 pm · tomorrow"
    assert parse_when("3 Mar", NOW, ZONE).human(NOW) == "Tue 3 Mar 2026 · today"
    assert parse_when("next tue", NOW, ZONE).human() == "Tue 10 Mar 2026"


def test_times_are_read_in_the_zone_given() -> None:
    when = parse_when("tomorrow 6:30pm", NOW, "America/New_York")
    assert when.moment.astimezone(UTC) == datetime(2026, 3, 4, 23, 30, tzinfo=UTC)


@given(DAYS)
def test_iso_and_day_month_year_round_trip(day: date) -> None:
    for typed in (day.isoformat(), f"{day.day} {MONTHS[day.month - 1]} {day.year}"):
        assert parse_day(typed, NOW, ZONE) == day


@given(DAYS)
def test_day_and_month_alone_mean_this_year(day: date) -> None:
    if (day.month, day.day) == (2, 29):
        return  # 2026 has no 29 February
    assert parse_day(f"{day.day} {MONTHS[day.month - 1]}", NOW, ZONE) == day.replace(year=2026)


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)), st.sampled_from(WEEKDAYS)
)
def test_next_weekday_is_within_the_coming_week(now: datetime, weekday: str) -> None:
    now = now.replace(tzinfo=UTC)
    today = parse_day("today", now, "UTC")
    day = parse_day(f"next {weekday}", now, "UTC")
    assert 1 <= (day - today).days <= 7
    assert day.weekday() == WEEKDAYS.index(weekday)
    this = parse_day(weekday, now, "UTC")
    assert 0 <= (this - today).days <= 6 and this.weekday() == WEEKDAYS.index(weekday)


@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=59),
    st.sampled_from(["am", "pm"]),
)
def test_twelve_hour_times(hour: int, minute: int, half: str) -> None:
    when = parse_when(f"tomorrow {hour}:{minute:02d}{half}", NOW, ZONE)
    assert when.moment.hour == hour % 12 + (12 if half == "pm" else 0)
    assert when.moment.minute == minute
    assert when.day == NOW.date() + timedelta(days=1)


@given(st.text(max_size=40))
def test_anything_typed_is_a_date_or_a_date_error(typed: str) -> None:
    try:
        when = parse_when(typed, NOW, ZONE)
    except DateError as error:
        assert str(error)
    else:
        assert isinstance(when, When) and when.moment.tzinfo is not None
