"""Laptops for the hub tests: real stores in their own folders, and a small course to fill them with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from facilitator.store import Store
from facilitator.store.records import (
    AttendanceStatus,
    CheckIn,
    Enrollment,
    Goal,
    Group,
    Meeting,
    Participant,
    Schedule,
)
from facilitator.sync.merge import canonical_bytes
from tests.conftest import FIXED_NOW, FakeClock


def open_laptop(folder: Path, name: str, clock: FakeClock | None = None) -> Store:
    return Store.open(folder / name / "facilitator.json", clock=clock or FakeClock(), backup=False)


@dataclass
class Course:
    group: Group
    people: list[Participant]
    meetings: list[Meeting]
    goal: Goal


def start_course(
    store: Store, name: str = "Tuesday evening", people: tuple[str, ...] = ("Ana", "Ben")
) -> Course:
    """A group with people on its roster, two meetings (the first marked) and a goal."""
    group = Group(name=name, schedule=Schedule(start_date=date(2026, 3, 3), weekdays=[1]))
    persons = [Participant(display_name=person, full_name=f"{person} Example") for person in people]
    places = [Enrollment(participant_id=p.id, group_id=group.id, joined_on=date(2026, 3, 3)) for p in persons]
    meetings = [
        Meeting(group_id=group.id, number=n, scheduled_start=FIXED_NOW + timedelta(weeks=n - 1))
        for n in (1, 2)
    ]
    goal = Goal(
        participant_id=persons[0].id,
        group_id=group.id,
        title="Walk every morning",
        check_ins=[CheckIn(at=FIXED_NOW, rating=3, note="a good week")],
    )
    store.save_all([group, *persons, *places, *meetings, goal])
    for person in persons:
        store.mark_attendance(meetings[0].id, person.id, AttendanceStatus.PRESENT)
    return Course(group, persons, meetings, goal)


def same_records(*stores: Store) -> bool:
    first = canonical_bytes(stores[0].holding())
    return all(canonical_bytes(other.holding()) == first for other in stores[1:])
