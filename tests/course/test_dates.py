"""Typed dates: the forms people use, what they mean, and that nothing typed makes the parser crash."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.course.dates import DateError, When, examples, parse_day, parse_when, relative

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


ZONES = st.sampled_from(
    ["UTC", "Europe/London", "America/New_York", "Pacific/Auckland", "Pacific/Kiritimati"]
)
NOWS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2150, 1, 1), timezones=st.just(UTC))


@given(NOWS, ZONES, DAYS)
def test_a_day_and_month_without_a_year_is_the_next_such_day(now: datetime, zone: str, day: date) -> None:
    """Never a day gone by, never a year or more ahead — today is "today" in the zone given, not in UTC."""
    if (day.month, day.day) == (2, 29):
        return  # the next 29 February can be years away; it has its own test
    today = parse_day("today", now, zone)
    typed = parse_day(f"{day.day} {MONTHS[day.month - 1]}", now, zone)
    assert (typed.month, typed.day) == (day.month, day.day)
    assert today <= typed and (typed - today).days < 366  # at most 365 days ahead


@pytest.mark.parametrize(
    ("typed", "now", "expected"),
    [
        ("28 jan", datetime(2026, 12, 1, 12, tzinfo=UTC), date(2027, 1, 28)),  # typed in December
        ("1 Dec", datetime(2026, 12, 1, 12, tzinfo=UTC), date(2026, 12, 1)),  # today is still to come
        ("30 Nov", datetime(2026, 12, 1, 12, tzinfo=UTC), date(2027, 11, 30)),
        ("28 jan 2026", datetime(2026, 12, 1, 12, tzinfo=UTC), date(2026, 1, 28)),  # a year typed is kept
        ("29 Feb", datetime(2026, 3, 3, 12, tzinfo=UTC), date(2028, 2, 29)),
        ("31 Dec", datetime(2026, 12, 31, 23, 30, tzinfo=UTC), date(2027, 12, 31)),  # Auckland is on 1 Jan
    ],
)
def test_the_year_left_out_is_the_coming_one(typed: str, now: datetime, expected: date) -> None:
    zone = "Pacific/Auckland" if typed == "31 Dec" else ZONE
    assert parse_day(typed, now, zone) == expected


def test_the_examples_shown_are_days_to_come() -> None:
    today = date(2026, 12, 1)
    shown = examples(today)
    assert shown == "2026-12-15, 22 Dec, next tue, tomorrow"
    for typed in shown.split(", "):
        assert parse_day(typed, datetime(2026, 12, 1, 12, tzinfo=UTC), "UTC") > today
    with pytest.raises(DateError) as error:
        parse_when("junk", datetime(2026, 12, 1, 12, tzinfo=UTC), "UTC")
    assert "2026-03-03" not in str(error.value) and "2026-12-15" in str(error.value)


@pytest.mark.parametrize(
    ("ahead", "expected"),
    [
        (timedelta(seconds=20), "now"),
        (timedelta(minutes=1), "in 1 minute"),
        (timedelta(minutes=40), "in 40 minutes"),
        (timedelta(minutes=59, seconds=50), "in 59 minutes"),
        (timedelta(hours=1), "in 1 hour"),
        (timedelta(hours=1, minutes=10), "in 1 hour"),
        (timedelta(hours=1, minutes=30), "in 90 minutes"),
        (timedelta(hours=5), "in 5 hours"),
        (timedelta(hours=25, minutes=30), "tomorrow"),  # Wednesday evening, from Tuesday 5 pm
        (timedelta(hours=8), "tomorrow"),  # 1 am on Wednesday
        (timedelta(days=2), "in 2 days"),
        (timedelta(days=6), "in 6 days"),
        (timedelta(days=7), "in 1 week"),
        (timedelta(days=10), "in 10 days"),
        (timedelta(days=13, hours=23), "in 2 weeks"),  # not "in a week"
        (timedelta(days=15), "in 2 weeks"),  # not "in a month"
        (timedelta(days=21), "in 3 weeks"),
        (timedelta(days=45), "in 6 weeks"),
        (timedelta(days=90), "in 3 months"),
        (timedelta(days=400), "in 1 year"),
        (-timedelta(minutes=5), "5 minutes ago"),
        (-timedelta(hours=20), "yesterday"),
        (-timedelta(days=3), "3 days ago"),
        (-timedelta(days=15), "2 weeks ago"),
        (-timedelta(days=800), "2 years ago"),
    ],
)
def test_how_far_away_reads_as_people_say_it(ahead: timedelta, expected: str) -> None:
    assert relative(NOW + ahead, NOW, "UTC") == expected


def test_tomorrow_is_counted_on_the_calendar_of_the_zone() -> None:
    late = datetime(2026, 3, 3, 23, 0, tzinfo=UTC)  # 11 pm in London, already Wednesday in Auckland
    assert relative(late + timedelta(hours=10), late, "Europe/London") == "tomorrow"
    assert relative(late + timedelta(hours=10), late, "Pacific/Auckland") == "in 10 hours"


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
