"""Run by the bench: open the Group screen of the long group (200 meetings x 25 people) in the real app,
headless; print the seconds from pushing the screen to its first idle frame."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(db: str) -> None:
    try:
        from facilitator.screens.group.screen import GroupScreen
    except ImportError:
        return
    from facilitator.cli.app import open_store
    from facilitator.store.records import Group

    store = open_store(Path(db), read_only=True)
    from facilitator.app import make_app

    app = make_app(store)
    group = next(g for g in store.all(Group) if g.name == "Group 000")
    took = 0.0

    async def open_grid(pilot) -> None:
        nonlocal took
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        start = time.perf_counter()
        pilot.app.push_screen(GroupScreen(group.id))
        await pilot.pause()
        took = time.perf_counter() - start
        pilot.app.exit()

    app.run(headless=True, auto_pilot=open_grid, size=(160, 50))
    store.close()
    print(f"grid-seconds {took:.4f}")


if __name__ == "__main__":
    main(sys.argv[1])
