"""Home: today's and the next 7 days' meetings, the groups in progress, and who needs a follow-up."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from rich.progress_bar import ProgressBar
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.notifications import SeverityLevel
from textual.widgets import DataTable, Footer, Header, Static

from facilitator.course.calendar import course_progress
from facilitator.display import human_datetime, literal, one_line, relative
from facilitator.host import host_of
from facilitator.messages import OpenGroup, OpenPerson, StartMeeting, StoreLoaded
from facilitator.reports.attendance import zone_of
from facilitator.reports.follow_ups import (
    FollowUp,
    follow_ups,
    next_serves_filter,
    serves_words,
)
from facilitator.screens.base import AppScreen
from facilitator.store.records import (
    EnrollmentStatus,
    Group,
    GroupStatus,
    Meeting,
    MeetingStatus,
    Participant,
    RecoveryFocus,
)
from facilitator.widgets.tables import fill_table, selected_key
from facilitator.words import FOLLOW_UP_WORDS, GROUP_STATUS_WORDS

WELCOME = (
    "Welcome to Facilitator.\n\n"
    "There are no groups in this database yet. To look around first, quit (q) and run "
    "`facilitator demo`, which opens a demo database of invented people. To start your own, press 2 then n "
    "to create a group from a pack (its meetings are planned for you), and add the people you work with "
    "on the People screen (3). Press ? on any screen for its keys."
)
SHOWN_FOLLOW_UPS = 200  # a long list is for the Reports screen; Home stays quick


class HomeScreen(AppScreen):
    """Today and the next 7 days, the groups in progress, and the follow-up list."""

    TITLE = "Home"
    BINDINGS = [
        Binding("enter", "open_selected", "Start the meeting / open the row", show=False),
        Binding("f", "cycle_serves", "Goal filter", tooltip="Filter goal follow-ups by what the goals serve"),
        Binding("g", "focus_table('groups')", "To groups", tooltip="Move to the groups in progress"),
        Binding("u", "focus_table('follow-ups')", "To follow-ups", tooltip="Move to the follow-up list"),
        Binding(
            "y",
            "sync_hub",
            "Sync",
            tooltip="Push this laptop's changes to the agency hub and pull the others'",
        ),
    ]
    EDITS = frozenset({"sync_hub"})

    # The keys of the three lists: with no group yet only the welcome shows, so they are not offered.
    LIST_KEYS = frozenset({"cycle_serves", "focus_table"})

    def __init__(self) -> None:
        super().__init__()
        self.serves: RecoveryFocus | None = None
        self.items: list[FollowUp] = []
        self.empty = False  # no group in the database yet: the welcome instead of the lists

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.LIST_KEYS and self.empty:
            return False
        if action == "sync_hub" and self.store.meta.hub is None:
            return False  # no hub for this database: nothing to offer (`facilitator sync --hub` sets one)
        return super().check_action(action, parameters)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-body"):
            yield Static("Today and the next 7 days", classes="section-title")
            yield DataTable(id="upcoming", cursor_type="row", zebra_stripes=True)
            yield Static("Groups in progress", classes="section-title")
            yield DataTable(id="groups", cursor_type="row", zebra_stripes=True)
            yield Static("Follow-ups", id="follow-ups-title", classes="section-title")
            yield DataTable(id="follow-ups", cursor_type="row", zebra_stripes=True)
            yield Static(WELCOME, id="welcome", markup=False)
        hub_status = Static("", id="hub-status", markup=False)
        hub_status.display = False  # shown once there is a hub to speak of
        yield hub_status
        yield Footer()

    def on_mount(self) -> None:
        # The columns that matter most come first: at 80 columns the last ones scroll (← →).
        self.query_one("#upcoming", DataTable).add_columns("When", "", "Group", "Session")
        self.query_one("#groups", DataTable).add_columns("Group", "Status", "Progress", "", "People", "Next")
        # Which group comes before the reason, so it still shows at 80 columns.
        self.query_one("#follow-ups", DataTable).add_columns("", "Who", "Group", "Why")

    def on_screen_resume(self) -> None:
        """Coming back from a group or a session: show what changed."""
        self.refresh_all()

    def on_store_loaded(self, _: StoreLoaded) -> None:
        self.refresh_follow_ups()

    def refresh_all(self) -> None:
        self.refresh_hub_status()
        groups = self.store.groups()
        empty = not groups
        for widget in self.query("#home-body > *"):
            widget.display = (widget.id == "welcome") == empty
        if empty != self.empty:
            self.empty = empty
            self.refresh_bindings()
        if empty:
            return
        # What Home shows is this week and the groups in progress, so that is all it reads, in one pass: the
        # meetings still to come, and the whole course only of the groups in progress, not years of history.
        in_progress = [g for g in groups if g.status in (GroupStatus.PLANNED, GroupStatus.RUNNING)]
        courses: dict[str, list[Meeting]] = {g.id: [] for g in in_progress}
        to_come: dict[str, list[Meeting]] = {}
        for meeting in self.store.all(Meeting):
            if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS):
                to_come.setdefault(meeting.group_id, []).append(meeting)
            if (course := courses.get(meeting.group_id)) is not None:
                course.append(meeting)
        for kept in (*to_come.values(), *courses.values()):
            kept.sort(key=lambda m: (m.number, m.scheduled_start))  # as `group_meetings` orders them
        self.fill_upcoming(groups, to_come)
        self.fill_groups(in_progress, courses)
        self.refresh_follow_ups()

    # --- the three lists ------------------------------------------------------------------------------------

    def fill_upcoming(self, groups: list[Group], meetings: dict[str, list[Meeting]]) -> None:
        """This week's meetings; `meetings` holds each group's meetings still to come."""
        now = self.now()
        soon: list[tuple[Meeting, Group]] = []
        for group in groups:
            zone = zone_of(group)
            start_of_today = datetime.combine(now.astimezone(zone).date(), time(), tzinfo=zone)
            for meeting in meetings.get(group.id, []):
                live = meeting.status is MeetingStatus.IN_PROGRESS
                planned = meeting.status is MeetingStatus.PLANNED
                if live or (planned and start_of_today <= meeting.scheduled_start <= now + timedelta(days=7)):
                    soon.append((meeting, group))
        soon.sort(key=lambda row: row[0].scheduled_start)
        rows = []
        for meeting, group in soon:
            covers = f"{meeting.number}. {meeting.covers.title}" if meeting.covers else f"{meeting.number}."
            start = meeting.scheduled_start
            live = meeting.status is MeetingStatus.IN_PROGRESS
            when = "▶ in progress" if live else relative(start, now)
            cells = (human_datetime(start, zone_of(group)), when, literal(group.name), literal(covers))
            rows.append((meeting.id, cells))
        table = self.query_one("#upcoming", DataTable)
        fill_table(
            table, rows or [("", ("Nothing in the next 7 days", "", "", ""))], keep=selected_key(table)
        )

    def fill_groups(self, groups: list[Group], meetings: dict[str, list[Meeting]]) -> None:
        """The groups in progress (planned or running), with their whole course in `meetings`."""
        now = self.now()
        rows = []
        for group in groups:
            held, total = course_progress(meetings[group.id])
            people = sum(1 for e, _ in self.store.roster(group.id) if e.status is EnrollmentStatus.ACTIVE)
            upcoming = [
                m
                for m in meetings[group.id]
                if m.status is MeetingStatus.PLANNED and m.scheduled_start >= now
            ]
            next_meeting = relative(upcoming[0].scheduled_start, now) if upcoming else "—"
            bar = ProgressBar(total=max(total, 1), completed=held, width=10)
            cells = (literal(group.name), GROUP_STATUS_WORDS[group.status], f"session {held} of {total}", bar)
            rows.append((group.id, (*cells, str(people), next_meeting)))
        table = self.query_one("#groups", DataTable)
        fill_table(table, rows or [("", ("No groups in progress: see Groups (2)", "", "", "", "", ""))])

    def refresh_follow_ups(self) -> None:
        title = self.query_one("#follow-ups-title", Static)
        if not host_of(self.app).rest_loaded:
            title.update("Follow-ups (checking…)")
            return
        self.find_follow_ups(self.serves)

    @work(thread=True, exclusive=True, group="follow-ups", exit_on_error=False)
    def find_follow_ups(self, serves: RecoveryFocus | None) -> None:
        """Work the list and its rows out off the event loop: at ten years of an agency it takes a few
        hundred ms; the loop only puts the rows in the table."""
        items = follow_ups(self.store, self.now(), serves=serves)
        self.app.call_from_thread(self.show_follow_ups, items, self.follow_up_rows(items))

    def follow_up_rows(self, items: list[FollowUp]) -> list[tuple[str, tuple[object, ...]]]:
        names = {p.id: p.display_name for p in self.store.all(Participant)}
        group_names = {g.id: g.name for g in self.store.groups()}
        rows: list[tuple[str, tuple[object, ...]]] = []
        for index, item in enumerate(items[:SHOWN_FOLLOW_UPS]):
            who = names.get(item.participant_id or "", "—" if item.participant_id is None else "?")
            group = group_names.get(item.group_id or "", "—")
            rows.append(
                (str(index), (FOLLOW_UP_WORDS[item.kind], literal(who), literal(group), literal(item.reason)))
            )
        if len(items) > SHOWN_FOLLOW_UPS:
            more = f"… and {len(items) - SHOWN_FOLLOW_UPS} more (Reports, 5)"
            rows.append(("", ("", more, "", "")))
        if not rows:
            rows = [("", ("✓", "Nothing to follow up", "", ""))]
        return rows

    def show_follow_ups(self, items: list[FollowUp], rows: list[tuple[str, tuple[object, ...]]]) -> None:
        title = self.query_one("#follow-ups-title", Static)
        self.items = items
        table = self.query_one("#follow-ups", DataTable)
        fill_table(table, rows, keep=selected_key(table))
        goals = "all goals" if self.serves is None else f"goals serving {serves_words(self.serves)}"
        title.update(Text.assemble(f"Follow-ups ({len(self.items)})", (f" · {goals} (f to change)", "dim")))

    # --- acting on a row ------------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_row(event.data_table.id or "", event.row_key.value)

    def action_open_selected(self) -> None:
        table = (
            self.focused if isinstance(self.focused, DataTable) else self.query_one("#upcoming", DataTable)
        )
        self.open_row(table.id or "", selected_key(table))

    def open_row(self, table_id: str, key: str | None) -> None:
        if not key:
            return
        if table_id == "upcoming":
            self.post_message(StartMeeting(key))
        elif table_id == "groups":
            self.post_message(OpenGroup(key))
        elif table_id == "follow-ups":
            item = self.items[int(key)]
            if item.participant_id is not None:
                self.post_message(OpenPerson(item.participant_id))
            elif item.group_id is not None:
                self.post_message(OpenGroup(item.group_id, item.meeting_id))

    def action_cycle_serves(self) -> None:
        self.serves = next_serves_filter(self.serves)
        self.refresh_follow_ups()

    def action_focus_table(self, table_id: str) -> None:
        self.query_one(f"#{table_id}", DataTable).focus()

    # --- the agency hub -------------------------------------------------------------------------------------

    def refresh_hub_status(self) -> None:
        status = self.query_one("#hub-status", Static)
        status.display = self.store.meta.hub is not None
        if status.display:
            self.count_waiting()

    @work(thread=True, exclusive=True, group="hub-status", exit_on_error=False)
    def count_waiting(self) -> None:
        from facilitator.sync.hub.rows import waiting

        link = self.store.meta.hub
        count = waiting(self.store.holding(), link.pushed_up_to) if link is not None else 0
        self.app.call_from_thread(self.show_hub_status, count)

    def show_hub_status(self, waiting: int) -> None:
        from facilitator.sync.hub.report import status_line

        line = status_line(self.store.meta.hub, waiting, self.now())
        status = self.query_one("#hub-status", Static)
        status.update(line)
        status.display = bool(line)

    def action_sync_hub(self) -> None:
        if not self.writable():
            return
        self.query_one("#hub-status", Static).update("Hub: syncing…")
        self.sync_with_hub()

    @work(thread=True, exclusive=True, group="hub-sync", exit_on_error=False)
    def sync_with_hub(self) -> None:
        """Through the app's own store, off the event loop; a hub that cannot be reached is one line."""
        from facilitator.store import StoreError
        from facilitator.sync.hub.connection import HubError
        from facilitator.sync.hub.exchange import sync
        from facilitator.sync.hub.report import report_lines

        try:
            report = sync(self.store, dsn=None, now=self.now())
        except (HubError, StoreError) as error:
            self.app.call_from_thread(self.synced, str(error), "error")
            return
        self.app.call_from_thread(self.synced, report_lines(report)[0], "information")

    def synced(self, message: str, severity: SeverityLevel) -> None:
        self.notify(one_line(message), severity=severity, markup=False)
        self.refresh_all()
