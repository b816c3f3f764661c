"""A lazy open decodes the meetings Home shows first — those to come, and every one of a group planned or
running — and leaves years of finished groups' meetings encoded until the worker, or a query, needs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from facilitator.store import CorruptDatabase, Store
from facilitator.store.records import Group, GroupStatus, Meeting, MeetingStatus

START = datetime(2026, 1, 6, 18, 0, tzinfo=UTC)


def course(group: Group, held: int, planned: int) -> list[Meeting]:
    meetings = []
    for number in range(1, held + planned + 1):
        status = MeetingStatus.HELD if number <= held else MeetingStatus.PLANNED
        when = START + timedelta(weeks=number)
        meetings.append(Meeting(group_id=group.id, number=number, scheduled_start=when, status=status))
    return meetings


@pytest.fixture
def groups(db_path: Path) -> dict[str, Group]:
    """A finished group (20 held meetings), a running one (5 held, 3 to come), a planned one (4 to come)."""
    made = {
        "finished": Group(name="Spring group", status=GroupStatus.FINISHED),
        "running": Group(name="Tuesday group", status=GroupStatus.RUNNING),
        "planned": Group(name="Autumn group", status=GroupStatus.PLANNED),
    }
    with Store.open(db_path, backup=False) as store:
        for group in made.values():
            store.add(group)
        for meeting in [
            *course(made["finished"], 20, 0),
            *course(made["running"], 5, 3),
            *course(made["planned"], 0, 4),
        ]:
            store.add(meeting)
    return made


def numbers(meetings: list[Meeting], group: Group) -> list[int]:
    return sorted(m.number for m in meetings if m.group_id == group.id)


def test_home_s_meetings_are_decoded_and_the_finished_group_s_wait(
    db_path: Path, groups: dict[str, Group]
) -> None:
    store = Store.open(db_path, lazy=True, backup=False)
    under_way = store.meetings_under_way()
    assert numbers(under_way, groups["running"]) == list(range(1, 9))
    assert numbers(under_way, groups["planned"]) == [1, 2, 3, 4]
    assert numbers(under_way, groups["finished"]) == []
    assert len(store._later["meetings"]) == 20  # still encoded: nothing asked for them
    assert len(store.all(Meeting)) == 32  # any other question decodes them first
    assert not store._later
    store.close()


def test_the_worker_decodes_the_rest_and_a_write_keeps_every_meeting(
    db_path: Path, groups: dict[str, Group]
) -> None:
    store = Store.open(db_path, lazy=True, backup=False)
    store.load_rest()
    assert not store._later and len(store.all(Meeting)) == 32
    store.close()
    store = Store.open(db_path, lazy=True, backup=False)
    old = next(m for m in store.meetings_under_way() if m.group_id == groups["running"].id and m.number == 6)
    store.update(old, notes="moved to the small room")
    store.close()
    with Store.open(db_path, backup=False) as again:
        kept = again.all(Meeting)
        assert len(kept) == 32
        assert [m.notes for m in kept if m.id == old.id] == ["moved to the small room"]


def test_a_group_reopened_since_opening_shows_all_its_meetings(
    db_path: Path, groups: dict[str, Group]
) -> None:
    store = Store.open(db_path, lazy=True, backup=False)
    store.update(store.require(Group, groups["finished"].id), status=GroupStatus.RUNNING)
    assert numbers(store.meetings_under_way(), groups["finished"]) == list(range(1, 21))
    store.close()


def test_a_meeting_in_progress_is_offered_for_resuming_without_decoding_the_rest(
    db_path: Path, groups: dict[str, Group]
) -> None:
    store = Store.open(db_path, backup=False)
    live = next(m for m in store.all(Meeting) if m.group_id == groups["running"].id and m.number == 6)
    store.update(live, status=MeetingStatus.IN_PROGRESS, started_at=START)
    store.close()
    store = Store.open(db_path, lazy=True, backup=False)
    assert [m.id for m in store.meetings_in_progress()] == [live.id]
    assert len(store._later["meetings"]) == 20
    store.close()


def test_a_damaged_finished_meeting_stops_the_load_and_the_file_is_never_rewritten(
    db_path: Path, groups: dict[str, Group]
) -> None:
    text = db_path.read_text()
    held = text.index('"status":"held"')
    start = text.rindex('"number":', 0, held)
    db_path.write_text(text[:start] + '"number":"twelve"' + text[text.index(",", start) :])
    before = db_path.read_bytes()
    store = Store.open(db_path, lazy=True, backup=False)
    with pytest.raises(CorruptDatabase, match="meetings"):
        store.load_rest()
    assert store.damage is not None
    store.close()
    assert db_path.read_bytes() == before
