"""The certificate of completion: only for someone who attended the group's threshold of its course."""

from __future__ import annotations

from datetime import date

from facilitator.reports.completion import CompletionReport, Standing
from facilitator.reports.document import Document, Heading, Look, Paper, Paragraph, Signatures
from facilitator.reports.documents.words import facilitators, long_day
from facilitator.store.records import Participant


class NotCompleted(ValueError):
    """The person has not (yet) completed the course; the message says how far they are."""


def certificate(
    person: Participant, report: CompletionReport, today: date, paper: Paper = Paper.A4
) -> Document:
    group = report.group
    row = next((r for r in report.rows if r.participant_id == person.id), None)
    if row is None:
        raise NotCompleted(f"{person.display_name} is not on the roster of {group.name}")
    if row.standing is not Standing.COMPLETED:
        ahead = f", {row.left_ahead} meeting(s) still ahead" if row.left_ahead else ""
        raise NotCompleted(
            f"{person.display_name} has not completed {group.name}: came to {row.attended} meeting(s) of the "
            f"{report.needed} needed{ahead}"
        )
    name = person.full_name or person.display_name
    return Document(
        title="Certificate of completion",
        look=Look.CERTIFICATE,
        paper=paper,
        blocks=(
            Paragraph("This is to certify that"),
            Heading(name, 2),
            Paragraph(f"completed {group.name}"),
            Paragraph(f"attending {row.attended} of its {report.course_meetings} meetings."),
            Paragraph(f"Facilitated by {facilitators(group)}. Given on {long_day(today)}."),
            Signatures(("Facilitator", "Date")),
        ),
    )
