"""Exporting and importing bundles against an open store: what the command and the screens both call.

Importing is two steps, so a preview can be shown first: `prepare_import` merges in memory and changes
nothing; `apply_import` installs the packs the bundle brings (each file written atomically), then saves every
record in one durable write, so a kill at any instant leaves the database as it was or fully merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from curricula.registry import Registry
from facilitator.store import Store
from facilitator.store.durable import atomic_write, ensure_private_dir
from facilitator.store.records import Group
from facilitator.store.sealed import DEFAULT_COST, KeyCost
from facilitator.sync.bundle import (
    Bundle,
    BundleError,
    GroupRef,
    ImportPlan,
    PackPlan,
    decode_bundle,
    encode_bundle,
    everything,
    group_tables,
    pack_texts,
    plan_import,
    plan_packs,
    read_bundle_bytes,
)
from facilitator.sync.merge import Holding


def find_group(store: Store, wanted: str) -> Group:
    """A group by its id, or by its name (ignoring case); BundleError when none or several match."""
    by_id = store.get(Group, wanted)
    if by_id is not None and not by_id.deleted:
        return by_id
    named = [g for g in store.groups() if g.name.casefold() == wanted.strip().casefold()]
    if not named:
        raise BundleError(f"there is no group called “{wanted}” (give its name or id)")
    if len(named) > 1:
        raise BundleError(f"{len(named)} groups are called “{wanted}”: give the id of the one to export")
    return named[0]


def make_bundle(store: Store, registry: Registry, *, group: Group | None, now: datetime) -> Bundle:
    holding = store.holding()
    tables = group_tables(holding, group.id) if group is not None else everything(holding)
    ref = GroupRef(id=group.id, name=group.name) if group is not None else None
    return Bundle(store.meta.database_id, now, ref, tables, pack_texts(tables, registry))


def write_bundle(
    path: Path,
    bundle: Bundle,
    *,
    passphrase: str | None = None,
    force: bool = False,
    cost: KeyCost = DEFAULT_COST,
) -> int:
    """Write the bundle file (owner-only, atomically); returns its size. Replaces a file only with `force`."""
    if path.is_dir():
        raise BundleError(f"{path} is a folder: give a file name for the bundle")
    if path.exists() and not force:
        raise BundleError(f"{path} already exists: give --force to replace it")
    data = encode_bundle(bundle, passphrase=passphrase, cost=cost)
    try:
        atomic_write(path, data)
    except OSError as error:
        raise BundleError(f"could not write {path}: {error.strerror or error}; nothing was written") from None
    return len(data)


def read_bundle(path: Path, *, passphrase: str | None) -> Bundle:
    return decode_bundle(read_bundle_bytes(path), path.name or str(path), passphrase=passphrase)


@dataclass(frozen=True)
class ImportPreview:
    """What importing a bundle would do, before anything is written."""

    bundle: Bundle
    records: ImportPlan
    packs: PackPlan

    @property
    def changes_anything(self) -> bool:
        return self.records.changes_anything or bool(self.packs.install)


def prepare_import(store: Store, registry: Registry, bundle: Bundle, *, now: datetime) -> ImportPreview:
    """Merge the bundle in memory and say what would change; nothing is written."""
    return preview_import(store.holding(), store.meta.database_id, registry, bundle, now=now)


def preview_import(
    holding: Holding, database_id: str, registry: Registry, bundle: Bundle, *, now: datetime
) -> ImportPreview:
    """What importing the bundle into a database holding `holding` would change (`{}`: a new database)."""
    if bundle.database_id == database_id:
        raise BundleError(
            "this bundle was made from this database (or from a copy of its file): there is nothing in it "
            "to merge; a second laptop starts from an empty database and imports a bundle"
        )
    records = plan_import(holding, bundle, now=now)
    return ImportPreview(bundle, records, plan_packs(bundle.packs, registry))


def apply_import(store: Store, preview: ImportPreview, packs_dir: Path) -> None:
    """Install the bundle's packs, then save every merged record in one durable write."""
    if preview.packs.install:
        try:
            ensure_private_dir(packs_dir)
            for text, data in preview.packs.install:
                atomic_write(packs_dir / f"{text.id}@{text.version}.toml", data)
        except OSError as error:
            raise BundleError(
                f"could not install the bundle's packs in {packs_dir}: {error.strerror or error}; "
                "no record was imported"
            ) from None
    if preview.records.changes_anything:
        store.take_in(preview.records.writes, seen_up_to=preview.records.seen_up_to)


def summary_lines(preview: ImportPreview) -> list[str]:
    """The preview in a few lines, the same in the command and the app (the caller shows names literally)."""
    bundle, records, packs = preview.bundle, preview.records, preview.packs
    what = f"group “{bundle.group.name}”" if bundle.group is not None else "everything"
    made = bundle.made_at.strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"A bundle of {what} from database {bundle.database_id[:8]}, made {made}: "
        f"{bundle.record_count:,} records",
        f"added {records.added:,}, updated {records.updated:,}, unchanged {records.unchanged:,}, "
        f"conflicts {records.conflicts:,}"
        + (f" (settled elsewhere: {records.settled:,})" if records.settled else ""),
    ]
    if records.conflicts:
        lines.append(
            "each conflict keeps both versions: the later one in place, the other in the conflict log"
        )
    installed = ", ".join(f"{p.id} {p.version}" for p, _ in packs.install) or "none"
    lines.append(f"packs installed: {installed}")
    if packs.differ:
        kept = ", ".join(f"{p.id} {p.version}" for p in packs.differ)
        lines.append(f"packs kept as they are here (the bundle's text differs): {kept}")
    if packs.broken:
        lines.append(
            "packs left out (their text does not load): "
            + ", ".join(f"{p.id} {p.version}" for p in packs.broken)
        )
    return lines
