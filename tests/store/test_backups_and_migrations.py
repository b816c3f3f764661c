"""Rotating backups, and migrations that run only after a backup."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import msgspec
import pytest

import facilitator.store.store as store_module
from curricula.format import Stage
from facilitator.store import Store
from facilitator.store.backups import KEEP_LAST, backups_newest_first, prune
from facilitator.store.migrations import MIGRATIONS
from facilitator.store.records import SCHEMA_VERSION, Conflict, Enrollment, Goal, Participant


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

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 4)
    monkeypatch.setitem(MIGRATIONS, 3, rename_people)
    with Store.open(db_path, clock=clock, backup=False) as store:
        assert [p.display_name for p in store.all(Participant)] == ["ROSA"]
        assert store.meta.schema_version == 4
    [backup] = backups_newest_first(db_path)
    assert "before-schema-4" in backup.name
    assert backup.read_bytes() == old_bytes
    assert msgspec.json.decode(db_path.read_bytes())["meta"]["1"]["schema_version"] == 4


VERSION_1_FILE = b"""{
"meta": {"1": {"id": "m1", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
  "deleted_at": null, "schema_version": 1, "database_id": "d1", "app_version": "0.1.0",
  "settings": {"theme": "textual-dark", "idle_lock_minutes": null, "auto_advance": false}}},
"enrollments": {"1": {"id": "e1", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
  "deleted_at": null, "participant_id": "p1", "group_id": "g1", "role": "participant", "status": "active",
  "joined_on": "2026-01-06", "left_on": null, "reason": ""}},
"goals": {"1": {"id": "o1", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
  "deleted_at": null, "participant_id": "p1", "group_id": null, "title": "Stay well", "why": "",
  "dimension": "health", "horizon": "short", "status": "active", "steps": [], "check_ins": []}}
}
"""


def test_a_version_1_file_gains_stages_after_a_backup(db_path: Path, clock) -> None:
    db_path.parent.mkdir(mode=0o700, parents=True)
    db_path.write_bytes(VERSION_1_FILE)
    with Store.open(db_path, clock=clock, backup=False) as store:
        assert store.meta.schema_version == SCHEMA_VERSION
        [enrollment] = store.all(Enrollment)
        assert enrollment.stage is None and enrollment.stage_history == []
        [goal] = store.all(Goal)
        assert goal.serves is None
    [backup] = backups_newest_first(db_path)
    assert f"before-schema-{SCHEMA_VERSION}" in backup.name and backup.read_bytes() == VERSION_1_FILE
    on_disk = msgspec.json.decode(db_path.read_bytes())
    assert on_disk["enrollments"]["1"]["stage_history"] == [] and on_disk["goals"]["1"]["serves"] is None


def test_an_older_file_gives_every_record_its_stamp_and_the_clock_starts_after_them(
    db_path: Path, clock
) -> None:
    db_path.parent.mkdir(mode=0o700, parents=True)
    db_path.write_bytes(VERSION_1_FILE)
    with Store.open(db_path, clock=clock, backup=False) as store:
        [enrollment] = store.all(Enrollment)
        [goal] = store.all(Goal)
        # 2026-01-01T00:00:00Z in milliseconds, counter 0, made by this database (d1).
        assert enrollment.stamp == goal.stamp == "1767225600000.0000.d1"
        assert enrollment.run == "" and enrollment.seen == {}
        assert store.meta.clock == "1767225600000.0000.d1"
        assert store.all(Conflict) == []
        edited = store.update(goal, title="Stay well, sleep well")
        assert edited.stamp > goal.stamp and edited.run == goal.stamp and edited.seen == {}
        assert store.meta.clock == edited.stamp
    with Store.open(db_path, clock=clock, backup=False) as store:
        assert store.meta.clock == edited.stamp  # the clock is kept in meta across opens


def test_stage_history_round_trips(db_path: Path, clock) -> None:
    with Store.open(db_path, clock=clock) as store:
        enrollment = Enrollment(participant_id="p1", group_id="g1", joined_on=date(2026, 1, 6))
        store.add(enrollment)
        enrollment = store.set_stage(enrollment, Stage.PERSUASION, on=date(2026, 1, 6))
        enrollment = store.set_stage(enrollment, Stage.ACTIVE_TREATMENT, on=date(2026, 3, 3))
    with Store.open(db_path, clock=clock) as store:
        [kept] = store.all(Enrollment)
        assert kept.stage is Stage.ACTIVE_TREATMENT and kept.stage_set_on == date(2026, 3, 3)
        assert [(c.stage, c.on) for c in kept.stage_history] == [
            (Stage.PERSUASION, date(2026, 1, 6)),
            (Stage.ACTIVE_TREATMENT, date(2026, 3, 3)),
        ]
