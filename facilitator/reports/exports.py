"""Every export by kind and format, for the command line and the Reports screen alike.

`check` refuses a request that does not make sense before anything is read; `export_bytes` computes the file;
`save_export` writes it atomically and owner-only through the store's durable writer, never over an existing
file unless told to. Every refusal is an `ExportRefused` with one line to show.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from curricula.format import Pack
from facilitator.reports.attendance import meeting_day, zone_of
from facilitator.reports.attendance_report import group_attendance_report, person_attendance_report
from facilitator.reports.completion import Standing, completion_report
from facilitator.reports.csv_exports import attendance_long, attendance_wide, goals_csv
from facilitator.reports.document import Document, Paper
from facilitator.reports.documents.attendance import attendance_document
from facilitator.reports.documents.certificate import NotCompleted, certificate
from facilitator.reports.documents.group_report import build_group_report, group_report_document
from facilitator.reports.documents.letter import NothingToConfirm, attendance_letter
from facilitator.reports.documents.sign_in import NameStyle, NoMeeting, next_meeting, sign_in_sheet
from facilitator.reports.period import EVERYTHING, Period
from facilitator.reports.privacy import Privacy
from facilitator.store import Store
from facilitator.store.records import Goal, Group, Participant

FORMATS: dict[str, tuple[str, ...]] = {
    "attendance": ("csv", "csv-wide", "md", "html"),
    "goals": ("csv",),
    "report": ("md", "html", "pdf"),
    "sign-in": ("html", "pdf"),
    "letter": ("html", "pdf"),
    "certificate": ("html", "pdf"),
}
TO_ONE_PERSON = frozenset({"letter", "certificate"})
NEEDS_GROUP = frozenset({"attendance", "report", "sign-in"})
SUFFIXES = {".csv": "csv", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}


class ExportRefused(ValueError):
    """An export that cannot be made as asked; the message is one line saying why."""


@dataclass(frozen=True, slots=True)
class ExportRequest:
    kind: str
    format: str
    group_id: str | None = None
    participant_id: str | None = None
    period: Period = EVERYTHING
    meeting_number: int | None = None
    names: NameStyle = NameStyle.DISPLAY
    paper: Paper = Paper.A4
    deidentify: bool = False
    suppress_under: int = 0


def format_for(kind: str, given: str | None, output: str) -> str:
    """The format asked for, else the one the file name ends with, else the kind's first."""
    if given:
        return given
    suffix = SUFFIXES.get(Path(output).suffix.lower()) if output != "-" else None
    return suffix if suffix in FORMATS.get(kind, ()) else FORMATS[kind][0]


def check(request: ExportRequest) -> None:
    """Refuse what cannot be made, before anything is read."""
    kind = request.kind
    if kind not in FORMATS:
        raise ExportRefused(f"no export kind {kind!r}; kinds: {', '.join(FORMATS)}")
    if request.format not in FORMATS[kind]:
        raise ExportRefused(f"{kind} is made as {' or '.join(FORMATS[kind])}, not {request.format}")
    if request.deidentify and kind in TO_ONE_PERSON:
        raise ExportRefused(f"a {kind} is addressed to one person by name, so it cannot be de-identified")
    if request.suppress_under < 0:
        raise ExportRefused("--suppress-under takes a count of 0 or more")
    if request.suppress_under and kind in TO_ONE_PERSON:
        raise ExportRefused(f"a {kind} has no group counts to suppress")
    if kind in NEEDS_GROUP and request.group_id is None:
        raise ExportRefused(f"say which group the {kind} is for, with --group NAME")
    if kind in TO_ONE_PERSON and request.participant_id is None:
        raise ExportRefused(f"say who the {kind} is for, with --person NAME")
    if kind == "goals" and request.group_id is None and request.participant_id is None:
        raise ExportRefused("say whose goals to export, with --group NAME or --person NAME")
    if request.meeting_number is not None and kind != "sign-in":
        raise ExportRefused("--meeting is for a sign-in sheet")
    if request.names is not NameStyle.DISPLAY and kind != "sign-in":
        raise ExportRefused("--names is for a sign-in sheet")
    start, end = request.period.start, request.period.end
    if start and end and start > end:
        raise ExportRefused(f"--from {start.isoformat()} is after --to {end.isoformat()}")


def course_start(store: Store, group: Group) -> date | None:
    """Week 1 of a group's course: its first meeting's day, else the day its schedule starts."""
    meetings = store.group_meetings(group.id)
    if meetings:
        zone = zone_of(group)
        return min(meeting_day(m, zone) for m in meetings)
    return group.schedule.start_date if group.schedule else None


def privacy_for(store: Store, request: ExportRequest, group: Group | None) -> Privacy:
    start = course_start(store, group) if group is not None else None
    return Privacy(deidentify=request.deidentify, suppress_under=request.suppress_under, course_start=start)


def render(document: Document, fmt: str) -> bytes:
    if fmt == "md":
        from facilitator.reports.formats.markdown import to_markdown

        return to_markdown(document).encode()
    if fmt == "html":
        from facilitator.reports.formats.html import to_html

        return to_html(document).encode()
    from facilitator.reports.formats.pdf import to_pdf

    return to_pdf(document)


def csv_bytes(text: str) -> bytes:
    # The byte-order mark tells a spreadsheet the file is UTF-8, so Élodie stays Élodie.
    return text.encode("utf-8-sig")


def export_bytes(store: Store, request: ExportRequest, today: date, pack: Pack | None = None) -> bytes:
    """The file a request makes (`check` it first); `pack` is the group's, for the fidelity self-check."""
    group = store.get(Group, request.group_id) if request.group_id else None
    person = store.get(Participant, request.participant_id) if request.participant_id else None
    privacy = privacy_for(store, request, group)
    kind, fmt = request.kind, request.format
    if kind == "attendance":
        assert group is not None
        report = group_attendance_report(store, group.id, request.period)
        if fmt == "csv":
            return csv_bytes(attendance_long(store, report, privacy))
        if fmt == "csv-wide":
            return csv_bytes(attendance_wide(report, privacy))
        return render(attendance_document(report, privacy, today), fmt)
    if kind == "goals":
        return csv_bytes(goals_csv(store, goals_of(store, group, person), privacy))
    if kind == "report":
        assert group is not None
        built = build_group_report(store, group.id, request.period, today, pack)
        return render(group_report_document(built, privacy, today), fmt)
    if kind == "sign-in":
        assert group is not None
        try:
            meeting = next_meeting(store, group, today, request.meeting_number)
        except NoMeeting as problem:
            raise ExportRefused(str(problem)) from None
        sheet = sign_in_sheet(
            store, group, meeting, names=request.names, paper=request.paper, privacy=privacy
        )
        return render(sheet, fmt)
    assert person is not None
    if kind == "letter":
        attendance = person_attendance_report(
            store, person.id, request.period, group_id=group.id if group else None
        )
        try:
            return render(attendance_letter(store, attendance, today, request.paper), fmt)
        except NothingToConfirm as problem:
            raise ExportRefused(str(problem)) from None
    return render(certificate_for(store, person, group, today, request.paper), fmt)


def goals_of(store: Store, group: Group | None, person: Participant | None) -> list[Goal]:
    if person is not None:
        goals = store.participant_goals(person.id)
        return [g for g in goals if group is None or g.group_id in (group.id, None)]
    assert group is not None
    return [
        goal
        for enrollment, someone in store.roster(group.id)
        for goal in store.participant_goals(someone.id)
        if goal.group_id in (group.id, None)
    ]


def certificate_for(
    store: Store, person: Participant, group: Group | None, today: date, paper: Paper
) -> Document:
    """The certificate for the group named, or for the one group the person has completed."""
    if group is None:
        groups = [
            g for e in store.enrollments_of(person.id) if (g := store.get(Group, e.group_id)) is not None
        ]
        done = [
            g
            for g in groups
            if any(
                r.participant_id == person.id and r.standing is Standing.COMPLETED
                for r in completion_report(store, g.id, today).rows
            )
        ]
        if not done:
            raise ExportRefused(f"{person.display_name} has not completed a group yet")
        if len(done) > 1:
            names = ", ".join(g.name for g in done)
            raise ExportRefused(f"{person.display_name} has completed {names}; say which with --group NAME")
        group = done[0]
    try:
        return certificate(person, completion_report(store, group.id, today), today, paper)
    except NotCompleted as problem:
        raise ExportRefused(str(problem)) from None


def save_export(target: Path, data: bytes, *, force: bool) -> None:
    """Write an export atomically and owner-only (0600); refuse to replace a file unless `force`."""
    from facilitator.store.durable import atomic_write

    if target.is_dir():
        raise ExportRefused(f"{target} is a folder; give a file name")
    if (target.exists() or target.is_symlink()) and not force:
        raise ExportRefused(f"{target} already exists; add --force to replace it")
    folder = target.parent
    if not folder.is_dir():
        raise ExportRefused(f"there is no folder {folder}")
    if not os.access(folder, os.W_OK):
        raise ExportRefused(f"cannot write in {folder}: permission denied")
    try:
        atomic_write(target, data)
    except OSError as error:
        raise ExportRefused(f"could not write {target}: {error.strerror or error}") from None
