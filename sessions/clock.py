"""A clock that moves only when told: monotonic and wall time stepping together (for the demo and tests)."""

from __future__ import annotations

from datetime import datetime, timedelta


class ManualClock:
    """A monotonic clock and a wall clock that advance together, and only by `advance`."""

    def __init__(self, wall: datetime, monotonic: float = 1000.0) -> None:
        self._wall = wall
        self._monotonic = monotonic

    def monotonic(self) -> float:
        """Seconds on this process's monotonic clock."""
        return self._monotonic

    def wall(self) -> datetime:
        """The time of day."""
        return self._wall

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass (time never runs backwards: a negative step is none)."""
        seconds = max(0.0, seconds)
        self._monotonic += seconds
        self._wall += timedelta(seconds=seconds)

    def advance_to(self, moment: datetime) -> None:
        """Let time pass until the wall clock shows `moment`."""
        self.advance((moment - self._wall).total_seconds())

    def new_process(self, monotonic: float, *, after: float) -> ManualClock:
        """The clocks of an app started `after` seconds from now: same wall time, an unrelated monotonic."""
        return ManualClock(self._wall + timedelta(seconds=after), monotonic)
