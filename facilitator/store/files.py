"""The files of one database: where each lives, and the checks made before any of them is touched.

Beside `facilitator.json` live its journal, the journals set aside by folds still to finish
(`.journal.folding-<n>`), the lock, and `backups/`. A path given by the user is checked before anything is
created or changed: it must be a regular file of ours (or not exist yet), with one name, read without
following it into a FIFO or a device.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

from facilitator.store.backups import backups_newest_first
from facilitator.store.errors import StoreError

_FOLDING = re.compile(r"\.journal\.folding(?:-(\d+))?$")


def real_path(path: Path | str) -> Path:
    """The database's own path: a symlink is followed, so every name of one file shares one lock."""
    return Path(os.path.realpath(Path(path).expanduser()))


def packs_folder(db_path: Path) -> Path:
    """Where imported packs live: `packs/` beside the database."""
    return db_path.parent / "packs"


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".journal")


def folding_paths(db_path: Path) -> list[Path]:
    """Journals set aside by folds that did not finish, oldest first (their writes precede the journal's)."""
    found: list[tuple[int, Path]] = []
    prefix = db_path.name + ".journal.folding"
    try:
        names = os.listdir(db_path.parent)
    except FileNotFoundError:
        return []
    for name in names:
        if not name.startswith(prefix):
            continue
        match = _FOLDING.search(name[len(db_path.name) :])
        if match:
            found.append((int(match.group(1) or 0), db_path.with_name(name)))
    return [path for _, path in sorted(found)]


def next_folding_path(db_path: Path) -> Path:
    """A name for the next journal a fold sets aside, after every one already there (never over one)."""
    taken = folding_paths(db_path)
    last = 0
    for path in taken:
        match = _FOLDING.search(path.name[len(db_path.name) :])
        last = max(last, int(match.group(1) or 0) if match else 0)
    return db_path.with_name(f"{db_path.name}.journal.folding-{last + 1}")


def holds_only_database_files(db_path: Path) -> bool:
    """Whether the database's folder holds nothing but this database's own files (then it is its to keep)."""
    own = {"backups", "packs"}
    for name in os.listdir(db_path.parent):
        if name not in own and not name.startswith((db_path.name, f".{db_path.name}.")):
            return False
    return True


def broken_copies(db_path: Path) -> list[Path]:
    """Files `doctor --restore` kept aside (`facilitator.json.broken-<time>`)."""
    if not db_path.parent.is_dir():
        return []
    return sorted(db_path.parent.glob(f"{db_path.name}.broken-*"))


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def check_database_path(path: Path) -> os.stat_result | None:
    """The file's status if it exists and may be opened as a database; None if there is none yet.

    Raises StoreError, before anything is created or changed, for a path that is not a plain file of one name.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise StoreError(f"{path} is inside something that is not a folder") from None
    for is_kind, kind in _KINDS:
        if is_kind(info.st_mode):
            raise StoreError(f"{path} is {kind}, not a database file; nothing was changed")
    if info.st_nlink > 1:
        raise StoreError(
            f"{path} has {info.st_nlink} names (hard links); saving replaces the file and would part them. "
            "Keep one name (copy the file, then remove the other names) and open that; nothing was changed"
        )
    return info


def same_file(now: os.stat_result, before: os.stat_result) -> bool:
    """Whether a file is still the one read before: not replaced (by a fold) nor written since."""
    return (now.st_ino, now.st_size, now.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)


def open_database_file(path: Path) -> tuple[BinaryIO, os.stat_result]:
    """Open the file without blocking on a FIFO swapped in after the check, nor following a new symlink.

    The open file stays the one read even if a fold replaces the name meanwhile, so what is read from it
    later is the same moment of the database.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(f"{path} is not a plain file, not a database file; nothing was changed")
        return os.fdopen(fd, "rb"), info
    except BaseException:
        os.close(fd)
        raise


def read_database_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    """The whole file, read as `open_database_file` opens it."""
    file, info = open_database_file(path)
    with file:
        return read_rest(file), info


def read_rest(file: BinaryIO) -> bytes:
    chunks: list[bytes] = []
    while chunk := file.read(1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def read_again(file: BinaryIO) -> bytes:
    """The whole of an open file from its first byte, wherever its reader has got to."""
    chunks: list[bytes] = []
    while chunk := os.pread(file.fileno(), 1 << 20, sum(map(len, chunks))):
        chunks.append(chunk)
    return b"".join(chunks)


def leftovers_of_a_missing_database(db_path: Path) -> str | None:
    """Why a missing database must not be created afresh: its backups or a kept copy are beside it."""
    journal = journal_path(db_path)
    if journal.exists() or folding_paths(db_path):
        return f"its journal {journal.name} is still there"
    if broken_copies(db_path):
        return f"a copy kept aside ({broken_copies(db_path)[-1].name}) is beside it"
    if backups_newest_first(db_path):
        return f"its backups are in {db_path.parent / 'backups'}"
    return None
