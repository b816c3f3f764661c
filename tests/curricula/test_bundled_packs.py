"""The bundled packs load clean and have the structure their programmes call for."""

from __future__ import annotations

from pathlib import Path

import pytest

from curricula.agenda import session_agenda, session_length
from curricula.format import Pack, SegmentKind, Stage, Technique
from curricula.loader import load_pack

PACKS = Path(__file__).parents[2] / "curricula" / "packs"
IMR_ORDER = [
    SegmentKind.CHECK_IN,
    SegmentKind.REVIEW,
    SegmentKind.HOME_ASSIGNMENT_REVIEW,
    SegmentKind.GOAL_FOLLOW_UP,
    SegmentKind.AGENDA,
    # ... the session's own teaching and practice ...
    SegmentKind.SUMMARY,
    SegmentKind.HOME_ASSIGNMENT,
]


def load(pack_id: str) -> Pack:
    result = load_pack(PACKS / f"{pack_id}.toml")
    assert result.problems == [], [str(p) for p in result.problems]
    assert result.pack is not None
    return result.pack


def sessions(pack: Pack) -> list:
    return [s for u in pack.units for s in u.sessions]


@pytest.mark.parametrize("path", sorted(PACKS.glob("*.toml")), ids=lambda p: p.stem)
def test_every_bundled_pack_loads_without_a_problem(path: Path) -> None:
    result = load_pack(path)
    assert result.problems == [], [str(p) for p in result.problems]
    pack = result.pack
    assert pack.id == path.stem
    for session in sessions(pack):
        agenda = session_agenda(pack, session)
        assert sum(s.minutes for s in agenda) == session_length(pack, session), session.title
        assert session.objectives and session.home_assignments, session.title
        assert all(s.prompts.strip() for s in agenda if s.kind is not SegmentKind.BREAK), session.title


def imr_shape(pack: Pack, *, breaks: int = 0) -> None:
    """The IMR session order, with the session's own teaching between; `breaks` breaks may sit among it."""
    for session in sessions(pack):
        kinds = [s.kind for s in session_agenda(pack, session)]
        assert kinds[:5] == IMR_ORDER[:5] and kinds[-2:] == IMR_ORDER[5:], session.title
        own = kinds[5:-2]
        assert own.count(SegmentKind.BREAK) == breaks, session.title
        assert own and all(
            k in (SegmentKind.TEACHING, SegmentKind.PRACTICE, SegmentKind.DISCUSSION, SegmentKind.BREAK)
            for k in own
        )


def test_imr_has_the_eleven_modules_on_the_imr_session_structure() -> None:
    pack = load("imr-style")
    assert len(pack.units) == 11
    assert all(3 <= len(u.sessions) <= 7 for u in pack.units)
    assert [u.id for u in pack.units][:3] == [
        "recovery-strategies",
        "practical-facts",
        "stress-vulnerability",
    ]
    imr_shape(pack)


@pytest.mark.parametrize("pack_id", ["family-to-family-style", "wrap-style"])
def test_eight_sessions_of_about_two_and_a_half_hours_with_a_break(pack_id: str) -> None:
    pack = load(pack_id)
    assert len(sessions(pack)) == 8 and pack.facilitators == 2
    for session in sessions(pack):
        assert session_length(pack, session) == 150
        assert any(s.kind is SegmentKind.BREAK for s in session_agenda(pack, session))


def test_dbt_cycle_has_mindfulness_between_the_other_modules() -> None:
    pack = load("dbt-skills-style")
    assert len(sessions(pack)) == 24
    modules = [u.id.rstrip("-0123456789") for u in pack.units]
    assert modules == [
        "mindfulness",
        "distress-tolerance",
        "mindfulness",
        "emotion-regulation",
        "mindfulness",
        "interpersonal-effectiveness",
    ]


def test_dual_recovery_follows_the_stages_with_techniques_and_stage_prompts() -> None:
    pack = load("dual-recovery-style")
    assert [u.id for u in pack.units] == [
        "engagement",
        "persuasion",
        "active-treatment",
        "relapse-prevention",
    ]
    assert 14 <= len(sessions(pack)) <= 18
    assert all(75 <= session_length(pack, s) <= 90 for s in sessions(pack))
    imr_shape(pack, breaks=1)
    for unit in pack.units:
        used = {t for s in unit.sessions for seg in s.agenda for t in seg.techniques}
        assert used, unit.id
        for session in unit.sessions:
            staged = [seg for seg in session.agenda if len(seg.stage_prompts) >= 2]
            assert staged, session.title
            assert set(staged[0].stage_prompts) <= set(Stage)
    persuasion = pack.units[1]
    assert any(Technique.MOTIVATIONAL in seg.techniques for s in persuasion.sessions for seg in s.agenda)


def test_open_group_is_a_short_template() -> None:
    pack = load("open-group")
    assert pack.template is not None and any(s.slot for s in pack.template.agenda)
    assert 1 <= len(sessions(pack)) <= 6


def test_the_spanish_family_class_is_adapted_not_only_translated() -> None:
    pack = load("clase-para-familias-es")
    assert pack.language == "es" and pack.facilitators == 2
    assert len(sessions(pack)) == 8
    for session in sessions(pack):
        assert session_length(pack, session) == 150
        assert any(s.kind is SegmentKind.BREAK for s in session_agenda(pack, session))
    communication = [s for s in sessions(pack) if "omunicación" in s.title or "límites" in s.title]
    assert len(communication) == 2
    for session in communication:
        assert "familismo" in " ".join(seg.prompts for seg in session.agenda).lower(), session.title
    roles = next(s for s in sessions(pack) if s.number == 1)
    assert "papeles-en-la-familia" in roles.sheets
    assert any(seg.title == "Los papeles en la familia" for seg in roles.agenda)
