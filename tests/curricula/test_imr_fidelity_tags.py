"""The IMR-style pack's technique tags say what the IMR fidelity scale expects of each module, and no more.

The fidelity self-check counts tags, so a tag on the wrong segment credits a group with work it never did:
"behavioural tailoring for medication" (item 13) for a group that never ran the medication module, or
motivational and cognitive-behavioural techniques (items 8 and 10) in every session because the template
says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curricula.format import Pack, Technique, Unit
from curricula.loader import load_pack

PACK = Path(__file__).parents[2] / "curricula" / "packs" / "imr-style.toml"
T = Technique

# What each module must teach, by the fidelity item it serves: every session of the module carries the tag.
EVERY_SESSION: dict[str, set[Technique]] = {
    "using-medication": {T.EDUCATIONAL},
    "reducing-relapses": {T.RELAPSE_PREVENTION},  # item 12: a relapse prevention plan
    "coping-with-stress": {T.COPING_SKILLS},  # item 11
    "coping-with-problems": {T.COPING_SKILLS},  # item 11
}
# Somewhere in the module.
SOMEWHERE: dict[str, set[Technique]] = {
    "using-medication": {T.BEHAVIOURAL_TAILORING},  # item 13
    "social-support": {T.SIGNIFICANT_OTHERS},  # item 5
    "reducing-relapses": {T.SIGNIFICANT_OTHERS},  # a plan shared with supporters
}
# Only these modules may claim these techniques.
ONLY_IN: dict[Technique, set[str]] = {
    T.BEHAVIOURAL_TAILORING: {"using-medication"},
    T.RELAPSE_PREVENTION: {"reducing-relapses", "drug-and-alcohol", "needs-met"},
}
ROLE_PLAY = re.compile(r"role-?play|\bmodel", re.IGNORECASE)


@pytest.fixture(scope="module")
def pack() -> Pack:
    result = load_pack(PACK)
    assert result.pack is not None, [str(p) for p in result.problems]
    return result.pack


def tags(unit: Unit) -> list[set[Technique]]:
    """The techniques of each session's own segments (the template's are checked on their own)."""
    return [{t for segment in session.agenda for t in segment.techniques} for session in unit.sessions]


def test_the_template_credits_no_technique_to_every_session(pack: Pack) -> None:
    assert pack.template is not None
    assert [s.title for s in pack.template.agenda if s.techniques] == []


def test_each_module_carries_the_techniques_its_fidelity_items_expect(pack: Pack) -> None:
    units = {unit.id: unit for unit in pack.units}
    assert set(EVERY_SESSION) | set(SOMEWHERE) <= set(units)
    for unit_id, wanted in EVERY_SESSION.items():
        for number, used in enumerate(tags(units[unit_id]), start=1):
            assert wanted <= used, f"{unit_id} session {number} lacks {wanted - used}"
    for unit_id, wanted in SOMEWHERE.items():
        used = set().union(*tags(units[unit_id]))
        assert wanted <= used, f"{unit_id} lacks {wanted - used}"


def test_techniques_tied_to_a_module_are_claimed_only_there(pack: Pack) -> None:
    for technique, allowed in ONLY_IN.items():
        claimed = {unit.id for unit in pack.units if any(technique in used for used in tags(unit))}
        assert claimed <= allowed, f"{technique} claimed in {sorted(claimed - allowed)}"


def test_every_session_is_educational_and_motivational_in_its_own_right(pack: Pack) -> None:
    # Items 8 and 9 expect these nearly every session; with the template silent, the sessions must say so.
    for unit in pack.units:
        for session, used in zip(unit.sessions, tags(unit), strict=True):
            if session.use_template:
                assert T.EDUCATIONAL in used or T.MOTIVATIONAL in used, f"{unit.id} {session.number}"
    motivational = sum(T.MOTIVATIONAL in used for unit in pack.units for used in tags(unit))
    sessions = sum(len(unit.sessions) for unit in pack.units)
    assert motivational >= sessions * 3 // 4


def test_a_role_play_or_modelled_skill_counts_as_cognitive_behavioural(pack: Pack) -> None:
    untagged = [
        f"{unit.id} {session.number}: {segment.title}"
        for unit in pack.units
        for session in unit.sessions
        for segment in session.agenda
        if segment.kind == "practice"
        and ROLE_PLAY.search(segment.title + segment.prompts)
        and T.COGNITIVE_BEHAVIOURAL not in segment.techniques
    ]
    assert untagged == []
