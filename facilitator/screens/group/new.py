"""A new group from a course pack: the form, and saving the group with all of its course's meetings at once.

Opened with `n` on the Groups list, from the command palette, or as Home's welcome suggests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import msgspec
from textual.app import App, ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from curricula.registry import PackEntry, Registry
from facilitator.course.calendar import course_meetings, meeting_days, meeting_start
from facilitator.display import local
from facilitator.host import host_of
from facilitator.screens.group.fields import GroupFieldsForm, local_zone_name, names_list, start_status
from facilitator.screens.packs.dialogs import latest_packs, pack_words, with_registry
from facilitator.screens.saving import ask as ask_and_save
from facilitator.store import Store
from facilitator.store.records import Group, GroupKind, GroupStatus, Meeting, MeetingStatus, Schedule
from facilitator.words import GROUP_STATUS_WORDS

DAY = "ddd D MMM YYYY"


def usual_minutes(entry: PackEntry) -> str:
    """A pack's usual session length, as the form shows it."""
    return str(entry.pack.session_minutes if entry.pack else 90)


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
    meetings = [already_held(m, now) for m in course_meetings(group, new.pack.pack)]
    store.save_all([group, *meetings])  # never a group without its meetings
    return group


def already_held(meeting: Meeting, now: datetime) -> Meeting:
    """A meeting of a course that began before it was entered has happened: held, its attendance to record."""
    if meeting.scheduled_start + timedelta(minutes=meeting.minutes) > now:
        return meeting
    return msgspec.structs.replace(meeting, status=MeetingStatus.HELD)


class NewGroupForm(GroupFieldsForm[NewGroup]):
    """A group following a course pack, and when and where it meets."""

    heading = "A new group from a course pack"

    def __init__(self, packs: list[PackEntry], existing_names: list[str], zone_name: str) -> None:
        super().__init__(existing_names, zone_name)
        self.packs = {entry.key: entry for entry in packs}
        self.first = packs[0]
        self.minutes_default = usual_minutes(self.first)

    def body(self) -> ComposeResult:
        yield from self.name_field()
        packs = [(pack_words(entry), key) for key, entry in self.packs.items()]
        yield self.choice_field("Course pack (its newest version)", "pack", packs, value=self.first.key)
        yield from self.kind_field(GroupKind.CLOSED)
        yield from self.schedule_fields(None, minutes=self.minutes_default)
        yield from self.place_fields()
        yield Static("", id="new-group-plan", markup=False)

    def facilitators_wanted(self) -> int:
        pack = self.entry().pack
        return pack.facilitators if pack else 1

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

    def status(self, schedule: Schedule) -> GroupStatus:
        return start_status(schedule, self.today(schedule.timezone))

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
        words = f"{count} meetings, {span} · {GROUP_STATUS_WORDS[self.status(schedule)]}"
        now = host_of(self.app).clock()
        past = sum(
            1 for day in days if meeting_start(schedule, day) + timedelta(minutes=schedule.minutes) <= now
        )
        if past:
            words += f"\n{past} of them already happened: saved as held, for you to record who came."
        return words

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
    if host_of(app).store.read_only:
        app.notify("This database is open read-only, so no group can be created.", severity="warning")
        return

    def ask(registry: Registry) -> None:
        packs = latest_packs(registry)
        if isinstance(app.screen, ModalScreen):
            return
        if not packs:
            app.notify("No usable course pack is installed: see the Packs screen (4).", severity="warning")
            return
        names = [g.name for g in host_of(app).store.groups()]
        ask_and_save(app, NewGroupForm(packs, names, local_zone_name()), save, then)

    created: list[Group] = []

    def save(new: NewGroup) -> None:
        group = create_group(host_of(app).store, new, host_of(app).clock())
        created.append(group)
        count = new.pack.session_count
        app.notify(f"Created {group.name} with {count} planned meetings.", title="New group", markup=False)

    def then(_: NewGroup | None) -> None:
        """Open the new group once the form has closed (opened before, it would sit under the form)."""
        if created:
            from facilitator.messages import OpenGroup

            app.post_message(OpenGroup(created[-1].id))

    with_registry(app, ask)
