"""A session left running is resumed paused when the time since its save cannot have been session time."""

from __future__ import annotations

from sessions import (
    KEPT_RUNNING_MARGIN_SECONDS,
    Action,
    Engine,
    SessionStatus,
    could_have_kept_running,
    gap_since_save,
)
from tests.sessions.engine_fakes import FakeClock, started, through_json

HOUR = 3600.0
PLANNED = 90 * 60  # the session below: a 30 and a 60 minute segment


def test_only_a_gap_a_session_could_have_run_for_counts_when_it_kept_going() -> None:
    """Up to the planned length and the margin, the gap counts; longer, or a clock set back, it does not."""
    clock = FakeClock()
    engine = started(clock, 30, 60)
    clock.advance(600)
    state = engine.state()
    longest = PLANNED + KEPT_RUNNING_MARGIN_SECONDS
    for gap, counted in [
        (0.0, True),
        (180.0, True),
        (longest, True),
        (longest + 1, False),
        (48 * HOUR, False),
        (-1.0, False),
        (-HOUR, False),
    ]:
        later = clock.new_process(5.0, after=gap)
        assert gap_since_save(state, later.wall()) == gap
        assert could_have_kept_running(state, later.wall()) is counted
        again = Engine.restore(through_json(state), later.monotonic, later.wall, kept_running=True)
        if counted:
            assert again.status is SessionStatus.RUNNING
            assert again.session_elapsed() == 600 + gap
        else:
            assert again.status is SessionStatus.PAUSED, gap
            assert again.session_elapsed() == 600
            assert again.transitions[-1].action is Action.RESTORED_PAUSED
