"""What the Group screen's two sets of actions (the roster's, the meetings') may use of the screen.

`GroupScreen` composes a `RosterActions` and a `MeetingActions`, each given the screen as a `GroupPage`. The
members below are the whole of what they rely on, so a type checker holds the screen to it.
"""

from __future__ import annotations

from datetime import tzinfo

from facilitator.screens.base import AppScreen
from facilitator.store.records import Enrollment, Group, Meeting, Participant


class GroupPage(AppScreen):
    """A screen showing one group, its roster and its meetings."""

    group: Group
    group_id: str
    zone: tzinfo
    roster: list[tuple[Enrollment, Participant]]

    @property
    def view(self) -> str:
        """Which view is showing: attendance, roster or meetings."""
        raise NotImplementedError

    def reload(self) -> None:
        """Read the group again and show it."""
        raise NotImplementedError

    def selected_person(self) -> tuple[Enrollment, Participant] | None:
        """The person picked in the showing view, or None (having said where to pick one)."""
        raise NotImplementedError

    def selected_meeting(self, key: str) -> Meeting | None:
        """The meeting picked in the showing view, or None (having said where to pick one)."""
        raise NotImplementedError
