"""Pictures of Home, Group (with the attendance grid), Participant and Packs on the demo at a fixed clock, in
the dark and the light theme, at 80×24 and 120×40.

Update after a deliberate change of look: `pytest tests/app/test_screens_snapshots.py --snapshot-update`, then
look at the report before keeping the new pictures.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from facilitator.screens.group.screen import GroupScreen
from facilitator.screens.person.screen import ParticipantScreen
from tests.app.screen_helpers import demo_app, group_named, person_named, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
THEMES = [pytest.param("textual-dark", id="dark"), pytest.param("textual-light", id="light")]
Steps = Callable[[Pilot], Awaitable[None]]


def picture(snap_compare, store, clock, size, theme: str, steps: Steps | None = None) -> bool:
    """The demo in `theme`, after `steps`, compared with the kept picture."""

    async def run_before(pilot: Pilot) -> None:
        pilot.app.theme = theme
        await settle(pilot)
        if steps is not None:
            await steps(pilot)
            await settle(pilot)

    return snap_compare(demo_app(store, clock), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, store, clock, size, theme) -> None:
    assert picture(snap_compare, store, clock, size, theme)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_group_with_the_attendance_grid(snap_compare, store, clock, size, theme) -> None:
    async def open_group(pilot: Pilot) -> None:
        pilot.app.push_screen(GroupScreen(group_named(store, "Tuesday Recovery Group").id))
        await pilot.pause()
        await pilot.press("up", "down", "down", "down")  # the cursor on Dev L.'s latest absence

    assert picture(snap_compare, store, clock, size, theme, open_group)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_participant(snap_compare, store, clock, size, theme) -> None:
    async def open_person(pilot: Pilot) -> None:
        pilot.app.push_screen(ParticipantScreen(person_named(store, "Femi V.").id))
        await pilot.pause()

    assert picture(snap_compare, store, clock, size, theme, open_person)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_packs(snap_compare, store, clock, size, theme, monkeypatch) -> None:
    # The packs folder is beside the database, a temporary path in tests: show a fixed one in the picture.
    monkeypatch.setattr(
        "facilitator.screens.packs.screen.packs_folder",
        lambda app: Path("/home/sam/.local/share/facilitator/packs"),
    )

    async def open_packs(pilot: Pilot) -> None:
        await pilot.press("4")

    assert picture(snap_compare, store, clock, size, theme, open_packs)
