"""The live-session engine: transitions, timing, overrun, wrap-up, the bell and auto-advance."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sessions import Action, SessionStatus
from tests.sessions.engine_fakes import START_WALL, FakeClock, engine_for, started


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# --- Transitions -------------------------------------------------------------------------------------------


def test_a_new_session_has_not_started(clock: FakeClock) -> None:
    engine = engine_for(clock, 10, 20)
    clock.advance(300)
    assert engine.status is SessionStatus.NOT_STARTED
    assert engine.current_index == 0
    assert engine.remaining() == 600
    assert engine.session_elapsed() == 0
    assert engine.progress() == 0
    assert engine.transitions == ()


def test_an_engine_needs_a_segment(clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="at least one segment"):
        engine_for(clock)


def test_start_runs_the_clock_for_the_current_segment(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    clock.advance(90)
    assert engine.status is SessionStatus.RUNNING
    assert engine.actual_seconds() == 90
    assert engine.remaining() == 510
    assert engine.session_elapsed() == 90
    assert not engine.start()


def test_pause_and_resume_leave_the_paused_time_out(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    clock.advance(100)
    assert engine.pause()
    assert engine.status is SessionStatus.PAUSED
    clock.advance(1000)
    assert engine.actual_seconds() == 100
    assert not engine.pause()
    assert engine.resume()
    assert not engine.resume()
    clock.advance(50)
    assert engine.actual_seconds() == 150
    assert engine.session_elapsed() == 150
    assert engine.remaining() == 450


def test_operations_out_of_turn_change_nothing(clock: FakeClock) -> None:
    engine = engine_for(clock, 10)
    assert not engine.pause()
    assert not engine.resume()
    assert not engine.end()
    assert engine.status is SessionStatus.NOT_STARTED
    assert engine.transitions == ()


def test_toggle_starts_pauses_and_resumes(clock: FakeClock) -> None:
    engine = engine_for(clock, 10)
    statuses = []
    for _ in range(3):
        assert engine.toggle()
        statuses.append(engine.status)
    assert statuses == [SessionStatus.RUNNING, SessionStatus.PAUSED, SessionStatus.RUNNING]
    assert [t.action for t in engine.transitions] == [Action.START, Action.PAUSE, Action.RESUME]
    engine.end()
    assert not engine.toggle()


def test_next_moves_on_and_keeps_the_time_spent(clock: FakeClock) -> None:
    engine = started(clock, 10, 20, 5)
    clock.advance(200)
    assert engine.next()
    clock.advance(30)
    assert engine.current_index == 1
    assert engine.actual_seconds(0) == 200
    assert engine.actual_seconds(1) == 30
    assert engine.status is SessionStatus.RUNNING


def test_next_while_paused_stays_paused(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    engine.pause()
    assert engine.next()
    clock.advance(60)
    assert engine.status is SessionStatus.PAUSED
    assert engine.actual_seconds(1) == 0


def test_next_on_the_last_segment_ends_the_session(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    engine.next()
    clock.advance(60)
    assert engine.next()
    assert engine.status is SessionStatus.ENDED
    assert engine.current_index == 1
    assert engine.transitions[-1].action is Action.END
    assert not engine.next()


def test_before_the_start_next_and_previous_choose_where_to_begin(clock: FakeClock) -> None:
    engine = engine_for(clock, 10, 20)
    assert engine.next()
    assert not engine.next()  # nothing to end before the start
    assert engine.status is SessionStatus.NOT_STARTED
    engine.start()
    clock.advance(10)
    assert engine.current_index == 1
    assert engine.actual_seconds(1) == 10
    assert engine.actual_seconds(0) == 0


def test_previous_goes_back_and_adds_to_the_time_already_there(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    clock.advance(100)
    engine.next()
    clock.advance(40)
    assert engine.previous()
    clock.advance(25)
    assert engine.current_index == 0
    assert engine.actual_seconds(0) == 125
    assert engine.actual_seconds(1) == 40
    assert engine.remaining(0) == 475
    assert not engine.previous()


def test_skip_marks_the_segment_and_moves_on(clock: FakeClock) -> None:
    engine = started(clock, 10, 20, 5)
    clock.advance(20)
    assert engine.skip()
    assert engine.skipped(0)
    assert not engine.skipped(1)
    assert engine.current_index == 1
    assert engine.actual_seconds(0) == 20
    assert [t.action for t in engine.transitions] == [Action.START, Action.SKIP]


def test_going_back_to_a_skipped_segment_unskips_it(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    engine.skip()
    engine.jump(0)
    assert not engine.skipped(0)


def test_skipping_the_last_segment_ends_the_session(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    engine.next()
    assert engine.skip()
    assert engine.skipped(1)
    assert engine.status is SessionStatus.ENDED
    assert [t.action for t in engine.transitions][-2:] == [Action.SKIP, Action.END]
    assert not engine.skip()


def test_skip_before_the_start_passes_over_the_segment(clock: FakeClock) -> None:
    engine = engine_for(clock, 10, 20)
    assert engine.skip()
    assert engine.skipped(0)
    assert not engine.skip()  # the last one cannot end a session that never began
    assert engine.status is SessionStatus.NOT_STARTED


def test_jump_goes_to_any_segment(clock: FakeClock) -> None:
    engine = started(clock, 10, 20, 5)
    clock.advance(30)
    assert engine.jump(2)
    clock.advance(15)
    assert engine.current_index == 2
    assert (engine.actual_seconds(0), engine.actual_seconds(1), engine.actual_seconds(2)) == (30, 0, 15)
    assert not engine.jump(2)
    with pytest.raises(IndexError):
        engine.jump(3)
    with pytest.raises(IndexError):
        engine.jump(-1)


def test_end_early_freezes_the_times(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    clock.advance(100)
    engine.pause()
    clock.advance(5)
    assert engine.end()
    clock.advance(1000)
    assert engine.status is SessionStatus.ENDED
    assert engine.actual_seconds(0) == 100
    assert engine.session_elapsed() == 100
    assert engine.progress() == 1.0
    ops = [
        engine.start,
        engine.pause,
        engine.resume,
        engine.toggle,
        engine.next,
        engine.previous,
        engine.skip,
    ]
    assert not any(op() for op in ops)
    assert not engine.jump(1)
    assert not engine.add_minute(1)
    assert not engine.end()


def test_every_transition_is_logged_with_both_clocks(clock: FakeClock) -> None:
    engine = engine_for(clock, 10, 20)
    engine.start()
    clock.advance(60)
    engine.add_minute(1)
    clock.advance(60)
    engine.next()
    clock.advance(5)
    engine.end()
    log = engine.transitions
    assert [(t.action, t.index, t.seconds) for t in log] == [
        (Action.START, 0, 0),
        (Action.ADD_MINUTE, 0, 60),
        (Action.NEXT, 1, 0),
        (Action.END, 1, 0),
    ]
    assert [t.monotonic - 1000 for t in log] == [0, 60, 120, 125]
    assert [t.wall - START_WALL for t in log] == [timedelta(seconds=s) for s in (0, 60, 120, 125)]


# --- ± minute ----------------------------------------------------------------------------------------------


def test_plus_and_minus_a_minute_change_the_current_segments_plan(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    clock.advance(100)
    assert engine.add_minute(1)
    assert engine.planned_seconds() == 660
    assert engine.remaining() == 560
    assert engine.add_minute(-1)
    assert engine.add_minute(-1)
    assert engine.planned_seconds() == 540
    assert engine.planned_seconds(1) == 1200
    assert engine.agenda[0].planned_seconds == 600  # the plan as made stays
    assert engine.session_planned() == 1740
    assert engine.add_minute(3)
    assert engine.planned_seconds() == 720


def test_minus_a_minute_stops_at_one_minute(clock: FakeClock) -> None:
    engine = started(clock, 2)
    assert engine.add_minute(-1)
    assert engine.planned_seconds() == 60
    assert not engine.add_minute(-1)
    assert engine.planned_seconds() == 60


def test_minus_a_minute_stops_at_the_time_already_spent(clock: FakeClock) -> None:
    engine = started(clock, 10)
    clock.advance(570.5)
    assert engine.add_minute(-1)
    assert engine.planned_seconds() == 571
    assert engine.remaining() == 0.5
    assert not engine.add_minute(-1)


def test_minus_a_minute_never_lengthens_an_overrunning_segment(clock: FakeClock) -> None:
    engine = started(clock, 10)
    clock.advance(700)
    assert not engine.add_minute(-1)
    assert engine.planned_seconds() == 600


def test_minutes_can_be_changed_before_the_start_but_not_by_zero(clock: FakeClock) -> None:
    engine = engine_for(clock, 10)
    assert engine.add_minute(-1)
    assert engine.planned_seconds() == 540
    assert not engine.add_minute(0)


# --- Overrun, progress, wrap-up ----------------------------------------------------------------------------


def test_overrun_per_segment_and_in_total(clock: FakeClock) -> None:
    engine = started(clock, 10, 20, 5)
    clock.advance(660)
    engine.next()
    clock.advance(1000)
    engine.next()
    clock.advance(420)
    assert engine.remaining() == -120
    assert [engine.overrun(i) for i in range(3)] == [60, 0, 120]
    assert engine.total_overrun() == 180
    assert engine.session_elapsed() == 2080
    assert engine.session_remaining() == 2100 - 2080
    clock.advance(100)
    assert engine.session_remaining() == -80
    assert engine.progress() == 1.0


def test_progress_follows_running_time(clock: FakeClock) -> None:
    engine = started(clock, 10, 30)
    clock.advance(600)
    assert engine.progress() == 0.25
    engine.pause()
    clock.advance(600)
    assert engine.progress() == 0.25


def test_wrap_up_is_the_last_minute_of_the_segment(clock: FakeClock) -> None:
    engine = started(clock, 10)
    clock.advance(539)
    assert not engine.in_wrap_up()
    clock.advance(1)
    assert engine.in_wrap_up()
    engine.pause()
    assert engine.in_wrap_up()
    engine.resume()
    clock.advance(59.5)
    assert engine.in_wrap_up()
    clock.advance(0.5)
    assert not engine.in_wrap_up()
    assert engine.at_zero()


def test_wrap_up_and_zero_only_while_under_way(clock: FakeClock) -> None:
    engine = engine_for(clock, 1)
    assert not engine.in_wrap_up()
    assert not engine.at_zero()
    engine.start()
    clock.advance(61)
    engine.end()
    assert not engine.at_zero()


# --- The bell at zero --------------------------------------------------------------------------------------


def test_the_bell_rings_once_when_the_countdown_reaches_zero(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    clock.advance(599)
    assert not engine.claim_bell()
    clock.advance(1)
    assert engine.at_zero()
    assert engine.claim_bell()
    assert not engine.claim_bell()
    clock.advance(300)
    assert not engine.claim_bell()


def test_the_bell_rings_even_when_nobody_looked_at_the_moment(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    clock.advance(5000)
    assert engine.claim_bell()
    assert not engine.claim_bell()


def test_a_minute_more_after_zero_rings_again_at_the_new_zero(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    clock.advance(610)
    assert engine.claim_bell()
    engine.add_minute(1)
    clock.advance(49)
    assert not engine.claim_bell()
    clock.advance(1)
    assert engine.claim_bell()


def test_each_segment_rings_its_own_bell(clock: FakeClock) -> None:
    engine = started(clock, 1, 1)
    clock.advance(60)
    assert engine.claim_bell()
    engine.next()
    clock.advance(60)
    assert engine.claim_bell()


def test_going_back_to_a_segment_already_over_does_not_ring(clock: FakeClock) -> None:
    engine = started(clock, 1, 10)
    clock.advance(70)
    assert engine.claim_bell()
    engine.next()
    engine.previous()
    clock.advance(10)
    assert not engine.claim_bell()


def test_minus_a_minute_down_to_zero_rings(clock: FakeClock) -> None:
    engine = started(clock, 10)
    clock.advance(570)
    engine.pause()
    assert engine.add_minute(-1)
    assert engine.remaining() == 0
    assert engine.claim_bell()


def test_no_bell_before_the_start(clock: FakeClock) -> None:
    engine = engine_for(clock, 1)
    clock.advance(600)
    assert not engine.claim_bell()


# --- Auto-advance ------------------------------------------------------------------------------------------


def test_without_auto_advance_the_segment_runs_over(clock: FakeClock) -> None:
    engine = started(clock, 10, 20)
    clock.advance(700)
    assert engine.current_index == 0
    assert engine.overrun() == 100


def test_auto_advance_moves_on_at_the_moment_of_zero(clock: FakeClock) -> None:
    engine = started(clock, 10, 20, auto_advance=True)
    clock.advance(630)
    assert engine.current_index == 1
    assert engine.actual_seconds(0) == 600
    assert engine.actual_seconds(1) == 30
    assert engine.overrun(0) == 0
    move = engine.transitions[-1]
    assert (move.action, move.index, move.monotonic) == (Action.AUTO_ADVANCE, 1, 1600)
    assert move.wall == START_WALL + timedelta(seconds=600)
    assert engine.claim_bell()


def test_auto_advance_after_a_pause_counts_only_running_time(clock: FakeClock) -> None:
    engine = started(clock, 10, 20, auto_advance=True)
    clock.advance(300)
    engine.pause()
    clock.advance(5000)
    assert engine.current_index == 0
    engine.resume()
    clock.advance(310)
    assert engine.current_index == 1
    assert engine.actual_seconds(1) == 10
    assert engine.transitions[-1].monotonic == 1000 + 300 + 5000 + 300


def test_auto_advance_crosses_several_segments_in_one_look(clock: FakeClock) -> None:
    engine = started(clock, 1, 2, 3, auto_advance=True)
    clock.advance(60 + 120 + 30)
    assert engine.current_index == 2
    assert [engine.actual_seconds(i) for i in range(3)] == [60, 120, 30]
    assert [t.monotonic - 1000 for t in engine.transitions if t.action is Action.AUTO_ADVANCE] == [60, 180]
    assert engine.claim_bell()
    assert not engine.claim_bell()


def test_auto_advance_never_ends_the_session(clock: FakeClock) -> None:
    engine = started(clock, 1, 1, auto_advance=True)
    clock.advance(500)
    assert engine.status is SessionStatus.RUNNING
    assert engine.current_index == 1
    assert engine.overrun(1) == 380


def test_auto_advance_does_not_bounce_off_a_segment_already_over(clock: FakeClock) -> None:
    engine = started(clock, 1, 10, auto_advance=True)
    clock.advance(90)
    assert engine.current_index == 1
    engine.previous()
    clock.advance(30)
    assert engine.current_index == 0
    assert engine.actual_seconds(0) == 90


def test_auto_advance_can_be_switched_on_during_the_session(clock: FakeClock) -> None:
    engine = started(clock, 10, 10)
    clock.advance(300)
    engine.auto_advance = True
    clock.advance(400)
    assert engine.auto_advance
    assert engine.current_index == 1
    assert engine.actual_seconds(1) == 100
