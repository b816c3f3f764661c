"""The current segment's countdown in large digits, and the whole session's progress on one line.

Both only repaint when what they show changes (about once a second), however often they are told the time.
On a tall terminal the digits grow (`fit`), so the time left can be read from the back of the room.
"""

from __future__ import annotations

import enum
import math

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Digits, Static

from facilitator.widgets.big_clock import BigClock
from sessions import Engine, SessionStatus


class Phase(enum.StrEnum):
    """What the countdown is doing; each has its own colour class and its own words."""

    NOT_STARTED = "not-started"
    RUNNING = "running"
    WRAP_UP = "wrap-up"
    OVERRUN = "overrun"
    PAUSED = "paused"
    ENDED = "ended"


# The glyph and words for each phase, so no state is told by colour alone.
PHASE_WORDS = {
    Phase.NOT_STARTED: "○ not started · space starts",
    Phase.RUNNING: "● running",
    Phase.WRAP_UP: "◔ wrap-up · last minute",
    Phase.OVERRUN: "▲ OVERRUN",
    Phase.PAUSED: "‖ paused · space resumes",
    Phase.ENDED: "■ ended",
}


def phase_of(engine: Engine) -> Phase:
    """What the countdown of `engine`'s current segment is doing."""
    status = engine.status
    if status is SessionStatus.RUNNING:
        if engine.remaining() <= 0:
            return Phase.OVERRUN
        return Phase.WRAP_UP if engine.in_wrap_up() else Phase.RUNNING
    return Phase(status.value)


def phase_words(phase: Phase, remaining: float, *, with_keys: bool = True) -> str:
    """The phase in words, with how far over when the countdown has passed zero.

    `with_keys` False leaves out the key to press: the room display takes none ("‖ paused", no "space").
    """
    if phase is Phase.OVERRUN or (phase is Phase.PAUSED and remaining <= 0):
        over = f"{PHASE_WORDS[Phase.OVERRUN]} by {clock_text(-remaining)}"
        return over + (" · paused" if phase is Phase.PAUSED else "")
    words = PHASE_WORDS[phase]
    return words if with_keys else words.split(" · space ", 1)[0]


# From this many lines up the countdown is drawn in block digits, and how tall they may be.
TALL_SCREEN_LINES = 40
BIG_COUNTDOWN_LINES = 20


def clock_text(seconds: float) -> str:
    """Whole seconds as "9:05" or "1:02:05"."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def countdown_text(remaining: float) -> str:
    """The big digits: time left rounded up (so "0:00" is the moment of zero), or "+" time over."""
    if remaining > 0:
        return clock_text(math.ceil(remaining))
    return "+" + clock_text(-remaining)


class Countdown(Widget):
    """Big digits for the current segment, with its phase in words beside them."""

    DEFAULT_CSS = """
    Countdown { layout: horizontal; height: 3; }
    Countdown > Digits { width: auto; padding: 0 2 0 1; }
    Countdown > BigClock { display: none; width: 1fr; height: 1fr; content-align: left middle; }
    Countdown.-big > Digits { display: none; }
    Countdown.-big > BigClock { display: block; }
    Countdown > #countdown-words { width: 1fr; height: 3; }
    Countdown.-big > #countdown-words { width: 30; height: 1fr; content-align: left middle; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[str, str, Phase] | None = None

    def compose(self) -> ComposeResult:
        yield Digits("0:00", id="countdown-digits")
        yield BigClock("0:00", id="countdown-big")
        yield Static("", id="countdown-words")

    def fit(self, screen_lines: int) -> None:
        """Grow with the terminal: block digits taking what a tall screen can spare, else three lines."""
        big = screen_lines >= TALL_SCREEN_LINES
        self.set_class(big, "-big", update=self.is_mounted)  # before mounting, its first styling has it
        spare = screen_lines - TALL_SCREEN_LINES + 10  # the prompts keep at least their share
        self.styles.height = min(BIG_COUNTDOWN_LINES, max(5, spare - spare % 5)) if big else 3

    def show(self, remaining: float, planned_seconds: int, phase: Phase) -> None:
        """Show `remaining` seconds of a `planned_seconds` segment; repaints only on a visible change."""
        digits = countdown_text(remaining)
        detail = f"{phase_words(phase, remaining)}\n{clock_text(planned_seconds)} planned"
        shown = (digits, detail, phase)
        if shown == self._shown:
            return
        self._shown = shown
        self.query_one(Digits).update(digits)
        self.query_one(BigClock).update(digits)
        self.query_one("#countdown-words", Static).update(Text(detail))
        for each in Phase:
            self.set_class(each is phase, f"-{each.value}")
        self.set_class(remaining <= 0 and phase is not Phase.NOT_STARTED, "-over")


class SessionProgress(Widget):
    """The whole session on one line: elapsed, left, overrun, and a bar."""

    DEFAULT_CSS = """
    SessionProgress { height: 1; }
    """
    COMPONENT_CLASSES = {"session-progress--done", "session-progress--todo", "session-progress--over"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._label = ""
        self._fraction = 0.0
        self._over = False

    def show(
        self, elapsed: float, planned_seconds: int, overrun: float, overruns: int, fraction: float
    ) -> None:
        """Update the figures; repaints only when the text or the bar's length would change."""
        left = planned_seconds - elapsed
        label = f"Session {clock_text(elapsed)} of {clock_text(planned_seconds)} · "
        label += f"{clock_text(left)} left" if left >= 0 else f"▲ {clock_text(-left)} past the end"
        if overruns:
            label += f" · ▲ {clock_text(overrun)} over in {overruns} segment{'s' if overruns > 1 else ''}"
        fraction = round(min(1.0, max(0.0, fraction)), 3)
        if (label, fraction, overruns > 0) == (self._label, self._fraction, self._over):
            return
        self._label, self._fraction, self._over = label, fraction, overruns > 0
        self.refresh()

    def render(self) -> Text:
        text = Text(self._label + "  ")
        width = max(0, self.size.width - len(text) - 6)
        done = round(width * self._fraction)
        done_style = "session-progress--over" if self._over else "session-progress--done"
        text.append("█" * done, style=self.get_component_rich_style(done_style))
        text.append("░" * (width - done), style=self.get_component_rich_style("session-progress--todo"))
        text.append(f" {round(self._fraction * 100):>3}%")
        return text
