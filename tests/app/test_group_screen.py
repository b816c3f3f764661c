"""The Group screen: header, attendance grid, roster with stages, upcoming meetings, and the forms."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import DataTable, Select

from curricula.format import Stage
from facilitator.app import make_app
from facilitator.screens.group.screen import GroupScreen
from facilitator.store import Store
from facilitator.store.records import (
    AttendanceMark,
    AttendanceStatus,
    Enrollment,
    EnrollmentStatus,
    Group,
    Meeting,
    MeetingStatus,
    Participant,
)
from facilitator.widgets.attendance_grid import AttendanceGridView
from tests.app.run_fakes import screen_text
from tests.app.screen_helpers import (
    column,
    demo_app,
    group_named,
    person_named,
    row_of,
    settle,
    shown,
    type_text,
)

TUESDAY = "Tuesday Recovery Group"


async def open_group(pilot: Pilot, store: Store, name: str = TUESDAY) -> GroupScreen:
    await settle(pilot)
    pilot.app.push_screen(GroupScreen(group_named(store, name).id))
    await pilot.pause()
    return pilot.app.screen  # type: ignore[return-value]


def enrolment(store: Store, person: Participant, group: Group) -> Enrollment:
    return next(e for e in store.enrollments_of(person.id) if e.group_id == group.id)


async def test_the_header_says_pack_schedule_facilitators_and_status(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await open_group(pilot, store)
        header = shown(pilot, "#group-header")
        assert "▶ running · open group" in header
        assert "Tuesdays at 6:30 pm, every week, 90 min (Europe/London), from 2 Dec 2025" in header
        assert "Riverside Clinic, room 2" in header
        assert "imr-style 1.1.0 · session 13 of 44" in header
        assert "Sam Okafor, Jude Harris" in header


async def test_at_80_columns_the_header_keeps_both_facilitators_and_the_rate_rule_fits(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(80, 24)) as pilot:
        await open_group(pilot, store)
        lines = screen_text(pilot.app).splitlines()
        assert any("Facilitators Sam Okafor, Jude Harris" in line for line in lines)
        assert any("imr-style 1.1.0 · session 13 of 44" in line for line in lines)
        assert any(line.strip().endswith("÷ marked while enrolled; excused left out") for line in lines)


async def test_the_grid_has_a_row_per_person_and_a_column_per_held_meeting(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        grid = screen.query_one(AttendanceGridView)
        assert screen.view == "attendance" and grid.has_focus
        assert len(grid.grid.rows) == 14 and len(grid.grid.meetings) == 13
        assert grid.cursor == (12, 0)  # the latest meeting, first person
        assert shown(pilot, "#grid-detail").startswith("Meeting 13, Tue 24 Feb 2026")
        legend = shown(pilot, "#grid-legend")
        assert "● present  ◐ late  ◑ left early  ✗ absent  ○ excused  · no mark  ⊘ cancelled" in legend
        assert "Rate = present, late or left early ÷ marked while enrolled; excused left out" in (legend)
        dev = [r.name for r in grid.grid.rows].index("Dev L.")
        await pilot.press(*["down"] * dev)
        assert shown(pilot, "#grid-detail").startswith(
            "Meeting 13, Tue 24 Feb 2026 (Places to meet people) · Dev L.: absent; came to 6 of 13 (46%)"
        )
        await pilot.press("left")
        assert shown(pilot, "#grid-detail").startswith("Meeting 12")
        await pilot.click(AttendanceGridView, offset=(grid.fixed_width + 1, 2))  # the first cell
        assert grid.cursor == (0, 0)
        await pilot.press(*["down"] * dev, *["end"])
        await pilot.press("enter")
        assert type(pilot.app.screen).__name__ == "ParticipantScreen"
        assert pilot.app.screen.participant_id == person_named(store, "Dev L.").id


def long_group(store: Store) -> None:
    """A group of 25 people who came to all of its 200 meetings."""
    group = Group(name="Long group")
    start = datetime(2022, 1, 4, 18, 30, tzinfo=UTC)
    meetings = [
        Meeting(
            group_id=group.id,
            number=n + 1,
            scheduled_start=start + timedelta(weeks=n),
            status=MeetingStatus.HELD,
        )
        for n in range(200)
    ]
    people = [Participant(display_name=f"Person {i:02d}") for i in range(25)]
    store.save_all([group, *meetings, *people])
    store.save_all(Enrollment(participant_id=p.id, group_id=group.id, joined_on=start.date()) for p in people)
    store.save_all(
        AttendanceMark(meeting_id=m.id, participant_id=p.id, status=AttendanceStatus.PRESENT)
        for m in meetings
        for p in people
    )


async def test_a_long_grid_scrolls_to_the_latest_meeting_and_keeps_names_in_view(store, clock) -> None:
    long_group(store)
    async with make_app(store, clock=clock).run_test(size=(80, 24)) as pilot:
        screen = await open_group(pilot, store, "Long group")
        grid = screen.query_one(AttendanceGridView)
        assert grid.cursor == (199, 0) and grid.scroll_x > 0
        last_line = grid.render_line(0).text
        assert last_line.startswith("Person ") and "200" in last_line
        await pilot.press("end", "pagedown", "pagedown", "pagedown")
        assert grid.cursor == (199, 24) and grid.scroll_y > 0
        assert grid.render_line(grid.scrollable_content_region.height - 1).text.startswith("Person 24")


async def test_the_first_frame_shows_the_latest_meeting_and_what_its_cell_holds(
    store, clock, monkeypatch
) -> None:
    """Opened, the grid is drawn once at its latest meetings (never first at meeting 1, then moved), and the
    line under the legend says what the cursor's cell holds from the first frame."""
    long_group(store)
    scrolled: list[float] = []
    draw = AttendanceGridView._draw_line

    def drawing(grid: AttendanceGridView, y: int) -> Strip:
        scrolled.append(grid.scroll_x)
        return draw(grid, y)

    monkeypatch.setattr(AttendanceGridView, "_draw_line", drawing)
    app = make_app(store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        details: list[str] = []
        app.post_display_hook = lambda: details.append(  # type: ignore[method-assign]
            shown(pilot, "#grid-detail") if isinstance(app.screen, GroupScreen) else "not yet"
        )
        await open_group(pilot, store, "Long group")
        assert scrolled and min(scrolled) > 0
        opened = [line for line in details if line != "not yet"]
        assert opened and all(line.startswith("Meeting 200, ") for line in opened)
        assert "Person 00: present; came to 200 of 200 (100%)" in opened[0]


async def test_s_sets_and_clears_a_stage_with_its_history(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        await pilot.press("r")
        roster = screen.query_one("#roster-table", DataTable)
        assert set(column(roster, 4)) == {"—"}
        roster.move_cursor(row=row_of(roster, "Dev L."))
        await pilot.press("s")
        assert type(pilot.app.screen).__name__ == "StagePicker"
        await pilot.press("down", "enter")  # the second stage: persuasion
        dev, group = person_named(store, "Dev L."), group_named(store, TUESDAY)
        saved = enrolment(store, dev, group)
        assert saved.stage is Stage.PERSUASION and saved.stage_set_on == date(2026, 3, 3)
        assert column(roster, 4)[row_of(roster, "Dev L.")] == "persuasion since 3 Mar"
        clock.advance(days=14)
        await pilot.press("s", "down", "enter")
        assert enrolment(store, dev, group).stage is Stage.ACTIVE_TREATMENT
        await pilot.press("s")
        assert "persuasion from 3 Mar 2026" in shown(pilot, "#choice-note")
        await pilot.press("end", "enter")  # No stage (clear it)
        cleared = enrolment(store, dev, group)
        assert cleared.stage is None
        assert [c.stage for c in cleared.stage_history] == [Stage.PERSUASION, Stage.ACTIVE_TREATMENT]
        assert column(roster, 4)[row_of(roster, "Dev L.")] == "—"


async def test_escape_in_the_stage_picker_changes_nothing(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await open_group(pilot, store)
        before = store.all(AttendanceMark), store.roster(group_named(store, TUESDAY).id)
        await pilot.press("s", "down", "escape")
        assert type(pilot.app.screen).__name__ == "GroupScreen"
        assert (store.all(AttendanceMark), store.roster(group_named(store, TUESDAY).id)) == before


async def test_e_enrols_someone_new_and_checks_as_you_type(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        await pilot.press("e")
        assert type(pilot.app.screen).__name__ == "EnrolForm"
        await pilot.press("ctrl+s")  # nothing typed yet
        assert shown(pilot, "#new-name-note") == "Type their name"
        assert store.count(Participant) == 30
        pilot.app.screen.query_one("#new-name").focus()
        await type_text(pilot, "Zed Q.")
        assert shown(pilot, "#new-name-note") == ""
        joined = pilot.app.screen.query_one("#joined")
        joined.focus()
        joined.value = ""
        await type_text(pilot, "someday")
        assert "Can't read" in shown(pilot, "#joined-note")
        joined.value = ""
        await type_text(pilot, "next tue")
        assert shown(pilot, "#joined-note") == "→ Tue 10 Mar 2026 · in 7 days"
        await pilot.press("ctrl+s")
        assert type(pilot.app.screen).__name__ == "GroupScreen"
        zed = person_named(store, "Zed Q.")
        saved = enrolment(store, zed, group_named(store, TUESDAY))
        assert saved.status is EnrollmentStatus.ACTIVE and saved.joined_on == date(2026, 3, 10)
        await pilot.press("r")  # the roster is made when first shown
        assert "Zed Q." in column(screen.query_one("#roster-table", DataTable), 0)


async def test_e_enrols_someone_already_in_facilitator(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await open_group(pilot, store)
        amara = person_named(store, "Amara H.")  # from the finished family class
        await pilot.press("e")
        pilot.app.screen.query_one("#who", Select).value = amara.id
        await pilot.pause()
        assert pilot.app.screen.query_one("#new-name").disabled
        await pilot.press("ctrl+s")
        assert enrolment(store, amara, group_named(store, TUESDAY)).status is EnrollmentStatus.ACTIVE
        assert store.count(Participant) == 30


async def test_escape_in_the_enrol_form_writes_nothing(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await open_group(pilot, store)
        await pilot.press("e")
        pilot.app.screen.query_one("#new-name").focus()
        await type_text(pilot, "Not saved")
        await pilot.press("escape")
        assert type(pilot.app.screen).__name__ == "GroupScreen"
        assert store.count(Participant) == 30


async def test_w_withdraws_the_selected_person_with_a_reason(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        await pilot.press("r")
        roster = screen.query_one("#roster-table", DataTable)
        roster.move_cursor(row=row_of(roster, "Mateo G."))
        await pilot.press("w")
        pilot.app.screen.query_one("#reason").focus()
        await type_text(pilot, "moved away")
        await pilot.press("ctrl+s")
        saved = enrolment(store, person_named(store, "Mateo G."), group_named(store, TUESDAY))
        assert saved.status is EnrollmentStatus.WITHDRAWN
        assert (saved.left_on, saved.reason) == (date(2026, 3, 3), "moved away")
        assert column(roster, 2)[row_of(roster, "Mateo G.")] == "↩ withdrawn"


async def test_c_cancels_a_planned_meeting_with_a_reason(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        await pilot.press("r", "c")  # the roster shows no meetings: first it shows them to pick from
        assert screen.view == "meetings"
        meetings = screen.query_one("#meetings-table", DataTable)
        assert column(meetings, 0)[:2] == ["14", "15"] and column(meetings, 4)[0] == "◷ planned"
        assert column(meetings, 3)[0].endswith("Starting and keeping a conversation going")
        meetings.move_cursor(row=1)
        await pilot.press("c", "ctrl+s")
        assert shown(pilot, "#reason-note") == "Type a reason"
        await type_text(pilot, "room unavailable")
        await pilot.press("enter")
        cancelled = next(m for m in store.group_meetings(group_named(store, TUESDAY).id) if m.number == 15)
        assert cancelled.status is MeetingStatus.CANCELLED and cancelled.cancel_reason == "room unavailable"
        assert column(meetings, 4)[1] == "⊘ cancelled"
        # Not by grey alone, and not only at the far right: the number and the Covers column say so too.
        assert column(meetings, 0)[1] == "⊘ 15" and column(meetings, 3)[1] == "cancelled: room unavailable"
        grid = screen.query_one(AttendanceGridView).grid
        assert [m.number for m in grid.meetings if m.cancelled] == [15]
