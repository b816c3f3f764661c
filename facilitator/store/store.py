"""The repository the app talks to: typed records in memory, every write durable before it returns.

Writes go to an fsynced journal line beside the file (cost: the size of what changed), and the journal is
folded into the one JSON file (an atomic rewrite) when the store closes, when it opens after a crash, and when
the journal grows past a limit. With the app closed the file alone is the whole database, valid TinyDB JSON
(or, encrypted, that JSON sealed: every byte goes through the store's storage, `storage.py`, to the disk).
TinyDB itself is not thread-safe and neither is this: the one `threading.RLock` serialises callers.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import msgspec

from curricula.format import Stage
from facilitator.store import codec
from facilitator.store.backups import backup_advice, backup_folder, make_backup
from facilitator.store.durable import (
    FILE_MODE,
    atomic_write,
    check_private_dir,
    copy_private,
    ensure_private_dir,
    fsync_dir,
    remove_stale_temps,
)
from facilitator.store.errors import (
    BackupFailed,
    CorruptDatabase,
    NewerSchema,
    ReadOnlyStore,
    RecordConflict,
    SaveFailed,
    StoreError,
    describe_os_error,
)
from facilitator.store.files import (
    check_database_path,
    folding_paths,
    holds_only_database_files,
    journal_path,
    leftovers_of_a_missing_database,
    next_folding_path,
    open_database_file,
    read_again,
    real_path,
    same_file,
)
from facilitator.store.journal import Journal, JournalContents, cut_torn_tail, read_journal
from facilitator.store.lock import WriterLock
from facilitator.store.migrations import migrate
from facilitator.store.records import (
    SCHEMA_VERSION,
    TABLES,
    AttendanceMark,
    AttendanceStatus,
    Conflict,
    Enrollment,
    Meta,
    Record,
    StageChange,
    utc_now,
)
from facilitator.store.sealed import MARKER, is_sealed
from facilitator.store.stamps import next_stamp, stamped
from facilitator.store.storage import PLAIN, Storage, storage_for
from facilitator.store.tables import INDEXES, RecordTables
from facilitator.store.tables import sort_key as sort_key  # where the screens and reports import it from

R = TypeVar("R", bound=Record)
Clock = Callable[[], datetime]

FOLD_JOURNAL_BYTES = 4 * 1024 * 1024


# Tables Home does not need for its first paint.
LAZY_TABLES = frozenset({"marks", "goals", "assignments"})
WORKER_BATCH_BYTES = 256 * 1024  # the tail's batches, read in the app's worker beside the event loop


@dataclass
class FileRead:
    """A database file as opened: its tables whole (`tables`), or still to be read from `stream`.

    A plain file laid out as the store writes it is streamed (a batch of records at a time, never held
    whole); an encrypted one, or one laid out otherwise, is read whole.
    """

    info: os.stat_result
    tables: dict[str, msgspec.Raw] | None = None
    stream: codec.TableStream | None = None
    first: str = ""  # the stream's table whose header is read (the sniff reads "meta"'s)

    def close(self) -> None:
        if self.stream is not None:
            self.stream.file.close()


@dataclass
class ReadAhead:
    """The tail of a lazily opened file as a worker read it, outside the lock: not in memory yet.

    `whole`: the stream turned out laid out otherwise, part read; the tail is then read from the whole file.
    """

    tables: dict[str, dict[str, Record]]
    extra: dict[str, msgspec.Raw]
    whole: bool = False


class Store(RecordTables):
    """One open database file: its records in memory, each write durable in the journal before it returns."""

    def __init__(
        self,
        path: Path,
        *,
        read_only: bool,
        clock: Clock,
        lazy: bool = False,
        passphrase: str | None = None,
        storage: Storage | None = None,
    ) -> None:
        super().__init__(path)
        # How the bytes look on disk: found from the file when it exists, else the one asked for.
        self.storage: Storage = storage or PLAIN
        self._asked_storage = storage
        self._passphrase = passphrase
        self.read_only = read_only
        self.clock = clock
        self.warnings: list[str] = []
        self._extra_tables: dict[str, msgspec.Raw] = {}
        self._lazy = lazy
        self._backup_pending = False
        self._version_pending = ""
        self._fold_lock = threading.Lock()
        # The app turns this off and folds in a worker instead, so no write waits for a whole-file rewrite.
        self.auto_fold = True
        # Why the last fold failed (its writes are safe in the journals); the next fold tries again.
        self.fold_error: str | None = None
        self._lock: WriterLock | None = None
        self._journal: Journal | None = None
        self._tail_first = ""  # the first table of the tail (see `_read_tail`)
        self._read_ahead: ReadAhead | None = None  # the tail as `load_rest` read it, waiting to go in memory

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
        passphrase: str | None = None,
        storage: Storage | None = None,
    ) -> Store:
        """Open (or create) the database at `path`; raises StoreError with one line to show.

        An encrypted file opens with its `passphrase` (or a `storage` already holding its key); a plain file
        opens as it is, whatever is given. A new file is created in `storage` (plain unless told).

        A plain file is read a batch of records at a time, never held whole in memory. With `lazy`, reading
        stops at the first big table (marks, goals, assignments), and the rest is read on first use or by
        `load_rest()`, so Home can paint first without waiting for years of history; a damaged record there
        (or damaged JSON there, in a file that ends as the store writes it) surfaces from `load_rest()`, and
        the file is then never rewritten.
        """
        store = cls(
            real_path(path),
            read_only=read_only,
            clock=clock,
            lazy=lazy,
            passphrase=passphrase,
            storage=storage,
        )
        try:
            store._open(backup=backup, app_version=app_version)
        except CorruptDatabase as error:
            store._release()
            raise CorruptDatabase(f"{str(error).rstrip('.')}. {store.backup_hint()}") from None
        except StoreError:
            store._release()
            raise
        except OSError as error:
            store._release()
            raise StoreError(f"cannot open {store.path}: {describe_os_error(error)}") from None
        except BaseException:
            store._release()
            raise
        finally:
            store._passphrase = None  # the derived key is all the store keeps
        return store

    def _open(self, *, backup: bool, app_version: str) -> None:
        path = self.path
        existing = check_database_path(path)
        if self.read_only:
            self._open_read_only(existing)
            return
        sniffed: FileRead | None = None
        if existing is not None:
            # Is it ours at all? Someone's other JSON file gets no lock file, no chmod, no journal.
            sniffed = self._read_file()
        elif path.parent.is_dir() and (leftover := leftovers_of_a_missing_database(path)):
            raise StoreError(
                f"there is no database at {path}, but {leftover}: run `facilitator doctor --restore "
                f"--db {path}` to put the newest good backup back; nothing was created"
            )
        try:
            ensure_private_dir(path.parent)
            if warning := check_private_dir(path.parent, ours=holds_only_database_files(path)):
                self.warnings.append(warning)
            self._lock = WriterLock(path)
            self._lock.acquire(self.clock())
            remove_stale_temps(path.parent, path.name + ".")
            remove_stale_temps(backup_folder(path), path.stem + "-")
            current = check_database_path(path)  # once more, now that no other writer can change it
        except BaseException:
            if sniffed is not None:
                sniffed.close()
            raise
        if current is not None and sniffed is not None and same_file(current, sniffed.info):
            self._load(sniffed)  # unchanged since it was checked: read once, not twice
        elif current is not None:
            if sniffed is not None:
                sniffed.close()
            self._load(self._read_file())
        elif leftover := leftovers_of_a_missing_database(path):
            raise StoreError(f"there is no database at {path}, but {leftover}; nothing was created")
        else:
            self._create(app_version)
        journals = self._read_journals()
        if journals:
            self._keep_damaged_journals(journals)
            self._fold_at_open(journals)
        if backup and self._lazy:
            self._backup_pending = True  # taken by load_rest(), before anything can fold into the file
        elif backup:
            self._backup_pending = True
            try:
                self._take_pending_backup()
            except BackupFailed as error:
                self.warnings.append(str(error))  # tried again at the next fold
        self._journal = Journal(journal_path(path), self.storage)
        if app_version and self.meta.app_version != app_version:
            if self._lazy:
                self._version_pending = app_version  # saved once load_rest() has found every table sound
            else:
                self.update(self.meta, app_version=app_version)

    def _fold_at_open(self, journals: list[tuple[Path, JournalContents]]) -> None:
        """Fold the journals into the file; on a full disk, carry on with the journals as they are."""
        try:
            self._write_file(self._snapshot())
        except OSError as error:
            self.fold_error = describe_os_error(error)
            self.warnings.append(
                f"could not fold the journal into {self.path.name} ({self.fold_error}); every change is "
                "saved in the journal, and it is folded in once there is room"
            )
            cut_torn_tail(journal_path(self.path))  # the new writes go on after the last whole line
            return
        for journal, _ in journals:
            journal.unlink()
        fsync_dir(self.path.parent)

    def _open_read_only(self, existing: os.stat_result | None) -> None:
        """Read the file and its journals as one moment, even while a writer folds (then read again)."""
        if existing is None:
            raise StoreError(f"there is no database at {self.path}")
        for _ in range(20):
            read = self._read_file()  # finds the storage before the journals, whose lines it opens
            journals = self._read_journal_files()
            after = check_database_path(self.path)
            if after is not None and same_file(after, read.info):
                break
            # A fold replaced the file while its journals were read: what they held may be in neither.
            read.close()
        self._load(read)
        self._replay_journals(journals)

    def _read_journal_files(self) -> list[tuple[Path, JournalContents]]:
        """The journals set aside by unfinished folds (older writes), then the journal itself."""
        # The journal is read before the set-aside ones: a fold that starts between the two reads renames
        # the journal into a set-aside one, so its writes are read twice rather than missed.
        current = journal_path(self.path)
        contents = read_journal(current, self.storage)
        older = [(path, read_journal(path, self.storage)) for path in folding_paths(self.path)]
        return [*older, (current, contents)]

    def _read_journals(self) -> list[tuple[Path, JournalContents]]:
        """Replay every journal into memory; returns those on disk that are not empty (to fold in)."""
        journals = self._read_journal_files()
        self._replay_journals(journals)
        return [(path, contents) for path, contents in journals if path.exists() and path.stat().st_size]

    def _replay_journals(self, journals: list[tuple[Path, JournalContents]]) -> None:
        for path, contents in journals:
            self._replay(path, contents.batches)
            if contents.damaged_lines:
                self.warnings.append(
                    f"{path.name} had {contents.damaged_lines} damaged line(s); the {len(contents.batches)} "
                    "write(s) around them were recovered and the journal was kept as it was"
                )
            elif contents.torn_tail:
                self.warnings.append(
                    f"an unfinished last write from a crash was left out of {path.name} (it was never saved)"
                )

    def _keep_damaged_journals(self, journals: list[tuple[Path, JournalContents]]) -> None:
        """A journal with damage inside is copied aside before it is folded away: nothing lost to a guess."""
        for path, contents in journals:
            if contents.damaged_lines:
                stamp = self.clock().strftime("%Y%m%dT%H%M%SZ")
                copy_private(path, path.with_name(f"{path.name}.damaged-{stamp}"))

    def _find_storage(self, data: bytes) -> None:
        """The file's own storage: plain, or sealed with the key its header names (derived once)."""
        self.storage = storage_for(
            self.path.name, data, passphrase=self._passphrase, known=self._asked_storage or self.storage
        )

    def _split(self, data: bytes) -> dict[str, msgspec.Raw]:
        """The file's tables, from its bytes on disk."""
        self._find_storage(data)
        return codec.split_tables(self.path, self.storage.open_file(self.path.name, data))

    def _read_file(self) -> FileRead:
        """Open the file and read as far as its first table's name; an encrypted or unusual one, whole."""
        file, info = open_database_file(self.path)
        try:
            head = file.read(len(MARKER))
            # Whole: an encrypted file (sealed as one piece), and one whose end is not as the store writes
            # it, which is most often a file cut short: its error is told before anything else is read.
            if is_sealed(head) or not self._ends_as_written(file, info):
                raise codec.NotOurLayout
            self._find_storage(head)
            stream = codec.TableStream(self.path, file, head)
            if stream.next_table() != "meta":
                raise codec.NotOurLayout
            return FileRead(info, stream=stream, first="meta")
        except codec.NotOurLayout:
            data = read_again(file)
            file.close()
            return FileRead(info, tables=self._split(data))
        except BaseException:
            file.close()
            raise

    @staticmethod
    def _ends_as_written(file: BinaryIO, info: os.stat_result) -> bool:
        end = b"\n}\n"
        return info.st_size > len(end) and os.pread(file.fileno(), len(end), info.st_size - len(end)) == end

    def _load(self, read: FileRead) -> None:
        self._check_mode(read.info)
        if read.tables is not None:
            self._load_file(read.info, read.tables)
            return
        assert read.stream is not None
        try:
            self._read_stream(read.stream, read.first)
        except codec.NotOurLayout:
            data = read_again(read.stream.file)
            self._tail = None
            read.close()
            self._load_file(read.info, self._split(data))
        except BaseException:
            self._tail = None
            read.close()
            raise

    def _read_stream(self, stream: codec.TableStream, name: str | None, *, tail: bool = False) -> None:
        """Read tables from `stream`, from `name` on; a lazy open stops at the first big one (the tail)."""
        while name is not None:
            if name == Meta.table:
                self._read_stream_table(stream, name)
                if self._check_meta(next(iter(self._records[name].values()), None)) < SCHEMA_VERSION:
                    raise codec.NotOurLayout  # an upgrade reads the whole file
            elif self._lazy and not tail and name in LAZY_TABLES:
                self._tail, self._tail_first = stream, name
                return
            else:
                self._read_stream_table(stream, name)
            name = stream.next_table()
        stream.file.close()

    def _read_stream_table(self, stream: codec.TableStream, name: str) -> None:
        if name not in TABLES:
            self._extra_tables[name] = self._extra_table(stream)
        else:
            for raw in stream.batches():
                self._decode(name, raw, batch=True)
        self._read_tables.add(name)

    @staticmethod
    def _extra_table(stream: codec.TableStream) -> msgspec.Raw:
        """A table this Facilitator does not know, kept as it is to be written back."""
        docs = [bytes(raw)[1:-1] for raw in stream.batches()]
        return msgspec.Raw(b"{" + b",".join(docs) + b"}")

    def _read_tail(self) -> None:
        """Read the rest of a lazily opened file: the big tables, and any after them (or put in memory what
        `load_rest` read of them ahead, waiting for it if it is reading them now)."""
        with self._tail_lock:
            stream = self._tail
            assert stream is not None
            if self.damage is not None:
                raise CorruptDatabase(self.damage)  # read once and found damaged: it stays unread
            ahead, self._read_ahead = self._read_ahead, None
            if ahead is not None and not ahead.whole:
                self._take_in(ahead)
            else:
                try:
                    if ahead is None:
                        try:
                            self._read_stream(stream, self._tail_first, tail=True)
                        except codec.NotOurLayout:
                            self._read_whole_tail(stream)
                    else:
                        self._read_whole_tail(stream)
                except CorruptDatabase as error:
                    self.damage = str(error)  # the tail stays unread, and nothing more is written
                    raise
            stream.file.close()
            self._tail = None

    def _read_tail_ahead(self) -> None:
        """Read the tail in this worker without holding the lock, so the event loop can go on asking for
        what is already in memory; `_read_tail` puts it there. A damaged tail is noted as there."""
        with self._tail_lock:
            stream = self._tail  # only ever set to None under the tail lock, which this holds
            if stream is None or self._read_ahead is not None or self.damage is not None:
                return
            ahead = ReadAhead({}, {})
            # A batch is decoded in one call that holds the interpreter: small ones let the event loop in
            # between (a 1 MB batch kept it waiting up to 15 ms, a frame; a quarter of that is a few ms).
            stream.batch_bytes = WORKER_BATCH_BYTES
            name: str | None = self._tail_first
            try:
                while name is not None:
                    if name in TABLES:
                        records = ahead.tables.setdefault(name, {})
                        for raw in stream.batches():
                            records.update(self._decoded(name, raw, batch=True))
                    else:
                        ahead.extra[name] = self._extra_table(stream)
                    name = stream.next_table()
            except codec.NotOurLayout:
                ahead = ReadAhead({}, {}, whole=True)
            except CorruptDatabase as error:
                self.damage = str(error)
                return
            self._read_ahead = ahead

    def _take_in(self, ahead: ReadAhead) -> None:
        for name, records in ahead.tables.items():
            if self._records[name]:
                self._records[name].update(records)
            else:
                self._records[name] = records  # no second dict of 400,000 marks, even for a moment
            self._read_tables.add(name)
        for name, raw in ahead.extra.items():
            self._extra_tables[name] = raw
            self._read_tables.add(name)

    def _read_whole_tail(self, stream: codec.TableStream) -> None:
        """The rest of a file laid out otherwise than the store writes it, from the whole file."""
        for name, raw in self._split(read_again(stream.file)).items():
            if name not in TABLES:
                self._extra_tables[name] = raw
            elif name not in self._read_tables:
                self._decode(name, raw)
            self._read_tables.add(name)

    def _check_mode(self, info: os.stat_result) -> None:
        """A file others may read is made private (and the facilitator told)."""
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077 and not self.read_only:
            os.chmod(self.path, FILE_MODE)
            self.warnings.append(
                f"{self.path.name} could be read by other users (mode {mode:o}); it is now private (600)"
            )

    def _check_meta(self, meta: Record | None) -> int:
        """The schema version of the file's meta record, if it is one this Facilitator reads."""
        if meta is None:
            raise CorruptDatabase(f"{self.path.name} has an empty meta table")
        assert isinstance(meta, Meta)
        version = meta.schema_version
        if version > SCHEMA_VERSION:
            raise NewerSchema(
                f"{self.path.name} was written by a newer Facilitator (schema {version}; "
                f"this one reads up to {SCHEMA_VERSION}). Update Facilitator to open it; "
                "the file was not changed."
            )
        return version

    def _load_file(self, info: os.stat_result, tables: dict[str, msgspec.Raw]) -> None:
        metas = codec.decode_table(self.path, "meta", tables["meta"])
        version = self._check_meta(next(iter(metas.values()), None))
        if version < SCHEMA_VERSION:
            if self.read_only:
                raise StoreError(
                    f"{self.path.name} needs an upgrade (schema {version} → {SCHEMA_VERSION}); "
                    "open it once without --read-only"
                )
            # Every table must decode after the upgrade before the upgraded file replaces this one.
            tables = codec.split_tables(self.path, self._migrate(tables, version))
        for name, raw in tables.items():
            if name not in TABLES:
                self._extra_tables[name] = raw
                continue
            if self._lazy and name in LAZY_TABLES:
                self._pending[name] = raw
            else:
                self._decode(name, raw)

    def load_rest(self) -> None:
        """Decode the tables a lazy open left for later (the app runs this in a worker after Home paints).

        Raises CorruptDatabase for a table that does not decode (the file is then never rewritten), and
        BackupFailed, once everything is loaded, if the backup of this open could not be taken.
        """
        # The slow parts (decoding the big tables, the backup's copy, the indexes) hold the lock only for
        # moments: at ten years of records they take seconds, and the event loop asks the store on every key.
        self._read_tail_ahead()
        with self._mutex:
            if self._tail is not None:
                self._read_tail()
            for name in list(self._pending):
                self._table(name)
        backup_error: BackupFailed | None = None
        with self._fold_lock:  # which every fold holds: nothing is folded into the file while it is copied
            try:
                self._take_pending_backup()
            except BackupFailed as error:
                backup_error = error
        with self._mutex:
            if self._version_pending and not self.read_only:
                version, self._version_pending = self._version_pending, ""
                self.update(self.meta, app_version=version)
        for table, field in INDEXES:
            # Built here, in the app's worker, so the first query on the event loop finds them ready.
            self._build_index_unlocked(table, field)
        if backup_error is not None:
            raise backup_error

    def _take_pending_backup(self) -> None:
        if self._backup_pending:
            self._backup_pending = False
            try:
                make_backup(self.path, self.clock())
            except OSError as error:
                self._backup_pending = True  # tried again at the next fold
                raise BackupFailed(
                    f"the backup of {self.path.name} could not be taken ({describe_os_error(error)}); "
                    "your records are loaded and every change is still saved"
                ) from None

    def _migrate(self, tables: dict[str, msgspec.Raw], version: int) -> bytes:
        """Upgrade the file in place, always after a backup of it as it was, and only if it all decodes."""
        make_backup(self.path, self.clock(), label=f"before-schema-{SCHEMA_VERSION}")
        plain = {name: codec.decode_untyped(raw) for name, raw in tables.items()}
        plain = migrate(plain, version, SCHEMA_VERSION)
        chunks = codec.encode_file(
            (name, ((doc_id, msgspec.json.encode(doc)) for doc_id, doc in docs.items()))
            for name, docs in plain.items()
        )
        data = b"".join(chunks)
        upgraded = codec.split_tables(self.path, data)
        for name, raw in upgraded.items():
            if name in TABLES:
                codec.decode_table(self.path, name, raw)
        atomic_write(self.path, self.storage.seal_file(chunks))
        return data

    def _create(self, app_version: str) -> None:
        now = self.clock()
        self._put_in_memory(
            Meta(schema_version=SCHEMA_VERSION, created_at=now, updated_at=now, app_version=app_version)
        )
        self._write_file(self._snapshot())

    def _replay(self, path: Path, batches: list[list[list[Any]]]) -> None:
        for batch in batches:
            for table, doc in batch:
                try:
                    record = msgspec.convert(doc, TABLES[table])
                except (KeyError, msgspec.ValidationError) as error:
                    raise CorruptDatabase(f"{path.name}: table {table}: {error}") from None
                self._put_in_memory(record)
                if record.stamp > self.meta.clock:
                    self._put_in_memory(msgspec.structs.replace(self.meta, clock=record.stamp))

    def backup_hint(self) -> str:
        """Which backup to go back to (one holding all the file holds), and that the file is as it was."""
        return backup_advice(self.path, self.storage)

    def close(self) -> None:
        """Fold the journal into the file and let go of the lock.

        Raises StoreError if the fold fails; the writes are then still safe in the journals, which are kept
        for the next open to fold in.
        """
        try:
            with self._fold_lock, self._mutex:
                if self._journal is not None and self.damage is None:
                    self._fold_holding_fold_lock()
                if self._journal is not None:
                    # With the app closed the file alone is the database: an empty journal is not kept.
                    empty = not self._journal.size and not folding_paths(self.path)
                    self._journal.close()
                    self._journal = None
                    if empty:
                        # Nothing is in it: left behind, it is only removed at the next open.
                        with contextlib.suppress(OSError):
                            journal_path(self.path).unlink(missing_ok=True)
        except OSError as error:
            raise StoreError(f"could not close {self.path.name}: {describe_os_error(error)}") from None
        finally:
            self._release()

    def _release(self) -> None:
        if self._tail is not None:
            self._tail.file.close()
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
        if self.damage is not None:
            raise CorruptDatabase(f"{self.damage}; the file was not changed")

        def docs(records: list[Record]) -> Iterator[tuple[str, bytes]]:
            # A record's TinyDB doc id is its place in the table: records are only ever added (deleting
            # leaves a tombstone), so the numbering is stable; the app itself refers to records by UUID.
            for position, record in enumerate(records, start=1):
                yield str(position), codec.encode_record(record)

        tables = [(name, docs(records)) for name, records in snapshot.items()]
        tables += [(name, self._raw_docs(raw)) for name, raw in self._extra_tables.items()]
        atomic_write(self.path, self.storage.seal_file(codec.encode_file(tables)))

    @staticmethod
    def _raw_docs(raw: msgspec.Raw) -> Iterator[tuple[str, bytes]]:
        for doc_id, doc in msgspec.json.decode(raw, type=dict[str, msgspec.Raw]).items():
            yield doc_id, bytes(doc)

    def fold(self, *, blocking: bool = True) -> bool:
        """Fold the journal into the file; returns False if another fold is running and `blocking` is off.

        Safe to run in a worker thread while the app goes on writing: the journal is set aside and a new one
        started under the mutex, then the file is rewritten from a snapshot without holding it. Until the file
        is replaced, both journals are on disk, and opening after a crash replays the older one first. A fold
        that fails leaves its set-aside journal in place (raising StoreError); the next fold takes it in too.
        """
        if not self._fold_lock.acquire(blocking=blocking):
            return False
        try:
            self._fold_holding_fold_lock()
            return True
        finally:
            self._fold_lock.release()

    def _fold_holding_fold_lock(self) -> None:
        try:
            with self._mutex:
                self._require_writable()
                assert self._journal is not None
                if not self._journal.size and not folding_paths(self.path):
                    return
                with contextlib.suppress(BackupFailed):
                    self._take_pending_backup()  # taken at a later fold; it must not hold up this one
                snapshot = self._snapshot()
                self._set_journal_aside()
            self._write_file(snapshot)
            for journal in folding_paths(self.path):
                journal.unlink()
            fsync_dir(self.path.parent)
        except OSError as error:
            self.fold_error = describe_os_error(error)
            raise StoreError(
                f"could not fold the journal into {self.path.name}: {self.fold_error}; every change is safe "
                "in the journal and will be folded in later"
            ) from None
        self.fold_error = None

    def _set_journal_aside(self) -> None:
        """Start a new journal; the old one waits under a name of its own until the file holds its writes."""
        assert self._journal is not None
        if not self._journal.size:
            return
        aside = next_folding_path(self.path)
        os.rename(self._journal.path, aside)  # the open journal keeps working if what follows fails
        try:
            fresh = Journal(journal_path(self.path), self.storage)
        except BaseException:
            os.rename(aside, self._journal.path)
            raise
        self._journal.close()
        self._journal = fresh

    def change_storage(self, storage: Storage) -> None:
        """Write the whole database again in another storage (`encrypt`, `decrypt`), in one atomic replace.

        The journal is folded in first, so at every instant the file alone holds every write: a kill leaves
        the old file or the new one, never neither. Writes from then on are journalled in the new form.
        """
        with self._fold_lock, self._mutex:
            self._fold_holding_fold_lock()
            assert self._journal is not None and not self._journal.size
            before = self.storage
            self.storage = storage
            try:
                self._write_file(self._snapshot())
                fresh = Journal(journal_path(self.path), storage)
            except OSError as error:
                self.storage = before
                raise StoreError(
                    f"could not write {self.path.name} again: {describe_os_error(error)}; it is as it was"
                ) from None
            except BaseException:
                self.storage = before
                raise
            self._journal.close()
            self._journal = fresh

    @property
    def journal_bytes(self) -> int:
        return self._journal.size if self._journal is not None else 0

    # --- writing --------------------------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self.read_only or self._journal is None:
            raise ReadOnlyStore("this database is open read-only; nothing was saved")
        if self.damage is not None:
            raise CorruptDatabase(f"{self.damage}; nothing more is saved until it is repaired")

    def _commit(self, records: Iterable[Record], *, stamped: bool = False) -> list[Record]:
        """Write records durably (one journal line), then make them visible; on failure nothing changes.

        Each record is stamped by the database's hybrid clock here, the one place records are written (see
        `_stamp`). Records that already carry their stamps (`stamped`: what a merge brings in) keep them.
        """
        batch = [(record.table, record) for record in (records if stamped else self._stamp(records))]
        assert self._journal is not None
        try:
            self._journal.append(batch)
        except OSError as error:
            raise SaveFailed(
                f"not saved: {describe_os_error(error)}; nothing was lost, and it can be saved again"
            ) from None
        for _, record in batch:
            self._put_in_memory(record)
        if self.auto_fold and self._journal.size > FOLD_JOURNAL_BYTES:
            # The write above is already durable; a fold that fails now is tried again at the next one.
            with contextlib.suppress(StoreError):
                self.fold(blocking=False)
        return [record for _, record in batch]

    def _stamp(self, records: Iterable[Record]) -> list[Record]:
        """The records with their stamps; the clock in `meta` moves past them.

        `meta` goes into the journal line only when it is itself written: the clock is saved with it at each
        fold, and opening after a crash moves it past every stamp in the journals (see `_replay`).
        """
        meta = self.meta
        written: list[Record] = []
        for record in records:
            if isinstance(record, Meta):
                meta = msgspec.structs.replace(record, clock=max(record.clock, meta.clock))
                written.append(meta)
            elif isinstance(record, Conflict):
                written.append(record)  # derived from the versions it holds; never a version itself
            else:
                written.append(self._stamped(record, meta))
                meta = msgspec.structs.replace(meta, clock=written[-1].stamp)
        written = [
            msgspec.structs.replace(r, clock=meta.clock) if isinstance(r, Meta) else r for r in written
        ]
        if meta.clock != self.meta.clock:
            # In memory before the journal line: a failed write leaves the clock ahead, never behind.
            self._put_in_memory(msgspec.structs.replace(self.meta, clock=meta.clock))
        return written

    def _stamped(self, record: Record, meta: Meta) -> Record:
        stamp = next_stamp(meta.clock, self.clock(), meta.database_id)
        return stamped(record, self._table(record.table).get(record.id), stamp, meta.database_id)

    def add(self, *records: R) -> None:
        """Save new records; their ids must be new."""
        with self._mutex:
            self._require_writable()
            for record in records:
                if record.id in self._table(record.table):
                    raise RecordConflict(f"a record with id {record.id} already exists in {record.table}")
            self._give_stamps(records, self._commit(records))

    def update(self, record: R, **changes: Any) -> R:
        """Save a changed copy of `record` and return it."""
        with self._mutex:
            self._require_writable()
            changed = msgspec.structs.replace(record, **changes, updated_at=self.clock())
            saved = self._commit([changed])[0]
            assert isinstance(saved, type(record))
            return saved

    def delete(self, record: R) -> R:
        """Leave a tombstone, so a later merge cannot bring the record back."""
        now = self.clock()
        return self.update(record, deleted_at=now)

    def save_all(self, records: Iterable[Record]) -> None:
        """Save several new or changed records in one durable write (all or nothing)."""
        with self._mutex:
            self._require_writable()
            given = list(records)
            self._give_stamps(given, self._commit(given))

    @staticmethod
    def _give_stamps(given: Sequence[Record], saved: list[Record]) -> None:
        """The caller's copies of what was saved carry its stamps too, so they stay equal to what is kept."""
        for mine, kept in zip(given, saved, strict=True):
            if mine is not kept:
                for field in ("stamp", "run", "seen", "clock"):
                    if hasattr(mine, field):
                        msgspec.structs.force_setattr(mine, field, getattr(kept, field))

    def holding(self) -> dict[str, dict[str, Record]]:
        """Every table but `meta` as it is now, the conflict log included: what a merge starts from."""
        with self._mutex:
            return {name: dict(self._table(name)) for name in TABLES if name != Meta.table}

    def exclusive(self) -> threading.RLock:
        """Hold every other caller off (the app's own writes too) while a merge is planned and taken in."""
        return self._mutex

    def holding_and_clock(self) -> tuple[dict[str, dict[str, Record]], str]:
        """`holding()` and the clock at that moment: every version it holds is stamped at or before it."""
        with self._mutex:
            return self.holding(), self.meta.clock

    def take_in(
        self,
        records: Iterable[Record],
        *,
        seen_up_to: str,
        then_meta: Callable[[Meta], Meta] | None = None,
    ) -> None:
        """Save versions merged in from another database as they are, in one durable write (all or nothing).

        Their stamps are kept, conflict log entries come and go with them, and the clock moves past
        `seen_up_to` (the latest stamp the other database showed), so every later write here comes after.
        `then_meta` changes `meta` in the same write (the hub's progress is saved with what it brought).
        """
        with self._mutex:
            self._require_writable()
            meta = self.meta
            moved = msgspec.structs.replace(meta, clock=max(meta.clock, seen_up_to))
            if then_meta is not None:
                moved = then_meta(moved)
            self._commit([*records, moved], stamped=True)

    # --- writes the screens need ----------------------------------------------------------------------------

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
            saved = self._table(mark.table)[mark.id]
            assert isinstance(saved, AttendanceMark)
            return saved

    def set_stage(self, enrollment: Enrollment, stage: Stage | None, *, on: date) -> Enrollment:
        """Set a person's stage of treatment in a group, keeping the history of earlier stages."""
        history = list(enrollment.stage_history)
        if stage is not None:
            history.append(StageChange(stage=stage, on=on))
        return self.update(enrollment, stage=stage, stage_set_on=on, stage_history=history)
