"""Messages shared between screens."""

from __future__ import annotations

from textual.message import Message


class StoreLoaded(Message):
    """Every table of the store is loaded: screens may compute what needs the big tables."""


# Where to go next: a screen posts one of these and the app, the one router, opens the screen for it.


class OpenGroup(Message):
    """Show a group; with a held meeting, its attendance grid opens on that meeting."""

    def __init__(self, group_id: str, meeting_id: str | None = None) -> None:
        super().__init__()
        self.group_id = group_id
        self.meeting_id = meeting_id


class OpenPerson(Message):
    """Show one participant's screen."""

    def __init__(self, participant_id: str) -> None:
        super().__init__()
        self.participant_id = participant_id


class OpenReports(Message):
    """Show the Reports screen on a group or a person (or on the first group when neither is given)."""

    def __init__(self, group_id: str | None = None, participant_id: str | None = None) -> None:
        super().__init__()
        self.group_id = group_id
        self.participant_id = participant_id


class StartMeeting(Message):
    """Open the Run Session screen on a meeting."""

    def __init__(self, meeting_id: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id


class OpenConflicts(Message):
    """Show the conflict log: versions merges set aside, beside the ones kept."""


class OpenRoomDisplay(Message):
    """Show the room display of a session being run in this window."""

    def __init__(self, meeting_id: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
