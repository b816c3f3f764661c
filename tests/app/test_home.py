"""The Home screen shows what the store holds, literally."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from facilitator.app import make_app
from facilitator.demo import seed_demo
from facilitator.store.records import Group, GroupStatus


def cell_text(table: DataTable, row: int, column: int) -> str:
    return str(table.get_row_at(row)[column])


async def test_empty_database_greets_a_newcomer(store, clock) -> None:
    app = make_app(store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        welcome = pilot.app.screen.query_one("#welcome", Static)
        assert "facilitator demo" in str(welcome.render())


async def test_home_lists_the_demo_groups_with_progress(store, clock) -> None:
    seed_demo(store, seed=7, now=clock())
    app = make_app(store, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        groups = pilot.app.screen.query_one("#groups", DataTable)
        rows = {cell_text(groups, i, 0): i for i in range(groups.row_count)}
        assert set(rows) == {"Spring Family Class", "Thursday WRAP Workshop", "Tuesday Recovery Group"}
        assert cell_text(groups, rows["Spring Family Class"], 3) == "session 8 of 8"
        assert cell_text(groups, rows["Thursday WRAP Workshop"], 3) == "session 0 of 8"
        upcoming = pilot.app.screen.query_one("#upcoming", DataTable)
        assert any("Tuesday Recovery Group" in cell_text(upcoming, i, 2) for i in range(upcoming.row_count))


async def test_names_with_markup_are_shown_literally(store, clock) -> None:
    store.add(Group(name="[bold red]Boom[/] \x1b[31mred", status=GroupStatus.RUNNING))
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        groups = pilot.app.screen.query_one("#groups", DataTable)
        shown = cell_text(groups, 0, 0)
        assert shown.startswith("[bold red]Boom[/] ")
        assert "\x1b" not in shown and "␛[31mred" in shown


async def test_help_lists_the_keys_and_q_quits(store, clock) -> None:
    app = make_app(store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert type(pilot.app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        assert type(pilot.app.screen).__name__ == "HomeScreen"
        await pilot.press("q")
    assert app.return_code == 0
