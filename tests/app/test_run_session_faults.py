"""A full disk during a live session: nothing done in the room is dropped or shown as saved before it is.

A mark or a clock change the store refuses stays in the run, the screen says "not saved yet — will retry",
and the next key or a tick a few seconds on saves it once there is room.
"""

from __future__ import annotations

import pytest
from textual.widgets import Static, TextArea

from facilitator.course.run import RETRY_EVERY_SECONDS, saved_state
from facilitator.screens.run.attendance import AttendanceDialog
from facilitator.screens.run.dialogs import NoteDialog
from facilitator.screens.run.screen import RunSessionScreen
from facilitator.screens.run.summary import SummaryScreen
from facilitator.store.records import AttendanceStatus, Meeting, MeetingStatus
from facilitator.widgets.attendance_panel import AttendancePanel
from sessions import SessionStatus
from tests.app.fault_helpers import FullDisk, notified, still_running
from tests.app.run_fakes import demo_tonight, run_app
from tests.app.screen_helpers import settle

SIZE = (100, 32)
NO_SPACE = "no space left on device"


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> FullDisk:
    return FullDisk(monkeypatch)


async def open_screen(pilot, meeting_id: str) -> RunSessionScreen:
    await pilot.app.push_screen(RunSessionScreen(meeting_id))
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RunSessionScreen)
    return screen


def unsaved_line(screen: RunSessionScreen) -> str:
    """The "not saved yet" line, or "" while it is hidden."""
    line = screen.query_one("#run-unsaved", Static)
    return str(line.render()) if line.display else ""


def mark_cell(panel: AttendancePanel, participant_id: str) -> str:
    return str(panel.get_row_at(panel.get_row_index(participant_id))[1])


async def test_a_mark_the_disk_refuses_is_shown_as_not_saved_and_saved_on_a_retry(
    store, clock, full_disk
) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("a")
        dialog = pilot.app.screen
        assert isinstance(dialog, AttendanceDialog)
        panel = dialog.query_one(AttendancePanel)
        first = panel.highlighted_participant
        full_disk.fill()
        await pilot.press("p")
        second = panel.highlighted_participant  # the cursor moved on, as after any mark
        assert first not in store.meeting_marks(meeting.id)
        assert mark_cell(panel, first) == "✓ present · not saved yet"
        problem = dialog.query_one("#attendance-problem", Static)
        assert problem.display and "1 mark is not saved yet — will retry" in str(problem.render())
        assert NO_SPACE in str(problem.render()).casefold() and still_running(pilot.app)
        clock.advance(seconds=RETRY_EVERY_SECONDS)
        dialog._retry()  # what the dialog's timer does: still no room, still waiting
        assert store.meeting_marks(meeting.id) == {}
        full_disk.clear()
        await pilot.press("l")  # the next mark takes the waiting one with it, in one write
        marks = store.meeting_marks(meeting.id)
        assert marks[first].status is AttendanceStatus.PRESENT
        assert marks[second].status is AttendanceStatus.LATE
        assert mark_cell(panel, first) == "✓ present" and not problem.display

        full_disk.fill()
        await pilot.press("x")
        third = next(p for p in dialog.run.pending_marks)
        full_disk.clear()
        clock.advance(seconds=RETRY_EVERY_SECONDS)
        dialog._retry()  # no key pressed: the timer saves it
        assert store.meeting_marks(meeting.id)[third].status is AttendanceStatus.EXCUSED
        assert mark_cell(panel, third) == "○ excused" and not problem.display


async def test_a_start_the_disk_refuses_keeps_the_clock_going_and_is_saved_on_a_retry(
    store, clock, full_disk
) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        full_disk.fill()
        started = clock()
        await pilot.press("space")
        assert store.get(Meeting, meeting.id).status is MeetingStatus.PLANNED
        assert screen.run.engine.status is SessionStatus.RUNNING  # the room's clock does not wait
        assert unsaved_line(screen).startswith("⚠ Not saved yet — will retry every few seconds")
        assert NO_SPACE in unsaved_line(screen).casefold()
        assert len(notified(pilot.app, "Not saved yet")) == 1 and still_running(pilot.app)
        clock.advance(seconds=1)
        screen.tick()
        await pilot.pause()
        assert len(notified(pilot.app, "Not saved yet")) == 1  # said once, not on every tick
        full_disk.clear()
        clock.advance(seconds=RETRY_EVERY_SECONDS)
        screen.tick()
        await pilot.pause()
        saved = store.get(Meeting, meeting.id)
        assert saved.status is MeetingStatus.IN_PROGRESS and saved.started_at == started
        assert saved_state(saved).status is SessionStatus.RUNNING
        assert unsaved_line(screen) == "" and notified(pilot.app, "Saved")


async def test_an_end_the_disk_refuses_waits_on_the_screen_then_shows_the_summary(
    store, clock, full_disk
) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        await pilot.press("space")
        clock.advance(minutes=3)
        full_disk.fill()
        ended = clock()
        await pilot.press("e", "y")
        await pilot.pause()
        assert pilot.app.screen is screen and screen.run.ended
        assert store.get(Meeting, meeting.id).status is MeetingStatus.IN_PROGRESS
        assert unsaved_line(screen).startswith("⚠ The session has ended but is not saved yet")
        full_disk.clear()
        clock.advance(seconds=RETRY_EVERY_SECONDS)
        screen.tick()
        await pilot.pause()
        assert isinstance(pilot.app.screen, SummaryScreen)
        held = store.get(Meeting, meeting.id)
        assert held.status is MeetingStatus.HELD and held.ended_at == ended  # when it ended, not when saved
        assert meeting.id not in pilot.app.live_runs


async def test_leaving_a_session_not_saved_yet_the_app_keeps_trying_and_warns_before_quitting(
    store, clock, full_disk
) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)  # past the demo's own question about its drop-in
        await open_screen(pilot, meeting.id)
        full_disk.fill()
        await pilot.press("space", "q")  # back to Home, the start not saved
        assert type(pilot.app.screen).__name__ == "HomeScreen"
        assert notified(pilot.app, "not saved yet")
        await pilot.press("q")
        assert still_running(pilot.app) and notified(pilot.app, "Press q again to quit without them")
        full_disk.clear()
        clock.advance(seconds=RETRY_EVERY_SECONDS)
        pilot.app.retry_live_runs()  # the app's timer
        await pilot.pause()
        assert notified(pilot.app, "Saved")
        assert store.get(Meeting, meeting.id).status is MeetingStatus.IN_PROGRESS
        assert not pilot.app.live_runs[meeting.id].unsaved


async def test_a_note_the_disk_refuses_stays_in_its_dialog_as_typed(store, clock, full_disk) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("o", *"Quiet start")
        full_disk.fill()
        await pilot.press("ctrl+s")
        dialog = pilot.app.screen
        assert isinstance(dialog, NoteDialog)
        assert NO_SPACE in str(dialog.query_one("#not-saved", Static).render()).casefold()
        assert dialog.query_one(TextArea).text == "Quiet start"
        assert store.get(Meeting, meeting.id).notes == "" and still_running(pilot.app)
        full_disk.clear()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, RunSessionScreen)
        assert store.get(Meeting, meeting.id).notes == "Quiet start"
