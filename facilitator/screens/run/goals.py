"""Goal check-in during a session: pick a person's goal, see how it has gone, rate it 1–5 with a note."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.course.run import MeetingRun, MeetingRunError
from facilitator.display import human_datetime, literal
from facilitator.screens.run.dialogs import RunDialog, hint
from facilitator.screens.saving import not_saved
from facilitator.store import StoreError
from facilitator.store.records import Goal
from facilitator.words import rating_scale

RECENT_CHECK_INS = 3


def goal_details(goal: Goal) -> Text:
    """A goal in the person's words, its steps and its last check-ins."""
    text = literal(goal.title, "bold")
    if goal.why:
        text.append("\n")
        text.append_text(literal(goal.why, "italic"))
    done = sum(1 for step in goal.steps if step.done_at)
    text.append(
        f"\n{goal.dimension.value} · {goal.horizon.value} term · {done} of {len(goal.steps)} steps done"
    )
    recent = goal.check_ins[-RECENT_CHECK_INS:]
    text.append("\n\nLast check-ins:" if recent else "\n\nNo check-ins yet.")
    for check in reversed(recent):
        text.append(f"\n{human_datetime(check.at)} · {check.rating}/5")
        if check.note:
            text.append(" · ")
            text.append_text(literal(check.note))
    return text


class GoalCheckInDialog(RunDialog[Goal]):
    """Record how a goal is going; returns the goal with its new check-in."""

    BINDINGS = [Binding(str(n), f"rate({n})", f"Rate {n}", show=False) for n in range(1, 6)]

    def __init__(self, run: MeetingRun) -> None:
        super().__init__()
        self.run = run
        self.goals: dict[str, Goal] = {}

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        for person, goals in self.run.active_goals():
            name = literal(person.display_name, "bold")
            if not goals:
                options.append(Option(name + Text(" — no active goals", style="dim"), disabled=True))
                continue
            options.append(Option(name, disabled=True))
            for goal in goals:
                self.goals[goal.id] = goal
                options.append(Option(Text("  ") + literal(goal.title), id=goal.id))
        with Vertical(classes="dialog-box", id="goal-box"):
            yield Static("Goal check-in", classes="dialog-title")
            with Horizontal(id="goal-pick"):
                yield OptionList(*options, id="goal-list")
                yield Static("Pick a goal to see how it has gone.", id="goal-details")
            with Horizontal(id="goal-form"):
                yield Input(placeholder="1–5", restrict=r"[1-5]?", max_length=1, id="goal-rating")
                yield Input(placeholder="Note in their words (optional)", id="goal-note")
            yield Static(rating_scale(), id="goal-scale", classes="run-dialog-hint", markup=False)
            yield Static("", id="goal-problem", classes="run-dialog-problem")
            yield hint("↑↓ pick a goal · a digit 1–5 rates it, then type the note · enter save · esc cancel")

    def on_mount(self) -> None:
        goal_list = self.query_one(OptionList)
        goal_list.focus()
        if not self.goals:
            self.show_problem("Nobody on the roster has an active goal yet.")
            return
        first = next(i for i, option in enumerate(goal_list.options) if not option.disabled)
        goal_list.highlighted = first

    def show_problem(self, problem: str) -> None:
        self.query_one("#goal-problem", Static).update(Text(problem))

    @property
    def chosen(self) -> Goal | None:
        goal_list = self.query_one(OptionList)
        if goal_list.highlighted is None:
            return None
        option = goal_list.get_option_at_index(goal_list.highlighted)
        return self.goals.get(option.id or "")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        goal = self.goals.get(event.option.id or "")
        if goal is not None:
            self.query_one("#goal-details", Static).update(goal_details(goal))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#goal-rating", Input).focus()

    def action_rate(self, rating: int) -> None:
        """Set the rating from the goal list, then go on to the note."""
        self.query_one("#goal-rating", Input).value = str(rating)
        self.query_one("#goal-note", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "goal-rating" and event.value:
            # One key is the whole rating: straight on to the note.
            self.query_one("#goal-note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        goal = self.chosen
        rating = self.query_one("#goal-rating", Input).value
        if goal is None:
            self.show_problem("Pick a goal first (↑↓ in the list).")
            return
        if not rating:
            self.show_problem(f"Give a rating: {rating_scale()}.")
            self.query_one("#goal-rating", Input).focus()
            return
        try:
            saved = self.run.check_in(goal.id, int(rating), self.query_one("#goal-note", Input).value)
        except MeetingRunError as error:
            self.show_problem(str(error))
            return
        except StoreError as error:  # the rating and the note stay as typed: Enter tries again
            self.show_problem(not_saved(error, retry="Enter tries again."))
            return
        self.dismiss(saved)
