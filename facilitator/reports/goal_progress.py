"""Goal progress: check-in ratings over time, by SAMHSA dimension, goals by status, and stages of treatment.

A goal's movement is its latest rating less its first (1–5 scale, so −4 to +4), and only for goals with two
check-ins or more. A group's goals are those its people set for work in it, plus those set for no group in
particular. Stage movement (dual-recovery groups) compares each person's first recorded stage with their
latest: forward, back or the same, in the order engagement, persuasion, active treatment, relapse prevention.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from curricula.format import Stage
from facilitator.reports.attendance import zone_of
from facilitator.store import Store
from facilitator.store.records import (
    Dimension,
    Enrollment,
    EnrollmentStatus,
    Goal,
    GoalStatus,
    Group,
    Participant,
)
from facilitator.store.store import sort_key

STAGE_ORDER = {stage: place for place, stage in enumerate(Stage)}
DIMENSION_WORDS = {
    Dimension.HEALTH: "Health",
    Dimension.HOME: "Home",
    Dimension.PURPOSE: "Purpose",
    Dimension.COMMUNITY: "Community",
}
STAGE_WORDS = {
    Stage.ENGAGEMENT: "engagement",
    Stage.PERSUASION: "persuasion",
    Stage.ACTIVE_TREATMENT: "active treatment",
    Stage.RELAPSE_PREVENTION: "relapse prevention",
}


@dataclass(frozen=True, slots=True)
class GoalLine:
    goal_id: str
    participant_id: str
    name: str
    title: str
    dimension: Dimension
    status: GoalStatus
    ratings: tuple[tuple[date, int], ...]  # check-ins in time order
    steps_done: int
    steps: int

    @property
    def movement(self) -> int | None:
        return self.ratings[-1][1] - self.ratings[0][1] if len(self.ratings) >= 2 else None


@dataclass(frozen=True, slots=True)
class DimensionLine:
    dimension: Dimension
    goals: int
    by_status: tuple[tuple[GoalStatus, int], ...]
    first_mean: float | None  # the mean first rating of goals with two check-ins or more
    latest_mean: float | None

    def count(self, status: GoalStatus) -> int:
        return dict(self.by_status).get(status, 0)


@dataclass(frozen=True, slots=True)
class StageMove:
    participant_id: str
    name: str
    first: Stage
    latest: Stage

    @property
    def direction(self) -> str:
        step = STAGE_ORDER[self.latest] - STAGE_ORDER[self.first]
        return "forward" if step > 0 else "back" if step < 0 else "same"


@dataclass(frozen=True, slots=True)
class GoalProgress:
    goals: tuple[GoalLine, ...]
    dimensions: tuple[DimensionLine, ...]
    stages: tuple[StageMove, ...]

    def count(self, status: GoalStatus) -> int:
        return sum(1 for g in self.goals if g.status is status)


def goal_line(goal: Goal, person: Participant, zone_group: Group | None) -> GoalLine:
    zone = zone_of(zone_group)
    ratings = tuple(
        (c.at.astimezone(zone).date(), c.rating) for c in sorted(goal.check_ins, key=lambda c: c.at)
    )
    return GoalLine(
        goal_id=goal.id,
        participant_id=person.id,
        name=person.display_name,
        title=goal.title,
        dimension=goal.dimension,
        status=goal.status,
        ratings=ratings,
        steps_done=sum(1 for s in goal.steps if s.done_at is not None),
        steps=len(goal.steps),
    )


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def by_dimension(goals: Iterable[GoalLine]) -> tuple[DimensionLine, ...]:
    goals = list(goals)
    out = []
    for dimension in Dimension:
        mine = [g for g in goals if g.dimension is dimension]
        moved = [g for g in mine if len(g.ratings) >= 2]
        out.append(
            DimensionLine(
                dimension=dimension,
                goals=len(mine),
                by_status=tuple((s, n) for s in GoalStatus if (n := sum(1 for g in mine if g.status is s))),
                first_mean=_mean([g.ratings[0][1] for g in moved]),
                latest_mean=_mean([g.ratings[-1][1] for g in moved]),
            )
        )
    return tuple(out)


def stage_move(enrollment: Enrollment, person: Participant) -> StageMove | None:
    stages = [change.stage for change in sorted(enrollment.stage_history, key=lambda c: c.on)]
    if enrollment.stage is not None and (not stages or stages[-1] is not enrollment.stage):
        stages.append(enrollment.stage)
    if not stages:
        return None
    return StageMove(person.id, person.display_name, stages[0], stages[-1])


def group_goal_progress(store: Store, group_id: str) -> GoalProgress:
    """The goals of the group's people (worked on in it, or in no group), and their stages in it."""
    group = store.get(Group, group_id)
    lines, stages = [], []
    for enrollment, person in store.roster(group_id):
        if person.deleted or enrollment.status is EnrollmentStatus.WAITLIST:
            continue
        for goal in store.participant_goals(person.id):
            if goal.group_id in (group_id, None):
                lines.append(goal_line(goal, person, group))
        move = stage_move(enrollment, person)
        if move is not None:
            stages.append(move)
    lines.sort(key=lambda g: (sort_key(g.name), g.title))
    return GoalProgress(tuple(lines), by_dimension(lines), tuple(stages))


def person_goal_progress(store: Store, participant_id: str) -> GoalProgress:
    """One person's goals, whichever group they are worked on in, and their stage in each group."""
    person = store.get(Participant, participant_id)
    if person is None:
        raise KeyError(participant_id)
    lines = []
    for goal in store.participant_goals(participant_id):
        group = store.get(Group, goal.group_id) if goal.group_id else None
        lines.append(goal_line(goal, person, group))
    stages = [m for e in store.enrollments_of(participant_id) if (m := stage_move(e, person)) is not None]
    return GoalProgress(tuple(lines), by_dimension(lines), tuple(stages))
