"""Swap plans: held meetings keep what they covered; planned ones are re-mapped by unit and session number."""

from __future__ import annotations

import pytest

from curricula.format import Pack, Session, Unit
from curricula.swap import Change, MeetingSlot, MeetingStatus, SessionRef, plan_swap


def pack(*units: tuple[str, list[tuple[int, str]]], version: str = "2.0.0") -> Pack:
    """A target pack with the given units and (number, title) sessions."""
    return Pack(
        id="evening-group",
        title="Evening coping group",
        version=version,
        units=[
            Unit(
                id=unit_id, title=unit_id.title(), sessions=[Session(number=n, title=t) for n, t in sessions]
            )
            for unit_id, sessions in units
        ],
    )


TARGET = pack(
    ("coping", [(1, "Noticing stress"), (2, "Slowing right down"), (4, "Asking for help")]),
    ("support", [(1, "Who is in my corner")]),
)


def meeting(
    meeting_id: str, status: str, unit: str | None, number: int | None, title: str | None
) -> MeetingSlot:
    """A meeting of the group, labelled by its id."""
    return MeetingSlot(meeting_id, MeetingStatus(status), unit, number, title, label=f"Meeting {meeting_id}")


def test_held_cancelled_and_running_meetings_keep_what_they_covered() -> None:
    meetings = [
        meeting("m1", "held", "coping", 1, "Noticing stress (old)"),
        meeting("m2", "cancelled", "coping", 3, "A session that is gone"),
        meeting("m3", "in_progress", "coping", 2, "Slowing down"),
    ]
    plan = plan_swap(meetings, TARGET)
    assert [item.change for item in plan.changes] == [Change.UNCHANGED] * 3
    assert [item.new for item in plan.changes] == [meeting.session for meeting in meetings]
    assert plan.assignments() == {}  # nothing planned, nothing to apply


def test_planned_meetings_are_kept_renamed_or_lose_their_session() -> None:
    meetings = [
        meeting("m1", "planned", "coping", 1, "Noticing stress"),
        meeting("m2", "planned", "coping", 2, "Slowing down"),
        meeting("m3", "planned", "coping", 3, "Breathing"),
        meeting("m4", "planned", "gone-unit", 1, "Something else"),
        meeting("m5", "planned", None, None, None),
    ]
    plan = plan_swap(meetings, TARGET)
    assert [item.change for item in plan.changes] == [
        Change.KEPT,
        Change.RENAMED,
        Change.REMOVED,
        Change.REMOVED,
        Change.UNCHANGED,
    ]
    assert plan.assignments() == {
        "m1": SessionRef("coping", 1, "Noticing stress"),
        "m2": SessionRef("coping", 2, "Slowing right down"),
        "m3": None,
        "m4": None,
        "m5": None,
    }


def test_sessions_no_meeting_covers_are_listed_as_added() -> None:
    meetings = [
        meeting("m1", "held", "coping", 1, "Noticing stress"),
        meeting(
            "m2", "cancelled", "coping", 2, "Slowing down"
        ),  # cancelled: the session still needs a meeting
        meeting("m3", "planned", "support", 1, "Who is in my corner"),
    ]
    plan = plan_swap(meetings, TARGET)
    assert plan.added == (
        SessionRef("coping", 2, "Slowing right down"),
        SessionRef("coping", 4, "Asking for help"),
    )


def test_the_preview_says_what_changes_in_plain_words() -> None:
    meetings = [
        meeting("1", "held", "coping", 1, "Noticing stress"),
        meeting("2", "held", "coping", 2, "Slowing down"),
        meeting("3", "cancelled", "coping", 3, "Breathing"),
        meeting("4", "planned", "coping", 2, "Slowing down"),
        meeting("5", "planned", "coping", 3, "Breathing"),
        meeting("6", "planned", "support", 1, "Who is in my corner"),
    ]
    assert plan_swap(meetings, TARGET).summary_lines() == [
        'Moving to "Evening coping group" (evening-group 2.0.0):',
        "- 2 held meetings keep what they covered.",
        "- 1 cancelled meeting stays as it was.",
        "- 1 upcoming meeting keeps its session.",
        "- 1 upcoming meeting gets a new title:",
        '    Meeting 4: Coping, session 2: "Slowing down" → "Slowing right down"',
        "- 1 upcoming meeting loses its session (the new pack has no such session):",
        '    Meeting 5: Coping, session 3: "Breathing"',
        "- 1 session of the new pack has no meeting yet:",
        '    Coping, session 4: "Asking for help"',
    ]


def test_the_preview_without_upcoming_meetings() -> None:
    plan = plan_swap([MeetingSlot("a", "held", "coping", 1, "Noticing stress")], TARGET)
    assert plan.summary_lines() == [
        'Moving to "Evening coping group" (evening-group 2.0.0):',
        "- 1 held meeting keeps what it covered.",
        "- There are no upcoming meetings to move.",
        "- 3 sessions of the new pack have no meeting yet:",
        '    Coping, session 2: "Slowing right down"',
        '    Coping, session 4: "Asking for help"',
        '    Support, session 1: "Who is in my corner"',
    ]


def test_an_unlabelled_meeting_is_named_by_its_session() -> None:
    plan = plan_swap([MeetingSlot("a", "planned", "old-unit", 7, "Gone")], TARGET)
    assert '    old-unit, session 7: "Gone"' in plan.summary_lines()


def test_swapping_to_the_same_pack_changes_nothing() -> None:
    meetings = [
        meeting(str(number), "planned", unit.id, session.number, session.title)
        for number, (unit, session) in enumerate(
            ((unit, session) for unit in TARGET.units for session in unit.sessions), start=1
        )
    ]
    plan = plan_swap(meetings, TARGET)
    assert {item.change for item in plan.changes} == {Change.KEPT}
    assert plan.added == ()


def test_status_strings_from_the_store_are_accepted_and_typos_refused() -> None:
    assert MeetingSlot("a", "in_progress").status is MeetingStatus.IN_PROGRESS  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        MeetingSlot("a", "finished")  # type: ignore[arg-type]
