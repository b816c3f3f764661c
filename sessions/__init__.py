"""The live-session engine: a session's agenda, timed and run from an injected clock. No Textual, no store."""

from curricula.agenda import session_agenda
from sessions.agenda import MIN_SEGMENT_SECONDS, PlannedSegment, plan_agenda
from sessions.clock import ManualClock
from sessions.engine import (
    KEPT_RUNNING_MARGIN_SECONDS,
    MIN_PLANNED_SECONDS,
    WRAP_UP_SECONDS,
    Engine,
    MonotonicClock,
    WallClock,
    could_have_kept_running,
    gap_since_save,
    utc_now,
)
from sessions.state import STATE_FORMAT, Action, EngineState, SessionStatus, Transition

__all__ = [
    "KEPT_RUNNING_MARGIN_SECONDS",
    "MIN_PLANNED_SECONDS",
    "MIN_SEGMENT_SECONDS",
    "STATE_FORMAT",
    "WRAP_UP_SECONDS",
    "Action",
    "Engine",
    "EngineState",
    "ManualClock",
    "MonotonicClock",
    "PlannedSegment",
    "SessionStatus",
    "Transition",
    "WallClock",
    "could_have_kept_running",
    "gap_since_save",
    "plan_agenda",
    "session_agenda",
    "utc_now",
]
