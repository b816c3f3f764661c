"""The open IMR-style pack fits a drop-in: stand-alone sessions, newcomers every week, staying well often."""

from __future__ import annotations

from pathlib import Path

from curricula.agenda import session_agenda
from curricula.format import Pack, SegmentKind, Technique
from curricula.loader import load_pack

PACK = Path(__file__).parents[2] / "curricula" / "packs" / "imr-open-style.toml"
# The fidelity scale's nine topics (item 3), as the open pack's units cover them.
TOPICS = {
    "recovery strategies": {"recovery"},
    "illness facts": {"facts"},
    "stress-vulnerability": {"stress"},
    "social support": {"support"},
    "medication": {"medication"},
    "relapse prevention": {"staying-well-1", "staying-well-2", "staying-well-3"},
    "stress management": {"stress"},
    "coping with symptoms": {"symptoms"},
    "mental health system": {"services"},
}


def load() -> Pack:
    result = load_pack(PACK)
    assert result.problems == [], [str(p) for p in result.problems]
    assert result.pack is not None
    return result.pack


def test_every_session_opens_with_a_recap_for_newcomers_and_a_first_goal_corner() -> None:
    pack = load()
    for unit in pack.units:
        for session in unit.sessions:
            agenda = session_agenda(pack, session)
            recap = agenda[1]
            assert recap.kind is SegmentKind.WELCOME and recap.minutes == 2 and "new" in recap.title
            goals = [s for s in agenda if s.kind is SegmentKind.GOAL_FOLLOW_UP]
            assert [s.title for s in goals] == ["Goal follow-up in pairs", "A first goal for anyone new"]
            assert "pair" in goals[0].prompts  # works in a big room
            assert sum(s.minutes for s in agenda) == pack.session_minutes
            assert any(s.kind is SegmentKind.BREAK for s in agenda)


def test_nobody_waits_more_than_about_ten_weeks_for_staying_well_wherever_they_join() -> None:
    pack = load()
    weeks = [unit.id for unit in pack.units for _ in unit.sessions]
    staying_well = [week for week, unit_id in enumerate(weeks) if unit_id.startswith("staying-well")]
    assert len(staying_well) >= 2
    cycle = len(weeks)
    for joined in range(cycle):
        wait = min((week - joined) % cycle for week in staying_well)
        assert wait <= 10, f"someone joining in week {joined + 1} waits {wait} weeks"
    for unit in pack.units:
        if unit.id.startswith("staying-well"):
            assert all(
                any(Technique.RELAPSE_PREVENTION in s.techniques for s in session.agenda)
                for session in unit.sessions
            )


def test_the_cycle_covers_the_nine_fidelity_topics_and_tailors_only_for_medication() -> None:
    pack = load()
    units = {unit.id for unit in pack.units}
    for topic, covering in TOPICS.items():
        assert covering & units, topic
    tailoring = {
        unit.id
        for unit in pack.units
        for session in unit.sessions
        for segment in session.agenda
        if Technique.BEHAVIOURAL_TAILORING in segment.techniques
    }
    assert tailoring == {"medication"}
    assert pack.group_size == 8
    handouts = [h for unit in pack.units for s in unit.sessions for h in s.handouts]
    assert sum(h.startswith("IMR toolkit handout") for h in handouts) == sum(
        len(u.sessions) for u in pack.units
    )
