"""The summary shown when a session ends; it stays with the meeting and can be opened again."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from facilitator.course.summary import ATTENDANCE_KEYS, build_summary
from facilitator.display import literal
from facilitator.host import host_of
from facilitator.store.records import Group, Meeting
from facilitator.widgets.countdown import clock_text
from facilitator.widgets.keys_footer import KeysFooter
from facilitator.words import REVIEW_WORDS


def _heading(text: Text, title: str) -> None:
    text.append(f"\n{title}\n", style="bold")


def _names(text: Text, names: list[str]) -> None:
    for i, name in enumerate(names):
        text.append(", " if i else "")
        text.append_text(literal(name))


def summary_text(meeting: Meeting, group: Group | None, summary: dict[str, Any]) -> Text:
    """The summary as the facilitator reads it; every name and note shown literally.

    Who came, the check-ins, the assignments and the notes come first, so they show on an 80 × 24 screen;
    the time each segment took follows.
    """
    text = Text()
    text.append_text(literal(group.name if group else "A deleted group", "bold"))
    covers = f": {meeting.covers.title}" if meeting.covers else ""
    text.append_text(literal(f" · meeting {meeting.number}{covers}"))
    text.append("\n")
    _heading(text, "Attendance")
    counts = summary.get("attendance_counts", {})
    for key in ATTENDANCE_KEYS:
        names = summary.get("attendance", {}).get(key, [])
        if names:
            text.append(f"  {key.replace('_', ' ')} ({counts.get(key, len(names))}): ")
            _names(text, names)
            text.append("\n")
    _heading(text, "Goal check-ins")
    for check in summary.get("check_ins", []) or [None]:
        if check is None:
            text.append("  none tonight\n")
            continue
        text.append("  ")
        text.append_text(literal(f"{check['participant']} — {check['goal']}: {check['rating']}/5"))
        if check.get("note"):
            text.append_text(literal(f" · {check['note']}"))
        text.append("\n")
    _heading(text, "Home assignments")
    for given in summary.get("assignments_given", []):
        text.append("  given to ")
        text.append_text(literal(f"{given['to']}: {given['text']}"))
        text.append("\n")
    for reviewed in summary.get("assignments_reviewed", []):
        text.append(f"  {REVIEW_WORDS.get(reviewed['review'], reviewed['review'])}: ")
        text.append_text(literal(f"{reviewed['to']}: {reviewed['text']}"))
        text.append("\n")
    if summary.get("assignments_not_reviewed"):
        text.append(f"  {summary['assignments_not_reviewed']} due tonight not reviewed\n")
    _heading(text, "Notes")
    text.append_text(literal(summary.get("notes") or "(none)", lines=True))
    text.append("\n")
    _heading(text, "Time")
    planned, actual = summary.get("planned_seconds", 0), summary.get("actual_seconds", 0)
    text.append(f"  {clock_text(actual)} run of {clock_text(planned)} planned")
    text.append(
        f" · {summary.get('overrun_segments', 0)} over · {summary.get('skipped_segments', 0)} skipped\n"
    )
    for segment in summary.get("segments", []):
        over = segment["actual_seconds"] > segment["planned_seconds"]
        run = (
            "skipped"
            if segment["skipped"]
            else ("▲ " if over else "") + clock_text(segment["actual_seconds"])
        )
        text.append(f"  {clock_text(segment['planned_seconds']):>7} → {run:<9} ")
        text.append_text(literal(segment["title"]))
        text.append("\n")
    text.rstrip()
    return text


class SummaryScreen(Screen[None]):
    """What happened at a meeting: attendance, check-ins, assignments, notes, then the time per segment."""

    TITLE = "Meeting summary"
    BINDINGS = [Binding("escape,enter", "close", "Done")]

    def __init__(self, meeting_id: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary-scroll"):
            yield Static(id="summary-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        store = host_of(self.app).store
        meeting = store.get(Meeting, self.meeting_id)
        if meeting is None:
            self.query_one("#summary-text", Static).update("That meeting no longer exists.")
            return
        # A meeting held before summaries were kept gets one worked out now (not saved).
        summary = meeting.summary or build_summary(store, meeting, store.roster(meeting.group_id))
        group = store.get(Group, meeting.group_id)
        self.query_one("#summary-text", Static).update(summary_text(meeting, group, summary))

    def action_close(self) -> None:
        """Back to where the session was opened from."""
        self.app.pop_screen()
