"""A new group from a course pack: the form, and saving the group with all of its course's meetings at once.

Opened with `n` on the Groups list, from the command palette, or as Home's welcome suggests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from textual.app import App, ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from curricula.registry import PackEntry, Registry
from facilitator.courses import course_meetings, meeting_days, meeting_start
from facilitator.dates import DateError, parse_when
from facilitator.display import local
from facilitator.screens.forms import OK, FormScreen, Verdict, optional, required
from facilitator.screens.pack_dialogs import latest_packs, pack_words, with_registry
from facilitator.store import Store
from facilitator.store.records import Cadence, Group, GroupKind, GroupStatus, Schedule
from facilitator.store.store import sort_key
from facilitator.widgets.group_header import DAY_NAMES, STATUS_WORDS, and_join, clock_words

START_DAY = -1  # the weekday choice meaning "the start date's own day"
DAY = "ddd D MMM YYYY"


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


def usual_minutes(entry: PackEntry) -> str:
    """A pack's usual session length, as the form shows it."""
    return str(entry.pack.session_minutes if entry.pack else 90)


def names_list(text: str) -> list[str]:
    """ "Sam, Jude ," → ["Sam", "Jude"]."""
    return [name.strip() for name in text.split(",") if name.strip()]


@dataclass(frozen=True)
class NewGroup:
    """What the form gathered: the group and the pack it follows."""

    name: str
    pack: PackEntry
    kind: GroupKind
    status: GroupStatus
    schedule: Schedule
    location: str
    facilitators: list[str]


def create_group(store: Store, new: NewGroup, now: datetime) -> Group:
    """Save the group (pinned to the pack's version) and a planned meeting per session, in one write."""
    assert new.pack.pack is not None  # only usable packs are offered
    group = Group(
        name=new.name,
        pack_id=new.pack.id,
        pack_version=new.pack.version,
        kind=new.kind,
        status=new.status,
        schedule=new.schedule,
        location=new.location,
        facilitators=new.facilitators,
        created_at=now,
        updated_at=now,
    )
    store.save_all([group, *course_meetings(group, new.pack.pack)])  # never a group without its meetings
    return group


class NewGroupForm(FormScreen[NewGroup]):
    """A group following a course pack, and when and where it meets."""

    heading = "A new group from a course pack"

    def __init__(self, packs: list[PackEntry], existing_names: list[str], zone_name: str) -> None:
        super().__init__()
        self.packs = {entry.key: entry for entry in packs}
        self.existing = {sort_key(name) for name in existing_names}
        self.zone_name = zone_name
        self.first = packs[0]
        self.minutes_default = usual_minutes(self.first)

    def body(self) -> ComposeResult:
        yield self.text_field(
            "Name of the group",
            "group-name",
            placeholder="e.g. Tuesday Recovery Group",
            check=self.check_name,
        )
        packs = [(pack_words(entry), key) for key, entry in self.packs.items()]
        yield self.choice_field("Course pack (its newest version)", "pack", packs, value=self.first.key)
        kinds = [("closed — a cohort that starts together", GroupKind.CLOSED)]
        kinds.append(("open — people can join any week", GroupKind.OPEN))
        yield self.choice_field("Kind", "kind", kinds, value=GroupKind.CLOSED)
        yield self.text_field(
            "Starts on", "start", placeholder="2026-03-03, 3 Mar, next tue", check=self.check_start
        )
        days = [("the start date's day", START_DAY), *((name, n) for n, name in enumerate(DAY_NAMES))]
        yield self.choice_field("Meets on", "weekday", days, value=START_DAY)
        yield self.text_field("At (local time)", "time", value="18:00", check=self.check_time)
        yield self.text_field("Minutes", "minutes", value=self.minutes_default, check=self.check_minutes)
        cadences = [("every week", Cadence.WEEKLY), ("every other week", Cadence.FORTNIGHTLY)]
        yield self.choice_field("How often", "cadence", cadences, value=Cadence.WEEKLY)
        yield self.text_field("Time zone", "zone", value=self.zone_name, check=zone_verdict)
        yield self.text_field(
            "Where (optional)",
            "location",
            placeholder="e.g. Riverside Clinic, room 2",
            check=optional(limit=200),
        )
        yield self.text_field(
            "Facilitators (optional, separated by commas)",
            "facilitators",
            placeholder="e.g. Sam Okafor, Jude Harris",
            check=self.check_facilitators,
        )
        yield Static("", id="new-group-plan", markup=False)

    # --- checks ---------------------------------------------------------------------------------------------

    def check_name(self, value: str) -> Verdict:
        verdict = required("a name for the group", limit=100)(value)
        if verdict.ok and sort_key(value.strip()) in self.existing:
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
            when = parse_when(value, self.app.clock(), "UTC")  # type: ignore[attr-defined]
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

    def check_minutes(self, value: str) -> Verdict:
        text = value.strip()
        if not text.isdigit() or not 1 <= int(text) <= 600:
            return Verdict(False, "Type the length in whole minutes, 1 to 600 (e.g. 90)")
        return OK

    def check_facilitators(self, value: str) -> Verdict:
        verdict = optional(limit=300)(value)
        names = names_list(value)
        if not verdict.ok or not names:
            return verdict
        pack = self.entry().pack
        wanted = pack.facilitators if pack else 1
        more = f" (this pack is written for {wanted})" if len(names) < wanted else ""
        return Verdict(True, f"→ {and_join(names)}{more}")

    # --- what depends on other fields -----------------------------------------------------------------------

    def entry(self) -> PackEntry:
        """The chosen pack."""
        return self.packs.get(self.choice("pack"), self.first)

    def refresh_dependent(self) -> None:
        """A new pack brings its usual length (unless one was typed); the zone changes what "today" is."""
        minutes = self.query_one("#minutes", Input)
        usual = usual_minutes(self.entry())
        if usual != self.minutes_default:
            if minutes.value.strip() == self.minutes_default:
                minutes.value = usual
            self.minutes_default = usual
        for field_id in ("start", "facilitators"):
            if self.query_one(f"#{field_id}", Input).value:
                self.show_verdict(field_id)
        self.query_one("#new-group-plan", Static).update(self.plan_words())

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

    def status(self, schedule: Schedule) -> GroupStatus:
        """Running when the course has already started, else planned."""
        today = self.app.clock().astimezone(ZoneInfo(schedule.timezone)).date()  # type: ignore[attr-defined]
        return GroupStatus.RUNNING if schedule.start_date < today else GroupStatus.PLANNED

    def plan_words(self) -> str:
        """ "16 meetings, Tue 10 Mar 2026 to Tue 23 Jun 2026, at 6:00 pm (Europe/London) · ◷ planned"."""
        schedule = self.schedule()
        count = self.entry().session_count
        if schedule is None:
            return f"{count} meetings, one per session: type when the group starts to see the dates."
        days = meeting_days(schedule, count)
        if not days:
            return "This pack has no sessions, so the group will have no meetings yet."
        first, last = (local(meeting_start(schedule, day), schedule.timezone) for day in (days[0], days[-1]))
        span = f"{first.format(DAY)} to {last.format(DAY)}, at {first.format('h:mm a')} ({schedule.timezone})"
        return f"{count} meetings, {span} · {STATUS_WORDS[self.status(schedule)]}"

    def result(self) -> NewGroup | None:
        schedule = self.schedule()
        if schedule is None:
            self.refuse("Nothing saved yet: check when the group starts.")
            return None
        return NewGroup(
            name=self.text("group-name"),
            pack=self.entry(),
            kind=self.choice("kind") or GroupKind.CLOSED,
            status=self.status(schedule),
            schedule=schedule,
            location=self.text("location"),
            facilitators=names_list(self.text("facilitators")),
        )


def new_group(app: App) -> None:
    """Ask for a new group (the packs are read off the event loop), save it with its meetings, and open it."""
    if isinstance(app.screen, ModalScreen):
        return  # a dialog is open: finish that first
    if app.store.read_only:  # type: ignore[attr-defined]
        app.notify("This database is open read-only, so no group can be created.", severity="warning")
        return

    def ask(registry: Registry) -> None:
        packs = latest_packs(registry)
        if isinstance(app.screen, ModalScreen):
            return
        if not packs:
            app.notify("No usable course pack is installed: see the Packs screen (4).", severity="warning")
            return
        names = [g.name for g in app.store.groups()]  # type: ignore[attr-defined]
        app.push_screen(NewGroupForm(packs, names, local_zone_name()), save)

    def save(new: NewGroup | None) -> None:
        if new is None:
            return
        group = create_group(app.store, new, app.clock())  # type: ignore[attr-defined]
        count = new.pack.session_count
        app.notify(f"Created {group.name} with {count} planned meetings.", title="New group", markup=False)
        from facilitator.screens.navigation import open_group

        open_group(app, group.id)

    with_registry(app, ask)
