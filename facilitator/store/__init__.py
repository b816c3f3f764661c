"""The store: typed records in one durable, portable TinyDB JSON file."""

from facilitator.store.backups import newest_good_backup
from facilitator.store.errors import (
    BackupFailed,
    CorruptDatabase,
    DatabaseLocked,
    NewerSchema,
    ReadOnlyStore,
    RecordConflict,
    SaveFailed,
    StoreError,
)
from facilitator.store.store import Store

__all__ = [
    "BackupFailed",
    "CorruptDatabase",
    "DatabaseLocked",
    "NewerSchema",
    "ReadOnlyStore",
    "RecordConflict",
    "SaveFailed",
    "Store",
    "StoreError",
    "newest_good_backup",
]
