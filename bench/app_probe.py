"""Run by the bench as a whole process: the real app headless on a database, at Home with every table loaded,
then one measurement; prints one line of JSON and exits.

    python -m bench.app_probe group DB           open the Group screen of the long group (200 x 25 grid)
    python -m bench.app_probe participant DB     open the Participant screen of a long-group regular
    python -m bench.app_probe run-session DB     open the Run Session screen on a planned meeting (writes DB)
    python -m bench.app_probe people-filter DB   keys typed into the People list's `/` filter
    python -m bench.app_probe memory DB          peak resident memory at Home, everything loaded

A screen is timed from pushing it (a key, for the filter) to the last frame painted before the app is idle
again: the app records when each frame is composed (`post_display_hook`; headless, nothing is written to a
terminal), and Textual's pilot waits until the process is idle. The pilot's own wait (at least one 20 ms
slice) is reported beside it as `idle`, the figure earlier benches printed. A screen is opened once cold (its
modules are imported then, as on a facilitator's first visit) and then again a few times; an empty screen
pushed in the same app gives the floor, what any screen costs on this machine at this moment.

`--profile` prints the profile of the cold opening (the first key, for the filter) to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import pstats
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from facilitator.app import FacilitatorApp

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from facilitator.store import Store

AGAIN = 4  # openings after the cold one
FLOOR = 3  # openings of an empty screen
FILTER_KEYS = ["1", "2", "3", "backspace", "backspace", "backspace"]  # narrows 5,000 people, then widens back
LONG_GROUP = "Group 000"  # the generator's long-running group (200 meetings x 25 people)
Measure = Callable[["Pilot[Any]"], Awaitable[dict[str, Any]]]


class MeasuredApp(FacilitatorApp):
    """The app as `make_app` makes it, noting when each frame is composed."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.frames: list[float] = []

    def post_display_hook(self) -> None:
        self.frames.append(time.perf_counter())


def peak_rss_mb() -> float:
    """Peak resident memory of this process, from VmHWM (Linux)."""
    hwm = next(
        line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM")
    )
    return int(hwm.split()[1]) / 1024


class Profile:
    """The standard library's profiler around one measured stretch, when asked for; the entries that took
    the most time, with and without what they called, go to stderr."""

    TOP = 25

    def __init__(self, wanted: bool) -> None:
        self.wanted = wanted

    @contextmanager
    def around(self) -> Iterator[None]:
        if not self.wanted:
            yield
            return
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            yield
        finally:
            profiler.disable()
            for order in ("cumulative", "tottime"):
                stats = pstats.Stats(profiler, stream=sys.stderr).strip_dirs().sort_stats(order)
                stats.print_stats(self.TOP)


async def settled(pilot: Pilot[Any]) -> None:
    """Home on the screen and every table loaded, as a facilitator finds the app after a few seconds."""
    app = measured(pilot)
    while not app.rest_loaded:
        await asyncio.sleep(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()


def measured(pilot: Pilot[Any]) -> MeasuredApp:
    app = pilot.app
    assert isinstance(app, MeasuredApp)
    return app


async def back_home(pilot: Pilot[Any]) -> None:
    """Close the screen on top and wait until Home has done what coming back asks of it (its workers too), so
    the next opening is timed on its own."""
    pilot.app.pop_screen()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def painted_after(pilot: Pilot[Any], action: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    """Seconds from starting `action` to its last frame painted, and to the pilot finding the app idle."""
    app = measured(pilot)
    app.frames.clear()
    start = time.perf_counter()
    await action()
    await pilot.pause()
    idle = time.perf_counter() - start
    return (app.frames[-1] - start if app.frames else idle), idle


async def time_opening(
    pilot: Pilot[Any], make: Callable[[], Screen[Any]], profile: Profile
) -> dict[str, Any]:
    """Seconds from pushing a new screen to its frame painted, cold and then again."""
    painted, idle = [], []
    for turn in range(1 + AGAIN):
        screen = make()

        async def push(screen: Screen[Any] = screen) -> None:
            pilot.app.push_screen(screen)

        with profile.around() if turn == 0 else nullcontext():
            took = await painted_after(pilot, push)
        painted.append(took[0])
        idle.append(took[1])
        if pilot.app.screen is not screen:
            raise SystemExit(f"the screen did not open: {type(pilot.app.screen).__name__} is on top")
        await back_home(pilot)
    floor = []
    for _ in range(FLOOR):
        empty = Screen[None]()

        async def push_empty(screen: Screen[Any] = empty) -> None:
            pilot.app.push_screen(screen)

        floor.append((await painted_after(pilot, push_empty))[0])
        await back_home(pilot)
    return {
        "first": painted[0],
        "first_idle": idle[0],
        "again": statistics.median(painted[1:]),
        "floor": statistics.median(floor),
    }


def group(profile: Profile) -> Measure:
    async def measure(pilot: Pilot[Any]) -> dict[str, Any]:
        from facilitator.screens.group.screen import GroupScreen
        from facilitator.store.records import Group

        store = measured(pilot).store
        chosen = next(g for g in store.all(Group) if g.name == LONG_GROUP)
        return await time_opening(pilot, lambda: GroupScreen(chosen.id), profile)

    return measure


def long_group_regular(store: Store) -> str:
    """The long group's member with the most marks across all their groups (ties by name)."""
    from facilitator.store.records import Group

    group = next(g for g in store.all(Group) if g.name == LONG_GROUP)
    roster = [person for _, person in store.roster(group.id)]
    chosen = max(roster, key=lambda p: (len(store.participant_marks(p.id)), p.display_name))
    return chosen.id


def participant(profile: Profile) -> Measure:
    async def measure(pilot: Pilot[Any]) -> dict[str, Any]:
        from facilitator.screens.person.screen import ParticipantScreen

        app = measured(pilot)
        person = long_group_regular(app.store)
        found = await time_opening(pilot, lambda: ParticipantScreen(person), profile)
        found["marks"] = len(app.store.participant_marks(person))
        return found

    return measure


def plan_a_meeting(db: Path) -> str:
    """Give the long group a bundled pack and one planned meeting now, as `G` would; its id."""
    from facilitator.course.calendar import course_sessions, planned_meeting
    from facilitator.course.packs import bundled_pack
    from facilitator.store import Store
    from facilitator.store.records import Group, Meeting

    pack = bundled_pack("imr-open-style")
    now = datetime.now(UTC)
    with Store.open(db, backup=False) as store:
        group = next(g for g in store.all(Group) if g.name == LONG_GROUP)
        group = store.update(group, pack_id=pack.id, pack_version=pack.version)
        held = len(store.group_meetings(group.id))
        meeting: Meeting = planned_meeting(
            group.id, now, 90, now, covers=course_sessions(pack)[1], pack=pack, number=held + 1
        )
        store.add(meeting)
        return meeting.id


def run_session(meeting_id: str, profile: Profile) -> Measure:
    async def measure(pilot: Pilot[Any]) -> dict[str, Any]:
        from facilitator.screens.run.screen import RunSessionScreen

        # The first opening takes the meeting up; the later ones come back to the session under way.
        return await time_opening(pilot, lambda: RunSessionScreen(meeting_id), profile)

    return measure


def people_filter(profile: Profile) -> Measure:
    async def measure(pilot: Pilot[Any]) -> dict[str, Any]:
        from textual.widgets import Input

        from facilitator.screens.lists import PeopleScreen
        from facilitator.widgets.record_list import RecordList

        await pilot.press("3")
        await pilot.pause()
        screen = pilot.app.screen
        if not isinstance(screen, PeopleScreen):
            raise SystemExit(f"3 did not open People: {type(screen).__name__} is on top")
        table = screen.query_one("#list", RecordList)
        total = table.row_count
        await pilot.press("slash")
        await pilot.pause()
        # A blinking cursor paints a frame twice a second; the frames timed are the keys' own.
        screen.query_one("#list-filter", Input).cursor_blink = False
        await pilot.pause()  # the box redrawn without its blink before the first key, not during it
        painted, idle, shown = [], [], []
        for turn, key in enumerate(FILTER_KEYS):
            with profile.around() if turn == 0 else nullcontext():
                took = await painted_after(pilot, partial(pilot.press, key))
            painted.append(took[0])
            idle.append(took[1])
            shown.append(table.row_count)
        if shown[-1] != total or min(shown) == total:
            raise SystemExit(f"the list did not follow the filter: {shown} of {total}")
        return {"painted": painted, "idle": idle, "shown": shown, "total": total}

    return measure


async def at_home(pilot: Pilot[Any]) -> dict[str, Any]:
    return {"mb": peak_rss_mb()}


def run_app(db: Path, measure: Measure, *, read_only: bool) -> dict[str, Any]:
    from facilitator.cli.app import open_store

    gc.disable()  # as the command starts the app (`run_app`); Home starts the collector again

    store = open_store(db, read_only=read_only, lazy=True)
    found: dict[str, Any] = {}

    async def pilot_it(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        found.update(await measure(pilot))
        pilot.app.exit()

    MeasuredApp(store).run(headless=True, auto_pilot=pilot_it, size=(160, 50))
    store.close()
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.app_probe")
    parser.add_argument("kind", choices=["group", "participant", "run-session", "people-filter", "memory"])
    parser.add_argument("db")
    parser.add_argument("--profile", action="store_true", help="profile the first opening (to stderr)")
    args = parser.parse_args(argv)
    db, profile = Path(args.db), Profile(args.profile)
    if args.kind == "group":
        found = run_app(db, group(profile), read_only=True)
    elif args.kind == "participant":
        found = run_app(db, participant(profile), read_only=True)
    elif args.kind == "run-session":
        found = run_app(db, run_session(plan_a_meeting(db), profile), read_only=False)
    elif args.kind == "people-filter":
        found = run_app(db, people_filter(profile), read_only=True)
    else:
        found = run_app(db, at_home, read_only=True)
    print(json.dumps(found), flush=True)


if __name__ == "__main__":
    main()
