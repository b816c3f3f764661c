"""How the records of two or more databases become one: a pure function of the versions they hold, no I/O.

The rules, the same for bundles and for the hub:

- For each record id the version with the higher hybrid-clock stamp wins (see `facilitator.store.stamps`).
  A tombstone is a version like any other, so a deleted record is never brought back.
- A version that was written on top of another replaces it. Two versions of one record written apart (neither
  on top of the other) are both kept: the higher one in its table, the other in the conflict log, until the
  facilitator picks between them (`facilitator.sync.conflicts`).
- Records that are one thing under two ids are merged by their natural key: of two live marks for one person
  at one meeting, or two enrolments of one person in one group, the higher keeps its place and the other goes
  to the conflict log whole.

The result depends only on the versions the databases hold between them, so merging is commutative,
associative and idempotent: every order of exchanging bundles ends in the same records, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from operator import attrgetter

import msgspec

from facilitator.store.records import TABLES, AttendanceMark, Conflict, Enrollment, Meta, Record
from facilitator.store.stamps import stamp_database, stamp_time, written_over

# What a database holds, for merging: table -> record id -> record, the conflict log included; `meta` is
# left out (each database keeps its own).
Holding = Mapping[str, Mapping[str, Record]]
Tables = dict[str, dict[str, Record]]

MERGED_TABLES = tuple(name for name in TABLES if name != Meta.table)
RECORD_TABLES = tuple(name for name in MERGED_TABLES if name != Conflict.table)

# Fields that say which one thing a record is, whatever its id.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    AttendanceMark.table: ("meeting_id", "participant_id"),
    Enrollment.table: ("participant_id", "group_id"),
}

_NATURAL_KEY_OF = {table: attrgetter(*fields) for table, fields in NATURAL_KEYS.items()}
_encoder = msgspec.json.Encoder()


def merge(*holdings: Holding) -> Tables:
    """Every table (the conflict log included, `meta` not) as it is once the holdings are merged."""
    versions = _versions(holdings)
    kept = {key: _latest_first(_not_replaced(found)) for key, found in versions.items()}
    folded = _folded_by_natural_key(kept)
    tables: Tables = {name: {} for name in MERGED_TABLES}
    log = tables[Conflict.table]
    for (table, record_id), latest in kept.items():
        into = folded.get((table, record_id))
        if into is None:
            tables[table][record_id] = latest[0]
            losers = latest[1:]
        else:
            losers = latest
        for version in losers:
            entry = conflict_entry(table, into or record_id, version)
            log[entry.id] = entry
    return {name: dict(sorted(records.items())) for name, records in tables.items()}


def conflict_entry(table: str, kept_id: str, lost: Record) -> Conflict:
    """The log entry for a version that lost to the record `kept_id`: the same in every database."""
    at = stamp_time(lost.stamp) if lost.stamp else lost.updated_at
    return Conflict(
        id=f"{table}/{lost.id}/{lost.stamp}",
        created_at=at,
        updated_at=at,
        record_table=table,
        record_id=kept_id,
        lost=msgspec.to_builtins(lost, order="sorted"),
        from_database=stamp_database(lost.stamp) if lost.stamp else "",
    )


def lost_version(entry: Conflict) -> Record:
    """The version a log entry keeps, as the record it was."""
    return msgspec.convert(entry.lost, TABLES[entry.record_table])


def canonical_bytes(tables: Mapping[str, Mapping[str, Record]]) -> bytes:
    """The tables as one byte string, by table and id: what "the same records, byte for byte" compares."""
    return b"\n".join(
        _encoder.encode(name) + b" " + msgspec.json.encode(record, order="sorted")
        for name in sorted(tables)
        for _, record in sorted(tables[name].items())
    )


def latest_stamp(holding: Holding) -> str:
    """The latest stamp among a holding's versions: a database that takes them in moves its clock past it."""
    latest = ""
    for table in RECORD_TABLES:
        for record in holding.get(table, {}).values():
            latest = max(latest, record.stamp)
    for entry in holding.get(Conflict.table, {}).values():
        if isinstance(entry, Conflict):
            latest = max(latest, str(entry.lost.get("stamp", "")))
    return latest


# --- the steps ---------------------------------------------------------------------------------------------


def _versions(holdings: Iterable[Holding]) -> dict[tuple[str, str], list[Record]]:
    """Every distinct version of every record the holdings have, in their tables or their conflict logs."""
    found: dict[tuple[str, str], dict[str, Record]] = {}

    def add(table: str, version: Record) -> None:
        distinct = found.setdefault((table, version.id), {})
        same = distinct.setdefault(version.stamp, version)
        if same is not version and same != version:
            # One stamp is one version, unless two files share a database id: their bytes tell them apart.
            distinct.setdefault(version.stamp + _encoder.encode(version).hex(), version)

    for holding in holdings:
        for table in RECORD_TABLES:
            for version in holding.get(table, {}).values():
                add(table, version)
        for entry in holding.get(Conflict.table, {}).values():
            assert isinstance(entry, Conflict)
            add(entry.record_table, lost_version(entry))
    return {key: list(distinct.values()) for key, distinct in found.items()}


def _not_replaced(versions: list[Record]) -> list[Record]:
    """The versions no other one was written on top of."""
    if len(versions) == 1:
        return versions
    return [v for v in versions if not any(written_over(other, v) for other in versions if other is not v)]


def _order(version: Record) -> tuple[str, bytes]:
    return version.stamp, _encoder.encode(version)


def _latest_first(versions: list[Record]) -> list[Record]:
    if len(versions) == 1:
        return versions
    return sorted(versions, key=_order, reverse=True)


def _folded_by_natural_key(kept: Mapping[tuple[str, str], list[Record]]) -> dict[tuple[str, str], str]:
    """(table, id) of each record folded into another one by their natural key -> the id it is folded into."""
    folded: dict[tuple[str, str], str] = {}
    by_key: dict[tuple[str, object], list[Record]] = {}
    for (table, _), latest in kept.items():
        key_of = _NATURAL_KEY_OF.get(table)
        winner = latest[0]
        if key_of is None or winner.deleted_at is not None:
            continue
        by_key.setdefault((table, key_of(winner)), []).append(winner)
    for same in by_key.values():
        if len(same) > 1:
            survivor, *others = _latest_first(same)
            for other in others:
                folded[(survivor.table, other.id)] = survivor.id
    return folded
