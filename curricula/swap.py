"""A plan for moving a group's meetings to another pack or version, previewed before anything changes.

Meetings that were held (or cancelled, or are running now) keep what they covered. Planned meetings are
matched to the new pack by unit id and session number: the session is kept, renamed, or gone. Applying the
plan is the store's job; this module only works it out, from plain values, so it can be previewed freely.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from curricula.format import Pack

__all__ = ["Change", "MeetingChange", "MeetingSlot", "MeetingStatus", "SessionRef", "SwapPlan", "plan_swap"]


class MeetingStatus(enum.StrEnum):
    """A meeting's status, with the store's values (kept separate so curricula never imports the app)."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    HELD = "held"
    CANCELLED = "cancelled"


class Change(enum.StrEnum):
    """What a swap does to one meeting."""

    UNCHANGED = "unchanged"  # held, cancelled or in progress; or planned with no session to re-map
    KEPT = "kept"  # the same session exists, with the same title
    RENAMED = "renamed"  # the same unit and number exist, under another title
    REMOVED = "removed"  # the new pack has no such session: the meeting loses its session


@dataclass(frozen=True)
class SessionRef:
    """A session of a pack, as a meeting records it."""

    unit_id: str
    session_number: int
    title: str


@dataclass(frozen=True)
class MeetingSlot:
    """One of the group's meetings, as the swap needs to see it."""

    meeting_id: str
    status: MeetingStatus
    unit_id: str | None = None
    session_number: int | None = None
    title: str | None = None
    label: str = ""  # how the preview names the meeting, e.g. "Tue 3 Mar"; the session is used when empty

    def __post_init__(self) -> None:
        # Accept the store's plain status strings; a typo should fail here, not silently count as held.
        object.__setattr__(self, "status", MeetingStatus(self.status))

    @property
    def session(self) -> SessionRef | None:
        """The session the meeting covers, if it has one."""
        if self.unit_id is None or self.session_number is None:
            return None
        return SessionRef(self.unit_id, self.session_number, self.title or "")


@dataclass(frozen=True)
class MeetingChange:
    """What happens to one meeting; `new` is the session it covers after the swap (None: none)."""

    meeting: MeetingSlot
    change: Change
    new: SessionRef | None


@dataclass(frozen=True)
class SwapPlan:
    """Every meeting's fate under a swap, and the new pack's sessions no meeting covers."""

    pack_id: str
    version: str
    pack_title: str
    changes: tuple[MeetingChange, ...]
    added: tuple[SessionRef, ...]
    unit_titles: dict[str, str]

    def with_change(self, change: Change) -> list[MeetingChange]:
        """The meetings a given change applies to, in the order given."""
        return [item for item in self.changes if item.change is change]

    def assignments(self) -> dict[str, SessionRef | None]:
        """For each planned meeting, the session it will cover after the swap (None: no session)."""
        return {
            item.meeting.meeting_id: item.new
            for item in self.changes
            if item.meeting.status is MeetingStatus.PLANNED
        }

    def summary_lines(self) -> list[str]:
        """The preview, in plain words: one line per kind of change, then the details worth checking."""
        lines = [f'Moving to "{self.pack_title}" ({self.pack_id} {self.version}):']
        past = [item.meeting.status for item in self.with_change(Change.UNCHANGED)]
        held = past.count(MeetingStatus.HELD)
        cancelled = past.count(MeetingStatus.CANCELLED)
        running = past.count(MeetingStatus.IN_PROGRESS)
        bare = past.count(MeetingStatus.PLANNED)
        kept = self.with_change(Change.KEPT)
        renamed = self.with_change(Change.RENAMED)
        removed = self.with_change(Change.REMOVED)
        lines += _say(
            held, "1 held meeting keeps what it covered.", "{n} held meetings keep what they covered."
        )
        lines += _say(
            cancelled, "1 cancelled meeting stays as it was.", "{n} cancelled meetings stay as they were."
        )
        lines += _say(
            running,
            "1 meeting in progress keeps its session.",
            "{n} meetings in progress keep their sessions.",
        )
        if not (kept or renamed or removed or bare):
            lines.append("- There are no upcoming meetings to move.")
        lines += _say(
            len(kept), "1 upcoming meeting keeps its session.", "{n} upcoming meetings keep their sessions."
        )
        lines += _say(
            len(renamed), "1 upcoming meeting gets a new title:", "{n} upcoming meetings get a new title:"
        )
        lines += [
            f'    {self._name(item.meeting)} → "{item.new.title}"' for item in renamed if item.new is not None
        ]
        lines += _say(
            len(removed),
            "1 upcoming meeting loses its session (the new pack has no such session):",
            "{n} upcoming meetings lose their sessions (the new pack has no such sessions):",
        )
        lines += [f"    {self._name(item.meeting)}" for item in removed]
        lines += _say(
            bare,
            "1 upcoming meeting has no session and stays without one.",
            "{n} upcoming meetings have no session and stay without one.",
        )
        lines += _say(
            len(self.added),
            "1 session of the new pack has no meeting yet:",
            "{n} sessions of the new pack have no meeting yet:",
        )
        lines += [f"    {self._describe(session)}" for session in self.added]
        return lines

    def _describe(self, session: SessionRef) -> str:
        """`Everyday coping, session 2: "Slowing down"`."""
        unit = self.unit_titles.get(session.unit_id, session.unit_id)
        return f'{unit}, session {session.session_number}: "{session.title}"'

    def _name(self, meeting: MeetingSlot) -> str:
        """A meeting and the session it had: `Tue 3 Mar: Everyday coping, session 2: "Slowing down"`."""
        old = meeting.session
        described = self._describe(old) if old is not None else "no session"
        return f"{meeting.label}: {described}" if meeting.label else described


def plan_swap(meetings: Sequence[MeetingSlot], target: Pack) -> SwapPlan:
    """Work out what moving `meetings` to `target` would change, without changing anything."""
    sessions = {
        (unit.id, session.number): SessionRef(unit.id, session.number, session.title)
        for unit in target.units
        for session in unit.sessions
    }
    changes = tuple(_change(meeting, sessions) for meeting in meetings)
    # A cancelled meeting did not cover its session, so that session still needs a meeting.
    covered = {
        (item.new.unit_id, item.new.session_number)
        for item in changes
        if item.new is not None and item.meeting.status is not MeetingStatus.CANCELLED
    }
    added = tuple(session for key, session in sessions.items() if key not in covered)
    unit_titles = {unit.id: unit.title for unit in target.units}
    return SwapPlan(target.id, target.version, target.title, changes, added, unit_titles)


def _change(meeting: MeetingSlot, sessions: dict[tuple[str, int], SessionRef]) -> MeetingChange:
    """One meeting's fate: past and running meetings stay; planned ones are re-mapped by unit and number."""
    old = meeting.session
    if meeting.status is not MeetingStatus.PLANNED or old is None:
        return MeetingChange(meeting, Change.UNCHANGED, old)
    new = sessions.get((old.unit_id, old.session_number))
    if new is None:
        return MeetingChange(meeting, Change.REMOVED, None)
    return MeetingChange(meeting, Change.KEPT if new.title == old.title else Change.RENAMED, new)


def _say(number: int, one: str, many: str) -> list[str]:
    """A summary line agreeing with `number` (`many` may use {n}), or no line when it is zero."""
    if number == 0:
        return []
    return ["- " + (one if number == 1 else many.format(n=number))]
