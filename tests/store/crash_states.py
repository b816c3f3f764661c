"""Power cuts, enumerated: the disk states a crash could leave after each call of a trace (as ALICE does).

A trace (see `file_system.py`) is turned into operations on a model disk: a file's bytes are written or cut,
a name is linked, unlinked or renamed in a folder. An operation is durable once what it changed is fsynced
after it: a file's bytes by an fsync of that file, a folder's names by an fsync of that folder. After each
call, a power cut keeps every durable operation, and of the others (the pending ones):

- none of them; the first one, the first two, ... all of them, in the order they were made;
- any one of them alone (the disk wrote them out of order), with the earlier ones on the same names: a
  name is never changed on disk before an earlier change of that same name;
- the first ones in order and half of the next write (a torn write).

Limits: file modes, times and sizes beyond the bytes are not modelled; a rename between two folders needs both
fsynced; a file's fsync does not make its name durable (stricter than ext4 often is).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.store.file_system import Call, snapshot

# A folder entry: a file's inode number, or a folder's path.
Entry = tuple[str, int | str]
Key = tuple[str, int | str]  # what an fsync makes durable: ("file", inode) or ("folder", path)


@dataclass
class Disk:
    """Folders' names and files' bytes."""

    folders: dict[str, dict[str, Entry]] = field(default_factory=lambda: {".": {}})
    files: dict[int, bytearray] = field(default_factory=dict)

    def copy(self) -> Disk:
        return Disk(
            {path: dict(names) for path, names in self.folders.items()},
            {inode: bytearray(data) for inode, data in self.files.items()},
        )

    def file(self, inode: int) -> bytearray:
        """A file's bytes (a file made during the trace starts empty on any disk)."""
        return self.files.setdefault(inode, bytearray())

    def lookup(self, path: str) -> Entry | None:
        folder, name = split(path)
        return self.folders.get(folder, {}).get(name)

    def contents(self) -> dict[str, bytes | None]:
        """Every file reachable from the top folder, by relative path (None for a folder), like `snapshot`."""
        found: dict[str, bytes | None] = {}

        def walk(folder: str) -> None:
            for name, (kind, target) in self.folders.get(folder, {}).items():
                path = os.path.normpath(os.path.join(folder, name))
                if kind == "folder":
                    found[path] = None
                    walk(str(target))
                else:
                    found[path] = bytes(self.file(int(target)))

        walk(".")
        return found


def split(path: str) -> tuple[str, str]:
    folder, name = os.path.split(path)
    return folder or ".", name


def disk_of(files: dict[str, bytes | None]) -> Disk:
    """A model disk holding a snapshot."""
    disk = Disk()
    for path in sorted(files, key=lambda p: p.count(os.sep)):
        folder, name = split(path)
        data = files[path]
        if data is None:
            disk.folders[folder][name] = ("folder", path)
            disk.folders[path] = {}
        else:
            inode = len(disk.files)
            disk.files[inode] = bytearray(data)
            disk.folders[folder][name] = ("file", inode)
    return disk


# --- operations ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataChange:
    """A change to one file's bytes: it reaches the disk once that file is fsynced."""

    call: int
    inode: int

    @property
    def names(self) -> frozenset[str]:
        return frozenset()

    @property
    def needs(self) -> frozenset[Key]:
        return frozenset({("file", self.inode)})


@dataclass(frozen=True)
class Write(DataChange):
    offset: int
    data: bytes
    path: str

    def apply(self, disk: Disk) -> None:
        file = disk.file(self.inode)
        if len(file) < self.offset:
            file.extend(bytes(self.offset - len(file)))
        file[self.offset : self.offset + len(self.data)] = self.data

    def torn(self) -> Write:
        return Write(self.call, self.inode, self.offset, self.data[: len(self.data) // 2], self.path)

    def __str__(self) -> str:
        return f"write {len(self.data)} bytes at {self.offset} of {self.path}"


@dataclass(frozen=True)
class Truncate(DataChange):
    size: int
    path: str

    def apply(self, disk: Disk) -> None:
        file = disk.file(self.inode)
        del file[self.size :]
        file.extend(bytes(self.size - len(file)))

    def __str__(self) -> str:
        return f"cut {self.path} to {self.size}"


@dataclass(frozen=True)
class NameChange:
    """A change to one name in a folder: it reaches the disk once that folder is fsynced."""

    call: int
    path: str

    @property
    def names(self) -> frozenset[str]:
        return frozenset({self.path})

    @property
    def needs(self) -> frozenset[Key]:
        return frozenset({("folder", split(self.path)[0])})


@dataclass(frozen=True)
class Link(NameChange):
    """A name for a file or a new folder (a create, a mkdir, a hard link)."""

    entry: Entry

    def apply(self, disk: Disk) -> None:
        folder, name = split(self.path)
        disk.folders.setdefault(folder, {})[name] = self.entry
        if self.entry[0] == "folder":
            disk.folders.setdefault(self.path, {})

    def __str__(self) -> str:
        return f"name {self.path}"


@dataclass(frozen=True)
class Unlink(NameChange):
    def apply(self, disk: Disk) -> None:
        folder, name = split(self.path)
        disk.folders.get(folder, {}).pop(name, None)

    def __str__(self) -> str:
        return f"unlink {self.path}"


@dataclass(frozen=True)
class Rename:
    call: int
    source: str
    target: str
    entry: Entry

    @property
    def names(self) -> frozenset[str]:
        return frozenset({self.source, self.target})

    @property
    def needs(self) -> frozenset[Key]:
        return frozenset({("folder", split(self.source)[0]), ("folder", split(self.target)[0])})

    def apply(self, disk: Disk) -> None:
        Unlink(self.call, self.source).apply(disk)
        Link(self.call, self.target, self.entry).apply(disk)

    def __str__(self) -> str:
        return f"rename {self.source} -> {self.target}"


Op = Write | Truncate | Link | Unlink | Rename


@dataclass
class Trace:
    """A trace as operations on a model disk, and when each became durable."""

    initial: Disk
    calls: list[Call]
    ops: list[Op] = field(default_factory=list)
    durable_at: list[int | None] = field(default_factory=list)  # the call index of the fsync that did it
    final: Disk = field(default_factory=Disk)

    @classmethod
    def of(cls, initial: dict[str, bytes | None], calls: list[Call]) -> Trace:
        trace = cls(disk_of(initial), calls)
        trace._replay()
        return trace

    def _replay(self) -> None:
        disk = self.initial.copy()
        fds: dict[int, int | None] = {}  # descriptor -> its file's inode (None for a folder)
        next_inode = max(disk.files, default=-1) + 1
        unsynced: list[set[Key]] = []  # per operation, what must still be fsynced for it to be durable
        waiting: dict[Key, list[int]] = {}  # what an fsync of a key makes durable

        def add(op: Op) -> None:
            op.apply(disk)
            self.ops.append(op)
            self.durable_at.append(None)
            unsynced.append(set(op.needs))
            for key in op.needs:
                waiting.setdefault(key, []).append(len(self.ops) - 1)

        def inode(call: Call) -> int:
            found = fds.get(call.fd)
            if found is None:
                raise AssertionError(f"{call}: the model has no file open as descriptor {call.fd}")
            return found

        for index, call in enumerate(self.calls):
            if call.kind == "open" and call.folder:
                fds[call.fd] = None
            elif call.kind == "open":
                entry = disk.lookup(call.path)
                if entry is None:
                    if not call.flags & os.O_CREAT:
                        raise AssertionError(f"{call}: opened a file the model does not have")
                    entry = ("file", next_inode)
                    next_inode += 1
                    add(Link(index, call.path, entry))
                fds[call.fd] = int(entry[1])
                if call.flags & os.O_TRUNC:
                    add(Truncate(index, int(entry[1]), 0, call.path))
            elif call.kind == "close":
                fds.pop(call.fd, None)
            elif call.kind == "write":
                add(Write(index, inode(call), call.offset, call.data, call.path))
            elif call.kind == "ftruncate":
                add(Truncate(index, inode(call), call.size, call.path))
            elif call.kind == "fsync":
                key: Key = ("folder", call.path) if fds.get(call.fd) is None else ("file", inode(call))
                for op_index in waiting.pop(key, []):
                    unsynced[op_index].discard(key)
                    if not unsynced[op_index]:
                        self.durable_at[op_index] = index
            elif call.kind in ("rename", "link"):
                entry = disk.lookup(call.path)
                if entry is None:
                    raise AssertionError(f"{call}: the model has no {call.path}")
                add(
                    Rename(index, call.path, call.target, entry)
                    if call.kind == "rename"
                    else Link(index, call.target, entry)
                )
            elif call.kind in ("unlink", "rmdir"):
                add(Unlink(index, call.path))
            elif call.kind == "mkdir":
                add(Link(index, call.path, ("folder", call.path)))
        self.final = disk

    # --- crash states ---------------------------------------------------------------------------------------

    def durable_and_pending(self, point: int) -> tuple[list[Op], list[Op]]:
        """Operations of the first `point` calls: those made durable by then, and the rest."""
        durable: list[Op] = []
        pending: list[Op] = []
        for op, synced in zip(self.ops, self.durable_at, strict=True):
            if op.call >= point:
                break
            (durable if synced is not None and synced < point else pending).append(op)
        return durable, pending

    def states(self, point: int) -> Iterator[tuple[str, Disk]]:
        """Every disk a power cut right after the first `point` calls may leave, with how it came about."""
        durable, pending = self.durable_and_pending(point)
        base = self.initial.copy()
        for op in durable:
            op.apply(base)
        yield "only what was made durable", base
        done = base
        for number, op in enumerate(pending, start=1):
            if isinstance(op, Write) and len(op.data) > 1:
                torn = done.copy()
                op.torn().apply(torn)
                yield f"the first {number - 1} pending and half of '{op}'", torn
            done = done.copy()
            op.apply(done)
            yield f"the first {number} of {len(pending)} pending, the last '{op}'", done
        for number, op in enumerate(pending[1:], start=1):
            alone = base.copy()
            for needed in with_earlier_on_its_names(pending[:number], op):
                needed.apply(alone)
            yield f"only '{op}' of those pending (and earlier ones on its names)", alone


def with_earlier_on_its_names(earlier: list[Op], op: Op) -> list[Op]:
    """`op` after every earlier operation on a name it touches, and on theirs in turn, in order."""
    names = set(op.names)
    needed = [op]
    for before in reversed(earlier):
        if before.names & names:
            needed.append(before)
            names |= before.names
    return needed[::-1]


def materialise(files: dict[str, bytes | None], folder: Path) -> None:
    """Write a disk state into an empty folder."""
    for path in sorted(files, key=lambda p: p.count(os.sep)):
        target = folder / path
        data = files[path]
        if data is None:
            target.mkdir()
        else:
            target.write_bytes(data)


def trace_misses(trace: Trace, root: Path) -> list[str]:
    """Where the model of the whole trace differs from the real folder: calls the layer did not see."""
    model, real = trace.final.contents(), snapshot(root)
    return [
        f"{path}: the model has {describe(path, model)}, the disk {describe(path, real)}"
        for path in sorted(set(model) | set(real))
        if path not in model or path not in real or model[path] != real[path]
    ]


def describe(path: str, files: dict[str, bytes | None]) -> str:
    if path not in files:
        return "nothing"
    data = files[path]
    return "a folder" if data is None else f"{len(data)} bytes"


def fresh_folder(parent: Path, name: str) -> Path:
    folder = parent / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
