"""The demo's open dual-recovery drop-in: five meetings held, and tonight's in progress, twenty minutes in.

Tonight's session is built with the real engine on stepped clocks, from the scheduled start to a last save a
minute or two before `now`, as if Facilitator had been closed while the session ran: opening the demo asks
whether the session kept going (`needs_resume_question`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import msgspec

from curricula.format import Pack, Stage
from facilitator.course.calendar import meeting_days, meeting_start
from facilitator.course.packs import bundled_pack
from facilitator.course.plan import plan_meeting
from facilitator.store.records import (
    AgendaItem,
    AttendanceMark,
    AttendanceStatus,
    CheckIn,
    Dimension,
    Goal,
    GoalStep,
    Group,
    GroupKind,
    GroupStatus,
    Horizon,
    Meeting,
    MeetingStatus,
    Participant,
    RecoveryFocus,
    Schedule,
    StageChange,
)
from sessions import Engine, ManualClock

if TYPE_CHECKING:
    from facilitator.demo import DemoBuilder


def weekly_steps(texts: list[str], first: datetime, done: int) -> list[GoalStep]:
    """Steps towards a goal, the first `done` of them ticked off a week apart from `first`."""
    return [
        GoalStep(text=text, done_at=first + timedelta(days=7 * (i + 1)) if i < done else None)
        for i, text in enumerate(texts)
    ]


NAME = "Dual Recovery Drop-in"
ZONE = "Europe/London"
HELD = 5  # tonight's is meeting 6
S = Stage
# Who comes: a position among the demo's 30 people (four from the IMR group, four of the WRAP sign-ups, none
# of them people the pilot tests single out), the meeting they first came to (an open group: some joined
# later), and the stages they have been through, the current one last.
MEMBERS: list[tuple[int, int, list[Stage]]] = [
    (0, 1, [S.ENGAGEMENT, S.PERSUASION]),
    (5, 1, [S.PERSUASION, S.ACTIVE_TREATMENT]),
    (9, 1, [S.ACTIVE_TREATMENT, S.RELAPSE_PREVENTION]),
    (24, 1, [S.ENGAGEMENT]),
    (26, 1, [S.PERSUASION]),
    (12, 3, [S.ENGAGEMENT, S.PERSUASION]),
    (28, 3, [S.ACTIVE_TREATMENT]),
    (29, 5, [S.ENGAGEMENT]),
]
DRIFTING = 26  # stopped coming: absent from the last two meetings
# Tonight so far: who has been marked (the late one with the minutes after the start they came in).
TONIGHT_PRESENT = (0, 5, 9, 24, 12)
TONIGHT_LATE = (28, 11)
# (person, title, dimension, serves, why, the meetings it was checked in at); the last has gone quiet.
GOALS: list[tuple[int, str, Dimension, RecoveryFocus, str, tuple[int, ...]]] = [
    (
        5,
        "Have two alcohol-free days a week",
        Dimension.HEALTH,
        RecoveryFocus.SUBSTANCE_USE,
        "I sleep better and my mood is steadier on the days I don't drink.",
        (2, 3, 4, 5),
    ),
    (
        0,
        "Tell my care coordinator what I'm using",
        Dimension.HEALTH,
        RecoveryFocus.BOTH,
        "So my medication and my drinking get looked at together.",
        (3, 5),
    ),
    (
        24,
        "Spend Friday evenings somewhere I won't use",
        Dimension.COMMUNITY,
        RecoveryFocus.BOTH,
        "Fridays alone are when it goes wrong.",
        (1,),
    ),
]
CHECK_IN_NOTES = ["Managed it most days", "A rough week, but I came", "Wrote it down every day", ""]
GOAL_STEPS = ["Pick the days", "Tell someone in the group", "Notice how the next morning feels"]


def tonights_start(now: datetime) -> datetime:
    """Twenty minutes before `now`, rounded down to five minutes, in the group's local time."""
    local = (now - timedelta(minutes=20)).astimezone(ZoneInfo(ZONE))
    return local.replace(minute=local.minute - local.minute % 5, second=0, microsecond=0)


def add_drop_in(build: DemoBuilder, people: list[Participant]) -> None:
    """The open drop-in group, its people, five meetings held, tonight's in progress and the rest planned."""
    pack = bundled_pack("dual-recovery-style")
    start = tonights_start(build.now)
    tonight = start.date()
    group = build.group(
        pack,
        name=NAME,
        kind=GroupKind.OPEN,
        status=GroupStatus.RUNNING,
        schedule=Schedule(
            start_date=tonight - timedelta(days=7 * HELD),
            weekdays=[tonight.weekday()],
            start_time=f"{start:%H:%M}",
            minutes=pack.session_minutes,
            timezone=ZONE,
        ),
        location="The Hub, Canal Street (upstairs room)",
        facilitators=["Nadia Rahman", "Chris Doyle"],
    )
    assert group.schedule is not None
    days = meeting_days(group.schedule, sum(len(u.sessions) for u in pack.units))
    members = {position: people[position] for position, _, _ in MEMBERS}
    enrol_members(build, group, members, days)
    meetings = build.meetings(group, pack, [meeting_start(group.schedule, day) for day in days], HELD)
    first = {members[position].id: came - 1 for position, came, _ in MEMBERS}
    build.attendance(
        meetings[:HELD], list(members.values()), drifting={members[DRIFTING].id}, fade=2, first=first
    )
    add_goals(build, group, members, meetings)
    build.assignments(group, meetings, pack)
    live = in_progress(meetings[HELD], pack, build)
    build.swap(meetings[HELD], live)
    mark_tonight(build, live, members)


def enrol_members(
    build: DemoBuilder, group: Group, members: dict[int, Participant], days: list[date]
) -> None:
    """Each member from the day they first came, with their stage history (a change every other week)."""
    for position, came, stages in MEMBERS:
        history = [
            StageChange(stage=stage, on=days[min(came - 1 + 2 * step, HELD - 1)])
            for step, stage in enumerate(stages)
        ]
        build.enrol(
            group,
            [members[position]],
            days[came - 1],
            stage=history[-1].stage,
            stage_set_on=history[-1].on,
            stage_history=history,
        )


def in_progress(meeting: Meeting, pack: Pack, build: DemoBuilder) -> Meeting:
    """Tonight's meeting as the Run Session screen leaves it: started on time, in its third segment."""
    plan = plan_meeting(meeting, pack)
    clocks = ManualClock(meeting.scheduled_start, monotonic=20_000.0)
    engine = Engine(plan, clock=clocks.monotonic, wall_clock=clocks.wall)
    engine.start()
    clocks.advance(4 * 60)
    for _ in range(7):  # a full room: everyone wanted their turn at the check-in
        engine.add_minute(1)
    clocks.advance(engine.remaining() + build.rng.randint(0, 45))
    engine.next()
    # The review ran until three minutes ago (a little over or under its plan), so the segment running now,
    # the home assignments, still has most of its time when someone opens the demo a minute or two later.
    clocks.advance_to(build.now - timedelta(minutes=3, seconds=build.rng.randint(0, 30)))
    engine.next()
    # The last save, a minute or two before the demo's `now`, just before Facilitator was closed.
    clocks.advance_to(build.now - timedelta(seconds=build.rng.randint(60, 150)))
    engine.claim_bell()  # the screen rang each countdown's zero as it came: none is left to ring on opening
    return msgspec.structs.replace(
        meeting,
        status=MeetingStatus.IN_PROGRESS,
        started_at=meeting.scheduled_start,
        # As MeetingRun saves it at the start: the plan as scaled, the actual seconds left for the end.
        agenda=[AgendaItem(title=s.title, kind=s.kind, planned_seconds=s.planned_seconds) for s in plan],
        engine_state=msgspec.to_builtins(engine.state()),
    )


def mark_tonight(build: DemoBuilder, meeting: Meeting, members: dict[int, Participant]) -> None:
    """Most people marked present as they came in, one late with the time; the rest not marked yet."""
    late_position, late_minutes = TONIGHT_LATE
    marks: list[tuple[int, AttendanceStatus, timedelta | None]] = [
        (position, AttendanceStatus.PRESENT, None) for position in TONIGHT_PRESENT
    ]
    marks.append((late_position, AttendanceStatus.LATE, timedelta(minutes=late_minutes)))
    for position, status, after in marks:
        marked = meeting.scheduled_start + (after or timedelta(minutes=build.rng.randint(0, 3)))
        build.keep(
            AttendanceMark(
                id=build.new_id(),
                meeting_id=meeting.id,
                participant_id=members[position].id,
                status=status,
                at=marked if after else None,
                created_at=marked,
                updated_at=marked,
            )
        )


def add_goals(
    build: DemoBuilder, group: Group, members: dict[int, Participant], meetings: list[Meeting]
) -> None:
    """A few goals about substance use, or both, checked in at the meetings; one has gone quiet."""
    for position, title, dimension, serves, why, checked_at in GOALS:
        set_at = meetings[checked_at[0] - 1].scheduled_start + timedelta(minutes=20)
        check_ins = [
            CheckIn(
                at=meetings[number - 1].scheduled_start + timedelta(minutes=30),
                meeting_id=meetings[number - 1].id,
                rating=build.rng.randint(2, 5),
                note=build.rng.choice(CHECK_IN_NOTES),
            )
            for number in checked_at
        ]
        done = len(checked_at) // 2
        steps = weekly_steps(GOAL_STEPS, set_at, done)
        build.keep(
            Goal(
                id=build.new_id(),
                participant_id=members[position].id,
                group_id=group.id,
                title=title,
                why=why,
                dimension=dimension,
                horizon=Horizon.SHORT,
                serves=serves,
                steps=steps,
                check_ins=check_ins,
                created_at=set_at,
                updated_at=build.now,
            )
        )
