"""Durable, private file writes: the one place that knows how to put bytes on disk safely."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_private_dir(folder: Path) -> None:
    """Create `folder` (and parents) owner-only if it does not exist yet."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, mode=DIR_MODE, exist_ok=True)
    # mkdir's mode is filtered by the umask; say it once more.
    os.chmod(folder, DIR_MODE)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` survive a power cut."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, chunks: bytes | list[bytes]) -> None:
    """Replace `path` with `chunks` so that a crash leaves the old file or the new one, never a mix."""
    folder = path.parent
    ensure_private_dir(folder)
    temp = folder / f".{path.name}.{os.getpid()}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb", closefd=True) as out:
            for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    fsync_dir(folder)


def copy_private(source: Path, target: Path) -> None:
    """Copy a file to `target`, owner-only and durable."""
    atomic_write(target, source.read_bytes())
