"""The Run Session screen: every key, what the store holds afterwards and what the screen shows."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Digits, Input, Static

from curricula.format import Stage
from facilitator.course.run import MeetingRun, saved_state
from facilitator.display import local
from facilitator.screens.run.assignments import AssignmentDialog
from facilitator.screens.run.attendance import AttendanceDialog, MarkTimeDialog
from facilitator.screens.run.dialogs import ConfirmEndDialog, NewcomerDialog, NoteDialog, ResumeDialog
from facilitator.screens.run.goals import GoalCheckInDialog
from facilitator.screens.run.screen import RunSessionScreen
from facilitator.screens.run.summary import SummaryScreen
from facilitator.store import Store
from facilitator.store.records import (
    AttendanceStatus,
    Goal,
    Meeting,
    MeetingStatus,
    Participant,
    Review,
    Settings,
)
from facilitator.widgets.attendance_panel import AttendancePanel
from facilitator.widgets.countdown import Countdown
from facilitator.widgets.prompts import SegmentPrompts
from sessions import SessionStatus
from tests.app.run_fakes import (
    WRAP_GROUP,
    demo_tonight,
    fake_monotonic,
    next_meeting,
    run_app,
    screen_text,
    staged_group,
)
from tests.app.screen_helpers import column, type_text

SIZE = (100, 32)


async def replace_input(pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.value = ""
    field.focus()
    await type_text(pilot, text)


async def open_screen(pilot, meeting_id: str, **kwargs) -> RunSessionScreen:
    """Push the Run Session screen as Home does, and let it draw."""
    await pilot.app.push_screen(RunSessionScreen(meeting_id, **kwargs))
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RunSessionScreen)
    return screen


def state_of(store: Store, meeting_id: str):
    return saved_state(store.get(Meeting, meeting_id))


def digits(screen: RunSessionScreen) -> str:
    return screen.query_one(Digits).value


def words(screen: RunSessionScreen) -> str:
    return str(screen.query_one("#countdown-words", Static).render())


async def test_space_starts_pauses_and_resumes_with_the_state_saved(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        assert digits(screen) == "5:00"
        assert "not started" in words(screen)
        await pilot.press("space")
        saved = store.get(Meeting, meeting.id)
        assert saved.status is MeetingStatus.IN_PROGRESS and saved.started_at == clock()
        assert saved_state(saved).status is SessionStatus.RUNNING
        clock.advance(seconds=61)
        screen.tick()
        assert digits(screen) == "3:59"
        await pilot.press("space")
        assert state_of(store, meeting.id).status is SessionStatus.PAUSED
        assert "paused" in words(screen)
        clock.advance(minutes=10)  # paused time counts for nothing
        await pilot.press("space")
        assert state_of(store, meeting.id).status is SessionStatus.RUNNING
        assert digits(screen) == "3:59"


async def test_next_previous_skip_and_minutes(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        await pilot.press("space", "n")
        assert state_of(store, meeting.id).current_index == 1
        assert "Segment 2 of" in str(screen.query_one("#run-segment", Static).render())
        await pilot.press("p")
        assert state_of(store, meeting.id).current_index == 0
        await pilot.press("p")  # nothing before the first: refused, nothing saved
        assert state_of(store, meeting.id).current_index == 0
        await pilot.press("plus")
        assert state_of(store, meeting.id).planned_seconds[0] == 360
        await pilot.press("equals_sign")
        assert state_of(store, meeting.id).planned_seconds[0] == 420
        assert digits(screen) == "7:00"
        await pilot.press("minus")
        assert state_of(store, meeting.id).planned_seconds[0] == 360
        await pilot.press("s")
        state = state_of(store, meeting.id)
        assert state.skipped[0] and state.current_index == 1
        await pilot.pause()
        shown = screen_text(pilot.app)
        assert "↷ 1. Informal ch" in shown and "skipped" in shown
        assert "▶ 2. Review of t" in shown


async def test_wrap_up_bell_and_overrun(store, clock, monkeypatch: pytest.MonkeyPatch) -> None:
    meeting = demo_tonight(store, clock)
    app = run_app(store, clock)
    bells: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(True))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        countdown = screen.query_one(Countdown)
        await pilot.press("space")
        clock.advance(minutes=4, seconds=15)
        screen.tick()
        assert digits(screen) == "0:45"
        assert countdown.has_class("-wrap-up") and "wrap-up" in words(screen)
        assert not bells
        clock.advance(seconds=45)
        screen.tick()
        assert bells == [True]
        await pilot.pause()
        assert [n.message for n in app._notifications][-1].startswith("Time is up: Informal check-in")
        assert state_of(store, meeting.id).bells_claimed == 1
        clock.advance(seconds=83)
        screen.tick()
        screen.tick()
        assert bells == [True]  # once per zero
        assert digits(screen) == "+1:23"
        assert countdown.has_class("-overrun") and countdown.has_class("-over")
        assert "OVERRUN by 1:23" in words(screen)
        progress = str(screen.query_one("#run-progress").render())
        assert "▲ 1:23 over in 1 segment" in progress


async def test_auto_advance_moves_on_when_the_setting_is_on(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    store.update(store.meta, settings=Settings(auto_advance=True))
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        await pilot.press("space")
        clock.advance(minutes=5, seconds=10)
        screen.tick()
        assert state_of(store, meeting.id).current_index == 1
        assert "Review of the last session" in str(screen.query_one("#run-segment", Static).render())
        assert digits(screen) == "4:50"


async def test_a_tick_saves_every_ten_seconds_only(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        await pilot.press("space")
        started = state_of(store, meeting.id).as_of_wall
        clock.advance(seconds=9)
        screen.tick()
        assert state_of(store, meeting.id).as_of_wall == started
        clock.advance(seconds=1)
        screen.tick()
        assert state_of(store, meeting.id).as_of_wall == clock()


async def test_end_asks_first_then_shows_the_summary_kept_on_the_meeting(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        await pilot.press("e")  # not started: nothing to end
        assert pilot.app.screen is screen
        await pilot.press("space")
        clock.advance(minutes=3)
        await pilot.press("e")
        assert isinstance(pilot.app.screen, ConfirmEndDialog)
        await pilot.press("escape")
        assert store.get(Meeting, meeting.id).status is MeetingStatus.IN_PROGRESS
        await pilot.press("e", "y")
        await pilot.pause()
        held = store.get(Meeting, meeting.id)
        assert held.status is MeetingStatus.HELD and held.ended_at == clock()
        assert held.agenda[0].actual_seconds == 180
        assert held.summary["actual_seconds"] == 180
        assert isinstance(pilot.app.screen, SummaryScreen)
        shown = str(pilot.app.screen.query_one("#summary-text", Static).render())
        assert "3:00 run of 1:30:00 planned" in shown
        assert meeting.id not in pilot.app.live_runs


async def test_ending_with_people_unmarked_names_them_and_can_mark_them_absent(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("space")
        run = pilot.app.live_runs[meeting.id]
        expected = [person for _, person in run.roster()]
        came, *rest = expected
        run.mark(came.id, AttendanceStatus.PRESENT)
        await pilot.press("e")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmEndDialog)
        words = str(dialog.query_one("#end-unmarked", Static).render())
        assert words.startswith(f"{len(rest)} people have no mark yet: ")
        assert all(person.display_name in words for person in rest) and came.display_name not in words
        await pilot.press("a")
        await pilot.pause()
        assert store.get(Meeting, meeting.id).status is MeetingStatus.HELD
        marks = store.meeting_marks(meeting.id)
        assert marks[came.id].status is AttendanceStatus.PRESENT
        assert {marks[person.id].status for person in rest} == {AttendanceStatus.ABSENT}


async def test_ending_with_everyone_marked_asks_only_whether_to_end(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("space")
        pilot.app.live_runs[meeting.id].mark_everyone_present()
        await pilot.press("e")
        assert not pilot.app.screen.query("#end-unmarked")
        await pilot.press("a")  # nothing to mark absent: the key does nothing
        assert isinstance(pilot.app.screen, ConfirmEndDialog)


async def test_t_corrects_when_a_late_arrival_came_and_refuses_a_time_outside_the_meeting(
    store, clock
) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("space")  # started now
        clock.advance(minutes=25)
        await pilot.press("a")
        dialog = pilot.app.screen
        assert isinstance(dialog, AttendanceDialog)
        first = dialog.run.roster()[0][1]
        await pilot.press("t")  # no mark yet: nothing to time
        assert "mark them l or e first" in str(dialog.query_one("#attendance-last", Static).render())
        await pilot.press("l", "up", "t")
        timing = pilot.app.screen
        assert isinstance(timing, MarkTimeDialog)
        assert f"When did {first.display_name} arrive?" in str(
            timing.query_one(".dialog-title", Static).render()
        )
        started = store.get(Meeting, meeting.id).started_at
        zone = pilot.app.live_runs[meeting.id].zone
        too_early = local(started, zone).shift(minutes=-30).format("h:mma")
        await replace_input(pilot, "#mark-time", too_early)
        await pilot.press("enter")
        assert "before the meeting started" in str(timing.query_one("#mark-time-note", Static).render())
        assert pilot.app.screen is timing  # still open: nothing kept
        arrived = local(started, zone).shift(minutes=10)
        await replace_input(pilot, "#mark-time", arrived.format("h:mma"))
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is dialog
        mark = store.meeting_marks(meeting.id)[first.id]
        assert mark.status is AttendanceStatus.LATE and mark.at == arrived.datetime.replace(
            second=0, microsecond=0
        )
        assert f"late at {arrived.format('h:mm a')}" in str(
            dialog.query_one("#attendance-last", Static).render()
        )


async def test_attendance_keys_everyone_present_then_exceptions(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("a")
        dialog = pilot.app.screen
        assert isinstance(dialog, AttendanceDialog)
        panel = dialog.query_one(AttendancePanel)
        roster = [person for _, person in dialog.run.roster()]
        await pilot.press("asterisk")
        marks = store.meeting_marks(meeting.id)
        assert {marks[p.id].status for p in roster} == {AttendanceStatus.PRESENT}
        said = dialog.query_one("#attendance-last", Static)
        assert "mark the exceptions" in str(said.render())
        clock.advance(minutes=14)
        await pilot.press("l")  # the first person came late: a correction, so the cursor stays on them
        assert str(said.render()) == f"✓ {roster[0].display_name}: late (corrected; the cursor stays)"
        assert panel.highlighted_participant == roster[0].id
        await pilot.press("down", "e", "down", "a", "down", "x", "down", "p")
        marks = store.meeting_marks(meeting.id)
        assert marks[roster[0].id].status is AttendanceStatus.LATE and marks[roster[0].id].at == clock()
        assert marks[roster[1].id].status is AttendanceStatus.LEFT_EARLY
        assert marks[roster[2].id].status is AttendanceStatus.ABSENT
        assert marks[roster[3].id].status is AttendanceStatus.EXCUSED
        assert marks[roster[4].id].status is AttendanceStatus.PRESENT
        first_row = [str(cell) for cell in panel.get_row_at(0)]
        assert first_row[1] == "◷ late" and first_row[2] == local(clock()).format("h:mm a")
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, RunSessionScreen)


async def test_a_first_mark_moves_on_and_says_who_is_next(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("a")
        dialog = pilot.app.screen
        panel = dialog.query_one(AttendancePanel)
        first = panel.highlighted_participant
        assert first in {p.id for p in dialog.run.unmarked()}  # tonight's marks are not taken yet
        names = {p.id: p.display_name for _, p in dialog.run.roster()}
        await pilot.press("p")
        following = panel.highlighted_participant
        said = str(dialog.query_one("#attendance-last", Static).render())
        assert following != first and said == f"✓ {names[first]}: present · next: {names[following]}"


async def test_a_newcomer_is_enrolled_on_the_spot_and_escape_writes_nothing(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("a", "n")
        assert isinstance(pilot.app.screen, NewcomerDialog)
        people = store.count(Participant)
        await pilot.press(*"Ana", "escape")
        assert store.count(Participant) == people
        await pilot.press("n")
        taken = pilot.app.screen_stack[-2].run.roster()[0][1].display_name
        await pilot.press(*taken.lower(), "enter")
        problem = str(pilot.app.screen.query_one("#newcomer-problem", Static).render())
        assert "already called" in problem and store.count(Participant) == people
        await pilot.press("escape", "n", *"[b]Rui[/b]", "enter")
        newcomer = next(p for p in store.all(Participant) if p.display_name == "[b]Rui[/b]")
        (enrolment,) = store.enrollments_of(newcomer.id)
        assert enrolment.group_id == meeting.group_id
        assert store.meeting_marks(meeting.id)[newcomer.id].status is AttendanceStatus.PRESENT
        panel = pilot.app.screen.query_one(AttendancePanel)
        assert panel.highlighted_participant == newcomer.id
        assert "[b]Rui[/b]" in column(panel, 0)


async def test_a_newcomer_already_known_elsewhere_is_offered_and_keeps_one_record(store, clock) -> None:
    meeting = demo_tonight(store, clock)  # the demo's IMR group is open
    expected = {person.id for _, person in MeetingRun.open(
        store, meeting.id, wall_clock=clock, monotonic=fake_monotonic(clock)).roster()}  # fmt: skip
    elsewhere = next(p for p in store.all(Participant) if p.id not in expected)
    typed = elsewhere.display_name.upper()  # case (and accents) aside, the same name
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        people = store.count(Participant)
        await pilot.press("a", "n", *typed, "enter")
        dialog = pilot.app.screen
        assert isinstance(dialog, NewcomerDialog)
        assert "already in Facilitator: is this them?" in str(dialog.query_one("#newcomer-problem").render())
        await pilot.press("enter")  # the first choice: the person already known
        await pilot.pause()
        assert store.count(Participant) == people  # no second record of them
        assert store.meeting_marks(meeting.id)[elsewhere.id].status is AttendanceStatus.PRESENT
        assert meeting.group_id in {e.group_id for e in store.enrollments_of(elsewhere.id)}
        await pilot.press("n", *typed, "enter")  # now expected tonight: refused as a name already here
        assert "already called" in str(pilot.app.screen.query_one("#newcomer-problem").render())


async def test_a_newcomer_with_a_known_name_can_still_be_someone_new(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    expected = {person.id for _, person in MeetingRun.open(
        store, meeting.id, wall_clock=clock, monotonic=fake_monotonic(clock)).roster()}  # fmt: skip
    elsewhere = next(p for p in store.all(Participant) if p.id not in expected)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        people = store.count(Participant)
        await pilot.press("a", "n", *elsewhere.display_name, "enter", "end", "enter")  # "someone new"
        await pilot.pause()
        assert store.count(Participant) == people + 1
        assert elsewhere.id not in store.meeting_marks(meeting.id)


async def test_a_closed_group_has_no_newcomer_key(store, clock) -> None:
    demo_tonight(store, clock)
    wrap = next_meeting(store, WRAP_GROUP)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, wrap.id)
        people = store.count(Participant)
        await pilot.press("a", "n")
        assert isinstance(pilot.app.screen, AttendanceDialog)
        assert store.count(Participant) == people


async def test_the_note_is_saved_with_ctrl_s_and_escape_keeps_the_old_one(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("o")
        assert isinstance(pilot.app.screen, NoteDialog)
        await pilot.press(*"Quiet start", "ctrl+s")
        assert store.get(Meeting, meeting.id).notes == "Quiet start"
        await pilot.press("o", *" then lively", "escape")
        assert store.get(Meeting, meeting.id).notes == "Quiet start"
        await pilot.press("o", "enter", *"Jo left at 7", "ctrl+s")
        assert store.get(Meeting, meeting.id).notes == "Quiet start\nJo left at 7"


async def test_goal_check_in_appends_a_check_in_for_this_meeting(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("g")
        dialog = pilot.app.screen
        assert isinstance(dialog, GoalCheckInDialog)
        goal = dialog.chosen
        before = len(goal.check_ins)
        details = str(dialog.query_one("#goal-details", Static).render())
        assert goal.title in details
        scale = str(dialog.query_one("#goal-scale", Static).render())
        assert scale.startswith("1 not going well") and scale.endswith("5 going very well")  # up front
        hint = " ".join(str(s.render()) for s in dialog.query(".run-dialog-hint"))
        assert "tab" not in hint  # a digit already moves to the note: tab would send the typing elsewhere
        await pilot.press("enter", "enter")  # on to the rating, left empty: one line, nothing written
        assert len(store.get(Goal, goal.id).check_ins) == before
        assert "rating" in str(dialog.query_one("#goal-problem", Static).render())
        await pilot.press("4", *"Two walks", "enter")
        saved = store.get(Goal, goal.id).check_ins
        assert len(saved) == before + 1
        assert (saved[-1].rating, saved[-1].note, saved[-1].meeting_id) == (4, "Two walks", meeting.id)
        assert isinstance(pilot.app.screen, RunSessionScreen)
        await pilot.press("g", "3", "escape")
        assert len(store.get(Goal, goal.id).check_ins) == before + 1


async def test_home_assignments_are_reviewed_and_given(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    due = store.assignments_due_at(meeting.id)
    assert due and due[0].review is Review.NOT_REVIEWED
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("h")
        dialog = pilot.app.screen
        assert isinstance(dialog, AssignmentDialog)
        await pilot.press("y")
        assert store.assignments_due_at(meeting.id)[0].review is Review.PARTLY
        await pilot.press("d")
        assert store.assignments_due_at(meeting.id)[0].review is Review.DONE
        dialog.query_one("#assignment-suggestions").focus()
        await pilot.press("enter")  # copies the first suggestion into the text
        suggestion = dialog.run.suggested_assignments()[0]
        assert dialog.query_one("#assignment-text").value == suggestion
        await pilot.press("enter")
        (given,) = store.assignments_given_at(meeting.id)
        assert (given.text, given.participant_id) == (suggestion, None)
        nxt = next(m for m in store.group_meetings(meeting.group_id) if m.number == meeting.number + 1)
        assert given.due_meeting_id == nxt.id
        await pilot.press("enter")  # empty text: one line, nothing written
        assert len(store.assignments_given_at(meeting.id)) == 1
        assert "Type the home assignment" in str(dialog.query_one("#assignment-problem", Static).render())
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, RunSessionScreen)


async def test_stage_prompts_follow_the_stages_in_the_room(store, clock) -> None:
    meeting, people = staged_group(store, [Stage.ENGAGEMENT, Stage.PERSUASION, None])
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        source = screen.query_one(SegmentPrompts).source
        assert "**Engagement** · 1 here" in source and "**Persuasion** · 1 here" in source
        assert "Active treatment" not in source
        await pilot.press("a")
        panel = pilot.app.screen.query_one(AttendancePanel)
        assert [str(column.label) for column in panel.columns.values()][3] == "Stage"
        assert column(panel, 3) == ["engagement", "persuasion", ""]
        pilot.app.screen.query_one(AttendancePanel).move_cursor(row=1)
        await pilot.press("p", "escape")  # only the person at persuasion is marked here
        await pilot.pause()
        source = screen.query_one(SegmentPrompts).source
        assert "**Persuasion** · 1 here" in source and "Engagement" not in source
        assert people


async def test_the_prompts_show_each_segment_whole_from_their_first_line(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        prompts = screen.query_one(SegmentPrompts)
        lines = shown_lines(prompts)
        assert lines[0].startswith("• Greet people by name")  # no blank line above the list
        assert " ".join(" ".join(lines).split()).endswith("rather than opening it up now.")  # none cut off
        assert prompts.source.startswith(screen.run.engine.agenda[0].prompts.strip()[:20])
        await pilot.press("space", "n")
        await pilot.pause()
        second = screen.run.engine.agenda[1].prompts.strip()
        assert prompts.source.startswith(second[:20])
        lines = shown_lines(prompts)
        assert lines[0].startswith("• Ask: what do")  # drawn from the Markdown: no asterisks
        assert not any("Greet people" in line for line in lines)


def shown_lines(widget: Widget) -> list[str]:
    """A widget's lines as drawn now, without trailing blanks."""
    strips = widget.render_lines(Region(0, 0, *widget.size))
    return [line for line in ("".join(s.text for s in strip).strip() for strip in strips) if line]


async def test_the_countdown_and_the_footer_follow_a_resize_after_opening(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=(100, 32)) as pilot:
        screen = await open_screen(pilot, meeting.id)
        countdown = screen.query_one(Countdown)
        assert screen.has_class("-narrow") and not screen.has_class("-wide")
        assert not countdown.has_class("-big") and countdown.size.height == 3
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert screen.has_class("-wide") and not screen.has_class("-narrow")
        assert countdown.has_class("-big") and countdown.size.height >= 10
        await pilot.resize_terminal(100, 32)
        await pilot.pause()
        assert screen.has_class("-narrow") and not countdown.has_class("-big")
        assert countdown.size.height == 3


async def test_the_footer_shows_the_keys_used_most_at_80_columns(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot, meeting.id)
        footer = screen.query_one("Footer")
        await pilot.pause()
        keys = [key for key in footer.query("FooterKey") if key.display and key.region.width > 0]
        palette = [key.region for key in keys if key.has_class("-command-palette")]
        # A key counts when it is on the screen and not under the palette's key (docked over the right end).
        visible = [str(key.render()) for key in keys
                   if key.region.right <= 80 and not any(key.region.overlaps(p) for p in palette)
                   and not key.has_class("-command-palette")]  # fmt: skip
        text = " ".join(visible)
        for words_ in ("Start/pause", "Next", "Attendance", "End…", "Goal", "Assignment", "Note"):
            assert words_ in text, (words_, text)


async def test_help_and_palette_list_the_keys(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        await pilot.press("question_mark")
        help_text = str(pilot.app.screen.query_one(Static).render())
        for key, words_ in [("space", "Start/pause"), ("+", "+1 min"), ("h", "Assignment")]:
            assert key in help_text and words_ in help_text
        await pilot.press("escape", "ctrl+p")
        await pilot.press(*"Skip")
        await pilot.pause(0.1)
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert screen.run.engine.current_index == 1


async def test_leaving_keeps_the_session_running_and_coming_back_finds_it(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        await pilot.press("space")
        run = screen.run
        await pilot.press("q")
        assert not isinstance(pilot.app.screen, RunSessionScreen)
        clock.advance(minutes=2)
        again = await open_screen(pilot, meeting.id)
        assert again.run is run
        assert digits(again) == "3:00"


async def test_resume_after_a_kill_counts_the_time_that_passed(store, clock, db_path) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        await pilot.press("space")
        clock.advance(seconds=100)
        screen.tick()  # a periodic save
        clock.advance(seconds=5)
        store._release()  # killed: no fold, no close; the journal holds every save
    clock.advance(minutes=3)  # the laptop is restarted
    reopened = Store.open(db_path, clock=clock)
    try:
        app = run_app(reopened, clock, fake_monotonic(clock, base=50.0))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            dialog = pilot.app.screen
            assert isinstance(dialog, ResumeDialog)
            assert "1:40 into the session" in " ".join(str(s.render()) for s in dialog.query(Static))
            await pilot.press("k")
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, RunSessionScreen)
            assert screen.run.engine.actual_seconds(0) == pytest.approx(100 + 5 + 180)
            assert digits(screen) == "0:15"
            assert state_of(reopened, meeting.id).transitions[-1].action == "restored"
    finally:
        reopened.close()


async def test_resume_when_the_session_was_paused_meanwhile(store, clock, db_path) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, meeting.id)
        await pilot.press("space")
        clock.advance(seconds=30)
        await pilot.press("n")  # a transition: saved at once
        clock.advance(seconds=20)
        store._release()
    clock.advance(minutes=10)
    reopened = Store.open(db_path, clock=clock)
    try:
        async with run_app(reopened, clock, fake_monotonic(clock, base=5.0)).run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("p")
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, RunSessionScreen)
            engine = screen.run.engine
            assert engine.status is SessionStatus.PAUSED
            assert (engine.current_index, engine.actual_seconds(1)) == (1, 0)
            assert "paused" in words(screen)
    finally:
        reopened.close()


async def test_not_now_leaves_the_meeting_in_progress(store, clock, db_path) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("space")
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ResumeDialog) and pilot.app.screen.meeting.id == meeting.id
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ResumeDialog)  # then the demo's drop-in, also in progress
        await pilot.press("escape")
        assert type(pilot.app.screen).__name__ == "HomeScreen"
        assert store.get(Meeting, meeting.id).status is MeetingStatus.IN_PROGRESS
        # Opened from Home later, the screen asks itself; "not now" again goes back.
        await pilot.app.push_screen(RunSessionScreen(meeting.id))
        await pilot.pause()
        assert isinstance(pilot.app.screen, ResumeDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "HomeScreen"
        assert meeting.id not in pilot.app.live_runs


async def test_a_held_meeting_opens_its_summary_and_a_read_only_store_runs_nothing(
    store, clock, db_path
) -> None:
    demo_tonight(store, clock)
    group_meetings = store.group_meetings(next_meeting(store).group_id)
    held = next(m for m in group_meetings if m.status is MeetingStatus.HELD)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await pilot.app.push_screen(RunSessionScreen(held.id))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(pilot.app.screen, SummaryScreen)
        assert "Attendance" in str(pilot.app.screen.query_one("#summary-text", Static).render())
    assert store.get(Meeting, held.id).summary is None  # worked out for the screen, not saved
    store.fold()
    reader = Store.open(db_path, read_only=True, clock=clock)
    try:
        async with run_app(reader, clock).run_test(size=SIZE) as pilot:
            await pilot.app.push_screen(RunSessionScreen(next_meeting(reader).id))
            await pilot.pause()
            await pilot.pause()
            assert not isinstance(pilot.app.screen, RunSessionScreen)
            assert "read-only" in [n.message for n in pilot.app._notifications][-1]
    finally:
        reader.close()


async def test_a_paused_session_is_offered_on_start_and_opens_with_enter(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("space", "space")
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ResumeDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, RunSessionScreen)
        assert pilot.app.screen.run.engine.status is SessionStatus.PAUSED


async def test_quitting_with_a_session_running_warns_once_then_quits(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    app = run_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while isinstance(pilot.app.screen, ResumeDialog):  # the demo's drop-in is in progress: not now
            await pilot.press("escape")
        await open_screen(pilot, meeting.id)
        await pilot.press("space", "q")  # back to Home with the session running
        await pilot.pause()
        assert meeting.id in pilot.app.live_runs
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert pilot.app.is_running
        warning = list(pilot.app._notifications)[-1].message
        assert warning.startswith("Still running: meeting ") and "Press q again to quit." in warning
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    assert store.get(Meeting, meeting.id).status is MeetingStatus.IN_PROGRESS  # kept for resume


async def test_every_meeting_left_in_progress_is_offered_for_resume(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    [drop_in] = store.meetings_in_progress()
    run = MeetingRun.open(store, meeting.id, wall_clock=clock, monotonic=fake_monotonic(clock))
    assert run.toggle()  # started, then the app was killed
    clock.advance(minutes=2)
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        await pilot.pause()
        offered = []
        while isinstance(pilot.app.screen, ResumeDialog):
            offered.append(pilot.app.screen.meeting.id)
            await pilot.press("escape")
            await pilot.pause()
        assert offered == [meeting.id, drop_in.id]  # the most recent first, then the other


async def test_a_meeting_planned_for_another_day_is_asked_about_before_it_starts(store, clock) -> None:
    tonight = demo_tonight(store, clock)
    later = min(
        (m for m in store.group_meetings(tonight.group_id) if m.scheduled_start > tonight.scheduled_start),
        key=lambda m: m.scheduled_start,
    )
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, later.id)
        await pilot.press("space")
        dialog = pilot.app.screen
        assert type(dialog).__name__ == "OtherDayDialog"
        assert "not today" in " ".join(str(s.render()) for s in dialog.query(Static))
        await pilot.press("n")
        assert pilot.app.screen is screen and screen.run.engine.status is SessionStatus.NOT_STARTED
        assert store.get(Meeting, later.id).status is MeetingStatus.PLANNED  # nothing recorded
        await pilot.press("space", "y")
        assert screen.run.engine.status is SessionStatus.RUNNING
    async with run_app(store, clock).run_test(size=SIZE) as pilot:
        while isinstance(pilot.app.screen, ResumeDialog):
            await pilot.press("escape")
        screen = await open_screen(pilot, tonight.id)
        await pilot.press("space")  # tonight's own meeting starts at once
        assert screen.run.engine.status is SessionStatus.RUNNING
