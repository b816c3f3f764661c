"""A group's meetings over time: numbering by date, moving the upcoming ones, planning the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from facilitator.course.calendar import course_meetings, course_sessions
from facilitator.course.packs import bundled_pack
from facilitator.course.scheduling import (
    cancel_and_shift,
    missing_sessions,
    movable,
    plan_rest,
    renumbered,
    retime_from,
    retimed,
    with_numbers,
)
from facilitator.store.records import Cadence, Group, Meeting, MeetingStatus, Schedule

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)  # a Tuesday
PACK = bundled_pack("wrap-style")  # 8 sessions


def group(**schedule: object) -> Group:
    fields = {
        "start_date": date(2026, 2, 3),
        "weekdays": [1],
        "start_time": "18:30",
        "timezone": "Europe/London",
    }
    return Group(name="Test", schedule=Schedule(**{**fields, **schedule}))  # type: ignore[arg-type]


def course(g: Group, *, held: int = 0) -> list[Meeting]:
    meetings = course_meetings(g, PACK)
    return [
        msgspec.structs.replace(m, status=MeetingStatus.HELD) if i < held else m
        for i, m in enumerate(meetings)
    ]


def week_after(later: Meeting, earlier: Meeting) -> bool:
    """A week on at the same local time (across a change to summer time too)."""
    return later.scheduled_start.astimezone(LONDON) == earlier.scheduled_start.astimezone(LONDON) + timedelta(
        days=7
    )


starts = st.lists(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)),
    max_size=30,
)


@given(starts, st.randoms())
def test_renumbering_numbers_every_meeting_by_date_and_returns_only_changes(times, rng) -> None:
    numbers = list(range(1, len(times) + 1))
    rng.shuffle(numbers)
    meetings = [
        Meeting(group_id="g", number=n, scheduled_start=t) for n, t in zip(numbers, times, strict=True)
    ]
    changed = {m.id: m for m in renumbered(meetings)}
    final = [changed.get(m.id, m) for m in meetings]
    assert sorted(m.number for m in final) == list(range(1, len(times) + 1))
    by_date = sorted(final, key=lambda m: (m.scheduled_start, m.number))
    assert [m.number for m in by_date] == list(range(1, len(times) + 1))
    assert all(m.number != next(o for o in meetings if o.id == m.id).number for m in changed.values())


def test_a_new_meeting_between_two_others_takes_its_place_in_the_numbers() -> None:
    meetings = course(group())
    extra = Meeting(group_id="g", number=0, scheduled_start=meetings[2].scheduled_start + timedelta(days=1))
    saved = {m.id: m for m in with_numbers([extra], meetings, NOW)}
    assert saved[extra.id].number == 4
    assert [saved[m.id].number for m in meetings[3:]] == [5, 6, 7, 8, 9]
    assert meetings[0].id not in saved and all(m.updated_at == NOW for m in saved.values())


def test_only_planned_meetings_still_to_come_can_be_moved() -> None:
    meetings = course(group(), held=4)
    meetings[5] = msgspec.structs.replace(meetings[5], status=MeetingStatus.CANCELLED)
    assert [m.number for m in movable(meetings, NOW)] == [5, 7, 8]


def test_retiming_keeps_the_order_and_takes_the_new_day_time_and_length() -> None:
    old = group()
    upcoming = movable(course(old, held=4), NOW)
    new = msgspec.structs.replace(old.schedule, weekdays=[3], start_time="10:00", minutes=120)
    start = retime_from(upcoming, old.schedule, new, NOW.date())
    moved = retimed(upcoming, new, start)
    local = [m.scheduled_start.astimezone(LONDON) for m in moved]
    assert [m.id for m in moved] == [m.id for m in upcoming]
    assert local[0].date() == date(2026, 3, 5)  # Thursday of the week of the next meeting
    assert all(d.weekday() == 3 and (d.hour, d.minute) == (10, 0) for d in local)
    assert all(b - a == timedelta(days=7) for a, b in pairwise(local))
    assert all(m.minutes == 120 for m in moved)


def test_retiming_never_moves_a_meeting_into_the_past() -> None:
    old = group()
    upcoming = movable(course(old, held=4), NOW)
    monday = msgspec.structs.replace(old.schedule, weekdays=[0])
    start = retime_from(upcoming, old.schedule, monday, NOW.date())
    assert start == NOW.date()
    first = retimed(upcoming, monday, start)[0].scheduled_start.astimezone(LONDON)
    assert first.date() == date(2026, 3, 9)


def test_a_new_start_date_moves_the_course_there() -> None:
    old = group(start_date=date(2026, 4, 7))
    upcoming = movable(course(old), NOW)
    later = msgspec.structs.replace(old.schedule, start_date=date(2026, 5, 5), cadence=Cadence.FORTNIGHTLY)
    moved = retimed(upcoming, later, retime_from(upcoming, old.schedule, later, NOW.date()))
    days = [m.scheduled_start.astimezone(LONDON).date() for m in moved]
    assert days[0] == date(2026, 5, 5) and days[1] == date(2026, 5, 19)


def test_planning_the_rest_fills_only_sessions_without_a_meeting_after_the_last_one() -> None:
    g = group()
    meetings = course(g, held=4)
    meetings[6] = msgspec.structs.replace(meetings[6], status=MeetingStatus.CANCELLED)
    del meetings[7]
    new = plan_rest(g, PACK, meetings, NOW)
    all_sessions = course_sessions(PACK)
    assert [m.covers for m in new] == [all_sessions[6], all_sessions[7]]
    last = max(m.scheduled_start for m in meetings if m.status is not MeetingStatus.CANCELLED)
    assert new[0].scheduled_start == last + timedelta(days=7)
    assert all(m.agenda and m.status is MeetingStatus.PLANNED for m in new)
    assert missing_sessions(PACK, [*meetings, *new]) == []


def test_planning_gives_sessions_to_upcoming_meetings_without_one_first() -> None:
    g = group()
    meetings = course(g, held=4)
    bare = [
        msgspec.structs.replace(m, covers=None, agenda=[]) for m in meetings[5:7]
    ]  # after a change of pack
    meetings = [*meetings[:5], *bare, meetings[7]]
    planned = plan_rest(g, PACK, meetings, NOW)
    all_sessions = course_sessions(PACK)
    assert [m.id for m in planned] == [m.id for m in bare]  # no new meeting needed
    assert [m.covers for m in planned] == all_sessions[5:7] and all(m.agenda for m in planned)


def test_planning_a_course_with_no_meetings_left_skips_today_once_its_hour_has_passed() -> None:
    g = group(start_date=date(2025, 1, 7))  # a Tuesday long ago; the pack's meetings were never made
    late = NOW.replace(hour=20)  # after tonight's 6:30 pm
    new = plan_rest(g, PACK, [], late)
    first = new[0].scheduled_start.astimezone(LONDON)
    assert first.date() == date(2026, 3, 10) and len(new) == 8
    new = plan_rest(g, PACK, [], NOW)  # 5 pm: tonight still counts
    assert new[0].scheduled_start.astimezone(LONDON).date() == date(2026, 3, 3)


def test_cancelling_carries_the_course_on_a_meeting_later() -> None:
    g = group()
    meetings = course(g, held=4)
    snow = meetings[4]
    saved = {
        m.id: m
        for m in with_numbers(cancel_and_shift(snow, "snow", meetings, g.schedule, NOW), meetings, NOW)
    }
    assert saved[snow.id].status is MeetingStatus.CANCELLED and saved[snow.id].cancel_reason == "snow"
    assert [saved[m.id].covers for m in meetings[5:]] == [m.covers for m in meetings[4:7]]
    (added,) = [m for m in saved.values() if m.id not in {m.id for m in meetings}]
    assert added.covers == meetings[7].covers and added.agenda == meetings[7].agenda
    assert week_after(added, meetings[7]) and added.number == 9
    assert missing_sessions(PACK, [saved.get(m.id, m) for m in meetings] + [added]) == []


def test_cancelling_the_last_meeting_gives_its_session_the_next_day_after_it() -> None:
    g = group()
    meetings = course(g, held=4)
    last = meetings[-1]
    changed = cancel_and_shift(last, "ill", meetings, g.schedule, NOW)
    assert week_after(changed[-1], last)
    assert changed[-1].covers == last.covers
