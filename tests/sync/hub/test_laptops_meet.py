"""Laptops meet at the hub: two and three of them converge, conflicts are logged, deletions travel.

A real PostgreSQL hub and real stores in their own folders; every laptop syncs with its own role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from facilitator.store import Store
from facilitator.store.records import AttendanceStatus, Conflict, Goal, Participant
from facilitator.store.sealed import SealingKey, is_sealed
from facilitator.store.storage import SealedStorage
from facilitator.sync.hub.access import grant
from facilitator.sync.hub.exchange import sync
from tests.conftest import FIXED_NOW
from tests.store.test_encrypted import files_holding
from tests.store.workload import CHEAP
from tests.sync.hub.conftest import Hub
from tests.sync.hub.laptops import Course, open_laptop, same_records, start_course


@contextmanager
def laptops_sharing_a_group(hub: Hub, tmp_path: Path) -> Iterator[tuple[Store, Store, Course]]:
    """Ana's laptop starts a course and syncs it; Ben, granted that group, takes it in. Both close after."""
    ana_role, ben_role = hub.cluster.new_role("ana"), hub.cluster.new_role("ben")
    grant(hub.admin_dsn, ana_role, group=None)
    a, b = open_laptop(tmp_path, "a"), open_laptop(tmp_path, "b")
    try:
        course = start_course(a)
        sync(a, dsn=hub.dsn(ana_role), now=FIXED_NOW)
        grant(hub.admin_dsn, ben_role, group=course.group.id)
        sync(b, dsn=hub.dsn(ben_role), now=FIXED_NOW)
        yield a, b, course
    finally:
        a.close()
        b.close()


def test_two_laptops_converge_through_the_hub_and_a_second_sync_changes_nothing(
    hub: Hub, tmp_path: Path
) -> None:
    ana_role, ben_role = hub.cluster.new_role("ana"), hub.cluster.new_role("ben")
    grant(hub.admin_dsn, ana_role, group=None)
    a, b = open_laptop(tmp_path, "a"), open_laptop(tmp_path, "b")
    try:
        course = start_course(a)
        first = sync(a, dsn=hub.dsn(ana_role), now=FIXED_NOW)
        assert first.pushed > 0 and first.pulled == 0
        assert grant(hub.admin_dsn, ben_role, group="tuesday EVENING") is not None  # by name, any case
        taken = sync(b, dsn=hub.dsn(ben_role), now=FIXED_NOW)
        assert taken.merged.added == first.pushed
        assert same_records(a, b)
        assert b.get(Participant, course.people[0].id) == course.people[0]

        # B marks the second meeting; A takes it in.
        b.mark_attendance(course.meetings[1].id, course.people[1].id, AttendanceStatus.LATE)
        assert sync(b, dsn=None, now=FIXED_NOW).pushed == 1  # the hub is remembered
        assert sync(a, dsn=None, now=FIXED_NOW).merged.added == 1
        assert a.meeting_marks(course.meetings[1].id)[course.people[1].id].status is AttendanceStatus.LATE
        assert same_records(a, b)

        again = sync(a, dsn=None, now=FIXED_NOW)
        assert (again.pushed, again.pulled, again.merged.writes) == (0, 0, [])
        link = a.meta.hub
        assert link is not None and "password" not in link.dsn and link.last_sync_at == FIXED_NOW
    finally:
        a.close()
        b.close()


def test_edits_made_apart_are_both_kept_one_in_the_conflict_log_and_a_deletion_travels(
    hub: Hub, tmp_path: Path
) -> None:
    with laptops_sharing_a_group(hub, tmp_path) as (a, b, course):
        person = course.people[1]
        a.clock.advance(minutes=1)
        a.update(a.require(Participant, person.id), display_name="Benjamin")
        b.clock.advance(minutes=2)
        b.update(b.require(Participant, person.id), display_name="Benji")
        b.delete(b.require(Goal, course.goal.id))
        sync(a, dsn=None, now=FIXED_NOW)
        report = sync(b, dsn=None, now=FIXED_NOW)
        sync(a, dsn=None, now=FIXED_NOW)
        assert report.merged.conflicts == 1
        assert same_records(a, b)
        for laptop in (a, b):
            assert laptop.require(Participant, person.id).display_name == "Benji"  # the later edit
            (entry,) = laptop.all(Conflict)
            assert entry.record_id == person.id and entry.lost["display_name"] == "Benjamin"
            assert laptop.require(Goal, course.goal.id).deleted


def test_three_laptops_editing_one_group_end_with_the_same_records(hub: Hub, tmp_path: Path) -> None:
    roles = [hub.cluster.new_role(name) for name in ("ana", "ben", "cai")]
    grant(hub.admin_dsn, roles[0], group=None)
    laptops = [open_laptop(tmp_path, name) for name in ("a", "b", "c")]
    try:
        course = start_course(laptops[0], people=("Ana", "Ben", "Cai"))
        sync(laptops[0], dsn=hub.dsn(roles[0]), now=FIXED_NOW)
        for role, laptop in zip(roles[1:], laptops[1:], strict=True):
            grant(hub.admin_dsn, role, group=course.group.id)
            sync(laptop, dsn=hub.dsn(role), now=FIXED_NOW)
        for number, laptop in enumerate(laptops):
            laptop.clock.advance(minutes=number + 1)
            person = course.people[number]
            laptop.mark_attendance(course.meetings[1].id, person.id, AttendanceStatus.PRESENT)
            laptop.update(laptop.require(Goal, course.goal.id), title=f"Walk, as laptop {number} says")
        for _ in range(2):
            for laptop in laptops:
                sync(laptop, dsn=None, now=FIXED_NOW)
        assert same_records(*laptops)
        marks = laptops[0].meeting_marks(course.meetings[1].id)
        assert set(marks) == {p.id for p in course.people}
        assert laptops[0].require(Goal, course.goal.id).title == "Walk, as laptop 2 says"
        assert len(laptops[0].all(Conflict)) == 2  # the other two titles, kept
    finally:
        for laptop in laptops:
            laptop.close()


def test_an_encrypted_laptop_syncs_and_stays_encrypted_on_disk(hub: Hub, tmp_path: Path) -> None:
    ana_role, ben_role = hub.cluster.new_role("ana"), hub.cluster.new_role("ben")
    grant(hub.admin_dsn, ana_role, group=None)
    sealed = SealedStorage(SealingKey.new("kettle on the windowsill", CHEAP))
    encrypted = Store.open(tmp_path / "b" / "facilitator.json", storage=sealed, backup=False)
    a = open_laptop(tmp_path, "a")
    try:
        course = start_course(a, people=("Marisol", "Okonkwo"))
        sync(a, dsn=hub.dsn(ana_role), now=FIXED_NOW)
        grant(hub.admin_dsn, ben_role, group=course.group.id)
        sync(encrypted, dsn=hub.dsn(ben_role), now=FIXED_NOW)
        assert same_records(a, encrypted)
        encrypted.fold()
        assert files_holding(tmp_path / "b", ("Marisol", "Okonkwo", "Walk every morning")) == []
        assert is_sealed((tmp_path / "b" / "facilitator.json").read_bytes())
    finally:
        a.close()
        encrypted.close()
    assert files_holding(tmp_path / "b", ("Marisol", "Okonkwo", "Walk every morning")) == []


def test_one_person_marked_at_one_meeting_on_two_laptops_is_one_mark_and_a_conflict(
    hub: Hub, tmp_path: Path
) -> None:
    with laptops_sharing_a_group(hub, tmp_path) as (a, b, course):
        meeting, person = course.meetings[1].id, course.people[0].id
        a.mark_attendance(meeting, person, AttendanceStatus.PRESENT)
        b.clock.advance(minutes=1)
        b.mark_attendance(meeting, person, AttendanceStatus.LATE)  # another record, the same thing
        for laptop in (a, b, a):
            sync(laptop, dsn=None, now=FIXED_NOW)
        assert same_records(a, b)
        for laptop in (a, b):
            assert laptop.meeting_marks(meeting)[person].status is AttendanceStatus.LATE
            (entry,) = laptop.all(Conflict)
            assert entry.lost["status"] == "present" and entry.lost["id"] != entry.record_id
