"""Errors the store raises for things a user can cause; each carries one line to show them."""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the database file, worded for the person at the keyboard."""


class CorruptDatabase(StoreError):
    """The file cannot be read as a Facilitator database; it is left untouched."""


class NewerSchema(StoreError):
    """The file was written by a newer Facilitator; it is left untouched."""


class DatabaseLocked(StoreError):
    """Another Facilitator has the file open for writing."""


class ReadOnlyStore(StoreError):
    """The store was opened read-only and cannot save."""


class RecordConflict(StoreError):
    """A write that would break a rule of the records (a duplicate id, a second live mark)."""


class BackupFailed(StoreError):
    """The backup of this open could not be taken; the records are loaded and saving still works."""


class SaveFailed(StoreError):
    """A write could not be made durable; nothing of it was kept, and the same write may be tried again."""


def describe_os_error(error: OSError) -> str:
    """An OSError in a person's words: what went wrong, and with which file."""
    what = error.strerror or str(error)
    what = what[:1].lower() + what[1:].rstrip(".")
    where = f" ({error.filename})" if error.filename else ""
    return f"{what}{where}"


class NeedsPassphrase(StoreError):
    """The file is encrypted and no passphrase was given."""


class PassphraseRefused(StoreError):
    """The passphrase given does not open the file; nothing was changed."""
