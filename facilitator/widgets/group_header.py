"""The top of the Group screen: name, pack, schedule in words, facilitators, kind and status."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from facilitator.display import human_day, literal
from facilitator.store.records import Cadence, Group, Schedule
from facilitator.words import GROUP_KIND_WORDS, GROUP_STATUS_WORDS

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def clock_words(hh_mm: str) -> str:
    """ "18:30" → "6:30 pm"."""
    try:
        moment = datetime.strptime(hh_mm, "%H:%M")
    except ValueError:
        return hh_mm
    return f"{moment.hour % 12 or 12}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}"


def and_join(words: list[str]) -> str:
    """ "a, b and c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def human_schedule(schedule: Schedule | None) -> str:
    """ "Tuesdays at 6:30 pm, every week, 90 min (Europe/London), from 2 Dec 2025"."""
    if schedule is None:
        return "no schedule yet"
    days = [DAY_NAMES[d] + "s" for d in sorted(set(schedule.weekdays)) if 0 <= d < 7]
    every = "every week" if schedule.cadence is Cadence.WEEKLY else "every other week"
    when = and_join(days) if days else "no set day"
    start = schedule.start_date
    return (
        f"{when} at {clock_words(schedule.start_time)}, {every}, {schedule.minutes} min "
        f"({schedule.timezone}), from {human_day(start)}"
    )


def header_text(group: Group, *, held: int, total: int) -> Text:
    """Four short lines, none cut at 80 columns: name and status; when; where and who; pack and progress.

    User text is shown literally.
    """
    text = Text()
    text.append_text(literal(group.name, style="bold"))
    text.append(f"  {GROUP_STATUS_WORDS[group.status]} · {GROUP_KIND_WORDS[group.kind]}\n")
    text.append("Meets ", style="dim")
    text.append(human_schedule(group.schedule))
    text.append("\n")
    if group.location:
        text.append("Where ", style="dim")
        text.append_text(literal(group.location))
        text.append(" · ")
    text.append("Facilitators ", style="dim")
    text.append_text(literal(", ".join(group.facilitators) or "none named"))
    text.append("\nPack ", style="dim")
    text.append_text(literal(f"{group.pack_id} {group.pack_version}".strip() or "none"))
    if total:
        text.append(f" · session {held} of {total}")
    return text


class GroupHeader(Static):
    """Shows a group's header; given the group, never reads the store."""

    def show(self, group: Group, *, held: int, total: int) -> None:
        self.update(header_text(group, held=held, total=total))
