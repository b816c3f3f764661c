"""Home: the next 7 days, groups in progress with their progress, the follow-ups; the numbered places."""

from __future__ import annotations

from rich.progress_bar import ProgressBar
from textual.screen import Screen
from textual.widgets import DataTable

from facilitator.app import make_app
from facilitator.screens import navigation
from facilitator.store.records import Group, GroupStatus, Participant
from facilitator.widgets.record_list import RecordList
from tests.app.screen_helpers import (
    column,
    demo_app,
    list_column,
    person_named,
    row_of,
    settle,
    shown,
    type_text,
)


async def test_an_empty_database_greets_a_newcomer_with_what_to_do(store, clock) -> None:
    async with make_app(store, clock=clock).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        welcome = shown(pilot, "#welcome")
        assert "facilitator demo" in welcome and "People screen (3)" in welcome
        assert not pilot.app.screen.query_one("#upcoming").display
        assert not pilot.app.screen.query_one("#follow-ups").display


async def test_today_and_the_next_7_days_and_the_groups_in_progress(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        upcoming = pilot.app.screen.query_one("#upcoming", DataTable)
        # The drop-in in progress, tonight's IMR meeting, next week's drop-in; WRAP starts in 16 days.
        assert column(upcoming, 0) == ["Tue 3 Mar, 4:40 pm", "Tue 3 Mar, 6:30 pm", "Tue 10 Mar, 4:40 pm"]
        assert column(upcoming, 1) == ["▶ in progress", "in 90 minutes", "in 1 week"]
        assert column(upcoming, 2) == [
            "Dual Recovery Drop-in",
            "Tuesday Recovery Group",
            "Dual Recovery Drop-in",
        ]
        assert column(upcoming, 3)[1].startswith("14. ")
        groups = pilot.app.screen.query_one("#groups", DataTable)
        # Only groups in progress: the finished family class is on the Groups screen.
        assert column(groups, 0) == [
            "Dual Recovery Drop-in",
            "Thursday WRAP Workshop",
            "Tuesday Recovery Group",
        ]
        assert column(groups, 1) == ["▶ running", "◷ planned", "▶ running"]
        assert column(groups, 2) == ["session 5 of 16", "session 0 of 8", "session 13 of 44"]
        bar = groups.get_row_at(2)[3]
        assert isinstance(bar, ProgressBar) and (bar.completed, bar.total) == (13, 44)
        assert column(groups, 4) == ["8", "6", "14"]


async def test_the_follow_up_list_says_who_and_why(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one("#follow-ups", DataTable)
        kinds, who, group, why = (column(table, index) for index in range(4))
        assert kinds[:3] == ["✗ missed"] * 3 and set(who[:2]) == {"Dev L.", "Mateo G."}
        assert why[0] == "absent from the last 3 meetings (since Tue 10 Feb)"
        assert group[0] == "Tuesday Recovery Group"  # which group, before the reason, so it shows at 80
        # The drop-in's drifting member, who missed fewer meetings, comes after them.
        assert (who[2], why[2]) == ("Farah M.", "absent from the last 2 meetings (since Tue 17 Feb)")
        assert kinds.count("◌ quiet goal") == 7
        assert kinds.count("☐ not reviewed") == 3
        assert shown(pilot, "#follow-ups-title").startswith("Follow-ups (13) · all goals")


async def test_enter_on_a_follow_up_opens_the_person_or_the_group(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one("#follow-ups", DataTable)
        table.focus()
        table.move_cursor(row=row_of(table, "Dev L.", 1))
        await pilot.press("enter")
        assert type(pilot.app.screen).__name__ == "ParticipantScreen"
        assert pilot.app.screen.participant_id == person_named(store, "Dev L.").id
        await pilot.press("q")
        table = pilot.app.screen.query_one("#follow-ups", DataTable)
        table.move_cursor(row=row_of(table, "☐ not reviewed"))
        await pilot.press("enter")
        assert type(pilot.app.screen).__name__ == "GroupScreen"


async def test_f_filters_goal_follow_ups_by_what_they_serve(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        # Only the drop-in's goals say what they serve: the one gone quiet serves both, so it stays.
        assert "goals serving mental health" in shown(pilot, "#follow-ups-title")
        table = pilot.app.screen.query_one("#follow-ups", DataTable)
        quiet = [row for row in range(table.row_count) if column(table, 0)[row] == "◌ quiet goal"]
        assert [column(table, 1)[row] for row in quiet] == ["Wren H."]
        await pilot.press("f", "f", "f")
        assert "all goals" in shown(pilot, "#follow-ups-title")


async def test_enter_on_a_meeting_starts_it(store, clock, monkeypatch) -> None:
    started: list[str] = []

    class FakeRunSession(Screen[None]):
        def __init__(self, meeting_id: str) -> None:
            super().__init__()
            started.append(meeting_id)

    monkeypatch.setattr(navigation, "screen_class", lambda module, name: FakeRunSession)
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        upcoming = pilot.app.screen.query_one("#upcoming", DataTable)
        upcoming.focus()
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, FakeRunSession)
        assert started == [upcoming.coordinate_to_cell_key((0, 0)).row_key.value]


async def test_without_the_run_session_screen_enter_says_so(store, clock, monkeypatch) -> None:
    monkeypatch.setattr(navigation, "screen_class", lambda module, name: None)
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pilot.app.screen.query_one("#upcoming", DataTable).focus()
        await pilot.press("enter")
        assert type(pilot.app.screen).__name__ == "HomeScreen"
        assert any("not in this build" in n.message for n in pilot.app._notifications)


async def test_keys_1_to_5_go_to_the_places_and_q_comes_home(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        assert type(pilot.app.screen).__name__ == "GroupsScreen"
        await pilot.press("3")
        assert type(pilot.app.screen).__name__ == "PeopleScreen"
        assert [type(s).__name__ for s in pilot.app.screen_stack][-2:] == ["HomeScreen", "PeopleScreen"]
        await pilot.press("5")
        assert type(pilot.app.screen).__name__ in {"ReportsScreen", "ComingSoonScreen"}
        await pilot.press("1")
        assert type(pilot.app.screen).__name__ == "HomeScreen"
        await pilot.press("2", "q")
        assert type(pilot.app.screen).__name__ == "HomeScreen"


async def test_the_groups_list_shows_every_group_and_opens_one(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        assert list_column(pilot, 0) == [
            "Dual Recovery Drop-in",
            "Spring Family Class",
            "Thursday WRAP Workshop",
            "Tuesday Recovery Group",
        ]
        progress = ["session 5 of 16", "session 8 of 8", "session 0 of 8", "session 13 of 44"]
        assert list_column(pilot, 4) == progress
        await pilot.press("slash")
        await type_text(pilot, "tues")
        assert list_column(pilot, 0) == ["Tuesday Recovery Group"]
        assert shown(pilot, "#list-count") == "1 of 4 groups"
        await pilot.press("enter", "enter")
        assert type(pilot.app.screen).__name__ == "GroupScreen"


async def test_slash_filters_people_ignoring_case_and_accents(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3", "slash")
        await type_text(pilot, "ELO")
        table = pilot.app.screen.query_one("#list", RecordList)
        assert list_column(pilot, 0) == ["Élodie T."]
        await pilot.press("escape")
        assert table.row_count == 30 and not pilot.app.screen.query_one("#list-filter").display
        await pilot.press("slash")
        await type_text(pilot, "nobody here")
        assert table.row_count == 0


async def test_n_on_people_adds_a_person_and_escape_adds_nobody(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3", "n")
        await type_text(pilot, "Zed")
        await pilot.press("escape")
        assert store.count(Participant) == 30
        await pilot.press("n", "ctrl+s")
        assert type(pilot.app.screen).__name__ == "PersonForm"  # an empty name is not saved
        assert shown(pilot, "#name-note") == "Type their name"
        await type_text(pilot, "Zed Q.")
        await pilot.press("ctrl+s")
        assert store.count(Participant) == 31
        added = person_named(store, "Zed Q.")
        assert added.created_at == clock()
        assert "Zed Q." in list_column(pilot, 0)


async def test_names_with_markup_are_shown_literally(store, clock) -> None:
    store.add(Group(name="[bold red]Boom[/] \x1b[31mred", status=GroupStatus.RUNNING))
    async with make_app(store, clock=clock).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown_name = column(pilot.app.screen.query_one("#groups", DataTable), 0)[0]
        assert shown_name.startswith("[bold red]Boom[/] ")
        assert "\x1b" not in shown_name and "␛[31mred" in shown_name


async def test_help_lists_the_keys_and_the_palette_has_every_action(store, clock) -> None:
    app = demo_app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Go to Groups", "Go to People", "Goal filter"} <= set(titles)
        assert "Screenshot" not in titles  # it would write names and notes, unencrypted, to Downloads
        await pilot.press("question_mark")
        assert type(pilot.app.screen).__name__ == "HelpScreen"
        await pilot.press("escape", "q")
    assert app.return_code == 0
