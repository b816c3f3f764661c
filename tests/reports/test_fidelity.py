"""The IMR fidelity self-check against a small course worked out by hand."""

from __future__ import annotations

import msgspec

from curricula.format import Pack
from facilitator.reports.fidelity import NOT_A_REVIEW, fidelity_check, headcount_band, is_imr_style
from facilitator.store.records import (
    AgendaItem,
    CheckIn,
    EnrollmentStatus,
    Goal,
    GoalStatus,
    HomeAssignment,
    MeetingStatus,
    Review,
    SessionRef,
)
from tests.reports.records_for_tests import Course

PACK = msgspec.convert(
    {
        "id": "imr-test",
        "title": "A small IMR-style course",
        "version": "1.0.0",
        "units": [
            {
                "id": "recovery",
                "title": "Recovery strategies",
                "sessions": [
                    {
                        "number": 1,
                        "title": "What recovery means",
                        "handouts": ["Recovery, in our words"],
                        "agenda": [
                            {"title": "Goals", "kind": "goal-follow-up", "minutes": 10,
                             "techniques": ["motivational"]},
                            {"title": "Teach", "kind": "teaching", "minutes": 30,
                             "techniques": ["educational"]},
                            {"title": "Practise", "kind": "practice", "minutes": 20,
                             "techniques": ["coping-skills", "cognitive-behavioural"]},
                        ],
                    },
                    {"number": 2, "title": "Strengths", "agenda": [
                        {"title": "Teach", "kind": "teaching", "minutes": 30,
                         "techniques": ["educational"]}]},
                ],
            },
            {"id": "facts", "title": "Facts", "sessions": [{"number": 1, "title": "Facts", "agenda": []}]},
        ],
    },
    Pack,
)  # fmt: skip


def ran(title: str, kind: str, seconds: int | None = 600, *, skipped: bool = False) -> AgendaItem:
    return AgendaItem(title=title, kind=kind, planned_seconds=600, actual_seconds=seconds, skipped=skipped)


def small_course(store):
    """Four meetings: 1–3 held (sessions 1.1, 1.2, 1.1), 4 cancelled; three people and one waiting."""
    course = Course(store, meetings=4)
    store.update(course.group, pack_id="imr-test", pack_version="1.0.0")
    course.set_status(4, MeetingStatus.CANCELLED)
    covers = [("recovery", 1), ("recovery", 2), ("recovery", 1)]
    agendas = [
        [ran("Goals", "goal-follow-up"), ran("Teach", "teaching"), ran("Practise", "practice")],
        [ran("Teach", "teaching")],
        [
            ran("Goals", "goal-follow-up"),
            ran("Teach", "teaching", 0),
            ran("Practise", "practice", skipped=True),
        ],
    ]
    for i, ((unit, number), agenda) in enumerate(zip(covers, agendas, strict=True)):
        ref = SessionRef(unit_id=unit, session_number=number, title="", unit_title=unit.title())
        course.meetings[i] = store.update(course.meetings[i], covers=ref, agenda=agenda)
    ann = course.person("Ann", marks="PPP")
    bo = course.person("Bo", marks="PAL")
    course.person("Cy", marks="A")
    course.person("Waiting", status=EnrollmentStatus.WAITLIST)
    m = course.meetings
    store.add(
        Goal(participant_id=ann.id, group_id=course.group.id, title="Walk", check_ins=[
            CheckIn(at=m[0].scheduled_start, rating=3, meeting_id=m[0].id),
            CheckIn(at=m[2].scheduled_start, rating=4, meeting_id=m[2].id)]),
        Goal(participant_id=bo.id, title="Choir", status=GoalStatus.DROPPED),
        HomeAssignment(meeting_id=m[0].id, group_id=course.group.id, text="Try it", due_meeting_id=m[1].id,
                       review=Review.DONE),
        HomeAssignment(meeting_id=m[1].id, group_id=course.group.id, text="Again", due_meeting_id=m[2].id),
    )  # fmt: skip
    return course


def lines_of(store, course, pack=PACK):
    check = fidelity_check(store, course.group.id, pack)
    return check, {line.topic: line for line in check.lines}


def test_each_line_from_the_records(store) -> None:
    course = small_course(store)
    check, lines = lines_of(store, course)
    assert check.heading == NOT_A_REVIEW and "not a fidelity review" in check.heading
    people = lines["People per meeting"]
    # Came: meeting 1 Ann, Bo; 2 Ann; 3 Ann, Bo (late) -> 5 / 3 = 1.7, most 2 at meeting 1.
    assert people.value == "1.7 on average, 2 at most (meeting 1); the largest falls in band 5"
    assert people.item.startswith("item 1") and "too few" in people.note
    assert lines["Units of the pack taught"].value == "1 of 2: Recovery"
    assert lines["Sessions with handouts listed"].value == "2 of 3 (67%)"  # session 1.1 twice
    assert lines["People with a goal"].value == "1 of 3 (33%)"  # Bo's is dropped; the waiting list is out
    assert lines["Meetings with goal follow-up"].value == "2 of 3 (67%)"
    assert lines["Meetings that gave a home assignment"].value == "2 of 3 (67%)"
    assert lines["Meetings that reviewed last week's"].value == "1 of 2 (50%)"
    # Segments run: 1 goals, teach, practise; 2 teach; 3 goals only (teach had no time, practise skipped).
    assert lines["Technique: motivational"].value == "2 of 3 (67%) meetings"
    assert lines["Technique: educational"].value == "2 of 3 (67%) meetings"
    assert lines["Technique: coping skills"].value == "1 of 3 (33%) meetings"
    assert lines["Technique: relapse prevention"].value == "0 of 3 (0%) meetings"
    assert lines["Technique: motivational"].item.startswith("item 8")
    length = lines["Programme length and cadence"]
    assert length.value.startswith("3 week(s)") and "2 of 2 (100%) gaps" in length.value
    assert "too early" in lines["People with 6 months of sessions"].note
    for line in check.lines:
        assert line.value and line.source and line.item


def test_without_the_pack_it_says_what_it_cannot_count(store) -> None:
    course = small_course(store)
    _, lines = lines_of(store, course, pack=None)
    assert "not installed" in lines["Units of the pack taught"].note
    assert lines["Units of the pack taught"].value == "1 of 1: Recovery"
    assert "not installed" in lines["Technique: educational"].note


def test_headcount_bands_and_which_groups_are_imr_style(store) -> None:
    assert [headcount_band(n) for n in (1, 8, 9, 10, 11, 12, 13, 15, 16)] == [5, 5, 4, 4, 3, 3, 2, 2, 1]
    course = small_course(store)
    assert is_imr_style(store.get(type(course.group), course.group.id))
    assert not is_imr_style(course.group)  # the fixture's group before it was pinned to the pack
