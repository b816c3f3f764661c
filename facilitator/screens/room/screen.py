"""The room display: the current segment and its countdown as large as the terminal allows — for everyone.

It shows what the whole room may see: the session covered, the segment's title, the time left in block digits,
the phase in words (wrap-up, overrun, paused) and the session's progress. Never a name, never a note. It
follows a `RoomSource`: the session run in this window (a key in Run Session), or one run by another window
on the same database (`facilitator room`), read-only.
"""

from __future__ import annotations

from typing import Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from facilitator.course.room import RoomSession
from facilitator.display import literal
from facilitator.widgets.big_clock import BigClock
from facilitator.widgets.countdown import Phase, SessionProgress, countdown_text, phase_of, phase_words

# The countdown moves on by itself between looks at the database (its engine counts from the clock).
TICK_SECONDS = 0.25
# How often the database is looked at for changes (a stat of the file and its journals: cheap).
LOOK_EVERY_SECONDS = 1.0


class RoomSource(Protocol):
    """Where the room display takes its session from."""

    @property
    def session(self) -> RoomSession | None: ...

    @property
    def message(self) -> str: ...

    def poll(self) -> bool: ...


class RoomScreen(Screen[None]):
    """The room display of one session: big, plain, and nothing private."""

    TITLE = "Room display"
    BINDINGS = [Binding("q,escape", "leave", "Close the display")]

    def __init__(self, source: RoomSource, *, closes_app: bool = False) -> None:
        super().__init__()
        self.source = source
        self.closes_app = closes_app  # as `facilitator room`: closing the display closes the app
        self._ticker: Timer | None = None
        self._looker: Timer | None = None
        self._shown: tuple[str, str, str, str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="room"):
            yield Static(id="room-session", markup=False)
            yield Static(id="room-segment", markup=False)
            yield BigClock("", id="room-clock")
            yield Static(id="room-phase", markup=False)
            yield SessionProgress(id="room-progress")
        yield Footer()

    def on_mount(self) -> None:
        self.source.poll()
        self.show()
        self._ticker = self.set_interval(TICK_SECONDS, self.show)
        self._looker = self.set_interval(LOOK_EVERY_SECONDS, self.look)

    def look(self) -> None:
        """Read the source again (the database, when it changed) in a thread, then redraw."""
        self.run_worker(self._poll, thread=True, exclusive=True, group="room-look", exit_on_error=False)

    def _poll(self) -> None:
        if self.source.poll():
            self.app.call_from_thread(self.show)

    def show(self) -> None:
        """Draw the session as it is now; repaints only what changed."""
        session = self.source.session
        message = self.source.message
        segment_line = Text()
        if session is None:
            covers, digits, phase_line = "", "", message
            self.query_one(SessionProgress).display = False
            for each in Phase:
                self.remove_class(f"-{each.value}")
        else:
            engine = session.engine
            index = engine.current_index
            covers = session.covers
            segment_line = Text(f"Segment {index + 1} of {len(engine.agenda)}\n", style="dim")
            segment_line.append_text(literal(engine.agenda[index].title, "bold"))
            remaining = engine.remaining()
            phase = Phase.ENDED if session.ended else phase_of(engine)
            digits = "" if session.ended else countdown_text(remaining)
            phase_line = message or phase_words(phase, remaining, with_keys=False)
            for each in Phase:
                self.set_class(each is phase, f"-{each.value}")
            progress = self.query_one(SessionProgress)
            progress.display = True
            overruns = [engine.overrun(i) for i in range(len(engine.agenda))]
            progress.show(
                engine.session_elapsed(),
                engine.session_planned(),
                sum(overruns),
                sum(1 for seconds in overruns if seconds > 0),
                engine.progress(),
            )
        shown = (covers, segment_line.plain, digits, phase_line)
        if shown == self._shown:
            return
        self._shown = shown
        self.query_one("#room-session", Static).update(literal(covers) if covers else "")
        self.query_one("#room-segment", Static).update(segment_line)
        clock = self.query_one(BigClock)
        clock.update(digits)
        clock.display = bool(digits)
        self.query_one("#room-phase", Static).update(phase_line)

    def action_leave(self) -> None:
        """Back to Run Session (or, as `facilitator room`, close the display)."""
        if self.closes_app:
            self.app.exit()
        else:
            self.dismiss()
