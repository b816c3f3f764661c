"""A group pinned to an earlier bundled version keeps that version's agenda when the pack moves on."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from curricula.agenda import session_agenda
from curricula.format import Pack
from curricula.loader import load_pack
from curricula.registry import Registry, version_key
from facilitator.course.packs import PackLibrary, bundled_pack
from facilitator.course.plan import plan_meeting
from facilitator.store.records import Group, Meeting, SessionRef

PACKS = Path(__file__).parents[2] / "curricula" / "packs"
PREVIOUS = sorted((PACKS / "previous").glob("*.toml"))
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def pinned_pack(group: Group) -> Pack | None:
    """The pack a group runs, as the app looks it up (bundled packs only: no packs folder)."""
    return PackLibrary.of(None).pinned(group)


@pytest.mark.parametrize("path", PREVIOUS, ids=lambda p: p.stem)
def test_every_earlier_version_loads_and_is_older_than_the_current_one(path: Path) -> None:
    result = load_pack(path)
    assert result.problems == [], [str(p) for p in result.problems]
    assert result.pack is not None
    assert path.stem == f"{result.pack.id}@{result.pack.version}"
    current = bundled_pack(result.pack.id)
    assert version_key(result.pack.version) < version_key(current.version)


def test_the_registry_offers_the_current_version_and_keeps_the_earlier_ones() -> None:
    registry = Registry.load(None)
    versions = [entry.version for entry in registry.versions("imr-style")]
    assert versions[0] == bundled_pack("imr-style").version
    assert "1.0.0" in versions[1:]
    assert all(entry.problems == () for entry in registry.list()), "an earlier copy hides a current one"


def test_a_group_pinned_to_1_0_0_runs_the_1_0_0_agenda() -> None:
    old = load_pack(PACKS / "previous" / "imr-style@1.0.0.toml").pack
    assert old is not None
    pinned = Group(name="Tuesdays", pack_id="imr-style", pack_version="1.0.0", created_at=NOW, updated_at=NOW)
    current = Group(
        name="Thursdays",
        pack_id="imr-style",
        pack_version=bundled_pack("imr-style").version,
        created_at=NOW,
        updated_at=NOW,
    )
    assert pinned_pack(pinned) == old
    assert pinned_pack(current) == bundled_pack("imr-style")
    assert pinned_pack(pinned) != pinned_pack(current)
    # The first session's goal follow-up changed in 1.1.0; the pinned group still gets the old one.
    first = old.units[0].sessions[0]
    meeting = Meeting(
        group_id=pinned.id,
        number=1,
        scheduled_start=NOW,
        minutes=90,
        covers=SessionRef(unit_id=old.units[0].id, session_number=first.number, title=first.title),
        created_at=NOW,
        updated_at=NOW,
    )
    planned = plan_meeting(meeting, pinned_pack(pinned))
    assert [s.title for s in planned] == [s.title for s in session_agenda(old, first)]
    newer = plan_meeting(meeting, pinned_pack(current))
    assert [s.title for s in planned] != [s.title for s in newer]


def test_a_version_never_bundled_is_missing_not_swapped_for_another() -> None:
    group = Group(name="Odd", pack_id="wrap-style", pack_version="0.9.0", created_at=NOW, updated_at=NOW)
    assert pinned_pack(group) is None
