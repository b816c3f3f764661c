"""Bundle files without the command: what a group's bundle holds, and what its checksum minds."""

from __future__ import annotations

import json
from datetime import date

import pytest

from facilitator.store.records import (
    AttendanceMark,
    AttendanceStatus,
    Enrollment,
    Group,
    Meeting,
    Participant,
)
from facilitator.sync.bundle import Bundle, BundleError, decode_bundle, encode_bundle, group_tables
from facilitator.sync.merge import canonical_bytes
from tests.conftest import FIXED_NOW


def sample() -> dict[str, dict]:
    group, other = Group(name="Tuesday"), Group(name="Friday")
    ana, guest, elsewhere = (Participant(display_name=n) for n in ("Ana", "A guest", "Someone else"))
    meeting = Meeting(group_id=group.id, number=1, scheduled_start=FIXED_NOW)
    records = [
        group,
        other,
        ana,
        guest,
        elsewhere,
        meeting,
        Enrollment(participant_id=ana.id, group_id=group.id, joined_on=date(2026, 3, 3)),
        Enrollment(participant_id=elsewhere.id, group_id=other.id, joined_on=date(2026, 3, 3)),
        AttendanceMark(meeting_id=meeting.id, participant_id=ana.id, status=AttendanceStatus.PRESENT),
        # Marked at the meeting without a place in the group: the bundle must bring them too.
        AttendanceMark(meeting_id=meeting.id, participant_id=guest.id, status=AttendanceStatus.PRESENT),
    ]
    tables: dict[str, dict] = {}
    for record in records:
        tables.setdefault(record.table, {})[record.id] = record
    return tables


def test_a_group_bundle_holds_the_group_and_everyone_its_records_name() -> None:
    tables = sample()
    tuesday = next(g for g in tables["groups"].values() if g.name == "Tuesday")
    chosen = group_tables(tables, tuesday.id)
    assert [g.name for g in chosen["groups"].values()] == ["Tuesday"]
    assert sorted(p.display_name for p in chosen["participants"].values()) == ["A guest", "Ana"]
    assert len(chosen["marks"]) == 2 and len(chosen["enrollments"]) == 1
    with pytest.raises(BundleError, match="no group with id"):
        group_tables(tables, "not-a-group")


def bundle_bytes() -> tuple[Bundle, bytes]:
    bundle = Bundle("db-1", FIXED_NOW, None, sample())
    return bundle, encode_bundle(bundle)


def test_a_bundle_reads_back_as_it_was_written_and_re_indenting_it_is_harmless() -> None:
    bundle, data = bundle_bytes()
    again = decode_bundle(data, "b.bundle", passphrase=None)
    assert canonical_bytes({name: rows for name, rows in again.tables.items() if rows}) == canonical_bytes(
        bundle.tables
    )
    assert again.database_id == "db-1" and again.made_at == FIXED_NOW
    indented = json.dumps(json.loads(data), indent=2).encode()
    assert canonical_bytes(decode_bundle(indented, "b.bundle", passphrase=None).tables) == canonical_bytes(
        again.tables
    )


def test_one_changed_character_is_caught_by_the_checksum() -> None:
    _, data = bundle_bytes()
    changed = data.replace(b'"Ana"', b'"Anna"', 1)
    assert changed != data
    with pytest.raises(BundleError, match="does not match its checksum"):
        decode_bundle(changed, "b.bundle", passphrase=None)
