"""Pictures of Home, Group (with the attendance grid) and Participant on the demo at the fixed clock.

Update after a deliberate change of look: `pytest tests/app/test_screens_snapshots.py --snapshot-update`, then
look at the report before keeping the new pictures.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from facilitator.screens.group import GroupScreen
from facilitator.screens.participant import ParticipantScreen
from tests.app.screen_helpers import demo_app, group_named, person_named, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, store, clock, size) -> None:
    assert snap_compare(demo_app(store, clock), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_group_with_the_attendance_grid(snap_compare, store, clock, size) -> None:
    app = demo_app(store, clock)

    async def open_group(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(GroupScreen(group_named(store, "Tuesday Recovery Group").id))
        await pilot.pause()
        await pilot.press("up", "down", "down", "down")  # the cursor on Dev L.'s latest absence

    assert snap_compare(app, terminal_size=size, run_before=open_group)


@pytest.mark.parametrize("size", SIZES)
def test_participant(snap_compare, store, clock, size) -> None:
    app = demo_app(store, clock)

    async def open_person(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(ParticipantScreen(person_named(store, "Femi V.").id))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_person)


def test_group_in_the_light_theme(snap_compare, store, clock) -> None:
    app = demo_app(store, clock)

    async def open_group(pilot: Pilot) -> None:
        pilot.app.theme = "textual-light"
        await settle(pilot)
        pilot.app.push_screen(GroupScreen(group_named(store, "Tuesday Recovery Group").id))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=open_group)
