"""How a session's agenda is made from the pack's template and the session's own segments.

The rules are the ones in `curricula/FORMAT.md` ("How a session's agenda is made"). The loader applies them to
the raw TOML tree (to warn about long agendas before the pack is valid) and the rest of the app to a `Pack`,
so the composition itself is written once, over any kind of segment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from curricula.checkins import with_check_in
from curricula.format import Pack, Segment, Session

S = TypeVar("S")


def compose_agenda(
    template: Sequence[S] | None, own: Sequence[S], use_template: bool, is_slot: Callable[[S], bool]
) -> list[S]:
    """The segments a session runs, given the template's segments (None: no template) and its own."""
    if template is None or not use_template:
        return list(own)
    slot = next((index for index, segment in enumerate(template) if is_slot(segment)), None)
    if slot is None:
        # A template without a slot has nowhere to put the session's own segments, so those win outright.
        return list(own) if own else list(template)
    if not own:
        return list(template)
    # Only the first slot is filled, as in sessions/agenda.py; a second slot is an error the loader reports.
    return [*template[:slot], *own, *template[slot + 1 :]]


def session_agenda(pack: Pack, session: Session) -> list[Segment]:
    """One session's whole agenda, template included, its check-ins asked as the template says."""
    template = pack.template.agenda if pack.template is not None else None
    agenda = compose_agenda(template, session.agenda, session.use_template, lambda segment: segment.slot)
    return with_check_in(pack, agenda)


def session_length(pack: Pack, session: Session) -> int:
    """The planned length of one session in minutes: its own, or the pack's usual length."""
    return session.minutes if session.minutes is not None else pack.session_minutes
