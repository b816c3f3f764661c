"""Completion: who attended at least the group's threshold of its course, who still can, who cannot.

The course is the group's meetings that are not cancelled (held, in progress and planned); the threshold is
the group's own (`Group.completion_threshold`, 75 % unless set), and the meetings needed are that share of the
course rounded up: 75 % of 44 is 33, of 10 is 8. Someone can still complete when the meetings they came to
plus the meetings still ahead (if they are still in the group) reach it. Only meetings someone came to count
(present, late, left early); excused counts as marked, not as attended.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from facilitator.reports.attendance import CAME, enrolled_on, meeting_day, zone_of
from facilitator.store import Store
from facilitator.store.records import EnrollmentStatus, Group, MeetingStatus

DEFAULT_THRESHOLD = 0.75


class Standing(enum.StrEnum):
    COMPLETED = "completed"
    CAN_COMPLETE = "can still complete"
    CANNOT_COMPLETE = "cannot complete"


@dataclass(frozen=True, slots=True)
class CompletionRow:
    participant_id: str
    name: str
    enrollment: EnrollmentStatus
    attended: int
    left_ahead: int  # meetings still to come that they could attend
    standing: Standing


@dataclass(frozen=True, slots=True)
class CompletionReport:
    group: Group
    course_meetings: int
    needed: int
    rows: tuple[CompletionRow, ...]

    def with_standing(self, standing: Standing) -> list[CompletionRow]:
        return [r for r in self.rows if r.standing is standing]

    def rule(self) -> str:
        share = round(100 * self.group.completion_threshold)
        return f"{self.needed} of {self.course_meetings} meetings ({share}% of the course, rounded up)"


def meetings_needed(threshold: float, course_meetings: int) -> int:
    """The share of the course, rounded up (computed exactly: 0.75 × 44 is 33, not 33.000000001 → 34)."""
    share = Fraction(threshold).limit_denominator(1000)
    return math.ceil(share * course_meetings)


def completion_report(store: Store, group_id: str, today: date) -> CompletionReport:
    """Each person on the roster (not the waiting list) against the group's completion threshold."""
    group = store.get(Group, group_id)
    if group is None:
        raise KeyError(group_id)
    zone = zone_of(group)
    course = [m for m in store.group_meetings(group_id) if m.status is not MeetingStatus.CANCELLED]
    held = [m for m in course if m.status is MeetingStatus.HELD]
    ahead = [m for m in course if m.status is not MeetingStatus.HELD and meeting_day(m, zone) >= today]
    needed = meetings_needed(group.completion_threshold, len(course))
    marks = {m.id: store.meeting_marks(m.id) for m in held}
    rows = []
    for enrollment, person in store.roster(group_id):
        if person.deleted or enrollment.status is EnrollmentStatus.WAITLIST:
            continue
        attended = sum(
            1
            for m in held
            if (mark := marks[m.id].get(person.id)) is not None
            and mark.status in CAME
            and enrolled_on(enrollment, meeting_day(m, zone))
        )
        still_in = enrollment.status is EnrollmentStatus.ACTIVE and enrollment.left_on is None
        left_ahead = sum(1 for m in ahead if enrolled_on(enrollment, meeting_day(m, zone))) if still_in else 0
        if attended >= needed and course:
            standing = Standing.COMPLETED
        elif attended + left_ahead >= needed:
            standing = Standing.CAN_COMPLETE
        else:
            standing = Standing.CANNOT_COMPLETE
        rows.append(
            CompletionRow(person.id, person.display_name, enrollment.status, attended, left_ahead, standing)
        )
    return CompletionReport(group, len(course), needed, tuple(rows))
