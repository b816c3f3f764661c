"""The Group screen's editing: the group itself, scheduling and moving meetings, planning the rest of the
course, and setting a mark after the fact — each asserted in the store and on the screen."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from facilitator.app import make_app
from facilitator.course.calendar import course_progress
from facilitator.course.packs import bundled_pack
from facilitator.course.scheduling import without_a_session
from facilitator.course.swap import apply_swap, preview_swap
from facilitator.demo import seed_demo
from facilitator.screens.group.screen import GroupScreen
from facilitator.store import Store
from facilitator.store.records import (
    AttendanceStatus,
    Enrollment,
    EnrollmentStatus,
    Group,
    Meeting,
    MeetingStatus,
)
from facilitator.widgets.attendance_grid import AttendanceGridView
from facilitator.widgets.group_header import GroupHeader
from tests.app.run_fakes import screen_text
from tests.app.screen_helpers import (
    column,
    demo_app,
    group_named,
    person_named,
    read_only_demo,
    settle,
    shown,
    type_text,
)

TUESDAY = "Tuesday Recovery Group"
LONDON = ZoneInfo("Europe/London")


async def open_group(pilot: Pilot, store: Store, name: str = TUESDAY) -> GroupScreen:
    await settle(pilot)
    pilot.app.push_screen(GroupScreen(group_named(store, name).id))
    await pilot.pause()
    return pilot.app.screen  # type: ignore[return-value]


async def replace_text(pilot: Pilot, field: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{field}", Input).value = ""
    pilot.app.screen.query_one(f"#{field}", Input).focus()
    await type_text(pilot, text)


def meetings_of(store: Store, name: str = TUESDAY) -> list[Meeting]:
    return store.group_meetings(group_named(store, name).id)


def numbered_by_date(meetings: list[Meeting]) -> bool:
    ordered = sorted(meetings, key=lambda m: m.scheduled_start)
    return [m.number for m in ordered] == list(range(1, len(meetings) + 1))


def local_time(meeting: Meeting) -> time:
    return meeting.scheduled_start.astimezone(LONDON).time()


async def test_g_edits_the_group_and_moves_its_upcoming_meetings_to_the_new_time(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        before = {m.id: m for m in meetings_of(store)}
        await pilot.press("g")
        assert pilot.app.screen.query_one("#group-name", Input).value == TUESDAY
        await replace_text(pilot, "group-name", "Tuesday Evening Group")
        await replace_text(pilot, "time", "7pm")
        assert shown(pilot, "#time-note") == "→ 7:00 pm"
        assert "its 31 upcoming planned meetings move to it" in shown(pilot, "#edit-group-effect")
        await pilot.press("ctrl+s")
        group = store.get(Group, screen.group_id)
        assert group.name == "Tuesday Evening Group" and group.schedule.start_time == "19:00"
        after = meetings_of(store, "Tuesday Evening Group")
        held = [m for m in after if m.status is MeetingStatus.HELD]
        planned = [m for m in after if m.status is MeetingStatus.PLANNED]
        assert all(m.scheduled_start == before[m.id].scheduled_start for m in held)  # the past stays
        assert len(planned) == 31 and all(local_time(m) == time(19, 0) for m in planned)
        assert all(before[m.id].scheduled_start.date() == m.scheduled_start.date() for m in planned)
        assert [m.covers for m in after] == [before[m.id].covers for m in after]
        assert "Tuesday Evening Group" in shown(pilot, "#group-header")
        assert "Tuesdays at 7:00 pm" in shown(pilot, "#group-header")


async def test_g_can_leave_planned_meetings_where_they_are_and_a_new_weekday_moves_them(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await open_group(pilot, store)
        before = {m.id: m.scheduled_start for m in meetings_of(store)}
        await pilot.press("g")
        pilot.app.screen.query_one("#weekday", Select).value = 3  # Thursday
        pilot.app.screen.query_one("#move", Select).value = False
        await pilot.pause()
        assert "stay on their dates" in shown(pilot, "#edit-group-effect")
        await pilot.press("ctrl+s")
        assert {m.id: m.scheduled_start for m in meetings_of(store)} == before
        assert group_named(store, TUESDAY).schedule.weekdays == [3]

        await pilot.press("g")
        pilot.app.screen.query_one("#weekday", Select).value = 2  # Wednesday, and move them this time
        await pilot.pause()
        await pilot.press("ctrl+s")
        planned = [m for m in meetings_of(store) if m.status is MeetingStatus.PLANNED]
        days = [m.scheduled_start.astimezone(LONDON).date() for m in planned]
        assert days[0] == date(2026, 3, 4) and all(d.weekday() == 2 for d in days)  # from tomorrow, weekly
        assert numbered_by_date(meetings_of(store))


async def test_g_sets_whether_excused_absences_count_and_every_rate_follows(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        before = {row.name: row for row in screen.query_one(AttendanceGridView).grid.rows}
        await pilot.press("g")
        excused = pilot.app.screen.query_one("#excused", Select)
        assert excused.value is False  # the default: left out, as most programmes count
        excused.value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert group_named(store, TUESDAY).excused_counts is True
        assert shown(pilot, "#grid-legend").endswith("excused as absent")
        after = {row.name: row for row in screen.query_one(AttendanceGridView).grid.rows}
        for name, row in before.items():
            excused_marks = sum(
                cell is AttendanceStatus.EXCUSED and inside
                for cell, inside in zip(row.cells, row.enrolled, strict=True)
            )
            assert after[name].rate.came == row.rate.came
            assert after[name].rate.marked == row.rate.marked + excused_marks
        assert any(AttendanceStatus.EXCUSED in row.cells for row in before.values())


async def test_a_long_form_keeps_its_title_in_view_at_80_by_24(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(80, 24)) as pilot:
        await open_group(pilot, store)
        await pilot.press("g")
        await pilot.pause()
        pilot.app.screen.query_one("#excused", Select).focus()  # the last field: the form scrolls to it
        await pilot.pause()
        assert pilot.app.screen.query_one("#form-box").scroll_y > 0
        assert f"Edit {TUESDAY}" in screen_text(pilot.app)


async def test_escape_in_the_group_form_writes_nothing(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await open_group(pilot, store)
        group = group_named(store, TUESDAY)
        await pilot.press("g")
        await replace_text(pilot, "group-name", "Something else")
        await pilot.press("escape")
        assert store.get(Group, group.id) == group
        assert type(pilot.app.screen).__name__ == "GroupScreen"


async def test_n_schedules_an_extra_meeting_and_numbers_follow_the_dates(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        count = len(meetings_of(store))
        await pilot.press("n")
        await type_text(pilot, "yesterday")
        assert "that has passed" in shown(pilot, "#when-note")
        await pilot.press("ctrl+s")
        assert len(meetings_of(store)) == count  # refused: nothing written
        await replace_text(pilot, "when", "thu")  # no time: the group's usual 6:30 pm
        assert shown(pilot, "#when-note").startswith("→ Thu 5 Mar 2026, 6:30 pm · in 2 days")
        covers = pilot.app.screen.query_one("#covers", Select)
        assert covers.value == "__none__"  # every session of the course already has a meeting
        await pilot.press("ctrl+s")
        meetings = meetings_of(store)
        extra = next(m for m in meetings if m.covers is None)
        assert extra.scheduled_start.astimezone(LONDON).date() == date(2026, 3, 5) and extra.number == 15
        assert len(meetings) == count + 1 and numbered_by_date(meetings)
        await pilot.press("m")
        table = screen.query_one("#meetings-table", DataTable)
        assert column(table, 0)[:3] == ["14", "15", "16"]
        assert column(table, 3)[1] == ""  # the extra meeting covers no session


async def test_d_and_c_act_on_the_meeting_under_the_cursor_of_any_tab_that_shows_meetings(
    store, clock
) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        grid = screen.query_one(AttendanceGridView)
        assert screen.view == "attendance" and grid.current_meeting is not None
        highlighted = grid.current_meeting.number
        for key, verb in (("d", "moved"), ("c", "cancelled")):
            await pilot.press(key)
            assert screen.view == "attendance"  # it answered about the highlighted meeting, where it is
            assert list(pilot.app._notifications)[-1].message == (
                f"Meeting {highlighted} is held: only a planned meeting can be {verb}; "
                "the upcoming ones are under m."
            )
        held = {m.id: m.status for m in meetings_of(store)}
        await pilot.press("r", "c")  # the roster shows no meetings: it shows the upcoming ones to pick from
        assert screen.view == "meetings"
        assert list(pilot.app._notifications)[-1].message == "Pick the meeting, then press c again."
        assert {m.id: m.status for m in meetings_of(store)} == held  # nothing was changed on the way


async def test_d_moves_a_planned_meeting_and_the_numbers_follow(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        await pilot.press("m")
        assert screen.view == "meetings"
        table = screen.query_one("#meetings-table", DataTable)
        table.move_cursor(row=1)  # meeting 15, Tue 10 Mar
        fifteen = next(m for m in meetings_of(store) if m.number == 15)
        await pilot.press("d")
        assert pilot.app.screen.query_one("#when", Input).value == "2026-03-10 18:30"
        await replace_text(pilot, "when", "17 Mar 8pm")
        await pilot.press("ctrl+s")
        moved = store.get(Meeting, fifteen.id)
        assert moved.scheduled_start.astimezone(LONDON).hour == 20 and moved.number == 16
        assert moved.covers == fifteen.covers
        assert numbered_by_date(meetings_of(store))
        assert column(table, 0)[1] == "15" and column(table, 3)[1] != fifteen.covers.title


async def test_shift_g_plans_a_meeting_for_each_session_left_without_one(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await open_group(pilot, store)
        before = meetings_of(store)
        dropped = next(m for m in before if m.number == 20)
        store.update(dropped, status=MeetingStatus.CANCELLED, cancel_reason="room flooded")
        await pilot.press("G")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "SwapPreview"
        preview = shown(pilot, "#swap-preview")
        assert "1 session has no meeting yet" in preview and dropped.covers.title in preview
        await pilot.press("enter")
        after = meetings_of(store)
        new = next(m for m in after if m.id not in {b.id for b in before})
        last = max(b.scheduled_start for b in before)
        assert new.covers == dropped.covers and new.status is MeetingStatus.PLANNED
        assert new.scheduled_start > last and new.number == 45 and new.agenda
        await pilot.press("G")
        await settle(pilot)
        assert any("already has a meeting" in n.message for n in pilot.app._notifications)


async def test_space_sets_and_clears_a_mark_after_the_fact(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        grid = screen.query_one(AttendanceGridView)
        dev = person_named(store, "Dev L.")
        await pilot.press(*["down"] * [r.participant_id for r in grid.grid.rows].index(dev.id))
        meeting_id = grid.current_meeting.id
        assert store.meeting_marks(meeting_id)[dev.id].status is AttendanceStatus.ABSENT
        await pilot.press("space")
        assert shown(pilot, ".dialog-title").startswith("Dev L. at meeting 13")
        await pilot.press("down", "enter")  # from absent to excused
        assert store.meeting_marks(meeting_id)[dev.id].status is AttendanceStatus.EXCUSED
        assert "Dev L.: excused" in shown(pilot, "#grid-detail")
        await pilot.press("space", "down", "enter")  # no mark
        assert dev.id not in store.meeting_marks(meeting_id)
        assert "Dev L.: no mark" in shown(pilot, "#grid-detail")
        await pilot.press("space", "escape")
        assert dev.id not in store.meeting_marks(meeting_id)


async def test_a_group_entered_mid_course_asks_for_the_attendance_of_its_past_meetings(store, clock) -> None:
    """A follow-up "no marks" opens the grid on that meeting, where space records who came."""
    seed_demo(store, seed=7, now=clock())
    group = group_named(store, TUESDAY)
    held = [m for m in meetings_of(store) if m.status is MeetingStatus.HELD]
    for mark in store.meeting_marks(held[4].id).values():
        store.delete(mark)
    async with make_app(store, clock=clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        follow_ups = pilot.app.screen.query_one("#follow-ups", DataTable)
        row = next(i for i, why in enumerate(column(follow_ups, 3)) if "no attendance taken" in why)
        follow_ups.focus()
        follow_ups.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, GroupScreen) and screen.group_id == group.id
        assert screen.view == "attendance"
        assert screen.query_one(AttendanceGridView).current_meeting.id == held[4].id
        await pilot.press("space", "enter")  # present
        assert len(store.meeting_marks(held[4].id)) == 1


async def test_a_read_only_database_refuses_each_change_in_one_line(store, db_path, clock) -> None:
    with read_only_demo(store, db_path, clock) as looking:
        async with make_app(looking, clock=clock).run_test(size=(120, 40)) as pilot:
            await open_group(pilot, looking)
            for key in ("g", "n", "e", "space", "G"):
                await pilot.press(key)
                await settle(pilot)
                assert type(pilot.app.screen).__name__ == "GroupScreen"
            warnings = [n.message for n in pilot.app._notifications if "read-only" in n.message]
            assert len(warnings) == 5


async def test_help_and_the_palette_list_every_group_action(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        titles = {command.title for command in pilot.app.get_system_commands(screen)}
        wanted = {
            "Edit group",
            "New meeting",
            "Move meeting",
            "Cancel meeting",
            "Plan the course",
            "Set mark",
        }
        assert wanted | {"Enrol", "Withdraw", "Stage", "Change pack"} <= titles
        await pilot.press("question_mark")
        assert type(pilot.app.screen).__name__ == "HelpScreen"
        text = str(pilot.app.screen.query_one("#help-box Static").render())
        for key, words in [
            ("g", "Edit group — Name, status"),
            ("G", "Plan the course"),
            ("space", "Set mark"),
        ]:
            assert f"{key:>12}  {words}" in text


async def test_c_carries_the_session_on_by_default_or_leaves_it_for_later(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        before = {m.number: m for m in meetings_of(store)}
        await pilot.press("m")
        screen.query_one("#meetings-table", DataTable).move_cursor(row=1)  # meeting 15
        await pilot.press("c")
        assert pilot.app.screen.query_one("#shift", Select).value is True
        await type_text(pilot, "snow")
        await pilot.press("ctrl+s")
        after = {m.id: m for m in meetings_of(store)}
        assert after[before[15].id].status is MeetingStatus.CANCELLED
        assert after[before[16].id].covers == before[15].covers  # next week takes the snowed-out session
        assert after[before[44].id].covers == before[43].covers
        (added,) = [m for m in after.values() if m.id not in {b.id for b in before.values()}]
        assert added.covers == before[44].covers and added.number == 45
        assert numbered_by_date(list(after.values()))

        table = screen.query_one("#meetings-table", DataTable)
        table.move_cursor(row=2)  # now meeting 16, which covers session 15's topic
        await pilot.press("c")
        pilot.app.screen.query_one("#shift", Select).value = False
        await type_text(pilot, "room booked")
        await pilot.press("ctrl+s")
        later = {m.id: m for m in meetings_of(store)}
        assert later[before[16].id].status is MeetingStatus.CANCELLED
        assert [m.covers for m in later.values() if m.status is MeetingStatus.PLANNED] == [
            after[m.id].covers for m in after.values() if m.status is MeetingStatus.PLANNED and m.id in later
            and later[m.id].status is MeetingStatus.PLANNED
        ]  # fmt: skip
        assert len(later) == len(after)


async def test_shift_e_takes_someone_off_the_waiting_list_and_checks_a_leaving_date(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store, "Thursday WRAP Workshop")
        roster = screen.query_one("#roster-table", DataTable)
        waiting = column(roster, 0)[column(roster, 2).index("… waiting list")]
        roster.move_cursor(row=column(roster, 0).index(waiting))
        await pilot.press("E")
        pilot.app.screen.query_one("#status", Select).value = EnrollmentStatus.WITHDRAWN
        await pilot.pause()
        assert shown(pilot, "#left-note") == "Type the day they left"
        await pilot.press("ctrl+s")
        person = person_named(store, waiting)
        place = next(e for e in store.enrollments_of(person.id) if e.group_id == screen.group_id)
        assert place.status is EnrollmentStatus.WAITLIST  # refused: nothing written
        pilot.app.screen.query_one("#status", Select).value = EnrollmentStatus.ACTIVE
        await pilot.pause()
        await pilot.press("ctrl+s")
        place = store.get(Enrollment, place.id)
        assert place.status is EnrollmentStatus.ACTIVE and place.left_on is None
        assert column(roster, 2)[column(roster, 0).index(waiting)] == "● active"


async def test_after_a_change_to_a_shorter_pack_the_course_counts_its_sessions_and_g_drops_the_rest(
    store, clock
) -> None:
    seed_demo(store, seed=7, now=clock())
    group = group_named(store, TUESDAY)
    shorter = bundled_pack("wrap-style")
    apply_swap(store, group, shorter, preview_swap(store, group, shorter))
    left_over = without_a_session(store.group_meetings(group.id), clock())
    assert left_over  # the IMR course had many more meetings than the new pack has sessions
    held, total = course_progress(store.group_meetings(group.id))
    assert total < 44  # sessions, not the 44 meetings
    async with make_app(store, clock=clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        header = str(screen.query_one(GroupHeader).render())
        assert f"session {held} of {total}" in header and "of 44" not in header
        await pilot.press("G")  # first each session of the new pack without a meeting gets a bare one
        await settle(pilot)
        assert "G again drops them" in shown(pilot, "#swap-preview")
        await pilot.press("enter")
        still = without_a_session(meetings_of(store), clock())
        assert 0 < len(still) < len(left_over)
        left_over = still
        await pilot.press("G")
        await settle(pilot)
        preview = shown(pilot, "#swap-preview")
        assert f"{len(left_over)} planned meetings cover no session" in preview
        await pilot.press("enter")
        assert without_a_session(store.group_meetings(group.id), clock()) == []
        dropped = {m.id for m in left_over}
        assert all(store.get(Meeting, m).deleted for m in dropped)
        assert numbered_by_date(meetings_of(store))


async def test_v_reads_again_the_summary_and_notes_of_a_held_meeting(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_group(pilot, store)
        column = screen.query_one(AttendanceGridView).current_meeting
        held = store.get(Meeting, column.id)
        assert held.status is MeetingStatus.HELD
        await pilot.press("v")
        await pilot.pause()
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "SummaryScreen"
        text = shown(pilot, "#summary-text")
        assert f"meeting {held.number}" in text.lower()
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("m", "v")  # an upcoming meeting has no summary yet
        assert list(pilot.app._notifications)[-1].message.endswith(
            "a summary is kept once a meeting is held."
        )
