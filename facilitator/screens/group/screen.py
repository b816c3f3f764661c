"""The Group screen: header, attendance grid, roster with stages, upcoming meetings, and their actions."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, DataTable, Header, Static

from curricula.registry import PackEntry, Registry
from facilitator.course.calendar import course_progress
from facilitator.course.scheduling import movable
from facilitator.course.swap import apply_swap, preview_swap
from facilitator.display import human_datetime, human_day, literal, one_line, relative
from facilitator.messages import OpenPerson, OpenReports, StartMeeting
from facilitator.reports.attendance import AttendanceGrid, attendance_grid, zone_of
from facilitator.screens.group.edit import EditGroupForm, GroupEdit, save_group_edit
from facilitator.screens.group.forms import (
    stage_words,
)
from facilitator.screens.group.meetings import MeetingActions
from facilitator.screens.group.page import GroupPage
from facilitator.screens.group.roster import RosterActions
from facilitator.screens.packs.dialogs import PackPicker, SwapPreview, latest_packs, with_registry
from facilitator.screens.saving import ask
from facilitator.store.records import (
    Enrollment,
    Group,
    Meeting,
    MeetingStatus,
    Participant,
)
from facilitator.widgets.attendance_grid import AttendanceGridView, legend
from facilitator.widgets.group_header import GroupHeader
from facilitator.widgets.keys_footer import KeysFooter
from facilitator.widgets.tables import fill_table, selected_key
from facilitator.widgets.view_tabs import ViewTabs
from facilitator.words import ENROLMENT_WORDS, UPCOMING_WORDS

VIEWS = [("attendance", "Attendance", "a"), ("roster", "Roster", "r"), ("meetings", "Upcoming", "m")]
FOCUS = {"attendance": "#grid", "roster": "#roster-table", "meetings": "#meetings-table"}
# The roster's and the meetings' tables, made when their view is first shown: a hidden one costs nothing.
TABLE_COLUMNS = {
    "roster": ("Name", "Role", "Enrolment", "Joined", "Stage", "Came"),
    "meetings": ("No.", "When", "", "Covers", "Status"),
}


class GroupScreen(GroupPage):
    """One group: who is in it, who came, and what is next."""

    TITLE = "Group"
    # Shown in the footer: what a facilitator does most; the rest are in help (?) and the palette.
    # fmt: off
    BINDINGS = [
        Binding("a", "show_view('attendance')", "Attendance grid", show=False),
        Binding("r", "show_view('roster')", "Roster", show=False),
        Binding("m", "show_view('meetings')", "Upcoming meetings", show=False),
        Binding("e", "enrol", "Enrol"),
        Binding("w", "withdraw", "Withdraw", show=False),
        Binding("E", "edit_enrolment", "Edit enrolment", show=False,
                tooltip="Role, status (e.g. off the waiting list), joining and leaving dates"),
        Binding("s", "stage", "Stage"),
        Binding("space", "set_mark", "Set mark", show=False,
                tooltip="Set or correct the mark under the grid's cursor"),
        Binding("n", "new_meeting", "New meeting"),
        Binding("d", "move_meeting", "Move meeting", show=False, tooltip="A new date or time for a meeting"),
        Binding("c", "cancel_meeting", "Cancel meeting", show=False),
        Binding("g", "edit_group", "Edit group",
                tooltip="Name, status, schedule, place, facilitators, notes"),
        Binding("G", "plan_course", "Plan the course", show=False,
                tooltip="A meeting for each session of the pack that has none yet"),
        Binding("p", "change_pack", "Change pack", show=False,
                tooltip="Move the group to another pack or version"),
        Binding("v", "view_summary", "Meeting summary", show=False,
                tooltip="What happened at the highlighted held meeting: marks, time, check-ins, notes"),
        Binding("enter", "open_selected", "Open the person / start the meeting", show=False),
        Binding("R", "reports", "Reports", show=False,
                tooltip="This group's report: attendance, completion, goals, fidelity; exports"),
        Binding("b", "export_bundle", "Export a bundle", show=False,
                tooltip="This group's records and pack in one file, for another laptop"),
    ]
    # fmt: on
    EDITS = frozenset(
        {
            "enrol",
            "withdraw",
            "edit_enrolment",
            "stage",
            "set_mark",
            "new_meeting",
            "move_meeting",
            "cancel_meeting",
            "edit_group",
            "plan_course",
            "change_pack",
        }
    )  # fmt: skip

    def __init__(self, group_id: str, meeting_id: str | None = None) -> None:
        super().__init__()
        self.group_id = group_id
        self.meeting_id = meeting_id  # a held meeting to put the grid's cursor on (a follow-up's "no marks")
        self.resumed = False  # the first resume comes with the first mount, which has just loaded everything
        self.roster: list[tuple[Enrollment, Participant]] = []
        self.grid: AttendanceGrid | None = None
        self.cell_words = ""  # what the line under the legend says
        self.roster_actions = RosterActions(self)
        self.meeting_actions = MeetingActions(self)

    def compose(self) -> ComposeResult:
        self.group = self.store.require(Group, self.group_id)
        self.zone = zone_of(self.group)
        meetings = self.store.group_meetings(self.group_id)
        held = any(m.status is MeetingStatus.HELD for m in meetings)
        self.sub_title = one_line(self.group.name)  # before the header is mounted: in its first frame
        yield Header()
        yield GroupHeader(id="group-header")
        first = "attendance" if held else "roster"
        yield ViewTabs(VIEWS, first, id="group-views")
        with ContentSwitcher(initial=first, id="group-switcher"):
            with Vertical(id="attendance"):
                # The legend and the cell under the cursor in words sit above; the grid fills the rest.
                yield Static(legend(), id="grid-legend")
                yield Static("", id="grid-detail")
                yield AttendanceGridView(id="grid")
            yield Vertical(id="roster")
            yield Vertical(id="meetings")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.reload()
        self.action_show_view(self.view)
        if self.meeting_id is not None:
            self.show_meeting(self.meeting_id)

    def show_meeting(self, meeting_id: str) -> None:
        """Open the grid on a held meeting's column."""
        columns = [m.id for m in self.grid.meetings] if self.grid else []
        if meeting_id in columns:
            self.action_show_view("attendance")
            grid = self.query_one(AttendanceGridView)
            grid.cursor = (columns.index(meeting_id), 0)  # scrolls it into view

    def on_screen_resume(self) -> None:
        if self.resumed:  # back from a person or a session: show what changed there
            self.reload()
        self.resumed = True

    def reload(self) -> None:
        """Read the group again and show it."""
        store = self.store
        self.group = store.require(Group, self.group_id)
        meetings = store.group_meetings(self.group_id)
        held, total = course_progress(meetings)
        self.query_one(GroupHeader).show(self.group, held=held, total=total)
        self.grid = attendance_grid(store, self.group_id)
        grid = self.query_one(AttendanceGridView)
        grid.show(self.grid)
        self.show_cell(grid.describe())  # now, not when its message comes: one frame, not two
        self.query_one("#grid-legend", Static).update(legend(self.grid.rule))
        self.roster = store.roster(self.group_id)
        if self.made("roster"):
            self.fill_roster()
        if self.made("meetings"):
            self.fill_meetings(meetings)

    def made(self, view: str) -> bool:
        """Whether a view's table is made yet (see `view_table`)."""
        return bool(self.query(f"#{view}-table"))

    def view_table(self, view: str) -> DataTable:
        """The roster's or the meetings' table, made and filled the first time it is wanted."""
        if self.made(view):
            return self.query_one(f"#{view}-table", DataTable)
        table: DataTable[object] = DataTable(id=f"{view}-table", cursor_type="row", zebra_stripes=True)
        self.query_one(f"#{view}", Vertical).mount(table)
        table.add_columns(*TABLE_COLUMNS[view])
        if view == "roster":
            self.fill_roster()
        else:
            self.fill_meetings(self.store.group_meetings(self.group_id))
        return table

    def fill_roster(self) -> None:
        rates = {row.participant_id: row.rate.percent() for row in self.grid.rows} if self.grid else {}
        rows = []
        for enrollment, person in self.roster:
            stage = stage_words(enrollment.stage)
            if enrollment.stage is not None and enrollment.stage_set_on is not None:
                stage += f" since {human_day(enrollment.stage_set_on, year=False)}"
            joined = enrollment.joined_on
            cells = (
                literal(person.display_name),
                enrollment.role.value,
                ENROLMENT_WORDS[enrollment.status],
                human_day(joined),
                stage,
                rates.get(person.id, "—"),
            )
            rows.append((person.id, cells))
        table = self.view_table("roster")
        fill_table(table, rows or [("", ("Nobody yet: press e to enrol someone", "", "", "", "", ""))],
                   keep=selected_key(table))  # fmt: skip

    def fill_meetings(self, meetings: list[Meeting]) -> None:
        now = self.now()
        rows = []
        for meeting in meetings:
            upcoming = meeting.status in (MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS)
            if not upcoming and not (
                meeting.status is MeetingStatus.CANCELLED and meeting.scheduled_start > now
            ):
                continue
            covers = ""
            number = str(meeting.number)
            if meeting.status is MeetingStatus.CANCELLED:
                # Said where the eye starts, in a glyph and words, not only by the far Status column's grey.
                number = f"⊘ {meeting.number}"
                covers = f"cancelled: {meeting.cancel_reason}" if meeting.cancel_reason else "cancelled"
            elif meeting.covers is not None:
                unit = f"{meeting.covers.unit_title}: " if meeting.covers.unit_title else ""
                covers = f"{unit}{meeting.covers.session_number}. {meeting.covers.title}"
            rows.append(
                (
                    meeting.id,
                    (
                        number,
                        human_datetime(meeting.scheduled_start, self.zone),
                        relative(meeting.scheduled_start, now),
                        literal(covers),
                        UPCOMING_WORDS[meeting.status],
                    ),
                )
            )
        table = self.view_table("meetings")
        fill_table(table, rows or [("", ("", "No upcoming meetings", "", "", ""))], keep=selected_key(table))

    # --- what is selected -----------------------------------------------------------------------------------

    def selected_person(self) -> tuple[Enrollment, Participant] | None:
        """The person under the grid's cursor on the Attendance tab, else the roster's selected row."""
        if self.view == "attendance":
            row = self.query_one(AttendanceGridView).current_row
            wanted = row.participant_id if row is not None else None
        else:
            wanted = selected_key(self.query_one("#roster-table", DataTable))
        found = next(((e, p) for e, p in self.roster if p.id == wanted), None)
        if found is None:
            self.notify("Pick a person in the roster (r) or the grid (a) first.")
        return found

    def selected_meeting(self, key: str) -> Meeting | None:
        """The meeting under the cursor: the Upcoming view's row, or the grid's column on the Attendance view.

        The roster shows no meetings: from there, show the upcoming ones and say to pick one.
        """
        if self.view == "attendance":
            column = self.query_one(AttendanceGridView).current_meeting
            if column is None:
                self.notify("No meetings in the grid yet: the upcoming ones are under m.")
                return None
            return self.store.get(Meeting, column.id)
        if self.view != "meetings":
            self.action_show_view("meetings")
            self.notify(f"Pick the meeting, then press {key} again.")
            return None
        picked = selected_key(self.query_one("#meetings-table", DataTable))
        return self.store.get(Meeting, picked) if picked else None

    def today(self) -> date:
        """Today where the group meets."""
        return self.now().astimezone(self.zone).date()

    # --- actions --------------------------------------------------------------------------------------------

    def action_enrol(self) -> None:
        self.roster_actions.enrol()

    def action_withdraw(self) -> None:
        self.roster_actions.withdraw()

    def action_edit_enrolment(self) -> None:
        self.roster_actions.edit_enrolment()

    def action_stage(self) -> None:
        self.roster_actions.stage()

    def action_new_meeting(self) -> None:
        self.meeting_actions.new_meeting()

    def action_move_meeting(self) -> None:
        self.meeting_actions.move_meeting()

    def action_cancel_meeting(self) -> None:
        self.meeting_actions.cancel_meeting()

    def action_plan_course(self) -> None:
        self.meeting_actions.plan_course()

    def action_set_mark(self) -> None:
        self.meeting_actions.set_mark()

    @property
    def view(self) -> str:
        return self.query_one(ContentSwitcher).current or "roster"

    def action_reports(self) -> None:
        self.post_message(OpenReports(group_id=self.group_id))

    def action_show_view(self, view: str) -> None:
        if view in TABLE_COLUMNS:
            self.view_table(view)
        self.query_one(ContentSwitcher).current = view
        self.query_one(ViewTabs).show(view)
        self.query_one(FOCUS[view]).focus()

    def action_edit_group(self) -> None:
        if not self.writable():
            return
        others = [g.name for g in self.store.groups() if g.id != self.group_id]
        upcoming = len(movable(self.store.group_meetings(self.group_id), self.now()))

        def save(edit: GroupEdit) -> None:
            group, moved = save_group_edit(self.store, self.group, edit, self.now())
            self.zone = zone_of(group)
            self.sub_title = one_line(group.name)
            more = f"; {moved} upcoming meetings moved to the new schedule" if moved else ""
            self.notify(f"{group.name} saved{more}.", markup=False)
            self.reload()

        ask(self.app, EditGroupForm(self.group, others, upcoming), save)

    def action_export_bundle(self) -> None:
        from facilitator.screens.bundles.dialogs import export_group_bundle

        export_group_bundle(self.app, self.store, self.group)

    def action_change_pack(self) -> None:
        if self.writable():
            with_registry(self.app, self.pick_pack)

    def pick_pack(self, registry: Registry) -> None:
        """Every usable version of every pack, the group's own marked; nothing changes before the preview."""
        if self.app.screen is not self:
            return  # the packs were read while something else opened
        entries = [version for entry in latest_packs(registry) for version in registry.versions(entry.id)]
        current = (self.group.pack_id, self.group.pack_version)
        heading = Text.assemble("Change the pack of ", literal(self.group.name))
        self.app.push_screen(PackPicker(heading, entries, current), self.preview_pack)

    def preview_pack(self, entry: PackEntry | None) -> None:
        if entry is None or entry.pack is None:
            return
        target = entry.pack
        if (entry.id, entry.version) == (self.group.pack_id, self.group.pack_version):
            self.notify(f"The group is already on {entry.id} {entry.version}.")
            return
        plan = preview_swap(self.store, self.group, target)

        def apply(_: bool) -> None:
            apply_swap(self.store, self.group, target, plan)
            self.notify(f"{self.group.name} now follows {entry.id} {entry.version}.", markup=False)
            self.reload()

        heading = Text.assemble("Preview: ", literal(self.group.name), f" → {entry.id} {entry.version}")
        lines = plan.summary_lines()
        if plan.added:
            lines += ["", "Once applied, G gives each of those sessions a meeting on the group's schedule."]
        ask(self.app, SwapPreview(heading, lines), apply)

    # --- opening --------------------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#roster-table")
    def _person_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.post_message(OpenPerson(event.row_key.value))

    @on(DataTable.RowSelected, "#meetings-table")
    def _meeting_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.post_message(StartMeeting(event.row_key.value))

    def on_attendance_grid_view_person_chosen(self, event: AttendanceGridView.PersonChosen) -> None:
        self.post_message(OpenPerson(event.participant_id))

    def on_attendance_grid_view_cell_highlighted(self, event: AttendanceGridView.CellHighlighted) -> None:
        self.show_cell(event.description)

    def show_cell(self, description: str) -> None:
        """The cell under the grid's cursor in words, under the legend (drawn again only when it changes)."""
        if description != self.cell_words:
            self.cell_words = description
            self.query_one("#grid-detail", Static).update(literal(description))

    def action_view_summary(self) -> None:
        """Read again what happened at the highlighted held meeting (its summary and notes)."""
        meeting = self.selected_meeting("v")
        if meeting is None:
            return
        if meeting.status is not MeetingStatus.HELD:
            state = meeting.status.value.replace("_", " ")
            self.notify(f"Meeting {meeting.number} is {state}: a summary is kept once a meeting is held.")
            return
        self.post_message(StartMeeting(meeting.id))  # a held meeting opens on its summary

    def action_open_selected(self) -> None:
        if self.view == "meetings":
            key = selected_key(self.query_one("#meetings-table", DataTable))
            if key:
                self.post_message(StartMeeting(key))
            return
        found = self.selected_person()
        if found is not None:
            self.post_message(OpenPerson(found[1].id))
