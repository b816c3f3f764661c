"""Completion against a course worked out by hand: 8 meetings, one cancelled, one still ahead."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from facilitator.reports.completion import Standing, completion_report, meetings_needed
from facilitator.store.records import EnrollmentStatus, MeetingStatus
from tests.reports.records_for_tests import Course


def course_of_eight(store):
    course = Course(store, meetings=8)
    course.set_status(3, MeetingStatus.CANCELLED)
    course.set_status(8, MeetingStatus.PLANNED)
    course.person("Full", marks="PP.PPPP")  # 6 attended
    course.person("Gap", marks="PP.PAPP")  # 5 attended + 1 ahead
    course.person("Low", marks="PA.AAPP")  # 3 attended + 1 ahead
    course.person("Excused", marks="PP.XPPP")  # excused is not attended: 5 + 1
    gone = course.person("Gone", marks="PP.PPP")  # 5, then withdrew: nothing ahead
    [place] = store.enrollments_of(gone.id)
    left = course.meetings[5].scheduled_start.date()
    store.update(place, status=EnrollmentStatus.WITHDRAWN, left_on=left)
    course.person("Waiting", status=EnrollmentStatus.WAITLIST)
    today = course.meetings[6].scheduled_start.date() + timedelta(days=1)
    return course, today


def test_the_default_threshold_is_three_quarters_rounded_up(store) -> None:
    course, today = course_of_eight(store)
    report = completion_report(store, course.group.id, today)
    assert (report.course_meetings, report.needed) == (7, 6)  # 75% of 7 = 5.25 -> 6
    assert report.rule() == "6 of 7 meetings (75% of the course, rounded up)"
    standing = {r.name: (r.attended, r.left_ahead, r.standing) for r in report.rows}
    assert standing == {
        "Excused": (5, 1, Standing.CAN_COMPLETE),
        "Full": (6, 1, Standing.COMPLETED),
        "Gap": (5, 1, Standing.CAN_COMPLETE),
        "Gone": (5, 0, Standing.CANNOT_COMPLETE),
        "Low": (3, 1, Standing.CANNOT_COMPLETE),
    }


def test_the_threshold_is_the_groups_own(store) -> None:
    course, today = course_of_eight(store)
    store.update(course.group, completion_threshold=0.5)
    report = completion_report(store, course.group.id, today)
    assert report.needed == 4  # 3.5 -> 4
    assert [r.name for r in report.with_standing(Standing.COMPLETED)] == ["Excused", "Full", "Gap", "Gone"]
    assert [r.name for r in report.with_standing(Standing.CAN_COMPLETE)] == ["Low"]


def test_meetings_needed_rounds_up_exactly() -> None:
    assert meetings_needed(0.75, 44) == 33
    assert meetings_needed(0.75, 10) == 8
    assert meetings_needed(0.7, 10) == 7  # 0.7 * 10 is 7.000000000000001 in floating point
    assert meetings_needed(1.0, 8) == 8 and meetings_needed(0.75, 0) == 0


@given(st.integers(1, 100), st.integers(0, 200))
def test_meetings_needed_is_the_smallest_count_reaching_the_share(percent: int, course: int) -> None:
    needed = meetings_needed(percent / 100, course)
    assert needed * 100 >= percent * course
    assert needed == 0 or (needed - 1) * 100 < percent * course
