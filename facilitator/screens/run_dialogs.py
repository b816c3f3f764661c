"""The small dialogs of the Run Session screen: end, resume, note and newcomer. Escape cancels each."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from facilitator.display import human_datetime, literal, multi_line, relative
from facilitator.meeting_run import newcomer_problem, saved_state
from facilitator.store.records import Group, Meeting
from facilitator.widgets.countdown import clock_text
from sessions import EngineState, SessionStatus

T = TypeVar("T")


class RunDialog(ModalScreen[T]):
    """A dialog over the Run Session screen; Escape closes it with nothing written."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CLASSES = "run-dialog"

    def action_cancel(self) -> None:
        """Close with nothing written."""
        self.dismiss(None)


def hint(text: str) -> Static:
    """The keys of a dialog, dimmed, under its content."""
    return Static(text, classes="run-dialog-hint", markup=False)


class ConfirmEndDialog(RunDialog[bool]):
    """Ask before ending the session."""

    BINDINGS = [
        Binding("y,enter", "confirm", "End the session"),
        Binding("n", "cancel", "Keep going"),
    ]

    def __init__(self, left_seconds: float) -> None:
        super().__init__()
        self.left_seconds = left_seconds

    def compose(self) -> ComposeResult:
        left = self.left_seconds
        plan = f"{clock_text(left)} of the plan is left." if left > 0 else "The planned time is used up."
        with Vertical(classes="run-dialog-box"):
            yield Static("End the session now?", classes="run-dialog-title")
            yield Static(f"{plan} Ending records the meeting as held and shows its summary.", markup=False)
            yield hint("y / enter  end it     n / esc  keep going")

    def action_confirm(self) -> None:
        """End the session."""
        self.dismiss(True)


def elapsed_at_save(state: EngineState) -> float:
    """The session's running time when the state was saved."""
    open_stretch = 0.0
    if state.running_since is not None:
        open_stretch = max(0.0, state.as_of_monotonic - state.running_since)
    return state.running_seconds + open_stretch


class ResumeDialog(RunDialog[bool]):
    """A meeting was left in progress: did the session keep going meanwhile? (None: not now.)"""

    BINDINGS = [
        Binding("k,y", "answer(True)", "It kept going"),
        Binding("p,n", "answer(False)", "It was paused"),
        Binding("enter", "open", "Open it (a paused session)", show=False),
    ]

    def __init__(self, meeting: Meeting, group: Group | None, now: datetime) -> None:
        super().__init__()
        self.meeting = meeting
        self.group = group
        self.now = now
        self.state = saved_state(meeting)
        self.running = self.state is not None and self.state.status is SessionStatus.RUNNING

    def compose(self) -> ComposeResult:
        state = self.state
        text = Text()
        text.append(f"Meeting {self.meeting.number} of ")
        text.append_text(literal(self.group.name if self.group else "a deleted group", "bold"))
        if state is None:
            text.append(" is in progress.")
        else:
            saved = state.as_of_wall
            text.append(f" was {state.status.value} when Facilitator last saved it, at ")
            text.append(f"{human_datetime(saved)} ({relative(saved, self.now)}), ")
            text.append(f"{clock_text(elapsed_at_save(state))} into the session.")
        gap = clock_text(max(0.0, (self.now - state.as_of_wall).total_seconds())) if state else ""
        with Vertical(classes="run-dialog-box"):
            yield Static("Resume the session?", classes="run-dialog-title")
            yield Static(text)
            if self.running:
                yield Static("\nDid the session keep going while Facilitator was closed?")
                yield hint(
                    f"k  yes, it kept going: count the {gap} since\n"
                    "p  no, we paused: carry on from where it was saved\n"
                    "esc  not now"
                )
            else:
                yield hint("enter  open it     esc  not now")

    def action_answer(self, kept_running: bool) -> None:
        """Resume, counting the time since the save as run or not."""
        self.dismiss(kept_running)

    def action_open(self) -> None:
        """Open a session that was not running: there is nothing to ask."""
        if not self.running:
            self.dismiss(False)


class NoteDialog(RunDialog[str]):
    """The meeting's notes, to read and add to."""

    BINDINGS = [Binding("ctrl+s", "save", "Save the note")]

    def __init__(self, notes: str) -> None:
        super().__init__()
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(classes="run-dialog-box"):
            yield Static("Notes for this meeting", classes="run-dialog-title")
            yield TextArea(multi_line(self.notes), id="note-text", soft_wrap=True)
            yield hint("ctrl+s  save     esc  cancel (nothing is saved)")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Save the notes as they are."""
        self.dismiss(self.query_one(TextArea).text)


class NewcomerDialog(RunDialog[str]):
    """A newcomer's display name, checked as it is typed."""

    def __init__(self, taken: list[str]) -> None:
        super().__init__()
        self.taken = taken

    def compose(self) -> ComposeResult:
        with Vertical(classes="run-dialog-box"):
            yield Static("A newcomer joins the group", classes="run-dialog-title")
            yield Input(placeholder="Name as the screen should show it, e.g. Sam K.", id="newcomer-name")
            yield Static("", id="newcomer-problem", classes="run-dialog-problem", markup=False)
            yield hint("enter  enrol and mark present     esc  cancel")

    def on_input_changed(self, event: Input.Changed) -> None:
        problem = newcomer_problem(event.value, self.taken) if event.value else None
        self.query_one("#newcomer-problem", Static).update(problem or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        problem = newcomer_problem(event.value, self.taken)
        if problem:
            self.query_one("#newcomer-problem", Static).update(problem)
            return
        self.dismiss(event.value.strip())
