"""Form dialogs: each field checks itself as you type and says why beside it; Escape cancels, nothing written.

A form never writes to the store itself: it returns a small value (or None when cancelled) and the screen that
opened it saves it, while the form is still open when opened with `saving.ask` (so a refused save keeps what
was typed). Subclasses give `body()` (their fields, built with `text_field` / `date_field` /
`choice_field`) and `result()` (the value, or None to stay open).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from facilitator.course.dates import DateError, examples, parse_when
from facilitator.course.roster import name_problem
from facilitator.display import one_line
from facilitator.host import host_of
from facilitator.screens.saving import SavesBeforeClosing

T = TypeVar("T")


@dataclass(frozen=True)
class Verdict:
    """What a field's check found: `message` is the error when not ok, else an echo such as a parsed date."""

    ok: bool
    message: str = ""


Check = Callable[[str], Verdict]
OK = Verdict(True)


def required(what: str, *, limit: int = 200) -> Check:
    """A field that must not be empty (or too long)."""

    def check(value: str) -> Verdict:
        text = value.strip()
        if not text:
            return Verdict(False, f"Type {what}")
        if len(text) > limit:
            return Verdict(False, f"Keep it under {limit} characters ({len(text)} now)")
        return OK

    return check


def a_name(what: str) -> Check:
    """A person's or a group's name, by the one name rule (`course.roster.name_problem`)."""

    def check(value: str) -> Verdict:
        problem = name_problem(value, what)
        return OK if problem is None else Verdict(False, problem.rstrip("."))

    return check


def optional(*, limit: int = 500) -> Check:
    """A field that may be empty but not too long."""

    def check(value: str) -> Verdict:
        length = len(value.strip())
        return OK if length <= limit else Verdict(False, f"Keep it under {limit} characters ({length} now)")

    return check


def whole_minutes(value: str) -> Verdict:
    """A length in whole minutes, 1 to 600."""
    text = value.strip()
    if not text.isdigit() or not 1 <= int(text) <= 600:
        return Verdict(False, "Type the length in whole minutes, 1 to 600 (e.g. 90)")
    return OK


class FormScreen(SavesBeforeClosing[T]):
    """A dialog of fields with a Save and a Cancel button."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel (nothing is saved)"),
        Binding("ctrl+s", "save", "Save"),
    ]
    heading: str | Text = ""
    AUTO_FOCUS = "#form-box Input, #form-box Select"

    def __init__(self) -> None:
        super().__init__()
        self.checks: dict[str, Check] = {}

    # --- building the form ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-box", classes="dialog-box"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            yield from self.body()
            yield Static("", id="form-problem", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button("Save", variant="primary", id="form-save")
                yield Button("Cancel", id="form-cancel")
            yield Static("Tab: next field · ctrl+s: save · Escape: cancel (nothing is saved)", id="form-hint")

    def body(self) -> ComposeResult:
        """The form's fields."""
        yield from ()

    def text_field(
        self,
        label: str,
        field_id: str,
        *,
        value: str = "",
        placeholder: str = "",
        check: Check | None = None,
        suggester: Suggester | None = None,
    ) -> Vertical:
        """A labelled input whose note beside it says what is wrong (or what was understood)."""
        if check is not None:
            self.checks[field_id] = check
        return Vertical(
            Label(label, classes="field-label"),
            Input(one_line(value), placeholder=placeholder, id=field_id, suggester=suggester, compact=True),
            Static("", id=f"{field_id}-note", classes="field-note", markup=False),
            classes="field",
        )

    def date_field(
        self, label: str, field_id: str, *, value: str, zone: tzinfo | str, allow_time: bool = False
    ) -> Vertical:
        """A date typed in human words, echoed back as understood."""
        return self.text_field(
            label,
            field_id,
            value=value,
            placeholder=self.date_examples(),
            check=self.date_check(zone, allow_time=allow_time),
        )

    def date_examples(self, *, with_time: bool = False) -> str:
        """Ways to type a date, every one still to come (a past example reads as a mistake)."""
        return examples(host_of(self.app).clock().date(), with_time=with_time)

    def date_check(self, zone: tzinfo | str, *, allow_time: bool) -> Check:
        def check(value: str) -> Verdict:
            now = host_of(self.app).clock()
            try:
                when = parse_when(value, now, zone)
            except DateError as error:
                return Verdict(False, str(error))
            if when.has_time and not allow_time:
                return Verdict(True, f"→ {when.human(now)} (the time is not kept)")
            return Verdict(True, f"→ {when.human(now)}")

        return check

    def choice_field(
        self,
        label: str | Text,
        field_id: str,
        options: Iterable[tuple[str | Text, Any]],
        *,
        value: Any = None,
    ) -> Vertical:
        """A labelled choice; `value` None leaves it blank ("not set")."""
        select: Select[Any] = Select(
            list(options),
            id=field_id,
            allow_blank=value is None,
            value=Select.NULL if value is None else value,
            prompt="not set",
            compact=True,
        )
        return Vertical(Label(label, classes="field-label"), select, classes="field")

    # --- reading the form -----------------------------------------------------------------------------------

    def text(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def choice(self, field_id: str) -> Any:
        """A choice field's value, or None when left blank."""
        value = self.query_one(f"#{field_id}", Select).value
        return None if value is Select.NULL else value

    def day(self, field_id: str, zone: tzinfo | str) -> date:
        """A date field's day (call only after the field checked out)."""
        return parse_when(self.text(field_id), host_of(self.app).clock(), zone).day

    def when(self, field_id: str, zone: tzinfo | str) -> datetime:
        return parse_when(self.text(field_id), host_of(self.app).clock(), zone).moment

    def show_verdict(self, field_id: str) -> Verdict:
        """Run a field's check and show what it found beside the field."""
        check = self.checks.get(field_id)
        field = self.query_one(f"#{field_id}", Input)
        verdict = check(field.value) if check is not None else OK
        note = self.query_one(f"#{field_id}-note", Static)
        note.update(verdict.message)
        note.set_class(not verdict.ok, "-error")
        field.set_class(not verdict.ok, "-invalid")
        return verdict

    def on_mount(self) -> None:
        for field_id in self.checks:
            if self.query_one(f"#{field_id}", Input).value:
                self.show_verdict(field_id)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id in self.checks:
            self.show_verdict(event.input.id)
        self.refresh_dependent()
        self.query_one("#form-problem", Static).update("")

    @on(Select.Changed)
    def _chose(self) -> None:
        self.refresh_dependent()

    def refresh_dependent(self) -> None:
        """Re-check fields whose rules depend on other fields (override when needed)."""

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        """Check every field; save only when all are good."""
        bad = [field_id for field_id in self.checks if not self.show_verdict(field_id).ok]
        if bad:
            self.query_one(f"#{bad[0]}", Input).focus()
            self.query_one("#form-problem", Static).update("Nothing saved yet: fix the field marked in red.")
            return
        result = self.result()
        if result is not None:
            self.close_with(result)

    def refuse(self, message: str) -> None:
        """Stay open and say why, in one line."""
        self.query_one("#form-problem", Static).update(message)

    def say_not_saved(self, line: str) -> None:
        self.refuse(line)

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def result(self) -> T | None:
        """The form's value once every field checked out; None to stay open (after `refuse`)."""
        raise NotImplementedError


class ChoiceDialog(SavesBeforeClosing[T]):
    """Pick one of a few values from a list; returns the value, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel (nothing is saved)")]

    def __init__(
        self,
        heading: str | Text,
        now: str,
        choices: Sequence[tuple[str | Text, T]],
        current: T | None,
        note: str = "",
    ) -> None:
        super().__init__()
        self.heading = heading
        self.now = now  # "Now: …", what is set before the choice
        self.choices = choices
        self.current = current
        self.note = note  # a line under the list (a history, a hint)

    def compose(self) -> ComposeResult:
        # A plain string label is shown as written (OptionList would read it as markup).
        options = [
            Option(Text(label) if isinstance(label, str) else label, id=str(index))
            for index, (label, _) in enumerate(self.choices)
        ]
        with Vertical(id="form-box", classes="dialog-box"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            if self.now:
                yield Static(self.now, classes="dim", markup=False)
            yield OptionList(*options, id="choice-options")
            if self.note:
                yield Static(self.note, id="choice-note", classes="dim", markup=False)
            yield Static("Enter: set · Escape: cancel (nothing is saved)", id="form-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for _, value in self.choices]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.close_with(self.choices[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
