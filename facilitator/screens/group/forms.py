"""The Group screen's dialogs: enrol someone, withdraw someone, cancel a meeting, set a stage of treatment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from curricula.format import Stage
from facilitator.display import human_day, literal
from facilitator.screens.forms import OK, ChoiceDialog, FormScreen, Verdict, a_name, optional, required
from facilitator.store.records import Enrollment, EnrollmentRole, EnrollmentStatus, StageChange

NEW_PERSON = "__new__"


def stage_words(stage: Stage | None) -> str:
    """ "active treatment", or "—" when unset."""
    return stage.value.replace("_", " ") if stage is not None else "—"


@dataclass(frozen=True)
class EnrolChoice:
    """Who to enrol and how: an existing person's id, or a new person's name."""

    participant_id: str | None
    new_name: str
    role: EnrollmentRole
    status: EnrollmentStatus
    joined_on: date


class EnrolForm(FormScreen[EnrolChoice]):
    """Enrol someone already in Facilitator, or someone new, in this group."""

    # "Someone new" is chosen to start with, so the name is typed first (shift+tab picks someone known).
    AUTO_FOCUS = "#new-name"

    def __init__(
        self, group_name: str, people: list[tuple[str, str]], zone: tzinfo, role: EnrollmentRole
    ) -> None:
        super().__init__()
        self.heading = Text.assemble("Enrol someone in ", literal(group_name))
        self.people = people  # (id, display name) of people not active in the group
        self.zone = zone
        self.role = role

    def body(self) -> ComposeResult:
        options: list[tuple[str | Text, str]] = [("Someone new (type their name below)", NEW_PERSON)]
        options += [(literal(name), person_id) for person_id, name in self.people]
        yield self.choice_field("Who", "who", options, value=NEW_PERSON)
        yield self.text_field(
            "Name of the new person (as they like to be called)",
            "new-name",
            placeholder="e.g. Sam K.",
            check=self.check_name,
        )
        yield self.choice_field("Role", "role", [(r.value, r) for r in EnrollmentRole], value=self.role)
        statuses = [("active (coming to meetings)", EnrollmentStatus.ACTIVE)]
        statuses.append(("waiting list", EnrollmentStatus.WAITLIST))
        yield self.choice_field("Status", "status", statuses, value=EnrollmentStatus.ACTIVE)
        yield self.date_field("Joined on", "joined", value="today", zone=self.zone)

    def check_name(self, value: str) -> Verdict:
        if self.choice("who") != NEW_PERSON:
            return OK
        return a_name("their name")(value)

    def refresh_dependent(self) -> None:
        new = self.choice("who") == NEW_PERSON
        self.query_one("#new-name").disabled = not new
        if self.query_one("#new-name-note", Static).content:  # only clear or refresh a message already shown
            self.show_verdict("new-name")

    def result(self) -> EnrolChoice | None:
        who = self.choice("who")
        return EnrolChoice(
            participant_id=None if who == NEW_PERSON else who,
            new_name=self.text("new-name") if who == NEW_PERSON else "",
            role=self.choice("role") or self.role,
            status=self.choice("status") or EnrollmentStatus.ACTIVE,
            joined_on=self.day("joined", self.zone),
        )


@dataclass(frozen=True)
class Withdrawal:
    left_on: date
    reason: str


class WithdrawForm(FormScreen[Withdrawal]):
    """Take someone off the active roster; their attendance and goals stay."""

    def __init__(self, person_name: str, group_name: str, zone: tzinfo) -> None:
        super().__init__()
        self.heading = Text.assemble("Withdraw ", literal(person_name), " from ", literal(group_name))
        self.zone = zone

    def body(self) -> ComposeResult:
        yield Static(
            "Their attendance, goals and notes stay; they can be enrolled again later.", classes="dim"
        )
        yield self.date_field("Left on", "left", value="today", zone=self.zone)
        yield self.text_field(
            "Reason (optional, kept with the enrolment)", "reason", check=optional(limit=300)
        )

    def result(self) -> Withdrawal:
        return Withdrawal(left_on=self.day("left", self.zone), reason=self.text("reason"))


STATUS_CHOICES = [
    ("active (coming to meetings)", EnrollmentStatus.ACTIVE),
    ("waiting list", EnrollmentStatus.WAITLIST),
    ("completed the course", EnrollmentStatus.COMPLETED),
    ("withdrawn", EnrollmentStatus.WITHDRAWN),
]
ENDED = (EnrollmentStatus.COMPLETED, EnrollmentStatus.WITHDRAWN)


@dataclass(frozen=True)
class EnrolmentChange:
    role: EnrollmentRole
    status: EnrollmentStatus
    joined_on: date
    left_on: date | None
    reason: str


class EditEnrolmentForm(FormScreen[EnrolmentChange]):
    """Someone's place in the group: role, status (off the waiting list, completed…), dates and reason."""

    def __init__(self, person_name: str, group_name: str, enrollment: Enrollment, zone: tzinfo) -> None:
        super().__init__()
        self.heading = Text.assemble(literal(person_name), " in ", literal(group_name))
        self.enrollment = enrollment
        self.zone = zone

    def body(self) -> ComposeResult:
        e = self.enrollment
        yield self.choice_field("Role", "role", [(r.value, r) for r in EnrollmentRole], value=e.role)
        yield self.choice_field("Status", "status", STATUS_CHOICES, value=e.status)
        yield self.date_field("Joined on", "joined", value=e.joined_on.isoformat(), zone=self.zone)
        yield self.text_field(
            "Left on (when completed or withdrawn)",
            "left",
            value=e.left_on.isoformat() if e.left_on else "",
            placeholder=self.date_examples().replace("tomorrow", "today"),
            check=self.check_left,
        )
        yield self.text_field("Reason (optional)", "reason", value=e.reason, check=optional(limit=300))

    def ended(self) -> bool:
        return self.choice("status") in ENDED

    def check_left(self, value: str) -> Verdict:
        if not value.strip():
            return Verdict(False, "Type the day they left") if self.ended() else OK
        if not self.ended():
            return Verdict(True, "(not kept while they are active or waiting)")
        verdict = self.date_check(self.zone, allow_time=False)(value)
        joined_ok = self.checks["joined"](self.text("joined")).ok
        if verdict.ok and joined_ok and self.day("left", self.zone) < self.day("joined", self.zone):
            return Verdict(False, "That is before they joined")
        return verdict

    def refresh_dependent(self) -> None:
        self.show_verdict("left")

    def result(self) -> EnrolmentChange:
        status = self.choice("status") or self.enrollment.status
        return EnrolmentChange(
            role=self.choice("role") or self.enrollment.role,
            status=status,
            joined_on=self.day("joined", self.zone),
            left_on=self.day("left", self.zone) if status in ENDED else None,
            reason=self.text("reason"),
        )


@dataclass(frozen=True)
class Cancellation:
    reason: str
    shift: bool  # the course carries on: this meeting's session moves to the next meeting, and so on


SHIFT_CHOICES = [
    ("moves to the next meeting; the rest of the course follows a week on", True),
    ("is left without a meeting for now (G plans it later)", False),
]


class CancelMeetingForm(FormScreen[Cancellation]):
    """Cancel a planned meeting, with a reason and what becomes of the session it was to cover."""

    def __init__(self, meeting_words: str, session: str | None) -> None:
        super().__init__()
        self.heading = Text.assemble("Cancel ", literal(meeting_words))
        self.session = session  # the session it covers, if any

    def body(self) -> ComposeResult:
        yield Static("It stays in the list, greyed, and does not count in anyone's rate.", classes="dim")
        yield self.text_field(
            "Reason (shown in the attendance grid)",
            "reason",
            placeholder="e.g. room unavailable, snow",
            check=required("a reason", limit=200),
        )
        if self.session is not None:
            label = Text.assemble("Its session, ", literal(self.session), ",")
            yield self.choice_field(label, "shift", SHIFT_CHOICES, value=True)

    def result(self) -> Cancellation:
        shift = self.session is not None and self.choice("shift") is not False
        return Cancellation(self.text("reason"), shift)


CLEAR = "__clear__"


class StagePicker(ChoiceDialog[Stage | str]):
    """Pick a stage of treatment for one person in one group; returns a Stage, CLEAR, or None (cancelled)."""

    def __init__(self, person_name: str, current: Stage | None, history: list[StageChange]) -> None:
        choices: list[tuple[str, Stage | str]] = [(stage_words(stage), stage) for stage in Stage]
        choices.append(("No stage (clear it)", CLEAR))
        heading = Text.assemble("Stage of treatment for ", literal(person_name))
        super().__init__(heading, f"Now: {stage_words(current)}", choices, current, history_words(history))


def history_words(history: list[StageChange]) -> str:
    """ "History: persuasion from 3 Mar 2026 → active treatment from 7 Apr 2026"."""
    if not history:
        return "No stage set before."
    steps = [f"{stage_words(change.stage)} from {human_day(change.on)}" for change in history]
    return "History: " + " → ".join(steps)
