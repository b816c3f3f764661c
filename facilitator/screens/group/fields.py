"""The fields a group's form shares, new or edited: its name, when it meets, where, and who facilitates.

`GroupFieldsForm` gives the fields and their checks; the new-group form adds the pack, the edit form adds
the status, notes, and what happens to meetings already planned.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from textual.app import ComposeResult
from textual.widgets import Input

from facilitator.course.dates import DateError, parse_when
from facilitator.course.roster import name_key
from facilitator.host import host_of
from facilitator.screens.forms import OK, FormScreen, Verdict, a_name, optional, whole_minutes
from facilitator.store.records import Cadence, Group, GroupKind, GroupStatus, Schedule
from facilitator.widgets.group_header import DAY_NAMES, and_join, clock_words

T = TypeVar("T")
START_DAY = -1  # the weekday choice meaning "the start date's own day"
KIND_CHOICES = [
    ("closed — a cohort that starts together", GroupKind.CLOSED),
    ("open — people can join any week", GroupKind.OPEN),
]
CADENCE_CHOICES = [("every week", Cadence.WEEKLY), ("every other week", Cadence.FORTNIGHTLY)]


def local_zone_name() -> str:
    """This computer's time zone by name (TZ, else /etc/localtime), or UTC when it cannot be told."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    link = os.path.realpath("/etc/localtime")
    if "zoneinfo/" in link:
        candidates.append(link.split("zoneinfo/", 1)[1])
    for name in candidates:
        if name and zone_verdict(name).ok:
            return name
    return "UTC"


def zone_verdict(name: str) -> Verdict:
    try:
        ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return Verdict(False, "Not a time zone Facilitator knows — try Europe/London or America/Chicago")
    return OK


def names_list(text: str) -> list[str]:
    """ "Sam, Jude ," → ["Sam", "Jude"]."""
    return [name.strip() for name in text.split(",") if name.strip()]


def start_status(schedule: Schedule, today: date) -> GroupStatus:
    """Running when the course has already started, else planned."""
    return GroupStatus.RUNNING if schedule.start_date < today else GroupStatus.PLANNED


class GroupFieldsForm(FormScreen[T]):
    """A form with a group's name, schedule, place and facilitators."""

    def __init__(self, existing_names: Iterable[str], zone_name: str) -> None:
        super().__init__()
        self.existing = {name_key(name) for name in existing_names}
        self.zone_name = zone_name

    # --- fields ---------------------------------------------------------------------------------------------

    def name_field(self, value: str = "") -> ComposeResult:
        yield self.text_field(
            "Name of the group",
            "group-name",
            value=value,
            placeholder="e.g. Tuesday Recovery Group",
            check=self.check_name,
        )

    def kind_field(self, value: GroupKind) -> ComposeResult:
        yield self.choice_field("Kind", "kind", KIND_CHOICES, value=value)

    def schedule_fields(self, schedule: Schedule | None, *, minutes: str) -> ComposeResult:
        """Starts on, meets on, at, minutes, how often, time zone."""
        start = schedule.start_date.isoformat() if schedule else ""
        yield self.text_field(
            "Starts on",
            "start",
            value=start,
            placeholder=self.date_examples(),
            check=self.check_start,
        )
        days = [("the start date's day", START_DAY), *((name, n) for n, name in enumerate(DAY_NAMES))]
        weekday = schedule.weekdays[0] if schedule and schedule.weekdays else START_DAY
        yield self.choice_field("Meets on", "weekday", days, value=weekday)
        at = schedule.start_time if schedule else "18:00"
        yield self.text_field("At (local time)", "time", value=at, check=self.check_time)
        yield self.text_field("Minutes", "minutes", value=minutes, check=whole_minutes)
        cadence = schedule.cadence if schedule else Cadence.WEEKLY
        yield self.choice_field("How often", "cadence", CADENCE_CHOICES, value=cadence)
        zone = schedule.timezone if schedule else self.zone_name
        yield self.text_field("Time zone", "zone", value=zone, check=zone_verdict)

    def place_fields(self, group: Group | None = None) -> ComposeResult:
        """Where, and who facilitates."""
        yield self.text_field(
            "Where (optional)",
            "location",
            value=group.location if group else "",
            placeholder="e.g. Riverside Clinic, room 2",
            check=optional(limit=200),
        )
        yield self.text_field(
            "Facilitators (optional, separated by commas)",
            "facilitators",
            value=", ".join(group.facilitators) if group else "",
            placeholder="e.g. Sam Okafor, Jude Harris",
            check=self.check_facilitators,
        )

    # --- checks ---------------------------------------------------------------------------------------------

    def check_name(self, value: str) -> Verdict:
        verdict = a_name("a name for the group")(value)
        if verdict.ok and name_key(value) in self.existing:
            return Verdict(True, "Another group has this name: a day or a place helps tell them apart")
        return verdict

    def zone(self) -> str:
        """The typed time zone, or UTC while it is not a valid one."""
        typed = self.query_one("#zone", Input).value.strip()
        return typed if zone_verdict(typed).ok else "UTC"

    def check_start(self, value: str) -> Verdict:
        return self.date_check(self.zone(), allow_time=False)(value)

    def typed_time(self, value: str) -> str | None:
        """ "6:30pm" → "18:30"; None when it is not a time of day."""
        try:
            when = parse_when(value, host_of(self.app).clock(), "UTC")
        except DateError:
            return None
        return f"{when.moment:%H:%M}" if when.has_time else None

    def check_time(self, value: str) -> Verdict:
        at = self.typed_time(value)
        return (
            Verdict(True, f"→ {clock_words(at)}")
            if at
            else Verdict(False, "Type a time such as 6:30pm or 18:30")
        )

    def facilitators_wanted(self) -> int:
        """How many facilitators the course is written for."""
        return 1

    def check_facilitators(self, value: str) -> Verdict:
        verdict = optional(limit=300)(value)
        names = names_list(value)
        if not verdict.ok or not names:
            return verdict
        wanted = self.facilitators_wanted()
        more = f" (this pack is written for {wanted})" if len(names) < wanted else ""
        return Verdict(True, f"→ {and_join(names)}{more}")

    # --- reading --------------------------------------------------------------------------------------------

    def today(self, zone: str) -> date:
        return host_of(self.app).clock().astimezone(ZoneInfo(zone)).date()

    def schedule(self) -> Schedule | None:
        """The schedule as typed so far, or None while a part of it is not right."""
        if not all(
            self.checks[f](self.query_one(f"#{f}", Input).value).ok for f in ("start", "time", "minutes")
        ):
            return None
        zone = self.zone()
        start = self.day("start", zone)
        weekday = self.choice("weekday")
        return Schedule(
            start_date=start,
            weekdays=[start.weekday() if weekday in (None, START_DAY) else weekday],
            start_time=self.typed_time(self.text("time")) or "18:00",
            minutes=int(self.text("minutes")),
            cadence=self.choice("cadence") or Cadence.WEEKLY,
            timezone=zone,
        )
