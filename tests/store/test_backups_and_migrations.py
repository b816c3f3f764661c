"""Rotating backups, and migrations that run only after a backup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest

import facilitator.store.store as store_module
from facilitator.store import Store
from facilitator.store.backups import KEEP_LAST, backups_newest_first, prune
from facilitator.store.migrations import MIGRATIONS
from facilitator.store.records import Participant


def test_each_open_makes_a_backup(db_path: Path, clock) -> None:
    for _ in range(3):
        Store.open(db_path, clock=clock).close()
        clock.advance(minutes=1)
    assert len(backups_newest_first(db_path)) == 3


def test_rotation_keeps_last_ten_and_one_a_day_for_thirty_days(tmp_path: Path) -> None:
    db_path = tmp_path / "facilitator.json"
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime(2026, 3, 31, 12, tzinfo=UTC)
    made = []
    for days_ago in range(40):  # three backups a day for 40 days
        for hour in (9, 12, 15):
            taken = now - timedelta(days=days_ago) + timedelta(hours=hour - 12)
            path = folder / f"facilitator-{taken.strftime('%Y%m%dT%H%M%S%fZ')}.json"
            path.write_text("{}")
            made.append(path)
    prune(db_path, now)
    kept = backups_newest_first(db_path)
    newest_ten = sorted(made, reverse=True)[:KEEP_LAST]
    assert set(newest_ten) <= set(kept)
    days = {p.name[len("facilitator-") :][:8] for p in kept}
    assert len(days) == 31  # today and the 30 days before it
    assert len(kept) == KEEP_LAST + (31 - 4)  # the newest ten span four days


def test_migration_runs_after_a_backup(db_path: Path, clock, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(db_path, clock=clock, backup=False) as store:
        store.add(Participant(display_name="Rosa"))
    old_bytes = db_path.read_bytes()

    def rename_people(tables: dict) -> dict:
        for doc in tables["participants"].values():
            doc["display_name"] = doc["display_name"].upper()
        return tables

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(MIGRATIONS, 1, rename_people)
    with Store.open(db_path, clock=clock, backup=False) as store:
        assert [p.display_name for p in store.all(Participant)] == ["ROSA"]
        assert store.meta.schema_version == 2
    [backup] = backups_newest_first(db_path)
    assert "before-schema-2" in backup.name
    assert backup.read_bytes() == old_bytes
    assert msgspec.json.decode(db_path.read_bytes())["meta"]["1"]["schema_version"] == 2
