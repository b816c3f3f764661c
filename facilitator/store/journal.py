"""An append-only journal beside the database: each write is one fsynced line, folded into the file later.

A line is `<crc32 as 8 hex digits> <body>\n`, the body being the write's JSON as the storage puts it on disk
(itself, or sealed and in base64: see `storage.py`); the checksum covers the body as written. Only a torn
*last* line is a crash's tail (that write was never acknowledged). A bad line anywhere else is damage: every
valid line around it is still recovered, and the reader says how many lines it could not read. An append that
fails half-way is cut back off the file before the error is raised, so no later write can land behind a
partial line.
"""

from __future__ import annotations

import contextlib
import os
import re
import zlib
from pathlib import Path
from typing import Any

import msgspec

from facilitator.store.durable import FILE_MODE, fsync_dir
from facilitator.store.errors import StoreError
from facilitator.store.storage import PLAIN, Storage

# One write: the records it puts, as (table, record) pairs.
Batch = list[tuple[str, Any]]

_encoder = msgspec.json.Encoder()
_LINE_START = re.compile(rb"[0-9a-f]{8} ")


def encode_batch(batch: Batch, storage: Storage = PLAIN) -> bytes:
    """The journal line for one write."""
    return encode_line(storage.seal_line(_encoder.encode(batch)))


def encode_line(body: bytes) -> bytes:
    return b"%08x %s\n" % (zlib.crc32(body), body)


class JournalBroken(StoreError):
    """An append failed and its partial line could not be cut off: no write may follow it."""


class Journal:
    """The journal file of one database, open for appending."""

    def __init__(self, path: Path, storage: Storage = PLAIN) -> None:
        self.path = path
        self.storage = storage
        existed = path.exists()
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, FILE_MODE)
        try:
            if not existed:
                fsync_dir(path.parent)
            self.size = os.fstat(self._fd).st_size
        except BaseException:
            os.close(self._fd)
            raise
        # True after a failed append whose partial line is still on disk; every write repairs it first.
        self._tail_unrepaired = False

    def append(self, batch: Batch) -> None:
        """Write one batch and return only once it is on disk; on failure the file is as it was."""
        line = encode_batch(batch, self.storage)
        if self._tail_unrepaired:
            self._cut_back()
        try:
            view = memoryview(line)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            os.fsync(self._fd)
        except OSError:
            self._tail_unrepaired = True
            # The first error is the one to report; the next append tries the repair again.
            with contextlib.suppress(JournalBroken):
                self._cut_back()
            raise
        self.size += len(line)

    def _cut_back(self) -> None:
        """Remove whatever a failed append left after the last acknowledged line."""
        try:
            os.ftruncate(self._fd, self.size)
            os.fsync(self._fd)
        except OSError as error:
            raise JournalBroken(
                f"could not save to {self.path.name}: {error.strerror}; nothing more can be saved until "
                "there is room again"
            ) from None
        self._tail_unrepaired = False

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def cut_torn_tail(path: Path) -> None:
    """Remove a crash's unfinished last line, so that appends go on after the last whole one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    whole = data.rfind(b"\n") + 1
    if whole < len(data):
        fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
        try:
            os.ftruncate(fd, whole)
            os.fsync(fd)
        finally:
            os.close(fd)


class JournalContents(msgspec.Struct):
    """What a journal holds: its valid writes in order, and what could not be read."""

    batches: list[list[list[Any]]]
    torn_tail: bool = False  # the last line is incomplete: a crash mid-write, never acknowledged
    damaged_lines: int = 0  # bad lines before the end: damage, not a crash

    @property
    def problems(self) -> bool:
        return self.torn_tail or bool(self.damaged_lines)


def _line_body(line: bytes) -> bytes | None:
    """A line's body as written, if its checksum holds."""
    checksum, _, body = line.partition(b" ")
    if len(checksum) != 8 or not _LINE_START.match(line):
        return None
    try:
        return body if int(checksum, 16) == zlib.crc32(body) else None
    except ValueError:
        return None


def _decode_line(line: bytes, storage: Storage) -> list[list[Any]] | None:
    body = _line_body(line)
    plain = storage.open_line(body) if body is not None else None
    if plain is None:
        return None
    try:
        return msgspec.json.decode(plain)
    except msgspec.DecodeError:
        return None


def _recover_inside(line: bytes, storage: Storage) -> list[list[Any]] | None:
    """A bad line may be a partial write with a whole one run on after it: find that whole one."""
    for match in _LINE_START.finditer(line, 1):
        batch = _decode_line(line[match.start() :], storage)
        if batch is not None:
            return batch
    return None


def reseal_journal(data: bytes, old: Storage, new: Storage) -> bytes:
    """A journal's lines (a copy kept aside) in another storage's form, for `encrypt` and `decrypt`.

    A line that opens is written again in the new form. One that does not (damage) is sealed as it is when
    the new storage seals, so no plain byte stays, and kept as it is otherwise. A line already in the new
    form stays, so converting twice (after a kill) changes nothing more.
    """
    lines: list[bytes] = []
    for line in data.split(b"\n"):
        if not line:
            continue
        body = _line_body(line)
        if new.sealed:
            if body is not None and new.open_line(body) is not None:
                lines.append(line + b"\n")
                continue
            plain = old.open_line(body) if body is not None else None
            lines.append(encode_line(new.seal_line(line if plain is None else plain)))
        else:
            plain = old.open_line(body) if body is not None else None
            lines.append(line + b"\n" if plain is None else encode_line(new.seal_line(plain)))
    return b"".join(lines)


def read_journal(path: Path, storage: Storage = PLAIN) -> JournalContents:
    """Every valid write in a journal (a missing journal holds none)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return JournalContents([])
    contents = JournalContents([])
    lines = data.split(b"\n")
    complete = lines[:-1]  # the last piece has no newline: empty, or a torn tail
    for line in complete:
        if not line:
            continue
        batch = _decode_line(line, storage)
        if batch is None:
            contents.damaged_lines += 1
            batch = _recover_inside(line, storage)
        if batch is not None:
            contents.batches.append(batch)
    tail = lines[-1]
    if tail:
        recovered = _recover_inside(tail, storage) if _decode_line(tail, storage) is None else None
        contents.torn_tail = True
        if recovered is not None:
            # An old partial line with a whole acknowledged one run on behind it: keep the whole one.
            contents.batches.append(recovered)
    return contents
