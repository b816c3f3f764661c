"""The Group screen's meeting actions: schedule one, move one, cancel one, plan the rest of the course, and
set a mark in the attendance grid after the fact.

`GroupScreen` holds one, kept apart so each file reads in one sitting. Every change is one durable write, and
the meetings are numbered again by date when one is added or moved.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec
from rich.text import Text

from curricula.format import Pack
from curricula.registry import Registry
from facilitator.course.calendar import planned_meeting
from facilitator.course.packs import not_installed
from facilitator.course.scheduling import (
    cancel_and_shift,
    missing_sessions,
    plan_rest,
    with_numbers,
    without_a_session,
)
from facilitator.display import human_datetime, human_day, literal
from facilitator.screens.group.forms import Cancellation, CancelMeetingForm
from facilitator.screens.group.meeting_forms import (
    CLEAR_MARK,
    MarkPicker,
    MeetingForm,
    MeetingTime,
    session_words,
)
from facilitator.screens.group.page import GroupPage
from facilitator.screens.packs.dialogs import SwapPreview, with_registry
from facilitator.screens.saving import ask
from facilitator.store.records import AttendanceStatus, Meeting, MeetingStatus
from facilitator.widgets.attendance_grid import AttendanceGridView


class MeetingActions:
    """Actions on a group's meetings, on the meeting picked in the Group screen's showing view."""

    def __init__(self, page: GroupPage) -> None:
        self.page = page

    def with_pack(self, then: Callable[[Pack | None], None]) -> None:
        """Read the group's own pack version off the event loop, then call `then(pack or None)`."""
        group = self.page.group

        def found(registry: Registry) -> None:
            entry = registry.get(group.pack_id, group.pack_version)
            if entry is None:
                self.page.notify(not_installed(group), severity="warning")
            then(entry.pack if entry is not None else None)

        if not group.pack_id:
            then(None)
        else:
            with_registry(self.page.app, found)

    def save_meetings(self, changed: list[Meeting]) -> None:
        """Save meetings with any renumbering they cause, in one write."""
        meetings = self.page.store.group_meetings(self.page.group_id)
        self.page.store.save_all(with_numbers(changed, meetings, self.page.now()))
        self.page.reload()

    # --- schedule one, move one, cancel one -----------------------------------------------------------------

    def new_meeting(self) -> None:
        if self.page.writable():
            self.with_pack(self.ask_new_meeting)

    def ask_new_meeting(self, pack: Pack | None) -> None:
        if self.page.app.screen is not self.page:
            return  # something else opened while the pack was read
        sessions = missing_sessions(pack, self.page.store.group_meetings(self.page.group_id)) if pack else []
        heading = Text.assemble("Schedule a meeting of ", literal(self.page.group.name))
        form = MeetingForm(heading, self.page.group.schedule, sessions=sessions)

        def save(chosen: MeetingTime) -> None:
            meeting = planned_meeting(
                self.page.group_id,
                chosen.start,
                chosen.minutes,
                self.page.now(),
                covers=chosen.covers,
                pack=pack,
            )
            self.save_meetings([meeting])
            saved = self.page.store.get(Meeting, meeting.id)
            number = saved.number if saved else "?"
            self.page.notify(
                f"Meeting {number} scheduled for {human_datetime(chosen.start, self.page.zone)}."
            )

        ask(self.page.app, form, save)

    def planned_meeting(self, key: str, verb: str) -> Meeting | None:
        """The selected meeting when it is planned (only those are moved or cancelled), else say why."""
        meeting = self.page.selected_meeting(key)
        if meeting is None or not self.page.writable():
            return None
        if meeting.status is not MeetingStatus.PLANNED:
            state = meeting.status.value.replace("_", " ")
            where = "; the upcoming ones are under m" if self.page.view == "attendance" else ""
            self.page.notify(
                f"Meeting {meeting.number} is {state}: only a planned meeting can be {verb}{where}."
            )
            return None
        return meeting

    def move_meeting(self) -> None:
        meeting = self.planned_meeting("d", "moved")
        if meeting is None:
            return
        start = meeting.scheduled_start.astimezone(self.page.zone)
        heading = Text(
            f"Move meeting {meeting.number}, {human_datetime(meeting.scheduled_start, self.page.zone)}"
        )
        form = MeetingForm(
            heading, self.page.group.schedule, when=f"{start:%Y-%m-%d %H:%M}", minutes=meeting.minutes
        )

        def save(chosen: MeetingTime) -> None:
            current = self.page.store.get(Meeting, meeting.id) or meeting
            moved = msgspec.structs.replace(current, scheduled_start=chosen.start, minutes=chosen.minutes)
            self.save_meetings([moved])
            self.page.notify(f"Moved to {human_datetime(chosen.start, self.page.zone)}.")

        ask(self.page.app, form, save)

    def cancel_meeting(self) -> None:
        meeting = self.planned_meeting("c", "cancelled")
        if meeting is None:
            return
        words = f"meeting {meeting.number}, {human_datetime(meeting.scheduled_start, self.page.zone)}"
        session = session_words(meeting.covers) if meeting.covers is not None else None

        def save(choice: Cancellation) -> None:
            current = self.page.store.get(Meeting, meeting.id) or meeting
            schedule = self.page.group.schedule
            if choice.shift and schedule is not None:
                meetings = self.page.store.group_meetings(self.page.group_id)
                self.save_meetings(
                    cancel_and_shift(current, choice.reason, meetings, schedule, self.page.now())
                )
                more = "; the rest of the course follows a week on"
            else:
                self.page.store.update(current, status=MeetingStatus.CANCELLED, cancel_reason=choice.reason)
                self.page.reload()
                more = ""
            self.page.notify(f"Meeting {meeting.number} is cancelled{more}.")

        ask(self.page.app, CancelMeetingForm(words, session), save)

    # --- the rest of the course -----------------------------------------------------------------------------

    def plan_course(self) -> None:
        if not self.page.writable():
            return
        if self.page.group.schedule is None:
            self.page.notify("The group has no schedule yet: set when it meets first (g).")
            return
        if not self.page.group.pack_id:
            self.page.notify("The group follows no pack, so there is no course to plan: add meetings with n.")
            return
        self.with_pack(self.preview_plan)

    def preview_plan(self, pack: Pack | None) -> None:
        if self.page.app.screen is not self.page:
            return
        if pack is None:
            return  # `with_pack` has said the group's pack version is not installed
        meetings = self.page.store.group_meetings(self.page.group_id)
        planned = plan_rest(self.page.group, pack, meetings, self.page.now())
        if not planned:
            left_over = without_a_session(meetings, self.page.now())
            if left_over:
                self.offer_to_drop(left_over)
            else:
                self.page.notify("Every session of the course already has a meeting.")
            return
        existing = {m.id for m in meetings}
        some = "1 session has" if len(planned) == 1 else f"{len(planned)} sessions have"
        lines = [f"{some} no meeting yet; each gets one, in course order:", ""]
        for meeting in sorted(planned, key=lambda m: m.scheduled_start):
            where = " (a meeting already planned, with no session)" if meeting.id in existing else ""
            covers = session_words(meeting.covers) if meeting.covers else ""
            lines.append(f"  {human_datetime(meeting.scheduled_start, self.page.zone)}{where} — {covers}")
        filled = {m.id for m in planned}
        still_bare = [m for m in without_a_session(meetings, self.page.now()) if m.id not in filled]
        if still_bare:
            lines += [
                "",
                f"{len(still_bare)} planned meetings will still cover no session: G again drops them.",
            ]

        def apply(_: bool) -> None:
            self.save_meetings(planned)
            self.page.notify(f"Planned {len(planned)} sessions.")

        heading = Text.assemble("Plan the rest of the course of ", literal(self.page.group.name))
        ask(self.page.app, SwapPreview(heading, lines), apply)

    def offer_to_drop(self, left_over: list[Meeting]) -> None:
        """Every session has its meeting and some planned meetings cover none: offer to drop them together."""
        count = len(left_over)
        some = "1 planned meeting covers" if count == 1 else f"{count} planned meetings cover"
        lines = [f"Every session of the course has a meeting; {some} no session:", ""]
        lines += [f"  {human_datetime(m.scheduled_start, self.page.zone)}" for m in left_over]
        lines += ["", "Enter drops them from the plan (nothing was recorded at them); Escape keeps them."]

        def apply(_: bool) -> None:
            now = self.page.now()
            dropped = [msgspec.structs.replace(m, deleted_at=now, updated_at=now) for m in left_over]
            self.save_meetings(dropped)
            self.page.notify(f"Dropped {len(dropped)} planned meetings that covered no session.")

        heading = Text.assemble("Planned meetings with no session in ", literal(self.page.group.name))
        ask(self.page.app, SwapPreview(heading, lines), apply)

    # --- a mark after the fact ------------------------------------------------------------------------------

    def set_mark(self) -> None:
        if self.page.view != "attendance":
            self.page.notify(
                "Marks are set in the attendance grid (a): put the cursor on a cell, then space."
            )
            return
        grid = self.page.query_one(AttendanceGridView)
        row, column = grid.current_row, grid.current_meeting
        if row is None or column is None:
            self.page.notify("No held meetings yet: marks are taken while a meeting runs.")
            return
        if column.cancelled:
            self.page.notify(f"Meeting {column.number} was cancelled: it has no marks.")
            return
        if not self.page.writable():
            return
        mark = self.page.store.meeting_marks(column.id).get(row.participant_id)
        heading = Text.assemble(
            literal(row.name), f" at meeting {column.number}, {human_day(column.day, weekday=True)}"
        )

        def save(picked: AttendanceStatus | str) -> None:
            current = self.page.store.meeting_marks(column.id).get(row.participant_id)
            if picked == CLEAR_MARK:
                if current is not None:
                    self.page.store.delete(current)
            else:
                self.page.store.mark_attendance(column.id, row.participant_id, AttendanceStatus(picked))
            self.page.reload()

        ask(self.page.app, MarkPicker(heading, mark.status if mark else None), save)
