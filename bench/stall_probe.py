"""Run by the bench: the real app headless on a database, settled at Home; mark attendance 200 times on the
event loop (as the Run Session screen does) while a monitor measures how late the loop runs; print the longest
stall in ms.

    python -m bench.stall_probe DB      the app on DB, marking
    python -m bench.stall_probe bare    the same monitor and pauses in a bare Textual app, marking nothing:
                                        how late this machine runs a loop now, whatever the app does

The marks start once Home has loaded everything and its workers are done, as in a meeting, which starts
minutes after the app opened; what the loading itself costs the loop is the start-up rows' concern.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

MARKS = 200
BETWEEN = 0.005  # seconds between two marks: a facilitator is slower, this is the worst case
TICK = 0.002  # the monitor's sleep


async def watch(mark: Callable[[int], None]) -> float:
    """Seconds of the longest stall of the loop while `mark(0)` … `mark(MARKS - 1)` run on it."""
    longest = 0.0
    stop = asyncio.Event()

    async def monitor() -> None:
        nonlocal longest
        while not stop.is_set():
            start = time.perf_counter()
            await asyncio.sleep(TICK)
            longest = max(longest, time.perf_counter() - start - TICK)

    watcher = asyncio.create_task(monitor())
    for index in range(MARKS):
        mark(index)
        await asyncio.sleep(BETWEEN)
    stop.set()
    await watcher
    return longest


def in_the_app(db: str) -> float:
    gc.disable()  # as the command starts the app (`run_app`); Home starts the collector again
    from facilitator.cli.app import open_store
    from facilitator.store.records import AttendanceStatus, Meeting, Participant

    store = open_store(Path(db), lazy=True)
    from facilitator.app import make_app

    app = make_app(store)
    found: list[float] = []

    async def mark_while_watching(pilot) -> None:
        while not pilot.app.rest_loaded:  # the big tables load in a worker after the first frame
            await asyncio.sleep(0.05)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        meetings = store.all(Meeting)[-MARKS:]
        people = store.all(Participant)

        def mark(index: int) -> None:
            store.mark_attendance(meetings[index].id, people[index % len(people)].id, AttendanceStatus.LATE)

        found.append(await watch(mark))
        pilot.app.exit()

    app.run(headless=True, auto_pilot=mark_while_watching)
    store.close()
    return found[0]


def in_a_bare_app() -> float:
    from textual.app import App

    found: list[float] = []

    async def watch_idle(pilot) -> None:
        await pilot.pause()
        found.append(await watch(lambda index: None))
        pilot.app.exit()

    App[None]().run(headless=True, auto_pilot=watch_idle)
    return found[0]


def main(target: str) -> None:
    longest = in_a_bare_app() if target == "bare" else in_the_app(target)
    print(f"longest-stall-ms {longest * 1000:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
