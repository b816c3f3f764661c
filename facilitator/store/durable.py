"""Durable, private file writes: the one place that knows how to put bytes on disk safely."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from facilitator.store.errors import StoreError

FILE_MODE = 0o600
DIR_MODE = 0o700
# Temporary copies are named `.<target>.<pid>.tmp`; a killed writer can leave one (see `remove_stale_temps`).
_TEMP_SUFFIX = ".tmp"


def ensure_private_dir(folder: Path) -> None:
    """Create `folder` owner-only, and every missing parent owner-only too, whatever the umask."""
    if folder.is_dir():
        return
    missing: list[Path] = []
    for parent in [folder, *folder.parents]:
        if parent.exists():
            break
        missing.append(parent)
    for parent in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(parent, DIR_MODE)
            # mkdir's mode is filtered by the umask; say it once more.
            os.chmod(parent, DIR_MODE)
            # A new folder's name lives in its parent: made durable before anything inside it is acknowledged.
            fsync_dir(parent.parent)
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder")


def check_private_dir(folder: Path, *, ours: bool) -> str | None:
    """Make sure a data folder is safe to keep records in; returns a warning to show, if any.

    A folder of someone else's, or one others may write to, is refused (StoreError): they could swap
    our files. A folder others may look into is made private when it is `ours` (it holds only this
    database's files); a folder shared with other things is left as it is, with a warning.
    """
    info = os.stat(folder)
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise StoreError(f"{folder} belongs to another user (uid {info.st_uid}); use a folder of yours")
    mode = stat.S_IMODE(info.st_mode)
    shared = mode & stat.S_ISVTX
    if mode & 0o022 and not shared:
        raise StoreError(f"other users may change files in {folder} (mode {mode:o}); use a folder of yours")
    if not mode & 0o077:
        return None
    if ours and not shared:
        os.chmod(folder, DIR_MODE)
        return f"the folder {folder} could be read by other users (mode {mode:o}); it is now private (700)"
    return f"{folder} is shared with other users; the database is private, but a folder of your own is safer"


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` survive a power cut."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_path(path: Path) -> Path:
    return path.parent / f".{path.name}.{os.getpid()}{_TEMP_SUFFIX}"


def write_all(fd: int, chunks: bytes | list[bytes]) -> None:
    """Write every byte of `chunks` to `fd` (os.write may write less than asked)."""
    for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]


def atomic_write(path: Path, chunks: bytes | list[bytes]) -> None:
    """Replace `path` with `chunks` so that a crash leaves the old file or the new one, never a mix.

    On any failure (a full disk, an I/O error) the old file is untouched and the temporary copy is removed.
    """
    folder = path.parent
    ensure_private_dir(folder)
    temp = temp_path(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
    try:
        try:
            write_all(fd, chunks)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_dir(folder)


def copy_private(source: Path, target: Path) -> None:
    """Copy a file to `target`, owner-only and durable."""
    atomic_write(target, source.read_bytes())


def remove_stale_temps(folder: Path, prefix: str) -> int:
    """Delete temporary copies of files named `prefix…` left by writers that were killed; returns how many.

    Only called while holding the database's writer lock, so no live writer of ours can own one.
    """
    removed = 0
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for temp in folder.glob(f".{prefix}*{_TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                temp.unlink()
                removed += 1
    return removed
