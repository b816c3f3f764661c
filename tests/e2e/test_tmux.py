"""End to end: the installed `facilitator` in a real terminal (tmux), driven by keys, read off the screen."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from facilitator.store import Store
from facilitator.store.records import Group, Participant
from tests.e2e.terminal import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def demo_db(tmp_path: Path, cli) -> Path:
    path = tmp_path / "demo.json"
    assert cli("demo", "--db", str(path), "--no-ui").returncode == 0
    return path


def test_open_the_demo_look_around_and_quit(demo_db: Path) -> None:
    from tests.conftest import facilitator_command

    terminal = Terminal([facilitator_command(), "--db", str(demo_db)])
    try:
        terminal.past_the_resume_question()
        terminal.keys("?")
        terminal.wait_for("Home — keys")
        terminal.keys("Escape")
        time.sleep(0.5)  # a key straight after Escape would arrive as alt+key
        terminal.quit()
    finally:
        terminal.close()
    with Store.open(demo_db, read_only=True) as store:
        assert len(store.all(Group)) == 4
    assert not demo_db.with_name(demo_db.name + ".journal").exists()


def test_edit_a_group_and_schedule_a_meeting_from_the_keyboard(demo_db: Path) -> None:
    """Groups (2), open the WRAP workshop, `g` to move it to 6 pm, `n` to add an extra meeting; then quit."""
    from tests.conftest import facilitator_command

    terminal = Terminal([facilitator_command(), "--db", str(demo_db)], width=110, height=40)
    try:
        terminal.past_the_resume_question()
        terminal.keys("2")
        terminal.wait_for("4 groups")
        terminal.keys("/")
        terminal.wait_for("Filter: type part of a name")
        terminal.keys("-l", "wrap")
        terminal.wait_for("1 of 4 groups")
        terminal.keys("Enter")  # from the filter to the list
        time.sleep(0.5)
        terminal.keys("Enter")
        terminal.wait_for("Meets Thursdays at 10:00 am")
        time.sleep(0.5)  # the screen has painted; let it finish mounting before the next key
        terminal.keys("g")
        terminal.wait_for("At (local time)")  # the form (its title may scroll out of view)
        for _ in range(5):  # name → kind → status → starts on → meets on → at
            terminal.keys("Tab")
            time.sleep(0.2)
        time.sleep(0.3)
        terminal.keys("End")
        time.sleep(0.3)
        terminal.keys("C-u")  # clear what is left of the cursor: the whole field
        time.sleep(0.3)
        terminal.keys("-l", "6pm")
        terminal.wait_for("→ 6:00 pm")
        terminal.keys("C-s")
        terminal.wait_for("Meets Thursdays at 6:00 pm")
        time.sleep(0.5)
        terminal.keys("n")
        terminal.wait_for("Covers (sessions with no meeting yet)")
        terminal.keys("-l", "tomorrow 7pm")
        terminal.wait_for("7:00 pm · in")
        terminal.keys("C-s")
        terminal.wait_for("Meeting 1 scheduled")
        terminal.quit("q", "q", "q")
    finally:
        terminal.close()
    with Store.open(demo_db, read_only=True) as store:
        wrap = next(g for g in store.groups() if g.name == "Thursday WRAP Workshop")
        assert wrap.schedule is not None and wrap.schedule.start_time == "18:00"
        meetings = store.group_meetings(wrap.id)
        assert len(meetings) == 9 and meetings[0].covers is None  # the extra meeting comes first


def test_the_room_display_follows_the_main_window_in_another_terminal(demo_db: Path) -> None:
    """Two terminals on one database: the room display (read-only) follows what the main window does."""
    from tests.conftest import facilitator_command

    with Store.open(demo_db, read_only=True) as store:
        [drop_in] = store.meetings_in_progress()
        segments = len(drop_in.agenda)  # as many as its pack's session has (the pack's version decides)
    room = Terminal([facilitator_command(), "room", "--db", str(demo_db)], width=80, height=24)
    main = Terminal([facilitator_command(), "--db", str(demo_db)], width=100, height=32)
    try:
        room.wait_for(f"Segment 3 of {segments}")  # the demo's drop-in, saved mid-session
        assert "█" in room.wait_for("Close the display")  # the countdown in block digits
        main.wait_for("Did the session keep going")
        main.keys("k")  # yes, it kept going: Run Session opens on it
        main.wait_for(f"Segment 3 of {segments}")
        main.keys("n")
        room.wait_for(f"Segment 4 of {segments}")
        reader = Store.open(demo_db, read_only=True)
        names = [person.display_name for person in reader.all(Participant)]
        reader.close()
        shown = room.screen()
        assert names and not [name for name in names if name in shown]  # nobody's name on the display
        main.quit("q", "q", "q")  # back to Home, then quit: asked once, as a session is running
        room.wait_for(f"Segment 4 of {segments}")  # the main window closed: the display carries on
        assert room.alive()
        room.quit()
    finally:
        main.close()
        room.close()
