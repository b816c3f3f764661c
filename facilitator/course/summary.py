"""The end-of-meeting summary: a plain JSON-ready dict kept on the meeting, and its lines for the screen."""

from __future__ import annotations

from typing import Any

from facilitator.store import Store
from facilitator.store.records import (
    AttendanceStatus,
    Enrollment,
    HomeAssignment,
    Meeting,
    Participant,
    Review,
)

SUMMARY_FORMAT = 1
NOT_MARKED = "not_marked"
# The order attendance is reported in.
ATTENDANCE_KEYS = [*(status.value for status in AttendanceStatus), NOT_MARKED]


def _recipient(assignment: HomeAssignment, names: dict[str, str]) -> str:
    if assignment.participant_id is None:
        return "the group"
    return names.get(assignment.participant_id, "someone no longer on the roster")


def build_summary(
    store: Store, meeting: Meeting, roster: list[tuple[Enrollment, Participant]]
) -> dict[str, Any]:
    """Attendance, time per segment, notes, home assignments and goal check-ins of one meeting."""
    marks = store.meeting_marks(meeting.id)
    names = {person.id: person.display_name for _, person in roster}
    for participant_id in marks:
        if participant_id not in names:
            person = store.get(Participant, participant_id)
            names[participant_id] = person.display_name if person else "someone no longer on the roster"
    attendance: dict[str, list[str]] = {key: [] for key in ATTENDANCE_KEYS}
    for participant_id, name in names.items():
        mark = marks.get(participant_id)
        attendance[mark.status.value if mark else NOT_MARKED].append(name)
    segments: list[dict[str, Any]] = [
        {
            "title": item.title,
            "kind": item.kind,
            "planned_seconds": item.planned_seconds,
            "actual_seconds": item.actual_seconds or 0,
            "skipped": item.skipped,
        }
        for item in meeting.agenda
    ]
    check_ins = [
        {"participant": names[person_id], "goal": goal.title, "rating": check.rating, "note": check.note}
        for person_id in names
        for goal in store.participant_goals(person_id)
        for check in goal.check_ins
        if check.meeting_id == meeting.id
    ]
    due = store.assignments_due_at(meeting.id)
    return {
        "format": SUMMARY_FORMAT,
        "started_at": meeting.started_at.isoformat() if meeting.started_at else None,
        "ended_at": meeting.ended_at.isoformat() if meeting.ended_at else None,
        "attendance": attendance,
        "attendance_counts": {key: len(people) for key, people in attendance.items()},
        "segments": segments,
        "planned_seconds": sum(s["planned_seconds"] for s in segments),
        "actual_seconds": sum(s["actual_seconds"] for s in segments),
        "overrun_segments": sum(1 for s in segments if s["actual_seconds"] > s["planned_seconds"]),
        "skipped_segments": sum(1 for s in segments if s["skipped"]),
        "notes": meeting.notes,
        "assignments_given": [
            {"text": a.text, "to": _recipient(a, names)} for a in store.assignments_given_at(meeting.id)
        ],
        "assignments_reviewed": [
            {"text": a.text, "to": _recipient(a, names), "review": a.review.value}
            for a in due
            if a.review is not Review.NOT_REVIEWED
        ],
        "assignments_not_reviewed": sum(1 for a in due if a.review is Review.NOT_REVIEWED),
        "check_ins": check_ins,
    }
