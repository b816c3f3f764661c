"""The live-session state machine: not started → running ⇄ paused → ended, timed by an injected clock.

Time is never counted in ticks. Each transition folds the running stretch since the previous one into the
current segment, and every query adds the open stretch `clock() - running_since`; so the countdown is right
however often (or seldom) the screen asks.

What the UI does with it:

- Make one with `Engine(plan_agenda(...), clock=..., wall_clock=...)`; call operations from key bindings.
  Every operation returns True when it changed something; then save `engine.state()` (encoded with
  `msgspec.json` or `msgspec.to_builtins`) at once. While running, also save every few seconds: should the
  app be killed and the facilitator say the session did *not* keep going, it resumes paused at the last save.
- Redraw from the queries on a timer; call `claim_bell()` on each redraw and ring when it returns True.
  Save after that too, and after setting `auto_advance`: both live in the state but are not transitions.
- On reopening a meeting whose saved state has `status == "running"`, ask the facilitator whether the session
  kept going while the app was closed, and pass the answer to `Engine.restore(..., kept_running=...)`.
  For any other status the answer changes nothing. Ask only when `could_have_kept_running(...)`: a gap longer
  than a session runs, or a clock set back, is no session time, and the session resumes paused whatever the
  answer.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from sessions.agenda import PlannedSegment
from sessions.state import Action, EngineState, SessionStatus, Transition, check_state, copy_state

# The last minute of a segment is its wrap-up, shown in its own colour.
WRAP_UP_SECONDS = 60
# "−1 minute" never plans a segment shorter than this.
MIN_PLANNED_SECONDS = 60
# A session left running may have kept going for its whole planned length and this much more; a longer gap
# (the laptop slept for two days) or a negative one (the clock was set back) is no session time.
KEPT_RUNNING_MARGIN_SECONDS = 60 * 60

MonotonicClock = Callable[[], float]
WallClock = Callable[[], datetime]

_LIVE = (SessionStatus.RUNNING, SessionStatus.PAUSED)


def utc_now() -> datetime:
    """Now, in UTC: the default wall clock."""
    return datetime.now(UTC)


def gap_since_save(state: EngineState, wall_now: datetime) -> float:
    """Seconds by the wall clock since `state` was saved; negative when the clock was set back since."""
    return (wall_now - state.as_of_wall).total_seconds()


def could_have_kept_running(state: EngineState, wall_now: datetime) -> bool:
    """Whether the time since `state` was saved could have been session time (see the margin above)."""
    gap = gap_since_save(state, wall_now)
    return 0 <= gap <= sum(state.planned_seconds) + KEPT_RUNNING_MARGIN_SECONDS


class Engine:
    """A live session: its agenda, where it is, and how long each segment has run.

    With `auto_advance` set, a segment whose countdown runs out while running is left for the next one; the
    move is dated to the moment the countdown reached zero (worked out from the clock, not from when the
    engine was asked), so the time after it counts for the next segment. It happens once per visit: going
    back to a segment already at zero does not throw the facilitator forward again, and the last segment is
    never ended by the clock — only `next`, `skip` or `end` end a session.
    """

    def __init__(
        self,
        agenda: Sequence[PlannedSegment],
        *,
        clock: MonotonicClock = time.monotonic,
        wall_clock: WallClock = utc_now,
        auto_advance: bool = False,
    ) -> None:
        if not agenda:
            raise ValueError("a session needs at least one segment to run")
        count = len(agenda)
        state = EngineState(
            agenda=list(agenda),
            planned_seconds=[segment.planned_seconds for segment in agenda],
            actual_seconds=[0.0] * count,
            skipped=[False] * count,
            auto_advance=auto_advance,
            as_of_monotonic=clock(),
            as_of_wall=wall_clock(),
        )
        self._attach(state, clock, wall_clock)

    def _attach(self, state: EngineState, clock: MonotonicClock, wall_clock: WallClock) -> None:
        """Take `state` as this engine's own, read with these clocks."""
        self._state = state
        self._clock = clock
        self._wall_clock = wall_clock

    @classmethod
    def restore(
        cls,
        state: EngineState,
        clock: MonotonicClock = time.monotonic,
        wall_clock: WallClock = utc_now,
        *,
        kept_running: bool,
    ) -> Engine:
        """Rebuild an engine from a saved state, in a new process whose monotonic clock starts afresh.

        A session saved while running has its time counted up to the save by the old clock. After that,
        `kept_running=True` counts the wall-clock time since the save as running in the current segment;
        `kept_running=False` resumes it paused as it was at the save, as does a gap that cannot have been
        session time (see `could_have_kept_running`), whatever `kept_running` says.
        """
        check_state(state)
        engine = cls.__new__(cls)
        engine._attach(copy_state(state), clock, wall_clock)
        saved = engine._state
        now, wall = clock(), wall_clock()
        action = Action.RESTORED
        if saved.status is SessionStatus.RUNNING:
            # Both readings come from the old process's clock, so this difference is still meaningful.
            engine._fold(saved.as_of_monotonic)
            if kept_running and could_have_kept_running(saved, wall):
                gap = gap_since_save(saved, wall)
                # Backdating the open stretch lets auto-advance and the bell see the gap like any other time.
                saved.running_since = now - gap
            else:
                saved.running_since = None
                saved.status = SessionStatus.PAUSED
                action = Action.RESTORED_PAUSED
        engine._log(action, now, wall)
        engine._settle(now)
        return engine

    def state(self) -> EngineState:
        """The whole state as a plain value, stamped with now; save it after every transition."""
        now = self._now()
        self._state.as_of_monotonic = now
        self._state.as_of_wall = self._wall_clock()
        return copy_state(self._state)

    # --- Operations -------------------------------------------------------------------------------------

    def start(self) -> bool:
        """Start the session at the current segment."""
        now = self._now()
        state = self._state
        if state.status is not SessionStatus.NOT_STARTED:
            return False
        state.status = SessionStatus.RUNNING
        state.running_since = now
        self._enter(state.current_index)
        self._log(Action.START, now)
        return True

    def pause(self) -> bool:
        """Stop the clock; time paused counts for no segment."""
        now = self._now()
        state = self._state
        if state.status is not SessionStatus.RUNNING:
            return False
        self._fold(now)
        state.running_since = None
        state.status = SessionStatus.PAUSED
        self._log(Action.PAUSE, now)
        return True

    def resume(self) -> bool:
        """Start the clock again after a pause."""
        now = self._now()
        state = self._state
        if state.status is not SessionStatus.PAUSED:
            return False
        state.status = SessionStatus.RUNNING
        state.running_since = now
        self._log(Action.RESUME, now)
        return True

    def toggle(self) -> bool:
        """Start, pause or resume, whichever fits: the space key."""
        status = self.status
        if status is SessionStatus.NOT_STARTED:
            return self.start()
        if status is SessionStatus.RUNNING:
            return self.pause()
        return self.resume()

    def next(self) -> bool:
        """Move to the next segment; on the last one, end the session."""
        now = self._now()
        state = self._state
        if state.status is SessionStatus.ENDED:
            return False
        if state.current_index == self._last:
            # Before the start there is nothing to end; once under way, "next" after the closing means done.
            return state.status is not SessionStatus.NOT_STARTED and self._end(now)
        return self._go(now, state.current_index + 1, Action.NEXT)

    def previous(self) -> bool:
        """Go back one segment; its clock carries on from the time it already had."""
        now = self._now()
        state = self._state
        if state.status is SessionStatus.ENDED or state.current_index == 0:
            return False
        return self._go(now, state.current_index - 1, Action.PREVIOUS)

    def skip(self) -> bool:
        """Mark the current segment skipped and move on; skipping the last one ends the session."""
        now = self._now()
        state = self._state
        last = state.current_index == self._last
        if state.status is SessionStatus.ENDED or (last and state.status is SessionStatus.NOT_STARTED):
            return False
        self._fold(now)
        state.skipped[state.current_index] = True
        if last:
            self._log(Action.SKIP, now)
            return self._end(now)
        return self._go(now, state.current_index + 1, Action.SKIP)

    def jump(self, index: int) -> bool:
        """Make segment `index` the current one."""
        index = self._checked(index)
        now = self._now()
        state = self._state
        if state.status is SessionStatus.ENDED or index == state.current_index:
            return False
        return self._go(now, index, Action.JUMP)

    def add_minute(self, minutes: int = 1) -> bool:
        """Plan the current segment `minutes` longer (negative: shorter).

        Shortening stops at 60 s and at the time already spent (so it brings the countdown to zero, never
        past it), and never lengthens a segment that is already shorter than that.
        """
        now = self._now()
        state = self._state
        if state.status is SessionStatus.ENDED or minutes == 0:
            return False
        index = state.current_index
        planned = state.planned_seconds[index]
        wanted = planned + 60 * minutes
        if minutes < 0:
            spent = math.ceil(self._actual_at(index, now))
            wanted = min(planned, max(wanted, MIN_PLANNED_SECONDS, spent))
        if wanted == planned:
            return False
        state.planned_seconds[index] = wanted
        if self._remaining_at(index, now) > 0:
            # A fresh stretch of countdown: reaching zero again rings again.
            state.zero_reached = False
        self._log(Action.ADD_MINUTE, now, seconds=wanted - planned)
        self._settle(now)
        return True

    def end(self) -> bool:
        """End the session now, early or late (a session never started is not ended: nothing was held)."""
        now = self._now()
        if self._state.status in _LIVE:
            return self._end(now)
        return False

    @property
    def auto_advance(self) -> bool:
        """Whether the engine moves on by itself when a segment's countdown runs out."""
        return self._state.auto_advance

    @auto_advance.setter
    def auto_advance(self, value: bool) -> None:
        # Settle first, so time already run is judged by the rule that applied while it ran.
        self._now()
        self._state.auto_advance = value

    def claim_bell(self) -> bool:
        """True once for each time a countdown reached zero since the last claim: ring the bell then."""
        self._now()
        state = self._state
        if state.zero_crossings <= state.bells_claimed:
            return False
        state.bells_claimed = state.zero_crossings
        return True

    # --- Queries ----------------------------------------------------------------------------------------

    @property
    def status(self) -> SessionStatus:
        """Not started, running, paused or ended."""
        self._now()
        return self._state.status

    @property
    def current_index(self) -> int:
        """The segment on screen."""
        self._now()
        return self._state.current_index

    @property
    def agenda(self) -> tuple[PlannedSegment, ...]:
        """The segments as planned when the engine was made (see `planned_seconds` for ± minute)."""
        return tuple(self._state.agenda)

    @property
    def transitions(self) -> tuple[Transition, ...]:
        """Every transition so far, oldest first."""
        self._now()
        return tuple(self._state.transitions)

    def planned_seconds(self, index: int | None = None) -> int:
        """A segment's planned length, with ± minute applied."""
        self._now()
        return self._state.planned_seconds[self._checked(index)]

    def actual_seconds(self, index: int | None = None) -> float:
        """Time a segment has run, over all its visits, pauses excluded."""
        now = self._now()
        return self._actual_at(self._checked(index), now)

    def remaining(self, index: int | None = None) -> float:
        """Planned minus actual seconds; negative when the segment runs over."""
        now = self._now()
        return self._remaining_at(self._checked(index), now)

    def overrun(self, index: int | None = None) -> float:
        """Seconds a segment has run past its plan (0 when within it)."""
        return max(0.0, -self.remaining(index))

    def skipped(self, index: int | None = None) -> bool:
        """Whether the facilitator skipped the segment (and has not gone back to it)."""
        self._now()
        return self._state.skipped[self._checked(index)]

    def session_elapsed(self) -> float:
        """The session's running time so far, pauses excluded."""
        now = self._now()
        state = self._state
        return state.running_seconds + self._open_stretch(now)

    def session_planned(self) -> int:
        """The planned length of the whole session, with ± minute applied."""
        return sum(self._state.planned_seconds)

    def session_remaining(self) -> float:
        """Seconds to the planned end of the session; negative once past it."""
        return self.session_planned() - self.session_elapsed()

    def total_overrun(self) -> float:
        """Seconds run past plan, summed over the segments that overran."""
        return sum(self.overrun(index) for index in range(len(self._state.agenda)))

    def progress(self) -> float:
        """How far through its planned time the session is, from 0 to 1 (1 once ended)."""
        if self.status is SessionStatus.ENDED:
            return 1.0
        planned = self.session_planned()
        return min(1.0, self.session_elapsed() / planned) if planned else 0.0

    def in_wrap_up(self) -> bool:
        """Whether the current segment is in its last minute (and not yet at zero)."""
        return self.status in _LIVE and 0 < self.remaining() <= WRAP_UP_SECONDS

    def at_zero(self) -> bool:
        """Whether the current segment's countdown has run out (it is at zero or overrunning)."""
        return self.status in _LIVE and self.remaining() <= 0

    # --- Inside -----------------------------------------------------------------------------------------

    @property
    def _last(self) -> int:
        """The index of the closing segment."""
        return len(self._state.agenda) - 1

    def _checked(self, index: int | None) -> int:
        """`index`, or the current segment's when None; an IndexError when there is no such segment."""
        if index is None:
            return self._state.current_index
        if not 0 <= index < len(self._state.agenda):
            raise IndexError(f"no segment {index}: the agenda has {len(self._state.agenda)}")
        return index

    def _now(self) -> float:
        """Read the clock and bring the state up to that moment."""
        now = self._clock()
        self._settle(now)
        return now

    def _open_stretch(self, now: float) -> float:
        """Running time not yet folded into the state."""
        since = self._state.running_since
        return 0.0 if since is None else max(0.0, now - since)

    def _actual_at(self, index: int, now: float) -> float:
        """Time segment `index` has run by `now`."""
        state = self._state
        open_stretch = self._open_stretch(now) if index == state.current_index else 0.0
        return state.actual_seconds[index] + open_stretch

    def _remaining_at(self, index: int, now: float) -> float:
        """Segment `index`'s countdown at `now`."""
        return self._state.planned_seconds[index] - self._actual_at(index, now)

    def _fold(self, now: float) -> None:
        """Add the open running stretch to the current segment and the session, and start a new one."""
        state = self._state
        if state.running_since is None:
            return
        stretch = self._open_stretch(now)
        state.actual_seconds[state.current_index] += stretch
        state.running_seconds += stretch
        state.running_since = now

    def _enter(self, index: int) -> None:
        """Make `index` current (the caller has folded the time before)."""
        state = self._state
        state.current_index = index
        if state.status in _LIVE:
            state.skipped[index] = False
        # Arriving at a segment already run out is no new crossing: no bell, no auto-advance.
        state.zero_reached = state.planned_seconds[index] - state.actual_seconds[index] <= 0

    def _go(self, now: float, index: int, action: Action) -> bool:
        """Leave the current segment for `index` at `now`, and log why."""
        self._fold(now)
        self._enter(index)
        self._log(action, now)
        return True

    def _end(self, now: float) -> bool:
        """Stop the clock for good."""
        state = self._state
        self._fold(now)
        state.running_since = None
        state.status = SessionStatus.ENDED
        self._log(Action.END, now)
        return True

    def _log(self, action: Action, now: float, wall: datetime | None = None, *, seconds: int = 0) -> None:
        """Append a transition; `wall` defaults to the wall clock now."""
        state = self._state
        transition = Transition(
            action=action,
            index=state.current_index,
            monotonic=now,
            wall=self._wall_clock() if wall is None else wall,
            seconds=seconds,
        )
        state.transitions.append(transition)

    def _note_zero(self, now: float) -> bool:
        """Count the current countdown reaching zero, once per visit; True when it just did."""
        state = self._state
        if state.status not in _LIVE or state.zero_reached:
            return False
        if self._remaining_at(state.current_index, now) > 0:
            return False
        state.zero_reached = True
        state.zero_crossings += 1
        return True

    def _settle(self, now: float) -> None:
        """Note zero crossings up to `now` and, with auto-advance, move on at the moment each happened."""
        state = self._state
        while (
            self._note_zero(now)
            and state.auto_advance
            and state.status is SessionStatus.RUNNING
            and state.current_index < self._last
        ):
            since = state.running_since if state.running_since is not None else now
            reached_zero = max(since, now + self._remaining_at(state.current_index, now))
            wall = self._wall_clock() - timedelta(seconds=now - reached_zero)
            self._fold(reached_zero)
            self._enter(state.current_index + 1)
            self._log(Action.AUTO_ADVANCE, reached_zero, wall)
