"""Every session of every bundled pack, current and earlier versions, run to its end on the session engine."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from curricula.agenda import session_length
from curricula.loader import load_pack
from sessions import Engine, ManualClock, SessionStatus, plan_agenda, session_agenda

PACKS = Path(__file__).parents[2] / "curricula" / "packs"
ALL = sorted(PACKS.glob("*.toml")) + sorted((PACKS / "previous").glob("*.toml"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_each_session_runs_every_segment_to_its_end_in_its_planned_time(path: Path) -> None:
    pack = load_pack(path).pack
    assert pack is not None
    walked = 0
    for unit in pack.units:
        for session in unit.sessions:
            plan = plan_agenda(session_agenda(pack, session), None)
            clock = ManualClock(datetime(2026, 3, 3, 18, 30, tzinfo=UTC), monotonic=1_000.0)
            engine = Engine(plan, clock=clock.monotonic, wall_clock=clock.wall)
            assert engine.start()
            for index, segment in enumerate(plan):
                assert engine.current_index == index
                assert segment.prompts.strip() or segment.kind == "break", (session.title, segment.title)
                clock.advance(segment.planned_seconds)
                assert engine.remaining() == pytest.approx(0, abs=0.01), (session.title, segment.title)
                if index < len(plan) - 1:
                    assert engine.next()
            assert engine.end() and engine.status is SessionStatus.ENDED
            assert engine.session_elapsed() == pytest.approx(session_length(pack, session) * 60, abs=0.01)
            assert engine.total_overrun() == pytest.approx(0, abs=0.01)
            walked += 1
    assert walked == sum(len(unit.sessions) for unit in pack.units) > 0
