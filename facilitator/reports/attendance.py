"""Attendance as plain values: a group's grid (people × meetings) and one person's record across groups.

Rates are defined once, here, and labelled wherever they are shown (`rate_rule`): a person "came" when marked
present, late or left early; the rate is came ÷ marked, counting only held meetings the person was enrolled
for (joined on or before the meeting's day, not yet left). An excused meeting is left out of the rate, as most
programmes do, unless the group says otherwise (`Group.excused_counts`: then it counts as marked, not come).
Cancelled meetings and meetings with no mark for the person count for nothing. A meeting's rate is the same
sum down its column. Cost: one `store.meeting_marks` per meeting and one dictionary look-up per cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from facilitator.store import Store
from facilitator.store.records import (
    AttendanceStatus,
    Enrollment,
    EnrollmentStatus,
    Group,
    Meeting,
    MeetingStatus,
)
from facilitator.store.store import sort_key

CAME = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY})
# Short enough for one line beside the grid at 80 columns.
RATE_RULE = "Rate = present, late or left early ÷ marked while enrolled; excused left out"
RATE_RULE_WITH_EXCUSED = "Rate = present, late or left early ÷ marked while enrolled; excused as absent"


def rate_rule(group: Group | None) -> str:
    """How the group's rates are counted, in one line to show beside them."""
    return RATE_RULE_WITH_EXCUSED if group is not None and group.excused_counts else RATE_RULE


GRID_STATUSES = frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED})


@dataclass(frozen=True, slots=True)
class Rate:
    """How many times someone came out of how many marked meetings."""

    came: int = 0
    marked: int = 0

    @property
    def value(self) -> float | None:
        return self.came / self.marked if self.marked else None

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.came + other.came, self.marked + other.marked)

    def percent(self) -> str:
        """ "75%", or "—" when nothing was marked."""
        return "—" if self.marked == 0 else f"{round(100 * self.came / self.marked)}%"

    def fraction(self) -> str:
        """ "9 of 12"."""
        return f"{self.came} of {self.marked}"


def counted(status: AttendanceStatus | None, *, excused_counts: bool = False) -> Rate:
    """One cell's share of a rate (the cell must be a held meeting the person was enrolled for)."""
    if status is None or (status is AttendanceStatus.EXCUSED and not excused_counts):
        return Rate()
    return Rate(1 if status in CAME else 0, 1)


def zone_of(group: Group | None) -> tzinfo:
    """The group's own time zone (UTC when it has none or an unknown one)."""
    if group is None or group.schedule is None:
        return UTC
    try:
        return ZoneInfo(group.schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def meeting_day(meeting: Meeting, zone: tzinfo) -> date:
    """The day a meeting falls on where the group meets."""
    return meeting.scheduled_start.astimezone(zone).date()


def enrolled_on(enrollment: Enrollment, day: date) -> bool:
    """Whether the person was in the group on that day."""
    return enrollment.joined_on <= day and (enrollment.left_on is None or day <= enrollment.left_on)


@dataclass(frozen=True, slots=True)
class GridMeeting:
    """One column of the grid: a held or cancelled meeting."""

    id: str
    number: int
    start: datetime
    day: date
    cancelled: bool
    cancel_reason: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class GridRow:
    """One person on the roster, with a cell per meeting."""

    participant_id: str
    name: str
    enrollment: EnrollmentStatus
    joined_on: date
    cells: tuple[AttendanceStatus | None, ...]  # None: no mark
    enrolled: tuple[bool, ...]  # whether the meeting falls while they were in the group
    rate: Rate


@dataclass(frozen=True, slots=True)
class AttendanceGrid:
    """A group's attendance: rows are people on the roster, columns its held and cancelled meetings."""

    group_id: str
    zone: tzinfo
    meetings: tuple[GridMeeting, ...]
    rows: tuple[GridRow, ...]
    meeting_rates: tuple[Rate | None, ...]  # None for a cancelled meeting
    rule: str = RATE_RULE  # how its rates are counted

    @property
    def rate(self) -> Rate:
        """The whole group's rate."""
        return total(row.rate for row in self.rows)


def grid_meeting(meeting: Meeting, zone: tzinfo) -> GridMeeting:
    return GridMeeting(
        id=meeting.id,
        number=meeting.number,
        start=meeting.scheduled_start,
        day=meeting_day(meeting, zone),
        cancelled=meeting.status is MeetingStatus.CANCELLED,
        cancel_reason=meeting.cancel_reason,
        title=meeting.covers.title if meeting.covers else "",
    )


def attendance_grid(store: Store, group_id: str) -> AttendanceGrid:
    """The group's grid; people on the waiting list are left out (they have not started)."""
    group = store.get(Group, group_id)
    zone = zone_of(group)
    excused_counts = group is not None and group.excused_counts
    meetings = [m for m in store.group_meetings(group_id) if m.status in GRID_STATUSES]
    columns = tuple(grid_meeting(m, zone) for m in meetings)
    marks = [
        store.meeting_marks(m.id) if not c.cancelled else {} for m, c in zip(meetings, columns, strict=True)
    ]
    rows = []
    # Counted with plain integers: this runs once per cell (5,000 for the bench's 200 x 25 grid).
    came_at, marked_at = [0] * len(columns), [0] * len(columns)
    for enrollment, person in store.roster(group_id):
        if person.deleted or enrollment.status is EnrollmentStatus.WAITLIST:
            continue
        cells = tuple(
            mark.status if (mark := by_person.get(person.id)) is not None else None for by_person in marks
        )
        enrolled = tuple(not c.cancelled and enrolled_on(enrollment, c.day) for c in columns)
        came = marked = 0
        for i, (status, inside) in enumerate(zip(cells, enrolled, strict=True)):
            if inside and status is not None and (excused_counts or status is not AttendanceStatus.EXCUSED):
                marked += 1
                marked_at[i] += 1
                if status in CAME:
                    came += 1
                    came_at[i] += 1
        rate = Rate(came, marked)
        rows.append(
            GridRow(
                participant_id=person.id,
                name=person.display_name,
                enrollment=enrollment.status,
                joined_on=enrollment.joined_on,
                cells=cells,
                enrolled=enrolled,
                rate=rate,
            )
        )
    meeting_rates = tuple(
        None if column.cancelled else Rate(came_at[i], marked_at[i]) for i, column in enumerate(columns)
    )
    return AttendanceGrid(group_id, zone, columns, tuple(rows), meeting_rates, rate_rule(group))


@dataclass(frozen=True, slots=True)
class GroupAttendance:
    """One person's record in one group: each held meeting while enrolled (or marked), in order."""

    group_id: str
    group_name: str
    enrollment: EnrollmentStatus
    meetings: tuple[tuple[GridMeeting, AttendanceStatus | None], ...]
    rate: Rate


@dataclass(frozen=True, slots=True)
class ParticipantAttendance:
    """One person's attendance across every group they are in."""

    participant_id: str
    groups: tuple[GroupAttendance, ...]

    @property
    def rate(self) -> Rate:
        return total(g.rate for g in self.groups)

    def history(self) -> list[tuple[datetime, bool]]:
        """Every counted meeting across groups in time order: (start, came)."""
        return sorted(
            (meeting.start, status in CAME)
            for group in self.groups
            for meeting, status in group.meetings
            if status is not None
        )


def participant_attendance(store: Store, participant_id: str) -> ParticipantAttendance:
    """A person's attendance in each of their groups, with a rate for each and overall."""
    marks = {m.meeting_id: m.status for m in store.participant_marks(participant_id)}
    out = []
    for enrollment in store.enrollments_of(participant_id):
        group = store.get(Group, enrollment.group_id)
        if group is None or group.deleted:
            continue
        zone = zone_of(group)
        rows = []
        rate = Rate()
        for meeting in store.group_meetings(group.id):
            if meeting.status is not MeetingStatus.HELD:
                continue
            column = grid_meeting(meeting, zone)
            status = marks.get(meeting.id)
            inside = enrolled_on(enrollment, column.day)
            if inside or status is not None:
                rows.append((column, status))
            if inside:
                rate += counted(status, excused_counts=group.excused_counts)
        out.append(GroupAttendance(group.id, group.name, enrollment.status, tuple(rows), rate))
    out.sort(key=lambda g: sort_key(g.group_name))
    return ParticipantAttendance(participant_id, tuple(out))


def rolling_rate(came: Sequence[bool], window: int = 4) -> list[float]:
    """The share of the last `window` meetings someone came to, after each meeting (for a sparkline)."""
    out = []
    for i in range(len(came)):
        recent = came[max(0, i - window + 1) : i + 1]
        out.append(sum(recent) / len(recent))
    return out


def total(rates: Iterable[Rate]) -> Rate:
    """The sum of several rates."""
    return sum(rates, Rate())
