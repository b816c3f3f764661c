"""Opening the app: a backup or disk error while the rest loads, warnings from opening, and the resume
question after the computer's clock jumped."""

from __future__ import annotations

import errno
import os

import pytest
from textual.widgets import Static

import facilitator.store.store as store_module
from facilitator.app import make_app
from facilitator.course.run import saved_state
from facilitator.demo import seed_demo
from facilitator.screens.run.dialogs import ResumeDialog, elapsed_at_save
from facilitator.screens.run.screen import RunSessionScreen
from facilitator.store import Store
from sessions import SessionStatus
from tests.app.fault_helpers import notified, still_running
from tests.app.run_fakes import fake_monotonic
from tests.app.screen_helpers import settle, shown
from tests.fault_figures import count

SIZE = (120, 40)


def no_room(*args: object, **kwargs: object) -> None:
    count("injected faults")
    raise OSError(errno.ENOSPC, "No space left on device")


def reopened_lazily(store: Store, db_path, clock) -> Store:
    """The demo, closed, then opened as the `facilitator` command opens it (the big tables left for later)."""
    seed_demo(store, seed=7, now=clock())
    store.close()
    return Store.open(db_path, clock=clock, lazy=True)


async def test_a_backup_that_fails_while_loading_is_told_and_the_app_carries_on(
    store, clock, db_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("facilitator.store.store.make_backup", no_room)
    lazy = reopened_lazily(store, db_path, clock)
    try:
        async with make_app(lazy, clock=clock).run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert still_running(pilot.app) and pilot.app.rest_loaded
            [line] = notified(pilot.app, "backup")
            assert "could not be taken" in line and "no space left on device" in line.casefold()
            title = shown(pilot, "#follow-ups-title")
            assert title.startswith("Follow-ups (") and "checking" not in title
    finally:
        lazy.close()


async def test_a_disk_error_while_loading_does_not_leave_home_checking(
    store, clock, db_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lazy = reopened_lazily(store, db_path, clock)
    monkeypatch.setattr(Store, "load_rest", lambda self: no_room())
    try:
        async with make_app(lazy, clock=clock).run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert still_running(pilot.app)
            [line] = notified(pilot.app, "backup could not be taken")
            assert "no space left on device" in line.casefold()
            assert "checking" not in shown(pilot, "#follow-ups-title")
    finally:
        lazy.close()


async def test_warnings_from_opening_are_shown_in_the_app(store, clock, db_path) -> None:
    seed_demo(store, seed=7, now=clock())
    store.close()
    os.chmod(db_path, 0o644)
    lazy = Store.open(db_path, clock=clock, lazy=True)
    try:
        assert lazy.warnings
        async with make_app(lazy, clock=clock).run_test(size=SIZE) as pilot:
            await settle(pilot)
            lazy.warnings.append("a warning found while the rest loaded")
            pilot.app.show_warnings()
            await pilot.pause()
            shown_lines = [n.message for n in pilot.app._notifications if n.title == "Note"]
            assert any("could be read by other users" in line for line in shown_lines)
            assert shown_lines[-1] == "A warning found while the rest loaded."
            assert len(shown_lines) == len(lazy.warnings)  # each once
    finally:
        lazy.close()


@pytest.mark.parametrize(
    ("jump", "words"),
    [
        ({"hours": 48}, "longer than the session could have run"),
        ({"hours": -1}, "clock now reads earlier"),
    ],
)
async def test_after_a_clock_jump_the_resume_question_counts_no_time(store, clock, jump, words) -> None:
    seed_demo(store, seed=7, now=clock())  # the drop-in is running tonight, saved as of now
    [meeting] = store.meetings_in_progress()
    state = saved_state(meeting)
    assert state is not None and state.status is SessionStatus.RUNNING
    clock.advance(**jump)
    async with make_app(store, clock=clock, monotonic=fake_monotonic(clock)).run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ResumeDialog)
        text = " ".join(str(part.render()) for part in dialog.query(Static))
        assert words in text and "kept going" not in text
        await pilot.press("k")  # not offered: the gap is no session time
        assert pilot.app.screen is dialog
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, RunSessionScreen)
        engine = screen.run.engine
        assert engine.status is SessionStatus.PAUSED
        assert engine.session_elapsed() == pytest.approx(elapsed_at_save(state))
        assert saved_state(store.get(type(meeting), meeting.id)).status is SessionStatus.PAUSED


async def test_a_fold_that_fails_in_the_worker_is_told_once_and_retried(
    store, clock, db_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from facilitator.store.records import Participant

    lazy = reopened_lazily(store, db_path, clock)
    try:
        async with make_app(lazy, clock=clock).run_test(size=SIZE) as pilot:
            await settle(pilot)
            lazy.add(Participant(display_name="Folded later"))
            with monkeypatch.context() as full_disk:
                full_disk.setattr(store_module, "atomic_write", no_room)
                full_disk.setattr(store_module, "FOLD_JOURNAL_BYTES", 0)  # a fold is due now
                for _ in range(2):  # two rounds of the fold timer on a full disk
                    pilot.app.fold_if_due()
                    await settle(pilot)
            [line] = notified(pilot.app, "not fold the journal")
            assert "every change is safe in the journal" in line
            assert still_running(pilot.app) and lazy.fold_error
            pilot.app.fold_if_due()  # the timer retries a failed fold, however small the journal
            await settle(pilot)
            assert lazy.fold_error is None
            assert notified(pilot.app, "folded into the file again")
        assert b"Folded later" in db_path.read_bytes()
    finally:
        lazy.close()
