"""Bundle figures: export everything to a file, and import that file into a new laptop's empty database."""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from curricula.registry import Registry
from facilitator.store import Store
from facilitator.sync.exchange import apply_import, make_bundle, prepare_import, read_bundle, write_bundle


def bundle_seconds(db: Path, scratch: Path) -> tuple[float, float, int]:
    """Seconds to export everything (open, gather, write), seconds to import it (read, merge, save, close),
    and the bundle's size in bytes."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True, mode=0o700)
    bundle = scratch / "everything.bundle"
    registry = Registry.load(None)
    now = datetime.now(UTC)
    started = time.perf_counter()
    with Store.open(db, read_only=True) as store:
        size = write_bundle(bundle, make_bundle(store, registry, group=None, now=now))
    exported = time.perf_counter() - started
    started = time.perf_counter()
    with Store.open(scratch / "new-laptop" / "facilitator.json", backup=False) as store:
        preview = prepare_import(store, registry, read_bundle(bundle, passphrase=None), now=now)
        apply_import(store, preview, scratch / "new-laptop" / "packs")
    imported = time.perf_counter() - started
    shutil.rmtree(scratch, ignore_errors=True)
    return exported, imported, size
