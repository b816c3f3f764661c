"""The conflict log: each version a merge set aside, beside the one kept, and the facilitator's pick.

`k` keeps the version in place, `l` keeps the one from the log; either way the pick is saved as a new version
over both (`facilitator.sync.conflicts.settle`), so the other laptops settle it the same way when they import.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Static

from facilitator.display import literal, one_line
from facilitator.screens.base import AppScreen
from facilitator.screens.saving import save_or_say
from facilitator.store.records import (
    AttendanceMark,
    Conflict,
    Enrollment,
    Goal,
    Group,
    HomeAssignment,
    Meeting,
    Participant,
    Record,
)
from facilitator.sync.conflicts import differences, settle
from facilitator.sync.merge import lost_version
from facilitator.widgets.keys_footer import KeysFooter
from facilitator.widgets.tables import fill_table, selected_key

KINDS = {
    "groups": "group",
    "participants": "person",
    "enrollments": "place in a group",
    "meetings": "meeting",
    "marks": "attendance mark",
    "goals": "goal",
    "assignments": "home assignment",
}


class ConflictsScreen(AppScreen):
    """Every version in the conflict log, with what it says beside what is kept."""

    TITLE = "Conflicts"
    BINDINGS = [
        Binding("k", "keep(False)", "Keep the one in place"),
        Binding("l", "keep(True)", "Keep the one from the log"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="conflicts-count", classes="section-title")
        yield DataTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="conflict-sides"):
            yield Static("", id="conflict-kept", markup=False)
            yield Static("", id="conflict-lost", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("What", "Which", "From database", "Set aside from", "Differs in")
        self.show_log()
        table.focus()

    def entries(self) -> list[Conflict]:
        return sorted(self.store.all(Conflict), key=lambda e: (e.record_table, e.created_at, e.id))

    def show_log(self, keep: str | None = None) -> None:
        rows = []
        for entry in self.entries():
            kept = self.store.get(type(lost_version(entry)), entry.record_id)
            lost = lost_version(entry)
            fields = ", ".join(d.field for d in differences(kept, lost)) or "nothing (the same words)"
            cells = (
                KINDS.get(entry.record_table, entry.record_table),
                literal(self.name_of(entry.record_table, kept or lost)),
                entry.from_database[:8],
                entry.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                fields,
            )
            rows.append((entry.id, cells))
        table = self.query_one(DataTable)
        fill_table(table, rows, keep=keep)
        count = len(rows)
        self.query_one("#conflicts-count", Static).update(
            f"{count} version{'s' if count != 1 else ''} set aside by merges, each beside the one kept"
            if count
            else "No conflicts: every merge so far fitted together."
        )
        self.show_sides()

    def on_data_table_row_highlighted(self) -> None:
        self.show_sides()

    def selected(self) -> Conflict | None:
        key = selected_key(self.query_one(DataTable))
        found = self.store.get(Conflict, key) if key else None
        return found

    def show_sides(self) -> None:
        entry = self.selected()
        kept_side = self.query_one("#conflict-kept", Static)
        lost_side = self.query_one("#conflict-lost", Static)
        if entry is None:
            kept_side.update("")
            lost_side.update("")
            return
        lost = lost_version(entry)
        kept = self.store.get(type(lost), entry.record_id)
        rows = differences(kept, lost)
        kept_side.update(side("In place (k keeps it)", [(d.field, d.kept) for d in rows]))
        lost_side.update(side("From the log (l keeps it)", [(d.field, d.lost) for d in rows]))

    def action_keep(self, from_log: bool) -> None:
        entry = self.selected()
        if entry is None or not self.writable():
            return
        store = self.store
        try:
            writes = settle(store.holding(), entry, keep_lost=from_log, now=self.now())
        except ValueError as error:
            self.notify(f"Not kept: {error}.", severity="error", markup=False)
            return
        if save_or_say(self, lambda: store.save_all(writes), what="The pick"):
            self.notify("Kept the one from the log." if from_log else "Kept the one in place.")
            self.show_log()

    def name_of(self, table: str, record: Record) -> str:
        """What the record is about, in the facilitator's words."""
        store = self.store
        if isinstance(record, Group):
            return record.name
        if isinstance(record, Participant):
            return record.display_name
        if isinstance(record, Goal):
            return record.title
        if isinstance(record, HomeAssignment):
            return record.text
        if isinstance(record, Meeting):
            group = store.get(Group, record.group_id)
            return f"{group.name if group else 'a group'}, meeting {record.number}"
        if isinstance(record, AttendanceMark):
            person = store.get(Participant, record.participant_id)
            meeting = store.get(Meeting, record.meeting_id)
            number = f"meeting {meeting.number}" if meeting else "a meeting"
            return f"{person.display_name if person else 'someone'} at {number}"
        if isinstance(record, Enrollment):
            person = store.get(Participant, record.participant_id)
            group = store.get(Group, record.group_id)
            return f"{person.display_name if person else 'someone'} in {group.name if group else 'a group'}"
        return record.id


def side(heading: str, fields: list[tuple[str, Any]]) -> Text:
    """One version's differing fields, one a line, shown literally."""
    text = Text(heading + "\n", style="bold")
    for field, value in fields:
        shown = "(deleted)" if field == "deleted_at" and value else value
        text.append(f"{field}: ", style="dim")
        text.append(one_line("—" if shown is None else str(shown)) + "\n")
    return text
