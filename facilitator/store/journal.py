"""An append-only journal beside the database: each write is one fsynced line, folded into the file later.

A line is `<crc32 as 8 hex digits> <json>\n`. A line that is torn (the process died mid-write) fails its
checksum and it and everything after it are ignored: that write was never acknowledged.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any

import msgspec

from facilitator.store.durable import FILE_MODE, fsync_dir

# One write: the records it puts, as (table, record) pairs.
Batch = list[tuple[str, Any]]

_encoder = msgspec.json.Encoder()


def encode_batch(batch: Batch) -> bytes:
    """The journal line for one write."""
    body = _encoder.encode(batch)
    return b"%08x %s\n" % (zlib.crc32(body), body)


class Journal:
    """The journal file of one database, open for appending."""

    def __init__(self, path: Path) -> None:
        self.path = path
        existed = path.exists()
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        if not existed:
            fsync_dir(path.parent)
        self.size = os.fstat(self._fd).st_size

    def append(self, batch: Batch) -> None:
        """Write one batch and return only once it is on disk."""
        line = encode_batch(batch)
        view = memoryview(line)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)
        self.size += len(line)

    def clear(self) -> None:
        """Empty the journal once its contents are safely in the main file."""
        os.ftruncate(self._fd, 0)
        os.fsync(self._fd)
        self.size = 0

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def read_journal(path: Path) -> tuple[list[list[list[Any]]], bool]:
    """The batches written to a journal, and whether a torn tail was dropped."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], False
    batches: list[list[list[Any]]] = []
    for line in data.split(b"\n"):
        if not line:
            continue
        checksum, _, body = line.partition(b" ")
        try:
            ok = int(checksum, 16) == zlib.crc32(body)
        except ValueError:
            ok = False
        if not ok:
            return batches, True
        batches.append(msgspec.json.decode(body))
    torn = bool(data) and not data.endswith(b"\n")
    return batches, torn
