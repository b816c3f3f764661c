"""Helpers for the pilot tests of Home, Group and Participant: a demo app, and reading what a screen shows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from facilitator.app import FacilitatorApp, make_app
from facilitator.demo import seed_demo
from facilitator.screens.run.dialogs import ResumeDialog
from facilitator.store import Store
from facilitator.store.records import Group, Participant
from facilitator.widgets.record_list import RecordList


def demo_app(store: Store, clock: Callable[[], datetime]) -> FacilitatorApp:
    """The app on the demo database (seed 7) at the fixed clock."""
    seed_demo(store, seed=7, now=clock())
    return make_app(store, clock=clock)


async def settle(pilot: Pilot) -> None:
    """Let the store finish loading and the screen catch up (no sleeps).

    The demo has a meeting in progress, so the app opens by asking whether to resume it: answer "not now"
    (Escape, which writes nothing) so the test starts from Home.
    """
    app = pilot.app
    await quiet(pilot)
    if isinstance(app.screen, ResumeDialog):
        await pilot.press("escape")
        await quiet(pilot)


async def quiet(pilot: Pilot) -> None:
    """Wait until no worker is left: one may start another (the loaded store starts the follow-ups)."""
    for _ in range(20):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(not worker.is_finished for worker in pilot.app.workers):
            return


def column(table: DataTable, index: int) -> list[str]:
    """One column of a table as plain text."""
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


def list_column(pilot: Pilot, index: int = 0) -> list[str]:
    """One column of the Groups or People list, the rows the filter lets through, as plain text."""
    return pilot.app.screen.query_one("#list", RecordList).column(index)


def row_of(table: DataTable, text: str, index: int = 0) -> int:
    """The index of the first row whose cell `index` is `text`."""
    return column(table, index).index(text)


def shown(pilot: Pilot, selector: str) -> str:
    """What a Static shows, as plain text."""
    return str(pilot.app.screen.query_one(selector, Static).render())


def group_named(store: Store, name: str) -> Group:
    return next(g for g in store.groups() if g.name == name)


def person_named(store: Store, name: str) -> Participant:
    return next(p for p in store.all(Participant) if p.display_name == name)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type into the focused widget, one key per character."""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


@contextmanager
def read_only_demo(store: Store, db_path: Path, clock: Callable[[], datetime]) -> Iterator[Store]:
    """The demo written by `store`, then opened again read-only (the way `--read-only` opens it)."""
    seed_demo(store, seed=7, now=clock())
    store.close()
    looking = Store.open(db_path, read_only=True, clock=clock)
    try:
        yield looking
    finally:
        looking.close()
