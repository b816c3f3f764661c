"""Minutes attended: a meeting's length as run, less the time a late arrival or an early leaver missed.

A meeting runs from when it started to when it ended, when both were recorded, else from its scheduled start
for its planned minutes. A late arrival counts from the time marked to the end; an early leaver from the start
to the time marked; a late or early mark with no time recorded is counted as unknown (None), never guessed — a
letter of attendance must not claim minutes nobody wrote down.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from facilitator.store.records import AttendanceMark, AttendanceStatus, Meeting


def meeting_span(meeting: Meeting) -> tuple[datetime, datetime]:
    """When a meeting began and ended, as run where recorded."""
    start = meeting.started_at or meeting.scheduled_start
    if meeting.started_at is not None and meeting.ended_at is not None and meeting.ended_at > start:
        return start, meeting.ended_at
    return start, start + timedelta(minutes=meeting.minutes)


def whole_minutes(span: timedelta) -> int:
    """Completed minutes of a span (never negative)."""
    return max(0, int(span.total_seconds() // 60))


def meeting_length(meeting: Meeting) -> int:
    """A meeting's length in minutes, as run where recorded."""
    start, end = meeting_span(meeting)
    return whole_minutes(end - start)


def minutes_attended(meeting: Meeting, mark: AttendanceMark | None) -> int | None:
    """The minutes someone was there; 0 when absent, excused or unmarked; None when a time is missing."""
    if mark is None or mark.status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED):
        return 0
    start, end = meeting_span(meeting)
    if mark.status is AttendanceStatus.PRESENT:
        return whole_minutes(end - start)
    if mark.at is None:
        return None
    at = min(max(mark.at, start), end)
    if mark.status is AttendanceStatus.LATE:
        return whole_minutes(end - at)
    return whole_minutes(at - start)
