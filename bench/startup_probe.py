"""Run by the bench as a whole process: start the real app on a database; print the wall time at which Home
had painted and was taking keys (the first idle after mount), then exit."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(db: str) -> None:
    from facilitator.cli import open_store

    store = open_store(Path(db), lazy=True)
    from facilitator.app import make_app

    app = make_app(store)

    async def report_when_ready(pilot) -> None:
        await pilot.pause()
        print(f"ready {time.time():.6f}", flush=True)
        await pilot.app.workers.wait_for_complete()
        print(f"loaded {time.time():.6f}", flush=True)
        pilot.app.exit()

    app.run(headless=True, auto_pilot=report_when_ready)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1])
