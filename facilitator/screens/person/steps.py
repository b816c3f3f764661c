"""A goal's steps in one dialog: tick them off, add, reword, remove; ctrl+s saves them all in one write."""

from __future__ import annotations

from datetime import datetime, tzinfo

import msgspec
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator.display import literal, local
from facilitator.host import host_of
from facilitator.screens.person.forms import StepForm
from facilitator.screens.saving import SavesBeforeClosing
from facilitator.store.records import Goal, GoalStep

UNSAVED = "Unsaved changes: ctrl+s saves, Escape again discards"


def day_words(moment: datetime, zone: tzinfo | None = None) -> str:
    """ "Tue 24 Feb"."""
    return local(moment, zone).format("ddd D MMM")


def step_line(step: GoalStep) -> Text:
    """ "✓ done Tue 16 Dec   Tell someone…" or "○ to do   …": the word says what the glyph does."""
    mark = f"✓ done {day_words(step.done_at)}" if step.done_at else "○ to do"
    return Text(f"{mark:<18} ").append_text(literal(step.text))


class StepsDialog(SavesBeforeClosing[list[GoalStep]]):
    """Edit a goal's steps; returns the new list on ctrl+s, or None when closed with nothing to save."""

    BINDINGS = [
        Binding("space", "tick", "Done / not done (also Enter)"),
        Binding("n", "add", "Add a step"),
        Binding("e", "reword", "Reword the step"),
        Binding("delete,x", "remove", "Remove the step", key_display="x/delete"),
        Binding("ctrl+s", "save", "Save the steps"),
        Binding("escape", "close", "Close (twice to discard unsaved changes)"),
        Binding("q", "close", "Close, as Escape", show=False),  # not the app's q, which would drop changes
    ]
    # The dialog's frame is styled with the other dialogs in app.tcss; these are its own parts.
    DEFAULT_CSS = """
    StepsDialog #form-box { width: 84; }
    StepsDialog #steps-list { height: auto; max-height: 12; }
    StepsDialog #steps-status { color: $text-muted; }
    StepsDialog #steps-problem { color: $warning; height: auto; }
    """

    def __init__(self, goal: Goal) -> None:
        super().__init__()
        self.goal = goal
        self.steps = list(goal.steps)
        self.changed = False
        self.warned = False  # the first Escape with unsaved changes only warns

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box", classes="dialog-box"):
            yield Static(
                Text.assemble("Steps towards ", literal(f"“{self.goal.title}”")), classes="dialog-title"
            )
            yield OptionList(id="steps-list")
            yield Static("", id="steps-status")
            yield Static("", id="steps-problem", markup=False)
            yield Static(
                "Enter/space: done or not · n: add · e: reword · x: remove · ctrl+s: save · Escape: close",
                id="form-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.show_steps(0)
        self.query_one(OptionList).focus()

    def show_steps(self, highlight: int | None) -> None:
        """List the steps again, the cursor on `highlight`, and say where things stand."""
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(step_line(step)) for step in self.steps)
        if self.steps and highlight is not None:
            options.highlighted = max(0, min(highlight, len(self.steps) - 1))
        done = sum(1 for step in self.steps if step.done_at is not None)
        status = f"{done} of {len(self.steps)} done" if self.steps else "No steps yet: press n to add one."
        if self.changed:
            status += " · changes not saved yet (ctrl+s)"
        self.query_one("#steps-status", Static).update(status)

    def change(self, steps: list[GoalStep], highlight: int | None) -> None:
        """Keep a change in the dialog (nothing is written before ctrl+s)."""
        self.steps = steps
        self.changed = True
        self.warned = False
        self.say("")
        self.show_steps(highlight)

    def say(self, problem: str) -> None:
        self.query_one("#steps-problem", Static).update(problem)

    @property
    def current(self) -> int | None:
        """The index of the highlighted step, if any."""
        index = self.query_one(OptionList).highlighted
        return index if index is not None and index < len(self.steps) else None

    def picked(self) -> int | None:
        """The highlighted step's index, or None after saying how to pick one."""
        index = self.current
        if index is None:
            self.say("No step picked: ↑↓ to pick one, or n to add one.")
        return index

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_tick()

    def action_tick(self) -> None:
        """Done now (by the app's clock), or back to to-do."""
        index = self.picked()
        if index is None:
            return
        step = self.steps[index]
        done_at = None if step.done_at is not None else host_of(self.app).clock()
        steps = list(self.steps)
        steps[index] = msgspec.structs.replace(step, done_at=done_at)
        self.change(steps, index)

    def action_add(self) -> None:
        def add(text: str | None) -> None:
            if text is not None:
                self.change([*self.steps, GoalStep(text=text)], len(self.steps))

        self.app.push_screen(StepForm(self.goal.title), add)

    def action_reword(self) -> None:
        index = self.picked()
        if index is None:
            return
        step = self.steps[index]

        def reword(text: str | None) -> None:
            if text is not None and text != step.text:
                steps = list(self.steps)
                steps[index] = msgspec.structs.replace(step, text=text)
                self.change(steps, index)

        self.app.push_screen(StepForm(self.goal.title, step.text), reword)

    def action_remove(self) -> None:
        index = self.picked()
        if index is not None:
            self.change(self.steps[:index] + self.steps[index + 1 :], index)

    def action_save(self) -> None:
        if self.changed:
            self.close_with(self.steps)
        else:
            self.dismiss(None)

    def say_not_saved(self, line: str) -> None:
        self.say(line)

    def action_close(self) -> None:
        if self.changed and not self.warned:
            self.warned = True
            self.say(UNSAVED)
            return
        self.dismiss(None)
