"""Dialogs about a group's meetings: schedule one, move one, and set a mark in the attendance grid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult

from facilitator.course.dates import DateError, parse_when
from facilitator.display import literal, local
from facilitator.host import host_of
from facilitator.screens.forms import ChoiceDialog, FormScreen, Verdict, whole_minutes
from facilitator.store.records import AttendanceStatus, Schedule, SessionRef
from facilitator.widgets.attendance_grid import GLYPHS

NO_SESSION = "__none__"
CLEAR_MARK = "__clear__"


@dataclass(frozen=True)
class MeetingTime:
    """When a meeting starts (UTC), how long it lasts, and the session it covers (None: no session)."""

    start: datetime
    minutes: int
    covers: SessionRef | None = None


class MeetingForm(FormScreen[MeetingTime]):
    """A meeting's date, time and length; for a new meeting also the session it covers.

    A date without a time takes the group's usual time. A meeting cannot be put in the past.
    """

    def __init__(
        self,
        heading: str | Text,
        schedule: Schedule | None,
        *,
        when: str = "",
        minutes: int | None = None,
        sessions: list[SessionRef] | None = None,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.zone = ZoneInfo(schedule.timezone) if schedule else ZoneInfo("UTC")
        self.usual_time = time.fromisoformat(schedule.start_time) if schedule else time(18, 0)
        self.when_value = when
        self.minutes_value = minutes or (schedule.minutes if schedule else 90)
        self.sessions = sessions  # None: no session choice (moving a meeting keeps its session)

    def body(self) -> ComposeResult:
        yield self.text_field(
            f"When ({self.zone.key} time; without a time, the usual {self.usual_time:%H:%M})",
            "when",
            value=self.when_value,
            placeholder="e.g. " + self.date_examples(with_time=True),
            check=self.check_when,
        )
        yield self.text_field("Minutes", "minutes", value=str(self.minutes_value), check=whole_minutes)
        if self.sessions is not None:
            options: list[tuple[str | Text, object]] = [("no session: an extra meeting", NO_SESSION)]
            options += [(literal(session_words(ref)), index) for index, ref in enumerate(self.sessions)]
            first = 0 if self.sessions else NO_SESSION
            yield self.choice_field("Covers (sessions with no meeting yet)", "covers", options, value=first)

    def start(self, value: str) -> datetime:
        """The typed moment in UTC (the group's usual time when none was typed); raises DateError."""
        now = host_of(self.app).clock()
        typed = parse_when(value, now, self.zone)
        moment = typed.moment if typed.has_time else datetime.combine(typed.day, self.usual_time, self.zone)
        return moment.astimezone(ZoneInfo("UTC"))

    def check_when(self, value: str) -> Verdict:
        now = host_of(self.app).clock()
        try:
            start = self.start(value)
        except DateError as error:
            return Verdict(False, str(error))
        shown = local(start, self.zone)
        words = f"→ {shown.format('ddd D MMM YYYY, h:mm a')} · {shown.humanize(now)}"
        if start < now - timedelta(minutes=1):
            return Verdict(False, f"{words}: that has passed; pick a time still to come")
        return Verdict(True, words)

    def result(self) -> MeetingTime:
        covers = None
        if self.sessions is not None and self.choice("covers") not in (None, NO_SESSION):
            covers = self.sessions[self.choice("covers")]
        return MeetingTime(self.start(self.text("when")), int(self.text("minutes")), covers)


def session_words(ref: SessionRef) -> str:
    """ "Recovery strategies: 3. Setting a goal"."""
    unit = f"{ref.unit_title}: " if ref.unit_title else ""
    return f"{unit}{ref.session_number}. {ref.title}"


class MarkPicker(ChoiceDialog[AttendanceStatus | str]):
    """Set one person's mark for one held meeting after the fact; returns a status, CLEAR_MARK, or None."""

    def __init__(self, heading: Text, current: AttendanceStatus | None) -> None:
        choices: list[tuple[str, AttendanceStatus | str]] = [
            (f"{GLYPHS[status][0]} {GLYPHS[status][1]}", status) for status in AttendanceStatus
        ]
        choices.append((f"{GLYPHS[None][0]} no mark (clear it)", CLEAR_MARK))
        super().__init__(heading, f"Now: {GLYPHS[current][1]}", choices, current)
