"""Dialogs about people: add a person, add a goal in their own words, add a step to a goal."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from facilitator.display import literal
from facilitator.screens.forms import FormScreen, Verdict, optional, required
from facilitator.store.records import Dimension, Horizon, RecoveryFocus
from facilitator.store.store import sort_key

SERVES_WORDS = {
    RecoveryFocus.MENTAL_HEALTH: "mental health",
    RecoveryFocus.SUBSTANCE_USE: "substance use",
    RecoveryFocus.BOTH: "both",
}


def serves_words(serves: RecoveryFocus | None) -> str:
    return SERVES_WORDS[serves] if serves is not None else "—"


def next_serves_filter(current: RecoveryFocus | None) -> RecoveryFocus | None:
    """The `f` key's cycle: every goal → mental health → substance use → both → every goal."""
    cycle: list[RecoveryFocus | None] = [None, *RecoveryFocus]
    return cycle[(cycle.index(current) + 1) % len(cycle)]


@dataclass(frozen=True)
class NewPerson:
    display_name: str
    pronouns: str
    contact: str


class PersonForm(FormScreen[NewPerson]):
    """Add someone to Facilitator (enrol them in a group from the group's screen)."""

    heading = "Add a person"

    def __init__(self, existing_names: list[str]) -> None:
        super().__init__()
        self.existing = {sort_key(name) for name in existing_names}

    def body(self) -> ComposeResult:
        yield self.text_field(
            "Name (as they like to be called; shown on screen)", "name", check=self.check_name
        )
        yield self.text_field("Pronouns (optional)", "pronouns", placeholder="she/her, they/them…")
        yield self.text_field(
            "Contact (optional; kept private)", "contact", placeholder="phone or email", check=optional()
        )

    def check_name(self, value: str) -> Verdict:
        verdict = required("their name", limit=80)(value)
        if verdict.ok and sort_key(value.strip()) in self.existing:
            return Verdict(True, "Someone already has this name: an initial helps tell them apart")
        return verdict

    def result(self) -> NewPerson:
        return NewPerson(self.text("name"), self.text("pronouns"), self.text("contact"))


@dataclass(frozen=True)
class NewGoal:
    title: str
    why: str
    dimension: Dimension
    horizon: Horizon
    serves: RecoveryFocus | None
    group_id: str | None


class GoalForm(FormScreen[NewGoal]):
    """A new goal, in the person's own words."""

    def __init__(self, person_name: str, groups: list[tuple[str, str]]) -> None:
        super().__init__()
        self.heading = Text.assemble("A new goal for ", literal(person_name))
        self.groups = groups  # (id, name) of the groups the goal may be worked on in

    def body(self) -> ComposeResult:
        yield self.text_field(
            "The goal, in their own words", "title", placeholder="e.g. Walk to the park three times a week",
            check=required("the goal", limit=200),
        )  # fmt: skip
        yield self.text_field("Why it matters to them (optional)", "why", check=optional())
        dimensions = [(d.value.capitalize(), d) for d in Dimension]
        yield self.choice_field("Dimension of recovery", "dimension", dimensions, value=Dimension.PURPOSE)
        horizons = [("short term", Horizon.SHORT), ("long term", Horizon.LONG)]
        yield self.choice_field("Horizon", "horizon", horizons, value=Horizon.SHORT)
        serves = [(words, focus) for focus, words in SERVES_WORDS.items()]
        yield self.choice_field("Serves (optional)", "serves", serves)
        if self.groups:
            options = [(literal(name), group_id) for group_id, name in self.groups]
            yield self.choice_field("Worked on in (optional)", "group", options)

    def result(self) -> NewGoal:
        return NewGoal(
            title=self.text("title"),
            why=self.text("why"),
            dimension=self.choice("dimension") or Dimension.PURPOSE,
            horizon=self.choice("horizon") or Horizon.SHORT,
            serves=self.choice("serves"),
            group_id=self.choice("group") if self.groups else None,
        )


class StepForm(FormScreen[str]):
    """One more step towards a goal; returns its text."""

    def __init__(self, goal_title: str) -> None:
        super().__init__()
        self.heading = Text.assemble("A step towards ", literal(f"“{goal_title}”"))

    def body(self) -> ComposeResult:
        yield Static("Small and concrete works best: what, and when.", classes="dim")
        yield self.text_field(
            "Step", "step", placeholder="e.g. Pick a day and time", check=required("the step", limit=200)
        )

    def result(self) -> str:
        return self.text("step")
