"""Any template can ask its check-in as the recovery-areas round (CHIME), in the pack's language."""

from __future__ import annotations

from pathlib import Path

from curricula.agenda import session_agenda
from curricula.format import SegmentKind
from curricula.loader import load_pack_text
from tests.curricula.pack_samples import VALID_PACK

PACKS = Path(__file__).parents[2] / "curricula" / "packs"
AREAS = ("Connection", "Hope", "Identity", "Meaning", "Empowerment")


def with_template_line(text: str, line: str) -> str:
    return text.replace("[[template.agenda]]", f"[template]\n{line}\n\n[[template.agenda]]", 1)


def bundled_text(pack_id: str) -> str:
    return (PACKS / f"{pack_id}.toml").read_text(encoding="utf-8")


def test_a_chime_template_asks_every_check_in_by_the_five_areas_keeping_title_and_minutes() -> None:
    own = load_pack_text(bundled_text("open-group"), "open-group.toml").pack
    chime = load_pack_text(
        with_template_line(bundled_text("open-group"), 'check_in = "chime"'), "o.toml"
    ).pack
    assert own is not None and chime is not None
    for before_session, after_session in zip(own.units[0].sessions, chime.units[0].sessions, strict=True):
        before, after = session_agenda(own, before_session), session_agenda(chime, after_session)
        assert [(s.title, s.kind, s.minutes) for s in before] == [(s.title, s.kind, s.minutes) for s in after]
        for old, new in zip(before, after, strict=True):
            if new.kind is SegmentKind.CHECK_IN:
                assert all(f"**{area}**" in new.prompts for area in AREAS)
                assert not any(f"**{area}**" in old.prompts for area in AREAS)
            else:
                assert new.prompts == old.prompts


def test_the_round_is_in_the_pack_s_language() -> None:
    text = with_template_line(bundled_text("open-group"), 'check_in = "chime"').replace(
        "format = 1", 'format = 1\nlanguage = "es-MX"', 1
    )
    pack = load_pack_text(text, "o.toml").pack
    assert pack is not None
    check_in = session_agenda(pack, pack.units[0].sessions[0])[0]
    assert "**Esperanza**" in check_in.prompts and "**Hope**" not in check_in.prompts


def test_an_unknown_check_in_style_is_a_problem_at_its_line() -> None:
    result = load_pack_text(with_template_line(VALID_PACK, 'check_in = "chimes"'), "bad.toml")
    assert result.pack is None
    [problem] = result.errors
    assert 'template.check_in: "chimes" is not a check-in style; use one of: own, chime' in str(problem)
    assert 'did you mean "chime"?' in str(problem)
