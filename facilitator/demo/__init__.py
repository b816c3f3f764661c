"""A demo database of invented people and groups, the same for the same seed and day."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any, TypeVar

import msgspec

from curricula.format import Pack
from facilitator.course.calendar import (
    course_sessions,
    meeting_days,
    meeting_start,
    planned_agenda,
)
from facilitator.course.packs import bundled_pack
from facilitator.demo.dropin import add_drop_in, weekly_steps
from facilitator.store import Store
from facilitator.store.records import (
    AttendanceMark,
    AttendanceStatus,
    CheckIn,
    Dimension,
    Enrollment,
    EnrollmentRole,
    EnrollmentStatus,
    Goal,
    Group,
    GroupKind,
    GroupStatus,
    HomeAssignment,
    Horizon,
    Meeting,
    MeetingStatus,
    Participant,
    Record,
    Review,
    Schedule,
)

R = TypeVar("R", bound=Record)

FIRST_NAMES = [
    "Amara", "Ben", "Carmen", "Dev", "Élodie", "Farah", "Gus", "Hana", "Ivan", "Jo", "Kwame", "Lena", "Mateo",
    "Nia", "Owen", "Priya", "Quinn", "Rosa", "Sami", "Tomás", "Uma", "Vik", "Wren", "Xin", "Yusuf", "Zoë",
    "Aoife", "Björn", "Chiara", "Dmitri", "Esi", "Femi",
]  # fmt: skip
LAST_INITIALS = "ABCDEFGHJKLMNOPRSTVW"
PRONOUNS = ["she/her", "he/him", "they/them", None, None]
GOALS = [
    ("Walk to the park three times a week", Dimension.HEALTH, "I feel calmer after being outside."),
    ("Get back to sleeping before midnight", Dimension.HEALTH, "Everything is harder when I'm tired."),
    ("Cook a proper meal twice a week", Dimension.HOME, "I want my flat to feel like a home again."),
    ("Sort out the letters from the housing office", Dimension.HOME, "Not knowing keeps me up at night."),
    ("Find a volunteering role with animals", Dimension.PURPOSE, "I used to love working at the stables."),
    ("Finish my food hygiene course", Dimension.PURPOSE, "So I can apply for kitchen jobs."),
    ("Call my sister every Sunday", Dimension.COMMUNITY, "We lost touch when I was unwell."),
    ("Go to the Thursday choir", Dimension.COMMUNITY, "Singing makes me feel part of something."),
]
STEPS = ["Pick a day and time", "Tell someone in the group about it", "Do it once and notice how it felt"]
CHECK_IN_NOTES = ["Good week", "Harder than expected", "Managed twice", "Kept going despite the rain", ""]


class DemoBuilder:
    """Builds the demo's records with ids and times drawn from one seeded generator."""

    def __init__(self, seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.records: list[Record] = []

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def keep(self, record: R) -> R:
        self.records.append(record)
        return record

    def swap(self, old: Record, new: Record) -> None:
        """Put `new` in the place of a record already kept."""
        self.records[self.records.index(old)] = new

    def people(self, count: int) -> list[Participant]:
        names = self.rng.sample(FIRST_NAMES, count)
        return [
            self.keep(
                Participant(
                    id=self.new_id(),
                    display_name=f"{name} {self.rng.choice(LAST_INITIALS)}.",
                    pronouns=self.rng.choice(PRONOUNS),
                    created_at=self.now,
                    updated_at=self.now,
                )
            )
            for name in names
        ]

    def group(self, pack: Pack, **fields: Any) -> Group:
        return self.keep(
            Group(
                id=self.new_id(),
                pack_id=pack.id,
                pack_version=pack.version,
                created_at=self.now,
                updated_at=self.now,
                **fields,
            )
        )

    def enrol(self, group: Group, people: list[Participant], joined: date, **fields: Any) -> list[Enrollment]:
        return [
            self.keep(
                Enrollment(
                    id=self.new_id(),
                    participant_id=p.id,
                    group_id=group.id,
                    joined_on=joined,
                    created_at=self.now,
                    updated_at=self.now,
                    **fields,
                )
            )
            for p in people
        ]

    def meetings(self, group: Group, pack: Pack, starts: list[datetime], held: int) -> list[Meeting]:
        """The course's meetings: the first `held` are held (agenda as run), the rest planned."""
        sessions = course_sessions(pack)
        minutes = group.schedule.minutes if group.schedule else pack.session_minutes
        out = []
        for number, (start, ref) in enumerate(zip(starts, sessions, strict=False), start=1):
            agenda = planned_agenda(pack, ref.unit_id, ref.session_number)
            status = MeetingStatus.PLANNED
            started = ended = None
            if number <= held:
                status = MeetingStatus.HELD
                agenda = [
                    msgspec.structs.replace(a, actual_seconds=a.planned_seconds + self.rng.randint(-90, 150))
                    for a in agenda
                ]
                started = start + timedelta(minutes=self.rng.randint(0, 6))
                ended = started + timedelta(seconds=sum(a.actual_seconds or 0 for a in agenda))
            meeting = Meeting(
                id=self.new_id(),
                group_id=group.id,
                number=number,
                scheduled_start=start,
                minutes=minutes,
                status=status,
                covers=ref,
                agenda=agenda,
                started_at=started,
                ended_at=ended,
                notes="Good energy tonight; two people shared for the first time." if number == 2 else "",
                created_at=self.now,
                updated_at=self.now,
            )
            out.append(self.keep(meeting))
        return out

    def attendance(
        self,
        meetings: list[Meeting],
        people: list[Participant],
        drifting: set[str],
        *,
        fade: int = 3,
        first: dict[str, int] | None = None,
    ) -> None:
        """Realistic marks: most come, a few are late or excused, and the drifting miss the last `fade`.

        `first` gives the held meeting (from 0) a person first came to; earlier ones get no mark.
        """
        held = [m for m in meetings if m.status is MeetingStatus.HELD]
        for index, meeting in enumerate(held):
            for person in people:
                if first and index < first.get(person.id, 0):
                    continue
                fading = person.id in drifting and index >= len(held) - fade
                roll = self.rng.random()
                if fading:
                    status = AttendanceStatus.ABSENT
                elif roll < 0.75:
                    status = AttendanceStatus.PRESENT
                elif roll < 0.85:
                    status = AttendanceStatus.LATE
                elif roll < 0.92:
                    status = AttendanceStatus.EXCUSED
                else:
                    status = AttendanceStatus.ABSENT
                at = None
                if status is AttendanceStatus.LATE:
                    at = meeting.scheduled_start + timedelta(minutes=self.rng.randint(5, 25))
                self.keep(
                    AttendanceMark(
                        id=self.new_id(),
                        meeting_id=meeting.id,
                        participant_id=person.id,
                        status=status,
                        at=at,
                        created_at=self.now,
                        updated_at=self.now,
                    )
                )

    def goals(self, group: Group, people: list[Participant], meetings: list[Meeting]) -> None:
        held = [m for m in meetings if m.status is MeetingStatus.HELD]
        for person in people:
            title, dimension, why = self.rng.choice(GOALS)
            check_ins = [
                CheckIn(
                    at=m.scheduled_start + timedelta(minutes=30),
                    meeting_id=m.id,
                    rating=self.rng.randint(2, 5),
                    note=self.rng.choice(CHECK_IN_NOTES),
                )
                for m in held[1::2]
            ]
            if self.rng.random() < 0.25:
                check_ins = check_ins[:1]  # a goal that went quiet
            done = self.rng.randint(0, len(STEPS))
            first = held[0].scheduled_start if held else self.now
            steps = weekly_steps(STEPS, first, done)
            self.keep(
                Goal(
                    id=self.new_id(),
                    participant_id=person.id,
                    group_id=group.id,
                    title=title,
                    why=why,
                    dimension=dimension,
                    horizon=self.rng.choice([Horizon.SHORT, Horizon.LONG]),
                    steps=steps,
                    check_ins=check_ins,
                    created_at=first,
                    updated_at=self.now,
                )
            )

    def assignments(self, group: Group, meetings: list[Meeting], pack: Pack) -> None:
        held = [m for m in meetings if m.status is MeetingStatus.HELD]
        suggestions = {
            (u.id, s.number): s.home_assignments for u in pack.units for s in u.sessions if s.home_assignments
        }
        for given, due in pairwise(meetings):
            if given not in held or given.covers is None:
                continue
            texts = suggestions.get((given.covers.unit_id, given.covers.session_number))
            if not texts:
                continue
            review = Review.NOT_REVIEWED
            if due in held:
                review = self.rng.choice([Review.DONE, Review.DONE, Review.PARTLY, Review.NOT_DONE])
                if due is held[-1]:
                    review = Review.NOT_REVIEWED  # left for the facilitator to review
            self.keep(
                HomeAssignment(
                    id=self.new_id(),
                    meeting_id=given.id,
                    group_id=group.id,
                    text=texts[0],
                    due_meeting_id=due.id,
                    review=review,
                    created_at=self.now,
                    updated_at=self.now,
                )
            )


def scheduled_starts(group: Group, count: int) -> list[datetime]:
    """The group's first `count` meeting times in UTC, from its schedule."""
    assert group.schedule is not None
    return [meeting_start(group.schedule, day) for day in meeting_days(group.schedule, count)]


def seed_demo(store: Store, *, seed: int = 7, now: datetime | None = None) -> None:
    """Fill an empty store: running IMR, finished family, planned WRAP groups and a drop-in mid-session."""
    now = now or store.clock()
    build = DemoBuilder(seed, now)
    zone = "Europe/London"
    today = now.date()
    imr, family, wrap = map(bundled_pack, ("imr-style", "family-to-family-style", "wrap-style"))
    people = build.people(30)

    # An open IMR group, fourteen weeks into its course, meeting on Tuesdays.
    imr_start = today - timedelta(days=(today.weekday() - 1) % 7 + 7 * 13)
    imr_group = build.group(
        imr,
        name="Tuesday Recovery Group",
        kind=GroupKind.OPEN,
        status=GroupStatus.RUNNING,
        schedule=Schedule(start_date=imr_start, weekdays=[1], start_time="18:30", minutes=90, timezone=zone),
        location="Riverside Clinic, room 2",
        facilitators=["Sam Okafor", "Jude Harris"],
    )
    imr_people = people[:14]
    build.enrol(imr_group, imr_people[:11], imr_start)
    build.enrol(imr_group, imr_people[11:], imr_start + timedelta(days=42))  # joined later: an open group
    starts = scheduled_starts(imr_group, len(course_sessions(imr)))
    held = sum(1 for s in starts if s < now - timedelta(hours=3))
    imr_meetings = build.meetings(imr_group, imr, starts, held)
    build.attendance(imr_meetings[:6], imr_people[:11], drifting=set())
    build.attendance(imr_meetings[6:], imr_people, drifting={imr_people[3].id, imr_people[8].id})
    build.goals(imr_group, imr_people, imr_meetings)
    build.assignments(imr_group, imr_meetings, imr)

    # A family class that finished two months ago.
    family_start = today - timedelta(days=today.weekday() + 7 * 17)
    family_group = build.group(
        family,
        name="Spring Family Class",
        kind=GroupKind.CLOSED,
        status=GroupStatus.FINISHED,
        schedule=Schedule(
            start_date=family_start, weekdays=[0], start_time="19:00", minutes=150, timezone=zone
        ),
        location="St Mary's church hall",
        facilitators=["Ruth Bennett", "Carlos Mendes"],
    )
    family_people = people[14:24]
    build.enrol(
        family_group,
        family_people,
        family_start,
        role=EnrollmentRole.FAMILY_MEMBER,
        status=EnrollmentStatus.COMPLETED,
    )
    family_meetings = build.meetings(family_group, family, scheduled_starts(family_group, 8), held=8)
    build.attendance(family_meetings, family_people, drifting={family_people[2].id})
    build.assignments(family_group, family_meetings, family)

    # A WRAP group starting in a fortnight, with its first people signed up.
    wrap_start = today + timedelta(days=(3 - today.weekday()) % 7 + 14)
    wrap_group = build.group(
        wrap,
        name="Thursday WRAP Workshop",
        kind=GroupKind.CLOSED,
        status=GroupStatus.PLANNED,
        schedule=Schedule(
            start_date=wrap_start, weekdays=[3], start_time="10:00", minutes=150, timezone=zone
        ),
        location="Northside Community Centre",
        facilitators=["Alex Kim"],
    )
    build.enrol(wrap_group, people[24:], today - timedelta(days=3))
    build.enrol(wrap_group, people[:2], today - timedelta(days=1), status=EnrollmentStatus.WAITLIST)
    build.meetings(wrap_group, wrap, scheduled_starts(wrap_group, 8), held=0)

    # An open dual-recovery drop-in, six weeks in, its session tonight left running twenty minutes in.
    add_drop_in(build, people)

    store.save_all(build.records)
