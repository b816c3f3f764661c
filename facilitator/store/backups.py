"""Rotating backups in `backups/` beside the database: the last 10 opens plus one a day for 30 days.

A backup is a copy of the file's bytes, so an encrypted database's backups are encrypted with its key; the
readers here take the database's storage to look inside them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import msgspec

from facilitator.store import codec
from facilitator.store.durable import copy_private, ensure_private_dir
from facilitator.store.errors import StoreError
from facilitator.store.records import TABLES
from facilitator.store.storage import PLAIN, Storage, sealed_on_disk

KEEP_LAST = 10
KEEP_DAYS = 30
_STAMP = "%Y%m%dT%H%M%S%fZ"


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backups_newest_first(db_path: Path) -> list[Path]:
    """Backups of this database, newest first (names sort by time)."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.json"), reverse=True)


def make_backup(db_path: Path, now: datetime, label: str = "") -> Path:
    """Copy the database into the backups folder and prune old copies."""
    folder = backup_folder(db_path)
    ensure_private_dir(folder)
    suffix = f"-{label}" if label else ""
    target = folder / f"{db_path.stem}-{now.strftime(_STAMP)}{suffix}.json"
    copy_private(db_path, target)
    prune(db_path, now)
    return target


def _taken_at(path: Path, stem: str) -> datetime | None:
    stamp = path.stem[len(stem) + 1 :].split("-")[0]
    try:
        return datetime.strptime(stamp, _STAMP)
    except ValueError:
        return None


def prune(db_path: Path, now: datetime) -> list[Path]:
    """Delete backups outside the rotation; returns what was deleted."""
    backups = backups_newest_first(db_path)
    keep = set(backups[:KEEP_LAST])
    seen_days: set[str] = set()
    horizon = now.replace(tzinfo=None) - timedelta(days=KEEP_DAYS)
    for path in backups:
        taken = _taken_at(path, db_path.stem)
        if taken is None:
            keep.add(path)  # not ours to judge
            continue
        day = taken.strftime("%Y-%m-%d")
        if taken >= horizon and day not in seen_days:
            seen_days.add(day)
            keep.add(path)
    removed = [p for p in backups if p not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def _tables(path: Path, storage: Storage) -> dict[str, msgspec.Raw]:
    return codec.split_tables(path, storage_of(path, storage).open_file(path.name, path.read_bytes()))


def storage_of(path: Path, storage: Storage) -> Storage:
    """A plain copy reads as plain even beside an encrypted database (an older backup, before `encrypt`)."""
    return storage if sealed_on_disk(path) else PLAIN


def record_counts(path: Path, storage: Storage = PLAIN) -> dict[str, int] | None:
    """How many records each table of a file holds, read loosely (a record that does not fit still counts)."""
    try:
        tables = _tables(path, storage)
        return {name: len(codec.decode_untyped(raw)) for name, raw in tables.items() if name in TABLES}
    except (OSError, StoreError, ValueError):
        return None


def reads_cleanly(path: Path, storage: Storage = PLAIN) -> dict[str, int] | None:
    """The record counts of a backup whose every record decodes, or None."""
    try:
        tables = _tables(path, storage)
        return {
            name: len(codec.decode_table(path, name, raw)) for name, raw in tables.items() if name in TABLES
        }
    except (OSError, StoreError):
        return None


def holds_less(backup: dict[str, int], database: dict[str, int]) -> list[str]:
    """The tables where a backup holds fewer records than the database (records are never removed)."""
    return [name for name, count in database.items() if backup.get(name, 0) < count]


def newest_good_backup(db_path: Path, storage: Storage = PLAIN) -> Path | None:
    """The newest backup that reads cleanly and holds at least every record the database holds."""
    wanted = record_counts(db_path, storage) if db_path.exists() else None
    for candidate in backups_newest_first(db_path):
        counts = reads_cleanly(candidate, storage)
        if counts is not None and not (wanted and holds_less(counts, wanted)):
            return candidate
    return None


def backup_advice(db_path: Path, storage: Storage = PLAIN) -> str:
    """The line that ends every message about a damaged file: which backup to go back to, if any."""
    good = newest_good_backup(db_path, storage)
    if good is not None:
        return (
            f"Newest good backup: {good} (run `facilitator doctor --restore --db {db_path}`). "
            "The file was not changed."
        )
    if backups_newest_first(db_path):
        return (
            "No backup holds everything the file does, so none was named; `facilitator doctor` lists them. "
            "The file was not changed."
        )
    return "No good backup was found; the file was not changed."
