"""The repository the app talks to: typed records in memory, every write durable before it returns.

Writes go to an fsynced journal line beside the file (cost: the size of what changed), and the journal is
folded into the one JSON file (an atomic rewrite) when the store closes, when it opens after a crash, and when
the journal grows past a limit. With the app closed the file alone is the whole database, valid TinyDB JSON.
TinyDB itself is not thread-safe and neither is this: the one `threading.RLock` serialises callers.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from curricula.format import Stage
from facilitator.store import codec
from facilitator.store.backups import backups_newest_first, make_backup
from facilitator.store.durable import FILE_MODE, atomic_write, ensure_private_dir, fsync_dir
from facilitator.store.errors import (
    CorruptDatabase,
    NewerSchema,
    ReadOnlyStore,
    RecordConflict,
    StoreError,
)
from facilitator.store.journal import Journal, read_journal
from facilitator.store.lock import WriterLock
from facilitator.store.migrations import migrate
from facilitator.store.records import (
    SCHEMA_VERSION,
    TABLES,
    AttendanceMark,
    AttendanceStatus,
    Enrollment,
    Goal,
    Group,
    HomeAssignment,
    Meeting,
    MeetingStatus,
    Meta,
    Participant,
    Record,
    StageChange,
    utc_now,
)

R = TypeVar("R", bound=Record)
Clock = Callable[[], datetime]

FOLD_JOURNAL_BYTES = 4 * 1024 * 1024


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
}

# Tables Home does not need for its first paint.
LAZY_TABLES = frozenset({"marks", "goals", "assignments"})


def sort_key(name: str) -> str:
    """A name's place in a list: case- and accent-insensitive, so Émile sits beside Emma."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Store:
    """One open database file."""

    def __init__(self, path: Path, *, read_only: bool, clock: Clock, lazy: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.clock = clock
        self.warnings: list[str] = []
        self._mutex = threading.RLock()
        self._records: dict[str, dict[str, Record]] = {name: {} for name in TABLES}
        # (table, field) -> field value -> ids of the records with it; built on first use, then kept current.
        self._index: dict[tuple[str, str], dict[Any, list[str]]] = {}
        self._extra_tables: dict[str, msgspec.Raw] = {}
        self._lazy = lazy
        self._pending: dict[str, msgspec.Raw] = {}
        self._backup_pending = False
        self._fold_lock = threading.Lock()
        # The app turns this off and folds in a worker instead, so no write waits for a whole-file rewrite.
        self.auto_fold = True
        self._lock: WriterLock | None = None
        self._journal: Journal | None = None

    # --- opening and closing --------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        read_only: bool = False,
        clock: Clock = utc_now,
        backup: bool = True,
        app_version: str = "",
        lazy: bool = False,
    ) -> Store:
        """Open (or create) the database at `path`; raises StoreError with one line to show.

        With `lazy`, the big tables (marks, goals, assignments) are checked and decoded on first use or by
        `load_rest()`, so Home can paint first; a damaged record there surfaces from `load_rest()`.
        """
        store = cls(Path(path).expanduser().absolute(), read_only=read_only, clock=clock, lazy=lazy)
        try:
            store._open(backup=backup, app_version=app_version)
        except CorruptDatabase as error:
            store._release()
            raise CorruptDatabase(f"{error} {store.backup_hint()}") from None
        except BaseException:
            store._release()
            raise
        return store

    def _open(self, *, backup: bool, app_version: str) -> None:
        path = self.path
        if not self.read_only:
            ensure_private_dir(path.parent)
            self._lock = WriterLock(path)
            self._lock.acquire(self.clock())
        if path.exists():
            self._load_file()
        elif self.read_only:
            raise StoreError(f"there is no database at {path}")
        else:
            self._create(app_version)
        # A fold interrupted by a crash leaves its journal beside the new one: older writes first.
        folding, torn_folding = read_journal(self._folding_path)
        batches, torn = read_journal(self._journal_path)
        self._replay(folding)
        self._replay(batches)
        if torn or torn_folding:
            self.warnings.append("an unfinished last write from a crash was discarded from the journal")
        if self.read_only:
            return
        if folding or batches or torn or torn_folding or self._folding_path.exists():
            self._write_file(self._snapshot())
            self._folding_path.unlink(missing_ok=True)
            self._journal_path.unlink(missing_ok=True)
        if backup and self._lazy:
            self._backup_pending = True  # taken by load_rest(), before anything can fold into the file
        elif backup:
            make_backup(path, self.clock())
        self._journal = Journal(self._journal_path)
        if app_version and self.meta.app_version != app_version:
            self.update(self.meta, app_version=app_version)

    @property
    def _journal_path(self) -> Path:
        return self.path.with_name(self.path.name + ".journal")

    @property
    def _folding_path(self) -> Path:
        return self.path.with_name(self.path.name + ".journal.folding")

    def _read_bytes(self) -> bytes:
        try:
            mode = os.stat(self.path).st_mode
            if stat.S_IMODE(mode) & 0o077 and not self.read_only:
                os.chmod(self.path, FILE_MODE)
                self.warnings.append(
                    f"{self.path.name} could be read by other users (mode {stat.S_IMODE(mode):o}); "
                    "it is now private (600)"
                )
            return self.path.read_bytes()
        except PermissionError:
            raise StoreError(f"cannot read {self.path}: permission denied") from None
        except IsADirectoryError:
            raise StoreError(f"{self.path} is a folder, not a database file") from None

    def _load_file(self) -> None:
        data = self._read_bytes()
        tables = codec.split_tables(self.path, data)
        metas = codec.decode_table(self.path, "meta", tables["meta"])
        if not metas:
            raise CorruptDatabase(f"{self.path.name} has an empty meta table")
        version = next(iter(metas.values())).schema_version
        if version > SCHEMA_VERSION:
            raise NewerSchema(
                f"{self.path.name} was written by a newer Facilitator (schema {version}; "
                f"this one reads up to {SCHEMA_VERSION}). Update Facilitator to open it; "
                "the file was not changed."
            )
        if version < SCHEMA_VERSION:
            if self.read_only:
                raise StoreError(
                    f"{self.path.name} needs an upgrade (schema {version} → {SCHEMA_VERSION}); "
                    "open it once without --read-only"
                )
            data = self._migrate(tables, version)
            tables = codec.split_tables(self.path, data)
        for name, raw in tables.items():
            if name not in TABLES:
                self._extra_tables[name] = raw
                continue
            if self._lazy and name in LAZY_TABLES:
                self._pending[name] = raw
            else:
                self._decode(name, raw)

    def _decode(self, name: str, raw: msgspec.Raw) -> None:
        decoded = codec.decode_table(self.path, name, raw)
        share = SHARED_ID_FIELDS[name]
        for record in decoded.values():
            # 400,000 marks each naming a meeting and a person: one string object per id, not one per mention.
            for field in share:
                value = getattr(record, field)
                if value is not None:
                    msgspec.structs.force_setattr(record, field, sys.intern(value))
            if record.updated_at == record.created_at:
                msgspec.structs.force_setattr(record, "updated_at", record.created_at)
        self._records[name] = {record.id: record for record in decoded.values()}

    def _table(self, name: str) -> dict[str, Record]:
        """A table's records by id, decoding it now if it was left for later."""
        raw = self._pending.pop(name, None)
        if raw is not None:
            self._decode(name, raw)
        return self._records[name]

    def load_rest(self) -> None:
        """Decode the tables a lazy open left for later (the app runs this in a worker after Home paints)."""
        with self._mutex:
            for name in list(self._pending):
                self._table(name)
            self._take_pending_backup()
        for table, field in INDEXES:
            # Built here, in the app's worker, so the first query on the event loop finds them ready.
            with self._mutex:
                self._index_for(table, field)

    def _take_pending_backup(self) -> None:
        if self._backup_pending:
            self._backup_pending = False
            make_backup(self.path, self.clock())

    def _migrate(self, tables: dict[str, msgspec.Raw], version: int) -> bytes:
        """Upgrade the file in place, always after a backup of it as it was."""
        make_backup(self.path, self.clock(), label=f"before-schema-{SCHEMA_VERSION}")
        plain = {name: codec.decode_untyped(raw) for name, raw in tables.items()}
        plain = migrate(plain, version, SCHEMA_VERSION)
        chunks = codec.encode_file(
            (name, ((doc_id, msgspec.json.encode(doc)) for doc_id, doc in docs.items()))
            for name, docs in plain.items()
        )
        atomic_write(self.path, chunks)
        return b"".join(chunks)

    def _create(self, app_version: str) -> None:
        now = self.clock()
        self._put_in_memory(
            Meta(schema_version=SCHEMA_VERSION, created_at=now, updated_at=now, app_version=app_version)
        )
        self._write_file(self._snapshot())

    def _replay(self, batches: list[list[list[Any]]]) -> None:
        for batch in batches:
            for table, doc in batch:
                try:
                    record = msgspec.convert(doc, TABLES[table])
                except (KeyError, msgspec.ValidationError) as error:
                    raise CorruptDatabase(f"{self._journal_path.name}: table {table}: {error}") from None
                self._put_in_memory(record)

    def backup_hint(self) -> str:
        good = newest_good_backup(self.path)
        if good is None:
            return "No good backup was found; the file was not changed."
        return f"Newest good backup: {good} (run `facilitator doctor --restore`). The file was not changed."

    def close(self) -> None:
        """Fold the journal into the file and let go of the lock."""
        with self._fold_lock, self._mutex:
            if self._journal is not None and self._journal.size:
                self._fold_holding_fold_lock()
            if self._journal is not None:
                # With the app closed the file alone is the database.
                self._journal.close()
                self._journal = None
                self._journal_path.unlink(missing_ok=True)
            self._release()

    def _release(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the file -------------------------------------------------------------------------------------------

    def _snapshot(self) -> dict[str, list[Record]]:
        """Every table's records as they are now (records are immutable, so a list of them is a snapshot)."""
        return {name: list(self._table(name).values()) for name in TABLES}

    def _write_file(self, snapshot: dict[str, list[Record]]) -> None:
        def docs(records: list[Record]) -> Iterator[tuple[str, bytes]]:
            # A record's TinyDB doc id is its place in the table: records are only ever added (deleting
            # leaves a tombstone), so the numbering is stable; the app itself refers to records by UUID.
            for position, record in enumerate(records, start=1):
                yield str(position), codec.encode_record(record)

        tables = [(name, docs(records)) for name, records in snapshot.items()]
        tables += [(name, self._raw_docs(raw)) for name, raw in self._extra_tables.items()]
        atomic_write(self.path, codec.encode_file(tables))

    @staticmethod
    def _raw_docs(raw: msgspec.Raw) -> Iterator[tuple[str, bytes]]:
        for doc_id, doc in msgspec.json.decode(raw, type=dict[str, msgspec.Raw]).items():
            yield doc_id, bytes(doc)

    def fold(self, *, blocking: bool = True) -> bool:
        """Fold the journal into the file; returns False if another fold is running and `blocking` is off.

        Safe to run in a worker thread while the app goes on writing: the journal is set aside and a new one
        started under the mutex, then the file is rewritten from a snapshot without holding it. Until the file
        is replaced, both journals are on disk, and opening after a crash replays the older one first.
        """
        if not self._fold_lock.acquire(blocking=blocking):
            return False
        try:
            self._fold_holding_fold_lock()
            return True
        finally:
            self._fold_lock.release()

    def _fold_holding_fold_lock(self) -> None:
        with self._mutex:
            self._require_writable()
            assert self._journal is not None
            if not self._journal.size:
                return
            self._take_pending_backup()
            self._journal.close()
            os.replace(self._journal_path, self._folding_path)
            self._journal = Journal(self._journal_path)
            snapshot = self._snapshot()
        self._write_file(snapshot)
        self._folding_path.unlink()
        fsync_dir(self.path.parent)

    @property
    def journal_bytes(self) -> int:
        return self._journal.size if self._journal is not None else 0

    # --- memory and indexes ---------------------------------------------------------------------------------

    def _put_in_memory(self, record: Record) -> None:
        records = self._table(record.table)
        old = records.get(record.id)
        records[record.id] = record
        for (table, field), by_value in self._index.items():
            if table != record.table:
                continue
            value = getattr(record, field)
            before = getattr(old, field) if old is not None else None
            if old is not None and before == value:
                continue
            if old is not None and before is not None:
                by_value[before].remove(record.id)
            if value is not None:
                by_value.setdefault(value, []).append(record.id)

    def _index_for(self, table: str, field: str) -> dict[Any, list[str]]:
        """Record ids by the value of one field, built on first use (so opening stays fast)."""
        by_value = self._index.get((table, field))
        if by_value is None:
            by_value = {}
            for record_id, record in self._table(table).items():
                value = getattr(record, field)
                if value is not None:
                    by_value.setdefault(value, []).append(record_id)
            self._index[(table, field)] = by_value
        return by_value

    def _indexed(self, kind: type[R], field: str, value: object) -> list[R]:
        records = self._table(kind.table)
        ids = self._index_for(kind.table, field).get(value, ())
        return [r for r in (records[i] for i in ids) if r.deleted_at is None]  # type: ignore[misc]

    # --- writing --------------------------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self.read_only or self._journal is None:
            raise ReadOnlyStore("this database is open read-only; nothing was saved")

    def _commit(self, records: Iterable[Record]) -> None:
        """Write records durably (one journal line), then make them visible."""
        batch = [(record.table, record) for record in records]
        assert self._journal is not None
        try:
            self._journal.append(batch)
        except OSError as error:
            raise StoreError(f"could not save to {self._journal_path}: {error.strerror}") from None
        for _, record in batch:
            self._put_in_memory(record)
        if self.auto_fold and self._journal.size > FOLD_JOURNAL_BYTES:
            self.fold(blocking=False)

    def add(self, *records: R) -> None:
        """Save new records; their ids must be new."""
        with self._mutex:
            self._require_writable()
            for record in records:
                if record.id in self._table(record.table):
                    raise RecordConflict(f"a record with id {record.id} already exists in {record.table}")
            self._commit(records)

    def update(self, record: R, **changes: Any) -> R:
        """Save a changed copy of `record` and return it."""
        with self._mutex:
            self._require_writable()
            changed = msgspec.structs.replace(record, **changes, updated_at=self.clock())
            self._commit([changed])
            return changed

    def delete(self, record: R) -> R:
        """Leave a tombstone, so a later merge cannot bring the record back."""
        now = self.clock()
        return self.update(record, deleted_at=now)

    def save_all(self, records: Iterable[Record]) -> None:
        """Save several new or changed records in one durable write (all or nothing)."""
        with self._mutex:
            self._require_writable()
            self._commit(list(records))

    # --- reading --------------------------------------------------------------------------------------------

    @property
    def meta(self) -> Meta:
        with self._mutex:
            return next(iter(self._table("meta").values()))  # type: ignore[return-value]

    def get(self, kind: type[R], record_id: str) -> R | None:
        with self._mutex:
            record = self._table(kind.table).get(record_id)
            return record  # type: ignore[return-value]

    def all(self, kind: type[R], *, include_deleted: bool = False) -> list[R]:
        with self._mutex:
            records = self._table(kind.table).values()
            return [r for r in records if include_deleted or r.deleted_at is None]  # type: ignore[misc]

    def count(self, kind: type[Record]) -> int:
        with self._mutex:
            return sum(1 for r in self._table(kind.table).values() if r.deleted_at is None)

    # --- the queries the screens need -----------------------------------------------------------------------

    def roster(self, group_id: str) -> list[tuple[Enrollment, Participant]]:
        """A group's enrolments with their people, by name."""
        with self._mutex:
            people = self._table("participants")
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

    def mark_attendance(
        self,
        meeting_id: str,
        participant_id: str,
        status: AttendanceStatus,
        *,
        at: datetime | None = None,
        note: str | None = None,
    ) -> AttendanceMark:
        """Set one person's mark for one meeting (there is at most one live mark per pair)."""
        with self._mutex:
            existing = self.meeting_marks(meeting_id).get(participant_id)
            if existing is not None:
                changes: dict[str, Any] = {"status": status, "at": at}
                if note is not None:
                    changes["note"] = note
                return self.update(existing, **changes)
            now = self.clock()
            mark = AttendanceMark(
                meeting_id=meeting_id,
                participant_id=participant_id,
                status=status,
                at=at,
                note=note or "",
                created_at=now,
                updated_at=now,
            )
            self.add(mark)
            return mark

    def set_stage(self, enrollment: Enrollment, stage: Stage | None, *, on: date) -> Enrollment:
        """Set a person's stage of treatment in a group, keeping the history of earlier stages."""
        history = list(enrollment.stage_history)
        if stage is not None:
            history.append(StageChange(stage=stage, on=on))
        return self.update(enrollment, stage=stage, stage_set_on=on, stage_history=history)

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


def newest_good_backup(db_path: Path) -> Path | None:
    """The newest backup that reads cleanly, or None."""
    for candidate in backups_newest_first(db_path):
        try:
            data = candidate.read_bytes()
            tables = codec.split_tables(candidate, data)
            for name, raw in tables.items():
                if name in TABLES:
                    codec.decode_table(candidate, name, raw)
        except (OSError, StoreError):
            continue
        return candidate
    return None
