"""The small dialogs of the Run Session screen: end, resume, note and newcomer. Escape cancels each."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from facilitator.course.run import MeetingRun, MeetingRunError, newcomer_problem, saved_state
from facilitator.display import human_datetime, human_day, literal, multi_line, relative
from facilitator.screens.dialogs import Dialog
from facilitator.screens.saving import SavesBeforeClosing, not_saved
from facilitator.store import StoreError
from facilitator.store.records import Group, Meeting, Participant
from facilitator.widgets.countdown import clock_text
from sessions import EngineState, SessionStatus, could_have_kept_running, gap_since_save

T = TypeVar("T")


class RunDialog(Dialog[T]):
    """A dialog over the Run Session screen; Escape closes it with nothing written."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        """Close with nothing written."""
        self.dismiss(None)


def hint(text: str) -> Static:
    """The keys of a dialog, dimmed, under its content."""
    return Static(text, classes="run-dialog-hint", markup=False)


END = "end"
END_MARKING_ABSENT = "end, marking the rest absent"


class ConfirmEndDialog(RunDialog[str]):
    """Ask before ending the session; name who has no mark yet and offer to mark them absent."""

    BINDINGS = [
        Binding("y,enter", "confirm", "End the session"),
        Binding("a", "confirm_absent", "Mark the rest absent and end", show=False),
        Binding("n", "cancel", "Keep going"),
    ]

    def __init__(self, left_seconds: float, unmarked: list[str] | None = None) -> None:
        super().__init__()
        self.left_seconds = left_seconds
        self.unmarked = unmarked or []

    def compose(self) -> ComposeResult:
        left = self.left_seconds
        plan = f"{clock_text(left)} of the plan is left." if left > 0 else "The planned time is used up."
        keys = "y / enter  end it     n / esc  keep going"
        with Vertical(classes="dialog-box"):
            yield Static("End the session now?", classes="dialog-title")
            yield Static(f"{plan} Ending records the meeting as held and shows its summary.", markup=False)
            if self.unmarked:
                names = ", ".join(self.unmarked)
                some = "1 person has" if len(self.unmarked) == 1 else f"{len(self.unmarked)} people have"
                yield Static(
                    Text.assemble(f"{some} no mark yet: ", literal(names), "."),
                    id="end-unmarked",
                    classes="run-dialog-problem",
                )
                keys = (
                    "a  mark them absent and end     y / enter  end, leaving them unmarked     n / esc  back"
                )
            yield hint(keys)

    def action_confirm(self) -> None:
        """End the session."""
        self.dismiss(END)

    def action_confirm_absent(self) -> None:
        """Mark everyone without a mark absent, then end."""
        if self.unmarked:
            self.dismiss(END_MARKING_ABSENT)


class OtherDayDialog(RunDialog[bool]):
    """Ask before starting a meeting planned for another day (next week's, opened by mistake)."""

    BINDINGS = [
        Binding("y,enter", "confirm", "Start it"),
        Binding("n", "cancel", "Don't start"),
    ]

    def __init__(self, number: int, planned: date, today: date) -> None:
        super().__init__()
        self.number, self.planned, self.today = number, planned, today

    def compose(self) -> ComposeResult:
        when = "was planned for" if self.planned < self.today else "is planned for"
        with Vertical(classes="dialog-box"):
            yield Static(f"Start meeting {self.number} today?", classes="dialog-title")
            yield Static(
                f"Meeting {self.number} {when} {human_day(self.planned, weekday=True)}, not today. Once "
                "started, ending it records it as held and moves the course on to the next session.",
                markup=False,
            )
            yield hint("y / enter  start it now     n / esc  don't start")

    def action_confirm(self) -> None:
        self.dismiss(True)


def elapsed_at_save(state: EngineState) -> float:
    """The session's running time when the state was saved."""
    open_stretch = 0.0
    if state.running_since is not None:
        open_stretch = max(0.0, state.as_of_monotonic - state.running_since)
    return state.running_seconds + open_stretch


class ResumeDialog(RunDialog[bool]):
    """A meeting was left in progress: did the session keep going meanwhile? (None: not now.)

    Asked only when the time since the save could have been session time: after a gap longer than the session
    could run, or with the clock set back, it offers to carry on paused from the save.
    """

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
        # Whether to ask at all: a gap no session runs for (or a clock set back) is not counted.
        self.asks = self.running and self.state is not None and could_have_kept_running(self.state, now)

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
        with Vertical(classes="dialog-box"):
            yield Static("Resume the session?", classes="dialog-title")
            yield Static(text)
            if self.asks and state is not None:
                gap = clock_text(gap_since_save(state, self.now))
                yield Static("\nDid the session keep going while Facilitator was closed?")
                yield hint(
                    f"k  yes, it kept going: count the {gap} since\n"
                    "p  no, we paused: carry on from where it was saved\n"
                    "esc  not now"
                )
            elif self.running and state is not None:
                yield Static(f"\n{self.not_counted(state)}", markup=False)
                yield hint("enter  carry on, paused where it was saved     esc  not now")
            else:
                yield hint("enter  open it     esc  not now")

    def not_counted(self, state: EngineState) -> str:
        """Why the time since the save is not offered as session time."""
        if gap_since_save(state, self.now) < 0:
            return (
                "The computer's clock now reads earlier than when the session was saved, so the time "
                "in between can't be told. It carries on paused, where it was saved."
            )
        return (
            "That is longer than the session could have run, so the time since is not counted. "
            "It carries on paused, where it was saved."
        )

    def action_answer(self, kept_running: bool) -> None:
        """Resume, counting the time since the save as run or not (counted only when it was asked)."""
        if self.asks or not kept_running:
            self.dismiss(kept_running)

    def action_open(self) -> None:
        """Open a session without the question (it was not running, or the gap can't be session time)."""
        if not self.asks:
            self.dismiss(False)


class NoteDialog(SavesBeforeClosing[str], RunDialog[str]):
    """The meeting's notes, to read and add to; a refused save keeps the dialog open with the text."""

    BINDINGS = [Binding("ctrl+s", "save", "Save the note")]

    def __init__(self, notes: str) -> None:
        super().__init__()
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("Notes for this meeting", classes="dialog-title")
            yield TextArea(multi_line(self.notes), id="note-text", soft_wrap=True)
            yield hint("ctrl+s  save     esc  cancel (nothing is saved)")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Save the notes as they are."""
        self.close_with(self.query_one(TextArea).text)


NEW_PERSON = "new"


class NewcomerDialog(RunDialog[Participant]):
    """A newcomer's display name, checked as it is typed; Enter enrols them and returns the person.

    When the name is someone's already in Facilitator (from another group, or who left this one), it asks
    whether the newcomer is that person, so one person's history is never split over two records.
    """

    def __init__(self, run: MeetingRun) -> None:
        super().__init__()
        self.run = run
        self.taken = [person.display_name for _, person in run.roster()]
        self.matches: dict[str, Participant] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("A newcomer joins the group", classes="dialog-title")
            yield Input(placeholder="Name as the screen should show it, e.g. Sam K.", id="newcomer-name")
            yield Static("", id="newcomer-problem", classes="run-dialog-problem", markup=False)
            yield OptionList(id="newcomer-matches")
            yield hint("enter  enrol and mark present     esc  cancel")

    def on_mount(self) -> None:
        self.query_one("#newcomer-matches", OptionList).display = False

    def on_input_changed(self, event: Input.Changed) -> None:
        problem = newcomer_problem(event.value, self.taken) if event.value else None
        self.query_one("#newcomer-problem", Static).update(problem or "")
        self.query_one("#newcomer-matches", OptionList).display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        problem = newcomer_problem(event.value, self.taken)
        if problem:
            self.query_one("#newcomer-problem", Static).update(problem)
            return
        found = self.run.namesakes(event.value)
        if not found:
            self.enrol(None)
            return
        self.matches = {person.id: person for person in found}
        options = self.query_one("#newcomer-matches", OptionList)
        options.clear_options()
        for person in found:
            options.add_option(
                Option(Text.assemble("This is ", literal(self.known_as(person))), id=person.id)
            )
        options.add_option(Option(Text.assemble("Someone new, also called ", literal(event.value.strip())),
                                  id=NEW_PERSON))  # fmt: skip
        options.display = True
        options.highlighted = 0
        some = "Someone" if len(found) == 1 else f"{len(found)} people"
        self.query_one("#newcomer-problem", Static).update(
            f"{some} called {event.value.strip()} already in Facilitator: is this them? (enter picks)"
        )
        options.focus()

    def known_as(self, person: Participant) -> str:
        """ "Sam K. (Tuesday IMR, withdrawn)": their name and where they have been."""
        places = []
        for enrollment in self.run.store.enrollments_of(person.id):
            group = self.run.store.get(Group, enrollment.group_id)
            if group is not None and not group.deleted:
                places.append(f"{group.name}, {enrollment.status.value}")
        return f"{person.display_name} ({'; '.join(places) or 'in no group yet'})"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        self.enrol(None if chosen == NEW_PERSON else self.matches.get(chosen or ""))

    def enrol(self, known: Participant | None) -> None:
        name = known.display_name if known is not None else self.query_one("#newcomer-name", Input).value
        try:
            person = self.run.enrol_newcomer(name, known)
        except MeetingRunError as error:
            self.query_one("#newcomer-problem", Static).update(str(error))
            return
        except StoreError as error:  # the name stays as typed: Enter tries again
            self.query_one("#newcomer-problem", Static).update(not_saved(error, retry="Enter tries again."))
            return
        self.notify(f"Welcome, {person.display_name}: enrolled and marked present.", markup=False)
        self.dismiss(person)
