"""The Participant screen: details, goals with steps and check-ins, attendance, assignments and stages."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Sparkline

from curricula.format import Stage
from facilitator.screens.participant import ParticipantScreen
from facilitator.store import Store
from facilitator.store.records import Dimension, Goal, RecoveryFocus
from tests.app.screen_helpers import column, demo_app, group_named, person_named, settle, shown, type_text


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


async def test_s_adds_a_step_to_the_selected_goal(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await open_person(pilot, store, "Dev L.")
        person = person_named(store, "Dev L.")
        [before] = store.participant_goals(person.id)
        await pilot.press("s")
        await type_text(pilot, "Ask Jude about the walking group")
        await pilot.press("enter")
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
