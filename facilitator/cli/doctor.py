"""`facilitator doctor`: check the database, its journal and backups; `--restore` puts a good backup back."""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from facilitator.store import Store, StoreError, newest_good_backup
from facilitator.store.backups import backups_newest_first
from facilitator.store.codec import records_that_do_not_fit, split_tables
from facilitator.store.durable import FILE_MODE, fsync_dir, temp_path, write_all
from facilitator.store.errors import describe_os_error
from facilitator.store.files import (
    broken_copies,
    check_database_path,
    folding_paths,
    journal_path,
    read_database_bytes,
    real_path,
)
from facilitator.store.journal import read_journal
from facilitator.store.lock import WriterLock
from facilitator.store.records import RECORD_TYPES, TABLES
from facilitator.store.sealed import SealError, key_for
from facilitator.store.storage import PLAIN, SealedStorage, Storage, sealed_on_disk


def say(ok: bool, text: str) -> None:
    print(f"{'ok ' if ok else 'BAD'}  {text}")


# How many problems of one kind are listed before the rest are only counted.
SHOWN = 20


def doctor_storage(path: Path) -> Storage:
    """The key to look inside an encrypted database with: from its file, or from a backup if the file's
    header is damaged (the backups share its key). Plain when nothing is encrypted."""
    from facilitator.cli.passphrase import ask_passphrase

    sealed = [found for found in [path, *backups_newest_first(path)] if sealed_on_disk(found)]
    if not sealed:
        return PLAIN
    passphrase = ask_passphrase(path)
    refused: SealError | None = None
    for found in sealed:
        try:
            return SealedStorage(key_for(read_database_bytes(found)[0], passphrase))
        except SealError as error:
            refused = refused or error
        except OSError:
            continue
    raise StoreError(f"{path.name}: {refused}; nothing was changed")


def check_database(path: Path, storage: Storage) -> str | None:
    """None when the file (with its journal) reads cleanly, else the one-line problem."""
    try:
        store = Store.open(path, read_only=True, backup=False, storage=storage)
    except StoreError as error:
        listed = list_records_that_do_not_fit(path, storage)
        if listed:  # each is above already: say how many rather than the first again
            return f"{path.name} does not open: {listed} records do not fit (each is listed above)"
        return str(error)
    counts = ", ".join(f"{store.count(kind)} {kind.table}" for kind in RECORD_TYPES if kind.table != "meta")
    say(True, f"{path.name} reads cleanly: schema {store.meta.schema_version}; {counts}.")
    dangling = dangling_references(store)
    store.close()
    for line in dangling[:SHOWN]:
        say(False, line)
    if len(dangling) > SHOWN:
        print(f"     … and {len(dangling) - SHOWN} more records that name something not there.")
    if dangling:
        return f"{len(dangling)} record(s) name a group, person or meeting that is not in the file"
    return None


def list_records_that_do_not_fit(path: Path, storage: Storage) -> int:
    """Every record that does not fit, not only the first (the open stops at the first); how many were listed.

    A single one is left to the open's own message, which names it with what to do.
    """
    try:
        tables = split_tables(path, storage.open_file(path.name, read_database_bytes(path)[0]))
    except (OSError, StoreError):
        return 0
    bad = [
        line for name, raw in tables.items() if name in TABLES for line in records_that_do_not_fit(name, raw)
    ]
    if len(bad) < 2:
        return 0
    for line in bad[:SHOWN]:
        say(False, line)
    if len(bad) > SHOWN:
        print(f"     … and {len(bad) - SHOWN} more records that do not fit.")
    return len(bad)


# The references a record makes: (table, field, the table it points into).
REFERENCES = (
    ("meetings", "group_id", "groups"),
    ("enrollments", "group_id", "groups"),
    ("enrollments", "participant_id", "participants"),
    ("marks", "meeting_id", "meetings"),
    ("marks", "participant_id", "participants"),
    ("goals", "participant_id", "participants"),
    ("assignments", "meeting_id", "meetings"),
    ("assignments", "group_id", "groups"),
)


def dangling_references(store: Store) -> list[str]:
    """Live records that name a record the file does not hold (the app would quietly hide them)."""
    found: list[str] = []
    for table, field, target in REFERENCES:
        there = {record.id for record in store.all(TABLES[target], include_deleted=True)}
        for record in store.all(TABLES[table]):
            value = getattr(record, field)
            if value and value not in there:
                found.append(f"table {table}, record id {record.id}: its {field} {value} is not in {target}.")
    return found


def check_journals(path: Path, storage: Storage) -> None:
    for journal in [*folding_paths(path), journal_path(path)]:
        contents = read_journal(journal, storage)
        if not (contents.batches or contents.problems):
            continue
        problems = []
        if contents.damaged_lines:
            problems.append(f"{contents.damaged_lines} damaged line(s), kept aside when folded")
        if contents.torn_tail:
            problems.append("a torn last write (never saved) that will be left out")
        tail = f"; {', '.join(problems)}" if problems else ""
        say(
            not contents.damaged_lines,
            f"{journal.name} holds {len(contents.batches)} write(s) to fold in at the next open{tail}.",
        )


def run_doctor(path: Path, *, restore: bool) -> int:
    path = real_path(path)
    try:
        check_database_path(path)
    except StoreError as error:
        print(f"facilitator: {error}", file=sys.stderr)
        return 1
    missing = not path.exists()
    if missing and not (backups_newest_first(path) or broken_copies(path)):
        print(f"facilitator: there is no database at {path}", file=sys.stderr)
        return 1
    try:
        storage = doctor_storage(path)
    except StoreError as error:
        print(f"facilitator: {error}", file=sys.stderr)
        return 1
    if storage.sealed:
        say(True, f"{path.name} and its backups are encrypted, and the passphrase opens them.")
    problem = f"there is no database at {path}" if missing else check_database(path, storage)
    if problem:
        say(False, problem)
    check_journals(path, storage)
    backups = backups_newest_first(path)
    good = newest_good_backup(path, storage)
    say(good is not None, f"{len(backups)} backup(s); newest good: {good.name if good else 'none'}.")
    if not restore:
        if problem and good is not None:
            print(f"To put the newest good backup back: facilitator doctor --restore --db {path}")
        elif problem:
            print(
                "There is no good backup to put back: keep this file as it is, and a copy of it, for repair."
            )
        return 1 if problem else 0
    if not problem:
        print("The database is healthy; nothing to restore.")
        return 0
    if good is None:
        print("facilitator: no good backup to restore; the file was left as it is.", file=sys.stderr)
        return 1
    try:
        aside = restore_backup(path, good)
    except StoreError as error:
        print(f"facilitator: {error}", file=sys.stderr)
        return 1
    kept = f"; the broken file was kept as {aside.name}" if aside else ""
    print(f"Restored {good.name}{kept}.")
    return 0


def restore_backup(path: Path, backup: Path) -> Path | None:
    """Put the backup in the database's place in one step, keeping the broken file (and journals) aside.

    The backup is first written whole beside the database; only then does one rename swap it in, so a full
    disk or a crash leaves the database as it was. Returns where the broken file was kept.
    """
    lock = WriterLock(path)
    now = datetime.now(UTC)
    lock.acquire(now)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    temp = temp_path(path)
    aside = path.with_name(f"{path.name}.broken-{stamp}") if path.exists() else None
    moved: list[tuple[Path, Path]] = []
    try:
        data, _ = read_database_bytes(backup)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if aside is not None:
            os.link(path, aside)  # a second name, so the database is never missing
        for journal in [*folding_paths(path), journal_path(path)]:
            if journal.exists():
                moved.append((journal, journal.with_name(f"{journal.name}.broken-{stamp}")))
                os.replace(*moved[-1])
        os.replace(temp, path)
        fsync_dir(path.parent)
        return aside
    except OSError as error:
        # Back as it was: the journals under their names, no second name, no temporary copy.
        for journal, kept in reversed(moved):
            with contextlib.suppress(OSError):
                os.replace(kept, journal)
        for leftover in [temp] if aside is None else [temp, aside]:
            with contextlib.suppress(OSError):
                leftover.unlink()
        message = f"could not restore {backup.name}: {describe_os_error(error)}; nothing was changed"
        raise StoreError(message) from None
    finally:
        lock.release()
