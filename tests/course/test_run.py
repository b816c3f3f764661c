"""MeetingRun keeps the engine and the store in step: what is saved, when, and what a meeting ends with."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest

from curricula.format import Stage
from facilitator.course.plan import plan_meeting
from facilitator.course.run import SAVE_EVERY_SECONDS, MeetingRun, MeetingRunError, saved_state
from facilitator.demo import seed_demo
from facilitator.store import Store
from facilitator.store.records import (
    AttendanceStatus,
    Enrollment,
    Goal,
    GoalStatus,
    Group,
    GroupStatus,
    HomeAssignment,
    Meeting,
    MeetingStatus,
    Participant,
    Review,
    Settings,
)
from sessions import SessionStatus
from tests.app.run_fakes import WRAP_GROUP, demo_tonight, fake_monotonic, next_meeting, staged_group


def open_run(store: Store, clock, meeting_id: str, **kwargs) -> MeetingRun:
    return MeetingRun.open(store, meeting_id, wall_clock=clock, monotonic=fake_monotonic(clock), **kwargs)


def test_the_plan_follows_the_meeting_agenda_with_pack_prompts_scaled_to_its_minutes(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    agenda = run.engine.agenda
    assert [s.title for s in agenda] == [item.title for item in meeting.agenda]
    assert sum(s.planned_seconds for s in agenda) == meeting.minutes * 60
    assert agenda[0].prompts.startswith("- Greet people by name")
    assert run.engine.status is SessionStatus.NOT_STARTED
    # Opening is not starting: nothing is written until the session starts.
    assert store.get(Meeting, meeting.id).status is MeetingStatus.PLANNED


def test_a_meeting_without_its_own_agenda_runs_the_pack_session_and_one_without_a_pack_runs_one_segment(
    store, clock
) -> None:
    meeting, _ = staged_group(store, [])
    segments = plan_meeting(store.get(Meeting, meeting.id), None)
    assert [(s.title, s.planned_seconds) for s in segments] == [("Welcome: one group for both", 90 * 60)]
    run = open_run(store, clock, meeting.id)
    assert len(run.engine.agenda) > 3
    assert run.engine.agenda[0].stage_prompts  # the pack's per-stage prompts came through
    assert sum(s.planned_seconds for s in run.engine.agenda) == 90 * 60


def test_starting_marks_the_meeting_in_progress_and_saves_the_engine(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    assert run.toggle()
    saved = store.get(Meeting, meeting.id)
    assert saved.status is MeetingStatus.IN_PROGRESS
    assert saved.started_at == clock()
    assert saved_state(saved).status is SessionStatus.RUNNING


def test_ticks_save_only_every_few_seconds_and_on_the_bell(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    run.toggle()
    written = store.journal_bytes
    clock.advance(seconds=SAVE_EVERY_SECONDS - 1)
    assert run.heartbeat() is False
    assert store.journal_bytes == written  # a tick does not touch the store
    clock.advance(seconds=1)
    run.heartbeat()
    assert store.journal_bytes > written
    assert saved_state(store.get(Meeting, meeting.id)).as_of_wall == clock()
    first = run.engine.planned_seconds(0)
    clock.advance(seconds=first - SAVE_EVERY_SECONDS + 1)
    assert run.heartbeat() is True  # the countdown reached zero: ring once
    assert saved_state(store.get(Meeting, meeting.id)).bells_claimed == 1
    assert run.heartbeat() is False


def test_auto_advance_moves_on_at_zero_and_saves(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    store.update(store.meta, settings=Settings(auto_advance=True))
    run = open_run(store, clock, meeting.id)
    run.toggle()
    clock.advance(seconds=run.engine.planned_seconds(0) + 30)
    assert run.heartbeat() is True
    state = saved_state(store.get(Meeting, meeting.id))
    assert state.current_index == 1
    assert state.actual_seconds[0] == run.engine.planned_seconds(0)


def test_resuming_counts_the_time_since_the_save_only_when_the_session_kept_going(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    run.toggle()
    clock.advance(minutes=2)
    run.save()
    clock.advance(minutes=3)  # the app is gone for three minutes
    kept = MeetingRun.open(store, meeting.id, wall_clock=clock, monotonic=lambda: 7.0, kept_running=True)
    assert kept.engine.actual_seconds(0) == pytest.approx(300)
    assert kept.engine.status is SessionStatus.RUNNING
    paused = MeetingRun.open(store, meeting.id, wall_clock=clock, monotonic=lambda: 9.0, kept_running=False)
    assert paused.engine.actual_seconds(0) == pytest.approx(300)  # the first resume saved its own state
    assert paused.engine.status is SessionStatus.PAUSED


def test_ending_records_the_agenda_as_run_and_a_summary(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    roster = run.roster()
    run.mark_everyone_present()
    late = roster[0][1]
    run.mark(late.id, AttendanceStatus.LATE)
    run.mark(roster[1][1].id, AttendanceStatus.ABSENT)
    run.toggle()
    clock.advance(minutes=7)
    run.next()
    run.skip()
    clock.advance(minutes=1)
    goal = next(goals[0] for _, goals in run.active_goals() if goals)
    run.check_in(goal.id, 4, "Walked twice")
    due = run.assignments_due()
    run.review_assignment(due[0].id, Review.PARTLY)
    run.give_assignment("Try one new conversation opener")
    run.set_notes("A calm evening")
    assert run.end()
    held = store.get(Meeting, meeting.id)
    assert held.status is MeetingStatus.HELD
    assert held.ended_at == clock()
    assert [item.actual_seconds for item in held.agenda[:3]] == [420, 0, 60]
    assert held.agenda[1].skipped
    summary = held.summary
    assert summary["attendance"]["late"] == [late.display_name]
    assert summary["attendance_counts"]["present"] == len(roster) - 2
    assert summary["attendance_counts"]["absent"] == 1
    assert summary["segments"][0] == {
        "title": held.agenda[0].title,
        "kind": held.agenda[0].kind,
        "planned_seconds": held.agenda[0].planned_seconds,
        "actual_seconds": 420,
        "skipped": False,
    }
    assert summary["overrun_segments"] == 1
    assert summary["check_ins"] == [
        {
            "participant": next(p.display_name for _, p in roster if p.id == goal.participant_id),
            "goal": goal.title,
            "rating": 4,
            "note": "Walked twice",
        }
    ]
    assert summary["assignments_given"] == [{"text": "Try one new conversation opener", "to": "the group"}]
    assert summary["assignments_reviewed"][0]["review"] == "partly"
    assert summary["notes"] == "A calm evening"
    msgspec.json.encode(summary)  # plain JSON, as the file keeps it
    with pytest.raises(MeetingRunError):
        open_run(store, clock, meeting.id)


def test_late_and_left_early_keep_their_time_and_everyone_present_leaves_exceptions(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    first, second = (person for _, person in run.roster()[:2])
    run.mark(first.id, AttendanceStatus.EXCUSED)
    clock.advance(minutes=12)
    run.mark(second.id, AttendanceStatus.LATE)
    assert run.mark_everyone_present() == len(run.roster()) - 2
    marks = store.meeting_marks(meeting.id)
    assert marks[first.id].status is AttendanceStatus.EXCUSED
    assert (marks[second.id].status, marks[second.id].at) == (AttendanceStatus.LATE, clock())
    assert run.mark_everyone_present() == 0


def test_holding_the_first_meeting_of_a_planned_group_sets_it_running(store, clock) -> None:
    seed_demo(store, seed=7, now=clock())
    group = next(g for g in store.groups() if g.status is GroupStatus.PLANNED)
    meeting = next_meeting(store, group.name)
    run = open_run(store, clock, meeting.id)
    run.toggle()
    clock.advance(minutes=5)
    assert run.end()
    assert store.get(Meeting, meeting.id).status is MeetingStatus.HELD
    assert store.get(Group, group.id).status is GroupStatus.RUNNING


def test_a_late_arrival_keeps_the_time_it_is_corrected_to_within_the_meeting(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    run.toggle()  # the meeting starts now
    first, second = (person for _, person in run.roster()[:2])
    clock.advance(minutes=20)
    run.mark(first.id, AttendanceStatus.LATE)  # marked once the facilitator got to it
    arrived = clock() - timedelta(minutes=12)
    run.set_time(first.id, arrived)
    mark = store.meeting_marks(meeting.id)[first.id]
    assert (mark.status, mark.at) == (AttendanceStatus.LATE, arrived)
    with pytest.raises(ValueError, match="before the meeting started"):
        run.set_time(first.id, clock() - timedelta(hours=1))
    with pytest.raises(ValueError, match="after the meeting is now"):
        run.set_time(first.id, clock() + timedelta(minutes=5))
    with pytest.raises(ValueError, match="mark them l or e first"):
        run.set_time(second.id, arrived)  # not marked late or leaving early
    assert store.meeting_marks(meeting.id)[first.id].at == arrived and second.id not in store.meeting_marks(
        meeting.id
    )


def test_a_newcomer_is_enrolled_in_an_open_group_in_one_write(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    before = store.journal_bytes
    person = run.enrol_newcomer("  Rui P.  ")
    assert person.display_name == "Rui P."
    (enrolment,) = store.enrollments_of(person.id)
    assert enrolment.group_id == meeting.group_id
    assert enrolment.joined_on == clock().date()
    assert store.meeting_marks(meeting.id)[person.id].status is AttendanceStatus.PRESENT
    assert store.get(Participant, person.id) == person
    journal = store.path.with_name(store.path.name + ".journal").read_bytes()
    assert journal[before:].count(b"\n") == 1  # one durable write for all three records
    people = store.count(Participant)
    for bad in ("", "rui p.", "x" * 81):
        with pytest.raises(MeetingRunError):
            run.enrol_newcomer(bad)
    assert store.count(Participant) == people


def test_a_closed_group_takes_no_newcomers(store, clock) -> None:
    seed_meeting = demo_tonight(store, clock)
    wrap = next_meeting(store, WRAP_GROUP)
    run = open_run(store, clock, wrap.id)
    assert not run.newcomer_allowed()
    with pytest.raises(MeetingRunError, match="open group"):
        run.enrol_newcomer("Someone New")
    assert seed_meeting.id != wrap.id


def test_check_ins_and_assignments(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    person, goals = next((p, g) for p, g in run.active_goals() if g)
    assert all(goal.status is GoalStatus.ACTIVE for goal in goals)
    with pytest.raises(MeetingRunError):
        run.check_in(goals[0].id, 6)
    updated = run.check_in(goals[0].id, 3, " Slow week ")
    assert store.get(Goal, goals[0].id).check_ins[-1] == updated.check_ins[-1]
    check = updated.check_ins[-1]
    assert (check.rating, check.note, check.meeting_id, check.at) == (3, "Slow week", meeting.id, clock())
    assert run.suggested_assignments()
    given = run.give_assignment("Ask one person a question", person.id)
    assert store.get(HomeAssignment, given.id).due_meeting_id == run.next_meeting().id
    assert run.next_meeting().number == meeting.number + 1
    with pytest.raises(MeetingRunError):
        run.give_assignment("   ")
    assert run.assignments_given() == [given]


def test_the_stages_in_the_room_come_from_the_marks_once_people_are_marked(store, clock) -> None:
    meeting, people = staged_group(store, [Stage.ENGAGEMENT, Stage.ENGAGEMENT, Stage.PERSUASION, None])
    run = open_run(store, clock, meeting.id)
    assert run.stages_in_room() == {Stage.ENGAGEMENT: 2, Stage.PERSUASION: 1}
    run.mark(people[2].id, AttendanceStatus.PRESENT)
    run.mark(people[0].id, AttendanceStatus.ABSENT)
    assert run.stages_in_room() == {Stage.PERSUASION: 1}
    assert store.get(Group, meeting.group_id).kind.value == "open"
    assert all(isinstance(e, Enrollment) for e, _ in run.roster())
