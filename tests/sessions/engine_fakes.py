"""A clock that moves only when a test says so, and engines over agendas built from minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec

from sessions import Engine, EngineState, PlannedSegment

START_WALL = datetime(2025, 3, 4, 18, 0, tzinfo=UTC)


class FakeClock:
    """A monotonic clock and a UTC wall clock that advance together, and only by `advance`."""

    def __init__(self, monotonic: float = 1000.0, wall: datetime = START_WALL) -> None:
        self._monotonic = monotonic
        self._wall = wall

    def monotonic(self) -> float:
        """Seconds on this process's monotonic clock."""
        return self._monotonic

    def wall(self) -> datetime:
        """The time of day, in UTC."""
        return self._wall

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass."""
        self._monotonic += seconds
        self._wall += timedelta(seconds=seconds)

    def new_process(self, monotonic: float, *, after: float) -> FakeClock:
        """The clocks of an app started `after` seconds from now: same wall time, an unrelated monotonic."""
        return FakeClock(monotonic, self._wall + timedelta(seconds=after))


def agenda_of(*minutes: int) -> list[PlannedSegment]:
    """Segments named after their position, planned for so many minutes each."""
    return [
        PlannedSegment(title=f"Segment {number}", kind="other", planned_seconds=length * 60)
        for number, length in enumerate(minutes, start=1)
    ]


def engine_for(clock: FakeClock, *minutes: int, auto_advance: bool = False) -> Engine:
    """An engine over segments of these many minutes, timed by `clock`."""
    return Engine(
        agenda_of(*minutes), clock=clock.monotonic, wall_clock=clock.wall, auto_advance=auto_advance
    )


def started(clock: FakeClock, *minutes: int, auto_advance: bool = False) -> Engine:
    """An engine over segments of these many minutes, already started."""
    engine = engine_for(clock, *minutes, auto_advance=auto_advance)
    engine.start()
    return engine


def through_json(state: EngineState) -> EngineState:
    """`state` as the store would give it back."""
    return msgspec.json.decode(msgspec.json.encode(state), type=EngineState)
