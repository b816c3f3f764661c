"""Moving a group to another pack or version: a preview first, then one durable write.

The plan is worked out by `curricula.swap` from plain values; this module turns the group's meetings into
those values and applies the plan to the store: held meetings keep what they covered, upcoming meetings are
re-mapped by unit and session number and get the new session's planned agenda.
"""

from __future__ import annotations

import msgspec

from curricula.format import Pack
from curricula.swap import MeetingSlot, SwapPlan, plan_swap
from curricula.swap import MeetingStatus as SlotStatus
from facilitator.course.calendar import planned_agenda
from facilitator.course.dates import human_datetime
from facilitator.store import Store
from facilitator.store.records import AgendaItem, Group, Meeting, MeetingStatus, Record, SessionRef


def meeting_slot(meeting: Meeting, zone: str | None = None) -> MeetingSlot:
    """A meeting as the swap plan sees it, labelled by its date in the group's time zone."""
    covers = meeting.covers
    return MeetingSlot(
        meeting_id=meeting.id,
        status=SlotStatus(meeting.status.value),
        unit_id=covers.unit_id if covers else None,
        session_number=covers.session_number if covers else None,
        title=covers.title if covers else None,
        label=human_datetime(meeting.scheduled_start, zone),
    )


def preview_swap(store: Store, group: Group, target: Pack) -> SwapPlan:
    """What moving `group` to `target` would change; nothing is written."""
    zone = group.schedule.timezone if group.schedule else None
    return plan_swap([meeting_slot(m, zone) for m in store.group_meetings(group.id)], target)


def apply_swap(store: Store, group: Group, target: Pack, plan: SwapPlan) -> Group:
    """Carry out a previewed plan in one durable write; returns the group as it now is."""
    now = store.clock()
    unit_titles = {u.id: u.title for u in target.units}
    changed: list[Record] = []
    for meeting_id, new in plan.assignments().items():
        meeting = store.get(Meeting, meeting_id)
        if meeting is None or meeting.status is not MeetingStatus.PLANNED:
            continue  # it was held or cancelled since the preview: it keeps what it has
        covers = None
        agenda: list[AgendaItem] = []
        if new is not None:
            covers = SessionRef(
                unit_id=new.unit_id,
                session_number=new.session_number,
                title=new.title,
                unit_title=unit_titles.get(new.unit_id, ""),
            )
            agenda = planned_agenda(target, new.unit_id, new.session_number)
        changed.append(msgspec.structs.replace(meeting, covers=covers, agenda=agenda, updated_at=now))
    moved = msgspec.structs.replace(group, pack_id=target.id, pack_version=target.version, updated_at=now)
    store.save_all([*changed, moved])
    return moved
