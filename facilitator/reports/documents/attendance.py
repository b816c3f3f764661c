"""The attendance document of a group: rates, the chart, each meeting's counts and each person's record."""

from __future__ import annotations

from datetime import date

from facilitator.reports.attendance import rate_rule
from facilitator.reports.attendance_report import STREAK_RULE, GroupAttendanceReport, percent
from facilitator.reports.document import Bars, Block, Document, Heading, Paragraph, Table
from facilitator.reports.documents.common import footer, group_facts, period_words
from facilitator.reports.documents.words import PLACE_WORDS
from facilitator.reports.privacy import Privacy
from facilitator.store.records import AttendanceStatus

COUNTED = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)
PEOPLE_LEFT_OUT = "Each person's own record is left out: counts below {n} are suppressed in this export."


def attendance_blocks(report: GroupAttendanceReport, privacy: Privacy) -> list[Block]:
    privacy.assign(p.participant_id for p in report.people)
    rates = report.rates
    overall = rates.overall
    blocks: list[Block] = [
        Heading("Attendance"),
        Paragraph(
            f"{privacy.count(report.held)} held meeting(s) and {privacy.count(report.cancelled)} cancelled, "
            f"over {period_words(report.period, privacy)}."
        ),
        Table(
            ("Rate", "How it is counted"),
            (
                (percent(rates.by_attendee), "by attendee: each person's rate, averaged"),
                (percent(rates.by_meeting), "by meeting: each held meeting's rate, averaged"),
                (
                    f"{rates.overall.percent()} ({privacy.fraction(overall.came, overall.marked)})",
                    "overall: every time someone came ÷ every mark counted",
                ),
            ),
            widths=(1, 4),
            caption=rate_rule(report.group) + ".",
        ),
    ]
    held = [c for c in report.meetings if not c.meeting.cancelled]
    if held and not privacy.suppress_under:
        most = max(
            c.came + c.count(AttendanceStatus.ABSENT) + c.count(AttendanceStatus.EXCUSED) + c.unmarked
            for c in held
        )
        blocks.append(
            Bars(
                "People who came, meeting by meeting",
                tuple((str(c.meeting.number), c.came) for c in held),
                most,
            )
        )
    rows = []
    for counts in report.meetings:
        meeting = counts.meeting
        day = privacy.day(meeting.day)
        if meeting.cancelled:
            reason = privacy.text(meeting.cancel_reason)
            rows.append((str(meeting.number), day, meeting.title, *["—"] * 6, f"cancelled {reason}".strip()))
            continue
        cells = [privacy.count(counts.count(status)) for status in COUNTED]
        rate = counts.rate.percent() if counts.rate else "—"
        rows.append((str(meeting.number), day, meeting.title, *cells, privacy.count(counts.unmarked), rate))
    blocks += [
        Heading("Meeting by meeting", 3),
        Table(
            ("#", "Date", "Session", "Present", "Late", "Left early", "Absent", "Excused", "No mark", "Rate"),
            tuple(rows),
            widths=(3, 9, 14, 7, 6, 7, 7, 7, 7, 6),
        ),
    ]
    if privacy.suppress_under:
        return [*blocks, Paragraph(PEOPLE_LEFT_OUT.format(n=privacy.suppress_under), small=True)]
    people = sorted(report.people, key=lambda p: privacy.person(p.participant_id, p.name))
    person_rows = []
    for person in people:
        minutes = f"{person.minutes}" + (
            f" (+{person.minutes_unknown} untimed)" if person.minutes_unknown else ""
        )
        person_rows.append(
            (
                privacy.person(person.participant_id, person.name),
                PLACE_WORDS[person.enrollment],
                person.rate.fraction(),
                person.rate.percent(),
                minutes,
                str(person.longest_absence),
                str(person.current_absence),
            )
        )
    return [
        *blocks,
        Heading("Person by person", 3),
        Table(
            ("Person", "Place", "Came of marked", "Rate", "Minutes", "Longest absence", "Absent now"),
            tuple(person_rows),
            widths=(14, 8, 8, 5, 9, 7, 6),
            caption=f"An absence streak counts {STREAK_RULE}.",
        ),
    ]


def attendance_document(report: GroupAttendanceReport, privacy: Privacy, made_on: date) -> Document:
    group = report.group
    return Document(
        title=f"{group.name}: attendance",
        subtitle=period_words(report.period, privacy).capitalize(),
        blocks=(*group_facts(group, privacy), *attendance_blocks(report, privacy)),
        footer=footer(privacy, made_on),
    )
