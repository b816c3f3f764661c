"""The store: typed records in one durable, portable TinyDB JSON file."""

from facilitator.store.backups import newest_good_backup
from facilitator.store.errors import (
    CorruptDatabase,
    DatabaseLocked,
    NewerSchema,
    ReadOnlyStore,
    RecordConflict,
    StoreError,
)
from facilitator.store.store import Store

__all__ = [
    "CorruptDatabase",
    "DatabaseLocked",
    "NewerSchema",
    "ReadOnlyStore",
    "RecordConflict",
    "Store",
    "StoreError",
    "newest_good_backup",
]
