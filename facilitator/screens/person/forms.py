"""Dialogs about people: add or edit a person, a goal in their own words, a step towards a goal."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Select, Static

from facilitator.course.roster import name_key
from facilitator.display import literal
from facilitator.reports.follow_ups import SERVES_WORDS
from facilitator.screens.forms import FormScreen, Verdict, a_name, optional, required
from facilitator.store.records import Dimension, Goal, GoalStatus, Horizon, Participant, RecoveryFocus
from facilitator.words import GOAL_STATUS_WORDS


@dataclass(frozen=True)
class NewPerson:
    """A person's details as typed (stripped); empty means not given."""

    display_name: str
    pronouns: str
    contact: str
    full_name: str = ""
    notes: str = ""

    def fields(self) -> dict[str, str | None]:
        """The Participant fields, optional ones None when left empty (as a new person is saved)."""
        return {
            "display_name": self.display_name,
            "full_name": self.full_name or None,
            "pronouns": self.pronouns or None,
            "contact": self.contact or None,
            "notes": self.notes,
        }


class PersonForm(FormScreen[NewPerson]):
    """Add someone to Facilitator (enrol them in a group from the group's screen), or edit their details."""

    heading: str | Text = "Add a person"

    def __init__(self, existing_names: list[str], person: Participant | None = None) -> None:
        """`existing_names`: everyone else's names (a same name is allowed, with a warning)."""
        super().__init__()
        self.existing = {name_key(name) for name in existing_names}
        self.same_name_confirmed = ""  # the name (as compared) whose second holder the facilitator confirmed
        self.person = person
        if person is not None:
            self.heading = Text.assemble("Details of ", literal(person.display_name))

    def body(self) -> ComposeResult:
        person = self.person
        yield self.text_field(
            "Name (as they like to be called; shown on screen)",
            "name",
            value=person.display_name if person else "",
            check=self.check_name,
        )
        if person is not None:  # a new person gets the short form: name, pronouns, contact
            yield self.text_field(
                "Full name (optional)", "full-name", value=person.full_name or "", check=optional(limit=200)
            )
        yield self.text_field(
            "Pronouns (optional)",
            "pronouns",
            value=(person.pronouns or "") if person else "",
            placeholder="she/her, they/them…",
            check=optional(limit=60),
        )
        yield self.text_field(
            "Contact (optional; kept private)",
            "contact",
            value=(person.contact or "") if person else "",
            placeholder="phone or email",
            check=optional(),
        )
        if person is not None:
            yield self.text_field("Notes (optional)", "notes", value=person.notes, check=optional(limit=2000))

    def check_name(self, value: str) -> Verdict:
        verdict = a_name("their name")(value)
        if verdict.ok and name_key(value) in self.existing:
            return Verdict(True, "Someone already has this name: an initial helps tell them apart")
        return verdict

    def result(self) -> NewPerson | None:
        editing = self.person is not None
        name = self.text("name")
        if name_key(name) in self.existing and self.same_name_confirmed != name_key(name):
            # Two records for one person split their history: ask once before keeping a second one.
            self.same_name_confirmed = name_key(name)
            self.refuse(
                f"Someone is already called “{name}”: press ctrl+s again to keep a second person of that "
                "name, or add an initial."
            )
            return None
        return NewPerson(
            self.text("name"),
            self.text("pronouns"),
            self.text("contact"),
            full_name=self.text("full-name") if editing else "",
            notes=self.text("notes") if editing else "",
        )


@dataclass(frozen=True)
class NewGoal:
    title: str
    why: str
    dimension: Dimension
    horizon: Horizon
    serves: RecoveryFocus | None
    group_id: str | None
    status: GoalStatus = GoalStatus.ACTIVE

    def fields(self) -> dict[str, Any]:
        """The Goal fields, by name."""
        return asdict(self)


class GoalForm(FormScreen[NewGoal]):
    """A new goal in the person's own words, or one of their goals to edit (then with its status)."""

    def __init__(self, person_name: str, groups: list[tuple[str, str]], goal: Goal | None = None) -> None:
        super().__init__()
        words = "A new goal for " if goal is None else "A goal of "
        self.heading = Text.assemble(words, literal(person_name))
        self.groups = groups  # (id, name) of the groups the goal may be worked on in
        self.goal = goal

    def body(self) -> ComposeResult:
        goal = self.goal
        yield self.text_field(
            "The goal, in their own words", "title", value=goal.title if goal else "",
            placeholder="e.g. Walk to the park three times a week", check=required("the goal", limit=200),
        )  # fmt: skip
        yield self.text_field(
            "Why it matters to them (optional)", "why", value=goal.why if goal else "", check=optional()
        )
        dimensions = [(d.value.capitalize(), d) for d in Dimension]
        dimension = goal.dimension if goal else Dimension.PURPOSE
        yield self.choice_field("Dimension of recovery", "dimension", dimensions, value=dimension)
        horizons = [("short term", Horizon.SHORT), ("long term", Horizon.LONG)]
        yield self.choice_field("Horizon", "horizon", horizons, value=goal.horizon if goal else Horizon.SHORT)
        serves = [(words, focus) for focus, words in SERVES_WORDS.items()]
        yield self.choice_field("Serves (optional)", "serves", serves)
        if self.groups:
            options = [(literal(name), group_id) for group_id, name in self.groups]
            yield self.choice_field("Worked on in (optional)", "group", options)
        if goal is not None:
            statuses = [(words, status) for status, words in GOAL_STATUS_WORDS.items()]
            yield self.choice_field("Status", "status", statuses, value=goal.status)

    def on_mount(self) -> None:
        super().on_mount()
        goal = self.goal
        if goal is None:
            return
        # Optional choices start blank so they can be cleared again; fill in what the goal has.
        if goal.serves is not None:
            self.query_one("#serves", Select).value = goal.serves
        if self.groups and goal.group_id in {group_id for group_id, _ in self.groups}:
            self.query_one("#group", Select).value = goal.group_id

    def result(self) -> NewGoal:
        return NewGoal(
            title=self.text("title"),
            why=self.text("why"),
            dimension=self.choice("dimension") or Dimension.PURPOSE,
            horizon=self.choice("horizon") or Horizon.SHORT,
            serves=self.choice("serves"),
            group_id=self.choice("group") if self.groups else None,
            status=self.choice("status") if self.goal is not None else GoalStatus.ACTIVE,
        )


class StepForm(FormScreen[str]):
    """One more step towards a goal, or a step to reword; returns its text."""

    def __init__(self, goal_title: str, text: str = "") -> None:
        super().__init__()
        words = "A step towards " if not text else "Reword a step towards "
        self.heading = Text.assemble(words, literal(f"“{goal_title}”"))
        self.step_text = text

    def body(self) -> ComposeResult:
        yield Static("Small and concrete works best: what, and when.", classes="dim")
        yield self.text_field(
            "Step",
            "step",
            value=self.step_text,
            placeholder="e.g. Pick a day and time",
            check=required("the step", limit=200),
        )

    def result(self) -> str:
        return self.text("step")
