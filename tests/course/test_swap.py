"""Swapping a group to another pack version: preview first, then held meetings keep what they covered."""

from __future__ import annotations

import msgspec

from facilitator.course.packs import bundled_pack
from facilitator.course.swap import apply_swap, preview_swap
from facilitator.demo import seed_demo
from facilitator.store.records import Group, MeetingStatus


def imr_group(store) -> Group:
    return next(g for g in store.groups() if g.pack_id == "imr-style")


def revised_imr():
    """IMR 1.1.0: the first unit's second session renamed, the last unit's last session gone."""
    pack = bundled_pack("imr-style")
    first, *middle, last = pack.units
    renamed = msgspec.structs.replace(first.sessions[1], title="What helps me stay well")
    first = msgspec.structs.replace(first, sessions=[first.sessions[0], renamed, *first.sessions[2:]])
    last = msgspec.structs.replace(last, sessions=last.sessions[:-1])
    return msgspec.structs.replace(pack, version="1.1.0", units=[first, *middle, last])


def test_preview_changes_nothing_and_says_what_would(store, clock) -> None:
    seed_demo(store, now=clock())
    group = imr_group(store)
    before = store.group_meetings(group.id)
    plan = preview_swap(store, group, revised_imr())
    assert store.group_meetings(group.id) == before and store.get(Group, group.id) == group
    text = "\n".join(plan.summary_lines())
    held = sum(1 for m in before if m.status is MeetingStatus.HELD)
    assert f"{held} held meetings keep what they covered." in text
    assert "1 upcoming meeting loses its session" in text


def test_apply_keeps_held_meetings_and_remaps_upcoming_ones(store, clock) -> None:
    seed_demo(store, now=clock())
    group = imr_group(store)
    before = {m.id: m for m in store.group_meetings(group.id)}
    target = revised_imr()
    moved = apply_swap(store, group, target, preview_swap(store, group, target))
    assert (moved.pack_id, moved.pack_version) == ("imr-style", "1.1.0")
    assert store.get(Group, group.id).pack_version == "1.1.0"
    after = store.group_meetings(group.id)
    for meeting in after:
        old = before[meeting.id]
        if old.status is MeetingStatus.HELD:
            assert meeting == old
    upcoming = [m for m in after if m.status is MeetingStatus.PLANNED]
    assert upcoming, "the demo group is mid-course"
    last = upcoming[-1]
    assert last.covers is None and last.agenda == []
    assert all(m.covers and m.agenda for m in upcoming[:-1])


def test_preview_labels_meetings_in_the_groups_time_zone() -> None:
    from datetime import UTC, datetime

    from facilitator.course.swap import meeting_slot
    from facilitator.store.records import Meeting

    meeting = Meeting(group_id="g", number=1, scheduled_start=datetime(2026, 3, 4, 0, 30, tzinfo=UTC))
    assert meeting_slot(meeting, "America/New_York").label == "Tue 3 Mar, 7:30 pm"
    assert meeting_slot(meeting, "Europe/London").label == "Wed 4 Mar, 12:30 am"
