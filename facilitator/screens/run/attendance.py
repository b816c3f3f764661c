"""Attendance during a session: one key per status, everyone present at once, newcomers on the spot.

A mark the store refuses is not lost: the run keeps it and tries again (see `MeetingRun.pending_marks`), and
the roster shows it as not saved yet until it is.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from facilitator.course.dates import DateError, parse_when
from facilitator.course.run import TIMED, MeetingRun
from facilitator.display import literal, local
from facilitator.host import host_of
from facilitator.screens.run.dialogs import NewcomerDialog, RunDialog, hint
from facilitator.screens.saving import why_not_saved
from facilitator.store import StoreError
from facilitator.store.records import AttendanceStatus, Participant
from facilitator.widgets.attendance_panel import AttendancePanel, RosterRow


def roster_rows(run: MeetingRun) -> list[RosterRow]:
    """The roster with tonight's marks (those still waiting to be saved as such), for the panel."""
    marks = run.marks()
    rows = []
    for enrolment, person in run.roster():
        mark = marks.get(person.id)
        status, at = (mark.status, mark.at) if mark else (None, None)
        waiting = run.pending_marks.get(person.id)
        if waiting is not None:
            status, at = waiting
        rows.append(
            RosterRow(
                participant_id=person.id,
                name=person.display_name,
                status=status.value if status else None,
                time=local(at).format("h:mm a") if at else "",
                stage=enrolment.stage.value if enrolment.stage else "",
                role=enrolment.role.value,
                saved=waiting is None,
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
        Binding("t", "set_time", "Time they came or left"),
        Binding("n", "newcomer", "Newcomer"),
        Binding("escape,enter", "cancel", "Close"),
    ]

    def __init__(self, run: MeetingRun) -> None:
        super().__init__()
        self.run = run
        self._waiting_shown: dict[str, object] = {}  # the marks shown as not saved yet

    def compose(self) -> ComposeResult:
        keys = "p present  l late  e left early  a absent  x excused  * everyone else present"
        if self.run.newcomer_allowed():
            keys += "  n newcomer"
        keys += "\nt  the time a late or early-leaving person came or left (marked now)"
        with Vertical(classes="dialog-box", id="attendance-box"):
            yield Static("Attendance", classes="dialog-title")
            yield Static("", id="attendance-counts")
            yield AttendancePanel(id="attendance-panel")
            yield Static("", id="attendance-last", markup=False)
            yield Static("", id="attendance-problem", classes="run-dialog-problem", markup=False)
            yield hint(keys + "\nesc / enter  close")

    def on_mount(self) -> None:
        self.refresh_rows()
        panel = self.query_one(AttendancePanel)
        panel.focus()
        self.start_at_the_first_unmarked(panel)
        # Marks the store refused are tried again by the run; the roster follows, even with the clock paused.
        self.set_interval(1.0, self._retry)

    def start_at_the_first_unmarked(self, panel: AttendancePanel) -> None:
        """Opened again mid-session (a late arrival), the cursor starts on the first person with no mark,
        and says so: a key pressed at once marks them, not the person at the top who is already marked."""
        waiting = self.run.unmarked()
        if not waiting or not self.run.statuses():
            return  # everyone marked, or nobody yet: the cursor stays at the top
        panel.move_cursor(row=panel.get_row_index(waiting[0].id), animate=False)
        self.say(f"next: {waiting[0].display_name} (the first with no mark yet)")

    def _retry(self) -> None:
        self.run.retry_if_due()
        if dict(self.run.pending_marks) != self._waiting_shown:
            self.refresh_rows()

    def refresh_rows(self) -> None:
        rows = roster_rows(self.run)
        self.query_one(AttendancePanel).show(rows)
        marked = sum(1 for row in rows if row.status)
        here = sum(1 for row in rows if row.status in ("present", "late", "left_early"))
        counts = f"{here} here · {marked} of {len(rows)} marked"
        self.query_one("#attendance-counts", Static).update(Text(counts))
        waiting = len(self.run.pending_marks)
        problem = self.query_one("#attendance-problem", Static)
        if waiting:
            marks = "1 mark is" if waiting == 1 else f"{waiting} marks are"
            why = why_not_saved(self.run.problem)
            problem.update(f"⚠ {marks} not saved yet — will retry every few seconds ({why})")
        problem.display = bool(waiting)
        self._waiting_shown = dict(self.run.pending_marks)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter on the roster closes, as the hint says (the table would otherwise keep the key).
        self.dismiss(None)

    def action_mark(self, status: str) -> None:
        """Mark the highlighted person. A first mark moves on to the next person; a correction of a mark
        (after "everyone present", say) stays on the person corrected. The line under the list says which."""
        panel = self.query_one(AttendancePanel)
        participant_id = panel.highlighted_participant
        if participant_id is None:
            self.notify("Nobody is on this group's roster yet.", severity="warning")
            return
        correcting = participant_id in self.run.statuses()
        with contextlib.suppress(StoreError):  # the mark is kept, shown as not saved yet, and tried again
            self.run.mark(participant_id, AttendanceStatus(status))
        self.refresh_rows()
        names = {person.id: person.display_name for _, person in self.run.roster()}
        done = f"✓ {names.get(participant_id, '?')}: {status.replace('_', ' ')}"
        if correcting:
            self.say(f"{done} (corrected; the cursor stays)")
            return
        panel.action_cursor_down()
        following = panel.highlighted_participant
        if following is None or following == participant_id:
            self.say(f"{done} (the last on the list)")
        else:
            self.say(f"{done} · next: {names.get(following, '?')}")

    def say(self, line: str) -> None:
        self.query_one("#attendance-last", Static).update(line)

    def action_everyone_present(self) -> None:
        """Mark everyone not yet marked present; then mark the exceptions."""
        try:
            count = self.run.mark_everyone_present()
        except StoreError:
            self.refresh_rows()  # kept and tried again, as a single mark is
            return
        self.refresh_rows()
        self.notify(f"{count} marked present." if count else "Everyone already has a mark.")
        if count:
            self.say(f"✓ {count} marked present: mark the exceptions (a correction stays on its person)")

    def action_set_time(self) -> None:
        """Correct when the highlighted person came late or left early (a mark takes the time it is made)."""
        participant_id = self.query_one(AttendancePanel).highlighted_participant
        status = self.run.statuses().get(participant_id) if participant_id else None
        if participant_id is None or status not in TIMED:
            self.say("t sets when someone came late or left early: mark them l or e first")
            return
        name = next(person.display_name for _, person in self.run.roster() if person.id == participant_id)
        dialog = MarkTimeDialog(self.run, participant_id, name)
        self.app.push_screen(dialog, partial(self._timed, participant_id, name))

    def _timed(self, participant_id: str, name: str, at: datetime | None) -> None:
        if at is None:
            return
        with contextlib.suppress(StoreError):  # kept and tried again, as a mark is
            self.run.set_time(participant_id, at)
        self.refresh_rows()
        status = self.run.statuses()[participant_id]
        self.say(f"✓ {name}: {status.replace('_', ' ')} at {local(at, self.run.zone).format('h:mm a')}")

    def action_newcomer(self) -> None:
        """Add someone who walked in, enrolled in this open group."""
        if not self.run.newcomer_allowed():
            self.notify("Only an open group takes newcomers on the spot.", severity="warning")
            return
        self.app.push_screen(NewcomerDialog(self.run), self._enrolled)

    def _enrolled(self, person: Participant | None) -> None:
        if person is None:
            return
        self.refresh_rows()
        panel = self.query_one(AttendancePanel)
        panel.move_cursor(row=panel.get_row_index(person.id))


class MarkTimeDialog(RunDialog[datetime]):
    """When someone came late or left early, typed as a time of day ("7:10pm", "19:10"); Enter keeps it."""

    def __init__(self, run: MeetingRun, participant_id: str, name: str) -> None:
        super().__init__()
        self.run = run
        self.participant_id = participant_id
        self.person_name = name
        self.came = run.statuses()[participant_id] is not AttendanceStatus.LEFT_EARLY

    def compose(self) -> ComposeResult:
        mark = self.run.marks().get(self.participant_id)
        waiting = self.run.pending_marks.get(self.participant_id)
        at = waiting[1] if waiting else mark.at if mark else None
        title = Text.assemble("When did ", literal(self.person_name), " arrive?" if self.came else " leave?")
        with Vertical(classes="dialog-box"):
            yield Static(title, classes="dialog-title")
            yield Input(
                local(at, self.run.zone).format("h:mm a") if at else "",
                placeholder="e.g. 7:10pm",
                id="mark-time",
            )
            yield Static("", id="mark-time-note", classes="run-dialog-problem", markup=False)
            yield hint("enter  keep this time     esc  cancel (the time stays as it was)")

    def typed(self, text: str) -> datetime | str:
        """The moment typed, or why it cannot be the time."""
        now = host_of(self.app).clock()
        try:
            when = parse_when(text, now, self.run.zone)
        except DateError:
            return "Type a time such as 7:10pm or 19:10"
        if not when.has_time:
            return "Type a time such as 7:10pm or 19:10"
        return self.run.time_problem(self.participant_id, when.moment) or when.moment

    def on_input_changed(self, event: Input.Changed) -> None:
        found = self.typed(event.value) if event.value.strip() else ""
        note = f"→ {local(found, self.run.zone).format('h:mm a')}" if isinstance(found, datetime) else found
        self.query_one("#mark-time-note", Static).update(note)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        found = self.typed(event.value)
        if isinstance(found, str):
            self.query_one("#mark-time-note", Static).update(found)
            return
        self.dismiss(found)
