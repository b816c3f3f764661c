"""Random facilitators: any keys, clock jumps, saves and crashes leave the engine's books straight."""

from __future__ import annotations

from datetime import timedelta

import msgspec
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from sessions import MIN_PLANNED_SECONDS, Engine, EngineState, SessionStatus
from tests.sessions.engine_fakes import FakeClock, agenda_of, through_json

# Quarter seconds add up exactly in binary floating point, so the books must balance to the last bit.
seconds = st.integers(min_value=0, max_value=4 * 1500).map(lambda quarters: quarters / 4)
KEYS = ["start", "pause", "resume", "toggle", "next", "previous", "skip", "end", "claim_bell"]


def answers(engine: Engine) -> dict[str, object]:
    """Everything the Run Session screen asks, at this moment."""
    count = len(engine.agenda)
    return {
        "status": engine.status,
        "current_index": engine.current_index,
        "planned": [engine.planned_seconds(i) for i in range(count)],
        "actual": [engine.actual_seconds(i) for i in range(count)],
        "remaining": [engine.remaining(i) for i in range(count)],
        "overrun": [engine.overrun(i) for i in range(count)],
        "skipped": [engine.skipped(i) for i in range(count)],
        "session_elapsed": engine.session_elapsed(),
        "session_remaining": engine.session_remaining(),
        "total_overrun": engine.total_overrun(),
        "progress": engine.progress(),
        "in_wrap_up": engine.in_wrap_up(),
        "at_zero": engine.at_zero(),
        "auto_advance": engine.auto_advance,
    }


class LiveSessionMachine(RuleBasedStateMachine):
    """Drives one engine and keeps, by the test's own reckoning, how long the session has been running."""

    @initialize(
        minutes=st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=5), auto=st.booleans()
    )
    def open_session(self, minutes: list[int], auto: bool) -> None:
        self.clock = FakeClock()
        self.engine = Engine(agenda_of(*minutes), clock=self.clock.monotonic, wall_clock=self.clock.wall)
        self.engine.auto_advance = auto
        self.running_time = 0.0
        self.saved: tuple[EngineState, float] | None = None

    @rule(passed=seconds)
    def time_passes(self, passed: float) -> None:
        if self.engine.status is SessionStatus.RUNNING:
            self.running_time += passed
        self.clock.advance(passed)

    @rule(key=st.sampled_from(KEYS))
    def press(self, key: str) -> None:
        getattr(self.engine, key)()

    @rule(data=st.data())
    def jump(self, data: st.DataObject) -> None:
        self.engine.jump(data.draw(st.integers(min_value=0, max_value=len(self.engine.agenda) - 1)))

    @rule(minutes=st.integers(min_value=-3, max_value=3))
    def add_minutes(self, minutes: int) -> None:
        self.engine.add_minute(minutes)

    @rule(auto=st.booleans())
    def set_auto_advance(self, auto: bool) -> None:
        self.engine.auto_advance = auto

    @rule()
    def save(self) -> None:
        self.saved = (self.engine.state(), self.running_time)

    @precondition(lambda self: self.saved is not None)
    @rule(kept_running=st.booleans(), closed_for=seconds, new_monotonic=seconds)
    def crash_and_reopen(self, kept_running: bool, closed_for: float, new_monotonic: float) -> None:
        assert self.saved is not None
        state, running_time = self.saved
        self.clock = self.clock.new_process(new_monotonic - 500, after=closed_for)
        # Whatever happened after the save is lost; a running session gains the wall time since the save if
        # the facilitator says it kept going.
        if state.status is SessionStatus.RUNNING and kept_running:
            running_time += (self.clock.wall() - state.as_of_wall) / timedelta(seconds=1)
        self.running_time = running_time
        self.engine = Engine.restore(
            through_json(state), self.clock.monotonic, self.clock.wall, kept_running=kept_running
        )
        expected = (
            SessionStatus.PAUSED if state.status is SessionStatus.RUNNING and not kept_running else None
        )
        assert self.engine.status is (expected or state.status)

    @rule()
    def swap_for_its_saved_twin(self) -> None:
        """Carry on with an engine rebuilt from this one's JSON, as if the app restarted in no time at all."""
        before = answers(self.engine)
        twin = Engine.restore(
            through_json(self.engine.state()), self.clock.monotonic, self.clock.wall, kept_running=True
        )
        assert answers(twin) == before
        self.engine = twin

    @invariant()
    def segments_add_up_to_the_session(self) -> None:
        engine = self.engine
        actual = [engine.actual_seconds(i) for i in range(len(engine.agenda))]
        assert sum(actual) == engine.session_elapsed() == self.running_time

    @invariant()
    def nothing_is_negative(self) -> None:
        engine = self.engine
        for i, segment in enumerate(engine.agenda):
            assert engine.actual_seconds(i) >= 0
            assert engine.overrun(i) >= 0
            assert engine.planned_seconds(i) >= min(segment.planned_seconds, MIN_PLANNED_SECONDS)
        assert engine.session_elapsed() >= 0
        assert engine.total_overrun() >= 0
        assert 0 <= engine.progress() <= 1
        assert 0 <= engine.current_index < len(engine.agenda)

    @invariant()
    def the_state_round_trips_through_json(self) -> None:
        state = self.engine.state()
        assert through_json(state) == state
        assert msgspec.convert(msgspec.to_builtins(state), EngineState) == state

    @invariant()
    def wrap_up_and_zero_agree_with_the_countdown(self) -> None:
        engine = self.engine
        if engine.status in (SessionStatus.RUNNING, SessionStatus.PAUSED):
            remaining = engine.remaining()
            assert engine.at_zero() == (remaining <= 0)
            assert engine.in_wrap_up() == (0 < remaining <= 60)


LiveSessionMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
TestLiveSession = LiveSessionMachine.TestCase
