"""A full disk while the facilitator saves: one line says so, nothing typed is lost, and saving again works.

Every test fills the disk (the journal refuses each append), presses the keys, checks the screen and the
store, clears the disk, presses save again and checks the store holds the change.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from facilitator.app import make_app
from facilitator.screens.group.forms import StagePicker
from facilitator.screens.group.new import NewGroupForm
from facilitator.screens.group.screen import GroupScreen
from facilitator.screens.lists import PeopleScreen
from facilitator.screens.person.forms import GoalForm, PersonForm
from facilitator.screens.person.screen import ParticipantScreen
from facilitator.screens.person.steps import StepsDialog
from facilitator.store import Store
from facilitator.store.records import Goal, Participant
from tests.app.fault_helpers import FullDisk, notified, still_running
from tests.app.screen_helpers import demo_app, person_named, settle, shown, type_text
from tests.app.test_new_group import choose, fill, open_form

NO_SPACE = "no space left on device"


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> FullDisk:
    return FullDisk(monkeypatch)


def named(store: Store, name: str) -> list[Participant]:
    return [p for p in store.all(Participant) if p.display_name == name]


async def open_person(pilot: Pilot, store: Store, name: str) -> ParticipantScreen:
    await settle(pilot)
    pilot.app.push_screen(ParticipantScreen(person_named(store, name).id))
    await pilot.pause()
    return pilot.app.screen  # type: ignore[return-value]


async def test_a_person_added_on_a_full_disk_stays_in_the_form_and_is_saved_on_retry(
    store, clock, full_disk
) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3", "n")
        await type_text(pilot, "Sam Kay")
        await pilot.press("tab")
        await type_text(pilot, "he/him")
        full_disk.fill()
        await pilot.press("ctrl+s")
        form = pilot.app.screen
        assert isinstance(form, PersonForm)
        assert NO_SPACE in shown(pilot, "#form-problem").casefold()
        assert "Save again" in shown(pilot, "#form-problem")
        assert form.query_one("#name", Input).value == "Sam Kay"
        assert form.query_one("#pronouns", Input).value == "he/him"
        assert named(store, "Sam Kay") == [] and still_running(pilot.app)
        full_disk.clear()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PeopleScreen)
        [person] = named(store, "Sam Kay")
        assert person.pronouns == "he/him"
        assert notified(pilot.app, "Added Sam Kay")


async def test_a_goal_and_its_steps_on_a_full_disk_wait_in_their_dialogs(store, clock, full_disk) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, store, "Dev L.")
        person = person_named(store, "Dev L.")
        [goal] = store.participant_goals(person.id)
        await pilot.press("n")
        await type_text(pilot, "Walk to the park")
        full_disk.fill()
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, GoalForm)
        assert NO_SPACE in shown(pilot, "#form-problem").casefold()
        assert len(store.participant_goals(person.id)) == 1 and still_running(pilot.app)
        full_disk.clear()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert "Walk to the park" in [g.title for g in store.participant_goals(person.id)]

        screen.select_goal(goal.id)
        await pilot.press("s", "space")  # the first step: done, or not done again
        full_disk.fill()
        await pilot.press("ctrl+s")
        dialog = pilot.app.screen
        assert isinstance(dialog, StepsDialog)
        assert NO_SPACE in shown(pilot, "#steps-problem").casefold()
        assert store.get(Goal, goal.id).steps == goal.steps
        full_disk.clear()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert store.get(Goal, goal.id).steps == dialog.steps != goal.steps


async def test_a_stage_picked_on_a_full_disk_keeps_the_picker_open(store, clock, full_disk) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, store, "Dev L.")
        person = person_named(store, "Dev L.")
        full_disk.fill()
        await pilot.press("c", "down", "enter")
        picker = pilot.app.screen
        assert isinstance(picker, StagePicker)
        problem = str(picker.query_one("#not-saved", Static).render())
        assert NO_SPACE in problem.casefold()
        [enrolment] = store.enrollments_of(person.id)
        assert enrolment.stage is None and still_running(pilot.app)
        full_disk.clear()
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen
        [enrolment] = store.enrollments_of(person.id)
        assert enrolment.stage is not None and len(enrolment.stage_history) == 1


async def test_a_new_group_on_a_full_disk_stays_in_the_form_and_opens_once_saved(
    store, clock, full_disk
) -> None:
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await open_form(pilot)
        await type_text(pilot, "Wednesday WRAP")
        await choose(pilot, "pack", "wrap-style@1.0.0")
        await fill(pilot, "start", "11 Mar")
        await fill(pilot, "time", "6:30pm")
        full_disk.fill()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, NewGroupForm)
        assert NO_SPACE in shown(pilot, "#form-problem").casefold()
        assert store.groups() == [] and still_running(pilot.app)
        full_disk.clear()
        await pilot.press("ctrl+s")
        await pilot.pause()
        [group] = store.groups()
        assert group.name == "Wednesday WRAP" and len(store.group_meetings(group.id)) == 8
        screen = pilot.app.screen
        assert isinstance(screen, GroupScreen) and screen.group_id == group.id
        # The group opened over the Groups list, once the form had closed: q goes back to the list.
        assert not any(isinstance(s, NewGroupForm) for s in pilot.app.screen_stack)
