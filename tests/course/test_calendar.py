"""A course's meetings: one per session of the pack, in course order, on the group's schedule, in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest

from facilitator.course.calendar import course_meetings, course_sessions, planned_agenda
from facilitator.course.packs import bundled_pack
from facilitator.store.records import Cadence, Group, MeetingStatus, Schedule

CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def tuesday_group(**schedule: object) -> Group:
    fields = {"start_date": date(2026, 3, 3), "weekdays": [1], "start_time": "18:30", "minutes": 75}
    fields |= {"timezone": "Europe/London", **schedule}
    return Group(name="Tuesdays", schedule=Schedule(**fields), created_at=CREATED, updated_at=CREATED)  # type: ignore[arg-type]


def test_one_planned_meeting_per_session_in_course_order() -> None:
    pack = bundled_pack("imr-style")
    group = tuesday_group()
    meetings = course_meetings(group, pack)
    sessions = course_sessions(pack)
    assert len(meetings) == len(sessions) == 44
    assert [m.number for m in meetings] == list(range(1, 45))
    assert [m.covers for m in meetings] == sessions
    assert meetings[0].covers is not None and meetings[0].covers.unit_title == pack.units[0].title
    first = meetings[0].covers
    assert meetings[0].agenda == planned_agenda(pack, first.unit_id, first.session_number)
    assert all(m.agenda for m in meetings)
    assert {m.group_id for m in meetings} == {group.id}
    assert {m.status for m in meetings} == {MeetingStatus.PLANNED}
    assert {m.minutes for m in meetings} == {75}
    assert {m.created_at for m in meetings} == {CREATED}
    assert len({m.id for m in meetings}) == 44


def test_weekly_at_the_local_time_whatever_the_summer_time() -> None:
    meetings = course_meetings(tuesday_group(), bundled_pack("imr-style"))
    starts = [m.scheduled_start for m in meetings]
    assert starts[0] == datetime(2026, 3, 3, 18, 30, tzinfo=UTC)  # GMT
    assert starts[4] == datetime(2026, 3, 31, 17, 30, tzinfo=UTC)  # 6:30 pm BST after the clocks went forward
    assert all(s.tzinfo is UTC for s in starts)
    days = [s.date() for s in starts]
    assert all(b - a == timedelta(days=7) for a, b in pairwise(days))


def test_fortnightly_from_the_first_chosen_weekday_on_or_after_the_start() -> None:
    # The start date is a Thursday, the group meets on Tuesdays: the first meeting is the Tuesday after.
    group = tuesday_group(start_date=date(2026, 3, 5), cadence=Cadence.FORTNIGHTLY, timezone="UTC")
    meetings = course_meetings(group, bundled_pack("wrap-style"))
    days = [m.scheduled_start.date() for m in meetings]
    assert len(days) == 8
    assert days[:3] == [date(2026, 3, 10), date(2026, 3, 24), date(2026, 4, 7)]


def test_two_weekdays_a_week() -> None:
    group = tuesday_group(weekdays=[3, 1], timezone="UTC")
    days = [m.scheduled_start.date() for m in course_meetings(group, bundled_pack("open-group"))]
    assert days == [date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 10), date(2026, 3, 12)]


def test_a_group_without_a_schedule_has_no_meetings_to_plan() -> None:
    with pytest.raises(ValueError, match="schedule"):
        course_meetings(Group(name="No dates yet"), bundled_pack("open-group"))
