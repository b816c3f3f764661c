"""The room display: it follows a session another window runs (read-only), shows no names, grows big."""

from __future__ import annotations

from textual.widgets import Static

from facilitator.app import make_app, make_room_app
from facilitator.course.room import NOTHING_RUNNING, RoomFollower
from facilitator.course.run import MeetingRun
from facilitator.screens.room.screen import RoomScreen
from facilitator.screens.run.screen import RunSessionScreen
from facilitator.store import Store
from facilitator.store.records import Participant
from facilitator.widgets.big_clock import BigClock, block_lines, scale_to_fit
from facilitator.widgets.countdown import Countdown
from tests.app.run_fakes import demo_tonight, fake_monotonic, run_app, screen_text

SIZE = (100, 32)


def files_of(store: Store) -> dict[str, bytes]:
    folder = store.path.parent
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name.startswith(store.path.name)}


def shown(screen: RoomScreen) -> str:
    """Everything the room display says in words (the digits are read from the clock widget)."""
    parts = [
        str(screen.query_one(f"#{name}", Static).render())
        for name in ("room-session", "room-segment", "room-phase")
    ]
    return "\n".join(parts)


async def looked(pilot, screen: RoomScreen) -> None:
    """Let the display look at the database (as its interval does every second) and redraw."""
    screen.look()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen.show()


async def test_the_display_follows_a_session_run_by_another_store(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    run = MeetingRun.open(store, meeting.id, wall_clock=clock, monotonic=fake_monotonic(clock))
    run.toggle()  # started in the main window
    first, second = (segment.title for segment in run.engine.agenda[:2])
    app = make_room_app(store.path, meeting_id=meeting.id, clock=clock, monotonic=fake_monotonic(clock, 50.0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, RoomScreen)
        assert "Segment 1 of" in shown(screen) and first in shown(screen)
        assert screen.query_one(BigClock).text == "5:00"
        clock.advance(seconds=61)  # no save in between: the display counts on by itself
        screen.show()
        assert screen.query_one(BigClock).text == "3:59" and "running" in shown(screen)
        run.next()  # the main window moves on: the display follows at its next look
        await looked(pilot, screen)
        assert "Segment 2 of" in shown(screen) and second in shown(screen)
        run.toggle()  # paused in the main window: the display says so, without the main window's key
        await looked(pilot, screen)
        assert "‖ paused" in shown(screen) and "space" not in shown(screen)
        run.toggle()
        await looked(pilot, screen)
        clock.advance(seconds=run.engine.planned_seconds() + 30)
        screen.show()
        assert "OVERRUN by 0:30" in shown(screen) and screen.has_class("-overrun")
        assert screen.query_one(BigClock).text == "+0:30"
        progress = str(screen.query_one("#room-progress").render())
        assert "Session" in progress and "%" in progress
        # Nobody's name, and not the meeting's notes, anywhere on the display.
        text = screen_text(pilot.app)
        for person in store.all(Participant):
            assert person.display_name not in text


async def test_the_display_writes_nothing(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    run = MeetingRun.open(store, meeting.id, wall_clock=clock, monotonic=fake_monotonic(clock))
    run.toggle()
    store.fold()
    before = files_of(store)
    app = make_room_app(store.path, clock=clock, monotonic=fake_monotonic(clock, 50.0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        await pilot.press("ctrl+t")  # a theme for this display only
        clock.advance(seconds=20)
        await looked(pilot, screen)
        assert screen.query_one(BigClock).text == "4:40"
        await pilot.press("q")
    assert files_of(store) == before
    assert app.return_code == 0


async def test_the_display_survives_the_main_window_closing_and_opening_again(store, clock, db_path) -> None:
    meeting = demo_tonight(store, clock)
    run = MeetingRun.open(store, meeting.id, wall_clock=clock, monotonic=fake_monotonic(clock))
    run.toggle()
    app = make_room_app(db_path, meeting_id=meeting.id, clock=clock, monotonic=fake_monotonic(clock, 50.0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        run.save()
        store.close()  # the main window is closed: the journal is folded into the file
        clock.advance(seconds=30)
        await looked(pilot, screen)
        assert screen.query_one(BigClock).text == "4:30"  # still counting, the session still in progress
        reopened = Store.open(db_path, clock=clock)  # and opened again, the session taken up and moved on
        try:
            again = MeetingRun.open(
                reopened,
                meeting.id,
                wall_clock=clock,
                monotonic=fake_monotonic(clock, 9000.0),
                kept_running=True,
            )
            again.next()
            await looked(pilot, screen)
            assert "Segment 2 of" in shown(screen)
            again.end()
            await looked(pilot, screen)
            assert "This session has ended" in shown(screen)
            assert not screen.query_one(BigClock).display
        finally:
            reopened.close()


async def test_without_a_meeting_named_it_follows_the_one_being_run(store, clock, db_path) -> None:
    follower = RoomFollower(db_path, monotonic=fake_monotonic(clock), wall_clock=clock)
    assert follower.poll() and follower.message == NOTHING_RUNNING  # an empty database: nothing to show
    assert not follower.poll()  # nothing changed: the file is not read again
    meeting = demo_tonight(store, clock)
    clock.advance(seconds=5)
    run = MeetingRun.open(store, meeting.id, wall_clock=clock, monotonic=fake_monotonic(clock))
    run.toggle()
    assert follower.poll()
    assert follower.session is not None and follower.session.meeting_id == meeting.id
    assert follower.message == ""


async def test_r_in_run_session_opens_the_display_and_q_comes_back(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await pilot.app.push_screen(RunSessionScreen(meeting.id))
        await pilot.pause()
        await pilot.press("space", "r")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, RoomScreen)
        assert "Segment 1 of" in shown(screen)
        clock.advance(seconds=10)
        screen.show()
        assert screen.query_one(BigClock).text == "4:50"
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, RunSessionScreen)


async def test_the_run_session_countdown_grows_with_the_terminal(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    for size, big in (((100, 32), False), ((160, 48), True)):
        async with run_app(store, clock).run_test(size=size) as pilot:
            await pilot.app.push_screen(RunSessionScreen(meeting.id))
            await pilot.pause()
            countdown = pilot.app.screen.query_one(Countdown)
            assert countdown.has_class("-big") is big
            if big:
                assert countdown.size.height >= 10
                assert countdown.query_one(BigClock).scale() >= 2
            else:
                assert countdown.size.height == 3


def test_block_digits_scale_to_the_space_they_have() -> None:
    assert block_lines("1", 1) == ["  ██  ", "████  ", "  ██  ", "  ██  ", "██████"]
    assert len(block_lines("12:05", 3)) == 15
    assert scale_to_fit("12:05", 80, 24) == 2  # 17 squares wide: 68 columns at scale 2
    assert scale_to_fit("12:05", 160, 48) == 4
    assert scale_to_fit("12:05", 20, 4) == 0  # too small: shown as plain text


async def test_the_demo_says_where_its_database_is_as_it_opens(store, clock, db_path) -> None:
    from facilitator.cli.demo import demo_note
    from tests.app.screen_helpers import settle

    async with make_app(store, clock=clock, opening_note=demo_note(db_path)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = [n.message for n in pilot.app._notifications]
        assert any(str(db_path) in note and "facilitator room --db" in note for note in notes)
