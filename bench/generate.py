"""Deterministic databases of a given size, made through the store's own API."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.sizes import Size
from facilitator.store import Store
from facilitator.store.records import (
    AgendaItem,
    AttendanceMark,
    AttendanceStatus,
    CheckIn,
    Enrollment,
    Goal,
    GoalStep,
    Group,
    GroupStatus,
    Meeting,
    MeetingStatus,
    Participant,
    Record,
    Schedule,
    SessionRef,
)

EPOCH = datetime(2016, 1, 5, 18, 30, tzinfo=UTC)
STATUSES = [AttendanceStatus.PRESENT] * 7 + [
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
]
NOTES = ["", "", "", "bus was late", "left for an appointment", "first time sharing"]
BATCH = 5_000
GRID_MEETINGS, GRID_PEOPLE = 200, 25


class Generator:
    def __init__(self, size: Size, seed: int = 1) -> None:
        self.size = size
        self.rng = random.Random(seed)

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def records(self) -> list[Record]:
        """Every record of the database, groups first so the big groups come out like a real agency."""
        size, rng = self.size, self.rng
        out: list[Record] = []
        people = [
            Participant(id=self.new_id(), display_name=f"Person {i:05d}", created_at=EPOCH, updated_at=EPOCH)
            for i in range(size.participants)
        ]
        out += people
        # Group 000 is the long-running one whose 200 x 25 attendance grid the bench opens.
        long_meetings, long_roster = min(GRID_MEETINGS, size.meetings // 2), min(GRID_PEOPLE, len(people))
        others = max(1, size.groups - 1)
        meetings_per_group = max(1, (size.meetings - long_meetings) // others)
        marks_per_meeting = max(
            1, (size.marks - long_meetings * long_roster) // max(1, size.meetings - long_meetings)
        )
        roster_size = min(len(people), max(marks_per_meeting + 5, 12))
        group_ids = []
        for g in range(size.groups):
            n_meetings = long_meetings if g == 0 else meetings_per_group
            n_roster = long_roster if g == 0 else roster_size
            n_marks = long_roster if g == 0 else marks_per_meeting
            start = EPOCH + timedelta(days=7 * rng.randrange(0, 400))
            group = Group(
                id=self.new_id(),
                name=f"Group {g:03d}",
                pack_id="imr-style",
                pack_version="1.0.0",
                status=GroupStatus.RUNNING if g % 4 == 0 else GroupStatus.FINISHED,
                schedule=Schedule(start_date=start.date(), weekdays=[1], start_time="18:30"),
                facilitators=["Sam", "Jude"],
                created_at=EPOCH,
                updated_at=EPOCH,
            )
            out.append(group)
            group_ids.append(group.id)
            roster = rng.sample(people, n_roster)
            out += [
                Enrollment(
                    id=self.new_id(),
                    participant_id=p.id,
                    group_id=group.id,
                    joined_on=start.date(),
                    created_at=EPOCH,
                    updated_at=EPOCH,
                )
                for p in roster
            ]
            for n in range(n_meetings):
                when = start + timedelta(days=7 * n)
                meeting = Meeting(
                    id=self.new_id(),
                    group_id=group.id,
                    number=n + 1,
                    scheduled_start=when,
                    status=MeetingStatus.HELD,
                    covers=SessionRef(
                        unit_id="recovery-strategies", session_number=n % 4 + 1, title="Session"
                    ),
                    agenda=[
                        AgendaItem(title="Check-in", kind="check-in", planned_seconds=300, actual_seconds=310)
                    ],
                    created_at=when,
                    updated_at=when,
                )
                out.append(meeting)
                for p in rng.sample(roster, n_marks):
                    out.append(
                        AttendanceMark(
                            id=self.new_id(),
                            meeting_id=meeting.id,
                            participant_id=p.id,
                            status=rng.choice(STATUSES),
                            note=rng.choice(NOTES),
                            created_at=when,
                            updated_at=when,
                        )
                    )
        for i in range(size.goals):
            person = people[i % len(people)]
            out.append(
                Goal(
                    id=self.new_id(),
                    participant_id=person.id,
                    group_id=group_ids[i % len(group_ids)],
                    title="Walk to the park three times a week",
                    steps=[GoalStep(text="Pick a day"), GoalStep(text="Go once")],
                    check_ins=[
                        CheckIn(at=EPOCH + timedelta(days=7 * k), rating=rng.randint(1, 5)) for k in range(3)
                    ],
                    created_at=EPOCH,
                    updated_at=EPOCH,
                )
            )
        return out


def generate(size: Size, path: Path, seed: int = 1) -> Path:
    """Write a database of `size` at `path` (replacing what is there) through the store API."""
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    records = Generator(size, seed).records()
    with Store.open(path, backup=False, clock=lambda: EPOCH) as store:
        for start in range(0, len(records), BATCH):
            store.save_all(records[start : start + BATCH])
    return path
