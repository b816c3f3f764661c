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
