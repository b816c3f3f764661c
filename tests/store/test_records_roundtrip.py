"""Every record type survives a write, a close and a reopen; the queries return what was written."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tinydb import TinyDB

from facilitator.store import ReadOnlyStore, RecordConflict, Store
from facilitator.store.records import (
    SCHEMA_VERSION,
    AgendaItem,
    AttendanceStatus,
    CheckIn,
    Dimension,
    Enrollment,
    EnrollmentStatus,
    Goal,
    GoalStep,
    Group,
    GroupKind,
    HomeAssignment,
    Meeting,
    MeetingStatus,
    Participant,
    Review,
    Schedule,
    SessionRef,
)

T0 = datetime(2026, 3, 3, 18, 30, tzinfo=UTC)


def sample(store: Store) -> dict[str, object]:
    group = Group(
        name="Tuesday IMR",
        pack_id="imr-style",
        pack_version="1.0.0",
        kind=GroupKind.OPEN,
        schedule=Schedule(
            start_date=date(2026, 3, 3), weekdays=[1], start_time="18:30", timezone="Europe/London"
        ),
        facilitators=["Sam", "Jude"],
    )
    ana = Participant(display_name="Ana [bold]B.[/bold]", pronouns="she/her", contact="07700 900123")
    zoe = Participant(display_name="Zoë", full_name="Zoë Ndlovu")
    enrol = [
        Enrollment(participant_id=ana.id, group_id=group.id, joined_on=date(2026, 3, 3)),
        Enrollment(
            participant_id=zoe.id,
            group_id=group.id,
            joined_on=date(2026, 3, 10),
            status=EnrollmentStatus.WAITLIST,
        ),
    ]
    meeting = Meeting(
        group_id=group.id,
        number=1,
        scheduled_start=T0,
        status=MeetingStatus.HELD,
        covers=SessionRef(unit_id="recovery-strategies", session_number=1, title="What recovery means"),
        agenda=[AgendaItem(title="Check-in", kind="check-in", planned_seconds=300, actual_seconds=320)],
        engine_state={"status": "ended", "segments": [1, 2]},
    )
    goal = Goal(
        participant_id=ana.id,
        group_id=group.id,
        title="Walk to the park",
        dimension=Dimension.HEALTH,
        steps=[GoalStep(text="Pick a day", done_at=T0)],
        check_ins=[CheckIn(at=T0, rating=4, meeting_id=meeting.id, note="went twice")],
    )
    assignment = HomeAssignment(meeting_id=meeting.id, group_id=group.id, text="Notice one stress sign a day")
    store.add(group, ana, zoe, *enrol, meeting, goal, assignment)
    mark = store.mark_attendance(meeting.id, ana.id, AttendanceStatus.LATE, at=T0, note="bus")
    records = (group, ana, zoe, meeting, goal, assignment, mark)
    return dict(zip(("group", "ana", "zoe", "meeting", "goal", "assignment", "mark"), records, strict=True))


def test_every_record_type_round_trips(db_path: Path, clock) -> None:
    with Store.open(db_path, clock=clock) as store:
        written = sample(store)
    with Store.open(db_path, clock=clock) as store:
        for record in written.values():
            assert store.get(type(record), record.id) == record  # type: ignore[arg-type]


def test_queries_return_what_was_written(store: Store) -> None:
    s = sample(store)
    group, ana, zoe, meeting = s["group"], s["ana"], s["zoe"], s["meeting"]
    roster = store.roster(group.id)
    assert [p.display_name for _, p in roster] == ["Ana [bold]B.[/bold]", "Zoë"]
    assert [e.status for e, _ in roster] == [EnrollmentStatus.ACTIVE, EnrollmentStatus.WAITLIST]
    assert store.meeting_marks(meeting.id)[ana.id].status is AttendanceStatus.LATE
    assert [m.id for m in store.participant_marks(ana.id)] == [s["mark"].id]
    assert store.participant_marks(zoe.id) == []
    assert store.group_meetings(group.id) == [meeting]
    [goal] = store.participant_goals(ana.id)
    assert goal.check_ins[0].rating == 4
    assert store.assignments_given_at(meeting.id) == [s["assignment"]]


def test_one_live_mark_per_pair(store: Store, clock) -> None:
    s = sample(store)
    clock.advance(minutes=5)
    changed = store.mark_attendance(s["meeting"].id, s["ana"].id, AttendanceStatus.PRESENT)
    assert changed.id == s["mark"].id
    assert changed.updated_at == clock.now
    assert len(store.all(type(changed))) == 1


def test_update_and_tombstone(store: Store, clock) -> None:
    s = sample(store)
    clock.advance(hours=1)
    renamed = store.update(s["ana"], display_name="Ana B.")
    assert store.get(Participant, renamed.id).display_name == "Ana B."
    assert renamed.updated_at == clock.now and renamed.created_at == s["ana"].created_at
    store.delete(s["assignment"])
    assert store.assignments_given_at(s["meeting"].id) == []
    kept = store.get(HomeAssignment, s["assignment"].id)
    assert kept is not None and kept.deleted_at == clock.now and kept.review is Review.NOT_REVIEWED


def test_adding_an_existing_id_is_refused(store: Store) -> None:
    s = sample(store)
    with pytest.raises(RecordConflict):
        store.add(s["ana"])


def test_the_closed_file_is_plain_tinydb_json(db_path: Path, clock) -> None:
    with Store.open(db_path, clock=clock) as store:
        s = sample(store)
    assert not db_path.with_name(db_path.name + ".journal").exists()
    db = TinyDB(db_path)
    try:
        marks = db.table("marks").all()
        assert [m["status"] for m in marks] == ["late"]
        assert db.table("participants").get(doc_id=1)["display_name"] == s["ana"].display_name
        assert db.table("meta").get(doc_id=1)["schema_version"] == SCHEMA_VERSION
    finally:
        db.close()


def test_files_are_private(db_path: Path, clock) -> None:
    with Store.open(db_path, clock=clock) as store:
        sample(store)
    assert db_path.stat().st_mode & 0o777 == 0o600
    assert db_path.parent.stat().st_mode & 0o777 == 0o700
    backups = list((db_path.parent / "backups").iterdir())
    assert backups and all(b.stat().st_mode & 0o777 == 0o600 for b in backups)


def test_read_only_store_refuses_writes(db_path: Path, clock) -> None:
    with Store.open(db_path, clock=clock) as store:
        s = sample(store)
    before = db_path.read_bytes()
    with Store.open(db_path, read_only=True, clock=clock) as reader:
        assert reader.get(Participant, s["ana"].id) == s["ana"]
        with pytest.raises(ReadOnlyStore):
            reader.add(Participant(display_name="Nobody"))
    assert db_path.read_bytes() == before


def test_writes_are_in_the_journal_before_close(db_path: Path, clock) -> None:
    """An acknowledged write is on disk at once, even if the process never closes the store."""
    store = Store.open(db_path, clock=clock)
    s = sample(store)
    journal = db_path.with_name(db_path.name + ".journal")
    assert s["ana"].id.encode() in journal.read_bytes()
    # Simulate a crash: drop the store without closing (release only the lock).
    store._release()
    with Store.open(db_path, clock=clock) as reopened:
        assert reopened.get(Participant, s["ana"].id) == s["ana"]
    assert not journal.exists()


def test_a_fold_in_another_thread_loses_no_write_made_meanwhile(db_path: Path, clock) -> None:
    import threading

    store = Store.open(db_path, clock=clock)
    store.auto_fold = False
    people = [Participant(display_name=f"P{i}", notes="x" * 500) for i in range(400)]
    store.add(*people[:200])
    folder = threading.Thread(target=store.fold)
    folder.start()
    for person in people[200:]:
        store.add(person)
    folder.join()
    assert not db_path.with_name(db_path.name + ".journal.folding").exists()
    store._release()  # a crash: whatever the fold did not take in must still be in the journal
    with Store.open(db_path, clock=clock) as reopened:
        assert {p.id for p in reopened.all(Participant)} == {p.id for p in people}
