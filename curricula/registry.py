"""Every pack the app can use: those bundled with it and those the facilitator imported.

Bundled packs ship inside the package (`curricula/packs/*.toml`, read through `importlib.resources` so an
installed wheel works), with every earlier bundled version kept in `packs/previous/<id>@<version>.toml`
so a group pinned to one still runs the agenda it was planned with; user packs live in a folder beside the
database, one file per `<id>@<version>.toml`, so every version a group is pinned to stays available. A
broken file is listed with its problems, never raised.
"""

from __future__ import annotations

import builtins
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import msgspec

from curricula.checks import quote
from curricula.format import Pack
from curricula.loader import LoadResult, Problem, load_pack_bytes, read_pack_bytes

__all__ = [
    "ImportOutcome",
    "ImportStatus",
    "Origin",
    "PackEntry",
    "Registry",
    "import_pack",
    "pack_json_schema",
]

Origin = Literal["bundled", "user"]
PREVIOUS = "previous"  # the folder of earlier bundled versions, inside the bundled packs folder


@dataclass(frozen=True)
class PackEntry:
    """One pack file as the registry found it, usable or not."""

    id: str
    version: str
    title: str
    session_count: int
    origin: Origin
    path: Path
    problems: tuple[Problem, ...] = ()
    pack: Pack | None = None

    @property
    def ok(self) -> bool:
        """True when the pack can be used (it may still have warnings)."""
        return self.pack is not None

    @property
    def key(self) -> str:
        """`id@version`, the name a user pack's file is given on import."""
        return f"{self.id}@{self.version}"


def version_key(version: str) -> tuple[int, ...]:
    """A version's numbers, for comparing numerically ("1.10.0" is newer than "1.9.0")."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return ()


class Registry:
    """The packs found in the bundled and user folders, by id and version."""

    def __init__(self, entries: Iterable[PackEntry] = (), problems: Iterable[Problem] = ()) -> None:
        self.problems = list(problems)  # folder-level trouble, such as a user folder that cannot be read
        self._entries = _mark_duplicates(list(entries))
        self._usable: dict[tuple[str, str], PackEntry] = {}
        for entry in self._entries:
            if entry.ok:
                self._usable.setdefault((entry.id, entry.version), entry)

    @classmethod
    def load(cls, user_dir: Path | None = None, *, bundled_dir: Traversable | None = None) -> Registry:
        """Read the bundled packs (`bundled_dir`, by default the package's own) and those in `user_dir`."""
        bundled = bundled_dir if bundled_dir is not None else resources.files("curricula").joinpath("packs")
        entries, problems = _read_folder(bundled, "bundled")
        if (previous := bundled.joinpath(PREVIOUS)).is_dir():
            earlier, earlier_problems = _read_folder(previous, "bundled")
            entries += earlier
            problems += earlier_problems
        if user_dir is not None:
            user_entries, user_problems = _read_folder(user_dir, "user")
            entries += user_entries
            problems += user_problems
        return cls(entries, problems)

    def list(self) -> list[PackEntry]:
        """Every pack file found, broken ones included: by id, newest version first, bundled before user."""
        # Three stable sorts, least important key first, so that ties keep the order of the one before.
        entries = sorted(self._entries, key=lambda entry: entry.origin != "bundled")
        entries.sort(key=lambda entry: version_key(entry.version), reverse=True)
        entries.sort(key=lambda entry: entry.id)
        return entries

    def versions(self, pack_id: str) -> builtins.list[PackEntry]:
        """The usable versions of one pack, newest first."""
        found = [entry for (id_, _), entry in self._usable.items() if id_ == pack_id]
        return sorted(found, key=lambda entry: version_key(entry.version), reverse=True)

    def latest(self, pack_id: str) -> PackEntry | None:
        """The highest usable version of a pack, whichever folder it is in."""
        versions = self.versions(pack_id)
        return versions[0] if versions else None

    def get(self, pack_id: str, version: str) -> PackEntry | None:
        """One usable version of a pack (the one a group is pinned to), or None."""
        return self._usable.get((pack_id, version))


def _read_folder(folder: Traversable, origin: Origin) -> tuple[list[PackEntry], list[Problem]]:
    """The entries for every `*.toml` file in one folder, or the problem that stopped it being read."""
    try:
        files = sorted(
            (item for item in folder.iterdir() if item.name.endswith(".toml") and item.is_file()),
            key=lambda item: item.name,
        )
    except FileNotFoundError:
        return [], []  # no user packs imported yet
    except OSError as error:
        return [], [Problem(str(folder), None, "", f"could not read the folder: {error.strerror or error}")]
    return [_read_entry(item, origin) for item in files], []


def _read_entry(item: Traversable, origin: Origin) -> PackEntry:
    """Load one pack file into an entry, broken or not."""
    if isinstance(item, Path):
        data = read_pack_bytes(item)
        result = (
            LoadResult(item.name, None, [data])
            if isinstance(data, Problem)
            else load_pack_bytes(data, item.name)
        )
    else:
        try:
            result = load_pack_bytes(item.read_bytes(), item.name)
        except OSError as error:
            result = LoadResult(
                item.name, None, [Problem(item.name, None, "", f"could not read: {error.strerror}")]
            )
    return _entry(result, origin, Path(str(item)))


def _entry(result: LoadResult, origin: Origin, path: Path) -> PackEntry:
    """An entry from a load result; a broken pack is named from what could be read of it."""
    problems = tuple(result.problems)
    if result.pack is not None:
        pack = result.pack
        sessions = sum(len(unit.sessions) for unit in pack.units)
        return PackEntry(pack.id, pack.version, pack.title, sessions, origin, path, problems, pack)
    document = result.document or {}
    stem_id, _, stem_version = path.stem.partition("@")
    return PackEntry(
        id=_text(document.get("id")) or stem_id,
        version=_text(document.get("version")) or stem_version,
        title=_text(document.get("title")) or path.name,
        session_count=_count_sessions(document.get("units")),
        origin=origin,
        path=path,
        problems=problems,
    )


def _text(value: Any) -> str:
    """A short single-line text value from a broken pack, or "" if it is not one."""
    return value if isinstance(value, str) and value.isprintable() and len(value) <= 200 else ""


def _count_sessions(units: Any) -> int:
    """How many sessions a broken pack seems to have."""
    if not isinstance(units, list):
        return 0
    return sum(
        len(unit["sessions"])
        for unit in units
        if isinstance(unit, dict) and isinstance(unit.get("sessions"), list)
    )


def _mark_duplicates(entries: list[PackEntry]) -> list[PackEntry]:
    """Warn on every usable entry hidden by another with the same id and version (bundled ones win)."""
    winners: dict[tuple[str, str], PackEntry] = {}
    for entry in sorted(
        entries, key=lambda e: e.origin != "bundled"
    ):  # stable: folder order within an origin
        if entry.ok:
            winners.setdefault((entry.id, entry.version), entry)
    marked: list[PackEntry] = []
    for entry in sorted(entries, key=lambda e: e.origin != "bundled"):
        winner = winners.get((entry.id, entry.version))
        if entry.ok and winner is not None and winner is not entry:
            note = Problem(
                entry.path.name,
                None,
                "",
                f"{entry.key} is also in {winner.path.name} ({winner.origin}); that one is used",
                "warning",
            )
            entry = replace(entry, problems=(*entry.problems, note))
        marked.append(entry)
    return marked


# --- Importing ---------------------------------------------------------------------------------------------


class ImportStatus(enum.StrEnum):
    """How an import ended."""

    IMPORTED = "imported"
    ALREADY_INSTALLED = "already_installed"
    BROKEN = "broken"
    CONFLICT = "conflict"
    FAILED = "failed"


@dataclass(frozen=True)
class ImportOutcome:
    """What `import_pack` did, in one line for the facilitator, with the pack's problems if any."""

    status: ImportStatus
    message: str
    problems: tuple[Problem, ...] = ()
    entry: PackEntry | None = None

    @property
    def ok(self) -> bool:
        """True when the pack is now installed (imported now or before)."""
        return self.status in (ImportStatus.IMPORTED, ImportStatus.ALREADY_INSTALLED)


def import_pack(
    path: Path,
    user_dir: Path,
    *,
    write: Callable[[Path, bytes], None],
    bundled_dir: Traversable | None = None,
) -> ImportOutcome:
    """Check the pack at `path` and copy it into `user_dir` as `<id>@<version>.toml`; never raises.

    `write(target, data)` puts the file in place durably (the app's one durable writer); an OSError from it
    is told as "Not imported".
    """
    data = read_pack_bytes(path)
    if isinstance(data, Problem):
        return ImportOutcome(ImportStatus.BROKEN, f"Not imported: {data}", (data,))
    result = load_pack_bytes(data, path.name)
    problems = tuple(result.problems)
    if result.pack is None:
        count = len(result.errors)
        noun = "problem" if count == 1 else "problems"
        many = f"at least {count:,}" if result.stopped else f"{count:,}"
        message = f"Not imported: {path.name} has {many} {noun} to fix first."
        return ImportOutcome(ImportStatus.BROKEN, message, problems)
    pack = result.pack
    registry = Registry.load(user_dir, bundled_dir=bundled_dir)
    existing = registry.get(pack.id, pack.version)
    target = user_dir / f"{pack.id}@{pack.version}.toml"
    if existing is not None:
        if existing.pack == pack:
            message = f"{pack.id} {pack.version} is already installed ({existing.origin}); nothing changed."
            return ImportOutcome(ImportStatus.ALREADY_INSTALLED, message, problems, existing)
        message = (
            f"Not imported: {pack.id} {pack.version} is already installed ({existing.origin}) with different"
            f" content. Give your pack a new version (for example {_next_patch(pack.version)}) and import it"
            " again."
        )
        return ImportOutcome(ImportStatus.CONFLICT, message, problems, existing)
    if target.exists():
        message = (
            f"Not imported: {target.name} already exists in the packs folder with other content;"
            " move it away first."
        )
        return ImportOutcome(ImportStatus.CONFLICT, message, problems)
    try:
        write(target, data)
    except OSError as error:
        message = f"Not imported: could not write {target}: {error.strerror or error}"
        return ImportOutcome(ImportStatus.FAILED, message, problems)
    entry = _entry(result, "user", target)
    sessions = "session" if entry.session_count == 1 else "sessions"
    warned = f" ({len(result.warnings)} to look at)" if result.warnings else ""
    message = (
        f"Imported {quote(pack.title)} ({pack.id} {pack.version}, {entry.session_count} {sessions}){warned}."
    )
    return ImportOutcome(ImportStatus.IMPORTED, message, problems, entry)


def _next_patch(version: str) -> str:
    """The version after `version` by one patch, to suggest."""
    major, minor, patch = version_key(version)
    return f"{major}.{minor}.{patch + 1}"


def pack_json_schema() -> dict[str, Any]:
    """A JSON Schema of the pack format, for editors with TOML support."""
    return msgspec.json.schema(Pack)
