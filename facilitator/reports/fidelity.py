"""The IMR fidelity self-check: what the records say about the items of the IMR Fidelity Scale.

Every line gives its value, what it was computed from, the item of the scale (13 items, revision 3-24-05) it
speaks to, and a note where the records are too thin to say much. It is a self-check for the facilitator and
their supervisor, never a fidelity review: the scale is rated by trained reviewers from charts, observation
and interviews. The pack is passed in (the caller finds the one the group is pinned to); without it, units and
techniques are counted from the meetings' own records as far as they go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from itertools import pairwise

from curricula.agenda import session_agenda
from curricula.format import Pack, Segment, Technique
from facilitator.reports.attendance import CAME, enrolled_on, meeting_day, zone_of
from facilitator.store import Store
from facilitator.store.records import (
    AgendaItem,
    AttendanceMark,
    Cadence,
    Enrollment,
    EnrollmentStatus,
    GoalStatus,
    Group,
    Meeting,
    MeetingStatus,
    Participant,
    Review,
)

Marks = dict[str, dict[str, AttendanceMark]]  # meeting id -> participant id -> mark
Roster = list[tuple[Enrollment, Participant]]

NOT_A_REVIEW = (
    "This is a self-check computed from the group's records, not a fidelity review: the IMR Fidelity Scale "
    "is rated by trained reviewers from charts, observation and interviews, and several of its items "
    "cannot be "
    "seen in attendance and agenda records at all."
)
FEW_MEETINGS = 4  # fewer held meetings than this: every share is noted as too thin
SIX_MONTHS = timedelta(weeks=26)
WEEKLY_GAP = timedelta(days=8)

# The technique a segment names → the scale's item it speaks to.
TECHNIQUE_ITEMS = {
    Technique.MOTIVATIONAL: "item 8, motivation-based strategies (used in nearly all sessions)",
    Technique.EDUCATIONAL: "item 9, educational techniques (used routinely)",
    Technique.COGNITIVE_BEHAVIOURAL: "item 10, cognitive-behavioural techniques (used routinely)",
    Technique.COPING_SKILLS: "item 11, coping skills training (practised routinely)",
    Technique.RELAPSE_PREVENTION: "item 12, relapse prevention training",
    Technique.BEHAVIOURAL_TAILORING: "item 13, behavioural tailoring for medication",
    Technique.SIGNIFICANT_OTHERS: "item 5, involvement of significant others",
}


@dataclass(frozen=True, slots=True)
class FidelityLine:
    topic: str
    value: str
    source: str  # what it was computed from
    item: str  # the item of the scale it speaks to
    note: str = ""  # where the records are too thin


@dataclass(frozen=True, slots=True)
class FidelityCheck:
    group: Group
    lines: tuple[FidelityLine, ...]
    heading: str = NOT_A_REVIEW


def is_imr_style(group: Group) -> bool:
    """Whether the group follows an IMR-style course (the self-check is written for those)."""
    return group.pack_id.startswith("imr")


def share(part: int, whole: int) -> str:
    """ "9 of 12 (75%)"."""
    return f"{part} of {whole} ({round(100 * part / whole)}%)" if whole else f"{part} of 0"


def thin(held: int) -> str:
    return f"only {held} held meeting(s): too few to say much" if held < FEW_MEETINGS else ""


def headcount_band(most: int) -> int:
    """The anchor band of item 1 a headcount falls in (5: 8 or fewer … 1: more than 15)."""
    for band, limit in ((5, 8), (4, 10), (3, 12), (2, 15)):
        if most <= limit:
            return band
    return 1


def segments_run(meeting: Meeting, pack: Pack | None) -> list[Segment]:
    """The pack segments behind the agenda items a meeting actually ran (not skipped, some time on them)."""
    if pack is None or meeting.covers is None:
        return []
    unit = next((u for u in pack.units if u.id == meeting.covers.unit_id), None)
    session = (
        next((s for s in unit.sessions if s.number == meeting.covers.session_number), None) if unit else None
    )
    if session is None:
        return []
    planned = session_agenda(pack, session)
    out = []
    for item in meeting.agenda:
        source = next((s for s in planned if s.title == item.title and str(s.kind) == item.kind), None)
        if source is None:
            continue
        planned.remove(source)
        if ran(item):
            out.append(source)
    return out


def ran(item: AgendaItem) -> bool:
    return not item.skipped and (item.actual_seconds or 0) > 0


def fidelity_check(store: Store, group_id: str, pack: Pack | None) -> FidelityCheck:
    """The self-check of one group from its records (and its pack's units and techniques)."""
    group = store.get(Group, group_id)
    if group is None:
        raise KeyError(group_id)
    zone = zone_of(group)
    meetings = store.group_meetings(group_id)
    held = sorted((m for m in meetings if m.status is MeetingStatus.HELD), key=lambda m: m.scheduled_start)
    marks = {m.id: store.meeting_marks(m.id) for m in held}
    roster = [
        (e, p)
        for e, p in store.roster(group_id)
        if not p.deleted and e.status is not EnrollmentStatus.WAITLIST
    ]
    lines = [
        _headcount(held, marks),
        *_length(group, held, marks, roster, zone),
        _units(held, meetings, pack),
        _handouts(held, pack),
        *_goals(store, group_id, held, roster),
        *_assignments(store, group_id, held),
        *_techniques(held, pack),
    ]
    return FidelityCheck(group, tuple(lines))


def _headcount(held: list[Meeting], marks: Marks) -> FidelityLine:
    item = "item 1, people in the group (rated 5 at 8 or fewer; 4 at 9–10; 3 at 11–12; 2 at 13–15; 1 above)"
    taken = [m for m in held if marks[m.id]]
    counts = [sum(1 for mark in marks[m.id].values() if mark.status in CAME) for m in taken]
    if not counts:
        return FidelityLine("People per meeting", "—", "no held meeting has attendance marked", item, thin(0))
    most = max(counts)
    busiest = taken[counts.index(most)]
    value = f"{sum(counts) / len(counts):.1f} on average, {most} at most (meeting {busiest.number})"
    note = thin(len(taken))
    if len(taken) < len(held):
        note = "; ".join(filter(None, [note, f"{len(held) - len(taken)} held meeting(s) have no attendance"]))
    return FidelityLine(
        "People per meeting",
        f"{value}; the largest falls in band {headcount_band(most)}",
        f"people marked present, late or left early at {len(taken)} held meeting(s)",
        item,
        note,
    )


def _length(
    group: Group, held: list[Meeting], marks: Marks, roster: Roster, zone: tzinfo
) -> list[FidelityLine]:
    item = (
        "item 2, programme length (rated 5 when 90% or more get 6 months or more of weekly sessions, "
        "or 12 months of fortnightly ones)"
    )
    if not held:
        return [FidelityLine("Programme length and cadence", "—", "no held meetings yet", item, thin(0))]
    first, last = held[0].scheduled_start, held[-1].scheduled_start
    weeks = (last - first).days // 7 + 1
    gaps = [b.scheduled_start - a.scheduled_start for a, b in pairwise(held)]
    weekly = sum(1 for gap in gaps if gap <= WEEKLY_GAP)
    fortnightly = group.schedule is not None and group.schedule.cadence is Cadence.FORTNIGHTLY
    needed = SIX_MONTHS * 2 if fortnightly else SIX_MONTHS
    long_enough = 0
    for enrollment, person in roster:
        came = [
            m.scheduled_start
            for m in held
            if (mark := marks[m.id].get(person.id)) is not None
            and mark.status in CAME
            and enrolled_on(enrollment, meeting_day(m, zone))
        ]
        if came and came[-1] - came[0] >= needed - timedelta(days=7):
            long_enough += 1
    cadence = (
        f"{share(weekly, len(gaps))} gaps between held meetings a week or less" if gaps else "one meeting"
    )
    span_note = ""
    if last - first < needed:
        span_note = f"the course has run {weeks} of the {needed.days // 7} weeks the item looks at: too early"
    return [
        FidelityLine(
            "Programme length and cadence",
            f"{weeks} week(s) from the first held meeting to the last; {cadence}",
            f"the dates of {len(held)} held meeting(s)",
            item,
            thin(len(held)),
        ),
        FidelityLine(
            "People with 6 months of sessions" if not fortnightly else "People with 12 months of sessions",
            share(long_enough, len(roster)),
            "each person's first and last meeting attended while enrolled (waiting list left out)",
            item,
            span_note,
        ),
    ]


def _units(held: list[Meeting], meetings: list[Meeting], pack: Pack | None) -> FidelityLine:
    item = "item 3, comprehensiveness of the curriculum (rated 5 when 8–9 of the 9 topic areas are covered)"
    taught: dict[str, str] = {}
    for meeting in held:
        if meeting.covers is not None:
            taught.setdefault(meeting.covers.unit_id, meeting.covers.unit_title or meeting.covers.unit_id)
    if pack is not None:
        units = [u.id for u in pack.units]
        source = f"the held meetings' sessions, against the {len(units)} units of {pack.id} {pack.version}"
    else:
        units = list(dict.fromkeys(m.covers.unit_id for m in meetings if m.covers is not None))
        source = "the sessions the held meetings covered, against the units the group's meetings plan"
    names = ", ".join(taught.values()) or "none yet"
    note = (
        "" if pack is not None else "the group's pack is not installed: units counted from the meetings only"
    )
    return FidelityLine(
        "Units of the pack taught", f"{len(taught)} of {len(units)}: {names}", source, item, note
    )


def _handouts(held: list[Meeting], pack: Pack | None) -> FidelityLine:
    item = "item 4, provision of educational handouts (rated 5 when 90% or more receive them)"
    listed = 0
    for meeting in held:
        if pack is None or meeting.covers is None:
            continue
        unit = next((u for u in pack.units if u.id == meeting.covers.unit_id), None)
        session = (
            next((s for s in unit.sessions if s.number == meeting.covers.session_number), None)
            if unit
            else None
        )
        if session is not None and session.handouts:
            listed += 1
    return FidelityLine(
        "Sessions with handouts listed",
        share(listed, len(held)),
        "the handouts the pack lists for each held meeting's session",
        item,
        "whether each person received them is not recorded",
    )


def _goals(store: Store, group_id: str, held: list[Meeting], roster: Roster) -> list[FidelityLine]:
    with_goal = 0
    for _, person in roster:
        goals = store.participant_goals(person.id)
        if any(g.group_id in (group_id, None) and g.status is not GoalStatus.DROPPED for g in goals):
            with_goal += 1
    followed: set[str] = set()
    for _, person in roster:
        for goal in store.participant_goals(person.id):
            followed.update(c.meeting_id for c in goal.check_ins if c.meeting_id)
    held_ids = {m.id for m in held}
    return [
        FidelityLine(
            "People with a goal",
            share(with_goal, len(roster)),
            "goals recorded for the people on the roster (dropped goals left out, waiting list left out)",
            "item 6, IMR goal setting (90% or more with a personally meaningful goal)",
            "" if roster else "nobody on the roster yet",
        ),
        FidelityLine(
            "Meetings with goal follow-up",
            share(len(followed & held_ids), len(held)),
            "held meetings at which at least one goal check-in was recorded",
            "item 7, IMR goal follow-up (goals followed up routinely for 90% or more)",
            thin(len(held)),
        ),
    ]


def _assignments(store: Store, group_id: str, held: list[Meeting]) -> list[FidelityLine]:
    assignments = store.group_assignments(group_id)
    given_at = {a.meeting_id for a in assignments}
    due: dict[str, list[Review]] = {}
    for a in assignments:
        if a.due_meeting_id:
            due.setdefault(a.due_meeting_id, []).append(a.review)
    held_ids = [m.id for m in held]
    with_due = [m for m in held_ids if m in due]
    reviewed = [m for m in with_due if all(r is not Review.NOT_REVIEWED for r in due[m])]
    item = "no item of its own; home practice is part of items 9–11 (teaching, practice and skills)"
    return [
        FidelityLine(
            "Meetings that gave a home assignment",
            share(sum(1 for m in held_ids if m in given_at), len(held)),
            "home assignments recorded as given at each held meeting",
            item,
            thin(len(held)),
        ),
        FidelityLine(
            "Meetings that reviewed last week's",
            share(len(reviewed), len(with_due)),
            "held meetings at which an assignment was due, counted when every one due was reviewed",
            item,
            thin(len(with_due)),
        ),
    ]


def _techniques(held: Sequence[Meeting], pack: Pack | None) -> list[FidelityLine]:
    used: dict[Technique, int] = dict.fromkeys(Technique, 0)
    with_agenda = [m for m in held if any(ran(i) for i in m.agenda)]
    for meeting in with_agenda:
        for technique in {t for segment in segments_run(meeting, pack) for t in segment.techniques}:
            used[technique] += 1
    note = "counts what the agenda as run planned, not how it was taught: a rater observes these"
    if pack is None:
        note = "the group's pack is not installed, so the segments' techniques are unknown"
    elif len(with_agenda) < len(held):
        note += f"; {len(held) - len(with_agenda)} held meeting(s) have no agenda as run"
    return [
        FidelityLine(
            f"Technique: {technique.value.replace('-', ' ')}",
            f"{share(used[technique], len(with_agenda))} meetings",
            "segments run (not skipped, time recorded) whose pack segment names the technique",
            TECHNIQUE_ITEMS[technique],
            note,
        )
        for technique in Technique
    ]
