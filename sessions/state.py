"""The live session's whole state as one plain value, so the store can save it on every transition."""

from __future__ import annotations

import enum
from datetime import datetime

import msgspec

from sessions.agenda import PlannedSegment

# Raised when the shape of EngineState changes, so a saved state can be migrated rather than misread.
STATE_FORMAT = 1


class SessionStatus(enum.StrEnum):
    """Where a live session is: not started → running ⇄ paused → ended."""

    NOT_STARTED = "not-started"
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"


class Action(enum.StrEnum):
    """What happened at a transition, in the facilitator's terms."""

    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    NEXT = "next"
    PREVIOUS = "previous"
    SKIP = "skip"
    JUMP = "jump"
    ADD_MINUTE = "add-minute"
    AUTO_ADVANCE = "auto-advance"
    END = "end"
    RESTORED = "restored"
    RESTORED_PAUSED = "restored-paused"


class Transition(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the log: what happened, the segment current afterwards, and when.

    `monotonic` is only comparable with entries from the same run of the app (up to the next `restored`).
    Entries are in the order the engine learned of them: an auto-advance found on restoring is logged after
    the `restored` entry, dated to when the countdown reached zero.
    """

    action: Action
    index: int
    monotonic: float
    wall: datetime
    # For add-minute: the change actually made to the planned seconds (it may be clamped).
    seconds: int = 0


class EngineState(msgspec.Struct, kw_only=True):
    """Everything the engine knows; `msgspec.json` and `to_builtins`/`convert` round-trip it."""

    agenda: list[PlannedSegment]
    # The plan as adjusted with ± minute; `agenda` keeps the plan as it was made.
    planned_seconds: list[int]
    # Running time per segment, folded in at each transition (the open stretch since `running_since` is not).
    actual_seconds: list[float]
    skipped: list[bool]
    # When this value was taken: restore counts running time up to here, by the clock of the old process.
    as_of_monotonic: float
    as_of_wall: datetime
    status: SessionStatus = SessionStatus.NOT_STARTED
    current_index: int = 0
    # The session's running time, folded separately from the segments' so each checks the other.
    running_seconds: float = 0.0
    # Monotonic time the open running stretch began; None unless running.
    running_since: float | None = None
    auto_advance: bool = False
    # Whether the current segment's countdown has already reached zero during this visit.
    zero_reached: bool = False
    # Zero crossings so far, and how many the UI has rung the bell for.
    zero_crossings: int = 0
    bells_claimed: int = 0
    transitions: list[Transition] = []
    format: int = STATE_FORMAT


def copy_state(state: EngineState) -> EngineState:
    """A copy that shares nothing mutable with `state` (segments and transitions are frozen)."""
    return msgspec.structs.replace(
        state,
        agenda=list(state.agenda),
        planned_seconds=list(state.planned_seconds),
        actual_seconds=list(state.actual_seconds),
        skipped=list(state.skipped),
        transitions=list(state.transitions),
    )


def check_state(state: EngineState) -> None:
    """Raise ValueError when a saved state does not hang together, rather than misbehave later."""
    count = len(state.agenda)
    if state.format != STATE_FORMAT:
        raise ValueError(f"saved session state has format {state.format}, this app reads {STATE_FORMAT}")
    if count == 0:
        raise ValueError("saved session state has no segments")
    if not len(state.planned_seconds) == len(state.actual_seconds) == len(state.skipped) == count:
        raise ValueError("saved session state has per-segment lists of different lengths")
    if not 0 <= state.current_index < count:
        raise ValueError(f"saved session state points at segment {state.current_index} of {count}")
    if (state.status is SessionStatus.RUNNING) != (state.running_since is not None):
        raise ValueError("saved session state is running without a start time, or the reverse")
