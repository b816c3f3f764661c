"""A group's meetings over time: numbering, moving the upcoming ones to a new schedule, planning the rest.

Pure functions over records: they return the meetings to save and never touch the store, so a screen saves
them in one durable write and the rules are tested without a screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec

from curricula.format import Pack
from facilitator.course.calendar import (
    course_sessions,
    meeting_days,
    meeting_start,
    planned_agenda,
    planned_meeting,
)
from facilitator.store.records import Group, Meeting, MeetingStatus, Schedule, SessionRef


def renumbered(meetings: Iterable[Meeting]) -> list[Meeting]:
    """The group's meetings numbered 1, 2, 3… by date; only those whose number changes are returned."""
    live = (m for m in meetings if m.deleted_at is None)  # a dropped meeting keeps the number it had
    ordered = sorted(live, key=lambda m: (m.scheduled_start, m.number, m.id))
    return [
        msgspec.structs.replace(meeting, number=number)
        for number, meeting in enumerate(ordered, start=1)
        if meeting.number != number
    ]


def with_numbers(changed: Iterable[Meeting], everything: Iterable[Meeting], now: datetime) -> list[Meeting]:
    """`changed` meetings plus any others renumbered because of them, stamped `now`, ready for one write."""
    changed = list(changed)
    by_id = {m.id: m for m in everything}
    by_id.update({m.id: m for m in changed})
    touched = {m.id: m for m in changed}
    touched.update({m.id: m for m in renumbered(by_id.values())})
    return [msgspec.structs.replace(m, updated_at=now) for m in touched.values()]


def movable(meetings: Iterable[Meeting], now: datetime) -> list[Meeting]:
    """Planned meetings still to come, in date order: the ones a new schedule may move."""
    upcoming = [m for m in meetings if m.status is MeetingStatus.PLANNED and m.scheduled_start >= now]
    return sorted(upcoming, key=lambda m: m.scheduled_start)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def retimed(upcoming: list[Meeting], schedule: Schedule, from_day: date) -> list[Meeting]:
    """The same meetings in the same order, on the schedule's days from `from_day`, at its time and length."""
    start = msgspec.structs.replace(schedule, start_date=from_day)
    days = meeting_days(start, len(upcoming))
    return [
        msgspec.structs.replace(m, scheduled_start=meeting_start(schedule, day), minutes=schedule.minutes)
        for m, day in zip(upcoming, days, strict=True)
    ]


def retime_from(upcoming: list[Meeting], old: Schedule | None, new: Schedule, today: date) -> date:
    """Where the moved meetings start: a new start date if one was given, else the week of the next meeting.

    Never before today: a meeting is not moved into the past.
    """
    if old is not None and new.start_date != old.start_date:
        return max(new.start_date, today)
    zone = ZoneInfo(new.timezone)
    first = upcoming[0].scheduled_start.astimezone(zone).date() if upcoming else today
    return max(week_start(first), today)


def session_key(ref: SessionRef) -> tuple[str, int]:
    return ref.unit_id, ref.session_number


def missing_sessions(pack: Pack, meetings: Iterable[Meeting]) -> list[SessionRef]:
    """The pack's sessions no meeting covers yet (cancelled meetings cover nothing), in course order."""
    covered = {
        session_key(m.covers)
        for m in meetings
        if m.covers is not None and m.status is not MeetingStatus.CANCELLED
    }
    return [ref for ref in course_sessions(pack) if session_key(ref) not in covered]


def days_after(schedule: Schedule, meetings: list[Meeting], now: datetime, count: int) -> list[date]:
    """The next `count` meeting days on the schedule after the group's last meeting (a cancelled one does not
    count), and still to come."""
    zone = ZoneInfo(schedule.timezone)
    today = now.astimezone(zone).date()
    last = max((m.scheduled_start for m in meetings if m.status is not MeetingStatus.CANCELLED), default=None)
    after = last.astimezone(zone).date() + timedelta(days=1) if last is not None else schedule.start_date
    start = max(after, today)
    # One day more than needed: when today is a meeting day whose hour has passed, it is skipped.
    days = meeting_days(msgspec.structs.replace(schedule, start_date=start), count + 1)
    return [day for day in days if meeting_start(schedule, day) > now][:count]


def cancel_and_shift(
    meeting: Meeting, reason: str, meetings: list[Meeting], schedule: Schedule, now: datetime
) -> list[Meeting]:
    """Cancel a planned meeting and carry the course on: its session moves to the next planned meeting, each
    later session one meeting on, and the last one gets a new meeting on the schedule after the others.

    Returns the meetings to save (the new one numbered 0 until numbered with the rest).
    """
    later = sorted(
        (
            m
            for m in meetings
            if m.status is MeetingStatus.PLANNED and m.scheduled_start > meeting.scheduled_start
        ),
        key=lambda m: m.scheduled_start,
    )
    changed = [msgspec.structs.replace(meeting, status=MeetingStatus.CANCELLED, cancel_reason=reason)]
    carried = (meeting.covers, meeting.agenda)
    for m in later:
        changed.append(msgspec.structs.replace(m, covers=carried[0], agenda=carried[1]))
        carried = (m.covers, m.agenda)
    if carried[0] is not None:
        everything = {m.id: m for m in meetings} | {m.id: m for m in changed}
        # After the cancelled meeting too: when it was the last, the new one must not land on its date.
        (day,) = days_after(schedule, [*everything.values(), meeting], now, 1)
        start = meeting_start(schedule, day)
        changed.append(
            planned_meeting(
                meeting.group_id, start, schedule.minutes, now, covers=carried[0], agenda=carried[1]
            )
        )
    return changed


def without_a_session(meetings: list[Meeting], now: datetime) -> list[Meeting]:
    """Upcoming planned meetings that cover no session: left over after a change to a shorter pack."""
    return [m for m in movable(meetings, now) if m.covers is None]


def plan_rest(group: Group, pack: Pack, meetings: list[Meeting], now: datetime) -> list[Meeting]:
    """A meeting for each session not covered yet, in course order: first the upcoming planned meetings that
    cover no session (after a change of pack, say), then new meetings after the group's last one, on its
    schedule and not before today. Returns the meetings to save (new ones numbered 0 until numbered by date).
    """
    if group.schedule is None:
        raise ValueError("a group needs a schedule before its meetings can be planned")
    missing = missing_sessions(pack, meetings)
    bare = [m for m in movable(meetings, now) if m.covers is None]
    filled = [
        msgspec.structs.replace(m, covers=ref, agenda=planned_agenda(pack, ref.unit_id, ref.session_number))
        for m, ref in zip(bare, missing, strict=False)
    ]
    rest = missing[len(filled) :]
    schedule = group.schedule
    days = days_after(schedule, meetings, now, len(rest)) if rest else []
    new = [
        planned_meeting(group.id, meeting_start(schedule, day), schedule.minutes, now, covers=ref, pack=pack)
        for day, ref in zip(days, rest, strict=True)
    ]
    return [*filled, *new]
