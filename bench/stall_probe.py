"""Run by the bench: the real app headless on a database, settled at Home; mark attendance 200 times on the
event loop (as the Run Session screen does) while a monitor measures how late the loop runs; print the longest
stall in ms.

    python -m bench.stall_probe DB      the app on DB, marking
    python -m bench.stall_probe bare    the same monitor and pauses in a bare Textual app, marking nothing:
                                        how late this machine runs a loop now, whatever the app does

The marks start once Home has loaded everything and its workers are done, as in a meeting, which starts
minutes after the app opened; the longest stall from Home's first frame until then is printed before it.
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


class Monitor:
    """How late the loop runs a short sleep, the longest seen, while it is watching."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        while not self._stop.is_set():
            start = time.perf_counter()
            await asyncio.sleep(TICK)
            self.longest = max(self.longest, time.perf_counter() - start - TICK)

    async def stop(self) -> float:
        """Seconds of the longest stall seen."""
        self._stop.set()
        await self._task
        return self.longest


async def watch(mark: Callable[[int], None]) -> float:
    """Seconds of the longest stall of the loop while `mark(0)` … `mark(MARKS - 1)` run on it."""
    monitor = Monitor()
    for index in range(MARKS):
        mark(index)
        await asyncio.sleep(BETWEEN)
    return await monitor.stop()


def in_the_app(db: str) -> tuple[float, float]:
    """The longest stall marking, and the longest from Home's first frame until everything had loaded."""
    gc.disable()  # as the command starts the app (`run_app`); Home starts the collector again
    from facilitator.cli.app import open_store
    from facilitator.store.records import AttendanceStatus, Meeting, Participant

    store = open_store(Path(db), lazy=True)
    from facilitator.app import make_app

    app = make_app(store)
    found: list[float] = []

    async def mark_while_watching(pilot) -> None:
        loading = Monitor()
        while not pilot.app.rest_loaded:  # the big tables load in a worker after the first frame
            await asyncio.sleep(0.05)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        found.append(await loading.stop())
        meetings = store.all(Meeting)[-MARKS:]
        people = store.all(Participant)

        def mark(index: int) -> None:
            store.mark_attendance(meetings[index].id, people[index % len(people)].id, AttendanceStatus.LATE)

        found.append(await watch(mark))
        pilot.app.exit()

    app.run(headless=True, auto_pilot=mark_while_watching)
    store.close()
    return found[1], found[0]


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
    if target == "bare":
        print(f"longest-stall-ms {in_a_bare_app() * 1000:.3f}")
        return
    marking, loading = in_the_app(target)
    print(f"loading-stall-ms {loading * 1000:.3f} longest-stall-ms {marking * 1000:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
