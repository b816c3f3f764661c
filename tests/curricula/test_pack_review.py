"""The fixes from the packs' review stay made: safety words, first nights, breaks and the packs' own shape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curricula.agenda import session_agenda
from curricula.format import Pack, Segment, SegmentKind
from curricula.loader import load_pack

PACKS = Path(__file__).parents[2] / "curricula" / "packs"
CURRENT = sorted(PACKS.glob("*.toml"))
# Large print, reading aloud, scribing, interpreters and running online, in each pack's language.
ACCESS_NEEDS = {
    "en": ("large print", "reading aloud", "scrib", "interpreter", "online"),
    "es": ("letra grande", "voz alta", "escribir por", "intérprete", "en línea"),
}


def load(pack_id: str) -> Pack:
    result = load_pack(PACKS / f"{pack_id}.toml")
    assert result.pack is not None, [str(p) for p in result.problems]
    return result.pack


def segments(pack: Pack) -> list[Segment]:
    return [segment for unit in pack.units for session in unit.sessions for segment in session.agenda]


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.stem)
def test_every_pack_names_its_changes_and_has_accessibility_notes(path: Path) -> None:
    pack = load(path.stem)
    assert pack.changelog and pack.changelog[0].version == pack.version
    assert len(pack.accessibility) >= 4
    notes = " ".join(pack.accessibility).lower()
    for need in ACCESS_NEEDS[pack.language]:
        assert need in notes, need


@pytest.mark.parametrize("pack_id", ["dual-recovery-style", "imr-style"])
def test_wherever_stopping_a_substance_comes_up_so_does_withdrawal_safety(pack_id: str) -> None:
    stopping = re.compile(r"period without a substance|\(stop, cut down|plan is to stop|stopping a substance")
    found = [s for s in segments(load(pack_id)) if stopping.search(s.prompts)]
    assert found
    for segment in found:
        words = segment.prompts.lower()
        assert "seizures" in words and "doctor" in words and "benzodiazepines" in words, segment.title


def test_the_overdose_and_naloxone_messages_are_kept() -> None:
    text = " ".join(s.prompts for s in segments(load("dual-recovery-style")))
    assert "naloxone" in text and "overdose" in text


def test_dual_recovery_is_open_and_rotating_by_default_with_a_break() -> None:
    pack = load("dual-recovery-style")
    assert "stage belongs to the person" in pack.description
    assert "open and rotating" in pack.description
    assert not any(re.search(r"week \d+|16-week course", unit.title) for unit in pack.units)
    for unit in pack.units:
        for session in unit.sessions:
            kinds = [s.kind for s in session_agenda(pack, session)]
            assert kinds.count(SegmentKind.BREAK) == 1, session.title


def test_dbt_first_night_explains_the_class_first_and_every_session_names_the_risk_procedure() -> None:
    pack = load("dbt-skills-style")
    first = session_agenda(pack, pack.units[0].sessions[0])
    assert first[0].kind is SegmentKind.WELCOME
    assert SegmentKind.HOME_ASSIGNMENT_REVIEW not in [s.kind for s in first]
    assert "not the whole of it" in first[0].prompts
    for unit in pack.units:
        for session in unit.sessions:
            text = " ".join(s.prompts for s in session_agenda(pack, session))
            assert "risk procedure" in text or "service's procedure" in text, session.title
    assert "not a treatment on its own" in pack.description


def test_imr_first_sessions_look_ahead_briefly_and_the_relapse_plan_has_a_crisis_step() -> None:
    pack = load("imr-style")
    assert pack.group_size == 8
    follow_ups = [
        next(s for s in session_agenda(pack, session) if s.kind is SegmentKind.GOAL_FOLLOW_UP)
        for session in pack.units[0].sessions
    ]
    assert [s.minutes for s in follow_ups] == [5, 5, 5, 15]
    relapse = next(u for u in pack.units if u.id == "reducing-relapses")
    plan = next(s for s in relapse.sessions[2].agenda if s.title == "What goes into a plan")
    assert "crisis" in plan.prompts and "emergency number" in plan.prompts
    for count in ("Building Social Support 5 here (7 there)", "Coping with Stress 4 here (5 there)"):
        assert count in pack.source.replace("\n", " ")


def test_the_open_group_template_keeps_its_promises() -> None:
    pack = load("open-group")
    assert pack.template is not None
    agenda = pack.template.agenda
    assert [s.kind for s in agenda].count(SegmentKind.BREAK) == 1
    check_in = agenda[0]
    assert "at the break" in check_in.prompts and "leave the room" in check_in.prompts
    slot = next(s for s in agenda if s.slot)
    assert (
        slot.prompts.count("*what") + slot.prompts.count("*who") >= 5
    )  # fallback topics, each with a question
    assert sum(s.minutes for s in agenda) == pack.session_minutes


def test_the_family_class_uses_no_staged_model_of_feelings() -> None:
    pack = load("family-to-family-style")
    text = " ".join(s.prompts for s in segments(pack)) + " ".join(
        item
        for u in pack.units
        for s in u.sessions
        for item in s.objectives + s.handouts + s.home_assignments
    )
    assert "stages" not in text.lower()
    assert "many people recover a lot" not in text
