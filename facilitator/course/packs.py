"""The one pack lookup: every installed pack, read once, and the exact version a group is pinned to.

A group is pinned to one version of one pack. Everything that needs a group's pack (running a meeting,
planning the rest of the course, a new meeting's agenda, changing the pack) asks `PackLibrary.pinned`, which
gives that version or nothing, never another version of the same pack; `not_installed` is the one sentence
for when it is missing. The library reads the bundled packs and the imported ones (the packs folder beside the
database) once, and again only when the packs folder changes, so a key press never re-reads every pack.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import ClassVar

from curricula.format import Pack
from curricula.registry import Registry
from facilitator.store.records import Group

Signature = tuple[tuple[str, int, int], ...] | None


def not_installed(group: Group) -> str:
    """The one sentence for a group whose pack version cannot be found."""
    return (
        f"This group's pack version ({group.pack_id} {group.pack_version}) is not installed: "
        "import it in Packs (4), or change the group's pack (p)."
    )


class PackLibrary:
    """The installed packs for one packs folder, shared by everything that reads them (thread-safe)."""

    _shared: ClassVar[dict[Path | None, PackLibrary]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, user_dir: Path | None) -> None:
        self.user_dir = user_dir
        self._lock = threading.Lock()
        self._registry: Registry | None = None
        self._signature: Signature = None

    @classmethod
    def of(cls, user_dir: Path | None) -> PackLibrary:
        """The library of a packs folder, one per folder in this process."""
        with cls._shared_lock:
            library = cls._shared.get(user_dir)
            if library is None:
                library = cls._shared[user_dir] = cls(user_dir)
            return library

    def registry(self) -> Registry:
        """Every installed pack, read again only when the packs folder has changed since."""
        signature = self._folder_signature()
        with self._lock:
            if self._registry is None or signature != self._signature:
                self._registry = Registry.load(self.user_dir)
                self._signature = signature
            return self._registry

    def is_fresh(self) -> bool:
        """Whether `registry()` would answer without reading a pack (a screen can then skip its worker)."""
        return self._registry is not None and self._folder_signature() == self._signature

    def pinned(self, group: Group) -> Pack | None:
        """The exact pack version the group is pinned to, or None (no pack, or that version is missing)."""
        if not group.pack_id:
            return None
        entry = self.registry().get(group.pack_id, group.pack_version)
        return entry.pack if entry is not None else None

    def _folder_signature(self) -> Signature:
        """The packs folder's pack files with their times and sizes: a change to any is a new signature."""
        if self.user_dir is None:
            return None
        try:
            with os.scandir(self.user_dir) as found:
                files = [
                    (item.name, item.stat().st_mtime_ns, item.stat().st_size)
                    for item in found
                    if item.name.endswith(".toml") and item.is_file()
                ]
        except OSError:
            return None
        return tuple(sorted(files))


def bundled_pack(pack_id: str) -> Pack:
    """The newest bundled version of a pack, checked by the loader like any other (the demo and tests)."""
    entry = PackLibrary.of(None).registry().latest(pack_id)
    if entry is None or entry.pack is None:
        raise LookupError(f"no bundled pack {pack_id}")
    return entry.pack
