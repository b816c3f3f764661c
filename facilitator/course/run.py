"""One meeting being run: the live-session engine and the store, kept in step. No Textual.

The engine knows the time; the store keeps what must survive a kill. `MeetingRun` saves `engine.state()` into
`meeting.engine_state` after every transition, after a bell and every `SAVE_EVERY_SECONDS` while running (see
`sessions/engine.py`), and does the meeting's own bookkeeping around it: status and start/end times, the
agenda as run, attendance, goal check-ins, home assignments, notes and the end-of-meeting summary.

When the store refuses a write (a full disk), what happened in the room is not undone: the engine keeps its
state and a mark waits in `pending_marks`, both saved by the next key or by `heartbeat` every
`RETRY_EVERY_SECONDS`; until then `unsaved` is true and `problem` says why.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from curricula.format import Pack, Stage
from facilitator.course.dates import local
from facilitator.course.packs import PackLibrary
from facilitator.course.plan import pack_session, plan_meeting
from facilitator.course.roster import enrol, name_key, name_problem, namesakes
from facilitator.course.summary import build_summary
from facilitator.store import Store, StoreError
from facilitator.store.files import packs_folder
from facilitator.store.records import (
    AgendaItem,
    AttendanceMark,
    AttendanceStatus,
    CheckIn,
    Enrollment,
    EnrollmentStatus,
    Goal,
    GoalStatus,
    Group,
    GroupKind,
    GroupStatus,
    HomeAssignment,
    Meeting,
    MeetingStatus,
    Participant,
    Record,
    Review,
)
from sessions import Action, Engine, EngineState, SessionStatus

# While running, the state is saved at least this often, so a kill loses at most this much when the
# facilitator says the session did not keep going.
SAVE_EVERY_SECONDS = 10.0
# After a refused write, how often it is tried again (each key that changes something tries at once too).
RETRY_EVERY_SECONDS = 5.0
# People counted as in the room, for the per-stage prompts.
IN_THE_ROOM = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)
# The marks that keep the time they happened.
TIMED = (AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)

WallClock = Callable[[], datetime]
Monotonic = Callable[[], float]


class MeetingRunError(Exception):
    """Something the facilitator asked for cannot be done; the message is one line to show."""


def saved_state(meeting: Meeting) -> EngineState | None:
    """The engine state saved on a meeting, or None when there is none or it cannot be read."""
    if meeting.engine_state is None:
        return None
    try:
        return msgspec.convert(meeting.engine_state, EngineState)
    except msgspec.ValidationError:
        return None


def needs_resume_question(meeting: Meeting) -> bool:
    """Whether reopening this meeting must ask if the session kept going while the app was closed."""
    state = saved_state(meeting)
    return (
        meeting.status is MeetingStatus.IN_PROGRESS
        and state is not None
        and state.status is SessionStatus.RUNNING
    )


def newcomer_problem(name: str, taken: list[str]) -> str | None:
    """Why `name` cannot be a newcomer's display name, or None when it can."""
    problem = name_problem(name)
    if problem:
        return problem
    if any(name_key(name) == name_key(other) for other in taken):
        return f"Someone in this group is already called {name.strip()}; add an initial to tell them apart."
    return None


class MeetingRun:
    """A meeting's live session and everything recorded while it runs."""

    def __init__(
        self,
        store: Store,
        meeting_id: str,
        engine: Engine,
        *,
        wall_clock: WallClock,
        monotonic: Monotonic,
        pack: Pack | None = None,
    ) -> None:
        self.store = store
        self.meeting_id = meeting_id
        self.engine = engine
        self.pack = pack
        self._wall_clock = wall_clock
        self._monotonic = monotonic
        self._saved_at = monotonic()
        self._transitions_saved = len(engine.transitions)
        # What the store has refused so far, kept to be saved again: the engine's state, and marks by person.
        self._state_unsaved = False
        self.pending_marks: dict[str, tuple[AttendanceStatus, datetime | None]] = {}
        self.problem = ""  # the store's reason, while something is not saved
        self._tried_at = monotonic()

    @classmethod
    def open(
        cls,
        store: Store,
        meeting_id: str,
        *,
        wall_clock: WallClock,
        monotonic: Monotonic,
        kept_running: bool = True,
    ) -> MeetingRun:
        """Take up a planned meeting, or resume one in progress from its saved state."""
        meeting = store.get(Meeting, meeting_id)
        if meeting is None or meeting.deleted:
            raise MeetingRunError("That meeting no longer exists.")
        if meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
            raise MeetingRunError(
                f"Meeting {meeting.number} was {meeting.status.value}; it cannot run again."
            )
        group = store.get(Group, meeting.group_id)
        pack = PackLibrary.of(packs_folder(store.path)).pinned(group) if group else None
        auto_advance = store.meta.settings.auto_advance
        state = saved_state(meeting) if meeting.status is MeetingStatus.IN_PROGRESS else None
        if state is None:
            engine = Engine(
                plan_meeting(meeting, pack), clock=monotonic, wall_clock=wall_clock, auto_advance=auto_advance
            )
            return cls(store, meeting_id, engine, wall_clock=wall_clock, monotonic=monotonic, pack=pack)
        try:
            engine = Engine.restore(state, monotonic, wall_clock, kept_running=kept_running)
        except ValueError as error:
            raise MeetingRunError(f"The saved session cannot be resumed: {error}.") from None
        engine.auto_advance = auto_advance
        run = cls(store, meeting_id, engine, wall_clock=wall_clock, monotonic=monotonic, pack=pack)
        with contextlib.suppress(StoreError):  # kept, and saved on the next try (see `unsaved`)
            run.save()  # the restore is a transition of its own
        return run

    @property
    def meeting(self) -> Meeting:
        """The meeting as stored now (always re-read, so no change made elsewhere is overwritten)."""
        meeting = self.store.get(Meeting, self.meeting_id)
        assert meeting is not None
        return meeting

    @property
    def group(self) -> Group | None:
        return self.store.get(Group, self.meeting.group_id)

    @property
    def ended(self) -> bool:
        return self.engine.status is SessionStatus.ENDED

    @property
    def unsaved(self) -> bool:
        """Whether something done in the session is still waiting to be saved (the store refused it)."""
        return self._state_unsaved or bool(self.pending_marks)

    # --- the clock --------------------------------------------------------------------------------------

    def toggle(self) -> bool:
        """Start, pause or resume."""
        return self._apply(self.engine.toggle)

    def next(self) -> bool:
        return self._apply(self.engine.next)

    def previous(self) -> bool:
        return self._apply(self.engine.previous)

    def skip(self) -> bool:
        return self._apply(self.engine.skip)

    def add_minute(self, minutes: int) -> bool:
        return self._apply(lambda: self.engine.add_minute(minutes))

    def end(self) -> bool:
        return self._apply(self.engine.end)

    def _apply(self, operation: Callable[[], bool]) -> bool:
        """Run an operation and save; True when it changed something.

        A refused save raises StoreError after the change was made: the engine keeps it, and the next key or
        heartbeat saves it.
        """
        if not operation():
            return False
        self._state_unsaved = True
        self.save()
        return True

    def heartbeat(self) -> bool:
        """Called on every tick; True when the bell should ring. Saves only when something needs saving.

        Never raises: a refused save is kept (see `unsaved`) and tried again every `RETRY_EVERY_SECONDS`.
        """
        rang = self.engine.claim_bell()
        if self.unsaved:
            self.retry_if_due()
            return rang
        moved = len(self.engine.transitions) != self._transitions_saved  # an auto-advance
        due = (
            self.engine.status is SessionStatus.RUNNING
            and self._monotonic() - self._saved_at >= SAVE_EVERY_SECONDS
        )
        if rang or moved or due:
            with contextlib.suppress(StoreError):
                self.save()
        return rang

    def retry_if_due(self) -> None:
        """Try again to save what the store refused, at most every `RETRY_EVERY_SECONDS`."""
        if self.unsaved and self._monotonic() - self._tried_at >= RETRY_EVERY_SECONDS:
            with contextlib.suppress(StoreError):
                self._save(state=False)

    def save(self) -> None:
        """Save every mark still waiting, then the engine's state (the meeting as held once it has ended).

        The first save after the start marks the meeting in progress. Raises StoreError when the store
        refuses; what was not saved is kept for the next call.
        """
        self._save(state=True)

    def _save(self, *, state: bool) -> None:
        """Save the marks waiting, and the engine's state when asked or when an earlier save of it failed."""
        self._tried_at = self._monotonic()
        try:
            self._save_marks()
            if state or self._state_unsaved:
                self._save_state()
        except StoreError as error:
            if state and self.engine.status is not SessionStatus.NOT_STARTED:
                self._state_unsaved = True
            self.problem = str(error)
            raise
        self.problem = ""

    def _save_state(self) -> None:
        if self.engine.status is SessionStatus.NOT_STARTED:
            self._state_unsaved = False
            return  # nothing has happened that a resume would need
        meeting = self.meeting
        if self.ended:
            if meeting.status is not MeetingStatus.HELD:
                self._finish(meeting)
            self._state_unsaved = False
            return
        changes: dict[str, object] = {"engine_state": msgspec.to_builtins(self.engine.state())}
        if meeting.status is MeetingStatus.PLANNED:
            # The meeting starts: its agenda becomes the plan as scaled (the actual seconds come at the end).
            planned = [msgspec.structs.replace(item, actual_seconds=None) for item in self.agenda_as_run()]
            started = self._when(Action.START) or self._wall_clock()
            changes.update(status=MeetingStatus.IN_PROGRESS, started_at=started, agenda=planned)
        self.store.update(meeting, **changes)
        self._saved_at = self._monotonic()
        self._transitions_saved = len(self.engine.transitions)
        self._state_unsaved = False

    def _when(self, action: Action) -> datetime | None:
        """When the latest transition of this kind happened, by the wall clock (a save may come later)."""
        return next((t.wall for t in reversed(self.engine.transitions) if t.action is action), None)

    def agenda_as_run(self) -> list[AgendaItem]:
        """Each segment with its planned (± minutes) and actual seconds."""
        engine = self.engine
        return [
            AgendaItem(
                title=segment.title,
                kind=segment.kind,
                planned_seconds=engine.planned_seconds(index),
                actual_seconds=round(engine.actual_seconds(index)),
                skipped=engine.skipped(index),
            )
            for index, segment in enumerate(engine.agenda)
        ]

    def _finish(self, meeting: Meeting) -> None:
        """Record the meeting as held, with its agenda as run and its summary; a planned group is running."""
        ended_at = self._when(Action.END) or self._wall_clock()
        started_at = meeting.started_at or self._when(Action.START) or ended_at
        agenda = self.agenda_as_run()
        held = msgspec.structs.replace(meeting, agenda=agenda, started_at=started_at, ended_at=ended_at)
        now = self.store.clock()
        records: list[Record] = [
            msgspec.structs.replace(
                held,
                status=MeetingStatus.HELD,
                engine_state=msgspec.to_builtins(self.engine.state()),
                summary=build_summary(self.store, held, self.roster()),
                updated_at=now,
            )
        ]
        group = self.group
        if group is not None and group.status is GroupStatus.PLANNED:
            # The course has begun once a meeting is held: the group is running, in the same write.
            records.append(msgspec.structs.replace(group, status=GroupStatus.RUNNING, updated_at=now))
        self.store.save_all(records)

    # --- attendance -------------------------------------------------------------------------------------

    def roster(self) -> list[tuple[Enrollment, Participant]]:
        """The people expected tonight: active enrolments, and anyone already marked for this meeting."""
        marks = self.marks()
        rows: dict[str, tuple[Enrollment, Participant]] = {}
        for enrolment, person in self.store.roster(self.meeting.group_id):
            if enrolment.status is EnrollmentStatus.ACTIVE or person.id in marks:
                kept = rows.get(person.id)
                if kept is None or kept[0].status is not EnrollmentStatus.ACTIVE:
                    rows[person.id] = (enrolment, person)
        return list(rows.values())

    def marks(self) -> dict[str, AttendanceMark]:
        """Tonight's saved marks, by participant id (see `pending_marks` for those still to be saved)."""
        return self.store.meeting_marks(self.meeting_id)

    def statuses(self) -> dict[str, AttendanceStatus]:
        """Everyone's mark as the facilitator set it, saved or still waiting to be."""
        statuses = {person_id: mark.status for person_id, mark in self.marks().items()}
        statuses.update((person_id, status) for person_id, (status, _) in self.pending_marks.items())
        return statuses

    def mark(self, participant_id: str, status: AttendanceStatus) -> None:
        """One person's mark; a late arrival or an early leave keeps the time it happened.

        A refused save raises StoreError with the mark kept in `pending_marks`, saved by the next try.
        """
        at = self._wall_clock() if status in TIMED else None
        self.pending_marks[participant_id] = (status, at)
        self._save(state=False)

    def time_problem(self, participant_id: str, at: datetime) -> str | None:
        """Why `at` cannot be the time of this person's late arrival or early leave, or None when it can.

        It falls between the meeting's start and its end (or now, while it runs).
        """
        status = self.statuses().get(participant_id)
        if status not in TIMED:
            return "Only a late arrival or an early leave has a time: mark them l or e first"
        meeting = self.meeting
        start = meeting.started_at or meeting.scheduled_start
        end = meeting.ended_at or self._wall_clock()
        zone = self.zone
        if at < start:
            return f"That is before the meeting started ({local(start, zone).format('h:mm a')})"
        if at > end + timedelta(minutes=1):
            later = "ended" if meeting.ended_at else "is now"
            return f"That is after the meeting {later} ({local(end, zone).format('h:mm a')})"
        return None

    def set_time(self, participant_id: str, at: datetime) -> None:
        """Correct when someone arrived late or left early (marked when the facilitator got to it).

        Raises ValueError with the reason when the time cannot be right (see `time_problem`); a refused save
        raises StoreError with the change kept in `pending_marks`, as a mark is.
        """
        problem = self.time_problem(participant_id, at)
        if problem:
            raise ValueError(problem)
        self.pending_marks[participant_id] = (self.statuses()[participant_id], at)
        self._save(state=False)

    def unmarked(self) -> list[Participant]:
        """The people expected tonight who have no mark yet."""
        statuses = self.statuses()
        return [person for _, person in self.roster() if person.id not in statuses]

    def mark_everyone_present(self) -> int:
        """Mark everyone not yet marked present, in one write with any mark still waiting; how many."""
        return self.mark_the_rest(AttendanceStatus.PRESENT)

    def mark_the_rest(self, status: AttendanceStatus) -> int:
        """Mark everyone not yet marked (present at the start, absent at the end), in one write; how many."""
        unmarked = [person.id for person in self.unmarked()]
        for person_id in unmarked:
            self.pending_marks[person_id] = (status, None)
        if unmarked or self.unsaved:
            self._save(state=False)
        return len(unmarked)

    def _save_marks(self) -> None:
        """Save the marks waiting in `pending_marks`, all in one write (there is one live mark per person)."""
        if not self.pending_marks:
            return
        saved = self.marks()
        now = self.store.clock()
        records = []
        for person_id, (status, at) in self.pending_marks.items():
            mark = saved.get(person_id)
            if mark is None:
                mark = AttendanceMark(
                    meeting_id=self.meeting_id,
                    participant_id=person_id,
                    status=status,
                    at=at,
                    created_at=now,
                    updated_at=now,
                )
            else:
                mark = msgspec.structs.replace(mark, status=status, at=at, updated_at=now)
            records.append(mark)
        self.store.save_all(records)
        self.pending_marks.clear()

    def newcomer_allowed(self) -> bool:
        group = self.group
        return group is not None and group.kind is GroupKind.OPEN

    def namesakes(self, display_name: str) -> list[Participant]:
        """People already in Facilitator (not expected tonight) whose name is the one typed, case and accents
        aside: a newcomer may be one of them, come from another group."""
        expected = {person.id for _, person in self.roster()}
        people = [p for p in self.store.all(Participant) if p.id not in expected]
        return namesakes(display_name, people)

    def enrol_newcomer(self, display_name: str, person: Participant | None = None) -> Participant:
        """Enrol someone who walked in (a new person, or `person` already known from elsewhere) in this open
        group and mark them present, in one write."""
        if not self.newcomer_allowed():
            raise MeetingRunError(
                "Only an open group takes newcomers on the spot; this one is a closed cohort."
            )
        problem = newcomer_problem(display_name, [p.display_name for _, p in self.roster()])
        if problem:
            raise MeetingRunError(problem)
        meeting_id = self.meeting_id

        def marked_present(person: Participant) -> list[Record]:
            now = self.store.clock()
            status = AttendanceStatus.PRESENT
            return [AttendanceMark(meeting_id=meeting_id, participant_id=person.id, status=status,
                                   created_at=now, updated_at=now)]  # fmt: skip

        enrolled = enrol(
            self.store,
            self.meeting.group_id,
            joined_on=self.local_today(),
            now=self.store.clock(),
            person=person,
            new_name=display_name,
            also=marked_present,
        )
        return enrolled.person

    @property
    def zone(self) -> ZoneInfo:
        """The group's own time zone (UTC when it has none that is known)."""
        group = self.group
        zone_name = group.schedule.timezone if group and group.schedule else "UTC"
        try:
            return ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def local_today(self) -> date:
        """Today in the group's own time zone."""
        return self._wall_clock().astimezone(self.zone).date()

    def planned_day(self) -> date:
        """The day the meeting is planned for, where the group meets."""
        return self.meeting.scheduled_start.astimezone(self.zone).date()

    def stages_in_room(self) -> dict[Stage, int]:
        """How many people at each stage of treatment are here (everyone expected, before any mark)."""
        statuses = self.statuses()
        roster = self.roster()
        if any(status in IN_THE_ROOM for status in statuses.values()):
            roster = [(e, p) for e, p in roster if statuses.get(p.id) in IN_THE_ROOM]
        counts = {stage: 0 for stage in Stage}
        for enrolment, _ in roster:
            if enrolment.stage is not None:
                counts[enrolment.stage] += 1
        return {stage: count for stage, count in counts.items() if count}

    # --- goals ------------------------------------------------------------------------------------------

    def active_goals(self) -> list[tuple[Participant, list[Goal]]]:
        """Each person on the roster with their active goals (those worked on here or anywhere)."""
        group_id = self.meeting.group_id
        return [
            (
                person,
                [
                    goal
                    for goal in self.store.participant_goals(person.id)
                    if goal.status is GoalStatus.ACTIVE and goal.group_id in (None, group_id)
                ],
            )
            for _, person in self.roster()
        ]

    def check_in(self, goal_id: str, rating: int, note: str = "") -> Goal:
        """Add a check-in for this meeting to a goal."""
        if not 1 <= rating <= 5:
            raise MeetingRunError("A rating is a whole number from 1 to 5.")
        goal = self.store.get(Goal, goal_id)
        if goal is None or goal.deleted:
            raise MeetingRunError("That goal no longer exists.")
        check = CheckIn(at=self._wall_clock(), rating=rating, meeting_id=self.meeting_id, note=note.strip())
        return self.store.update(goal, check_ins=[*goal.check_ins, check])

    # --- home assignments -------------------------------------------------------------------------------

    def suggested_assignments(self) -> list[str]:
        session = pack_session(self.pack, self.meeting)
        return list(session.home_assignments) if session else []

    def next_meeting(self) -> Meeting | None:
        """The group's next planned meeting after this one, when a home assignment falls due."""
        meeting = self.meeting
        later = [
            m
            for m in self.store.group_meetings(meeting.group_id)
            if m.number > meeting.number and m.status is MeetingStatus.PLANNED
        ]
        return later[0] if later else None

    def give_assignment(self, text: str, participant_id: str | None = None) -> HomeAssignment:
        """A home assignment for the group (or one person), due at the next meeting."""
        text = text.strip()
        if not text:
            raise MeetingRunError("Type the home assignment, or pick a suggestion.")
        due = self.next_meeting()
        now = self.store.clock()
        assignment = HomeAssignment(
            meeting_id=self.meeting_id,
            group_id=self.meeting.group_id,
            participant_id=participant_id,
            text=text,
            due_meeting_id=due.id if due else None,
            created_at=now,
            updated_at=now,
        )
        self.store.add(assignment)
        return assignment

    def assignments_given(self) -> list[HomeAssignment]:
        return self.store.assignments_given_at(self.meeting_id)

    def assignments_due(self) -> list[HomeAssignment]:
        return self.store.assignments_due_at(self.meeting_id)

    def review_assignment(self, assignment_id: str, review: Review) -> HomeAssignment:
        assignment = self.store.get(HomeAssignment, assignment_id)
        if assignment is None or assignment.deleted:
            raise MeetingRunError("That home assignment no longer exists.")
        return self.store.update(assignment, review=review)

    # --- notes ------------------------------------------------------------------------------------------

    def set_notes(self, text: str) -> Meeting:
        """Replace the meeting's notes (saved at once)."""
        return self.store.update(self.meeting, notes=text)
