"""The store's two peers on the same generated records: stock TinyDB `JSONStorage` on the same file, and
SQLite (WAL, `synchronous=FULL`) holding the same documents, one table per kind of record.

The SQLite copy keeps each record's JSON document as it is in the file, keyed by its id, and reads decode them
into the same record types the store returns, so both sides do the same work a screen needs.
"""

from __future__ import annotations

import json
import sqlite3
from functools import partial
from pathlib import Path

import msgspec

from bench.rows import timed
from facilitator.store.records import TABLES, AttendanceMark, AttendanceStatus, Record

Pairs = list[tuple[str, str]]  # meeting id, participant id: a mark to add


class _Keyed(msgspec.Struct):
    id: str


def _new_mark(meeting_id: str, participant_id: str) -> AttendanceMark:
    return AttendanceMark(
        meeting_id=meeting_id, participant_id=participant_id, status=AttendanceStatus.PRESENT
    )


# --- stock TinyDB -----


def tinydb_open_seconds(db: Path) -> float:
    """Opening the file with TinyDB and reading every table."""
    from tinydb import TinyDB

    def read_all() -> None:
        tiny = TinyDB(db)
        for name in tiny.tables():
            tiny.table(name).all()
        tiny.close()

    return timed(read_all)


def tinydb_mark_seconds(db: Path, pairs: Pairs) -> list[float]:
    """The same insert with stock TinyDB JSONStorage, which rewrites the whole file each time."""
    from tinydb import TinyDB

    tiny = TinyDB(db)
    marks = tiny.table("marks")
    samples = []
    for meeting_id, participant_id in pairs:
        doc = json.loads(msgspec.json.encode(_new_mark(meeting_id, participant_id)))
        samples.append(timed(partial(marks.insert, doc)))
    tiny.close()
    return samples


# --- SQLite -----


def build_sqlite(db: Path, target: Path) -> Path:
    """A SQLite database holding every record of the JSON file `db`, one table per kind, in WAL mode."""
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    tables = msgspec.json.decode(db.read_bytes(), type=dict[str, dict[str, msgspec.Raw]])
    keyed = msgspec.json.Decoder(_Keyed)
    con = sqlite3.connect(target)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        with con:
            for name, docs in tables.items():
                if name not in TABLES:
                    continue
                con.execute(f'CREATE TABLE "{name}" (id TEXT PRIMARY KEY, doc BLOB NOT NULL)')
                con.executemany(
                    f'INSERT OR REPLACE INTO "{name}" VALUES (?, ?)',
                    ((keyed.decode(raw).id, bytes(raw)) for raw in docs.values()),
                )
    finally:
        con.close()
    target.chmod(0o600)
    return target


def sqlite_read_all(path: Path) -> dict[str, list[Record]]:
    """Open the SQLite copy and decode every record into the store's record types."""
    con = sqlite3.connect(path)
    try:
        names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out: dict[str, list[Record]] = {}
        for name in names:
            decoder = msgspec.json.Decoder(TABLES[name])
            out[name] = [decoder.decode(doc) for (doc,) in con.execute(f'SELECT doc FROM "{name}"')]
        return out
    finally:
        con.close()


def sqlite_open_seconds(path: Path) -> float:
    return min(timed(lambda: sqlite_read_all(path)) for _ in range(2))


def sqlite_mark_seconds(path: Path, pairs: Pairs) -> list[float]:
    """One durable insert per mark: its own transaction, committed in WAL mode with `synchronous=FULL`."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")

        def insert(meeting_id: str, participant_id: str) -> None:
            mark = _new_mark(meeting_id, participant_id)
            with con:  # commits: the WAL frame is fsynced before this returns
                con.execute(
                    'INSERT OR REPLACE INTO "marks" VALUES (?, ?)', (mark.id, msgspec.json.encode(mark))
                )

        return [timed(partial(insert, m, p)) for m, p in pairs]
    finally:
        con.close()
