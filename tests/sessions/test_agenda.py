"""A session's agenda: composition from a pack, and scaling to the group's length."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curricula.format import Pack, Segment, SegmentKind, Session, Stage, Technique, Template, Unit
from sessions import MIN_SEGMENT_SECONDS, plan_agenda, session_agenda

WELCOME = Segment(title="Welcome", kind=SegmentKind.WELCOME, minutes=10)
SLOT = Segment(title="Today's topic", kind=SegmentKind.TEACHING, minutes=35, slot=True)
CLOSING = Segment(title="Closing", kind=SegmentKind.CLOSING, minutes=15)
TEACH = Segment(title="What stress looks like", kind=SegmentKind.TEACHING, minutes=20)
PRACTICE = Segment(title="A body scan", kind=SegmentKind.PRACTICE, minutes=15)


def make_pack(template: Template | None, session: Session) -> Pack:
    """A one-unit pack holding `session`."""
    unit = Unit(id="coping", title="Coping", sessions=[session])
    return Pack(id="test-pack", title="Test", version="1.0.0", template=template, units=[unit])


def titles(segments: list[Segment]) -> list[str]:
    """The titles, in order."""
    return [segment.title for segment in segments]


def test_the_session_fills_the_templates_slot() -> None:
    session = Session(number=1, title="Stress", agenda=[TEACH, PRACTICE])
    pack = make_pack(Template(agenda=[WELCOME, SLOT, CLOSING]), session)
    assert titles(session_agenda(pack, session)) == [
        "Welcome",
        "What stress looks like",
        "A body scan",
        "Closing",
    ]


def test_a_session_without_an_agenda_keeps_the_slot() -> None:
    session = Session(number=1, title="Stress")
    pack = make_pack(Template(agenda=[WELCOME, SLOT, CLOSING]), session)
    assert titles(session_agenda(pack, session)) == ["Welcome", "Today's topic", "Closing"]


def test_a_template_without_a_slot_gives_way_to_the_sessions_agenda() -> None:
    session = Session(number=1, title="Stress", agenda=[TEACH])
    pack = make_pack(Template(agenda=[WELCOME, CLOSING]), session)
    assert titles(session_agenda(pack, session)) == ["What stress looks like"]


def test_a_template_without_a_slot_is_the_agenda_of_a_session_without_one() -> None:
    session = Session(number=1, title="Stress")
    pack = make_pack(Template(agenda=[WELCOME, CLOSING]), session)
    assert titles(session_agenda(pack, session)) == ["Welcome", "Closing"]


def test_use_template_false_ignores_the_template() -> None:
    session = Session(number=1, title="Stress", agenda=[PRACTICE], use_template=False)
    pack = make_pack(Template(agenda=[WELCOME, SLOT, CLOSING]), session)
    assert titles(session_agenda(pack, session)) == ["A body scan"]


def test_without_a_template_the_session_agenda_is_all() -> None:
    session = Session(number=1, title="Stress", agenda=[TEACH, PRACTICE])
    assert titles(session_agenda(make_pack(None, session), session)) == [
        "What stress looks like",
        "A body scan",
    ]


def test_composition_leaves_the_pack_alone() -> None:
    session = Session(number=1, title="Stress", agenda=[TEACH])
    template = Template(agenda=[WELCOME, SLOT, CLOSING])
    session_agenda(make_pack(template, session), session).append(PRACTICE)
    assert titles(template.agenda) == ["Welcome", "Today's topic", "Closing"]
    assert titles(session.agenda) == ["What stress looks like"]


def test_planning_without_a_length_keeps_the_packs_minutes() -> None:
    planned = plan_agenda([WELCOME, SLOT, CLOSING], None)
    assert [segment.planned_seconds for segment in planned] == [600, 2100, 900]


def test_planning_carries_what_the_screen_shows() -> None:
    segment = Segment(
        title="Practice",
        kind=SegmentKind.PRACTICE,
        minutes=5,
        prompts="Breathe *slowly*.",
        techniques=[Technique.COPING_SKILLS],
        stage_prompts={Stage.ENGAGEMENT: "Just listen."},
    )
    [planned] = plan_agenda([segment], None)
    assert (planned.title, planned.kind, planned.prompts) == ("Practice", "practice", "Breathe *slowly*.")
    assert planned.techniques == ["coping-skills"]
    assert planned.stage_prompts == {"engagement": "Just listen."}
    assert type(planned.kind) is str and type(planned.techniques[0]) is str


def test_scaling_keeps_proportions() -> None:
    # 10 + 35 + 15 = 60 minutes, stretched to 90: every segment by half again.
    planned = plan_agenda([WELCOME, SLOT, CLOSING], 90)
    assert [segment.planned_seconds for segment in planned] == [900, 3150, 1350]


def segments_of(*minutes: int) -> list[Segment]:
    """Pack segments of these many minutes."""
    return [Segment(title=f"S{i}", minutes=m) for i, m in enumerate(minutes)]


def seconds_for(minutes: tuple[int, ...], session_minutes: int) -> list[int]:
    """The planned seconds of segments of `minutes`, scaled to `session_minutes`."""
    return [segment.planned_seconds for segment in plan_agenda(segments_of(*minutes), session_minutes)]


def test_scaling_splits_evenly_when_it_can() -> None:
    assert seconds_for((1, 1, 1), 10) == [200, 200, 200]
    assert seconds_for((3, 3, 3, 1), 61) == [1098, 1098, 1098, 366]


def test_uneven_splits_place_leftover_seconds_by_largest_remainder_then_order() -> None:
    # 660 s in 2:3:2 is 188.57, 282.86, 188.57: the floors leave 2 s, for S1 (.86) then S0 (.57, earlier).
    assert seconds_for((2, 3, 2), 11) == [189, 283, 188]
    # 600 s over seven equal segments is 85.71 each: the 5 s left over go to the first five.
    assert seconds_for((1,) * 7, 10) == [86, 86, 86, 86, 86, 85, 85]


def test_no_segment_falls_under_a_minute_when_the_session_allows() -> None:
    # 1:2 of 120 s would be 40 and 80; the first is lifted to 60 and the second gets what is left.
    assert seconds_for((1, 2), 2) == [60, 60]
    # 1:10:50 of 600 s: S0's 9.8 s is lifted to 60 and the other two share 540 s as 10:50.
    assert seconds_for((1, 10, 50), 10) == [60, 90, 450]
    # A floor is not a share: 300 s would allow 75 each, but S2 and S3 need only their proportion.
    assert seconds_for((1, 1, 100, 200), 5) == [60, 60, 60, 120]


def test_a_session_too_short_for_a_minute_each_gives_each_as_much_as_it_can() -> None:
    # 120 s for three: the floor drops to 40 s, which is then all there is.
    assert seconds_for((1, 10, 1), 2) == [40, 40, 40]
    assert seconds_for((1, 1, 10, 10), 3) == [45, 45, 45, 45]


def test_planning_refuses_a_session_of_no_minutes() -> None:
    with pytest.raises(ValueError, match="at least one minute"):
        plan_agenda([WELCOME], 0)


def test_planning_an_empty_agenda_is_empty() -> None:
    assert plan_agenda([], 90) == []


@given(
    minutes=st.lists(st.integers(min_value=1, max_value=600), min_size=1, max_size=12),
    session_minutes=st.integers(min_value=1, max_value=600),
)
def test_scaling_is_exact_fair_and_floored(minutes: list[int], session_minutes: int) -> None:
    segments = [Segment(title=str(i), minutes=m) for i, m in enumerate(minutes)]
    seconds = [segment.planned_seconds for segment in plan_agenda(segments, session_minutes)]
    total = session_minutes * 60
    assert sum(seconds) == total
    floor = min(MIN_SEGMENT_SECONDS, total // len(minutes))
    assert min(seconds) >= floor
    # A longer segment in the pack is never planned shorter than a shorter one.
    for a, b in zip(minutes, seconds, strict=True):
        for c, d in zip(minutes, seconds, strict=True):
            if a > c:
                assert b >= d
    exact = [Fraction(total * m, sum(minutes)) for m in minutes]
    if min(exact) >= floor:
        # Nothing needed the floor: each is its exact share, rounded to a neighbouring second.
        assert all(abs(s - e) < 1 for s, e in zip(seconds, exact, strict=True))
