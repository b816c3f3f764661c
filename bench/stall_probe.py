"""Run by the bench: the real app headless on a database; mark attendance 200 times on the event loop (as the
Run Session screen does) while a monitor measures how late the loop runs; print the longest stall in ms."""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from pathlib import Path


def main(db: str) -> None:
    gc.disable()  # as the command starts the app (`run_app`); Home starts the collector again
    from facilitator.cli.app import open_store
    from facilitator.store.records import AttendanceStatus, Meeting, Participant

    store = open_store(Path(db), lazy=True)
    from facilitator.app import make_app

    app = make_app(store)
    longest = 0.0

    async def monitor(stop: asyncio.Event) -> None:
        nonlocal longest
        while not stop.is_set():
            start = time.perf_counter()
            await asyncio.sleep(0.002)
            longest = max(longest, time.perf_counter() - start - 0.002)

    async def mark_while_watching(pilot) -> None:
        while not pilot.app.rest_loaded:  # the big tables load in a worker after the first frame
            await asyncio.sleep(0.05)
        meetings = store.all(Meeting)[-200:]
        people = store.all(Participant)
        stop = asyncio.Event()
        watcher = asyncio.create_task(monitor(stop))
        for index, meeting in enumerate(meetings):
            store.mark_attendance(meeting.id, people[index % len(people)].id, AttendanceStatus.LATE)
            await asyncio.sleep(0.005)
        stop.set()
        await watcher
        pilot.app.exit()

    app.run(headless=True, auto_pilot=mark_while_watching)
    store.close()
    print(f"longest-stall-ms {longest * 1000:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
