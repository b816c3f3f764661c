"""Which groups a version belongs to on the hub, and which versions a laptop has not pushed yet (pure).

Row-level security works by group, so every row on the hub names one. A person belongs to each group that
has them on its roster (or marked, or given practice); a goal without a group goes with each of its
person's groups. A person's own record travels again with each new place, mark or practice in a group, so
whoever sees the group sees who it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from facilitator.store.records import (
    AttendanceMark,
    Conflict,
    Enrollment,
    Goal,
    Group,
    HomeAssignment,
    Meeting,
    Participant,
    Record,
)
from facilitator.sync.merge import RECORD_TABLES, Holding, lost_version


@dataclass(frozen=True)
class Version:
    """One version of one record, as it goes to the hub: in one group."""

    table: str
    record: Record
    group_id: str


PersonGroups = Callable[[str], set[str]]


@dataclass(frozen=True)
class Belonging:
    """Where meetings and people belong: a meeting by its record, a person by `person_groups`."""

    meetings: Mapping[str, Record]
    person_groups: PersonGroups

    def groups_of(self, record: Record) -> set[str]:
        if isinstance(record, Group):
            return {record.id}
        if isinstance(record, Enrollment | Meeting | HomeAssignment):
            return {record.group_id}
        if isinstance(record, AttendanceMark):
            meeting = self.meetings.get(record.meeting_id)
            return {meeting.group_id} if isinstance(meeting, Meeting) else set()
        if isinstance(record, Participant):
            return self.person_groups(record.id)
        if isinstance(record, Goal):
            return {record.group_id} if record.group_id else self.person_groups(record.participant_id)
        return set()


def every_version(holding: Holding) -> Iterator[tuple[str, Record]]:
    """Each version a database holds: its records, and the versions kept in its conflict log."""
    for table in RECORD_TABLES:
        for record in holding.get(table, {}).values():
            yield table, record
    for entry in holding.get(Conflict.table, {}).values():
        if isinstance(entry, Conflict):
            yield entry.record_table, lost_version(entry)


def belonging(holding: Holding) -> Belonging:
    """Where everything belongs, from every version a database holds (tombstones included)."""
    meetings = holding.get(Meeting.table, {})
    found: dict[str, set[str]] = {}
    for _, record in every_version(holding):
        person = getattr(record, "participant_id", None)
        if isinstance(record, Enrollment | HomeAssignment | AttendanceMark) and person:
            found.setdefault(person, set()).update(Belonging(meetings, lambda _: set()).groups_of(record))
    return Belonging(meetings, lambda person: set(found.get(person, ())))


def versions_to_push(holding: Holding, after: str, where: Belonging | None = None) -> list[Version]:
    """Every version stamped after `after`, once for each group it belongs to, and the people they name.

    `where` says where records belong (by default worked out from the whole holding).
    """
    where = where or belonging(holding)
    people = holding.get(Participant.table, {})
    chosen: dict[tuple[str, str, str, str], Version] = {}

    def add(table: str, record: Record, group_id: str) -> None:
        chosen.setdefault((table, record.id, record.stamp, group_id), Version(table, record, group_id))

    for table, record in every_version(holding):
        if record.stamp <= after:
            continue
        for group_id in where.groups_of(record):
            add(table, record, group_id)
            person = getattr(record, "participant_id", None)
            named = people.get(person) if isinstance(person, str) else None
            if isinstance(record, Enrollment | AttendanceMark | HomeAssignment) and named is not None:
                add(Participant.table, named, group_id)
    return list(chosen.values())


def waiting(holding: Holding, after: str) -> int:
    """How many versions here are not on the hub yet (each counted once, whatever its groups)."""
    return sum(1 for _, record in every_version(holding) if record.stamp > after)
