"""The README's pictures, made by the app itself from the demo (seed 7) at a fixed clock: SVG, then PNG.

    python docs/screenshots.py            # writes docs/screenshots/*.svg and *.png

Each picture is the app driven by keys as a facilitator would, on a fresh demo database in a temporary folder,
at Tuesday 3 March 2026, 5 pm in London; so the same code makes the same pictures. The PNGs come from the SVGs
through `rsvg-convert` (Debian's librsvg2-bin); without it, only the SVGs are written.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ["TZ"] = "Europe/London"
time.tzset()

from textual.pilot import Pilot  # noqa: E402

from facilitator.app import FacilitatorApp, make_app  # noqa: E402
from facilitator.demo import seed_demo  # noqa: E402
from facilitator.store import Store  # noqa: E402
from facilitator.store.records import Goal, Meeting, MeetingStatus, Participant  # noqa: E402
from sessions import ManualClock  # noqa: E402

NOW = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)  # a Tuesday, an hour and a half before the IMR group
HERE = Path(__file__).parent / "screenshots"
SIZE = (120, 36)
ROOM_SIZE = (100, 30)
TUESDAY = "Tuesday Recovery Group"

Scene = Callable[[Pilot, Store, ManualClock], Awaitable[None]]


async def settle(pilot: Pilot) -> None:
    """Let the workers finish and answer the demo's resume question with "not now"."""
    from facilitator.screens.run.dialogs import ResumeDialog

    for _ in range(10):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    if isinstance(pilot.app.screen, ResumeDialog):
        await pilot.press("escape")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def tonight(store: Store) -> Meeting:
    group = next(g for g in store.groups() if g.name == TUESDAY)
    return next(m for m in store.group_meetings(group.id) if m.status is MeetingStatus.PLANNED)


async def home(pilot: Pilot, store: Store, clock: ManualClock) -> None:
    pass


async def group_grid(pilot: Pilot, store: Store, clock: ManualClock) -> None:
    from facilitator.screens.group.screen import GroupScreen

    group = next(g for g in store.groups() if g.name == TUESDAY)
    await pilot.app.push_screen(GroupScreen(group.id))
    await settle(pilot)


async def run_session(pilot: Pilot, store: Store, clock: ManualClock) -> None:
    from facilitator.screens.run.screen import RunSessionScreen

    await pilot.app.push_screen(RunSessionScreen(tonight(store).id))
    await pilot.pause()
    await pilot.press("space", "n")  # started, and on to the review of the last session
    clock.advance(3 * 60 + 20)
    screen = pilot.app.screen
    assert isinstance(screen, RunSessionScreen)
    screen.tick()
    await settle(pilot)


async def goal_chart(pilot: Pilot, store: Store, clock: ManualClock) -> None:
    from facilitator.screens.person.screen import ParticipantScreen

    # The person whose goal has the most check-ins, so the chart has a story to tell.
    goal = max(store.all(Goal), key=lambda g: len(g.check_ins))
    person = store.get(Participant, goal.participant_id)
    assert person is not None
    await pilot.app.push_screen(ParticipantScreen(person.id))
    await settle(pilot)
    goals = [g for g in store.all(Goal) if g.participant_id == person.id]
    for _ in range(goals.index(goal) if goal in goals else 0):
        await pilot.press("down")
    await settle(pilot)


async def room_display(pilot: Pilot, store: Store, clock: ManualClock) -> None:
    await run_session(pilot, store, clock)
    clock.advance(60 + 25)  # into the segment's last minute: the wrap-up
    await pilot.press("r")
    await pilot.pause()
    pilot.app.screen.show()  # type: ignore[attr-defined]
    await settle(pilot)


SCENES: dict[str, tuple[Scene, tuple[int, int]]] = {
    "home": (home, SIZE),
    "group-grid": (group_grid, SIZE),
    "run-session": (run_session, SIZE),
    "goal-chart": (goal_chart, SIZE),
    "room-display": (room_display, ROOM_SIZE),
}


async def picture(name: str, scene: Scene, size: tuple[int, int], folder: Path) -> str:
    """One scene on a fresh demo database: the SVG text of the screen at its end."""
    clock = ManualClock(NOW)
    store = Store.open(folder / name / "facilitator.json", clock=clock.wall)
    try:
        seed_demo(store, seed=7, now=NOW)
        app: FacilitatorApp = make_app(store, clock=clock.wall, monotonic=clock.monotonic)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scene(pilot, store, clock)
            return app.export_screenshot(title=f"Facilitator · {name.replace('-', ' ')}")
    finally:
        store.close()


def main() -> int:
    HERE.mkdir(exist_ok=True)
    converter = shutil.which("rsvg-convert")
    with tempfile.TemporaryDirectory(prefix="facilitator-pictures-") as folder:
        for name, (scene, size) in SCENES.items():
            svg = HERE / f"{name}.svg"
            svg.write_text(asyncio.run(picture(name, scene, size, Path(folder))), encoding="utf-8")
            if converter:
                subprocess.run(
                    [converter, "--zoom", "1", str(svg), "-o", str(svg.with_suffix(".png"))], check=True
                )
            print(svg.with_suffix(".png" if converter else ".svg"))
    if not converter:
        print(
            "rsvg-convert is not installed (apt-get install librsvg2-bin): only the SVGs were written.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
