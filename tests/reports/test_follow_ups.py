"""Each follow-up rule at its edges."""

from __future__ import annotations

from datetime import timedelta

import pytest

from facilitator.reports.follow_ups import FollowUpKind, follow_ups, serves_matches
from facilitator.store.records import (
    CheckIn,
    EnrollmentStatus,
    Goal,
    GoalStatus,
    GroupStatus,
    HomeAssignment,
    MeetingStatus,
    Participant,
    RecoveryFocus,
    Review,
)
from tests.reports.records_for_tests import FIRST, NOW, Course


def kinds(store, kind: FollowUpKind, **options) -> list:
    return [f for f in follow_ups(store, NOW, **options) if f.kind is kind]


def missed(store) -> dict[str, str]:
    """Participant id -> reason, for the missed-meetings rule."""
    return {f.participant_id: f.reason for f in kinds(store, FollowUpKind.MISSED_MEETINGS)}


# --- absent from the last two held meetings


def test_absent_from_the_last_two_held_meetings_is_flagged_with_the_streak(store) -> None:
    course = Course(store, meetings=5)
    twice = course.person("Twice", marks="PPPAA")
    thrice = course.person("Thrice", marks="PPAAA")
    course.person("Once", marks="PPPPA")
    course.person("Earlier", marks="PAAPP")
    found = missed(store)
    assert set(found) == {twice.id, thrice.id}
    assert "last 2 meetings" in found[twice.id]
    assert "last 3 meetings (since Tue 20 Jan)" in found[thrice.id]
    follow_up = kinds(store, FollowUpKind.MISSED_MEETINGS)[0]
    assert follow_up.group_id == course.group.id


def test_cancelled_meetings_do_not_count_either_way(store) -> None:
    course = Course(store, meetings=5)
    course.set_status(4, MeetingStatus.CANCELLED)
    # Absent at 3 and 5 with a cancelled meeting between: the last two *held* meetings.
    flagged = course.person("Around a cancellation", marks="PPA.A")
    # Absent only at the last held meeting: the cancelled one does not make a second.
    course.person("Once", marks="PPP.A")
    assert set(missed(store)) == {flagged.id}


def test_excused_and_unmarked_are_not_absent(store) -> None:
    course = Course(store, meetings=4)
    course.person("Excused", marks="PPXA")
    course.person("Excused twice", marks="PPXX")
    course.person("No mark", marks="PP.A")
    assert missed(store) == {}


def test_a_meeting_where_attendance_was_not_taken_neither_breaks_nor_makes_a_streak(store) -> None:
    """Someone drifting away must not drop off the list because one meeting's marks were left undone."""
    course = Course(store, meetings=5)
    drifting = course.person("Drifting", marks="PPAA.")
    between = course.person("Gap between", marks="PPA.A")
    course.person("Came back", marks="PAAP.")
    found = missed(store)
    assert set(found) == {drifting.id, between.id}
    assert "last 2 meetings (since Tue 20 Jan)" in found[drifting.id]
    assert "last 2 meetings (since Tue 20 Jan)" in found[between.id]


def test_nobody_is_flagged_for_meetings_before_they_joined(store) -> None:
    course = Course(store, meetings=4)
    # Joined on the day of meeting 4: absent at 3 (before joining) and 4 is only one meeting.
    course.person("Newcomer", joined=(FIRST + timedelta(days=21)).date(), marks="..AA")
    # Joined the day of meeting 3: both 3 and 4 count.
    counted = course.person("Joined at three", joined=(FIRST + timedelta(days=14)).date(), marks="..AA")
    assert set(missed(store)) == {counted.id}
    assert "last 2 meetings" in missed(store)[counted.id]


@pytest.mark.parametrize("status", [EnrollmentStatus.WITHDRAWN, EnrollmentStatus.COMPLETED])
def test_only_active_enrolments_are_flagged(store, status) -> None:
    course = Course(store, meetings=3)
    course.person("Left", status=status, marks="PAA")
    assert missed(store) == {}


def test_a_group_with_fewer_than_two_held_meetings_flags_nobody(store) -> None:
    course = Course(store, meetings=2)
    course.set_status(2, MeetingStatus.PLANNED)
    course.person("Absent at the only one", marks="A")
    assert missed(store) == {}


def test_archived_groups_are_left_alone(store) -> None:
    course = Course(store, meetings=3, status=GroupStatus.ARCHIVED)
    course.person("Gone", marks="PAA")
    assert follow_ups(store, NOW) == []


# --- quiet goals


def goal(store, person: Participant, *, age_days: int, check_in_days_ago: list[int] = (), **fields) -> Goal:
    made = Goal(
        participant_id=person.id,
        title=fields.pop("title", "Walk to the park"),
        created_at=NOW - timedelta(days=age_days),
        check_ins=[CheckIn(at=NOW - timedelta(days=d), rating=3) for d in check_in_days_ago],
        **fields,
    )
    store.add(made)
    return made


def test_a_goal_with_no_check_in_for_30_days_is_quiet_and_29_is_not(store) -> None:
    quiet, fresh = Participant(display_name="Quiet"), Participant(display_name="Fresh")
    store.add(quiet, fresh)
    goal(store, quiet, age_days=90, check_in_days_ago=[60, 30])
    goal(store, fresh, age_days=90, check_in_days_ago=[60, 29])
    found = kinds(store, FollowUpKind.QUIET_GOAL)
    assert [f.participant_id for f in found] == [quiet.id]
    assert "no check-in for 30 days" in found[0].reason


def test_a_goal_set_30_days_ago_with_no_check_in_counts(store) -> None:
    old, new = Participant(display_name="Old"), Participant(display_name="New")
    store.add(old, new)
    goal(store, old, age_days=30)
    goal(store, new, age_days=29)
    found = kinds(store, FollowUpKind.QUIET_GOAL)
    assert [f.participant_id for f in found] == [old.id]
    assert "set 30 days ago, no check-in yet" in found[0].reason


@pytest.mark.parametrize("status", [GoalStatus.ACHIEVED, GoalStatus.PAUSED, GoalStatus.DROPPED])
def test_only_active_goals_go_quiet(store, status) -> None:
    person = Participant(display_name="Done")
    store.add(person)
    goal(store, person, age_days=100, status=status)
    assert kinds(store, FollowUpKind.QUIET_GOAL) == []


def test_one_follow_up_per_person_names_the_longest_quiet_goal(store) -> None:
    person = Participant(display_name="Several")
    store.add(person)
    goal(store, person, age_days=50, title="Newer")
    oldest = goal(store, person, age_days=80, title="Oldest")
    goal(store, person, age_days=10, title="Not quiet")
    [found] = kinds(store, FollowUpKind.QUIET_GOAL)
    assert found.goal_id == oldest.id
    assert "“Oldest”" in found.reason and "(and 1 more)" in found.reason


def test_quiet_goals_of_deleted_people_are_not_listed(store) -> None:
    person = Participant(display_name="Deleted")
    store.add(person)
    goal(store, person, age_days=60)
    store.delete(person)
    assert kinds(store, FollowUpKind.QUIET_GOAL) == []


def test_quiet_goals_can_be_filtered_by_what_they_serve(store) -> None:
    people = {focus: Participant(display_name=str(focus)) for focus in [*RecoveryFocus, None]}
    store.add(*people.values())
    for focus, person in people.items():
        goal(store, person, age_days=60, serves=focus)

    def shown(wanted):
        found = kinds(store, FollowUpKind.QUIET_GOAL, serves=wanted)
        return {f.participant_id for f in found}

    ids = {focus: p.id for focus, p in people.items()}
    assert shown(None) == set(ids.values())
    mental, both = RecoveryFocus.MENTAL_HEALTH, RecoveryFocus.BOTH
    assert shown(mental) == {ids[mental], ids[both]}
    assert shown(RecoveryFocus.SUBSTANCE_USE) == {ids[RecoveryFocus.SUBSTANCE_USE], ids[both]}
    assert shown(both) == {ids[both]}


def test_serves_matches_is_the_one_rule_for_the_filter() -> None:
    assert serves_matches(None, None)
    assert not serves_matches(None, RecoveryFocus.BOTH)
    assert serves_matches(RecoveryFocus.BOTH, RecoveryFocus.SUBSTANCE_USE)
    assert not serves_matches(RecoveryFocus.MENTAL_HEALTH, RecoveryFocus.SUBSTANCE_USE)


# --- home assignments not reviewed


def test_an_assignment_due_at_a_held_meeting_and_not_reviewed_is_listed(store) -> None:
    course = Course(store, meetings=3)
    course.set_status(3, MeetingStatus.PLANNED)
    given, due, upcoming = course.meetings

    def assignment(due_meeting, review=Review.NOT_REVIEWED, text="Try the breathing exercise"):
        made = HomeAssignment(
            meeting_id=given.id,
            group_id=course.group.id,
            text=text,
            due_meeting_id=due_meeting,
            review=review,
        )
        store.add(made)
        return made

    waiting = assignment(due.id)
    assignment(due.id, review=Review.DONE)
    assignment(due.id, review=Review.NOT_DONE)
    assignment(upcoming.id)  # its meeting has not happened yet
    assignment(None)  # no due meeting
    [found] = kinds(store, FollowUpKind.NOT_REVIEWED)
    assert found.assignment_id == waiting.id and found.meeting_id == due.id
    assert "not reviewed at meeting 2 (Tue 13 Jan)" in found.reason


def test_an_assignment_due_at_a_cancelled_meeting_is_not_listed(store) -> None:
    course = Course(store, meetings=2)
    course.set_status(2, MeetingStatus.CANCELLED)
    given, due = course.meetings
    store.add(HomeAssignment(meeting_id=given.id, group_id=course.group.id, text="x", due_meeting_id=due.id))
    assert kinds(store, FollowUpKind.NOT_REVIEWED) == []


# --- held meetings without attendance


def test_held_meetings_with_no_mark_at_all_are_listed(store) -> None:
    course = Course(store, meetings=4)
    course.set_status(4, MeetingStatus.PLANNED)
    course.set_status(3, MeetingStatus.CANCELLED)
    course.person("Someone", marks="P")  # only meeting 1 has attendance
    found = kinds(store, FollowUpKind.NO_ATTENDANCE)
    assert [f.meeting_id for f in found] == [course.meetings[1].id]
    assert found[0].reason == "meeting 2 (Tue 13 Jan) was held; no attendance taken"


def test_a_deleted_mark_does_not_count_as_attendance(store) -> None:
    course = Course(store, meetings=1)
    course.person("Someone", marks="P")
    [mark] = store.meeting_marks(course.meetings[0].id).values()
    store.delete(mark)
    assert [f.meeting_id for f in kinds(store, FollowUpKind.NO_ATTENDANCE)] == [course.meetings[0].id]


def test_people_come_first_and_the_longest_waiting_first(store) -> None:
    course = Course(store, meetings=3)
    course.person("Absent", marks="PAA")
    quiet = Participant(display_name="Quiet")
    store.add(quiet)
    goal(store, quiet, age_days=40)
    order = [f.kind for f in follow_ups(store, NOW)]
    assert order == [FollowUpKind.MISSED_MEETINGS, FollowUpKind.QUIET_GOAL]
