"""Home assignments during a session: review those due tonight, and give the next one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from facilitator.course.run import MeetingRun, MeetingRunError
from facilitator.display import literal, one_line
from facilitator.screens.run.dialogs import RunDialog, hint
from facilitator.screens.saving import not_saved
from facilitator.store import StoreError
from facilitator.store.records import HomeAssignment, Review

WHOLE_GROUP = "whole-group"
# Glyph and word for each review, so no state is told by colour alone.
REVIEW_LOOK = {
    Review.DONE: "✓ done",
    Review.PARTLY: "◐ partly",
    Review.NOT_DONE: "✗ not done",
    Review.NOT_REVIEWED: "· to review",
}


class AssignmentDialog(RunDialog[None]):
    """Review tonight's home assignments (saved per key) and give new ones."""

    BINDINGS = [
        Binding("d", "review('done')", "Reviewed: done"),
        Binding("y", "review('partly')", "Reviewed: partly"),
        Binding("x", "review('not_done')", "Reviewed: not done"),
    ]

    def __init__(self, run: MeetingRun) -> None:
        super().__init__()
        self.run = run
        self.names = {person.id: person.display_name for _, person in run.roster()}
        self.due = list(run.assignments_due())

    def prompt(self, assignment: HomeAssignment) -> Text:
        """One due assignment: its review, who it was for, and its text."""
        to = "the group"
        if assignment.participant_id is not None:
            to = self.names.get(assignment.participant_id, "someone no longer on the roster")
        text = Text(f"{REVIEW_LOOK[assignment.review]:<12} ")
        text.append_text(literal(to, "bold"))
        text.append(": ")
        text.append_text(literal(assignment.text))
        return text

    def compose(self) -> ComposeResult:
        recipients = [(Text("The whole group"), WHOLE_GROUP)]
        recipients += [(literal(name), pid) for pid, name in self.names.items()]
        suggestions = [
            Option(literal(text), id=str(i)) for i, text in enumerate(self.run.suggested_assignments())
        ]
        with Vertical(classes="dialog-box", id="assignment-box"):
            yield Static("Home assignments", classes="dialog-title")
            yield Static("Due tonight — d done · y partly · x not done", classes="run-dialog-label")
            if self.due:
                yield OptionList(*(Option(self.prompt(a), id=a.id) for a in self.due), id="assignment-due")
            else:
                yield Static("Nothing was due tonight.", classes="empty")
            yield Static("Give the next one — enter on a suggestion copies it", classes="run-dialog-label")
            if suggestions:
                yield OptionList(*suggestions, id="assignment-suggestions")
            with Horizontal(id="assignment-give"):
                yield Select(recipients, allow_blank=False, value=WHOLE_GROUP, id="assignment-to")
                yield Input(placeholder="What to practise before the next meeting", id="assignment-text")
            yield Static("", id="assignment-problem", classes="run-dialog-problem")
            yield hint("tab moves · enter in the text gives it · esc close")

    def on_mount(self) -> None:
        first = "#assignment-due" if self.due else "#assignment-text"
        self.query_one(first).focus()

    def action_review(self, review: str) -> None:
        """Record how the highlighted due assignment went."""
        if not self.due or self.focused is not self.query_one("#assignment-due", OptionList):
            return
        due_list = self.query_one("#assignment-due", OptionList)
        index = due_list.highlighted
        if index is None:
            return
        try:
            updated = self.run.review_assignment(self.due[index].id, Review(review))
        except MeetingRunError as error:
            self.show_problem(str(error))
            return
        except StoreError as error:
            self.show_problem(not_saved(error, retry="Press the key again to try once more."))
            return
        self.show_problem("")
        self.due[index] = updated
        due_list.replace_option_prompt_at_index(index, self.prompt(updated))
        if index + 1 < len(self.due):
            due_list.highlighted = index + 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "assignment-suggestions":
            text_input = self.query_one("#assignment-text", Input)
            text_input.value = one_line(self.run.suggested_assignments()[event.option_index])
            text_input.focus()

    def show_problem(self, problem: str) -> None:
        self.query_one("#assignment-problem", Static).update(Text(problem))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        to = self.query_one("#assignment-to", Select).value
        participant_id = None if to == WHOLE_GROUP else str(to)
        try:
            self.run.give_assignment(event.value, participant_id)
        except MeetingRunError as error:
            self.show_problem(str(error))
            return
        except StoreError as error:  # the text stays as typed: Enter tries again
            self.show_problem(not_saved(error, retry="Enter tries again."))
            return
        event.input.value = ""
        who = "the group" if participant_id is None else self.names.get(participant_id, "them")
        due = self.run.next_meeting()
        when = f", due at meeting {due.number}" if due else ""
        self.show_problem("")
        self.notify(f"Home assignment given to {who}{when}.", markup=False)
