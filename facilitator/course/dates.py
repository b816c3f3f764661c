"""Dates as facilitators type them: `2026-03-03`, `3 Mar`, `next tue`, `tomorrow 6:30pm`, `in 2 weeks`.

`parse_when` reads one of those relative to an injected `now` in a time zone and returns a `When`, which a
form echoes back in human form ("Tue 3 Mar 2026, 6:30 pm · today") before anything is saved. Bad input raises
`DateError` with one line to show beside the field. A day and a month without a year mean the next such day
(today or later): "28 Jan" typed in December is the coming January, as a facilitator planning ahead means it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# arrow and dateutil are loaded when a date is typed or an Arrow asked for: showing stored times (Home, the
# lists) needs only the standard library, so starting the app does not wait for them.
if TYPE_CHECKING:
    import arrow

WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ]
    )
    for name in names
}
DAY_WORDS = {"today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "yesterday": -1}
UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
TIME = re.compile(r"^(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")


class DateError(ValueError):
    """Text that is not a date we can read; the message is one line for the form."""


@dataclass(frozen=True)
class When:
    """A date (and maybe a time) someone typed, in the zone it was typed for."""

    moment: datetime  # aware, in the zone; midnight when no time was given
    has_time: bool

    @property
    def day(self) -> date:
        return self.moment.date()

    def human(self, now: datetime | None = None) -> str:
        """ "Tue 3 Mar 2026, 6:30 pm · today"."""
        import arrow

        when = arrow.get(self.moment)
        text = when.format("ddd D MMM YYYY")
        if self.has_time:
            text += ", " + when.format("h:mm a")
        if now is not None:
            text += " · " + day_distance(self.day, arrow.get(now).to(when.tzinfo).date())
        return text


def day_distance(day: date, today: date) -> str:
    """ "today", "tomorrow", "in 5 days", "3 days ago"."""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def examples(today: date, *, with_time: bool = False) -> str:
    """Ways to type a date, every one of them still to come: "2027-01-12, 19 Jan, next tue"."""
    soon, later = today + timedelta(days=14), today + timedelta(days=21)
    shown = f"{soon.isoformat()}, {human_day(later, year=False)}, next tue"
    return shown + (", tomorrow 6:30pm" if with_time else ", tomorrow")


def _hint(today: date) -> str:
    return "try " + examples(today, with_time=True).replace(", tomorrow", " or tomorrow")


def parse_when(text: str, now: datetime, zone: tzinfo | str = "local") -> When:
    """Read a typed date (and optional time) relative to `now`, in `zone`."""
    import arrow

    words = text.strip().lower().replace(",", " ").split()
    today = arrow.get(now).to(zone).floor("day")
    if not words:
        raise DateError(f"Type a date — {_hint(today.date())}")
    base, rest = _relative_day(words, today)
    bare_time = TIME.match(" ".join(words))
    if base is None and bare_time and (bare_time.group(2) or bare_time.group(3)):
        base, rest = today, words  # a time alone ("6:30pm") is today; a bare "3" is not a time
    if base is None:
        return _absolute(" ".join(words), today)
    if not rest:
        return When(base.datetime, has_time=False)
    hour, minute = _time_of_day(" ".join(rest))
    return When(base.replace(hour=hour, minute=minute).datetime, has_time=True)


def parse_day(text: str, now: datetime, zone: tzinfo | str = "local") -> date:
    """Read a typed date; a time, if given, is ignored."""
    return parse_when(text, now, zone).day


def _relative_day(words: list[str], today: arrow.Arrow) -> tuple[arrow.Arrow | None, list[str]]:
    """The day named by the first words ("tomorrow", "next tue", "in 3 days"), and the words left over."""
    first = words[0]
    if first in DAY_WORDS:
        return today.shift(days=DAY_WORDS[first]), words[1:]
    if first in WEEKDAYS:  # "tue": today if it is Tuesday, else the coming one
        return _coming(today, WEEKDAYS[first], strictly_after=False), words[1:]
    if first in ("next", "this", "last") and len(words) > 1 and words[1] in WEEKDAYS:
        weekday = WEEKDAYS[words[1]]
        if first == "last":
            back = (today.weekday() - weekday - 1) % 7 + 1
            return today.shift(days=-back), words[2:]
        return _coming(today, weekday, strictly_after=first == "next"), words[2:]
    if first == "in" and len(words) > 2 and words[1].isdigit() and words[2] in UNIT_DAYS:
        if len(words[1]) > 4:
            raise DateError("That is too far away to be a meeting date")
        return today.shift(days=int(words[1]) * UNIT_DAYS[words[2]]), words[3:]
    return None, words


def _coming(today: arrow.Arrow, weekday: int, *, strictly_after: bool) -> arrow.Arrow:
    start = today.shift(days=1) if strictly_after else today
    return start.shift(weekday=weekday)


def _time_of_day(text: str) -> tuple[int, int]:
    match = TIME.match(text.strip())
    if match is None:
        raise DateError(f"Can't read the time “{text}” — try 6:30pm or 18:30")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half and not 1 <= hour <= 12:
        raise DateError(f"{hour} {half} is not a time — try 6:30pm or 18:30")
    if half == "pm" and hour != 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise DateError(f"Can't read the time “{text}” — try 6:30pm or 18:30")
    return hour, minute


def _absolute(text: str, today: arrow.Arrow) -> When:
    """A date with a day and a month ("3 Mar", "2026-03-03"); without a year, the next such day."""
    import arrow
    from dateutil import parser as dateutil_parser

    naive_today = today.naive
    hint = _hint(today.date())
    # Two different defaults show which parts were typed: a part that follows the default was left out
    # (both years leap years, so "29 Feb" reads before the year is chosen).
    first_default = naive_today.replace(year=2000, month=1, day=1, hour=0, minute=0, second=0)
    second_default = naive_today.replace(year=2004, month=2, day=2, hour=13, minute=0, second=0)
    # Day first ("3/4" is 3 April), except in an ISO date, which is year-month-day.
    day_first = ISO_DATE.match(text) is None
    try:
        first = dateutil_parser.parse(text, default=first_default, dayfirst=day_first)
        second = dateutil_parser.parse(text, default=second_default, dayfirst=day_first)
    except (ValueError, OverflowError, TypeError):
        raise DateError(f"Can't read “{text}” as a date — {hint}") from None
    if first.tzinfo is not None:
        raise DateError("Leave out the time zone: times are read in the group's own zone")
    if (first.month, first.day) != (second.month, second.day):
        raise DateError(f"Give a day and a month — {hint}")
    day = first.date() if first.year == second.year else _next_day(first.month, first.day, today.date())
    if not 1900 <= day.year <= 2200:
        raise DateError(f"{day.year} is not a year Facilitator can use")
    has_time = first.hour == second.hour  # the hour followed the default: no time was typed
    moment = datetime.combine(day, first.time() if has_time else time(), tzinfo=today.tzinfo)
    return When(arrow.get(moment).datetime, has_time=has_time)


def _next_day(month: int, day: int, today: date) -> date:
    """The first `day` `month` on or after today (29 Feb: the next leap year's)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February in a year without one
        if candidate >= today:
            return candidate
    raise DateError(f"{day} {date(2000, month, 1):%b} is not a day of the year")


# --- showing stored times ---------------------------------------------------------------------------------


def local(moment: datetime, zone: tzinfo | str | None = None) -> arrow.Arrow:
    """A stored UTC time in the local (or given) time zone."""
    import arrow

    return arrow.get(moment).to(zone or "local")


def in_zone(moment: datetime, zone: tzinfo | str | None = None) -> datetime:
    """A stored UTC time as a datetime in the local (or given) time zone, as `local` has it."""
    if zone is None or zone == "local":
        return moment.astimezone()
    if isinstance(zone, str):
        try:
            zone = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            return local(moment, zone).datetime  # an offset such as "+02:00": arrow reads those
    return moment.astimezone(zone)


def human_datetime(moment: datetime, zone: tzinfo | str | None = None) -> str:
    """ "Tue 3 Mar, 6:30 pm"."""
    when = in_zone(moment, zone)
    half = "am" if when.hour < 12 else "pm"
    return f"{when:%a} {when.day} {when:%b}, {when.hour % 12 or 12}:{when:%M} {half}"


def human_day(day: date, *, weekday: bool = False, year: bool = True) -> str:
    """ "3 Mar 2026"; with `weekday` "Tue 3 Mar 2026"; without `year` "3 Mar". The one way a day is shown."""
    shown = f"{day.day} {day:%b}"
    if weekday:
        shown = f"{day:%a} {shown}"
    return f"{shown} {day:%Y}" if year else shown


def relative(moment: datetime, now: datetime, zone: tzinfo | str | None = None) -> str:
    """How far away as people say it: "in 40 minutes", "tomorrow", "in 6 days", "in 2 weeks", "3 weeks ago".

    Days are counted on the calendar in `zone` (local by default), so tomorrow evening is "tomorrow" even at
    breakfast; weeks are rounded to the nearest, so 15 days is "in 2 weeks", never "in a month".
    """
    seconds = (moment - now).total_seconds()
    future = seconds >= 0
    if abs(seconds) < 60:
        return "now"
    minutes = round(abs(seconds) / 60)
    if abs(seconds) < 3600:
        return _distance(min(59, minutes), "minute", future)
    if 75 <= minutes < 120:  # "in 90 minutes" says more than "in 2 hours"
        return _distance(minutes, "minute", future)
    days = (in_zone(moment, zone).date() - in_zone(now, zone).date()).days
    if days == 0 or abs(seconds) < 6 * 3600:
        return _distance(max(1, round(abs(seconds) / 3600)), "hour", future)
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    count = abs(days)
    if count < 14 and count != 7:
        return _distance(count, "day", future)
    if count < 60:
        return _distance(round(count / 7), "week", future)
    if count < 365:
        return _distance(round(count / 30.44), "month", future)
    return _distance(round(count / 365.25), "year", future)


def _distance(count: int, unit: str, future: bool) -> str:
    amount = f"{count} {unit}" + ("" if count == 1 else "s")
    return f"in {amount}" if future else f"{amount} ago"
