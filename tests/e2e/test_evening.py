"""End to end: a new facilitator's first evening, from an empty database, in a real terminal (tmux).

A group from a bundled pack, three people, a goal; the first meeting with a late arrival, a note, a goal
check-in and a home assignment, ended; the group opened again on what was held; the second meeting started,
the app killed mid-meeting and the session resumed from Home. Each step is checked on the screen, and at the
end the database is read with the store's own API.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from facilitator.store import Store
from facilitator.store.records import (
    AttendanceStatus,
    EnrollmentStatus,
    Goal,
    HomeAssignment,
    MeetingStatus,
)
from tests.conftest import facilitator_command
from tests.e2e.terminal import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

PEOPLE = ["Ana B.", "Ben C.", "Cleo D."]
GOAL = "Walk to the park three times a week"
NOTE = "Cleo came in during the review; Ben shared first."
CHECK_IN_NOTE = "went twice"
ASSIGNMENT = "Write down one thing that helps on a hard day"


def zone_at_midday() -> str:
    """A fixed-offset time zone where it is now around noon.

    The app reads the real clock, so the test chooses where the facilitator lives: at midday a group that
    starts today at the usual 6 pm has its first meeting later today, whenever the test runs.
    """
    offset = 12 - datetime.now(UTC).hour  # -11 … +12 hours from UTC
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"  # the Etc names count the other way


def pause() -> None:
    """A person's pause between two keys: a key that moves the focus moves it once the app has handled it."""
    time.sleep(0.5)


def app_command(db: Path, zone: str) -> list[str]:
    """`facilitator --db PATH` as the facilitator starts it, with their time zone and no passphrase set."""
    private = [f"{name}={os.environ[name]}" for name in ("HOME", "XDG_DATA_HOME") if name in os.environ]
    return ["env", "-u", "FACILITATOR_PASSPHRASE", "-u", "FACILITATOR_DB", f"TZ={zone}", *private,
            facilitator_command(), "--db", str(db)]  # fmt: skip


def create_the_group(t: Terminal) -> None:
    """An empty database: Groups (2), `n`, a name, the IMR-style pack, starting today."""
    t.wait_for("Encrypt it with a passphrase?")
    t.keys("Enter")  # no: a plain file
    t.wait_for("There are no groups in this database yet")
    t.keys("2")
    t.wait_for("0 groups")
    t.keys("n")
    t.wait_for("Course pack (its newest version)")
    t.type("Tuesday IMR")
    t.keys("Enter")  # on to the pack
    pause()
    t.keys("Enter")  # open the list of packs
    t.wait_for("DBT-skills-style")
    t.type("Illness")  # the list jumps to the pack whose name starts so
    pause()
    t.keys("Enter")
    shown = t.wait_gone("DBT-skills-style")
    assert "(IMR-style) — imr-style" in shown
    t.keys("Tab", "Tab")  # past the kind, to when it starts
    pause()
    t.type("today")
    assert "→ 6:00 pm" in t.wait_for("· today")
    t.keys("C-s")
    t.wait_for("Created Tuesday IMR with")
    shown = t.wait_for("Group — Tuesday IMR")
    assert "Nobody yet: press e to enrol someone" in shown


def enrol_three_people(t: Terminal) -> None:
    for name in PEOPLE:
        t.keys("e")
        t.wait_for("Enrol someone in Tuesday IMR")
        t.type(name)  # "someone new" is chosen: the name is typed first
        t.keys("C-s")
        t.wait_for(f"{name} is enrolled.")
        t.wait_gone("Enrol someone in")
    for name in PEOPLE:
        t.wait_for_line(name, "● active")


def give_ana_a_goal(t: Terminal) -> None:
    """Enter on the roster's first row (Ana) opens her; `n` adds a goal in her words; `q` goes back."""
    t.keys("Enter")
    t.wait_for("Participant — Ana B.")
    t.keys("n")
    t.wait_for("A new goal for Ana B.")
    t.type(GOAL)
    t.keys("C-s")
    t.wait_for("Goal saved.")
    t.wait_gone("A new goal for")
    t.wait_for_line(GOAL, "▶ active")
    t.keys("q")
    t.wait_for("Group — Tuesday IMR")


def run_the_first_meeting(t: Terminal) -> None:
    t.keys("m")
    t.wait_for("▸ Upcoming (m)")
    t.keys("Enter")  # the first upcoming meeting: tonight's
    t.wait_for("Tuesday IMR · meeting 1 ·")
    footer = t.wait_for_line("space Start/pause", "o Note")  # the session's keys, none under the palette's
    assert all(key in footer for key in ("a Attendance", "e End", "g Goal", "h Assignment")), footer
    t.keys("space")
    shown = t.wait_for("● running")
    assert "Segment 1 of" in shown and "today?" not in shown  # tonight's meeting starts without a question

    t.keys("a")
    t.wait_for("0 of 3 marked")
    t.keys("p")
    assert "next: Ben C." in t.wait_for("1 of 3 marked")
    t.keys("p")
    t.wait_for("2 of 3 marked")
    t.keys("Escape")
    t.wait_gone("of 3 marked")

    t.keys("n")  # the first segment is over; then Cleo walks in
    t.wait_for("Segment 2 of")
    t.keys("a")
    assert "next: Cleo D." in t.wait_for("2 of 3 marked")  # the cursor is on the one not marked yet
    t.keys("l")
    t.wait_for("3 of 3 marked")
    t.wait_for_line("Cleo D.", "◷ late")
    t.wait_for_line("Ana B.", "✓ present")
    t.wait_for_line("Ben C.", "✓ present")
    t.keys("Escape")
    t.wait_gone("of 3 marked")

    t.keys("o")
    t.wait_for("Notes for this meeting")
    t.type(NOTE)
    t.keys("C-s")
    t.wait_for("Note saved.")
    t.wait_gone("Notes for this meeting")

    t.keys("g")
    t.wait_for("Goal check-in")
    assert GOAL in t.wait_for("No check-ins yet.")  # Ana's goal, highlighted first
    t.keys("4")  # the rating; the focus goes on to the note
    pause()
    t.type(CHECK_IN_NOTE)
    t.keys("Enter")
    t.wait_for("Check-in saved")
    t.wait_gone("Goal check-in")

    t.keys("h")
    t.wait_for("Nothing was due tonight.")  # so the focus is in the text of the next one
    t.type(ASSIGNMENT)
    t.keys("Enter")
    t.wait_for("Home assignment given to the group")
    t.keys("Escape")
    t.wait_gone("Nothing was due tonight.")

    t.keys("e")
    t.wait_for("End the session now?")
    t.keys("y")
    shown = t.wait_for("Meeting summary")
    assert "present (2): Ana B., Ben C." in shown and "late (1): Cleo D." in shown  # the rest: read below
    t.keys("Escape")
    t.wait_for("Group — Tuesday IMR")


def read_the_summary(t: Terminal) -> None:
    """The summary's check-in, assignment and note, above the time each segment took (so they fit 80 × 24)."""
    t.wait_for(NOTE)
    t.wait_for("Informal check-in")
    # On a busy machine the summary's sections can come a frame apart: the last of them waited for too.
    shown = t.wait_for(f"given to the group: {ASSIGNMENT}")
    assert f"Ana B. — {GOAL}: 4/5 · {CHECK_IN_NOTE}" in shown
    assert shown.index(NOTE) < shown.index("Informal check-in")


def reopen_the_group(t: Terminal) -> None:
    """Back to Groups and into the group again: it opens on the grid, with the held meeting's marks."""
    t.keys("q")
    assert t.wait_for_line("1 group").strip() == "1 group"
    t.keys("Enter")
    t.wait_for("▸ Attendance (a)")
    t.wait_for_line("Cleo D.", "◐")
    t.wait_for_line("Ana B.", "●")
    t.wait_for_line("Ben C.", "●")
    t.keys("v")  # the highlighted meeting's summary and notes, read again
    t.wait_for("Meeting summary")
    read_the_summary(t)
    t.keys("Escape")
    t.wait_gone("Meeting summary")


def start_the_second_meeting_and_crash(t: Terminal) -> None:
    t.keys("m")
    t.wait_for("▸ Upcoming (m)")
    t.keys("Enter")
    t.wait_for("Tuesday IMR · meeting 2 ·")
    t.keys("space")
    t.wait_for("Start meeting 2 today?")  # it is planned for next week
    t.keys("y")
    t.wait_for("● running")
    t.keys("a")
    t.wait_for("0 of 3 marked")
    t.keys("p")
    t.wait_for("1 of 3 marked")
    t.keys("Escape")
    t.wait_gone("of 3 marked")
    t.kill_the_app()


def resume_from_home(t: Terminal) -> None:
    """Open again: the app asks about the session; "not now", then Enter on it from Home: it kept going."""
    t.wait_for("Resume the session?")
    t.keys("Escape")
    t.wait_gone("Resume the session?")
    t.wait_for_line("▶ in progress", "Tuesday IMR")
    t.keys("Enter")
    t.wait_for("Did the session keep going")
    t.keys("k")
    shown = t.wait_for("● running")
    assert "Tuesday IMR · meeting 2 ·" in shown
    t.keys("a")
    t.wait_for("1 of 3 marked")
    t.wait_for_line("Ana B.", "✓ present")
    t.wait_for_line("Ben C.", "not marked")
    t.wait_for_line("Cleo D.", "not marked")
    t.keys("Escape")
    t.wait_gone("of 3 marked")
    t.quit("q", "q", "q")  # back to Home, then quit: asked once, as a session is running


def check_the_records(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        [group] = store.groups()
        assert (group.name, group.pack_id) == ("Tuesday IMR", "imr-style")
        roster = store.roster(group.id)
        assert sorted(p.display_name for _, p in roster) == PEOPLE
        assert all(e.status is EnrollmentStatus.ACTIVE for e, _ in roster)
        who = {p.display_name: p.id for _, p in roster}
        first, second, *rest = store.group_meetings(group.id)
        assert first.status is MeetingStatus.HELD and first.notes == NOTE
        assert second.status is MeetingStatus.IN_PROGRESS
        assert rest and all(m.status is MeetingStatus.PLANNED for m in rest)
        marks = {pid: mark for pid, mark in store.meeting_marks(first.id).items()}
        assert marks[who["Ana B."]].status is AttendanceStatus.PRESENT
        assert marks[who["Ben C."]].status is AttendanceStatus.PRESENT
        late = marks[who["Cleo D."]]
        assert late.status is AttendanceStatus.LATE and late.at is not None and first.started_at is not None
        assert late.at > first.started_at  # marked late after the meeting had begun
        [goal] = store.all(Goal)
        assert goal.participant_id == who["Ana B."] and goal.title == GOAL
        [check_in] = goal.check_ins
        assert (check_in.rating, check_in.note, check_in.meeting_id) == (4, CHECK_IN_NOTE, first.id)
        [given] = store.all(HomeAssignment)
        assert (given.text, given.participant_id, given.meeting_id) == (ASSIGNMENT, None, first.id)
        assert given.due_meeting_id == second.id
        kept = store.meeting_marks(second.id)
        assert {pid: m.status for pid, m in kept.items()} == {who["Ana B."]: AttendanceStatus.PRESENT}


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_a_first_evening_from_an_empty_database(tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "facilitator.json"
    zone = zone_at_midday()
    width, height = size
    terminal = Terminal(app_command(db, zone), width=width, height=height)
    try:
        create_the_group(terminal)
        enrol_three_people(terminal)
        give_ana_a_goal(terminal)
        run_the_first_meeting(terminal)
        reopen_the_group(terminal)
        start_the_second_meeting_and_crash(terminal)
    finally:
        terminal.close()
    terminal = Terminal(app_command(db, zone), width=width, height=height)
    try:
        resume_from_home(terminal)
    finally:
        terminal.close()
    check_the_records(db)
