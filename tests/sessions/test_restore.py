"""Saving the engine's state and rebuilding it after the app was killed."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest

from sessions import Action, Engine, EngineState, SessionStatus
from tests.sessions.engine_fakes import FakeClock, started, through_json


def restored(state: EngineState, clock: FakeClock, *, kept_running: bool) -> Engine:
    """The engine the app rebuilds from a saved `state`, with the clocks of its new process."""
    return Engine.restore(through_json(state), clock.monotonic, clock.wall, kept_running=kept_running)


def killed_while_running() -> tuple[EngineState, FakeClock]:
    """A session 5 minutes into its second segment, saved, then run 2 minutes more before the app died.

    The new process starts 3 minutes after that, with a monotonic clock near zero.
    """
    clock = FakeClock()
    engine = started(clock, 10, 20)
    clock.advance(400)
    engine.next()
    clock.advance(300)
    state = engine.state()
    clock.advance(120)
    return state, clock.new_process(7.0, after=180)


def test_kept_running_counts_the_time_since_the_last_save() -> None:
    state, clock = killed_while_running()
    engine = restored(state, clock, kept_running=True)
    assert engine.status is SessionStatus.RUNNING
    assert engine.current_index == 1
    assert engine.actual_seconds(0) == 400
    assert engine.actual_seconds(1) == 300 + 120 + 180
    clock.advance(60)
    assert engine.actual_seconds(1) == 660
    assert engine.session_elapsed() == 1060
    assert engine.transitions[-1].action is Action.RESTORED
    assert engine.transitions[-1].monotonic == 7.0


def test_not_kept_running_resumes_paused_at_the_last_save() -> None:
    state, clock = killed_while_running()
    engine = restored(state, clock, kept_running=False)
    assert engine.status is SessionStatus.PAUSED
    assert engine.actual_seconds(1) == 300
    clock.advance(60)
    assert engine.actual_seconds(1) == 300
    assert engine.transitions[-1].action is Action.RESTORED_PAUSED
    engine.resume()
    clock.advance(60)
    assert engine.actual_seconds(1) == 360
    assert engine.session_elapsed() == 760


def test_a_restored_session_carries_on_as_normal() -> None:
    state, clock = killed_while_running()
    engine = restored(state, clock, kept_running=True)
    engine.previous()
    clock.advance(30)
    assert engine.actual_seconds(0) == 430
    engine.end()
    assert engine.status is SessionStatus.ENDED


def test_a_paused_session_comes_back_paused_whatever_the_answer() -> None:
    clock = FakeClock()
    engine = started(clock, 10)
    clock.advance(100)
    engine.pause()
    state = engine.state()
    later = clock.new_process(0.0, after=3600)
    for kept_running in (True, False):
        again = restored(state, later, kept_running=kept_running)
        assert again.status is SessionStatus.PAUSED
        assert again.actual_seconds() == 100
        assert again.transitions[-1].action is Action.RESTORED


def test_an_ended_session_stays_ended() -> None:
    clock = FakeClock()
    engine = started(clock, 10)
    clock.advance(100)
    engine.end()
    again = restored(engine.state(), clock.new_process(0.0, after=600), kept_running=True)
    assert again.status is SessionStatus.ENDED
    assert again.session_elapsed() == 100


def test_a_wall_clock_set_back_counts_no_negative_time() -> None:
    state, clock = killed_while_running()
    engine = restored(state, clock.new_process(0.0, after=-10_000), kept_running=True)
    assert engine.actual_seconds(1) == 300


def test_auto_advance_catches_up_with_the_time_the_app_was_closed() -> None:
    clock = FakeClock()
    engine = started(clock, 10, 20, auto_advance=True)
    clock.advance(500)
    state = engine.state()
    later = clock.new_process(50.0, after=200)
    again = restored(state, later, kept_running=True)
    assert again.current_index == 1
    assert again.actual_seconds(0) == 600
    assert again.actual_seconds(1) == 100
    move = again.transitions[-1]
    assert move.action is Action.AUTO_ADVANCE
    assert move.wall == state.as_of_wall + timedelta(seconds=100)


def test_a_bell_already_rung_does_not_ring_again_after_a_restore() -> None:
    clock = FakeClock()
    engine = started(clock, 1, 20)
    clock.advance(90)
    assert engine.claim_bell()
    again = restored(engine.state(), clock.new_process(0.0, after=5), kept_running=True)
    assert not again.claim_bell()


def test_a_bell_due_while_the_app_was_closed_rings_after_the_restore() -> None:
    clock = FakeClock()
    engine = started(clock, 1, 20)
    clock.advance(30)
    again = restored(engine.state(), clock.new_process(0.0, after=60), kept_running=True)
    assert again.claim_bell()


def test_the_state_is_a_plain_value() -> None:
    clock = FakeClock()
    engine = started(clock, 10, 20, auto_advance=True)
    clock.advance(30)
    engine.add_minute(1)
    engine.skip()
    state = engine.state()
    builtins = msgspec.to_builtins(state)
    assert isinstance(builtins, dict)
    assert msgspec.convert(builtins, EngineState) == state
    assert through_json(state) == state
    assert builtins["status"] == "running"
    assert builtins["transitions"][0]["action"] == "start"


def test_the_state_is_a_copy() -> None:
    clock = FakeClock()
    engine = started(clock, 10, 20)
    state = engine.state()
    state.actual_seconds[0] = 999.0
    state.transitions.clear()
    clock.advance(5)
    assert engine.actual_seconds(0) == 5
    assert len(engine.transitions) == 1


def test_restore_leaves_the_saved_state_alone() -> None:
    state, clock = killed_while_running()
    before = msgspec.json.encode(state)
    Engine.restore(state, clock.monotonic, clock.wall, kept_running=True).next()
    assert msgspec.json.encode(state) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"current_index": 5}, "points at segment 5"),
        ({"skipped": [False]}, "different lengths"),
        ({"running_since": None}, "running without a start time"),
        ({"format": 99}, "format 99"),
        ({"agenda": [], "planned_seconds": [], "actual_seconds": [], "skipped": []}, "no segments"),
    ],
)
def test_restore_refuses_a_state_that_does_not_hang_together(change: dict[str, object], message: str) -> None:
    state, clock = killed_while_running()
    broken = msgspec.structs.replace(state, **change)
    with pytest.raises(ValueError, match=message):
        Engine.restore(broken, clock.monotonic, clock.wall, kept_running=True)
