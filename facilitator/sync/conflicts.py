"""The conflict log as the facilitator sees it: the two versions side by side, and what keeping one writes.

Keeping a version writes a new version on top of both, so every database that takes it in sees the conflict
settled the same way, by the merge rules alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from facilitator.store.records import Conflict, Record
from facilitator.store.stamps import join, vector
from facilitator.sync.merge import Holding, lost_version

# Fields every record has that say which version it is, not what it says.
VERSION_FIELDS = frozenset({"id", "created_at", "updated_at", "deleted_at", "stamp", "run", "seen"})


@dataclass(frozen=True)
class Difference:
    """One field on which the kept version and the one in the log disagree."""

    field: str
    kept: Any
    lost: Any


def differences(kept: Record | None, lost: Record) -> list[Difference]:
    """What the two versions say differently (a deletion counts as a difference too)."""
    mine = msgspec.to_builtins(kept) if kept is not None else {}
    theirs = msgspec.to_builtins(lost)
    shown = [f for f in theirs if f not in VERSION_FIELDS - {"deleted_at"}]
    return [Difference(f, mine.get(f), theirs.get(f)) for f in shown if mine.get(f) != theirs.get(f)]


def settle(holding: Holding, entry: Conflict, *, keep_lost: bool, now: datetime) -> list[Record]:
    """The records to save, in one write, for keeping the logged version (`keep_lost`) or the kept one."""
    table = entry.record_table
    kept = holding.get(table, {}).get(entry.record_id)
    lost = lost_version(entry)
    if kept is None:
        raise ValueError(f"the record {entry.record_id} this conflict is about is not in {table}")
    if lost.id == kept.id:
        chosen = lost if keep_lost else kept
        over_both = msgspec.structs.replace(chosen, updated_at=now, seen=join(vector(kept), vector(lost)))
        return [over_both, _gone(entry, now)]
    # A record folded into `kept` by their natural key: it ends as a tombstone over every version logged.
    entries = [
        e
        for e in holding.get(Conflict.table, {}).values()
        if isinstance(e, Conflict) and e.record_table == table and e.lost.get("id") == lost.id
    ]
    versions = [lost_version(e) for e in entries]
    latest = max(versions, key=lambda v: v.stamp)
    tombstone = msgspec.structs.replace(
        latest, deleted_at=now, updated_at=now, seen=join(*(vector(v) for v in versions))
    )
    writes: list[Record] = []
    if keep_lost:
        what_it_says = {f: getattr(lost, f) for f in lost.__struct_fields__ if f not in VERSION_FIELDS}
        writes.append(
            msgspec.structs.replace(
                kept, **what_it_says, updated_at=now, seen=join(vector(kept), vector(lost))
            )
        )
    return [*writes, tombstone, *(_gone(e, now) for e in entries)]


def _gone(entry: Conflict, now: datetime) -> Conflict:
    """The entry, settled: the store takes it out of the log."""
    return msgspec.structs.replace(entry, deleted_at=now)
