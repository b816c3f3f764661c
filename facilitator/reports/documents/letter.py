"""The proof-of-attendance letter: the meetings someone came to, with dates and minutes, for whoever asks.

People attending under a court order, a probation plan or an employer's programme need one. It lists only the
meetings they came to, says how minutes are counted, names the group and its facilitators, and leaves a line
to sign and date. It is addressed to one person, so it is never de-identified.
"""

from __future__ import annotations

from datetime import date

from facilitator.reports.attendance import CAME, zone_of
from facilitator.reports.attendance_report import PersonAttendanceReport
from facilitator.reports.document import Block, Document, Facts, Look, Paper, Paragraph, Signatures, Table
from facilitator.reports.documents.words import STATUS_WORDS, clock_time, facilitators, long_day
from facilitator.store import Store
from facilitator.store.records import Group

HOW_MINUTES = (
    "Minutes run from the start of each meeting to its end as run, or from the time someone arrived or until "
    "the time they left, as marked at the meeting."
)
LETTER_FOOTER = "Personal information: give this letter only to the person it is about, or to whom they ask."


class NothingToConfirm(ValueError):
    """The person came to no meeting in what was asked for."""


def attendance_letter(
    store: Store, report: PersonAttendanceReport, today: date, paper: Paper = Paper.A4
) -> Document:
    person = report.participant
    name = person.full_name or person.display_name
    blocks: list[Block] = [Paragraph("To whom it may concern,")]
    attended_any = False
    for record in report.groups:
        came = [a for a in record.meetings if a.counted and a.status in CAME]
        if not came:
            continue
        attended_any = True
        group = store.get(Group, record.group_id)
        assert group is not None
        zone = zone_of(group)
        rows = tuple(
            (
                long_day(a.meeting.day),
                clock_time(a.meeting.start, zone),
                a.meeting.title or f"meeting {a.meeting.number}",
                STATUS_WORDS[a.status] if a.status else "",
                "not recorded" if a.minutes is None else str(a.minutes),
            )
            for a in came
        )
        pairs = [("Group", group.name), ("Facilitators", facilitators(group))]
        if group.location:
            pairs.append(("Place", group.location))
        untimed = sum(1 for a in came if a.minutes is None)
        minutes = sum(a.minutes or 0 for a in came)
        summary = (
            f"{name} came to {len(came)} of the {record.due} meetings held while they were in the group "
            f"(from {long_day(record.joined_on)}), for {minutes} minutes in all."
        )
        if untimed:
            summary += (
                f" For {untimed} meeting(s) no arrival or leaving time was written down; "
                "those minutes are not counted."
            )
        blocks += [
            Facts(tuple(pairs)),
            Table(("Date", "Time", "Session", "Attendance", "Minutes"), rows, widths=(10, 4, 11, 5, 4)),
            Paragraph(summary),
        ]
    if not attended_any:
        where = f" in {report.groups[0].group_name}" if len(report.groups) == 1 else ""
        raise NothingToConfirm(f"{person.display_name} has no attendance to confirm{where}")
    intro = Paragraph(f"This letter confirms that {name} attended the group meetings listed below.")
    blocks.insert(1, intro)
    blocks += [Paragraph(HOW_MINUTES, small=True), Signatures(("Signed (facilitator)", "Name", "Date"))]
    return Document(
        title="Proof of attendance",
        subtitle=long_day(today),
        look=Look.LETTER,
        paper=paper,
        blocks=tuple(blocks),
        footer=LETTER_FOOTER,
    )
