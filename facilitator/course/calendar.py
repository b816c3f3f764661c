"""Courses: from a curriculum pack to the records a group's meetings keep."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from curricula.agenda import session_agenda
from curricula.format import Pack
from facilitator.store.records import AgendaItem, Cadence, Group, Meeting, MeetingStatus, Schedule, SessionRef


def course_sessions(pack: Pack) -> list[SessionRef]:
    """Every session of a pack in course order."""
    return [
        SessionRef(unit_id=u.id, session_number=s.number, title=s.title, unit_title=u.title)
        for u in pack.units
        for s in u.sessions
    ]


def planned_agenda(pack: Pack, unit_id: str, number: int) -> list[AgendaItem]:
    """A session's agenda as planned, from the pack's template and the session's own segments."""
    unit = next(u for u in pack.units if u.id == unit_id)
    session = next(s for s in unit.sessions if s.number == number)
    segments = session_agenda(pack, session)
    return [AgendaItem(title=s.title, kind=str(s.kind), planned_seconds=s.minutes * 60) for s in segments]


def planned_meeting(
    group_id: str,
    start: datetime,
    minutes: int,
    now: datetime,
    *,
    covers: SessionRef | None = None,
    pack: Pack | None = None,
    agenda: list[AgendaItem] | None = None,
    number: int = 0,
) -> Meeting:
    """The one way a planned meeting is made: at a group's creation, by `G`, by a cancellation that pushes
    the course on, by hand. Its agenda is `agenda` when given, else the session's from `pack`, else none;
    number 0 means "numbered with the others by date when saved" (`scheduling.with_numbers`).
    """
    if agenda is None:
        agenda = []
        if covers is not None and pack is not None:
            agenda = planned_agenda(pack, covers.unit_id, covers.session_number)
    return Meeting(
        group_id=group_id,
        number=number,
        scheduled_start=start,
        minutes=minutes,
        covers=covers,
        agenda=agenda,
        created_at=now,
        updated_at=now,
    )


def meeting_days(schedule: Schedule, count: int) -> list[date]:
    """The first `count` meeting days from the start date: each weekday of every (or every other) week."""
    weekdays = sorted({d for d in schedule.weekdays if 0 <= d < 7}) or [schedule.start_date.weekday()]
    step = 14 if schedule.cadence is Cadence.FORTNIGHTLY else 7
    start = schedule.start_date
    # The fortnights count from the week of the first meeting, not from the start date's week.
    first = min(start + timedelta(days=(d - start.weekday()) % 7) for d in weekdays)
    monday = first - timedelta(days=first.weekday())
    days: list[date] = []
    while len(days) < count:
        days += [day for day in (monday + timedelta(days=d) for d in weekdays) if day >= first]
        monday += timedelta(days=step)
    return days[:count]


def meeting_start(schedule: Schedule, day: date) -> datetime:
    """When a meeting on `day` starts, in UTC: the group's local time, whatever the offset (summer time)."""
    at = time.fromisoformat(schedule.start_time)
    return datetime.combine(day, at, tzinfo=ZoneInfo(schedule.timezone)).astimezone(UTC)


def course_meetings(group: Group, pack: Pack) -> list[Meeting]:
    """One planned meeting per session of `pack`, in course order, on the group's schedule (stored in UTC)."""
    if group.schedule is None:
        raise ValueError("a group needs a schedule before its meetings can be planned")
    schedule = group.schedule
    sessions = course_sessions(pack)
    return [
        planned_meeting(
            group.id,
            meeting_start(schedule, day),
            schedule.minutes,
            group.created_at,
            covers=ref,
            pack=pack,
            number=number,
        )
        for number, (day, ref) in enumerate(
            zip(meeting_days(schedule, len(sessions)), sessions, strict=True), start=1
        )
    ]


def course_progress(meetings: list[Meeting]) -> tuple[int, int]:
    """(sessions held, of how many sessions): the course's sessions, not its meetings.

    When the meetings cover sessions of a pack, each session counts once, and a meeting covering none (left
    over after a change to a shorter pack, or an extra social evening) counts in neither number; a group that
    follows no pack counts its meetings. Cancelled meetings count in neither.
    """
    counted = [m for m in meetings if m.status is not MeetingStatus.CANCELLED]
    if not any(m.covers is not None for m in counted):
        return sum(1 for m in counted if m.status is MeetingStatus.HELD), len(counted)
    sessions = {(m.covers.unit_id, m.covers.session_number) for m in counted if m.covers is not None}
    held = {
        (m.covers.unit_id, m.covers.session_number)
        for m in counted
        if m.covers is not None and m.status is MeetingStatus.HELD
    }
    return len(held), len(sessions)
