"""A clock that moves only when a test says so, and engines over agendas built from minutes."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from sessions import Engine, EngineState, ManualClock, PlannedSegment

START_WALL = datetime(2025, 3, 4, 18, 0, tzinfo=UTC)


class FakeClock(ManualClock):
    """The tests' manual clock, starting at a fixed evening unless told otherwise."""

    def __init__(self, monotonic: float = 1000.0, wall: datetime = START_WALL) -> None:
        super().__init__(wall, monotonic)


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
