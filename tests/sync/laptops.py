"""Laptops in memory for the merge properties: each writes as the store does and takes in the others' records.

Writes are stamped by the store's own functions (`next_stamp`, `stamped`); taking in is `merge`. Beside the
stamps, every version's true history (the versions it was written on top of) is kept apart, so the tests can
check the merge against what really happened rather than against the stamps it reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import msgspec

from facilitator.store.records import (
    AttendanceMark,
    AttendanceStatus,
    Conflict,
    Enrollment,
    Goal,
    Participant,
    Record,
)
from facilitator.store.stamps import next_stamp, stamped
from facilitator.sync.conflicts import settle
from facilitator.sync.merge import MERGED_TABLES, Tables, latest_stamp, lost_version, merge

START = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
PEOPLE = ("person-0", "person-1")
GOALS = ("goal-0", "goal-1")
MEETINGS = ("meeting-0", "meeting-1")
GROUPS = ("group-0", "group-1")


@dataclass
class History:
    """What really happened: every version written, and the versions each one was written on top of."""

    written: list[Record] = field(default_factory=list)
    below: dict[str, frozenset[str]] = field(default_factory=dict)  # stamp -> stamps of its true past
    ids: int = 0

    def new_id(self, kind: str) -> str:
        self.ids += 1
        return f"{kind}-{self.ids}"

    def was_written_over(self, later: Record, earlier: Record) -> bool:
        return earlier.stamp in self.below.get(later.stamp, frozenset())


class Laptop:
    def __init__(self, number: int, history: History, *, skew: timedelta = timedelta(0)) -> None:
        self.database_id = f"db{number}-{'0' * 8}"
        self.history = history
        self.wall = START + skew
        self.clock = ""
        self.tables: Tables = {name: {} for name in MERGED_TABLES}

    # --- writing, as the store does -------------------------------------------------------------------------

    def write(self, record: Record, *, also_over: tuple[Record, ...] = ()) -> Record:
        previous = self.tables[record.table].get(record.id)
        stamp = next_stamp(self.clock, self.wall, self.database_id)
        saved = stamped(record, previous, stamp, self.database_id)
        self.clock = stamp
        self.tables[record.table][record.id] = saved
        below: set[str] = set()
        for under in (*((previous,) if previous is not None else ()), *also_over):
            below |= self.history.below[under.stamp] | {under.stamp}
        self.history.below[stamp] = frozenset(below)
        self.history.written.append(saved)
        return saved

    def put_conflict(self, entry: Conflict) -> None:
        """What the store does with an entry: a settled one leaves, a folding one hides its record."""
        log = self.tables[Conflict.table]
        if entry.deleted_at is not None:
            log.pop(entry.id, None)
            return
        log[entry.id] = entry
        if entry.lost["id"] != entry.record_id:
            self.tables[entry.record_table].pop(entry.lost["id"], None)

    def tick(self, ms: int) -> None:
        self.wall += timedelta(milliseconds=ms)

    def live(self, kind: type[Record], record_id: str) -> Record | None:
        record = self.tables[kind.table].get(record_id)
        return record if record is not None and record.deleted_at is None else None

    def rename(self, person: int, name: str) -> None:
        found = self.live(Participant, PEOPLE[person])
        if found is not None:
            self.write(msgspec.structs.replace(found, display_name=name, updated_at=self.wall))

    def retitle_goal(self, goal: int, title: str) -> None:
        found = self.live(Goal, GOALS[goal])
        if found is not None:
            self.write(msgspec.structs.replace(found, title=title, updated_at=self.wall))

    def delete_goal(self, goal: int) -> None:
        found = self.live(Goal, GOALS[goal])
        if found is not None:
            self.write(msgspec.structs.replace(found, deleted_at=self.wall, updated_at=self.wall))

    def mark(self, meeting: int, person: int, status: AttendanceStatus) -> None:
        """Like `Store.mark_attendance`: the live mark for the pair is changed, or a new one made."""
        for mark in self.tables[AttendanceMark.table].values():
            assert isinstance(mark, AttendanceMark)
            key = (mark.meeting_id, mark.participant_id)
            if mark.deleted_at is None and key == (MEETINGS[meeting], PEOPLE[person]):
                self.write(msgspec.structs.replace(mark, status=status, updated_at=self.wall))
                return
        made = AttendanceMark(
            id=self.history.new_id("mark"),
            meeting_id=MEETINGS[meeting],
            participant_id=PEOPLE[person],
            status=status,
            created_at=self.wall,
            updated_at=self.wall,
        )
        self.write(made)

    def enrol(self, person: int, group: int) -> None:
        for place in self.tables[Enrollment.table].values():
            assert isinstance(place, Enrollment)
            if place.deleted_at is None and (place.participant_id, place.group_id) == (
                PEOPLE[person],
                GROUPS[group],
            ):
                return
        made = Enrollment(
            id=self.history.new_id("place"),
            participant_id=PEOPLE[person],
            group_id=GROUPS[group],
            joined_on=date(2026, 3, 3),
            created_at=self.wall,
            updated_at=self.wall,
        )
        self.write(made)

    def settle(self, which: int, *, keep_lost: bool) -> None:
        entries = sorted(self.tables[Conflict.table].values(), key=lambda e: e.id)
        if not entries:
            return
        entry = entries[which % len(entries)]
        assert isinstance(entry, Conflict)
        lost = lost_version(entry)
        folded = tuple(
            lost_version(e) for e in entries if isinstance(e, Conflict) and e.lost["id"] == lost.id
        )
        for record in settle(self.tables, entry, keep_lost=keep_lost, now=self.wall):
            if isinstance(record, Conflict):
                self.put_conflict(record)
            elif record.id != entry.record_id:
                self.write(record, also_over=folded)  # the folded record's tombstone, over all it logged
            else:
                self.write(record, also_over=(lost,))

    # --- exchanging -----------------------------------------------------------------------------------------

    def take_in(self, other: Laptop) -> None:
        """What importing the other laptop's bundle of everything does."""
        self.clock = max(self.clock, latest_stamp(other.tables))
        self.tables = merge(self.tables, other.tables)


def create_everything(laptop: Laptop) -> None:
    for number, person in enumerate(PEOPLE):
        laptop.write(Participant(id=person, display_name=f"Person {number}", created_at=laptop.wall))
    for number, goal in enumerate(GOALS):
        laptop.write(Goal(id=goal, participant_id=PEOPLE[0], title=f"Goal {number}", created_at=laptop.wall))
