"""`facilitator room`: the room display in a terminal of its own, following the session the main window runs.

It opens the database read-only (it works beside the window that has it open, and writes nothing), so it can
be started before the session, left on a projector all evening, and outlives the main window being closed and
opened again.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from facilitator.cli.paths import fail


def add_room_parser(commands: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    room = commands.add_parser(
        "room",
        parents=[db],
        help="the room display: the segment and its countdown, large, for a projector or a second terminal",
        description=(
            "Show the running session's segment and countdown as large as the terminal allows, with no names "
            "and no notes. It follows the session run in the main window on the same database, read-only."
        ),
    )
    room.add_argument("--meeting", metavar="ID", help="follow this meeting (default: the one being run)")


def run_room(path: Path, *, meeting_id: str | None) -> int:
    from facilitator.store import Store, StoreError

    try:
        Store.open(path, read_only=True, lazy=True).close()  # one clear line now, rather than a blank display
    except StoreError as error:
        return fail(str(error))
    from facilitator.app import make_room_app

    make_room_app(path, meeting_id=meeting_id).run()
    return 0
