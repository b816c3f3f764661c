"""Two laptops edited apart converge once bundles go both ways; a conflict settled on one is settled on both.

Real stores and real bundle files; laptop B's wall clock runs a day fast.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from curricula.registry import Registry
from facilitator.store import Store
from facilitator.store.records import (
    AttendanceStatus,
    Conflict,
    Enrollment,
    Goal,
    Group,
    Meeting,
    Participant,
)
from facilitator.sync.conflicts import settle
from facilitator.sync.exchange import (
    apply_import,
    make_bundle,
    prepare_import,
    read_bundle,
    summary_lines,
    write_bundle,
)
from facilitator.sync.merge import canonical_bytes, lost_version
from tests.conftest import FIXED_NOW, FakeClock


def hand_over(giver: Store, taker: Store, folder: Path, name: str) -> list[str]:
    """Export everything from `giver` to a file and import it into `taker`; the summary lines."""
    path = folder / name
    registry = Registry.load(None)
    write_bundle(path, make_bundle(giver, registry, group=None, now=giver.clock()))
    preview = prepare_import(taker, registry, read_bundle(path, passphrase=None), now=taker.clock())
    apply_import(taker, preview, folder / "packs")
    return summary_lines(preview)


def same_records(a: Store, b: Store) -> bool:
    return canonical_bytes(a.holding()) == canonical_bytes(b.holding())


def test_two_laptops_edited_apart_converge_and_keep_what_each_typed(tmp_path: Path) -> None:
    clock_a, clock_b = FakeClock(), FakeClock(FIXED_NOW + timedelta(days=1))
    a = Store.open(tmp_path / "a" / "facilitator.json", clock=clock_a, backup=False)
    b = Store.open(tmp_path / "b" / "facilitator.json", clock=clock_b, backup=False)
    try:
        group = Group(name="Tuesday evening")
        ana, ben = Participant(display_name="Ana"), Participant(display_name="Ben")
        meeting = Meeting(group_id=group.id, number=1, scheduled_start=FIXED_NOW)
        goal = Goal(participant_id=ana.id, title="Walk every morning")
        places = [
            Enrollment(participant_id=p.id, group_id=group.id, joined_on=date(2026, 3, 3)) for p in (ana, ben)
        ]
        a.save_all([group, ana, ben, meeting, goal, *places])
        hand_over(a, b, tmp_path, "start.bundle")
        assert same_records(a, b)

        # Apart: both mark Ana at the meeting, A deletes the goal B rewords, A renames Ben; B marks Ben too.
        clock_a.advance(minutes=5)
        clock_b.advance(minutes=1)
        a.mark_attendance(meeting.id, ana.id, AttendanceStatus.PRESENT)
        b.mark_attendance(meeting.id, ana.id, AttendanceStatus.LATE, note="bus was late")
        b.mark_attendance(meeting.id, ben.id, AttendanceStatus.PRESENT)
        b.update(b.get(Goal, goal.id), title="Walk every morning, rain or shine")
        a.delete(a.get(Goal, goal.id))
        a.update(a.get(Participant, ben.id), display_name="Benjamin")

        summary = hand_over(a, b, tmp_path, "a-to-b.bundle")
        assert "conflicts 2" in summary[1]  # the goal, and Ana's two marks
        hand_over(b, a, tmp_path, "b-to-a.bundle")
        assert same_records(a, b)

        for store in (a, b):
            marks = store.meeting_marks(meeting.id)
            assert set(marks) == {ana.id, ben.id}  # one live mark each
            assert store.get(Participant, ben.id).display_name == "Benjamin"
            entries = store.all(Conflict)
            assert len(entries) == 2
            lost = {e.record_table: lost_version(e) for e in entries}
            # B's clock is a day fast, yet its later-looking edits do not erase A's: each lost one is logged.
            kept_goal = store.get(Goal, goal.id)
            assert {kept_goal.deleted, lost["goals"].deleted} == {True, False}
            assert "rain or shine" in (kept_goal.title if not kept_goal.deleted else lost["goals"].title)
            assert {marks[ana.id].status, lost["marks"].status} == {
                AttendanceStatus.PRESENT,
                AttendanceStatus.LATE,
            }

        # A keeps the logged version of Ana's mark; once the bundle reaches B, B holds the same, log and all.
        entry = next(e for e in a.all(Conflict) if e.record_table == "marks")
        wanted = lost_version(entry).status
        clock_a.advance(minutes=1)
        a.save_all(settle(a.holding(), entry, keep_lost=True, now=clock_a()))
        assert a.meeting_marks(meeting.id)[ana.id].status is wanted
        assert [e.record_table for e in a.all(Conflict)] == ["goals"]
        hand_over(a, b, tmp_path, "settled.bundle")
        assert same_records(a, b)
        assert b.meeting_marks(meeting.id)[ana.id].status is wanted
        assert [e.record_table for e in b.all(Conflict)] == ["goals"]
    finally:
        a.close()
        b.close()
    # What was merged is what reopens.
    with Store.open(tmp_path / "a" / "facilitator.json", read_only=True) as again:
        assert again.meeting_marks(meeting.id)[ana.id].status is wanted and len(again.all(Conflict)) == 1


def test_a_merge_moves_the_clock_past_what_it_saw(tmp_path: Path) -> None:
    """A laptop whose clock is behind still stamps its next edit after the versions it took in."""
    fast, slow = FakeClock(FIXED_NOW + timedelta(days=1)), FakeClock()
    with (
        Store.open(tmp_path / "fast" / "f.json", clock=fast, backup=False) as ahead,
        Store.open(tmp_path / "slow" / "f.json", clock=slow, backup=False) as behind,
    ):
        person = Participant(display_name="Cai")
        ahead.add(person)
        hand_over(ahead, behind, tmp_path, "x.bundle")
        assert behind.meta.clock >= ahead.get(Participant, person.id).stamp
        edited = behind.update(behind.get(Participant, person.id), display_name="Cai L.")
        assert edited.stamp > ahead.get(Participant, person.id).stamp
        hand_over(behind, ahead, tmp_path, "y.bundle")
        # Written over the version it took in, the slow laptop's edit replaces it everywhere: no conflict.
        assert ahead.get(Participant, person.id).display_name == "Cai L." and ahead.all(Conflict) == []
