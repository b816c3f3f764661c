"""The Participant screen: details, goals with steps and check-ins, attendance, assignments and stages.

Every change goes through a dialog (details `d`, goal `n`/`e`, steps `s`, stage `c`) that returns a value; the
screen saves it in one write while the dialog is still open (a refused save keeps it open, as typed). Escape
in any of them writes nothing.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Header, Sparkline, Static

from facilitator.display import literal, one_line
from facilitator.messages import OpenReports
from facilitator.reports.attendance import (
    ParticipantAttendance,
    enrolled_on,
    meeting_day,
    participant_attendance,
    rolling_rate,
    zone_of,
)
from facilitator.reports.follow_ups import next_serves_filter, serves_matches, serves_words
from facilitator.screens.base import AppScreen
from facilitator.screens.person.forms import (
    GoalForm,
    NewGoal,
    NewPerson,
    PersonForm,
)
from facilitator.screens.person.steps import StepsDialog, day_words, step_line
from facilitator.screens.saving import ask
from facilitator.screens.stages import change_stage, stages_text
from facilitator.store.records import (
    Enrollment,
    Goal,
    GoalStep,
    Group,
    HomeAssignment,
    Meeting,
    Participant,
    Record,
    RecoveryFocus,
)
from facilitator.widgets.attendance_grid import GLYPHS
from facilitator.widgets.goal_chart import GoalChart
from facilitator.widgets.keys_footer import KeysFooter
from facilitator.widgets.tables import fill_table, selected_key
from facilitator.widgets.view_tabs import ViewTabs
from facilitator.words import GOAL_STATUS_WORDS, REVIEW_WORDS

VIEWS = [("goals", "Goals", "g"), ("attendance", "Attendance", "a"), ("assignments", "Assignments", "h"),
         ("stages", "Stages", "t")]  # fmt: skip
RECENT = 10  # meetings shown as glyphs per group
TITLE_WIDTH = 40  # the whole title is in the panel below the table


def changes(record: Record, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields whose value differs from the record's (an unchanged form writes nothing)."""
    return {name: value for name, value in fields.items() if getattr(record, name) != value}


class ParticipantScreen(AppScreen):
    """One person: their goals in their own words, who they are, where they come."""

    TITLE = "Participant"
    BINDINGS = [
        Binding("n", "add_goal", "New goal"),
        Binding("e", "edit_goal", "Edit goal"),
        Binding("enter", "edit_goal", "Edit the goal", show=False),  # the goals table's Enter does the same
        Binding("s", "steps", "Steps"),
        Binding("d", "edit_details", "Edit details"),
        Binding("f", "cycle_serves", "Filter goals"),
        Binding(
            "c", "change_stage", "Change stage", show=False, tooltip="Their stage of treatment in a group"
        ),
        Binding("g", "show_view('goals')", "Goals", show=False),
        Binding("a", "show_view('attendance')", "Attendance", show=False),
        Binding("h", "show_view('assignments')", "Home assignments", show=False),
        Binding("t", "show_view('stages')", "Stages of treatment", show=False),
        Binding("R", "reports", "Reports", show=False, tooltip="Their report; a letter or a certificate"),
    ]
    EDITS = frozenset({"add_goal", "edit_goal", "steps", "edit_details", "change_stage"})

    def __init__(self, participant_id: str) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.serves: RecoveryFocus | None = None
        self.goals: list[Goal] = []
        self.resumed = False  # the first resume comes with the first mount, which has just loaded everything

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="person-header")
        yield ViewTabs(VIEWS, "goals", id="person-views")
        with ContentSwitcher(initial="goals", id="person-switcher"):
            with Vertical(id="goals"):
                yield Static("", id="goals-filter")
                yield DataTable(id="goals-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="goal-detail-box"):
                    yield Static("", id="goal-detail")
                    yield GoalChart(id="goal-chart")
            # The other views are made when first shown (`view_made`): a hidden one costs nothing.
            yield Vertical(id="attendance")
            yield Vertical(id="assignments")
            yield Vertical(id="stages")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#goals-table", DataTable).add_columns(
            "Goal", "Status", "Steps", "Last check-in", "Serves", "Dimension"
        )
        self.reload()
        self.query_one("#goals-table").focus()

    def on_screen_resume(self) -> None:
        if self.resumed:  # back from a dialog or another screen: show what changed
            self.reload()
        self.resumed = True

    @property
    def person(self) -> Participant:
        return self.store.require(Participant, self.participant_id)

    def reload(self) -> None:
        """Read the person again and show it: the header and the goals, and each view made so far."""
        person = self.person
        record = participant_attendance(self.store, self.participant_id)
        self.sub_title = one_line(person.display_name)
        self.query_one("#person-header", Static).update(self.header_text(person, record))
        self.fill_goals()
        if self.made("attendance"):
            self.fill_attendance(record)
        if self.made("assignments"):
            self.fill_assignments()
        if self.made("stages"):
            self.fill_stages()

    def made(self, view: str) -> bool:
        """Whether a view's widgets are made yet (see `view_made`)."""
        return bool(self.query_one(f"#{view}", Vertical).children)

    def view_made(self, view: str) -> None:
        """Make the attendance, assignments or stages view the first time it is shown, and fill it."""
        if view == "goals" or self.made(view):
            return
        box = self.query_one(f"#{view}", Vertical)
        if view == "stages":
            scroll = VerticalScroll()
            box.mount(scroll)
            scroll.mount(Static("", id="stages-text"))
            self.fill_stages()
            return
        table: DataTable[object] = DataTable(id=f"{view}-table", cursor_type="row", zebra_stripes=True)
        if view == "attendance":
            trend = Horizontal(id="attendance-trend")
            box.mount(trend, table)
            # Mounted into it, not given to it, so they are in the screen to be filled at once.
            trend.mount(
                Static("Attendance over time ", id="trend-label"),
                Sparkline([], id="attendance-spark"),
                Static("", id="trend-rate"),
            )
            table.add_columns("Group", "Enrolment", "Came", "Rate", f"Last {RECENT} meetings")
            self.fill_attendance(participant_attendance(self.store, self.participant_id))
        else:
            box.mount(table)
            table.add_columns("Given", "Group", "For", "Assignment", "Review")
            self.fill_assignments()

    def places(self) -> list[tuple[Enrollment, Group | None]]:
        """Their enrolments, each with its group (None for a group since deleted)."""
        enrollments = self.store.enrollments_of(self.participant_id)
        return [(e, self.store.get(Group, e.group_id)) for e in enrollments]

    def header_text(self, person: Participant, record: ParticipantAttendance) -> Text:
        text = Text()
        text.append_text(literal(person.display_name, style="bold"))
        for extra in (person.pronouns, person.full_name):
            if extra:
                text.append(" · ")
                text.append_text(literal(extra))
        rate = record.rate
        groups = len(record.groups)
        text.append(f"\nCame to {rate.fraction()} marked meetings ({rate.percent()}) across {groups} ")
        text.append("group" if groups == 1 else "groups")
        if person.contact:
            text.append("\nContact ", style="dim")
            text.append_text(literal(person.contact))
        if person.notes:
            text.append("\nNotes ", style="dim")
            text.append_text(literal(person.notes, lines=True))
        return text

    # --- goals ----------------------------------------------------------------------------------------------

    def fill_goals(self) -> None:
        everything = self.store.participant_goals(self.participant_id)
        self.goals = [g for g in everything if serves_matches(g.serves, self.serves)]
        rows = []
        for goal in self.goals:
            last = max((c.at for c in goal.check_ins), default=None)
            done = sum(1 for step in goal.steps if step.done_at is not None)
            title = goal.title if len(goal.title) <= TITLE_WIDTH else goal.title[: TITLE_WIDTH - 1] + "…"
            cells = (
                literal(title),
                GOAL_STATUS_WORDS[goal.status],
                f"{done} of {len(goal.steps)}",
                day_words(last) if last else "none yet",
                serves_words(goal.serves),
                f"{goal.dimension.value} · {goal.horizon.value} term",
            )
            rows.append((goal.id, cells))
        table = self.query_one("#goals-table", DataTable)
        empty = "No goals yet: press n to add one in their words" if not everything else "No goals match"
        fill_table(table, rows or [("", (empty, "", "", "", "", ""))], keep=selected_key(table))
        which = "all" if self.serves is None else f"serving {serves_words(self.serves)}"
        shown = f"Goals: {which} ({len(self.goals)} of {len(everything)}) · f to filter by what they serve"
        self.query_one("#goals-filter", Static).update(Text(shown, style="dim"))
        self.show_goal(self.selected_goal())

    def selected_goal(self) -> Goal | None:
        key = selected_key(self.query_one("#goals-table", DataTable))
        return next((g for g in self.goals if g.id == key), None)

    def select_goal(self, goal_id: str) -> None:
        table = self.query_one("#goals-table", DataTable)
        if goal_id in table.rows:
            table.move_cursor(row=table.get_row_index(goal_id))

    @on(DataTable.RowHighlighted, "#goals-table")
    def _goal_highlighted(self) -> None:
        self.show_goal(self.selected_goal())

    @on(DataTable.RowSelected, "#goals-table")
    def _goal_chosen(self) -> None:
        self.action_edit_goal()

    def show_goal(self, goal: Goal | None) -> None:
        detail = Text()
        if goal is not None:
            detail.append_text(literal(goal.title, style="bold"))
            detail.append("\n")
            if goal.why:
                detail.append("Why it matters ", style="dim")
                detail.append_text(literal(goal.why))
                detail.append("\n")
            for step in goal.steps:
                detail.append("  ")
                detail.append_text(step_line(step))
                detail.append("\n")
            if not goal.steps:
                detail.append("No steps yet: press s, then n to add one.\n", style="dim")
        self.query_one("#goal-detail", Static).update(detail)
        self.query_one(GoalChart).show(goal.check_ins if goal else [])

    def action_cycle_serves(self) -> None:
        self.serves = next_serves_filter(self.serves)
        self.fill_goals()

    def goal_groups(self, goal: Goal | None = None) -> list[tuple[str, str]]:
        """(id, name) of the groups a goal may be worked on in: theirs, and the goal's own if they left it."""
        ids = [e.group_id for e in self.store.enrollments_of(self.participant_id)]
        if goal is not None and goal.group_id is not None and goal.group_id not in ids:
            ids.append(goal.group_id)
        return [(group_id, group.name) for group_id in ids if (group := self.store.get(Group, group_id))]

    def goal_or_say(self) -> Goal | None:
        """The selected goal (shown in the Goals view), or None after saying how to pick one."""
        self.action_show_view("goals")
        goal = self.selected_goal()
        if goal is None:
            self.notify("Pick a goal first (or press n for a new one).")
        return goal

    def action_add_goal(self) -> None:
        if self.writable():
            ask(self.app, GoalForm(self.person.display_name, self.goal_groups()), self.save_goal)

    def save_goal(self, new: NewGoal) -> None:
        now = self.now()
        goal = Goal(participant_id=self.participant_id, created_at=now, updated_at=now, **new.fields())
        self.store.add(goal)
        self.notify("Goal saved.")
        self.reload()
        self.select_goal(goal.id)

    def action_edit_goal(self) -> None:
        if not self.writable() or (goal := self.goal_or_say()) is None:
            return

        def save(edited: NewGoal) -> None:
            current = self.store.get(Goal, goal.id) or goal
            changed = changes(current, edited.fields())
            if changed:
                self.store.update(current, **changed)
                self.notify("Goal saved.")
            self.reload()
            self.select_goal(goal.id)

        ask(self.app, GoalForm(self.person.display_name, self.goal_groups(goal), goal), save)

    def action_steps(self) -> None:
        if not self.writable() or (goal := self.goal_or_say()) is None:
            return

        def save(steps: list[GoalStep]) -> None:
            current = self.store.get(Goal, goal.id) or goal
            self.store.update(current, steps=steps)  # every change of the dialog in one write
            self.notify("Steps saved.")
            self.reload()

        ask(self.app, StepsDialog(goal), save)

    # --- details and stages ---------------------------------------------------------------------------------

    def action_reports(self) -> None:
        self.post_message(OpenReports(participant_id=self.participant_id))

    def action_edit_details(self) -> None:
        if not self.writable():
            return
        person = self.person
        others = [p.display_name for p in self.store.all(Participant) if p.id != person.id]
        ask(self.app, PersonForm(others, person), self.save_details)

    def save_details(self, details: NewPerson) -> None:
        person = self.person
        changed = changes(person, details.fields())
        if changed:
            self.store.update(person, **changed)
            self.notify("Details saved.")
        self.reload()

    def action_change_stage(self) -> None:
        if self.writable():
            self.action_show_view("stages")
            change_stage(self, self.person, self.reload)

    # --- attendance, assignments, stages --------------------------------------------------------------------

    def fill_attendance(self, record: ParticipantAttendance) -> None:
        """The trend over time and a row per group."""
        came = [c for _, c in record.history()]
        self.query_one(Sparkline).data = rolling_rate(came) or [0.0]
        self.query_one("#trend-rate", Static).update(
            f" {record.rate.percent()} overall · share of the last 4 meetings, oldest on the left"
        )
        rows = []
        for group in record.groups:
            recent = "".join(GLYPHS[status][0] for _, status in group.meetings[-RECENT:])
            cells = (
                literal(group.group_name),
                group.enrollment.value,
                group.rate.fraction(),
                group.rate.percent(),
            )
            rows.append((group.group_id, (*cells, recent or "—")))
        table = self.query_one("#attendance-table", DataTable)
        fill_table(table, rows or [("", ("Not in any group yet", "", "", "", ""))])

    def fill_assignments(self) -> None:
        rows: list[tuple[datetime, str, tuple[object, ...]]] = []
        for enrollment, group in self.places():
            if group is None:
                continue
            zone = zone_of(group)
            for assignment in self.store.group_assignments(group.id):
                given = self.store.get(Meeting, assignment.meeting_id)
                if given is None or not self.assignment_is_theirs(assignment, enrollment, given, zone):
                    continue
                who = "them" if assignment.participant_id else "the group"
                cells = (
                    day_words(given.scheduled_start, zone),
                    literal(group.name),
                    who,
                    literal(assignment.text),
                    REVIEW_WORDS[assignment.review],
                )
                rows.append((given.scheduled_start, assignment.id, cells))
        rows.sort(key=lambda row: row[0], reverse=True)
        table = self.query_one("#assignments-table", DataTable)
        fill_table(table, [(key, cells) for _, key, cells in rows] or [("", ("", "", "", "None yet", ""))])

    def fill_stages(self) -> None:
        places = [(e, group) for e, group in self.places() if group is not None]
        self.query_one("#stages-text", Static).update(stages_text(places))

    def assignment_is_theirs(
        self, assignment: HomeAssignment, enrollment: Enrollment, given: Meeting, zone: tzinfo
    ) -> bool:
        """Given to them, or to the whole group while they were in it."""
        if assignment.participant_id is not None:
            return assignment.participant_id == self.participant_id
        return enrolled_on(enrollment, meeting_day(given, zone))

    def action_show_view(self, view: str) -> None:
        self.view_made(view)
        self.query_one(ContentSwitcher).current = view
        self.query_one(ViewTabs).show(view)
        focus = {
            "goals": "#goals-table",
            "attendance": "#attendance-table",
            "assignments": "#assignments-table",
        }
        if view in focus:
            self.query_one(focus[view]).focus()
