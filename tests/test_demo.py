"""The demo database: four groups, the same for the same seed, and a drop-in meeting left mid-session."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import msgspec
import pytest
from textual.widgets import DataTable, Static

from curricula.format import Stage
from facilitator.app import make_app
from facilitator.course.run import MeetingRun, needs_resume_question, saved_state
from facilitator.demo import seed_demo
from facilitator.demo.dropin import NAME, tonights_start
from facilitator.screens.run.attendance import AttendanceDialog
from facilitator.screens.run.dialogs import ResumeDialog
from facilitator.screens.run.screen import RunSessionScreen
from facilitator.store import Store
from facilitator.store.records import (
    AttendanceStatus,
    Goal,
    GroupKind,
    GroupStatus,
    Meeting,
    MeetingStatus,
    RecoveryFocus,
)
from sessions import SessionStatus
from tests.app.run_fakes import fake_monotonic
from tests.app.screen_helpers import column, group_named, settle
from tests.conftest import FakeClock


def drop_in_meetings(store: Store) -> list[Meeting]:
    return store.group_meetings(group_named(store, NAME).id)


def test_four_groups_and_one_meeting_in_progress(store, clock) -> None:
    seed_demo(store, seed=7, now=clock())
    assert {g.name: g.status for g in store.groups()} == {
        "Dual Recovery Drop-in": GroupStatus.RUNNING,
        "Spring Family Class": GroupStatus.FINISHED,
        "Thursday WRAP Workshop": GroupStatus.PLANNED,
        "Tuesday Recovery Group": GroupStatus.RUNNING,
    }
    group = group_named(store, NAME)
    assert (group.kind, group.pack_id) == (GroupKind.OPEN, "dual-recovery-style")
    # Now is Tuesday 17:00 in London: the drop-in meets on Tuesdays at 16:40, and started five weeks ago.
    assert group.schedule and (group.schedule.weekdays, group.schedule.start_time) == ([1], "16:40")
    meetings = drop_in_meetings(store)
    assert [m.status for m in meetings[:7]] == [MeetingStatus.HELD] * 5 + [
        MeetingStatus.IN_PROGRESS,
        MeetingStatus.PLANNED,
    ]
    [live] = store.meetings_in_progress()
    assert live == meetings[5]
    assert live.started_at == live.scheduled_start == datetime(2026, 3, 3, 16, 40, tzinfo=UTC)
    assert needs_resume_question(live)
    state = saved_state(live)
    assert state and (state.status, state.current_index) == (SessionStatus.RUNNING, 2)
    assert state.transitions[0].wall == live.started_at and state.as_of_wall < clock()
    for held in meetings[:5]:
        assert store.meeting_marks(held.id), "every held meeting has its attendance"


def test_the_people_have_stages_and_goals_about_substance_use(store, clock) -> None:
    seed_demo(store, seed=7, now=clock())
    group = group_named(store, NAME)
    roster = store.roster(group.id)
    assert len(roster) == 8
    assert {e.stage for e, _ in roster} == set(Stage)
    for enrolment, _ in roster:
        assert enrolment.stage_history[-1].stage == enrolment.stage
        assert enrolment.stage_history[-1].on == enrolment.stage_set_on
        assert enrolment.stage_history[0].on == enrolment.joined_on
    assert len({e.joined_on for e, _ in roster}) > 1, "an open group: some joined later"
    goals = [g for g in store.all(Goal) if g.group_id == group.id]
    assert {g.serves for g in goals} == {RecoveryFocus.SUBSTANCE_USE, RecoveryFocus.BOTH}
    marks = store.meeting_marks(store.meetings_in_progress()[0].id)
    statuses = sorted(m.status for m in marks.values())
    assert statuses == [AttendanceStatus.LATE] + [AttendanceStatus.PRESENT] * 5
    [late] = [m for m in marks.values() if m.status is AttendanceStatus.LATE]
    assert late.at == datetime(2026, 3, 3, 16, 51, tzinfo=UTC)


def test_resuming_tonight_with_the_real_engine_is_twenty_minutes_in_with_time_left(store, clock) -> None:
    seed_demo(store, seed=7, now=clock())
    [live] = store.meetings_in_progress()
    run = MeetingRun.open(store, live.id, wall_clock=clock, monotonic=time.monotonic, kept_running=True)
    engine = run.engine
    assert (engine.status, engine.current_index) == (SessionStatus.RUNNING, 2)
    assert engine.session_elapsed() == pytest.approx(20 * 60, abs=1)
    assert 150 <= engine.actual_seconds() <= 210 and engine.remaining() >= 6 * 60  # time left when opened
    assert not engine.claim_bell()  # no bell left over from the segments before: the screen rang those


def records_of(store: Store) -> bytes:
    tables = (Meeting, Goal)
    return msgspec.json.encode([sorted(store.all(kind), key=lambda r: r.id) for kind in tables])


def test_the_same_seed_and_day_give_the_same_demo(tmp_path, clock) -> None:
    def seeded(name: str, seed: int) -> bytes:
        with Store.open(tmp_path / name, clock=clock, backup=False) as store:
            seed_demo(store, seed=seed, now=clock())
            return records_of(store)

    assert seeded("a.json", 7) == seeded("b.json", 7)
    assert seeded("c.json", 8) != seeded("a2.json", 7)


def test_the_drop_in_starts_twenty_minutes_back_in_local_time_rounded_down() -> None:
    # 09:07 UTC in July is 10:07 in London (summer time): the session started at 09:45 local.
    start = tonights_start(datetime(2026, 7, 14, 9, 7, tzinfo=UTC))
    assert (f"{start:%H:%M}", start.astimezone(UTC).hour) == ("09:45", 8)
    # Just after midnight the session started the evening before.
    start = tonights_start(datetime(2026, 1, 6, 0, 12, tzinfo=UTC))
    assert (start.date().isoformat(), f"{start:%H:%M}") == ("2026-01-05", "23:50")


def test_a_demo_seeded_in_summer_has_its_meeting_twenty_minutes_back(tmp_path) -> None:
    clock = FakeClock(datetime(2026, 7, 14, 9, 7, tzinfo=UTC))
    with Store.open(tmp_path / "summer.json", clock=clock, backup=False) as store:
        seed_demo(store, seed=7)
        [live] = store.meetings_in_progress()
        assert live.scheduled_start == datetime(2026, 7, 14, 8, 45, tzinfo=UTC)
        assert group_named(store, NAME).schedule.start_time == "09:45"  # type: ignore[union-attr]


def texts(screen) -> str:
    return " ".join(str(s.render()) for s in screen.query(Static))


async def test_opening_the_demo_offers_to_resume_the_drop_in_and_k_carries_on(store, clock) -> None:
    seed_demo(store, seed=7, now=clock())
    [live] = store.meetings_in_progress()
    app = make_app(store, clock=clock, monotonic=fake_monotonic(clock))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ResumeDialog)
        assert "Meeting 6 of Dual Recovery Drop-in was running" in texts(dialog)
        await pilot.press("k")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, RunSessionScreen) and screen.meeting_id == live.id
        assert screen.run is not None and screen.run.engine.current_index == 2
        assert screen.run.engine.session_elapsed() == pytest.approx(20 * 60, abs=1)
        assert str(screen.query_one("#run-segment", Static).render()).startswith(
            "Segment 3 of 10 · Home assignment review"
        )
        assert saved_state(store.get(Meeting, live.id)).transitions[-1].action == "restored"
        await pilot.press("a")
        attendance = pilot.app.screen
        assert isinstance(attendance, AttendanceDialog)
        assert str(attendance.query_one("#attendance-counts", Static).render()) == "6 here · 6 of 8 marked"
        panel = attendance.query_one("#attendance-panel", DataTable)
        assert sorted(column(panel, 1)) == ["· not marked"] * 2 + ["◷ late"] + ["✓ present"] * 5
        assert "4:51 pm" in column(panel, 2)


async def test_not_now_leaves_it_in_progress_on_home(store, clock) -> None:
    seed_demo(store, seed=7, now=clock())
    [live] = store.meetings_in_progress()
    journal = store.journal_bytes
    async with make_app(store, clock=clock).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ResumeDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "HomeScreen"
        upcoming = pilot.app.screen.query_one("#upcoming", DataTable)
        assert column(upcoming, 0)[0] == "Tue 3 Mar, 4:40 pm"
        assert column(upcoming, 1)[0] == "▶ in progress"
        assert column(upcoming, 2)[0] == NAME
    assert store.get(Meeting, live.id) == live and store.journal_bytes == journal  # nothing written
