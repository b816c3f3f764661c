"""CSV exports that open cleanly in a spreadsheet: UTF-8 with a header row, ISO 8601 dates, one value a cell.

A cell a spreadsheet would run as a formula — one starting with =, +, -, @, a tab or a carriage return — is
neutralised with a leading apostrophe, which spreadsheets show as text and never evaluate.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from facilitator.reports.attendance import zone_of
from facilitator.reports.attendance_report import GroupAttendanceReport
from facilitator.reports.documents.words import STATUS_WORDS
from facilitator.reports.privacy import Privacy
from facilitator.store import Store
from facilitator.store.records import Goal, Group, Participant

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutral(v) for v in row] for row in rows)
    return out.getvalue()


def attendance_long(store: Store, report: GroupAttendanceReport, privacy: Privacy) -> str:
    """One row per mark of the report's held meetings."""
    group = report.group
    zone = zone_of(group)
    privacy.assign(p.participant_id for p in report.people)
    header = ["group", "meeting", "date", "session", "person", "status", "time", "minutes", "note"]
    if not privacy.deidentify:
        header.insert(5, "person_id")
    rows = []
    names = {p.participant_id: p.name for p in report.people}
    minutes = {
        (p.participant_id, a.meeting.id): "" if a.minutes is None else str(a.minutes)
        for p in report.people
        for a in p.meetings
    }
    for counts in report.meetings:
        meeting = counts.meeting
        if meeting.cancelled:
            continue
        for participant_id, mark in sorted(
            store.meeting_marks(meeting.id).items(),
            key=lambda item: privacy.person(item[0], names.get(item[0], "")),
        ):
            name = names.get(participant_id)
            if name is None:
                person = store.get(Participant, participant_id)
                name = person.display_name if person else ""
            row = [
                group.name,
                meeting.number,
                privacy.day(meeting.day),
                meeting.title,
                privacy.person(participant_id, name),
                STATUS_WORDS[mark.status],
                privacy.moment(mark.at, zone),
                minutes.get((participant_id, meeting.id), ""),
                privacy.text(mark.note),
            ]
            if not privacy.deidentify:
                row.insert(5, participant_id)
            rows.append(row)
    return to_csv(header, rows)


def attendance_wide(report: GroupAttendanceReport, privacy: Privacy) -> str:
    """The grid: one row per person, one column per held or cancelled meeting, then the totals."""
    privacy.assign(p.participant_id for p in report.people)
    columns = [c.meeting for c in report.meetings]
    header = [
        "person",
        *(f"{m.number} {privacy.day(m.day)}" for m in columns),
        "came",
        "marked",
        "rate",
        "minutes",
    ]
    rows = []
    people = sorted(report.people, key=lambda p: privacy.person(p.participant_id, p.name))
    for person in people:
        by_meeting = {a.meeting.id: a for a in person.meetings}
        cells = []
        for meeting in columns:
            attended = by_meeting.get(meeting.id)
            if meeting.cancelled:
                cells.append("cancelled")
            elif attended is None:
                cells.append("not enrolled")
            elif attended.status is None:
                cells.append("")
            else:
                cells.append(STATUS_WORDS[attended.status])
        rate = "" if person.rate.value is None else f"{round(100 * person.rate.value)}%"
        rows.append(
            [
                privacy.person(person.participant_id, person.name),
                *cells,
                person.rate.came,
                person.rate.marked,
                rate,
                person.minutes,
            ]
        )
    return to_csv(header, rows)


def goals_csv(store: Store, goals: Sequence[Goal], privacy: Privacy) -> str:
    """Goals, their steps and their check-ins, one record a row, told apart by the `record` column."""
    privacy.assign(g.participant_id for g in goals)
    header = ["record", "person", "goal", "group", "dimension", "horizon", "status", "number", "text", "date"]
    header += ["rating", "note"]
    rows: list[list[object]] = []
    numbers: dict[str, int] = {}
    ordered = sorted(goals, key=lambda g: (privacy.person(g.participant_id, name(store, g)), g.created_at))
    for goal in ordered:
        person = privacy.person(goal.participant_id, name(store, goal))
        numbers[person] = numbers.get(person, 0) + 1
        label = f"{person}-G{numbers[person]}" if privacy.deidentify else goal.title
        group = store.get(Group, goal.group_id) if goal.group_id else None
        zone = zone_of(group)
        group_name = group.name if group else ""
        base = [person, label, group_name, goal.dimension.value, goal.horizon.value, goal.status.value]
        rows.append(
            [
                "goal",
                *base,
                "",
                privacy.text(goal.why),
                privacy.day(goal.created_at.astimezone(zone).date()),
                "",
                "",
            ]
        )
        for n, step in enumerate(goal.steps, start=1):
            done = privacy.day(step.done_at.astimezone(zone).date()) if step.done_at else ""
            rows.append(["step", *base, n, privacy.text(step.text), done, "", ""])
        for n, check_in in enumerate(sorted(goal.check_ins, key=lambda c: c.at), start=1):
            day = privacy.day(check_in.at.astimezone(zone).date())
            rows.append(["check-in", *base, n, "", day, check_in.rating, privacy.text(check_in.note)])
    return to_csv(header, rows)


def name(store: Store, goal: Goal) -> str:
    person = store.get(Participant, goal.participant_id)
    return person.display_name if person else ""
