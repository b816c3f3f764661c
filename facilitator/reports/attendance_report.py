"""The attendance report: each meeting's counts, each person's meetings and minutes, rates, absence streaks.

Built on the rules of `attendance` (who counts, what "came" means). Three rates, each labelled wherever shown:
- by attendee: every person's own rate, averaged (each person weighs the same, however often they were due);
- by meeting: every held meeting's rate, averaged (each meeting weighs the same, however many were due);
- overall: every came over every mark counted (people due more often weigh more).

An absence streak is a run of held meetings, while enrolled, marked absent; a meeting someone came to ends it,
while an excused or unmarked one neither ends nor lengthens it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from facilitator.reports.attendance import (
    CAME,
    GridMeeting,
    Rate,
    counted,
    enrolled_on,
    grid_meeting,
    total,
    zone_of,
)
from facilitator.reports.minutes import minutes_attended
from facilitator.reports.period import EVERYTHING, Period
from facilitator.store import Store
from facilitator.store.records import (
    AttendanceMark,
    AttendanceStatus,
    Enrollment,
    EnrollmentStatus,
    Group,
    Meeting,
    MeetingStatus,
    Participant,
)
from facilitator.store.store import sort_key

BY_ATTENDEE = "by attendee: each person's rate, averaged"
BY_MEETING = "by meeting: each held meeting's rate, averaged"
OVERALL = "overall: every time someone came ÷ every mark counted"
STREAK_RULE = "consecutive held meetings marked absent; excused or unmarked meetings are passed over"


@dataclass(frozen=True, slots=True)
class Attended:
    """One meeting on someone's record: how they were marked and for how many minutes they were there."""

    meeting: GridMeeting
    status: AttendanceStatus | None
    minutes: int | None  # None: late or left early with no time recorded
    counted: bool  # held while they were enrolled


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One person's attendance in one group over the period."""

    participant_id: str
    name: str
    group_id: str
    group_name: str
    enrollment: EnrollmentStatus
    joined_on: date
    left_on: date | None
    meetings: tuple[Attended, ...]
    rate: Rate
    minutes: int
    minutes_unknown: int  # meetings whose minutes are not known
    longest_absence: int
    current_absence: int

    def count(self, status: AttendanceStatus) -> int:
        return sum(1 for a in self.meetings if a.counted and a.status is status)

    @property
    def due(self) -> int:
        """Held meetings while they were enrolled."""
        return sum(1 for a in self.meetings if a.counted)


@dataclass(frozen=True, slots=True)
class MeetingCounts:
    """One held or cancelled meeting: how many were marked each way."""

    meeting: GridMeeting
    counts: tuple[tuple[AttendanceStatus, int], ...]
    unmarked: int  # people due who have no mark
    rate: Rate | None  # None when cancelled

    def count(self, status: AttendanceStatus) -> int:
        return dict(self.counts).get(status, 0)

    @property
    def came(self) -> int:
        return sum(n for status, n in self.counts if status in CAME)


@dataclass(frozen=True, slots=True)
class Rates:
    """The three rates, each with how it is counted."""

    by_attendee: float | None
    by_meeting: float | None
    overall: Rate

    def lines(self) -> list[tuple[str, str]]:
        """(rate, how it is counted) for display."""
        return [
            (percent(self.by_attendee), BY_ATTENDEE),
            (percent(self.by_meeting), BY_MEETING),
            (f"{self.overall.percent()} ({self.overall.fraction()})", OVERALL),
        ]


@dataclass(frozen=True, slots=True)
class GroupAttendanceReport:
    group: Group
    period: Period
    meetings: tuple[MeetingCounts, ...]
    people: tuple[PersonRecord, ...]
    rates: Rates

    @property
    def held(self) -> int:
        return sum(1 for m in self.meetings if not m.meeting.cancelled)

    @property
    def cancelled(self) -> int:
        return sum(1 for m in self.meetings if m.meeting.cancelled)


@dataclass(frozen=True, slots=True)
class PersonAttendanceReport:
    participant: Participant
    period: Period
    groups: tuple[PersonRecord, ...]

    @property
    def rate(self) -> Rate:
        return total(g.rate for g in self.groups)

    @property
    def minutes(self) -> int:
        return sum(g.minutes for g in self.groups)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)}%"


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def absence_streaks(statuses: Sequence[AttendanceStatus | None]) -> tuple[int, int]:
    """(longest, current) runs of absences in meetings in order (see STREAK_RULE)."""
    longest = run = 0
    for status in statuses:
        if status is AttendanceStatus.ABSENT:
            run += 1
            longest = max(longest, run)
        elif status in CAME:
            run = 0
    return longest, run


def in_period(meetings: Iterable[Meeting], group: Group, period: Period) -> list[tuple[Meeting, GridMeeting]]:
    """The group's held and cancelled meetings whose day falls in the period, with their columns."""
    zone = zone_of(group)
    out = []
    for meeting in meetings:
        if meeting.status not in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
            continue
        column = grid_meeting(meeting, zone)
        if column.day in period:
            out.append((meeting, column))
    return out


def person_record(
    group: Group,
    enrollment: Enrollment,
    person: Participant,
    meetings: list[tuple[Meeting, GridMeeting]],
    marks: dict[str, AttendanceMark | None],
) -> PersonRecord:
    """One person's record in one group; `marks` holds their mark per meeting id."""
    rows = []
    for meeting, column in meetings:
        if column.cancelled:
            continue
        mark = marks.get(meeting.id)
        inside = enrolled_on(enrollment, column.day)
        if not inside and mark is None:
            continue
        status = mark.status if mark else None
        minutes = minutes_attended(meeting, mark)
        rows.append(Attended(column, status, minutes, inside))
    counted_rows = [a for a in rows if a.counted]
    longest, current = absence_streaks([a.status for a in counted_rows])
    excused_counts = group.excused_counts
    return PersonRecord(
        participant_id=person.id,
        name=person.display_name,
        group_id=group.id,
        group_name=group.name,
        enrollment=enrollment.status,
        joined_on=enrollment.joined_on,
        left_on=enrollment.left_on,
        meetings=tuple(rows),
        rate=total(counted(a.status, excused_counts=excused_counts) for a in counted_rows),
        minutes=sum(a.minutes or 0 for a in rows),
        minutes_unknown=sum(1 for a in rows if a.minutes is None),
        longest_absence=longest,
        current_absence=current,
    )


def group_attendance_report(
    store: Store, group_id: str, period: Period = EVERYTHING
) -> GroupAttendanceReport:
    """A group's attendance over the period; the waiting list is left out (they have not started)."""
    group = store.get(Group, group_id)
    if group is None:
        raise KeyError(group_id)
    meetings = in_period(store.group_meetings(group_id), group, period)
    marks = {m.id: store.meeting_marks(m.id) for m, c in meetings if not c.cancelled}
    people = []
    for enrollment, person in store.roster(group_id):
        if person.deleted or enrollment.status is EnrollmentStatus.WAITLIST:
            continue
        mine = {meeting_id: by_person.get(person.id) for meeting_id, by_person in marks.items()}
        people.append(person_record(group, enrollment, person, meetings, mine))
    due_at: dict[str, list[str]] = {}
    for record in people:
        for attended in record.meetings:
            if attended.counted:
                due_at.setdefault(attended.meeting.id, []).append(record.participant_id)
    counts = []
    for meeting, column in meetings:
        if column.cancelled:
            counts.append(MeetingCounts(column, (), 0, None))
            continue
        statuses = Counter(mark.status for mark in marks[meeting.id].values())
        marked_due = [marks[meeting.id].get(pid) for pid in due_at.get(meeting.id, [])]
        rate = total(
            counted(mark.status if mark else None, excused_counts=group.excused_counts) for mark in marked_due
        )
        counts.append(
            MeetingCounts(
                column,
                tuple((status, statuses[status]) for status in AttendanceStatus if statuses[status]),
                sum(1 for mark in marked_due if mark is None),
                rate,
            )
        )
    rates = Rates(
        by_attendee=mean(v for p in people if (v := p.rate.value) is not None),
        by_meeting=mean(v for m in counts if m.rate is not None and (v := m.rate.value) is not None),
        overall=total(p.rate for p in people),
    )
    return GroupAttendanceReport(group, period, tuple(counts), tuple(people), rates)


def person_attendance_report(
    store: Store, participant_id: str, period: Period = EVERYTHING, *, group_id: str | None = None
) -> PersonAttendanceReport:
    """A person's attendance in each of their groups (or one), over the period."""
    person = store.get(Participant, participant_id)
    if person is None:
        raise KeyError(participant_id)
    marks: dict[str, AttendanceMark | None] = {
        m.meeting_id: m for m in store.participant_marks(participant_id)
    }
    records = []
    for enrollment in store.enrollments_of(participant_id):
        group = store.get(Group, enrollment.group_id)
        if group is None or group.deleted or (group_id is not None and group.id != group_id):
            continue
        meetings = in_period(store.group_meetings(group.id), group, period)
        records.append(person_record(group, enrollment, person, meetings, marks))
    records.sort(key=lambda r: sort_key(r.group_name))
    return PersonAttendanceReport(person, period, tuple(records))
