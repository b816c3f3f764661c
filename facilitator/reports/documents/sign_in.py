"""The sign-in sheet for a meeting: date, session, the roster with a line to sign, blank rows for newcomers.

Names are shown as the app shows them, or by choice as first name and last initial, so a sheet left on a
table tells a passer-by less. One page holds 30 rows on A4 and on Letter.
"""

from __future__ import annotations

import enum
from datetime import date

from facilitator.reports.attendance import enrolled_on, meeting_day, zone_of
from facilitator.reports.document import Document, Facts, Look, Paper, Paragraph, Table
from facilitator.reports.documents.words import clock_time, facilitators, first_name_and_initial, long_day
from facilitator.reports.privacy import Privacy
from facilitator.store import Store
from facilitator.store.records import EnrollmentStatus, Group, Meeting, MeetingStatus
from facilitator.store.store import sort_key

BLANK_ROWS = 5
SHEET_FOOTER = (
    "Private: this sheet shows who comes to a recovery group. Keep it out of sight, enter it in Facilitator, "
    "then shred it."
)


class NameStyle(enum.StrEnum):
    DISPLAY = "display"
    INITIALS = "initials"


class NoMeeting(ValueError):
    """There is no meeting to make a sheet for."""


def next_meeting(store: Store, group: Group, today: date, number: int | None = None) -> Meeting:
    """Meeting `number`, or the next one to run (in progress, or planned from today on)."""
    meetings = store.group_meetings(group.id)
    if number is not None:
        found = next((m for m in meetings if m.number == number), None)
        if found is None:
            numbers = f"1 to {max(m.number for m in meetings)}" if meetings else "none yet"
            raise NoMeeting(f"{group.name} has no meeting {number} (its meetings: {numbers})")
        return found
    zone = zone_of(group)
    ahead = [
        m
        for m in meetings
        if m.status is MeetingStatus.IN_PROGRESS
        or (m.status is MeetingStatus.PLANNED and meeting_day(m, zone) >= today)
    ]
    if not ahead:
        raise NoMeeting(f"{group.name} has no meeting planned from today on; give one with --meeting N")
    return min(ahead, key=lambda m: m.scheduled_start)


def sign_in_sheet(
    store: Store,
    group: Group,
    meeting: Meeting,
    *,
    names: NameStyle = NameStyle.DISPLAY,
    paper: Paper = Paper.A4,
    privacy: Privacy | None = None,
    blank_rows: int = BLANK_ROWS,
) -> Document:
    privacy = privacy or Privacy()
    zone = zone_of(group)
    day = meeting_day(meeting, zone)
    expected = [
        (enrollment, person)
        for enrollment, person in store.roster(group.id)
        if not person.deleted
        and enrollment.status in (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)
        and enrolled_on(enrollment, day)
    ]
    privacy.assign(p.id for _, p in expected)

    def shown(name: str, full: str | None) -> str:
        return first_name_and_initial(full or name) if names is NameStyle.INITIALS else name

    people = sorted(
        (privacy.person(p.id, shown(p.display_name, p.full_name)) for _, p in expected), key=sort_key
    )
    rows = [(str(n), name, "", "") for n, name in enumerate(people, start=1)]
    rows += [(str(n), "", "", "") for n in range(len(rows) + 1, len(rows) + blank_rows + 1)]
    session = meeting.covers.title if meeting.covers else ""
    when = (
        privacy.day(day)
        if privacy.deidentify
        else f"{long_day(day)}, {clock_time(meeting.scheduled_start, zone)}"
    )
    facts = [("Date", when), ("Session", f"meeting {meeting.number}" + (f": {session}" if session else ""))]
    if not privacy.deidentify:
        facts += [("Place", group.location or "—"), ("Facilitators", facilitators(group))]
    return Document(
        title=f"Sign-in sheet: {group.name}",
        look=Look.SHEET,
        paper=paper,
        blocks=(
            Facts(tuple(facts)),
            Paragraph(
                "Please sign beside your name. New tonight? Write your first name on a blank line.",
                small=True,
            ),
            Table(("#", "Name", "Signature", "Time in"), tuple(rows), widths=(2, 18, 13, 4), writing=True),
        ),
        footer=SHEET_FOOTER,
        meta={"meeting_id": meeting.id},
    )
