"""Attendance during a session: one key per status, everyone present at once, newcomers on the spot."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from facilitator.display import local
from facilitator.meeting_run import MeetingRun, MeetingRunError
from facilitator.screens.run_dialogs import NewcomerDialog, RunDialog, hint
from facilitator.store import StoreError
from facilitator.store.records import AttendanceStatus
from facilitator.widgets.attendance_panel import AttendancePanel, RosterRow


def roster_rows(run: MeetingRun) -> list[RosterRow]:
    """The roster with tonight's marks, for the panel."""
    marks = run.marks()
    rows = []
    for enrolment, person in run.roster():
        mark = marks.get(person.id)
        rows.append(
            RosterRow(
                participant_id=person.id,
                name=person.display_name,
                status=mark.status.value if mark else None,
                time=local(mark.at).format("h:mm a") if mark and mark.at else "",
                stage=enrolment.stage.value if enrolment.stage else "",
                role=enrolment.role.value,
            )
        )
    return rows


class AttendanceDialog(RunDialog[None]):
    """Mark who is here; every key is saved at once."""

    BINDINGS = [
        Binding("p", "mark('present')", "Present"),
        Binding("l", "mark('late')", "Late (now)"),
        Binding("e", "mark('left_early')", "Left early (now)"),
        Binding("a", "mark('absent')", "Absent"),
        Binding("x", "mark('excused')", "Excused"),
        Binding("asterisk", "everyone_present", "Everyone present", key_display="*"),
        Binding("n", "newcomer", "Newcomer"),
        Binding("escape,enter", "cancel", "Close"),
    ]

    def __init__(self, run: MeetingRun) -> None:
        super().__init__()
        self.run = run

    def compose(self) -> ComposeResult:
        keys = "p present  l late  e left early  a absent  x excused  * everyone else present"
        if self.run.newcomer_allowed():
            keys += "  n newcomer"
        with Vertical(classes="run-dialog-box", id="attendance-box"):
            yield Static("Attendance", classes="run-dialog-title")
            yield Static("", id="attendance-counts")
            yield AttendancePanel(id="attendance-panel")
            yield hint(keys + "\nesc / enter  close")

    def on_mount(self) -> None:
        self.refresh_rows()
        self.query_one(AttendancePanel).focus()

    def refresh_rows(self) -> None:
        rows = roster_rows(self.run)
        self.query_one(AttendancePanel).show(rows)
        marked = sum(1 for row in rows if row.status)
        here = sum(1 for row in rows if row.status in ("present", "late", "left_early"))
        counts = f"{here} here · {marked} of {len(rows)} marked"
        self.query_one("#attendance-counts", Static).update(Text(counts))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter on the roster closes, as the hint says (the table would otherwise keep the key).
        self.dismiss(None)

    def action_mark(self, status: str) -> None:
        """Mark the highlighted person and move to the next."""
        panel = self.query_one(AttendancePanel)
        participant_id = panel.highlighted_participant
        if participant_id is None:
            self.notify("Nobody is on this group's roster yet.", severity="warning")
            return
        try:
            self.run.mark(participant_id, AttendanceStatus(status))
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.refresh_rows()
        panel.action_cursor_down()

    def action_everyone_present(self) -> None:
        """Mark everyone not yet marked present; then mark the exceptions."""
        try:
            count = self.run.mark_everyone_present()
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.refresh_rows()
        self.notify(f"{count} marked present." if count else "Everyone already has a mark.")

    def action_newcomer(self) -> None:
        """Add someone who walked in, enrolled in this open group."""
        if not self.run.newcomer_allowed():
            self.notify("Only an open group takes newcomers on the spot.", severity="warning")
            return
        taken = [person.display_name for _, person in self.run.roster()]
        self.app.push_screen(NewcomerDialog(taken), self._enrol)

    def _enrol(self, name: str | None) -> None:
        if name is None:
            return
        try:
            person = self.run.enrol_newcomer(name)
        except (MeetingRunError, StoreError) as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.refresh_rows()
        panel = self.query_one(AttendancePanel)
        panel.move_cursor(row=panel.get_row_index(person.id))
        self.notify(f"Welcome, {person.display_name}: enrolled and marked present.", markup=False)
