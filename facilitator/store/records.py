"""Every record the store keeps, as msgspec Structs (SPEC section 2).

Each record has a UUID4 `id`, UTC `created_at` / `updated_at`, and a `deleted_at` tombstone so a merge never
resurrects a deleted record. Statuses are enums; a record that does not fit is reported when read.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

import msgspec

from curricula.format import Stage

SCHEMA_VERSION = 3


def new_id() -> str:
    """A fresh record id."""
    return str(uuid.uuid4())


def utc_now() -> datetime:
    """Now, in UTC; the store passes its own clock, this is the fallback."""
    return datetime.now(UTC)


class Record(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    """Fields every stored record carries."""

    table: ClassVar[str] = ""

    id: str = msgspec.field(default_factory=new_id)
    created_at: datetime = msgspec.field(default_factory=utc_now)
    updated_at: datetime = msgspec.field(default_factory=utc_now)
    deleted_at: datetime | None = None
    # The version's hybrid-clock stamp and what it was written over (see stamps.py); set by the store.
    stamp: str = ""
    run: str = ""
    seen: dict[str, str] = {}

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


# --- Meta ---------------------------------------------------------------------------------------------------


class Settings(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    """Preferences kept with the data, so they travel with the file."""

    theme: str = "textual-dark"
    idle_lock_minutes: int | None = None
    auto_advance: bool = False


class HubLink(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    """The agency hub this database syncs with, and how far it has got (see `facilitator.sync.hub`).

    `dsn` never holds a password: credentials come from libpq's own places (pgpass, a service file, the
    environment). `pulled_seq` is the hub's change sequence seen so far for `groups_pulled`; `pushed_up_to`
    the clock up to which every version here is on the hub.
    """

    dsn: str
    hub_id: str = ""
    pulled_seq: int = 0
    groups_pulled: list[str] = []
    pushed_up_to: str = ""
    last_sync_at: datetime | None = None


class Meta(Record, kw_only=True, frozen=True, gc=False):
    """What the file is: its schema version, its id, and the app that last wrote it."""

    table: ClassVar[str] = "meta"

    schema_version: int  # no default: always written, so an older app can tell the file is newer
    database_id: str = msgspec.field(default_factory=new_id)
    app_version: str = ""
    settings: Settings = msgspec.field(default_factory=Settings)
    clock: str = ""  # the latest stamp this database has made or seen: every new one comes after it
    hub: HubLink | None = None  # None: this database syncs with no hub


# --- Groups -------------------------------------------------------------------------------------------------


class GroupKind(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class GroupStatus(enum.StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    FINISHED = "finished"
    ARCHIVED = "archived"


class Cadence(enum.StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"


class Schedule(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    """When a group meets, in its own time zone."""

    start_date: date
    weekdays: list[int] = []  # 0 = Monday
    start_time: str = "18:00"  # local HH:MM
    minutes: int = 90
    cadence: Cadence = Cadence.WEEKLY
    timezone: str = "UTC"


class Group(Record, kw_only=True, frozen=True, gc=False):
    table: ClassVar[str] = "groups"

    name: str
    pack_id: str = ""
    pack_version: str = ""
    kind: GroupKind = GroupKind.CLOSED
    status: GroupStatus = GroupStatus.PLANNED
    schedule: Schedule | None = None
    location: str = ""
    facilitators: list[str] = []
    completion_threshold: float = 0.75
    # Whether an excused absence counts in attendance rates as a meeting not come to. Most programmes leave
    # excused meetings out of the rate, so that is the default.
    excused_counts: bool = False
    notes: str = ""


# --- People -------------------------------------------------------------------------------------------------


class Participant(Record, kw_only=True, frozen=True, gc=False):
    table: ClassVar[str] = "participants"

    display_name: str
    full_name: str | None = None
    pronouns: str | None = None
    contact: str | None = None
    notes: str = ""


class EnrollmentRole(enum.StrEnum):
    PARTICIPANT = "participant"
    FAMILY_MEMBER = "family member"
    GUEST = "guest"


class EnrollmentStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    WAITLIST = "waitlist"


class StageChange(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    """A stage of treatment as it was set on a day."""

    stage: Stage
    on: date


class Enrollment(Record, kw_only=True, frozen=True, gc=False):
    """A participant's place in a group, with their stage of treatment where the group uses stages."""

    table: ClassVar[str] = "enrollments"

    participant_id: str
    group_id: str
    role: EnrollmentRole = EnrollmentRole.PARTICIPANT
    status: EnrollmentStatus = EnrollmentStatus.ACTIVE
    joined_on: date
    left_on: date | None = None
    reason: str = ""
    stage: Stage | None = None
    stage_set_on: date | None = None
    stage_history: list[StageChange] = []


# --- Meetings -----------------------------------------------------------------------------------------------


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    HELD = "held"
    CANCELLED = "cancelled"


class SessionRef(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    """The curriculum session a meeting covers."""

    unit_id: str
    session_number: int
    title: str
    unit_title: str = ""


class AgendaItem(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    """One segment of a meeting's agenda as planned and as run."""

    title: str
    kind: str = "other"
    planned_seconds: int = 0
    actual_seconds: int | None = None
    skipped: bool = False


class Meeting(Record, kw_only=True, frozen=True, gc=False):
    table: ClassVar[str] = "meetings"

    group_id: str
    number: int
    scheduled_start: datetime
    minutes: int = 90
    status: MeetingStatus = MeetingStatus.PLANNED
    cancel_reason: str = ""
    covers: SessionRef | None = None
    agenda: list[AgendaItem] = []
    started_at: datetime | None = None
    ended_at: datetime | None = None
    notes: str = ""
    engine_state: dict[str, Any] | None = None
    summary: dict[str, Any] | None = None


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left_early"
    ABSENT = "absent"
    EXCUSED = "excused"


class AttendanceMark(Record, kw_only=True, frozen=True, gc=False):
    """Whether one person came to one meeting. At most one live mark per pair."""

    table: ClassVar[str] = "marks"

    meeting_id: str
    participant_id: str
    status: AttendanceStatus
    at: datetime | None = None
    note: str = ""


# --- Goals and home assignments -----------------------------------------------------------------------------


class Dimension(enum.StrEnum):
    """SAMHSA's four dimensions of recovery."""

    HEALTH = "health"
    HOME = "home"
    PURPOSE = "purpose"
    COMMUNITY = "community"


class Horizon(enum.StrEnum):
    SHORT = "short"
    LONG = "long"


class RecoveryFocus(enum.StrEnum):
    """Which part of recovery a goal serves, for groups working on both."""

    MENTAL_HEALTH = "mental_health"
    SUBSTANCE_USE = "substance_use"
    BOTH = "both"


class GoalStatus(enum.StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    PAUSED = "paused"
    DROPPED = "dropped"


class GoalStep(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    text: str
    done_at: datetime | None = None


class CheckIn(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    at: datetime
    rating: int  # 1–5
    meeting_id: str | None = None
    note: str = ""


class Goal(Record, kw_only=True, frozen=True, gc=False):
    """A goal in the person's own words."""

    table: ClassVar[str] = "goals"

    participant_id: str
    group_id: str | None = None
    title: str
    why: str = ""
    dimension: Dimension = Dimension.PURPOSE
    horizon: Horizon = Horizon.SHORT
    serves: RecoveryFocus | None = None
    status: GoalStatus = GoalStatus.ACTIVE
    steps: list[GoalStep] = []
    check_ins: list[CheckIn] = []


class Review(enum.StrEnum):
    DONE = "done"
    PARTLY = "partly"
    NOT_DONE = "not_done"
    NOT_REVIEWED = "not_reviewed"


class HomeAssignment(Record, kw_only=True, frozen=True, gc=False):
    """Practice agreed at one meeting, reviewed at a later one."""

    table: ClassVar[str] = "assignments"

    meeting_id: str
    group_id: str
    participant_id: str | None = None  # None: the whole group
    text: str
    due_meeting_id: str | None = None
    review: Review = Review.NOT_REVIEWED
    review_note: str = ""


# --- The conflict log ---------------------------------------------------------------------------------------


class Conflict(Record, kw_only=True, frozen=True, gc=False):
    """A version that lost a merge, kept until the facilitator picks between it and the one kept.

    `record_id` is the record that was kept; `lost` is the losing version as it was written. Its id is the
    same record for two edits made apart, or another record that is the same thing (one person's mark at one
    meeting made on two laptops). The entry is derived from the versions themselves, so every database that
    has seen the same versions holds the same entry.
    """

    table: ClassVar[str] = "conflicts"

    record_table: str
    record_id: str
    lost: dict[str, Any]
    from_database: str = ""


RECORD_TYPES: tuple[type[Record], ...] = (
    Meta,
    Group,
    Participant,
    Enrollment,
    Meeting,
    AttendanceMark,
    Goal,
    HomeAssignment,
    Conflict,
)
TABLES: dict[str, type[Record]] = {t.table: t for t in RECORD_TYPES}
