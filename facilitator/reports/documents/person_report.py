"""One person's report: their attendance in each group (rates, minutes, absences) and their goals."""

from __future__ import annotations

from datetime import date

from facilitator.reports.attendance_report import PersonAttendanceReport
from facilitator.reports.document import Block, Document, Heading, Paragraph, Table
from facilitator.reports.documents.common import footer, period_words
from facilitator.reports.documents.group_report import goal_blocks
from facilitator.reports.documents.words import PLACE_WORDS
from facilitator.reports.goal_progress import GoalProgress
from facilitator.reports.privacy import Privacy


def person_report_document(
    report: PersonAttendanceReport, goals: GoalProgress, privacy: Privacy, made_on: date
) -> Document:
    person = report.participant
    rows = tuple(
        (
            record.group_name,
            PLACE_WORDS[record.enrollment],
            record.rate.fraction(),
            record.rate.percent(),
            str(record.minutes),
            str(record.longest_absence),
            str(record.current_absence),
        )
        for record in report.groups
    )
    blocks: list[Block] = [
        Heading("Attendance"),
        Paragraph(
            f"Over {period_words(report.period, privacy)}: came {report.rate.fraction()} "
            f"({report.rate.percent()})."
        ),
        Table(
            ("Group", "Place", "Came of marked", "Rate", "Minutes", "Longest absence", "Absent now"),
            rows,
            widths=(12, 8, 8, 5, 6, 7, 6),
        ),
        *goal_blocks(goals, privacy),
    ]
    return Document(
        title=f"{privacy.person(person.id, person.display_name)}: attendance and goals",
        subtitle=period_words(report.period, privacy).capitalize(),
        blocks=tuple(blocks),
        footer=footer(privacy, made_on),
    )
