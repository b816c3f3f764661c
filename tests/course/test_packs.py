"""The one pack lookup: a group gets the exact version it is pinned to, or a clear "not installed"."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from facilitator.course.packs import PackLibrary, bundled_pack, not_installed
from facilitator.course.run import MeetingRun
from facilitator.store import Store
from facilitator.store.files import packs_folder
from facilitator.store.records import Group, GroupKind, Meeting, Schedule
from tests.app.run_fakes import fake_monotonic
from tests.curricula.pack_samples import simple_pack, write


def pinned_group(store: Store, pack_id: str, version: str) -> tuple[Group, Meeting]:
    now = store.clock()
    schedule = Schedule(start_date=date(2026, 12, 1), weekdays=[1], start_time="18:00", minutes=60)
    group = Group(name="Tuesday group", kind=GroupKind.CLOSED, pack_id=pack_id, pack_version=version,
                  schedule=schedule, created_at=now, updated_at=now)  # fmt: skip
    meeting = Meeting(group_id=group.id, number=1, scheduled_start=datetime(2026, 12, 1, 18, tzinfo=UTC),
                      minutes=60, created_at=now, updated_at=now)  # fmt: skip
    store.save_all([group, meeting])
    return group, meeting


def test_the_pinned_version_comes_from_the_packs_folder(store: Store) -> None:
    folder = packs_folder(store.path)
    write(folder, "evening-group@1.0.0.toml", simple_pack(version="1.0.0", titles=("Old first",)))
    write(folder, "evening-group@2.0.0.toml", simple_pack(version="2.0.0", titles=("New first",)))
    group, _ = pinned_group(store, "evening-group", "1.0.0")
    pack = PackLibrary(folder).pinned(group)
    assert pack is not None and pack.version == "1.0.0"
    assert pack.units[0].sessions[0].title == "Old first"


def test_a_version_that_is_not_installed_is_never_swapped_for_another(store: Store, clock) -> None:
    newest = bundled_pack("imr-style")
    group, meeting = pinned_group(store, "imr-style", "0.0.1")  # a version no longer bundled
    assert PackLibrary.of(packs_folder(store.path)).pinned(group) is None
    run = MeetingRun.open(store, meeting.id, wall_clock=clock, monotonic=fake_monotonic(clock))
    assert run.pack is None  # it runs its own planned agenda, not the newer bundled one
    assert newest.version != "0.0.1"
    assert not_installed(group) == (
        "This group's pack version (imr-style 0.0.1) is not installed: "
        "import it in Packs (4), or change the group's pack (p)."
    )


def test_the_packs_are_read_once_and_again_when_the_folder_changes(tmp_path) -> None:
    folder = tmp_path / "packs"
    library = PackLibrary(folder)
    first = library.registry()
    assert library.is_fresh()
    assert library.registry() is first  # a second ask reads nothing
    added = write(folder, "evening-group@1.0.0.toml", simple_pack())
    assert not library.is_fresh()
    second = library.registry()
    assert second is not first
    assert second.get("evening-group", "1.0.0") is not None
    os.utime(added, ns=(1, 1))  # the same file changed again: read again
    assert library.registry() is not second


def test_one_library_per_packs_folder(tmp_path) -> None:
    assert PackLibrary.of(tmp_path / "a") is PackLibrary.of(tmp_path / "a")
    assert PackLibrary.of(tmp_path / "a") is not PackLibrary.of(tmp_path / "b")
