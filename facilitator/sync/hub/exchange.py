"""`facilitator sync`: push this database's new versions to the hub, pull the others', merge as bundles do.

Each step is safe to cut short at any instant. The push is one hub transaction whose rows are keyed by
(id, stamp, group): pushing the same version again changes nothing. The pull reads in one snapshot, and
what it brought is merged and saved in one durable write of the store together with how far the hub was
read, so a pull cut short is simply read and merged again (merging is idempotent). Nothing on this laptop
changes before that one write; nothing on the hub changes before the push commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING

import msgspec

from facilitator.store import Store
from facilitator.store.records import (
    TABLES,
    AttendanceMark,
    Conflict,
    Enrollment,
    HubLink,
    Meeting,
    Meta,
    Record,
)
from facilitator.sync.bundle import ImportPlan, plan_merge
from facilitator.sync.hub.connection import HubError, connect, describe, driver, remembered_dsn, where
from facilitator.sync.hub.rows import Belonging, Version, versions_to_push
from facilitator.sync.hub.schema import SCHEMA, check_version, hub_version
from facilitator.sync.merge import RECORD_TABLES, Holding, Tables, lost_version

if TYPE_CHECKING:
    import psycopg

# Called with "push" (rows written, not committed), "pushed" (committed) and "pull" (read, not merged).
Step = Callable[[str], None]


@dataclass(frozen=True)
class SyncReport:
    hub: str
    role: str
    pushed: int
    held_back: int
    pulled: int
    merged: ImportPlan


def sync(store: Store, *, dsn: str | None, now: datetime, step: Step | None = None) -> SyncReport:
    """Push, pull and merge; HubError with one line when the hub cannot be used (nothing changed then)."""
    psycopg_module = driver()
    link = store.meta.hub
    if dsn is None and link is None:
        raise HubError("this database has no hub yet: give it once with `facilitator sync --hub DSN`")
    target = dsn if dsn is not None else link.dsn if link is not None else ""
    remembered = remembered_dsn(target)
    at_step = step or (lambda _: None)
    with connect(target) as connection:
        try:
            with connection.cursor() as cursor:
                role, hub_id = _hub_of(cursor, psycopg_module)
            if link is None or link.hub_id != hub_id:
                link = HubLink(dsn=remembered, hub_id=hub_id)  # another hub: everything goes and comes again
            holding, clock = store.holding_and_clock()
            since = link.pushed_up_to
            where_from = Belonging(holding[Meeting.table], _person_groups(store))
            versions = versions_to_push(holding, link.pushed_up_to, where_from)
            with connection.transaction(), connection.cursor() as cursor:
                writable = _claim_and_list(cursor, versions)
                going = [v for v in versions if v.group_id in writable]
                _push(cursor, going, store.meta.database_id)
                at_step("push")
            at_step("pushed")
            held = [v for v in versions if v.group_id not in writable]
            pushed_up_to = _pushed_up_to(holding, link.pushed_up_to, clock, held)
            with connection.transaction(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                groups, pulled, high = _pull(cursor, link, store.meta.database_id)
        except psycopg_module.Error as error:
            raise HubError(
                f"the hub at {where(target)} refused the sync: {describe(error)}; nothing was changed"
            ) from None
    at_step("pull")
    with store.exclusive():
        plan = plan_merge(_touched(store, pulled), _layers(pulled), now=now)
        everything_pushed = not held

        def progress(meta: Meta) -> Meta:
            # Nothing written here since the push read the holding: all this database holds is now on the hub.
            caught_up = everything_pushed and store.meta.clock == clock
            done = HubLink(
                dsn=remembered,
                hub_id=hub_id,
                pulled_seq=high,
                groups_pulled=groups,
                pushed_up_to=meta.clock if caught_up else pushed_up_to,
                last_sync_at=now,
            )
            return msgspec.structs.replace(meta, hub=done)

        store.take_in(plan.writes, seen_up_to=plan.seen_up_to, then_meta=progress)
    return SyncReport(
        hub=where(target),
        role=role,
        pushed=len({(v.table, v.record.id, v.record.stamp) for v in going if v.record.stamp > since}),
        held_back=len({(v.table, v.record.id, v.record.stamp) for v in held if v.record.stamp > since}),
        pulled=len(pulled),
        merged=plan,
    )


def _hub_of(cursor: psycopg.Cursor[tuple[object, ...]], psycopg_module: ModuleType) -> tuple[str, str]:
    """This connection's role and the hub's id, once the hub's version is one this Facilitator uses."""
    try:
        check_version(hub_version(cursor))
        cursor.execute(f"SELECT current_user, (SELECT value FROM {SCHEMA}.hub WHERE key = 'hub_id')")
    except psycopg_module.errors.InsufficientPrivilege:
        cursor.execute("SELECT current_user")
        found = cursor.fetchone()
        role = str(found[0]) if found else "this role"
        raise HubError(
            f"the role {role} may not sync with this hub yet: whoever looks after it runs "
            f"`facilitator hub grant {role} --facilitator` (or --group NAME)"
        ) from None
    row = cursor.fetchone()
    assert row is not None
    return str(row[0]), str(row[1])


def _claim_and_list(cursor: psycopg.Cursor[tuple[object, ...]], versions: list[Version]) -> set[str]:
    """The groups this role may write, after claiming the new ones this laptop brings."""
    new_groups = sorted({v.group_id for v in versions if v.table == "groups"})
    for group_id in new_groups:
        cursor.execute(f"SELECT {SCHEMA}.claim_group(%s)", (group_id,))
    cursor.execute(f"SELECT group_id FROM {SCHEMA}.grants WHERE role = current_user")
    return {str(row[0]) for row in cursor.fetchall()}


def _push(cursor: psycopg.Cursor[tuple[object, ...]], versions: list[Version], database_id: str) -> None:
    """Every version in one statement per table; versions already on the hub are left as they are."""
    if not versions:
        return
    cursor.execute(
        "CREATE TEMP TABLE incoming (tab text, id text, stamp text, group_id text, deleted_at timestamptz, "
        "body jsonb) ON COMMIT DROP"
    )
    with cursor.copy("COPY incoming (tab, id, stamp, group_id, deleted_at, body) FROM STDIN") as copy:
        for version in versions:
            record = version.record
            copy.write_row(
                (
                    version.table,
                    record.id,
                    record.stamp,
                    version.group_id,
                    record.deleted_at,
                    msgspec.json.encode(record).decode(),
                )
            )
    for table in sorted({v.table for v in versions}):
        cursor.execute(
            f"INSERT INTO {SCHEMA}.{table} (id, stamp, group_id, deleted_at, body, pushed_from) "
            "SELECT id, stamp, group_id, deleted_at, body, %s FROM incoming WHERE tab = %s "
            "ON CONFLICT (id, stamp, group_id) DO NOTHING",
            (database_id, table),
        )


def _pushed_up_to(holding: Holding, before: str, clock: str, held: list[Version]) -> str:
    """The stamp up to which every version here is on the hub, with `held` ones left behind."""
    if not held:
        return clock
    first_held = min(v.record.stamp for v in held)
    below = [r.stamp for t in RECORD_TABLES for r in holding.get(t, {}).values() if r.stamp < first_held]
    return max([before, *below])


def _pull(
    cursor: psycopg.Cursor[tuple[object, ...]], link: HubLink, database_id: str
) -> tuple[list[str], list[tuple[str, Record]], int]:
    """This role's groups, the versions pushed from elsewhere since the last pull, and the latest seq seen.

    A group assigned since the last pull is read from its beginning.
    """
    cursor.execute(f"SELECT group_id FROM {SCHEMA}.grants WHERE role = current_user ORDER BY group_id")
    groups = [str(row[0]) for row in cursor.fetchall()]
    known = [g for g in groups if g in set(link.groups_pulled)]
    fresh = [g for g in groups if g not in set(link.groups_pulled)]
    pulled: list[tuple[str, Record]] = []
    high = link.pulled_seq
    for table in RECORD_TABLES:
        cursor.execute(
            f"SELECT seq, body::text FROM {SCHEMA}.{table} WHERE pushed_from <> %(me)s AND ("
            "(group_id = ANY(%(known)s) AND seq > %(since)s) OR group_id = ANY(%(fresh)s)) ORDER BY seq",
            {"me": database_id, "known": known, "since": link.pulled_seq, "fresh": fresh},
        )
        decoder = msgspec.json.Decoder(TABLES[table])
        for _, body in cursor.fetchall():
            try:
                pulled.append((table, decoder.decode(str(body))))
            except msgspec.ValidationError as error:
                raise HubError(f"the hub holds a {table} record that does not fit: {error}") from None
        cursor.execute(f"SELECT coalesce(max(seq), 0) FROM {SCHEMA}.{table}")
        row = cursor.fetchone()
        high = max(high, int(str(row[0])) if row else 0)
    return groups, pulled, high


def _layers(pulled: Iterable[tuple[str, Record]]) -> list[Tables]:
    """The pulled versions as holdings of at most one version per record each, for `merge`."""
    layers: list[Tables] = []
    depth: dict[tuple[str, str], int] = {}
    seen: set[tuple[str, str, str]] = set()
    for table, record in pulled:
        if (table, record.id, record.stamp) in seen:
            continue  # the same version under two groups
        seen.add((table, record.id, record.stamp))
        level = depth.get((table, record.id), 0)
        depth[(table, record.id)] = level + 1
        if level == len(layers):
            layers.append({name: {} for name in TABLES if name != Meta.table})
        layers[level][table][record.id] = record
    return layers


def _touched(store: Store, pulled: list[tuple[str, Record]]) -> Tables:
    """What the merge must see of this database: the records the pulled versions could change.

    Those with the same ids, those that are the same thing by their natural key, and the conflict log
    entries about any of them (with the records those entries name): merging only these gives what merging
    everything would give, at the cost of what changed rather than of the whole database. Found through the
    store's indexes; the caller holds the store.
    """
    tables: Tables = {name: {} for name in TABLES if name != Meta.table}

    def take(table: str, record_id: str) -> None:
        found = store.get(TABLES[table], record_id)
        if found is not None:
            tables[table][record_id] = found

    def take_partners(table: str, version: Record) -> None:
        if isinstance(version, AttendanceMark):
            for mark in store.meeting_marks(version.meeting_id).values():
                tables[table][mark.id] = mark
        elif isinstance(version, Enrollment):
            for place in store.enrollments_of(version.participant_id):
                tables[table][place.id] = place

    for table, record in pulled:
        take(table, record.id)
        take_partners(table, record)
    if not pulled:
        return tables
    log = store.all(Conflict)
    for _ in range(2):  # an entry names two records; the second pass takes in entries about those
        for entry in log:
            records = tables[entry.record_table]
            lost_id = str(entry.lost.get("id"))
            if entry.record_id in records or lost_id in records:
                tables[Conflict.table][entry.id] = entry
                take(entry.record_table, entry.record_id)
                take(entry.record_table, lost_id)
                take_partners(entry.record_table, lost_version(entry))
    return tables


def _person_groups(store: Store) -> Callable[[str], set[str]]:
    """The groups a person is in, from the store's indexes: places, marks and practice."""

    def groups(person: str) -> set[str]:
        found = {place.group_id for place in store.enrollments_of(person)}
        for mark in store.participant_marks(person):
            meeting = store.get(Meeting, mark.meeting_id)
            if meeting is not None:
                found.add(meeting.group_id)
        return found

    return groups
