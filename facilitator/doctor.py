"""`facilitator doctor`: check the database, its journal and backups; `--restore` puts a good backup back."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from facilitator.store import DatabaseLocked, Store, StoreError, newest_good_backup
from facilitator.store.backups import backups_newest_first
from facilitator.store.durable import copy_private
from facilitator.store.journal import read_journal
from facilitator.store.lock import WriterLock
from facilitator.store.records import RECORD_TYPES


def say(ok: bool, text: str) -> None:
    print(f"{'ok ' if ok else 'BAD'}  {text}")


def check_database(path: Path) -> str | None:
    """None when the file (with its journal) reads cleanly, else the one-line problem."""
    try:
        store = Store.open(path, read_only=True, backup=False)
    except StoreError as error:
        return str(error)
    counts = ", ".join(f"{store.count(kind)} {kind.table}" for kind in RECORD_TYPES if kind.table != "meta")
    say(True, f"{path.name} reads cleanly: schema {store.meta.schema_version}; {counts}")
    store.close()
    return None


def run_doctor(path: Path, *, restore: bool) -> int:
    if not path.exists():
        print(f"facilitator: there is no database at {path}", file=sys.stderr)
        return 1
    problem = check_database(path)
    if problem:
        say(False, problem)
    batches, torn = read_journal(path.with_name(path.name + ".journal"))
    if batches or torn:
        tail = "; its last write is torn and will be discarded" if torn else ""
        say(
            not torn,
            f"journal holds {len(batches)} unsaved write(s) that will be folded in at the next open{tail}",
        )
    backups = backups_newest_first(path)
    good = newest_good_backup(path)
    say(good is not None, f"{len(backups)} backup(s); newest good: {good.name if good else 'none'}")
    if not restore:
        return 1 if problem else 0
    if not problem:
        print("The database is healthy; nothing to restore.")
        return 0
    if good is None:
        print("facilitator: no good backup to restore; the file was left as it is", file=sys.stderr)
        return 1
    return restore_backup(path, good)


def restore_backup(path: Path, backup: Path) -> int:
    """Keep the broken file (and its journal) aside, then put the backup in its place."""
    lock = WriterLock(path)
    now = datetime.now(UTC)
    try:
        lock.acquire(now)
    except DatabaseLocked as error:
        print(f"facilitator: {error}", file=sys.stderr)
        return 1
    try:
        stamp = now.strftime("%Y%m%dT%H%M%SZ")
        aside = path.with_name(f"{path.name}.broken-{stamp}")
        os.replace(path, aside)
        journal = path.with_name(path.name + ".journal")
        if journal.exists():
            os.replace(journal, path.with_name(f"{journal.name}.broken-{stamp}"))
        copy_private(backup, path)
    finally:
        lock.release()
    print(f"Restored {backup.name}; the broken file was kept as {aside.name}.")
    return 0
