"""One writer at a time: an exclusive lock held for as long as the database is open.

The lock is the OS lock on a file (`flock`), so it dies with its process: a stale lock from a crashed app
is recovered without anyone deleting files. Who holds it is written beside it so a second opener can be told.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import os
import socket
from datetime import datetime
from pathlib import Path

import msgspec

from facilitator.store.durable import FILE_MODE, write_all
from facilitator.store.errors import DatabaseLocked


class Holder(msgspec.Struct):
    pid: int
    host: str
    user: str
    since: str


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class WriterLock:
    """The exclusive lock on one database file."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self.holder_path = db_path.with_name(db_path.name + ".lock.owner")
        self._fd: int | None = None  # the open lock file while the lock is held

    def acquire(self, now: datetime) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DatabaseLocked(self._locked_message()) from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        holder = Holder(os.getpid(), socket.gethostname(), _user(), now.isoformat(timespec="seconds"))
        try:
            fd = os.open(self.holder_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
            try:
                write_all(fd, msgspec.json.encode(holder))
            finally:
                os.close(fd)
        except OSError:
            # Who holds the lock is only a courtesy to a second opener; a full disk must not stop this one.
            with contextlib.suppress(OSError):
                self.holder_path.unlink()

    def _locked_message(self) -> str:
        who = "another Facilitator"
        with contextlib.suppress(OSError, msgspec.DecodeError, msgspec.ValidationError):
            holder = msgspec.json.decode(self.holder_path.read_bytes(), type=Holder)
            who = (
                f"another Facilitator (process {holder.pid} of {holder.user} on {holder.host}, "
                f"since {holder.since})"
            )
        return (
            f"{self.path.name[: -len('.lock')]} is open in {who}; lock file {self.path}. "
            "Close it there, or open this one read-only with --read-only."
        )

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                self.holder_path.unlink()
            os.close(self._fd)  # closing the file lets the lock go
            self._fd = None
