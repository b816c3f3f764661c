"""A small group written through the store's own API, for the report tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from facilitator.store import Store
from facilitator.store.records import (
    AttendanceStatus,
    Enrollment,
    EnrollmentStatus,
    Group,
    GroupStatus,
    Meeting,
    MeetingStatus,
    Participant,
    Schedule,
)

FIRST = datetime(2026, 1, 6, 18, 30, tzinfo=UTC)  # a Tuesday
NOW = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)

P = AttendanceStatus.PRESENT
L = AttendanceStatus.LATE
E = AttendanceStatus.LEFT_EARLY
A = AttendanceStatus.ABSENT
X = AttendanceStatus.EXCUSED


class Course:
    """A weekly group with `meetings` meetings; held unless told otherwise."""

    def __init__(self, store: Store, meetings: int = 6, *, status: GroupStatus = GroupStatus.RUNNING) -> None:
        self.store = store
        self.group = Group(
            name="Tuesday group",
            status=status,
            schedule=Schedule(start_date=FIRST.date(), weekdays=[1], start_time="18:30", timezone="UTC"),
        )
        self.meetings = [
            Meeting(
                group_id=self.group.id,
                number=n + 1,
                scheduled_start=FIRST + timedelta(days=7 * n),
                status=MeetingStatus.HELD,
            )
            for n in range(meetings)
        ]
        store.add(self.group, *self.meetings)

    def person(
        self,
        name: str,
        *,
        joined: date | None = None,
        status: EnrollmentStatus = EnrollmentStatus.ACTIVE,
        marks: str = "",
    ) -> Participant:
        """Enrol someone and mark them, one letter per meeting: P L E A X, `.` for no mark."""
        person = Participant(display_name=name)
        enrollment = Enrollment(
            participant_id=person.id,
            group_id=self.group.id,
            joined_on=joined or FIRST.date(),
            status=status,
        )
        self.store.add(person, enrollment)
        for meeting, letter in zip(self.meetings, marks, strict=False):
            if letter != ".":
                self.store.mark_attendance(meeting.id, person.id, LETTERS[letter])
        return person

    def set_status(self, number: int, status: MeetingStatus) -> Meeting:
        """Change meeting `number`'s status (1-based)."""
        meeting = self.store.update(self.meetings[number - 1], status=status)
        self.meetings[number - 1] = meeting
        return meeting


LETTERS = {"P": P, "L": L, "E": E, "A": A, "X": X}
