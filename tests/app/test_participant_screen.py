"""The Participant screen: details, goals with steps and check-ins, attendance, assignments and stages."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Input, OptionList, Select, Sparkline, Static

from curricula.format import Stage
from facilitator.app import make_app
from facilitator.reports.attendance import zone_of
from facilitator.screens.group.forms import StagePicker
from facilitator.screens.person.forms import GoalForm, PersonForm
from facilitator.screens.person.screen import ParticipantScreen
from facilitator.screens.person.steps import StepsDialog
from facilitator.screens.stages import EnrolmentPicker
from facilitator.store import Store
from facilitator.store.records import (
    AttendanceStatus,
    Dimension,
    Enrollment,
    Goal,
    GoalStatus,
    GoalStep,
    Participant,
    RecoveryFocus,
    StageChange,
)
from tests.app.screen_helpers import (
    column,
    demo_app,
    group_named,
    person_named,
    read_only_demo,
    settle,
    shown,
    type_text,
)
from tests.conftest import FakeClock


async def open_person(pilot: Pilot, store: Store, name: str) -> ParticipantScreen:
    await settle(pilot)
    pilot.app.push_screen(ParticipantScreen(person_named(store, name).id))
    await pilot.pause()
    return pilot.app.screen  # type: ignore[return-value]


async def test_details_and_attendance_across_groups(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, store, "Dev L.")
        assert "Came to 6 of 13 marked meetings (46%) across 1 group" in shown(pilot, "#person-header")
        await pilot.press("a")
        table = screen.query_one("#attendance-table", DataTable)
        assert column(table, 0) == ["Tuesday Recovery Group"]
        assert column(table, 2) == ["6 of 13"] and column(table, 3) == ["46%"]
        assert column(table, 4) == ["●●✗✗✗✗●✗✗✗"]  # the last ten meetings, one glyph each
        spark = screen.query_one(Sparkline)
        assert len(spark.data) == 13 and spark.data[-1] == 0.25  # came to 1 of the last 4


async def test_goals_show_steps_and_the_check_in_chart(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, store, "Élodie T.")
        goals = screen.query_one("#goals-table", DataTable)
        assert column(goals, 0) == ["Find a volunteering role with animals"]
        assert column(goals, 2) == ["2 of 3"]
        detail = shown(pilot, "#goal-detail")
        assert "Why it matters I used to love working at the stables." in detail
        assert "✓ done Tue 16 Dec  Tell someone in the group about it" in detail
        assert "○ to do" in detail
        chart = shown(pilot, "#goal-chart")
        assert "Ratings ▄" in chart and "●●●○○ 3/5  Good week" in chart


async def test_n_adds_a_goal_in_their_words_and_escape_adds_nothing(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, store, "Dev L.")
        person = person_named(store, "Dev L.")
        await pilot.press("n")
        await type_text(pilot, "Not this one")
        await pilot.press("escape")
        assert len(store.participant_goals(person.id)) == 1
        await pilot.press("n", "ctrl+s")
        assert shown(pilot, "#title-note") == "Type the goal"
        await type_text(pilot, "Cut down to [b]two[/b] coffees")
        form = pilot.app.screen
        form.query_one("#dimension", Select).value = Dimension.HEALTH
        form.query_one("#serves", Select).value = RecoveryFocus.SUBSTANCE_USE
        form.query_one("#group", Select).value = group_named(store, "Tuesday Recovery Group").id
        await pilot.press("ctrl+s")
        assert type(pilot.app.screen).__name__ == "ParticipantScreen"
        new = next(g for g in store.participant_goals(person.id) if g.title.startswith("Cut down"))
        assert (new.dimension, new.serves, new.created_at) == (
            Dimension.HEALTH,
            RecoveryFocus.SUBSTANCE_USE,
            clock(),
        )
        goals = screen.query_one("#goals-table", DataTable)
        assert "Cut down to [b]two[/b] coffees" in column(goals, 0)  # shown literally


async def test_s_then_n_adds_a_step_to_the_selected_goal(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await open_person(pilot, store, "Dev L.")
        person = person_named(store, "Dev L.")
        [before] = store.participant_goals(person.id)
        await pilot.press("s", "n")
        await type_text(pilot, "Ask Jude about the walking group")
        await pilot.press("enter", "ctrl+s")
        [after] = store.participant_goals(person.id)
        assert [s.text for s in after.steps] == [
            *(s.text for s in before.steps),
            "Ask Jude about the walking group",
        ]
        assert "○ to do            Ask Jude about the walking group" in shown(pilot, "#goal-detail")


async def test_f_filters_goals_by_what_they_serve(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        person_id = person_named(store, "Dev L.").id
        store.add(Goal(participant_id=person_id, title="Stay dry at weekends", serves=RecoveryFocus.BOTH))
        screen = await open_person(pilot, store, "Dev L.")
        goals = screen.query_one("#goals-table", DataTable)
        assert goals.row_count == 2
        await pilot.press("f")  # mental health: goals serving both count too
        assert column(goals, 0) == ["Stay dry at weekends"]
        assert "serving mental health (1 of 2)" in shown(pilot, "#goals-filter")
        await pilot.press("f", "f")  # both
        assert column(goals, 0) == ["Stay dry at weekends"]
        await pilot.press("f")
        assert goals.row_count == 2


async def test_assignments_and_stages(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        person = person_named(store, "Dev L.")
        group = group_named(store, "Tuesday Recovery Group")
        enrolment = next(e for e in store.enrollments_of(person.id) if e.group_id == group.id)
        enrolment = store.set_stage(enrolment, Stage.ENGAGEMENT, on=date(2026, 1, 6))
        store.set_stage(enrolment, Stage.PERSUASION, on=date(2026, 2, 3))
        screen = await open_person(pilot, store, "Dev L.")
        await pilot.press("h")
        table = screen.query_one("#assignments-table", DataTable)
        assert column(table, 2)[0] == "the group" and column(table, 4)[0] == "? not reviewed"
        assert table.row_count == len(store.group_assignments(group.id))
        await pilot.press("t")
        stages = shown(pilot, "#stages-text")
        assert "now: persuasion since 3 Feb 2026" in stages
        assert stages.index("3 Feb 2026  persuasion") < stages.index("6 Jan 2026  engagement")


async def a_mark_elsewhere(pilot: Pilot, store: Store, person: Participant) -> None:
    """Another screen on top corrects an absence of theirs to present, then closes."""
    absent = next(m for m in store.participant_marks(person.id) if m.status is AttendanceStatus.ABSENT)
    await pilot.app.push_screen(Screen())
    store.mark_attendance(absent.meeting_id, person.id, AttendanceStatus.PRESENT)
    pilot.app.pop_screen()
    await pilot.pause()


async def test_a_view_made_before_a_mark_shows_it_on_coming_back(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        person = person_named(store, "Dev L.")
        screen = await open_person(pilot, store, "Dev L.")
        await pilot.press("a")
        table = screen.query_one("#attendance-table", DataTable)
        assert column(table, 2) == ["6 of 13"]
        await a_mark_elsewhere(pilot, store, person)
        assert column(table, 2) == ["7 of 13"] and column(table, 3) == ["54%"]
        assert "Came to 7 of 13 marked meetings (54%)" in shown(pilot, "#person-header")


async def test_a_view_first_shown_after_a_mark_shows_it(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        person = person_named(store, "Dev L.")
        screen = await open_person(pilot, store, "Dev L.")
        assert not screen.query(Sparkline) and not screen.query("#stages-text")  # hidden: not made yet
        await a_mark_elsewhere(pilot, store, person)
        assert "Came to 7 of 13 marked meetings (54%)" in shown(pilot, "#person-header")
        await pilot.press("a")
        assert screen.query_one(ContentSwitcher).current == "attendance"
        assert column(screen.query_one("#attendance-table", DataTable), 2) == ["7 of 13"]
        assert screen.focused is screen.query_one("#attendance-table")
        await pilot.press("a", "g", "a")  # shown again: made once, the same rows
        assert len(screen.query("#attendance-table")) == 1 and len(screen.query(Sparkline)) == 1
        assert column(screen.query_one("#attendance-table", DataTable), 2) == ["7 of 13"]
        await pilot.press("t")
        assert "Tuesday Recovery Group" in shown(pilot, "#stages-text")


# --- editing: details, goals, steps, stages -------------------------------------------------------------


def set_input(pilot: Pilot, field_id: str, text: str) -> None:
    """Replace what a form's field holds (as select-all and typing would)."""
    pilot.app.screen.query_one(f"#{field_id}", Input).value = text


def warnings(pilot: Pilot, words: str) -> list[str]:
    return [n.message for n in pilot.app._notifications if words in n.message]


async def test_d_edits_the_details_shown_literally_and_escape_changes_nothing(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, store, "Quinn L.")
        before = person_named(store, "Quinn L.")
        await pilot.press("d")
        form = pilot.app.screen
        assert isinstance(form, PersonForm)
        assert form.query_one("#name", Input).value == "Quinn L."
        assert form.query_one("#pronouns", Input).value == "they/them"
        await type_text(pilot, "ZZ")
        await pilot.press("escape")
        assert pilot.app.screen is screen and store.get(Participant, before.id) == before
        clock.advance(minutes=1)  # so a needless write would show in updated_at
        await pilot.press("d", "ctrl+s")  # nothing changed: nothing written
        assert pilot.app.screen is screen and store.get(Participant, before.id) == before

        await pilot.press("d")
        set_input(pilot, "name", "Rosa H.")
        await pilot.pause()
        assert shown(pilot, "#name-note") == "Someone already has this name: an initial helps tell them apart"
        await pilot.press("ctrl+s")  # a second Rosa H. is asked about first, and nothing is saved
        assert isinstance(pilot.app.screen, PersonForm) and store.get(Participant, before.id) == before
        assert shown(pilot, "#form-problem").startswith(
            "Someone is already called “Rosa H.”: press ctrl+s again"
        )
        set_input(pilot, "name", "")
        await pilot.pause()
        assert shown(pilot, "#name-note") == "Type their name"
        set_input(pilot, "name", "Rosa [b]M.[/b]")
        set_input(pilot, "full-name", "Rosa Martínez")
        set_input(pilot, "pronouns", "")
        set_input(pilot, "contact", "07700 900123")
        set_input(pilot, "notes", "Prefers [i]texts[/i]")
        await pilot.press("ctrl+s")
        assert pilot.app.screen is screen
        after = store.get(Participant, before.id)
        assert (after.display_name, after.full_name, after.pronouns, after.contact, after.notes) == (
            "Rosa [b]M.[/b]",
            "Rosa Martínez",
            None,
            "07700 900123",
            "Prefers [i]texts[/i]",
        )
        header = shown(pilot, "#person-header")
        assert header.startswith("Rosa [b]M.[/b] · Rosa Martínez\n")
        assert "Contact 07700 900123" in header and "Notes Prefers [i]texts[/i]" in header
        assert screen.sub_title == "Rosa [b]M.[/b]"


async def test_a_same_name_is_allowed_once_confirmed(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await open_person(pilot, store, "Dev L.")
        await pilot.press("d")
        set_input(pilot, "name", "rosa h.")  # case aside, someone's name
        await pilot.press("ctrl+s")
        assert type(pilot.app.screen).__name__ == "PersonForm"  # asked first
        assert sum(1 for p in store.all(Participant) if p.display_name.casefold() == "rosa h.") == 1
        await pilot.press("ctrl+s")
        assert type(pilot.app.screen).__name__ == "ParticipantScreen"
        assert sum(1 for p in store.all(Participant) if p.display_name.casefold() == "rosa h.") == 2


def second_goal(store: Store, clock: FakeClock) -> Goal:
    """A newer goal for Dev L. (so it is listed first), serving both, worked on in the Tuesday group."""
    person = person_named(store, "Dev L.")
    group = group_named(store, "Tuesday Recovery Group")
    goal = Goal(
        participant_id=person.id,
        group_id=group.id,
        title="Stay dry at weekends",
        serves=RecoveryFocus.BOTH,
        created_at=clock(),
    )
    store.add(goal)
    return goal


async def test_e_edits_the_goal_with_its_status_and_the_cursor_stays(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        second_goal(store, clock)
        person = person_named(store, "Dev L.")
        screen = await open_person(pilot, store, "Dev L.")
        goals = screen.query_one("#goals-table", DataTable)
        assert goals.row_count == 2
        await pilot.press("down")
        before = screen.selected_goal()
        assert before is not None and before == store.participant_goals(person.id)[1]

        await pilot.press("e")
        form = pilot.app.screen
        assert isinstance(form, GoalForm)
        assert form.query_one("#title", Input).value == before.title
        assert form.query_one("#status", Select).value == GoalStatus.ACTIVE
        assert form.query_one("#horizon", Select).value == before.horizon
        set_input(pilot, "title", "Not this")
        await pilot.press("escape")
        assert pilot.app.screen is screen and store.get(Goal, before.id) == before
        clock.advance(minutes=1)  # so a needless write would show in updated_at
        await pilot.press("e", "ctrl+s")  # nothing changed: nothing written
        assert pilot.app.screen is screen and store.get(Goal, before.id) == before

        await pilot.press("enter")  # Enter on the goals table edits too
        form = pilot.app.screen
        assert isinstance(form, GoalForm)
        set_input(pilot, "title", "Sleep [b]before[/b] midnight")
        form.query_one("#status", Select).value = GoalStatus.ACHIEVED
        form.query_one("#dimension", Select).value = Dimension.HOME
        await pilot.press("ctrl+s")
        assert pilot.app.screen is screen
        after = store.get(Goal, before.id)
        assert (after.title, after.status, after.dimension) == (
            "Sleep [b]before[/b] midnight",
            GoalStatus.ACHIEVED,
            Dimension.HOME,
        )
        assert (after.steps, after.check_ins, after.created_at) == (
            before.steps,
            before.check_ins,
            before.created_at,
        )
        assert goals.cursor_row == 1 and screen.selected_goal() == after
        assert column(goals, 0)[1] == "Sleep [b]before[/b] midnight"
        assert column(goals, 1)[1] == "✓ achieved"
        assert shown(pilot, "#goal-detail").startswith("Sleep [b]before[/b] midnight\n")


async def test_editing_a_goal_can_clear_what_it_serves_and_its_group(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        goal = second_goal(store, clock)
        person = person_named(store, "Dev L.")
        screen = await open_person(pilot, store, "Dev L.")
        assert screen.selected_goal() == goal
        await pilot.press("e")
        form = pilot.app.screen
        assert form.query_one("#serves", Select).value == RecoveryFocus.BOTH
        assert form.query_one("#group", Select).value == goal.group_id
        form.query_one("#serves", Select).value = Select.NULL
        form.query_one("#group", Select).value = Select.NULL
        await pilot.press("ctrl+s")
        after = store.get(Goal, goal.id)
        assert (after.serves, after.group_id, after.title) == (None, None, goal.title)
        assert column(screen.query_one("#goals-table", DataTable), 4)[0] == "—"
        assert len(store.participant_goals(person.id)) == 2


async def test_steps_change_in_the_dialog_and_ctrl_s_saves_them_in_one_write(
    store, clock, monkeypatch
) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, store, "Élodie T.")
        [goal] = store.participant_goals(person_named(store, "Élodie T.").id)
        writes: list[dict] = []
        update = store.update
        monkeypatch.setattr(
            store, "update", lambda record, **changes: writes.append(changes) or update(record, **changes)
        )
        clock.advance(minutes=30)
        await pilot.press("s")
        dialog = pilot.app.screen
        assert isinstance(dialog, StepsDialog)
        steps = dialog.query_one(OptionList)
        assert steps.option_count == 3
        assert str(steps.get_option_at_index(0).prompt) == "✓ done Tue 9 Dec   Pick a day and time"

        await pilot.press("space")  # step 1 back to do
        await pilot.press("down", "down", "enter")  # step 3 done now
        await pilot.press("n")
        await type_text(pilot, "Visit the [b]city farm[/b]")
        await pilot.press("enter")
        assert pilot.app.screen is dialog
        await pilot.press("up")  # step 3 again
        await pilot.press("e")
        assert pilot.app.screen.query_one("#step", Input).value == "Do it once and notice how it felt"
        set_input(pilot, "step", "Go once and notice how it felt")
        await pilot.press("ctrl+s")
        await pilot.press("up", "x")  # remove step 2
        assert steps.option_count == 3
        assert "changes not saved yet" in shown(pilot, "#steps-status")
        assert writes == [] and store.get(Goal, goal.id) == goal  # nothing written before ctrl+s

        await pilot.press("ctrl+s")
        assert pilot.app.screen is screen
        assert len(writes) == 1
        after = store.get(Goal, goal.id)
        assert after.steps == [
            GoalStep(text="Pick a day and time"),
            GoalStep(text="Go once and notice how it felt", done_at=clock()),
            GoalStep(text="Visit the [b]city farm[/b]"),
        ]
        assert column(screen.query_one("#goals-table", DataTable), 2) == ["1 of 3"]
        detail = shown(pilot, "#goal-detail")
        assert "○ to do            Pick a day and time" in detail
        assert "✓ done Tue 3 Mar   Go once and notice how it felt" in detail
        assert "○ to do            Visit the [b]city farm[/b]" in detail


async def test_escape_with_unsaved_steps_warns_first_and_then_discards(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, store, "Dev L.")
        [goal] = store.participant_goals(person_named(store, "Dev L.").id)
        await pilot.press("s", "escape")  # nothing changed: closes at once
        assert pilot.app.screen is screen
        await pilot.press("s", "x", "escape")
        assert isinstance(pilot.app.screen, StepsDialog)
        assert shown(pilot, "#steps-problem") == "Unsaved changes: ctrl+s saves, Escape again discards"
        await pilot.press("escape")
        assert pilot.app.screen is screen and store.get(Goal, goal.id) == goal
        await pilot.press("s", "space", "q")  # q is Escape here: it does not drop changes unasked
        assert isinstance(pilot.app.screen, StepsDialog)
        await pilot.press("q")
        assert pilot.app.screen is screen and store.get(Goal, goal.id) == goal
        assert "Tell someone in the group about it" in shown(pilot, "#goal-detail")


async def test_goal_keys_with_no_goal_say_one_line(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_person(pilot, store, "Hana J.")
        for key in ("s", "e"):
            await pilot.press(key)
            assert pilot.app.screen is screen
        assert len(warnings(pilot, "Pick a goal first")) == 2


async def test_c_sets_the_stage_from_the_participant_screen_with_history(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        person = person_named(store, "Dev L.")
        group = group_named(store, "Tuesday Recovery Group")
        today = clock().astimezone(zone_of(group)).date()
        screen = await open_person(pilot, store, "Dev L.")
        await pilot.press("t")
        assert "no stage set yet (press c to set it)" in shown(pilot, "#stages-text")
        await pilot.press("c")  # one group: straight to the stages
        assert isinstance(pilot.app.screen, StagePicker)
        await pilot.press("escape")
        [enrolment] = store.enrollments_of(person.id)
        assert enrolment.stage is None and enrolment.stage_history == []
        await pilot.press("c", "down", "enter")
        assert pilot.app.screen is screen
        [enrolment] = store.enrollments_of(person.id)
        assert (enrolment.stage, enrolment.stage_set_on) == (Stage.PERSUASION, today)
        assert "now: persuasion since 3 Mar 2026" in shown(pilot, "#stages-text")
        await pilot.press("c", "down", "enter")
        [enrolment] = store.enrollments_of(person.id)
        assert enrolment.stage_history == [
            StageChange(stage=Stage.PERSUASION, on=today),
            StageChange(stage=Stage.ACTIVE_TREATMENT, on=today),
        ]
        stages = shown(pilot, "#stages-text")
        assert "now: active treatment since 3 Mar 2026" in stages
        assert stages.index("3 Mar 2026  active treatment") < stages.index("3 Mar 2026  persuasion")


async def test_c_asks_which_group_when_they_are_in_several(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        person = person_named(store, "Dev L.")
        wrap = group_named(store, "Thursday WRAP Workshop")
        store.add(Enrollment(participant_id=person.id, group_id=wrap.id, joined_on=date(2026, 2, 1)))
        screen = await open_person(pilot, store, "Dev L.")
        enrolments = store.enrollments_of(person.id)
        wanted = next(i for i, e in enumerate(enrolments) if e.group_id == wrap.id)
        assert len(enrolments) == 2
        await pilot.press("c")  # from the Goals view: it shows the Stages view first
        assert screen.query_one("#person-switcher", ContentSwitcher).current == "stages"
        picker = pilot.app.screen
        assert isinstance(picker, EnrolmentPicker)
        assert picker.query_one(OptionList).option_count == len(enrolments)
        await pilot.press("escape")
        assert pilot.app.screen is screen and store.enrollments_of(person.id) == enrolments
        await pilot.press("c", *["down"] * wanted, "enter")
        assert isinstance(pilot.app.screen, StagePicker)
        await pilot.press("enter")  # engagement
        after = store.enrollments_of(person.id)
        assert after[wanted].stage is Stage.ENGAGEMENT and len(after[wanted].stage_history) == 1
        assert after[:wanted] + after[wanted + 1 :] == enrolments[:wanted] + enrolments[wanted + 1 :]
        assert "Thursday WRAP Workshop  now: engagement since 3 Mar 2026" in shown(pilot, "#stages-text")


async def test_a_read_only_database_refuses_each_edit_in_one_line(store, db_path, clock) -> None:
    with read_only_demo(store, db_path, clock) as looking:
        async with make_app(looking, clock=clock).run_test(size=(120, 40)) as pilot:
            screen = await open_person(pilot, looking, "Dev L.")
            for key in ("d", "n", "e", "s", "c"):
                await pilot.press(key)
                assert pilot.app.screen is screen
            assert len(warnings(pilot, "read-only")) == 5


async def test_help_and_the_palette_list_the_editing_keys(store, clock) -> None:
    app = demo_app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_person(pilot, store, "Dev L.")
        titles = {command.title for command in app.get_system_commands(screen)}
        assert {"Edit details", "Edit goal", "Steps", "Change stage", "New goal"} <= titles
        await pilot.press("question_mark")
        help_text = str(pilot.app.screen.query_one(Static).render())
        for line in ("d  Edit details", "e  Edit goal", "s  Steps", "c  Change stage"):
            assert line in help_text
