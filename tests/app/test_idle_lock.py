"""The idle lock: after the setting's minutes without a key every name is hidden, until a key is pressed (or,
on an encrypted database, its passphrase typed); a session's countdown keeps going behind it."""

from __future__ import annotations

from pathlib import Path

import msgspec

from facilitator.course.run import saved_state
from facilitator.messages import StartMeeting
from facilitator.screens.home import HomeScreen
from facilitator.screens.lock import LockScreen
from facilitator.screens.run.screen import RunSessionScreen
from facilitator.store import Store
from facilitator.store.records import Meeting, Participant
from facilitator.store.sealed import SealingKey
from facilitator.store.storage import SealedStorage
from sessions import SessionStatus
from tests.app.run_fakes import demo_tonight, run_app, screen_text
from tests.app.screen_helpers import settle, type_text
from tests.store.workload import CHEAP

SIZE = (110, 36)
PASSPHRASE = "biscuits in the blue tin"


def lock_after(store: Store, minutes: int | None) -> None:
    settings = msgspec.structs.replace(store.meta.settings, idle_lock_minutes=minutes)
    store.update(store.meta, settings=settings)


def names_shown(app, store: Store) -> list[str]:
    text = screen_text(app)
    return [p.display_name for p in store.all(Participant) if p.display_name in text]


async def test_names_are_hidden_after_the_minutes_set_and_a_key_brings_them_back(store, clock) -> None:
    demo_tonight(store, clock)
    lock_after(store, 10)
    app = run_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert names_shown(app, store), "Home should name someone to hide"
        clock.advance(minutes=9, seconds=59)
        app.lock_if_idle()
        assert not app.locked
        await pilot.press("2", "1")  # a key: the minutes start again
        clock.advance(minutes=9)
        app.lock_if_idle()
        assert not app.locked
        clock.advance(minutes=1)
        app.lock_if_idle()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert names_shown(app, store) == []
        assert "Facilitator is locked" in screen_text(app)
        await pilot.press("ctrl+p")  # the key that unlocks does nothing else: no palette
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and not app.locked
        await pilot.press("ctrl+l", "3")  # locked by hand; nor does a place's key take it anywhere
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and not app.locked
        assert names_shown(app, store)
        clock.advance(minutes=9)
        app.lock_if_idle()
        assert not app.locked  # unlocking counts as a key


async def test_no_lock_when_the_setting_is_off(store, clock) -> None:
    demo_tonight(store, clock)
    app = run_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        clock.advance(hours=5)
        app.lock_if_idle()
        assert not app.locked


async def test_a_running_countdown_keeps_going_behind_the_lock(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    app = run_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(StartMeeting(meeting.id))
        await pilot.pause()
        await pilot.press("space")
        run_screen = app.screen
        assert isinstance(run_screen, RunSessionScreen)
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, LockScreen)
        clock.advance(minutes=2)
        run_screen.tick()  # the screen's timer still ticks, behind the lock
        assert store.get(Meeting, meeting.id).started_at is not None
        assert "Facilitator is locked" in screen_text(app) and "3:00" not in screen_text(app)
        await pilot.press("space")  # unlocks; does not pause the session
        await pilot.pause()
        assert app.screen is run_screen
        assert run_screen.run.engine.status is SessionStatus.RUNNING
        assert saved_state(store.get(Meeting, meeting.id)).status is SessionStatus.RUNNING
        assert "3:00" in screen_text(app)


async def test_an_encrypted_database_unlocks_with_its_passphrase_only(db_path: Path, clock) -> None:
    storage = SealedStorage(SealingKey.new(PASSPHRASE, CHEAP))
    store = Store.open(db_path, clock=clock, storage=storage)
    try:
        demo_tonight(store, clock)
        app = run_app(store, clock)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+l")
            lock = app.screen
            assert isinstance(lock, LockScreen) and names_shown(app, store) == []
            await pilot.press("escape", "q", "1")
            assert app.screen is lock
            await type_text(pilot, "not the passphrase")
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen is lock
            assert "does not open this database" in screen_text(app)
            assert "not the passphrase" not in screen_text(app)  # typed without echo
            await type_text(pilot, PASSPHRASE)
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert not app.locked and names_shown(app, store)
    finally:
        store.close()


async def test_the_setting_is_kept_in_the_file_and_offered_in_the_palette(db_path: Path, clock) -> None:
    store = Store.open(db_path, clock=clock)
    app = run_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.idle_lock_commands()]
        assert titles[:2] == ["Lock now", "Idle lock: after 5 minutes without a key"]
        assert "Idle lock: off" not in titles  # it is off already
        app.set_idle_lock(15)
    store.close()
    with Store.open(db_path, clock=clock, backup=False) as again:
        assert again.meta.settings.idle_lock_minutes == 15


async def test_ctrl_l_locks_from_a_dialog_too(store, clock) -> None:
    demo_tonight(store, clock)
    app = run_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert not isinstance(app.screen, (HomeScreen, LockScreen))  # the help dialog
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, LockScreen) and names_shown(app, store) == []
