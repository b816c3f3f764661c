"""What a meeting runs: the pack its group is pinned to, and the agenda planned from it. No Textual."""

from __future__ import annotations

from curricula.format import Pack, Segment, SegmentKind, Session
from facilitator.store.records import AgendaItem, Meeting
from sessions import PlannedSegment, plan_agenda, session_agenda


def pack_session(pack: Pack | None, meeting: Meeting) -> Session | None:
    """The curriculum session a meeting covers, when its pack has it."""
    if pack is None or meeting.covers is None:
        return None
    for unit in pack.units:
        if unit.id == meeting.covers.unit_id:
            return next((s for s in unit.sessions if s.number == meeting.covers.session_number), None)
    return None


def _segment_kind(kind: str) -> SegmentKind:
    try:
        return SegmentKind(kind)
    except ValueError:
        return SegmentKind.OTHER


def _from_item(item: AgendaItem, pack_segments: list[Segment]) -> Segment:
    """A meeting's own agenda item as a segment, with the prompts of the pack segment it came from."""
    source = next((s for s in pack_segments if s.title == item.title and str(s.kind) == item.kind), None)
    if source is not None:
        pack_segments.remove(source)  # each pack segment lends its prompts once
    return Segment(
        title=item.title,
        kind=_segment_kind(item.kind),
        minutes=max(1, round(item.planned_seconds / 60)),
        prompts=source.prompts if source else "",
        techniques=list(source.techniques) if source else [],
        stage_prompts=dict(source.stage_prompts) if source else {},
    )


def plan_meeting(meeting: Meeting, pack: Pack | None) -> list[PlannedSegment]:
    """The meeting's agenda (its own when set, else the pack session's), scaled to its minutes."""
    session = pack_session(pack, meeting)
    from_pack = session_agenda(pack, session) if pack is not None and session is not None else []
    if meeting.agenda:
        segments = [_from_item(item, from_pack) for item in meeting.agenda]
    elif from_pack:
        segments = from_pack
    else:
        title = meeting.covers.title if meeting.covers else f"Meeting {meeting.number}"
        segments = [Segment(title=title, kind=SegmentKind.OTHER, minutes=meeting.minutes)]
    return plan_agenda(segments, meeting.minutes)
