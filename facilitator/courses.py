"""Courses: from a curriculum pack to the records a group's meetings keep."""

from __future__ import annotations

import tomllib
from importlib import resources

import msgspec

from curricula.agenda import session_agenda
from curricula.format import Pack
from facilitator.store.records import AgendaItem, SessionRef


def load_bundled_pack(pack_id: str) -> Pack:
    """A bundled pack by id (the demo relies on them being valid)."""
    text = (resources.files("curricula") / "packs" / f"{pack_id}.toml").read_text(encoding="utf-8")
    return msgspec.convert(tomllib.loads(text), Pack)


def course_sessions(pack: Pack) -> list[SessionRef]:
    """Every session of a pack in course order."""
    return [
        SessionRef(unit_id=u.id, session_number=s.number, title=s.title, unit_title=u.title)
        for u in pack.units
        for s in u.sessions
    ]


def planned_agenda(pack: Pack, unit_id: str, number: int) -> list[AgendaItem]:
    """A session's agenda as planned, from the pack's template and the session's own segments."""
    unit = next(u for u in pack.units if u.id == unit_id)
    session = next(s for s in unit.sessions if s.number == number)
    segments = session_agenda(pack, session)
    return [AgendaItem(title=s.title, kind=str(s.kind), planned_seconds=s.minutes * 60) for s in segments]
