"""Bundle files: a group's records (or everything) and the packs they use, to carry to another laptop.

A bundle is one JSON object: a format marker and version, a SHA-256 checksum, and the content it covers (the
database it came from, when, which group, the records table by table, tombstones and the conflict log
included, and the text of every pack version the groups use). The checksum is over the content's canonical
form (keys sorted, no spaces), so re-indenting the file in an editor does not break it but changing a
character does. With a passphrase the whole file is sealed (`facilitator.store.sealed`).

Reading a bundle either gives a `Bundle` or raises `BundleError` with one line to show; nothing here writes.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from curricula.loader import load_pack_bytes
from curricula.registry import Registry
from facilitator.store.records import (
    AttendanceMark,
    Conflict,
    Enrollment,
    Goal,
    Group,
    HomeAssignment,
    Meeting,
    Participant,
    Record,
)
from facilitator.store.sealed import DEFAULT_COST, KeyCost, SealError, is_sealed, seal, unseal
from facilitator.sync.merge import MERGED_TABLES, RECORD_TABLES, Holding, Tables, latest_stamp, merge

FORMAT = "facilitator-bundle"
FORMAT_VERSION = 1
MAX_BUNDLE_BYTES = 1024 * 1024 * 1024  # a gigabyte: far past ten years of an agency, short of filling memory

_encoder = msgspec.json.Encoder()
_untyped = msgspec.json.Decoder()


class BundleError(Exception):
    """A bundle that cannot be made or read; the message is one line for the facilitator."""


class PackText(msgspec.Struct, frozen=True, kw_only=True):
    """A pack version as its file reads, so the other laptop can run the same sessions."""

    id: str
    version: str
    text: str


class GroupRef(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str


class BundleTables(msgspec.Struct, frozen=True, kw_only=True):
    """The records, table by table (each sorted by id), decoded straight into their types."""

    groups: list[Group] = []
    participants: list[Participant] = []
    enrollments: list[Enrollment] = []
    meetings: list[Meeting] = []
    marks: list[AttendanceMark] = []
    goals: list[Goal] = []
    assignments: list[HomeAssignment] = []
    conflicts: list[Conflict] = []


assert set(BundleTables.__struct_fields__) == set(MERGED_TABLES), "a bundle carries every merged table"


class Content(msgspec.Struct, frozen=True, kw_only=True):
    """What the checksum covers."""

    database_id: str
    made_at: datetime
    group: GroupRef | None = None
    tables: BundleTables
    packs: list[PackText] = []


_content = msgspec.json.Decoder(Content)


class Envelope(msgspec.Struct, frozen=True, kw_only=True):
    format: str
    version: int
    checksum: str
    content: msgspec.Raw


@dataclass(frozen=True)
class Bundle:
    database_id: str
    made_at: datetime
    group: GroupRef | None
    tables: Tables
    packs: list[PackText] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        return sum(len(records) for name, records in self.tables.items() if name != Conflict.table)


# --- making a bundle ---------------------------------------------------------------------------------------


def group_tables(holding: Holding, group_id: str) -> Tables:
    """A group's records: the group, its people and their places, meetings, marks, goals and assignments.

    Tombstones come too (a deletion must travel), and the conflict log entries about any of them.
    """
    group = holding.get(Group.table, {}).get(group_id)
    if group is None:
        raise BundleError(f"there is no group with id {group_id}")

    def where(table: str, keep: Any) -> dict[str, Record]:
        return {i: r for i, r in holding.get(table, {}).items() if keep(r)}

    places = where(Enrollment.table, lambda e: e.group_id == group_id)
    meetings = where(Meeting.table, lambda m: m.group_id == group_id)
    marks = where(AttendanceMark.table, lambda m: m.meeting_id in meetings)
    assignments = where(HomeAssignment.table, lambda a: a.group_id == group_id)
    # Everyone the group's records name: its places, and whoever was marked or given practice without one.
    people = {getattr(r, "participant_id", None) for t in (places, marks, assignments) for r in t.values()}
    for entry in holding.get(Conflict.table, {}).values():
        folded_place = isinstance(entry, Conflict) and entry.record_table == Enrollment.table
        if isinstance(entry, Conflict) and folded_place and entry.lost.get("group_id") == group_id:
            people.add(str(entry.lost.get("participant_id")))
    tables: Tables = {
        Group.table: {group_id: group},
        Participant.table: where(Participant.table, lambda p: p.id in people),
        Enrollment.table: places,
        Meeting.table: meetings,
        AttendanceMark.table: marks,
        Goal.table: where(
            Goal.table, lambda g: g.participant_id in people and g.group_id in (None, group_id)
        ),
        HomeAssignment.table: assignments,
    }
    tables[Conflict.table] = where(Conflict.table, lambda e: e.record_id in tables.get(e.record_table, {}))
    return tables


def everything(holding: Holding) -> Tables:
    return {name: dict(holding.get(name, {})) for name in MERGED_TABLES}


def pack_texts(tables: Tables, registry: Registry) -> list[PackText]:
    """The text of every pack version the groups use, as installed here (missing ones are left out)."""
    wanted = sorted(
        {(g.pack_id, g.pack_version) for g in tables.get(Group.table, {}).values() if isinstance(g, Group)}
    )
    texts = []
    for pack_id, version in wanted:
        entry = registry.get(pack_id, version) if pack_id else None
        if entry is None or entry.pack is None:
            continue
        try:
            text = entry.path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise BundleError(f"could not read the pack {pack_id} {version}: {error}") from None
        texts.append(PackText(id=pack_id, version=version, text=text))
    return texts


def encode_bundle(bundle: Bundle, *, passphrase: str | None = None, cost: KeyCost = DEFAULT_COST) -> bytes:
    """The bundle's file bytes, sealed when there is a passphrase.

    The content is written in its canonical form already (keys sorted), so its checksum is a plain SHA-256
    of the bytes as written.
    """
    by_id = {name: [r for _, r in sorted(bundle.tables.get(name, {}).items())] for name in MERGED_TABLES}
    # Each list holds one table's records, of that table's type (the Struct checks it again on reading).
    tables = msgspec.structs.replace(BundleTables(), **by_id)
    content = Content(
        database_id=bundle.database_id,
        made_at=bundle.made_at,
        group=bundle.group,
        tables=tables,
        packs=bundle.packs,
    )
    body = msgspec.json.encode(content, order="sorted")
    envelope = Envelope(
        format=FORMAT, version=FORMAT_VERSION, checksum=_sha256(body), content=msgspec.Raw(body)
    )
    data = _encoder.encode(envelope) + b"\n"
    return seal(data, passphrase, cost) if passphrase else data


def checksum_matches(content: bytes, expected: str) -> bool:
    """Whether the content is what was checksummed: as written, or re-indented (then its canonical form)."""
    if _sha256(content) == expected:
        return True
    try:
        canonical = msgspec.json.encode(_untyped.decode(content), order="sorted")
    except msgspec.DecodeError:
        return False
    return _sha256(canonical) == expected


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


# --- reading a bundle --------------------------------------------------------------------------------------


def read_bundle_bytes(path: Path) -> bytes:
    """A bundle file's bytes; a folder, a device, a pipe or a file too big to be one is refused unread."""
    name = path.name or str(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise BundleError(f"{name} is not a file")
        if info.st_size > MAX_BUNDLE_BYTES:
            raise BundleError(f"{name} is too large to be a bundle ({info.st_size:,} bytes)")
        return path.read_bytes()
    except FileNotFoundError:
        raise BundleError(f"there is no file {path}") from None
    except OSError as error:
        raise BundleError(f"could not read {name}: {error.strerror or error}") from None


def decode_bundle(data: bytes, name: str, *, passphrase: str | None) -> Bundle:
    """The bundle in `data` (the bytes of the file called `name`), or BundleError saying why not."""
    if is_sealed(data):
        if not passphrase:
            raise BundleError(
                f"{name} is encrypted: give its passphrase (--passphrase, or FACILITATOR_PASSPHRASE)"
            )
        try:
            data = unseal(data, passphrase)
        except SealError as error:
            raise BundleError(f"{name}: {error}; nothing was imported") from None
    looks_like_ours = data.lstrip().startswith(b'{"format":"%s"' % FORMAT.encode())
    try:
        envelope = msgspec.json.decode(data, type=Envelope)
    except (msgspec.ValidationError, msgspec.DecodeError):
        if looks_like_ours:
            raise BundleError(f"{name} is a bundle, but damaged or cut short; nothing was imported") from None
        raise BundleError(f"{name} is not a Facilitator bundle{_what_it_looks_like(data)}") from None
    if envelope.format != FORMAT:
        raise BundleError(f"{name} is not a Facilitator bundle")
    if envelope.version > FORMAT_VERSION:
        raise BundleError(
            f"{name} was made by a newer Facilitator (bundle format {envelope.version}; this one reads up to "
            f"{FORMAT_VERSION}): update Facilitator to import it"
        )
    if envelope.version < 1:
        raise BundleError(f"{name} is not a Facilitator bundle (format version {envelope.version})")
    if not checksum_matches(bytes(envelope.content), envelope.checksum):
        raise BundleError(
            f"{name} does not match its checksum: it was changed or damaged after it was made; "
            "nothing was imported"
        )
    try:
        content = _content.decode(envelope.content)
    except msgspec.ValidationError as error:
        raise BundleError(f"{name} holds a record that does not fit: {error}; nothing was imported") from None
    tables: Tables = {
        table: {record.id: record for record in getattr(content.tables, table)} for table in MERGED_TABLES
    }
    return Bundle(content.database_id, content.made_at, content.group, tables, list(content.packs))


def _what_it_looks_like(data: bytes) -> str:
    head = data[:4096].lstrip()
    if head.startswith(b"{") and b'"meta"' in head:
        return " (it is a database file: open it with --db instead)"
    first_line = head.split(b"\n", 1)[0]
    if b"," in first_line and not head.startswith((b"{", b"[")):
        return " (it looks like a CSV file)"
    return ""


# --- what importing would do -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportPlan:
    """What taking a bundle in changes: the writes, in one durable step, and the counts to show first."""

    writes: list[Record]
    seen_up_to: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    settled: int = 0

    @property
    def changes_anything(self) -> bool:
        return bool(self.writes)


def plan_import(ours: Holding, bundle: Bundle, *, now: datetime) -> ImportPlan:
    """Merge the bundle into what this database holds, and say what would change."""
    return plan_merge(ours, [bundle.tables], now=now)


def plan_merge(ours: Holding, theirs: Sequence[Holding], *, now: datetime) -> ImportPlan:
    """Merge versions from elsewhere (a bundle, or what the hub sent) into what this database holds."""
    merged = merge(ours, *theirs)
    writes: list[Record] = []
    added = updated = unchanged = 0
    for table in RECORD_TABLES:
        mine = ours.get(table, {})
        after = merged[table]
        for record_id, record in after.items():
            if mine.get(record_id) != record:
                writes.append(record)
        brought = {record_id for holding in theirs for record_id in holding.get(table, {})}
        for record_id in sorted(brought):
            before, result = mine.get(record_id), after.get(record_id)
            if result is None:
                continue  # folded into another record: counted with the conflicts
            if before is None:
                added += 1
            elif before != result:
                updated += 1
            else:
                unchanged += 1
    log_before = ours.get(Conflict.table, {})
    log_after = merged[Conflict.table]
    new_entries = [entry for entry_id, entry in log_after.items() if entry_id not in log_before]
    gone = [
        msgspec.structs.replace(entry, deleted_at=now)
        for entry_id, entry in log_before.items()
        if entry_id not in log_after
    ]
    writes += [*new_entries, *gone]
    return ImportPlan(
        writes=writes,
        seen_up_to=max((latest_stamp(holding) for holding in theirs), default=""),
        added=added,
        updated=updated,
        unchanged=unchanged,
        conflicts=len(new_entries),
        settled=len(gone),
    )


@dataclass(frozen=True)
class PackPlan:
    """The packs a bundle brings: those to install, and those already here (or here with other text)."""

    install: list[tuple[PackText, bytes]]
    already: list[PackText]
    differ: list[PackText]
    broken: list[PackText]


def plan_packs(packs: Iterable[PackText], registry: Registry) -> PackPlan:
    install, already, differ, broken = [], [], [], []
    for text in packs:
        data = text.text.encode("utf-8")
        result = load_pack_bytes(data, f"{text.id}@{text.version}.toml")
        existing = registry.get(text.id, text.version)
        if result.pack is None or (result.pack.id, result.pack.version) != (text.id, text.version):
            broken.append(text)
        elif existing is None:
            install.append((text, data))
        elif existing.pack == result.pack:
            already.append(text)
        else:
            differ.append(text)
    return PackPlan(install, already, differ, broken)


def count_by_table(tables: Mapping[str, Mapping[str, Record]]) -> dict[str, int]:
    return {name: len(records) for name, records in tables.items() if records}
