"""What the room display shows of a running session, and how it follows one run elsewhere. No Textual.

The room display is for everyone in the room (a projector, a second terminal), so it shows the segment, the
countdown and the session's progress, and never a name or a note. It never writes: `RoomFollower` opens the
database read-only each time the file or one of its journals changes, finds the meeting being run and rebuilds
its session from the saved engine state with clocks of its own. Between two saves the rebuilt engine counts on
by itself, as the session in the main window does, so the countdown moves every second while the database
changes only every few seconds; and a main window closed and opened again is just a few more changes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from facilitator.course.run import MeetingRun, saved_state
from facilitator.store import Store, StoreError
from facilitator.store.files import folding_paths, journal_path, real_path
from facilitator.store.records import Meeting, MeetingStatus
from sessions import Engine, SessionStatus

WallClock = Callable[[], datetime]
Monotonic = Callable[[], float]

# What the display says when there is no session to follow.
NOTHING_RUNNING = "No session is running. This display follows the next one started."
ENDED = "This session has ended."


@dataclass(frozen=True)
class RoomSession:
    """A session as the room sees it: what it covers and its engine (no people, no notes)."""

    meeting_id: str
    covers: str  # "14. Starting and keeping a conversation going", or "" for an extra meeting
    engine: Engine
    ended: bool = False


def database_signature(path: Path) -> tuple[tuple[str, int, int, int], ...]:
    """What changes whenever the database does: the file's and every journal's identity, size and time."""
    signature = []
    for each in (path, journal_path(path), *folding_paths(path)):
        try:
            info = os.stat(each)
        except OSError:
            continue
        signature.append((each.name, info.st_ino, info.st_size, info.st_mtime_ns))
    return tuple(signature)


def session_of(meeting: Meeting, monotonic: Monotonic, wall_clock: WallClock) -> RoomSession | None:
    """The room's view of a meeting's saved session, counted on to now; None when it has no readable state."""
    state = saved_state(meeting)
    if state is None:
        return None
    try:
        engine = Engine.restore(state, monotonic, wall_clock, kept_running=True)
    except ValueError:
        return None
    covers = meeting.covers.title if meeting.covers else ""
    return RoomSession(meeting.id, covers, engine, ended=meeting.status is MeetingStatus.HELD)


def meeting_to_follow(store: Store, meeting_id: str | None) -> Meeting | None:
    """The meeting named, or else the one in progress saved last (a running one before a paused one)."""
    if meeting_id is not None:
        return store.get(Meeting, meeting_id)
    candidates = [m for m in store.meetings_in_progress() if saved_state(m) is not None]

    def recency(meeting: Meeting) -> tuple[bool, datetime]:
        state = saved_state(meeting)
        assert state is not None
        return state.status is SessionStatus.RUNNING, state.as_of_wall

    return max(candidates, key=recency, default=None)


class RoomFollower:
    """Follows the session being run in a database another process writes, read-only."""

    def __init__(
        self,
        path: Path,
        *,
        meeting_id: str | None = None,
        monotonic: Monotonic,
        wall_clock: WallClock,
    ) -> None:
        self.path = real_path(path)
        self.meeting_id = meeting_id
        self._monotonic = monotonic
        self._wall_clock = wall_clock
        self._signature: tuple[tuple[str, int, int, int], ...] | None = None
        self.session: RoomSession | None = None
        self.problem = ""  # one line when the database cannot be read just now
        self.theme = ""  # the theme kept in the database, for the display to match the main window

    def poll(self) -> bool:
        """Read the database again if it changed since the last look; whether what is shown may change."""
        signature = database_signature(self.path)
        if signature == self._signature:
            return False
        try:
            store = Store.open(self.path, read_only=True, lazy=True, clock=self._wall_clock)
        except StoreError as error:
            # A fold or a restore in the middle: keep counting on from what was read last, and look again.
            self.problem = str(error)
            return True
        try:
            self.theme = store.meta.settings.theme
            meeting = meeting_to_follow(store, self.meeting_id)
        finally:
            store.close()
        self._signature = signature
        self.problem = ""
        self.session = None if meeting is None else session_of(meeting, self._monotonic, self._wall_clock)
        return True

    @property
    def message(self) -> str:
        """What to show instead of a countdown, or "" while there is one."""
        if self.session is None:
            return self.problem or NOTHING_RUNNING
        return ENDED if self.session.ended else ""


class LiveRoom:
    """The room's view of a session run in this same window (the Run Session key): its own engine, live."""

    def __init__(self, run: MeetingRun) -> None:
        self.run = run
        self.problem = ""

    def poll(self) -> bool:
        return True

    @property
    def session(self) -> RoomSession | None:
        meeting = self.run.meeting
        covers = meeting.covers.title if meeting.covers else ""
        return RoomSession(self.run.meeting_id, covers, self.run.engine, ended=self.run.ended)

    @property
    def message(self) -> str:
        return ENDED if self.run.ended else ""
