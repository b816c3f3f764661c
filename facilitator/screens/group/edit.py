"""Editing a group: its name, kind, status, schedule, place, facilitators and notes.

A new schedule can carry the group's upcoming planned meetings with it (the default), keeping their order and
the sessions they cover; held, cancelled and running meetings never move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import msgspec
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from facilitator.course.scheduling import movable, retime_from, retimed, with_numbers
from facilitator.display import literal
from facilitator.screens.forms import OK, Verdict, optional
from facilitator.screens.group.fields import GroupFieldsForm, names_list
from facilitator.store import Store
from facilitator.store.records import Group, GroupKind, GroupStatus, Meeting, Schedule
from facilitator.words import GROUP_STATUS_WORDS

STATUS_CHOICES = [(GROUP_STATUS_WORDS[status], status) for status in GroupStatus]
EXCUSED_CHOICES = [
    ("left out of the rate (most programmes do this)", False),
    ("counted as absent", True),
]
MOVE_CHOICES = [("move them to the new schedule", True), ("leave them where they are", False)]


@dataclass(frozen=True)
class GroupEdit:
    """What the form gathered."""

    name: str
    kind: GroupKind
    status: GroupStatus
    schedule: Schedule
    location: str
    facilitators: list[str]
    notes: str
    move_meetings: bool
    completion_threshold: float | None = None  # None: as it was
    excused_counts: bool | None = None  # None: as it was


def save_group_edit(store: Store, group: Group, edit: GroupEdit, now: datetime) -> tuple[Group, int]:
    """Save the group and, when asked, its upcoming planned meetings on the new schedule, in one write.

    Returns the saved group and how many meetings moved.
    """
    changed = msgspec.structs.replace(
        group,
        name=edit.name,
        kind=edit.kind,
        status=edit.status,
        schedule=edit.schedule,
        location=edit.location,
        facilitators=edit.facilitators,
        notes=edit.notes,
        completion_threshold=(
            group.completion_threshold if edit.completion_threshold is None else edit.completion_threshold
        ),
        excused_counts=group.excused_counts if edit.excused_counts is None else edit.excused_counts,
        updated_at=now,
    )
    meetings = store.group_meetings(group.id)
    moved: list[Meeting] = []
    if edit.move_meetings and group.schedule != edit.schedule:
        upcoming = movable(meetings, now)
        today = now.astimezone(ZoneInfo(edit.schedule.timezone)).date()
        start = retime_from(upcoming, group.schedule, edit.schedule, today)
        moved = [
            new
            for old, new in zip(upcoming, retimed(upcoming, edit.schedule, start), strict=True)
            if (old.scheduled_start, old.minutes) != (new.scheduled_start, new.minutes)
        ]
    store.save_all([changed, *with_numbers(moved, meetings, now)])
    return changed, len(moved)


def a_percentage(value: str) -> Verdict:
    """A share of the course in whole percent, 1 to 100."""
    text = value.strip().rstrip("%").strip()
    if not text.isdigit() or not 1 <= int(text) <= 100:
        return Verdict(False, "Type a whole percentage, 1 to 100 (e.g. 75)")
    return OK


class EditGroupForm(GroupFieldsForm[GroupEdit]):
    """Change a group's details; its pack is changed with `p` (it needs a preview)."""

    def __init__(self, group: Group, other_names: list[str], upcoming: int) -> None:
        super().__init__(other_names, group.schedule.timezone if group.schedule else "UTC")
        self.group = group
        self.upcoming = upcoming  # planned meetings still to come, which a new schedule may move
        self.heading = Text.assemble("Edit ", literal(group.name))

    def body(self) -> ComposeResult:
        group = self.group
        yield from self.name_field(group.name)
        yield from self.kind_field(group.kind)
        yield self.choice_field("Status", "status", STATUS_CHOICES, value=group.status)
        minutes = str(group.schedule.minutes) if group.schedule else "90"
        yield from self.schedule_fields(group.schedule, minutes=minutes)
        if self.upcoming:
            yield self.choice_field(
                f"If the schedule changes, the {self.upcoming} upcoming planned meetings",
                "move",
                MOVE_CHOICES,
                value=True,
            )
        yield from self.place_fields(group)
        yield self.text_field("Notes (optional)", "notes", value=group.notes, check=optional(limit=1000))
        yield self.text_field(
            "Completion: % of the course to attend (for certificates)",
            "completion",
            value=f"{round(100 * group.completion_threshold)}",
            check=a_percentage,
        )
        yield self.choice_field(
            "Excused absences in attendance rates",
            "excused",
            EXCUSED_CHOICES,
            value=group.excused_counts,
        )
        yield Static("", id="edit-group-effect", classes="dim", markup=False)

    def refresh_dependent(self) -> None:
        if self.query_one("#start-note", Static).content:
            self.show_verdict("start")  # a new time zone changes what "today" is
        self.query_one("#edit-group-effect", Static).update(self.effect_words())

    def effect_words(self) -> str:
        """What saving would do to the meetings, before it is done."""
        schedule = self.schedule()
        if schedule is None or schedule == self.group.schedule or not self.upcoming:
            return ""
        if self.choice("move") is False:
            return "The schedule changes; the meetings already planned stay on their dates."
        return f"The schedule changes: its {self.upcoming} upcoming planned meetings move to it, in order."

    def result(self) -> GroupEdit | None:
        schedule = self.schedule()
        if schedule is None:
            self.refuse("Nothing saved yet: check when the group meets.")
            return None
        return GroupEdit(
            name=self.text("group-name"),
            kind=self.choice("kind") or self.group.kind,
            status=self.choice("status") or self.group.status,
            schedule=schedule,
            location=self.text("location"),
            facilitators=names_list(self.text("facilitators")),
            notes=self.text("notes"),
            move_meetings=self.upcoming > 0 and self.choice("move") is not False,
            completion_threshold=int(self.text("completion").rstrip("%").strip()) / 100,
            excused_counts=self.choice("excused"),
        )
