"""Who is in a group: the one rule for a person's name, and the one way a person is enrolled.

The roster on the Group screen and the newcomer who walks into a running open group both enrol through
`enrol`, so a person who comes back keeps their first joining date wherever they are enrolled from, and a new
person is never saved without their place in the group (one durable write).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import msgspec

from facilitator.course.dates import human_day
from facilitator.store import Store
from facilitator.store.records import (
    Enrollment,
    EnrollmentRole,
    EnrollmentStatus,
    Participant,
    Record,
)
from facilitator.store.tables import sort_key

# One limit for every name the app keeps (a person's, a group's): long enough for "Tuesday evening IMR at the
# Riverside clinic", short enough to fit a roster row at 80 columns.
NAME_LIMIT = 80


def name_problem(name: str, what: str = "the person's name") -> str | None:
    """Why `name` cannot be kept as typed, or None when it can."""
    name = name.strip()
    if not name:
        return f"Type {what}."
    if len(name) > NAME_LIMIT:
        return f"Keep {what} under {NAME_LIMIT} characters ({len(name)} now)."
    return None


def name_key(name: str) -> str:
    """A name as compared for sameness: case, accents and runs of spaces aside ("josé  m" is "Jose M")."""
    return " ".join(sort_key(name).split())


def namesakes(name: str, people: Iterable[Participant]) -> list[Participant]:
    """The people whose names are the same as `name`, case and accents aside."""
    wanted = name_key(name)
    return [person for person in people if name_key(person.display_name) == wanted]


@dataclass(frozen=True, slots=True)
class Enrolled:
    """What `enrol` did: the person, their place in the group, and whether they came back to it."""

    person: Participant
    enrollment: Enrollment
    rejoined: bool

    def words(self) -> str:
        """One line for the facilitator: "Sam is enrolled." or when they came back."""
        name = self.person.display_name
        if not self.rejoined:
            return f"{name} is enrolled."
        joined = self.enrollment.joined_on
        return f"{name} is back in the group (first joined {human_day(joined)})."


def enrol(
    store: Store,
    group_id: str,
    *,
    joined_on: date,
    now: datetime,
    person: Participant | None = None,
    new_name: str = "",
    role: EnrollmentRole = EnrollmentRole.PARTICIPANT,
    status: EnrollmentStatus = EnrollmentStatus.ACTIVE,
    also: Callable[[Participant], Sequence[Record]] | None = None,
) -> Enrolled:
    """Enrol `person` (or a new person called `new_name`) in the group, with `also(person)`'s records, in one
    durable write.

    Someone who was in the group before gets their old place back, keeping their first joining date so their
    earlier meetings still count.
    """
    records: list[Record] = []
    earlier: Enrollment | None = None
    if person is None:
        problem = name_problem(new_name)
        if problem:
            raise ValueError(problem)
        person = Participant(display_name=new_name.strip(), created_at=now, updated_at=now)
        records.append(person)
    else:
        earlier = next((e for e in store.enrollments_of(person.id) if e.group_id == group_id), None)
    if earlier is None:
        enrollment = Enrollment(
            participant_id=person.id,
            group_id=group_id,
            joined_on=joined_on,
            role=role,
            status=status,
            created_at=now,
            updated_at=now,
        )
    else:
        enrollment = msgspec.structs.replace(
            earlier, role=role, status=status, left_on=None, reason="", updated_at=now
        )
    records.append(enrollment)
    if also is not None:
        records.extend(also(person))
    store.save_all(records)
    return Enrolled(person, enrollment, rejoined=earlier is not None)
