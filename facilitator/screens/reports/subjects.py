"""What a report is about: a group or a person, and the span of days; and how the screen computes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from facilitator.reports.document import Document
from facilitator.reports.period import Period
from facilitator.reports.privacy import Privacy
from facilitator.store import Store
from facilitator.store.records import Group, Participant


@dataclass(frozen=True, slots=True)
class Subject:
    """A group (`kind` "group") or a person ("person"), by id."""

    kind: str
    id: str

    @property
    def group_id(self) -> str | None:
        return self.id if self.kind == "group" else None

    @property
    def participant_id(self) -> str | None:
        return self.id if self.kind == "person" else None


def name_of(store: Store, subject: Subject) -> str:
    record = store.get(Group if subject.kind == "group" else Participant, subject.id)
    if isinstance(record, Group):
        return record.name
    return record.display_name if isinstance(record, Participant) else ""


def report_document(
    store: Store, subject: Subject, period: Period, today: date, packs_dir: Path | None
) -> Document:
    """The report the screen shows: a group's whole report, or a person's attendance and goals."""
    if subject.kind == "group":
        from facilitator.course.packs import PackLibrary
        from facilitator.reports.documents.group_report import build_group_report, group_report_document

        group = store.get(Group, subject.id)
        pack = PackLibrary.of(packs_dir).pinned(group) if group is not None else None
        built = build_group_report(store, subject.id, period, today, pack)
        return group_report_document(built, Privacy(), today)
    from facilitator.reports.attendance_report import person_attendance_report
    from facilitator.reports.documents.person_report import person_report_document
    from facilitator.reports.goal_progress import person_goal_progress

    attendance = person_attendance_report(store, subject.id, period)
    return person_report_document(attendance, person_goal_progress(store, subject.id), Privacy(), today)
