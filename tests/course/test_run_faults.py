"""MeetingRun on a full disk: what the store refuses is kept in the run and saved at the next try."""

from __future__ import annotations

import pytest

from facilitator.course.run import RETRY_EVERY_SECONDS, MeetingRun, saved_state
from facilitator.screens.run.dialogs import elapsed_at_save
from facilitator.store import Store, StoreError
from facilitator.store.records import AttendanceStatus, Meeting, MeetingStatus
from sessions import SessionStatus
from tests.app.fault_helpers import FullDisk
from tests.app.run_fakes import demo_tonight, fake_monotonic


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> FullDisk:
    return FullDisk(monkeypatch)


def open_run(store: Store, clock, meeting_id: str) -> MeetingRun:
    return MeetingRun.open(store, meeting_id, wall_clock=clock, monotonic=fake_monotonic(clock))


def test_a_refused_mark_waits_in_the_run_and_the_heartbeat_saves_it(store, clock, full_disk) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    late = run.roster()[0][1]
    full_disk.fill()
    with pytest.raises(StoreError):
        run.mark(late.id, AttendanceStatus.LATE)
    marked_at = clock()
    assert store.meeting_marks(meeting.id) == {}
    assert run.unsaved and run.pending_marks == {late.id: (AttendanceStatus.LATE, marked_at)}
    assert "no space left on device" in run.problem.casefold()
    assert run.statuses() == {late.id: AttendanceStatus.LATE}  # the room's view counts it already
    clock.advance(seconds=1)
    full_disk.clear()
    run.heartbeat()  # too soon after the refusal to try again
    assert store.meeting_marks(meeting.id) == {}
    clock.advance(seconds=RETRY_EVERY_SECONDS)
    run.heartbeat()
    mark = store.meeting_marks(meeting.id)[late.id]
    assert (mark.status, mark.at) == (AttendanceStatus.LATE, marked_at)  # late as of the key, not the save
    assert not run.unsaved and run.problem == ""


def test_everyone_present_on_a_full_disk_is_one_write_when_there_is_room(store, clock, full_disk) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    full_disk.fill()
    with pytest.raises(StoreError):
        run.mark_everyone_present()
    assert full_disk.refused == 1 and store.meeting_marks(meeting.id) == {}
    full_disk.clear()
    assert run.mark_everyone_present() == 0  # everyone has a mark already, waiting: now saved
    marks = store.meeting_marks(meeting.id)
    assert len(marks) == len(run.roster()) and not run.unsaved


def test_a_refused_start_is_saved_later_as_of_when_it_started(store, clock, full_disk) -> None:
    meeting = demo_tonight(store, clock)
    run = open_run(store, clock, meeting.id)
    full_disk.fill()
    started = clock()
    with pytest.raises(StoreError):
        run.toggle()
    assert run.engine.status is SessionStatus.RUNNING and run.unsaved
    assert store.get(Meeting, meeting.id).status is MeetingStatus.PLANNED
    clock.advance(seconds=RETRY_EVERY_SECONDS)
    run.heartbeat()  # still no room: kept, no exception
    assert run.unsaved
    full_disk.clear()
    clock.advance(seconds=30)
    run.heartbeat()
    saved = store.get(Meeting, meeting.id)
    assert (saved.status, saved.started_at) == (MeetingStatus.IN_PROGRESS, started)
    assert elapsed_at_save(saved_state(saved)) == pytest.approx(35)  # the time it has run, to the save
    assert not run.unsaved
