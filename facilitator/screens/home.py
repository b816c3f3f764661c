"""Home: what is coming up in the next 7 days and the groups in progress."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from facilitator.display import human_datetime, literal, relative
from facilitator.store.records import GroupStatus, MeetingStatus

WELCOME = (
    "Welcome to Facilitator.\n\n"
    "There are no groups in this database yet. To look around first, quit (q) and run "
    "`facilitator demo`, which opens a demo database of invented people. Creating groups from a course "
    "pack comes with the Groups screen."
)


class HomeScreen(Screen[None]):
    """Today and the next 7 days, and the groups in progress."""

    TITLE = "Home"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Coming up (next 7 days)", classes="section-title")
        yield DataTable(id="upcoming", cursor_type="row", zebra_stripes=True)
        yield Static("Groups", classes="section-title")
        yield DataTable(id="groups", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        now = self.app.clock()  # type: ignore[attr-defined]
        groups = store.groups()
        if not groups:
            self.query_one("#upcoming").display = False
            self.mount(Static(WELCOME, id="welcome", markup=False), after=self.query_one("#groups"))
            return
        upcoming = self.query_one("#upcoming", DataTable)
        upcoming.clear(columns=True)
        upcoming.add_columns("When", "", "Group", "Session")
        soon = []
        for group in groups:
            for meeting in store.group_meetings(group.id):
                if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS) and (
                    now - timedelta(hours=3) <= meeting.scheduled_start <= now + timedelta(days=7)
                ):
                    soon.append((meeting, group))
        for meeting, group in sorted(soon, key=lambda row: row[0].scheduled_start):
            covers = meeting.covers.title if meeting.covers else ""
            upcoming.add_row(
                human_datetime(meeting.scheduled_start),
                relative(meeting.scheduled_start, now),
                literal(group.name),
                literal(f"{meeting.number}. {covers}"),
                key=meeting.id,
            )
        if not soon:
            upcoming.add_row("Nothing in the next 7 days", "", "", "")
        table = self.query_one("#groups", DataTable)
        table.clear(columns=True)
        table.add_columns("Group", "Status", "Pack", "Progress", "People")
        for group in groups:
            if group.status is GroupStatus.ARCHIVED:
                continue
            meetings = store.group_meetings(group.id)
            held = sum(1 for m in meetings if m.status is MeetingStatus.HELD)
            people = sum(1 for e, _ in store.roster(group.id) if e.status.value == "active")
            table.add_row(
                literal(group.name),
                group.status.value,
                literal(group.pack_id),
                f"session {held} of {len(meetings)}",
                str(people),
                key=group.id,
            )
