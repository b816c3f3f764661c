"""Run by the bench as a whole process: start the real app on a database and print two wall-clock times —
when Home's first frame was on the screen and keys were read (Textual's Ready), and when every table had
loaded in the background — then exit."""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from pathlib import Path


def main(db: str) -> None:
    gc.disable()  # as the command starts the app (`run_app`); Home starts the collector again
    from facilitator.cli.app import open_store

    store = open_store(Path(db), lazy=True)
    from facilitator.app import FacilitatorApp

    ready_at: list[float] = []

    class TimedApp(FacilitatorApp):
        def on_ready(self) -> None:
            # Textual calls FacilitatorApp.on_ready too (handlers run along the class's MRO).
            ready_at.append(time.time())

    async def report(pilot) -> None:
        while not pilot.app.rest_loaded:
            await asyncio.sleep(0.01)
        print(f"ready {ready_at[0]:.6f}", flush=True)
        print(f"loaded {time.time():.6f}", flush=True)
        pilot.app.exit()

    TimedApp(store).run(headless=True, auto_pilot=report)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1])
