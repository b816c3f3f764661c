"""Run Session: what the facilitator keeps in front of a room — countdown, prompts, agenda and progress.

One interval ticks while the session runs; a tick reads the engine's computed times and repaints only the
countdown and the progress line (and those only when what they show changes). The agenda and the prompts are
redrawn on transitions. The store is written on transitions, on a bell and every few seconds while running,
through `MeetingRun`. A write the store refuses is not undone in the room: the screen says it is not saved
yet, and the run tries again with the next key and every few seconds until it is.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Header, Static

from curricula.format import Stage
from facilitator.course.packs import not_installed
from facilitator.course.run import MeetingRun, MeetingRunError, needs_resume_question
from facilitator.display import literal, multi_line, one_line
from facilitator.host import host_of
from facilitator.messages import OpenRoomDisplay
from facilitator.screens.base import AppScreen
from facilitator.screens.run.assignments import AssignmentDialog
from facilitator.screens.run.attendance import AttendanceDialog
from facilitator.screens.run.dialogs import (
    END_MARKING_ABSENT,
    ConfirmEndDialog,
    NoteDialog,
    OtherDayDialog,
    ResumeDialog,
)
from facilitator.screens.run.goals import GoalCheckInDialog
from facilitator.screens.run.summary import SummaryScreen
from facilitator.screens.saving import ask, why_not_saved
from facilitator.store import StoreError
from facilitator.store.records import AttendanceStatus, Goal, Group, Meeting, MeetingStatus
from facilitator.widgets.agenda_list import AgendaList, AgendaRow
from facilitator.widgets.countdown import Countdown, SessionProgress, phase_of
from facilitator.widgets.keys_footer import KeysFooter
from facilitator.widgets.prompts import SegmentPrompts
from sessions import PlannedSegment, SessionStatus

if TYPE_CHECKING:
    from facilitator.host import Host

# Often enough that the countdown never shows a second late by more than a quarter of one; the repaint
# itself happens only when the shown second changes.
TICK_SECONDS = 0.25

# The footer's keys take 100 columns and the palette's key 12 more, docked over the right end: narrower than
# that, the palette's key is left out of the footer (see app.tcss), so none of the session's keys is hidden.
FOOTER_WITH_PALETTE = 112

# Why a key changed nothing, in one line.
REFUSALS = {
    "next": "Start the session first (space).",
    "previous": "This is the first segment.",
    "skip": "Start the session first (space).",
    "add_minute": "This segment keeps at least a minute, and the time it has already run.",
}


def kind_words(kind: str) -> str:
    """A segment kind as words: "home-assignment-review" → "home assignment review"."""
    return kind.replace("-", " ").replace("_", " ")


def prompts_markdown(segment: PlannedSegment, stages: dict[Stage, int]) -> str:
    """The segment's prompts, then those for each stage of treatment present in the room."""
    parts = [multi_line(segment.prompts.strip()) or "*No prompts for this segment.*"]
    if segment.stage_prompts:
        shown = [(stage, n) for stage, n in stages.items() if stage.value in segment.stage_prompts]
        parts.append("### For the stages in the room")
        if not shown:
            parts.append("*Nobody here has a stage of treatment set, so no stage prompts are shown.*")
        for stage, count in shown:
            parts.append(f"**{kind_words(stage.value).capitalize()}** · {count} here")
            parts.append(multi_line(segment.stage_prompts[stage.value].strip()))
    return "\n\n".join(parts)


class RunSessionScreen(AppScreen):
    """One meeting, live: the current segment's countdown and prompts, the agenda and the session's time."""

    TITLE = "Run Session"
    # Every binding below is also in the command palette (the app lists the current screen's keys there).
    # The footer shows the keys used most, so they fit at 80 columns; the rest are in help (?) too.
    BINDINGS = [
        Binding("space", "start_pause", "Start/pause"),
        Binding("n", "next", "Next"),
        Binding("a", "attendance", "Attendance"),
        Binding("e", "end", "End…"),
        Binding("g", "goal_check_in", "Goal", tooltip="A goal check-in"),
        Binding("h", "home_assignment", "Assignment", tooltip="Home assignments: review and give"),
        Binding("o", "note", "Note"),
        Binding("p", "previous", "Previous", show=False),
        Binding("plus,equals_sign", "add_minute(1)", "+1 min", key_display="+", show=False),
        Binding("minus", "add_minute(-1)", "−1 min", key_display="−", show=False),
        Binding("s", "skip", "Skip", show=False),
        Binding("r", "room_display", "Room display", show=False, tooltip="For a projector"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (FOOTER_WITH_PALETTE, "-wide")]

    def __init__(self, meeting_id: str, *, kept_running: bool | None = None) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        # None: ask, should the saved session have been running when the app was closed.
        self.kept_running = kept_running
        self.run: MeetingRun | None = None
        self._segment_shown: int | None = None
        self._ticker: Timer | None = None
        self._unsaved_shown = False  # whether the "not saved yet" line is up

    def compose(self) -> ComposeResult:
        # The breakpoint class and the countdown's size that the first resize would set, set before the
        # first layout: set by that resize, each would style or lay out the whole screen once more.
        width, height = self.app.size
        self.set_class(width < FOOTER_WITH_PALETTE, "-narrow", update=False)
        self.set_class(width >= FOOTER_WITH_PALETTE, "-wide", update=False)
        countdown = Countdown(id="run-countdown")
        countdown.fit(height)
        yield Header()
        yield Static(id="run-meeting")
        unsaved = Static(id="run-unsaved", markup=False)
        unsaved.display = False  # until the store refuses a write
        yield unsaved
        with Horizontal(id="run-body"):
            with Vertical(id="run-main"):
                yield Static(id="run-segment")
                yield countdown
                with VerticalScroll(id="run-prompts"):
                    yield SegmentPrompts(id="run-prompts-text")
            with VerticalScroll(id="run-agenda-box"):
                yield AgendaList(id="run-agenda")
        yield SessionProgress(id="run-progress")
        yield KeysFooter()

    # --- opening and leaving ------------------------------------------------------------------------------

    @property
    def facilitator(self) -> Host:
        """The app, with its store and clocks."""
        return host_of(self.app)

    def on_mount(self) -> None:
        app = self.facilitator
        store = app.store
        live = app.live_runs.get(self.meeting_id)
        meeting = store.get(Meeting, self.meeting_id)
        if store.read_only:
            self._leave("This database is open read-only, so a session can't be run.")
        elif live is not None:
            self._take_up(live)
        elif meeting is None or meeting.deleted:
            self._leave("That meeting no longer exists.")
        elif meeting.status is MeetingStatus.HELD:
            self.call_after_refresh(self._show_summary)
        elif self.kept_running is None and needs_resume_question(meeting):
            dialog = ResumeDialog(meeting, store.get(Group, meeting.group_id), app.clock())
            self.app.push_screen(dialog, self._resume_answer)
        else:
            self._open(self.kept_running is not False)

    def on_resize(self, event: events.Resize) -> None:
        """The countdown grows with the terminal (block digits on a tall one)."""
        self.query_one(Countdown).fit(event.size.height)

    def _show_summary(self) -> None:
        """Put the meeting's summary in this screen's place (switch_screen hangs while still mounting)."""
        self.app.pop_screen()
        self.app.push_screen(SummaryScreen(self.meeting_id))

    def _resume_answer(self, kept_running: bool | None) -> None:
        if kept_running is None:
            self._leave("The session is still in progress; open it from Home when you're ready.")
        else:
            self._open(kept_running)

    def _open(self, kept_running: bool) -> None:
        app = self.facilitator
        try:
            run = MeetingRun.open(
                app.store,
                self.meeting_id,
                wall_clock=app.clock,
                monotonic=app.monotonic,
                kept_running=kept_running,
            )
        except (MeetingRunError, StoreError) as error:
            self._leave(str(error))
            return
        app.live_runs[self.meeting_id] = run
        self._take_up(run)
        group = run.group
        if group is not None and group.pack_id and run.pack is None:
            self.notify(not_installed(group) + " The meeting runs its planned agenda.", severity="warning")

    def _take_up(self, run: MeetingRun) -> None:
        self.run = run
        meeting = run.meeting
        group = run.group
        heading = literal(group.name if group else "A deleted group", "bold")
        covers = f" · {meeting.covers.title}" if meeting.covers else ""
        heading.append_text(literal(f" · meeting {meeting.number}{covers}"))
        self.query_one("#run-meeting", Static).update(heading)
        self._refresh_all()

    def _leave(self, message: str) -> None:
        self.notify(message, severity="warning", markup=False)
        self.call_after_refresh(self._close)

    def _close(self) -> None:
        """Back to where the screen was opened from (not awaited: this runs in the screen's own handler)."""
        self.dismiss()

    def on_unmount(self) -> None:
        run = self.run
        if run is None or (run.ended and not run.unsaved):
            return
        # Leaving the screen does not stop the session: the run stays with the app, and its state is saved
        # (or, when the store refuses, kept for the app to try again: see the app's `retry_live_runs`).
        with contextlib.suppress(StoreError):
            run.save()
        if run.unsaved:
            self.app.notify(
                "This session is not saved yet: Facilitator keeps trying every few seconds.", severity="error"
            )
        elif run.engine.status is SessionStatus.RUNNING:
            self.app.notify("The session keeps running; open it again from Home.")

    # --- drawing ------------------------------------------------------------------------------------------

    def _refresh_all(self) -> None:
        """Redraw everything after a transition."""
        assert self.run is not None
        self._show_segment()
        self._show_agenda()
        self._show_clock()
        self._show_unsaved()
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if self.run.engine.status is SessionStatus.RUNNING or self.run.unsaved:
            # A fresh interval ticks in step with the clock just (re)started, so each second of the countdown
            # shows as it begins rather than up to a tick later. While something waits to be saved, the ticks
            # also try again (every few seconds: see MeetingRun.heartbeat).
            self._ticker = self.set_interval(TICK_SECONDS, self.tick)

    def _show_segment(self, *, force: bool = False) -> None:
        """The current segment's title, kind and prompts; only when the segment changed (or `force`)."""
        assert self.run is not None
        engine = self.run.engine
        index = engine.current_index
        if index == self._segment_shown and not force:
            return
        self._segment_shown = index
        segment = engine.agenda[index]
        heading = Text(f"Segment {index + 1} of {len(engine.agenda)} · ")
        heading.append_text(literal(segment.title, "bold"))
        heading.append(f" · {kind_words(segment.kind)}", style="dim")
        self.query_one("#run-segment", Static).update(heading)
        self.query_one(SegmentPrompts).show(prompts_markdown(segment, self.run.stages_in_room()))
        self.query_one("#run-prompts", VerticalScroll).scroll_home(animate=False)

    def _show_agenda(self) -> None:
        assert self.run is not None
        engine = self.run.engine
        rows = [
            AgendaRow(segment.title, engine.planned_seconds(i), engine.actual_seconds(i), engine.skipped(i))
            for i, segment in enumerate(engine.agenda)
        ]
        live = engine.status in (SessionStatus.RUNNING, SessionStatus.PAUSED)
        self.query_one(AgendaList).show(rows, engine.current_index, live=live)

    def _show_clock(self) -> None:
        """The countdown and the session line, from the engine's computed times."""
        assert self.run is not None
        engine = self.run.engine
        self.query_one(Countdown).show(engine.remaining(), engine.planned_seconds(), phase_of(engine))
        overruns = [engine.overrun(i) for i in range(len(engine.agenda))]
        self.query_one(SessionProgress).show(
            engine.session_elapsed(),
            engine.session_planned(),
            sum(overruns),
            sum(1 for seconds in overruns if seconds > 0),
            engine.progress(),
        )

    def tick(self) -> None:
        """Bring the countdown up to the clock; ring at zero; save only when the run says so."""
        run = self.run
        if run is None:
            return
        before = run.engine.current_index
        was_unsaved = run.unsaved
        if run.heartbeat():
            self._ring(before)
        if was_unsaved and not run.unsaved:
            self._saved_at_last()
            return
        self._show_unsaved()
        if run.engine.current_index != self._segment_shown:
            self._show_segment()
            self._show_agenda()
        self._show_clock()

    def _saved_at_last(self) -> None:
        """A retry saved what was waiting: say so, and carry on as if it had been saved at once."""
        assert self.run is not None
        self.notify("Saved: everything in this session is on disk now.")
        if self.run.ended:
            self._to_summary()
        else:
            self._refresh_all()

    def _ring(self, ran_out: int) -> None:
        """The bell and one notification when a countdown reaches zero."""
        assert self.run is not None
        engine = self.run.engine
        message = f"Time is up: {one_line(engine.agenda[ran_out].title)}."
        if engine.current_index != ran_out:
            message += f" Moved on to {one_line(engine.agenda[engine.current_index].title)}."
        self.app.bell()
        self.notify(message, title="⏰ Time", severity="warning", markup=False)

    def _show_unsaved(self) -> None:
        """The "not saved yet" line while the run holds something the store refused (said once as a toast)."""
        run = self.run
        unsaved = run is not None and run.unsaved
        line = self.query_one("#run-unsaved", Static)
        if run is not None and unsaved:
            what = "The session has ended but is not saved yet" if run.ended else "Not saved yet"
            words = f"⚠ {what} — will retry every few seconds ({why_not_saved(run.problem)})"
            line.update(words)
            if not self._unsaved_shown:
                self.notify(words, severity="error", markup=False)
        line.display = unsaved
        self._unsaved_shown = unsaved

    # --- keys ---------------------------------------------------------------------------------------------

    def _transition(self, name: str, *args: int) -> None:
        run = self.run
        if run is None:
            return
        try:
            changed = getattr(run, name)(*args)
        except StoreError:
            changed = True  # the clock did change: the run keeps it and saves it at the next try
        if not changed:
            self.notify(REFUSALS.get(name, "Nothing to change there."), severity="warning")
            return
        if run.ended and not run.unsaved:
            self._to_summary()
            return
        self._refresh_all()

    def _to_summary(self) -> None:
        """The session has ended and is saved: its summary takes this screen's place."""
        self.facilitator.live_runs.pop(self.meeting_id, None)
        self.app.switch_screen(SummaryScreen(self.meeting_id))

    def action_start_pause(self) -> None:
        """Start, pause or resume the session; a meeting planned for another day is asked about first."""
        run = self.run
        if run is not None and run.engine.status is SessionStatus.NOT_STARTED:
            planned, today = run.planned_day(), run.local_today()
            if planned != today:
                dialog = OtherDayDialog(run.meeting.number, planned, today)
                self.app.push_screen(dialog, self._other_day_answer)
                return
        self._transition("toggle")

    def _other_day_answer(self, start: bool | None) -> None:
        if start:
            self._transition("toggle")

    def action_next(self) -> None:
        """Go on to the next segment (after the last: end the session)."""
        self._transition("next")

    def action_previous(self) -> None:
        """Go back a segment; its clock carries on from where it was."""
        self._transition("previous")

    def action_skip(self) -> None:
        """Skip this segment."""
        self._transition("skip")

    def action_add_minute(self, minutes: int) -> None:
        """Plan this segment a minute longer or shorter."""
        self._transition("add_minute", minutes)

    def action_end(self) -> None:
        """End the session early or late, after a confirmation."""
        run = self.run
        if run is None or run.ended:
            return
        if run.engine.status is SessionStatus.NOT_STARTED:
            self.notify(
                "The session hasn't started, so there is nothing to end (q goes back).", severity="warning"
            )
            return
        unmarked = [person.display_name for person in run.unmarked()]
        self.app.push_screen(ConfirmEndDialog(run.engine.session_remaining(), unmarked), self._end_answer)

    def _end_answer(self, answer: str | None) -> None:
        run = self.run
        if answer is None or run is None:
            return
        if answer == END_MARKING_ABSENT:
            try:
                run.mark_the_rest(AttendanceStatus.ABSENT)
            except StoreError as error:  # the marks wait in the run and are saved with the next try
                self.notify(why_not_saved(error), severity="warning")
        self._transition("end")

    def action_attendance(self) -> None:
        """Mark who is here."""
        if self.run is not None:
            self.app.push_screen(AttendanceDialog(self.run), self._attendance_closed)

    def _attendance_closed(self, _: None) -> None:
        self._show_segment(force=True)  # the stage prompts follow who is in the room
        self._refresh_all()  # a mark still waiting to be saved keeps the retries going

    def action_note(self) -> None:
        """Write the meeting's notes (a refused save keeps the dialog open with the text as typed)."""
        run = self.run
        if run is not None:
            ask(self.app, NoteDialog(run.meeting.notes), run.set_notes, self._note_written)

    def _note_written(self, text: str | None) -> None:
        if text is not None:
            self.notify("Note saved.")

    def action_goal_check_in(self) -> None:
        """Check in on someone's goal."""
        if self.run is not None:
            self.app.push_screen(GoalCheckInDialog(self.run), self._checked_in)

    def _checked_in(self, goal: Goal | None) -> None:
        if goal is not None:
            title = one_line(goal.title)
            self.notify(f"Check-in saved: {title} ({goal.check_ins[-1].rating}/5).", markup=False)

    def action_home_assignment(self) -> None:
        """Review tonight's home assignments and give the next one."""
        if self.run is not None:
            self.app.push_screen(AssignmentDialog(self.run))

    def action_room_display(self) -> None:
        """The room display of this session, for a projector (`facilitator room`: in another terminal)."""
        if self.run is not None:
            self.post_message(OpenRoomDisplay(self.meeting_id))
