"""Stages of treatment: setting one for a person in one group, and the history of a person's stages.

Shared by the Group screen (the roster's `s`) and the Participant screen (`c` on the Stages view).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from rich.text import Text

from curricula.format import Stage
from facilitator.display import human_day, literal
from facilitator.reports.attendance import zone_of
from facilitator.screens.base import AppScreen
from facilitator.screens.forms import ChoiceDialog
from facilitator.screens.group.forms import StagePicker, stage_words
from facilitator.screens.saving import ask
from facilitator.store.records import Enrollment, EnrollmentStatus, Group, Participant


def ask_stage(
    screen: AppScreen, enrollment: Enrollment, person_name: str, zone: tzinfo, then: Callable[[], None]
) -> None:
    """Pick a stage for one enrolment and save it with its history, dated today where the group meets."""
    if not screen.writable():
        return

    def save(picked: Stage | str) -> None:
        stage = picked if isinstance(picked, Stage) else None  # CLEAR clears it
        latest = screen.store.get(Enrollment, enrollment.id) or enrollment  # so no earlier change is lost
        today = screen.now().astimezone(zone).date()
        screen.store.set_stage(latest, stage, on=today)
        screen.notify(f"{person_name}: stage {stage_words(stage)}.", markup=False)
        then()

    picker = StagePicker(person_name, enrollment.stage, list(enrollment.stage_history))
    ask(screen.app, picker, save)


def change_stage(screen: AppScreen, person: Participant, then: Callable[[], None]) -> None:
    """Set a person's stage in one of their groups: which group first, when they are in more than one."""
    places = [
        (e, group)
        for e in screen.store.enrollments_of(person.id)
        if (group := screen.store.get(Group, e.group_id)) is not None
    ]
    if not places:
        screen.notify("They are not in a group yet: enrol them from a group's screen (e).")
        return

    def chosen(enrollment: Enrollment | None) -> None:
        if enrollment is not None:
            group = next(g for e, g in places if e.id == enrollment.id)
            ask_stage(screen, enrollment, person.display_name, zone_of(group), then)

    if len(places) == 1:
        chosen(places[0][0])
    else:
        screen.app.push_screen(EnrolmentPicker(person.display_name, places), chosen)


def stages_text(places: list[tuple[Enrollment, Group]]) -> Text:
    """Each group's stage now, then its history, newest first."""
    text = Text()
    for enrollment, group in places:
        text.append_text(literal(group.name, style="bold"))
        text.append(f"  now: {stage_words(enrollment.stage)}")
        if enrollment.stage is not None and enrollment.stage_set_on is not None:
            text.append(f" since {human_day(enrollment.stage_set_on)}")
        text.append("\n")
        for change in reversed(enrollment.stage_history):
            text.append(f"    {human_day(change.on)}  {stage_words(change.stage)}\n", style="dim")
        if not enrollment.stage_history:
            text.append("    no stage set yet (press c to set it)\n", style="dim")
    if not places:
        return Text("Not in any group yet.", style="dim")
    text.append("\nc: change a stage (dated today, the earlier ones kept)", style="dim")
    return text


class EnrolmentPicker(ChoiceDialog[Enrollment]):
    """Which of a person's groups to set a stage in; returns the enrolment, or None when cancelled."""

    def __init__(self, person_name: str, places: list[tuple[Enrollment, Group]]) -> None:
        choices: list[tuple[str | Text, Enrollment]] = []
        for enrollment, group in places:
            label = literal(group.name)
            label.append(f"  now: {stage_words(enrollment.stage)}", style="dim")
            if enrollment.status is not EnrollmentStatus.ACTIVE:
                label.append(f" ({enrollment.status.value})", style="dim")
            choices.append((label, enrollment))
        heading = Text.assemble("Stage of treatment for ", literal(person_name), ": in which group?")
        super().__init__(heading, "", choices, None)
