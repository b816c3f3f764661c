"""The attendance report against a course worked out by hand (see the comments for each figure)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from facilitator.reports.attendance import Rate
from facilitator.reports.attendance_report import (
    absence_streaks,
    group_attendance_report,
    person_attendance_report,
)
from facilitator.reports.minutes import meeting_length, minutes_attended
from facilitator.reports.period import Period
from facilitator.store.records import AttendanceMark, Enrollment, EnrollmentStatus, MeetingStatus
from tests.reports.records_for_tests import FIRST, A, Course, E, L, P, X


def hand_course(store):
    """Six 90-minute meetings, the third cancelled; five people (see each line)."""
    course = Course(store, meetings=6)
    # Worked out with excused counted as marked (the group's choice); the default is checked on its own below.
    course.group = store.update(course.group, excused_counts=True)
    course.set_status(3, MeetingStatus.CANCELLED)
    m = course.meetings
    ann = course.person("Ann", marks="P..A.A")  # late 20 min at 2, left after 60 min at 5
    store.mark_attendance(m[1].id, ann.id, L, at=m[1].scheduled_start + timedelta(minutes=20))
    store.mark_attendance(m[4].id, ann.id, E, at=m[4].scheduled_start + timedelta(minutes=60))
    bea = course.person("Bea", marks="PA.AXA")
    cy = course.person("Cy", joined=m[3].scheduled_start.date(), marks="...PP.")  # joined at meeting 4
    dee = course.person("Dee", marks="PP")
    [place] = store.enrollments_of(dee.id)
    store.update(place, status=EnrollmentStatus.WITHDRAWN, left_on=m[1].scheduled_start.date())
    eve = course.person("Eve", marks="L")  # late with no time written down
    return course, {"ann": ann, "bea": bea, "cy": cy, "dee": dee, "eve": eve}


def test_each_person_counts_meetings_while_enrolled_with_minutes(store) -> None:
    course, _ = hand_course(store)
    report = group_attendance_report(store, course.group.id)
    rows = {r.name: r for r in report.people}
    assert list(rows) == ["Ann", "Bea", "Cy", "Dee", "Eve"]
    assert rows["Ann"].rate == Rate(3, 5) and rows["Ann"].minutes == 90 + 70 + 60
    assert rows["Bea"].rate == Rate(1, 5) and rows["Bea"].minutes == 90
    assert rows["Cy"].rate == Rate(2, 2) and rows["Cy"].minutes == 180 and rows["Cy"].due == 3
    assert rows["Dee"].rate == Rate(2, 2) and rows["Dee"].enrollment is EnrollmentStatus.WITHDRAWN
    assert rows["Dee"].due == 2  # nothing counted after she left
    assert rows["Eve"].rate == Rate(1, 1) and rows["Eve"].minutes == 0 and rows["Eve"].minutes_unknown == 1
    assert (rows["Bea"].longest_absence, rows["Bea"].current_absence) == (3, 3)  # A A (X) A
    assert (rows["Ann"].longest_absence, rows["Ann"].current_absence) == (1, 1)
    assert rows["Ann"].count(L) == 1 and rows["Ann"].count(E) == 1 and rows["Bea"].count(X) == 1


def test_each_meeting_has_its_counts_and_rate(store) -> None:
    course, _ = hand_course(store)
    report = group_attendance_report(store, course.group.id)
    assert [c.meeting.number for c in report.meetings] == [1, 2, 3, 4, 5, 6]
    assert report.held == 5 and report.cancelled == 1
    first, second, cancelled, fourth, fifth, sixth = report.meetings
    assert (first.count(P), first.count(L), first.rate) == (3, 1, Rate(4, 4))
    assert (second.rate, second.unmarked) == (Rate(2, 3), 1)  # Eve was due, not marked
    assert cancelled.rate is None and cancelled.counts == ()
    assert fourth.rate == Rate(1, 3) and fifth.rate == Rate(2, 3)
    assert (sixth.rate, sixth.unmarked) == (Rate(0, 2), 2)


def test_the_three_rates_are_each_counted_their_own_way(store) -> None:
    course, _ = hand_course(store)
    rates = group_attendance_report(store, course.group.id).rates
    assert round(rates.by_attendee or 0, 4) == round((0.6 + 0.2 + 1 + 1 + 1) / 5, 4)  # 76%
    assert round(rates.by_meeting or 0, 4) == round((1 + 2 / 3 + 1 / 3 + 2 / 3 + 0) / 5, 4)  # 53%
    assert rates.overall == Rate(9, 15)
    assert [value for value, _ in rates.lines()] == ["76%", "53%", "60% (9 of 15)"]
    assert all(label for _, label in rates.lines())


def test_a_date_range_keeps_only_its_meetings(store) -> None:
    course, people = hand_course(store)
    m = course.meetings
    period = Period(m[3].scheduled_start.date(), m[4].scheduled_start.date())
    report = group_attendance_report(store, course.group.id, period)
    assert [c.meeting.number for c in report.meetings] == [4, 5]
    ann = next(r for r in report.people if r.name == "Ann")
    assert ann.rate == Rate(1, 2) and ann.minutes == 60
    person = person_attendance_report(store, people["ann"].id, period)
    assert person.rate == Rate(1, 2) and person.minutes == 60


def test_a_person_across_groups(store) -> None:
    course, people = hand_course(store)
    other = Course(store, meetings=2)
    store.add(Enrollment(participant_id=people["ann"].id, group_id=other.group.id, joined_on=FIRST.date()))
    store.mark_attendance(other.meetings[0].id, people["ann"].id, P)
    report = person_attendance_report(store, people["ann"].id)
    assert sorted(g.group_id for g in report.groups) == sorted([course.group.id, other.group.id])
    assert report.rate == Rate(4, 6) and report.minutes == 220 + 90  # the other's meeting 2 has no mark
    only = person_attendance_report(store, people["ann"].id, group_id=other.group.id)
    assert only.rate == Rate(1, 1)


def test_minutes_follow_the_meeting_as_run(store) -> None:
    course = Course(store, meetings=1)
    meeting = store.update(
        course.meetings[0],
        started_at=FIRST + timedelta(minutes=5),
        ended_at=FIRST + timedelta(minutes=105),
    )
    assert meeting_length(meeting) == 100
    late = AttendanceMark(
        meeting_id=meeting.id, participant_id="x", status=L, at=FIRST + timedelta(minutes=35)
    )
    assert minutes_attended(meeting, late) == 70
    early = AttendanceMark(meeting_id=meeting.id, participant_id="x", status=E, at=FIRST + timedelta(hours=5))
    assert minutes_attended(meeting, early) == 100  # a time past the end is held to the end
    assert minutes_attended(meeting, None) == 0
    assert minutes_attended(meeting, AttendanceMark(meeting_id="", participant_id="", status=A)) == 0


statuses = st.lists(st.sampled_from([P, L, E, A, X, None]), max_size=30)


@given(statuses)
def test_streaks_are_runs_of_absences_that_only_coming_ends(cells) -> None:
    longest, current = absence_streaks(cells)
    absences = sum(1 for c in cells if c is A)
    assert 0 <= current <= longest <= absences
    if cells and cells[-1] in (P, L, E):
        assert current == 0
    if all(c in (A, X, None) for c in cells):
        assert longest == current == absences


def test_by_default_an_excused_meeting_is_left_out_of_the_rates(store) -> None:
    course, _ = hand_course(store)
    store.update(store.get(type(course.group), course.group.id), excused_counts=False)
    report = group_attendance_report(store, course.group.id)
    bea = next(r for r in report.people if r.name == "Bea")
    assert bea.rate == Rate(1, 4) and bea.count(X) == 1  # still shown as excused
    assert report.meetings[4].rate == Rate(2, 2)  # meeting 5: Ann left early, Cy came, Bea excused
    assert report.rates.overall == Rate(9, 14)
