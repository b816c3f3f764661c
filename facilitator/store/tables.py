"""The records in memory: one dict per table, indexes built on first use, and the queries the screens ask.

Records are immutable Structs, so a list of them is a snapshot. One `threading.RLock` serialises callers (the
app's event loop and its workers); `Store` adds the file, the journal and the writes on top.
"""

from __future__ import annotations

import sys
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

import msgspec

from facilitator.store import codec
from facilitator.store.errors import CorruptDatabase
from facilitator.store.records import (
    TABLES,
    AttendanceMark,
    Conflict,
    Enrollment,
    Goal,
    Group,
    HomeAssignment,
    Meeting,
    MeetingStatus,
    Meta,
    Participant,
    Record,
)

R = TypeVar("R", bound=Record)

# The indexes behind the screens' queries; `load_rest` builds them ahead of need.
INDEXES = (
    ("enrollments", "group_id"),
    ("enrollments", "participant_id"),
    ("meetings", "group_id"),
    ("marks", "meeting_id"),
    ("marks", "participant_id"),
    ("goals", "participant_id"),
    ("assignments", "meeting_id"),
    ("assignments", "due_meeting_id"),
    ("assignments", "group_id"),
)
# Id fields whose strings are shared between records (see `_decode`).
SHARED_ID_FIELDS: dict[str, tuple[str, ...]] = {
    "meta": (),
    "groups": ("id",),
    "participants": ("id",),
    "meetings": ("id", "group_id"),
    "enrollments": ("participant_id", "group_id"),
    "marks": ("meeting_id", "participant_id"),
    "goals": ("participant_id", "group_id"),
    "assignments": ("meeting_id", "group_id", "due_meeting_id", "participant_id"),
    "conflicts": (),
}


# The `seen` of every record that has seen nothing else, shared (a new version always gets a new dict: see
# `stamps.py`, which never changes one in place): at ten years of records, one empty dict instead of 460,000.
NOTHING_SEEN: dict[str, str] = {}


def sort_key(name: str) -> str:
    """A name's place in a list: case- and accent-insensitive, so Émile sits beside Emma."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def index_of(records: Iterable[tuple[str, Record]], field: str) -> dict[Any, list[str]]:
    """Record ids (from `(id, record)` pairs) by the value of one field."""
    by_value: dict[Any, list[str]] = {}
    for record_id, record in records:
        value = getattr(record, field)
        if value is not None:
            by_value.setdefault(value, []).append(record_id)
    return by_value


class RecordTables:
    """Every table's records by id, with tables a lazy open left encoded until first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Set when a table turned out not to decode: from then on the file is never rewritten.
        self.damage: str | None = None
        self._mutex = threading.RLock()
        self._records: dict[str, dict[str, Record]] = {name: {} for name in TABLES}
        # (table, field) -> field value -> ids of the records with it; built on first use, then kept current.
        self._index: dict[tuple[str, str], dict[Any, list[str]]] = {}
        self._pending: dict[str, msgspec.Raw] = {}
        # A lazy open of a plain file stops reading at the first big table; the rest is read from here.
        self._tail: codec.TableStream | None = None
        # Held while the tail is read: a worker reads it ahead without the lock above (see `Store.load_rest`),
        # and a caller that needs a table of it meanwhile waits here for what the worker read.
        self._tail_lock = threading.Lock()
        self._read_tables: set[str] = set()  # the tables read from the file so far
        self._changes = 0  # records put in memory since opening: an index built from a copy is still true

    def _read_tail(self) -> None:
        """Read the tables a lazy open left in the file (the store, which has the file, does this)."""
        raise NotImplementedError

    def _decode(self, name: str, raw: msgspec.Raw, *, batch: bool = False) -> None:
        """Decode a table (or, with `batch`, a batch of its records read from a TableStream) into memory."""
        try:
            decoded = self._decoded(name, raw, batch=batch)
        except CorruptDatabase as error:
            self.damage = str(error)
            raise
        self._records[name].update(decoded)

    def _decoded(self, name: str, raw: msgspec.Raw, *, batch: bool = False) -> dict[str, Record]:
        """A table's (or a batch's) records by id, as they are kept in memory; touches nothing shared, so a
        worker may decode without holding the lock."""
        decoded = (codec.decode_batch if batch else codec.decode_table)(self.path, name, raw)
        share = SHARED_ID_FIELDS[name]
        for record in decoded.values():
            # 400,000 marks each naming a meeting and a person: one string object per id, not one per mention.
            for field in share:
                value = getattr(record, field)
                if value is not None:
                    msgspec.structs.force_setattr(record, field, sys.intern(value))
            if record.updated_at == record.created_at:
                msgspec.structs.force_setattr(record, "updated_at", record.created_at)
            if not record.seen:
                msgspec.structs.force_setattr(record, "seen", NOTHING_SEEN)
        return {record.id: record for record in decoded.values()}

    def _table(self, name: str) -> dict[str, Record]:
        """A table's records by id, decoding it now if it was left for later."""
        if self._tail is not None and name not in self._read_tables:
            self._read_tail()
        raw = self._pending.get(name)
        if raw is not None:
            # Taken off the list only once it decoded: a damaged table stays unread, never emptied.
            self._decode(name, raw)
            del self._pending[name]
        return self._records[name]

    # --- memory and indexes ---------------------------------------------------------------------------------

    def _put_in_memory(self, record: Record) -> None:
        if isinstance(record, Conflict):
            self._put_conflict(record)
            return
        records = self._table(record.table)
        old = records.get(record.id)
        records[record.id] = record
        self._changes += 1
        self._reindex(record.table, record.id, old, record)

    def _put_conflict(self, entry: Conflict) -> None:
        """A settled entry leaves the log; a live one for another record takes that record out of its table.

        The conflict log is derived from the versions (see `facilitator.sync.merge`): a record folded into
        another by their natural key lives on only as log entries, until the facilitator picks.
        """
        entries = self._table(Conflict.table)
        self._changes += 1
        if entry.deleted_at is not None:
            entries.pop(entry.id, None)
            return
        entries[entry.id] = entry
        folded = entry.lost.get("id")
        if folded != entry.record_id and isinstance(folded, str):
            old = self._table(entry.record_table).pop(folded, None)
            if old is not None:
                self._reindex(entry.record_table, folded, old, None)

    def _reindex(self, table: str, record_id: str, old: Record | None, new: Record | None) -> None:
        for (indexed, field), by_value in self._index.items():
            if indexed != table:
                continue
            value = getattr(new, field) if new is not None else None
            before = getattr(old, field) if old is not None else None
            if old is not None and before == value:
                continue
            if old is not None and before is not None:
                by_value[before].remove(record_id)
            if value is not None:
                by_value.setdefault(value, []).append(record_id)

    def _index_for(self, table: str, field: str) -> dict[Any, list[str]]:
        """Record ids by the value of one field, built on first use (so opening stays fast)."""
        by_value = self._index.get((table, field))
        if by_value is None:
            by_value = index_of(self._table(table).items(), field)
            self._index[(table, field)] = by_value
        return by_value

    def _build_index_unlocked(self, table: str, field: str) -> None:
        """Build an index without holding the lock (a worker, so the event loop is never kept waiting for it),
        and keep it only if nothing was put in memory meanwhile; else it is built again, holding the lock."""
        with self._mutex:
            if (table, field) in self._index:
                return
            records, changes = self._table(table), self._changes
        try:
            by_value: dict[Any, list[str]] | None = index_of(records.items(), field)
        except RuntimeError:  # a record added while it was read ("dictionary changed size")
            by_value = None
        with self._mutex:
            if (table, field) not in self._index:
                if by_value is not None and self._changes == changes:
                    self._index[(table, field)] = by_value
                else:
                    self._index_for(table, field)

    def _of(self, kind: type[R]) -> dict[str, R]:
        """One table's records by id, typed as `kind` (each table holds records of one type only)."""
        return cast("dict[str, R]", self._table(kind.table))

    def _indexed(self, kind: type[R], field: str, value: object) -> list[R]:
        records = self._of(kind)
        ids = self._index_for(kind.table, field).get(value, ())
        return [r for r in (records[i] for i in ids) if r.deleted_at is None]

    # --- reading --------------------------------------------------------------------------------------------

    @property
    def meta(self) -> Meta:
        with self._mutex:
            return next(iter(self._of(Meta).values()))

    def get(self, kind: type[R], record_id: str) -> R | None:
        with self._mutex:
            return self._of(kind).get(record_id)

    def require(self, kind: type[R], record_id: str) -> R:
        """A record that must be there (a screen opened on it); `KeyError` when it is not."""
        found = self.get(kind, record_id)
        if found is None:
            raise KeyError(f"no {kind.__name__} with id {record_id}")
        return found

    def all(self, kind: type[R], *, include_deleted: bool = False) -> list[R]:
        with self._mutex:
            records = self._of(kind).values()
            return [r for r in records if include_deleted or r.deleted_at is None]

    def count(self, kind: type[Record]) -> int:
        with self._mutex:
            return sum(1 for r in self._table(kind.table).values() if r.deleted_at is None)

    # --- the queries the screens need -----------------------------------------------------------------------

    def roster(self, group_id: str) -> list[tuple[Enrollment, Participant]]:
        """A group's enrolments with their people, by name."""
        with self._mutex:
            people = self._of(Participant)
            rows = [
                (e, people[e.participant_id])
                for e in self._indexed(Enrollment, "group_id", group_id)
                if e.participant_id in people
            ]
        return sorted(rows, key=lambda row: sort_key(row[1].display_name))

    def enrollments_of(self, participant_id: str) -> list[Enrollment]:
        with self._mutex:
            return self._indexed(Enrollment, "participant_id", participant_id)

    def group_meetings(self, group_id: str) -> list[Meeting]:
        """A group's meetings in course order."""
        with self._mutex:
            meetings = self._indexed(Meeting, "group_id", group_id)
        return sorted(meetings, key=lambda m: (m.number, m.scheduled_start))

    def meetings_in_progress(self) -> list[Meeting]:
        with self._mutex:
            return [m for m in self.all(Meeting) if m.status is MeetingStatus.IN_PROGRESS]

    def meeting_marks(self, meeting_id: str) -> dict[str, AttendanceMark]:
        """A meeting's live marks, by participant id."""
        with self._mutex:
            return {m.participant_id: m for m in self._indexed(AttendanceMark, "meeting_id", meeting_id)}

    def meetings_with_marks(self) -> set[str]:
        """Ids of the meetings that have at least one live attendance mark."""
        with self._mutex:
            records = self._table("marks")
            return {
                meeting_id
                for meeting_id, ids in self._index_for("marks", "meeting_id").items()
                if any(records[i].deleted_at is None for i in ids)
            }

    def participant_marks(self, participant_id: str) -> list[AttendanceMark]:
        """Every live mark of one person, across all their groups."""
        with self._mutex:
            return self._indexed(AttendanceMark, "participant_id", participant_id)

    def participant_goals(self, participant_id: str) -> list[Goal]:
        """A person's goals with their steps and check-ins, newest first."""
        with self._mutex:
            goals = self._indexed(Goal, "participant_id", participant_id)
        return sorted(goals, key=lambda g: g.created_at, reverse=True)

    def assignments_given_at(self, meeting_id: str) -> list[HomeAssignment]:
        with self._mutex:
            return self._indexed(HomeAssignment, "meeting_id", meeting_id)

    def assignments_due_at(self, meeting_id: str) -> list[HomeAssignment]:
        with self._mutex:
            return self._indexed(HomeAssignment, "due_meeting_id", meeting_id)

    def group_assignments(self, group_id: str) -> list[HomeAssignment]:
        with self._mutex:
            return self._indexed(HomeAssignment, "group_id", group_id)

    def groups(self) -> list[Group]:
        return sorted(self.all(Group), key=lambda g: sort_key(g.name))
