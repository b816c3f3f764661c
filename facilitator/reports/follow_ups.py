"""Who needs a call and what was left undone: the follow-up list on Home (SPEC section 6).

Four rules, each its own function so each can be tested at its edges:
- missed meetings: an active enrolment marked absent at the last two held meetings that marked them (on or
  after the day they joined) — cancelled meetings don't count, excused is not absent, and a held meeting where
  their attendance was not taken is skipped: it is neither a meeting they came to nor one they missed;
- quiet goals: an active goal with no check-in for `QUIET_DAYS` (a goal set that long ago with none counts);
- home assignments due at a held meeting and still not reviewed;
- held meetings with no attendance marked at all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter

from facilitator.reports.attendance import meeting_day, zone_of
from facilitator.store import Store
from facilitator.store.records import (
    AttendanceMark,
    AttendanceStatus,
    EnrollmentStatus,
    Goal,
    GoalStatus,
    Group,
    GroupStatus,
    Meeting,
    MeetingStatus,
    Participant,
    RecoveryFocus,
    Review,
)

QUIET_DAYS = 30
CHECK_IN_AT = attrgetter("at")


class FollowUpKind(enum.StrEnum):
    MISSED_MEETINGS = "missed_meetings"
    QUIET_GOAL = "quiet_goal"
    NOT_REVIEWED = "not_reviewed"
    NO_ATTENDANCE = "no_attendance"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One thing to follow up, with the ids of where to act on it and a one-line reason."""

    kind: FollowUpKind
    reason: str
    group_id: str | None = None
    participant_id: str | None = None
    meeting_id: str | None = None
    goal_id: str | None = None
    assignment_id: str | None = None
    since: datetime | None = None  # when it started: the first missed meeting, the last check-in, ...


def short_day(meeting: Meeting, group: Group | None) -> str:
    """ "Tue 24 Feb", in the group's own time zone."""
    day = meeting_day(meeting, zone_of(group))
    return f"{day:%a} {day.day} {day:%b}"  # reports stand beside the course rules, so not dates.human_day


def quote(text: str, limit: int = 40) -> str:
    """User text in quotes, shortened to fit one line."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


SERVES_WORDS = {
    RecoveryFocus.MENTAL_HEALTH: "mental health",
    RecoveryFocus.SUBSTANCE_USE: "substance use",
    RecoveryFocus.BOTH: "both",
}


def serves_words(serves: RecoveryFocus | None) -> str:
    return SERVES_WORDS[serves] if serves is not None else "—"


def next_serves_filter(current: RecoveryFocus | None) -> RecoveryFocus | None:
    """The `f` key's cycle: every goal → mental health → substance use → both → every goal."""
    cycle: list[RecoveryFocus | None] = [None, *RecoveryFocus]
    return cycle[(cycle.index(current) + 1) % len(cycle)]


def serves_matches(serves: RecoveryFocus | None, wanted: RecoveryFocus | None) -> bool:
    """Whether a goal serving `serves` is shown under the filter `wanted` (None: every goal).

    A goal serving both counts under mental health and under substance use; the filter "both" shows only
    goals marked as serving both; a goal with no focus set shows only when there is no filter.
    """
    if wanted is None:
        return True
    if serves is None:
        return False
    return serves is wanted or (serves is RecoveryFocus.BOTH and wanted is not RecoveryFocus.BOTH)


def follow_ups(
    store: Store, now: datetime, *, serves: RecoveryFocus | None = None, quiet_days: int = QUIET_DAYS
) -> list[FollowUp]:
    """Every follow-up: people first (missed meetings, quiet goals), then records; longest waiting first."""
    groups = [g for g in store.groups() if g.status is not GroupStatus.ARCHIVED]
    marked = store.meetings_with_marks()
    found: list[FollowUp] = []
    for group in groups:
        held = [m for m in store.group_meetings(group.id) if m.status is MeetingStatus.HELD]
        held.sort(key=lambda m: m.scheduled_start)
        found += missed_meetings(store, group, held)
        found += unreviewed_assignments(store, group, {m.id: m for m in held})
        found += meetings_without_attendance(group, held, marked)
    found += quiet_goals(store, now, serves=serves, quiet_days=quiet_days)
    order = {kind: place for place, kind in enumerate(FollowUpKind)}
    found.sort(key=lambda f: (order[f.kind], f.since or now))
    return found


def missed_meetings(store: Store, group: Group, held: list[Meeting]) -> list[FollowUp]:
    """Active people marked absent at the last two held meetings that marked them (since they joined)."""
    if len(held) < 2:
        return []
    zone = zone_of(group)
    marks: dict[int, dict[str, AttendanceMark]] = {}  # fetched only as far back as someone's streak goes
    out = []
    for enrollment, person in store.roster(group.id):
        if enrollment.status is not EnrollmentStatus.ACTIVE or person.deleted:
            continue
        streak, first = 0, held[-1]
        for back in range(1, len(held) + 1):
            meeting = held[-back]
            if meeting_day(meeting, zone) < enrollment.joined_on:
                break
            if back not in marks:
                marks[back] = store.meeting_marks(meeting.id)
            mark = marks[back].get(person.id)
            if mark is None:
                continue  # their attendance was not taken: it says nothing either way
            if mark.status is not AttendanceStatus.ABSENT:
                break
            streak, first = streak + 1, meeting
        if streak < 2:
            continue
        out.append(
            FollowUp(
                kind=FollowUpKind.MISSED_MEETINGS,
                reason=f"absent from the last {streak} meetings (since {short_day(first, group)})",
                group_id=group.id,
                participant_id=person.id,
                meeting_id=held[-1].id,
                since=first.scheduled_start,
            )
        )
    return out


def quiet_goals(
    store: Store, now: datetime, *, serves: RecoveryFocus | None = None, quiet_days: int = QUIET_DAYS
) -> list[FollowUp]:
    """People with active goals with no check-in for `quiet_days` days (counting from when a goal was set).

    One follow-up per person, naming their longest-quiet goal and how many more there are: it is one
    conversation, not one per goal.
    """
    people = {p.id for p in store.all(Participant)}
    cutoff = now - timedelta(days=quiet_days)
    quiet: dict[str, list[tuple[datetime, Goal]]] = {}
    for goal in store.all(Goal):
        if goal.status is not GoalStatus.ACTIVE or not serves_matches(goal.serves, serves):
            continue
        quiet_since = max(map(CHECK_IN_AT, goal.check_ins), default=goal.created_at)
        if quiet_since <= cutoff and goal.participant_id in people:
            quiet.setdefault(goal.participant_id, []).append((quiet_since, goal))
    out = []
    for participant_id, goals in quiet.items():
        quiet_since, goal = min(goals, key=lambda pair: pair[0])
        days = (now - quiet_since).days
        if goal.check_ins:
            reason = f"goal {quote(goal.title)}: no check-in for {days} days"
        else:
            reason = f"goal {quote(goal.title)} set {days} days ago, no check-in yet"
        if len(goals) > 1:
            reason += f" (and {len(goals) - 1} more)"
        out.append(
            FollowUp(
                kind=FollowUpKind.QUIET_GOAL,
                reason=reason,
                group_id=goal.group_id,
                participant_id=participant_id,
                goal_id=goal.id,
                since=quiet_since,
            )
        )
    return out


def unreviewed_assignments(store: Store, group: Group, held: dict[str, Meeting]) -> list[FollowUp]:
    """Home assignments whose due meeting was held without reviewing them."""
    out = []
    for assignment in store.group_assignments(group.id):
        due = held.get(assignment.due_meeting_id or "")
        if due is None or assignment.review is not Review.NOT_REVIEWED:
            continue
        out.append(
            FollowUp(
                kind=FollowUpKind.NOT_REVIEWED,
                reason=f"home assignment {quote(assignment.text, 32)} not reviewed at meeting {due.number} "
                f"({short_day(due, group)})",
                group_id=group.id,
                participant_id=assignment.participant_id,
                meeting_id=due.id,
                assignment_id=assignment.id,
                since=due.scheduled_start,
            )
        )
    return out


def meetings_without_attendance(group: Group, held: list[Meeting], marked: set[str]) -> list[FollowUp]:
    """Held meetings with no attendance mark at all (`marked`: ids of meetings with a live mark)."""
    return [
        FollowUp(
            kind=FollowUpKind.NO_ATTENDANCE,
            reason=f"meeting {meeting.number} ({short_day(meeting, group)}) was held; no attendance taken",
            group_id=group.id,
            meeting_id=meeting.id,
            since=meeting.scheduled_start,
        )
        for meeting in held
        if meeting.id not in marked
    ]
