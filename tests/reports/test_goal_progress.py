"""Goal progress: ratings over time, dimensions, statuses and stages of treatment."""

from __future__ import annotations

from datetime import date, timedelta

from curricula.format import Stage
from facilitator.reports.goal_progress import group_goal_progress, person_goal_progress
from facilitator.store.records import CheckIn, Dimension, Goal, GoalStatus
from tests.reports.records_for_tests import FIRST, Course


def test_goals_by_dimension_status_and_movement(store) -> None:
    course = Course(store, meetings=3)
    other = Course(store, meetings=1)
    ann, bo = course.person("Ann"), course.person("Bo")
    week = timedelta(days=7)
    walking = Goal(
        participant_id=ann.id,
        group_id=course.group.id,
        title="Walk to the park",
        dimension=Dimension.HEALTH,
        check_ins=[CheckIn(at=FIRST + week, rating=4), CheckIn(at=FIRST, rating=2)],  # stored out of order
    )
    letters = Goal(
        participant_id=ann.id,
        title="Answer the letters",
        dimension=Dimension.HOME,
        status=GoalStatus.ACHIEVED,
        check_ins=[CheckIn(at=FIRST, rating=3)],
    )
    choir = Goal(participant_id=bo.id, group_id=course.group.id, title="Choir", status=GoalStatus.DROPPED)
    elsewhere = Goal(participant_id=bo.id, group_id=other.group.id, title="Not this group's")
    store.add(walking, letters, choir, elsewhere)

    progress = group_goal_progress(store, course.group.id)
    assert [g.title for g in progress.goals] == ["Answer the letters", "Walk to the park", "Choir"]
    walk = progress.goals[1]
    assert walk.ratings == ((FIRST.date(), 2), ((FIRST + week).date(), 4)) and walk.movement == 2
    assert progress.goals[0].movement is None  # one check-in is not a movement
    health = next(d for d in progress.dimensions if d.dimension is Dimension.HEALTH)
    assert (health.goals, health.first_mean, health.latest_mean) == (1, 2.0, 4.0)
    assert progress.count(GoalStatus.ACHIEVED) == 1 and progress.count(GoalStatus.DROPPED) == 1
    assert progress.count(GoalStatus.ACTIVE) == 1
    assert len(person_goal_progress(store, bo.id).goals) == 2  # a person's own view keeps every group


def test_stages_of_treatment_move_forward_or_back(store) -> None:
    course = Course(store, meetings=1)
    ann, bo, cy = course.person("Ann"), course.person("Bo"), course.person("Cy")
    for person, stages in (
        (ann, [Stage.ENGAGEMENT, Stage.PERSUASION]),
        (bo, [Stage.ACTIVE_TREATMENT, Stage.PERSUASION]),
    ):
        [place] = store.enrollments_of(person.id)
        for n, stage in enumerate(stages):
            place = store.set_stage(place, stage, on=date(2026, 1, 6) + timedelta(days=7 * n))
    progress = group_goal_progress(store, course.group.id)
    moves = {m.name: (m.first, m.latest, m.direction) for m in progress.stages}
    assert moves == {
        "Ann": (Stage.ENGAGEMENT, Stage.PERSUASION, "forward"),
        "Bo": (Stage.ACTIVE_TREATMENT, Stage.PERSUASION, "back"),
    }
    assert cy.id not in {m.participant_id for m in progress.stages}
