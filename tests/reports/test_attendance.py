"""The attendance grid and a person's attendance across groups, with their rates."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from facilitator.reports.attendance import (
    Rate,
    attendance_grid,
    participant_attendance,
    rolling_rate,
)
from facilitator.store.records import AttendanceMark, Enrollment, EnrollmentStatus, MeetingStatus
from tests.reports.records_for_tests import FIRST, A, Course, E, L, P, X


def test_rows_are_the_roster_and_columns_the_held_and_cancelled_meetings(store) -> None:
    course = Course(store, meetings=5)
    course.set_status(3, MeetingStatus.CANCELLED)
    course.set_status(5, MeetingStatus.PLANNED)
    course.person("Bea", marks="PL.A")
    course.person("Ann", marks="XE")
    course.person("Waiting", status=EnrollmentStatus.WAITLIST)
    grid = attendance_grid(store, course.group.id)
    assert [m.number for m in grid.meetings] == [1, 2, 3, 4]
    assert [m.cancelled for m in grid.meetings] == [False, False, True, False]
    assert [r.name for r in grid.rows] == ["Ann", "Bea"]  # by name; the waiting list has not started
    ann, bea = grid.rows
    assert bea.cells == (P, L, None, A)
    assert ann.cells == (X, E, None, None)


def test_rates_count_came_over_marked_meetings_while_enrolled(store) -> None:
    course = Course(store, meetings=4)
    course.set_status(2, MeetingStatus.CANCELLED)
    bea = course.person("Bea", marks="P.XA")  # came 1 of 2: the excused meeting is left out
    # Joined on meeting 3's day: the mark at meeting 1 shows but does not count.
    late_joiner = course.person("Cy", joined=(FIRST + timedelta(days=14)).date(), marks="A.LP")
    grid = attendance_grid(store, course.group.id)
    rows = {r.participant_id: r for r in grid.rows}
    assert rows[bea.id].rate == Rate(came=1, marked=2)
    assert rows[late_joiner.id].rate == Rate(came=2, marked=2)
    assert rows[late_joiner.id].cells[0] == A and rows[late_joiner.id].enrolled == (False, False, True, True)
    assert grid.meeting_rates == (Rate(1, 1), None, Rate(1, 1), Rate(1, 2))
    assert grid.rate == Rate(3, 4)
    assert rows[bea.id].rate.percent() == "50%" and Rate().percent() == "—"
    assert grid.rule.endswith("; excused left out")


def test_excused_absences_count_against_the_rate_only_when_the_group_says_so(store) -> None:
    course = Course(store, meetings=5)
    often_excused = course.person("Excused four times", marks="PXXXX")
    rows = {r.participant_id: r for r in attendance_grid(store, course.group.id).rows}
    assert rows[often_excused.id].rate.percent() == "100%"  # not 20 %: came to every meeting counted
    store.update(course.group, excused_counts=True)
    grid = attendance_grid(store, course.group.id)
    rows = {r.participant_id: r for r in grid.rows}
    assert rows[often_excused.id].rate == Rate(came=1, marked=5)
    assert grid.rule.endswith("; excused as absent")
    [in_group] = participant_attendance(store, often_excused.id).groups
    assert in_group.rate == Rate(came=1, marked=5)


def test_a_person_who_left_is_not_counted_after_leaving(store) -> None:
    course = Course(store, meetings=3)
    person = course.person("Left", marks="PAA")
    [enrollment] = store.enrollments_of(person.id)
    store.update(enrollment, status=EnrollmentStatus.WITHDRAWN, left_on=(FIRST + timedelta(days=1)).date())
    [row] = attendance_grid(store, course.group.id).rows
    assert row.rate == Rate(1, 1)
    assert row.enrollment is EnrollmentStatus.WITHDRAWN


def test_a_participant_across_groups(store) -> None:
    first, second = Course(store, meetings=3), Course(store, meetings=2)
    person = first.person("Both", marks="PAP")
    store.add(Enrollment(participant_id=person.id, group_id=second.group.id, joined_on=FIRST.date()))
    store.mark_attendance(second.meetings[0].id, person.id, L)
    second.set_status(2, MeetingStatus.CANCELLED)
    record = participant_attendance(store, person.id)
    assert len(record.groups) == 2
    by_group = {g.group_id: g for g in record.groups}
    assert by_group[first.group.id].rate == Rate(2, 3)
    assert by_group[second.group.id].rate == Rate(1, 1)
    assert [status for _, status in by_group[second.group.id].meetings] == [L]
    assert record.rate == Rate(3, 4)
    # Meeting 1 of both groups fell on the same evening: P there, L here.
    assert [came for _, came in record.history()] == [True, True, False, True]


def test_rolling_rate_smooths_the_last_meetings() -> None:
    assert rolling_rate([]) == []
    assert rolling_rate([True, False, True, True, False], window=2) == [1.0, 0.5, 0.5, 1.0, 0.5]


def test_the_grid_holds_200_meetings_by_25_people(store) -> None:
    """The bench's shape (`python -m bench` times it): every cell read from the store."""
    course = Course(store, meetings=200)
    people = [course.person(f"Person {i:02d}") for i in range(25)]
    store.save_all(
        AttendanceMark(meeting_id=m.id, participant_id=p.id, status=P)
        for m in course.meetings
        for p in people
    )
    grid = attendance_grid(store, course.group.id)
    assert len(grid.rows) == 25 and len(grid.meetings) == 200
    assert all(row.cells == (P,) * 200 and row.rate.came == row.rate.marked == 200 for row in grid.rows)


def test_reports_import_no_textual() -> None:
    code = (
        "import sys, facilitator.reports.follow_ups, facilitator.reports.attendance; "
        "sys.exit('textual' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
