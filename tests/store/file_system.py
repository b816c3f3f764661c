"""A file-system layer for the store's tests: it records the calls made under one folder, and can fail one.

It patches the `os` functions the store, its lock and the pack registry call (`os.open`, `os.write`,
`os.fsync`, `os.replace`, ...) while it is installed. `os.fdopen` on a recorded descriptor gives back an
unbuffered file whose every write is a recorded `os.write`, so a buffered writer is traced as well. Calls
that do not touch the folder go straight through.

A `Fault` fails the n-th call of one kind under the folder with an OSError, before the call has any effect
(or, for a torn write, after half of it landed, as a disk that fills up mid-write does).
"""

from __future__ import annotations

import errno as errnos
import os
import shutil
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fault_figures import count

FAULT_ERRNOS = (errnos.ENOSPC, errnos.EIO, errnos.EACCES, errnos.EROFS)
# The kinds of call a fault can hit, as `Call.kind` names them.
FAULT_KINDS = ("open", "write", "fsync", "ftruncate", "rename", "unlink", "mkdir", "chmod")


@dataclass(frozen=True)
class Call:
    """One recorded call; paths are relative to the folder ("." is the folder itself)."""

    kind: str  # open, write, fsync, ftruncate, close, rename, link, unlink, mkdir, rmdir, chmod
    path: str
    target: str = ""  # rename, link: the new name
    data: bytes = b""  # write: the bytes that were written
    offset: int = 0  # write: where they went
    size: int = 0  # ftruncate: the new length
    flags: int = 0  # open
    folder: bool = False  # open, fsync: the descriptor is a folder's
    fd: int = -1  # the descriptor of a call on one (open gives it)

    def __str__(self) -> str:
        details = {
            "write": f" {len(self.data)} bytes at {self.offset}",
            "ftruncate": f" to {self.size}",
            "rename": f" -> {self.target}",
            "link": f" -> {self.target}",
        }
        return f"{self.kind} {self.path}{details.get(self.kind, '')}"


@dataclass(frozen=True)
class Fault:
    """Fail the `index`-th call (from 0) of `kind` whose path contains `path_part`."""

    kind: str
    index: int
    errno: int
    torn: bool = False  # a write: half of it is written, then the disk is full
    path_part: str = ""

    def __str__(self) -> str:
        torn = " after half of it was written" if self.torn else ""
        where = f" on *{self.path_part}*" if self.path_part else ""
        return f"{errnos.errorcode[self.errno]} at {self.kind} #{self.index}{where}{torn}"

    def matches(self, kind: str, path: str) -> bool:
        return kind == self.kind and self.path_part in path


@contextmanager
def fsync_skipped_on_the_real_disk() -> Iterator[None]:
    """Make `os.fsync` return at once: for tests that model power cuts rather than rely on the disk (fast)."""
    real = os.fsync, os.fdatasync
    os.fsync = os.fdatasync = lambda fd: None
    try:
        yield
    finally:
        os.fsync, os.fdatasync = real


@contextmanager
def folder_in_memory(fallback: Path) -> Iterator[Path]:
    """A fresh folder on the RAM disk (/dev/shm) if there is one, else `fallback`: sweeps make thousands of
    metadata changes, which a busy real disk makes slow. Removed afterwards."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield fallback
        return
    folder = Path(tempfile.mkdtemp(prefix="facilitator-faults-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fault_error(error_number: int, path: str) -> OSError:
    return OSError(error_number, os.strerror(error_number), path)


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes under `root` by relative path, and None for each folder."""
    found: dict[str, bytes | None] = {}
    for folder, folders, files in os.walk(root):
        relative = os.path.relpath(folder, root)
        for name in folders:
            found[os.path.normpath(os.path.join(relative, name))] = None
        for name in files:
            found[os.path.normpath(os.path.join(relative, name))] = Path(folder, name).read_bytes()
    return found


@dataclass
class _Open:
    path: str
    folder: bool


class TracedFile:
    """What `os.fdopen` gives back for a recorded descriptor: unbuffered, each write one `os.write`."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self.closed = False

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size >= 0:
            return os.read(self._fd, size)
        chunks = []
        while chunk := os.read(self._fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)

    def flush(self) -> None:
        """Nothing is buffered."""

    def fileno(self) -> int:
        return self._fd

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self._fd)

    def __enter__(self) -> TracedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class FileSystemLayer:
    """Records (and fails) the file-system calls under `root` while installed (`with layer:`).

    `skip_fsync` removes an fsync: a matching call does nothing and is not recorded, as if the line were
    deleted from the code.
    """

    root: Path
    faults: list[Fault] = field(default_factory=list)
    skip_fsync: Callable[[Call], bool] | None = None
    calls: list[Call] = field(default_factory=list)
    attempts: Counter[str] = field(default_factory=Counter)  # calls tried under the folder, by kind
    fired: list[Fault] = field(default_factory=list)
    _seen: Counter[Fault] = field(default_factory=Counter)  # matching calls so far, by fault
    initial: dict[str, bytes | None] = field(default_factory=dict)
    _open: dict[int, _Open] = field(default_factory=dict)
    _full: set[int] = field(default_factory=set)  # descriptors whose next write fails (after a torn one)
    _real: dict[str, Any] = field(default_factory=dict)

    # --- installing -----------------------------------------------------------------------------------------

    def __enter__(self) -> FileSystemLayer:
        self.root = Path(os.path.realpath(self.root))
        self.initial = snapshot(self.root)
        patches = {
            "open": self._os_open,
            "write": self._os_write,
            "pwrite": self._os_pwrite,
            "fsync": self._os_fsync,
            "fdatasync": self._os_fsync,
            "ftruncate": self._os_ftruncate,
            "close": self._os_close,
            "replace": self._os_rename("replace"),
            "rename": self._os_rename("rename"),
            "link": self._os_link,
            "unlink": self._os_unlink("unlink"),
            "remove": self._os_unlink("remove"),
            "mkdir": self._os_mkdir,
            "rmdir": self._os_rmdir,
            "chmod": self._os_chmod,
            "fchmod": self._os_fchmod,
            "fdopen": self._os_fdopen,
        }
        for name, patched in patches.items():
            self._real[name] = getattr(os, name)
            setattr(os, name, patched)
        return self

    def __exit__(self, *exc: object) -> None:
        for name, real in self._real.items():
            setattr(os, name, real)
        self._real.clear()

    def counts(self) -> Counter[str]:
        """How many calls of each kind were recorded."""
        return Counter(call.kind for call in self.calls)

    def without_faults(self) -> None:
        """The disk is well again: no more faults, no full descriptors."""
        self.faults = []
        self._full.clear()

    # --- paths ----------------------------------------------------------------------------------------------

    def _relative(self, path: Any, dir_fd: int | None = None) -> str | None:
        """`path` relative to the folder, or None when it is outside it (or given relative to a dir_fd)."""
        if dir_fd is not None or isinstance(path, int):
            return None
        absolute = os.path.abspath(os.fsdecode(os.fspath(path)))
        root = str(self.root)
        if absolute != root and not absolute.startswith(root + os.sep):
            return None
        return os.path.relpath(absolute, root)

    def _due(self, kind: str, path: str) -> Fault | None:
        """Count an attempted call; the fault that fails it, if one is due."""
        self.attempts[kind] += 1
        due = None
        for fault in self.faults:
            if fault in self.fired or not fault.matches(kind, path):
                continue
            self._seen[fault] += 1
            if self._seen[fault] == fault.index + 1 and due is None:
                due = fault
        if due is not None:
            self.fired.append(due)
            count("injected faults")
        return due

    def _fail_if_due(self, kind: str, path: str) -> None:
        if (fault := self._due(kind, path)) is not None:
            raise fault_error(fault.errno, path)

    # --- the patched functions ------------------------------------------------------------------------------

    def _os_open(self, path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
        relative = self._relative(path, dir_fd)
        if relative is None:
            return self._real["open"](path, flags, mode, dir_fd=dir_fd)
        self._fail_if_due("open", relative)
        fd = self._real["open"](path, flags, mode)
        folder = stat.S_ISDIR(os.fstat(fd).st_mode)
        self._open[fd] = _Open(relative, folder)
        self.calls.append(Call("open", relative, flags=flags, folder=folder, fd=fd))
        return fd

    def _write(self, fd: int, data: Any, offset: int | None) -> int:
        opened = self._open[fd]
        if fd in self._full:
            raise fault_error(errnos.ENOSPC, opened.path)
        fault = self._due("write", opened.path)
        if fault is not None and not fault.torn:
            raise fault_error(fault.errno, opened.path)
        if fault is not None:
            data = memoryview(data)[: len(data) // 2]
            self._full.add(fd)
            if not data:
                raise fault_error(fault.errno, opened.path)
        if offset is None:
            written = self._real["write"](fd, data)
            offset = os.lseek(fd, 0, os.SEEK_CUR) - written
        else:
            written = self._real["pwrite"](fd, data, offset)
        self.calls.append(Call("write", opened.path, data=bytes(data[:written]), offset=offset, fd=fd))
        return written

    def _os_write(self, fd: int, data: Any) -> int:
        if fd not in self._open:
            return self._real["write"](fd, data)
        return self._write(fd, data, None)

    def _os_pwrite(self, fd: int, data: Any, offset: int) -> int:
        if fd not in self._open:
            return self._real["pwrite"](fd, data, offset)
        return self._write(fd, data, offset)

    def _os_fsync(self, fd: Any) -> None:
        fd = fd if isinstance(fd, int) else fd.fileno()
        opened = self._open.get(fd)
        if opened is None:
            return self._real["fsync"](fd)
        call = Call("fsync", opened.path, folder=opened.folder, fd=fd)
        self._fail_if_due("fsync", opened.path)
        if self.skip_fsync is not None and self.skip_fsync(call):
            return None
        self._real["fsync"](fd)
        self.calls.append(call)
        return None

    def _os_ftruncate(self, fd: int, length: int) -> None:
        opened = self._open.get(fd)
        if opened is None:
            return self._real["ftruncate"](fd, length)
        self._fail_if_due("ftruncate", opened.path)
        self._real["ftruncate"](fd, length)
        self.calls.append(Call("ftruncate", opened.path, size=length, fd=fd))
        return None

    def _os_close(self, fd: int) -> None:
        opened = self._open.pop(fd, None)
        self._full.discard(fd)
        self._real["close"](fd)
        if opened is not None:
            self.calls.append(Call("close", opened.path, folder=opened.folder, fd=fd))

    def _os_rename(self, name: str) -> Callable[..., None]:
        def rename(
            source: Any, target: Any, *, src_dir_fd: int | None = None, dst_dir_fd: int | None = None
        ) -> None:
            from_path, to_path = self._relative(source, src_dir_fd), self._relative(target, dst_dir_fd)
            if from_path is None and to_path is None:
                return self._real[name](source, target, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)
            self._fail_if_due("rename", from_path or to_path or "")
            self._real[name](source, target)
            self.calls.append(Call("rename", from_path or "", target=to_path or ""))
            return None

        return rename

    def _os_link(self, source: Any, target: Any, **options: Any) -> None:
        from_path, to_path = self._relative(source), self._relative(target)
        if to_path is None or options.get("src_dir_fd") is not None or options.get("dst_dir_fd") is not None:
            return self._real["link"](source, target, **options)
        self._fail_if_due("link", to_path)
        self._real["link"](source, target, **options)
        self.calls.append(Call("link", from_path or "", target=to_path))
        return None

    def _path_call(self, kind: str, real: str, path: Any, *args: Any, dir_fd: int | None = None) -> None:
        """A call on one path (unlink, mkdir, rmdir, chmod): failed, made, then recorded."""
        relative = self._relative(path, dir_fd)
        if relative is None:
            options = {} if dir_fd is None else {"dir_fd": dir_fd}
            return self._real[real](path, *args, **options)
        self._fail_if_due(kind, relative)
        self._real[real](path, *args)
        self.calls.append(Call(kind, relative))
        return None

    def _os_unlink(self, name: str) -> Callable[..., None]:
        def unlink(path: Any, *, dir_fd: int | None = None) -> None:
            return self._path_call("unlink", name, path, dir_fd=dir_fd)

        return unlink

    def _os_mkdir(self, path: Any, mode: int = 0o777, *, dir_fd: int | None = None) -> None:
        return self._path_call("mkdir", "mkdir", path, mode, dir_fd=dir_fd)

    def _os_rmdir(self, path: Any, *, dir_fd: int | None = None) -> None:
        return self._path_call("rmdir", "rmdir", path, dir_fd=dir_fd)

    def _os_chmod(self, path: Any, mode: int, **options: Any) -> None:
        if isinstance(path, int):
            return self._os_fchmod(path, mode)
        follow = options.pop("follow_symlinks", True)
        if not follow or options:
            return self._real["chmod"](path, mode, follow_symlinks=follow, **options)
        return self._path_call("chmod", "chmod", path, mode)

    def _os_fchmod(self, fd: int, mode: int) -> None:
        opened = self._open.get(fd)
        if opened is None:
            return self._real["fchmod"](fd, mode)
        self._fail_if_due("chmod", opened.path)
        self._real["fchmod"](fd, mode)
        self.calls.append(Call("chmod", opened.path))
        return None

    def _os_fdopen(self, fd: int, *args: Any, **options: Any) -> Any:
        if fd not in self._open:
            return self._real["fdopen"](fd, *args, **options)
        return TracedFile(fd)
