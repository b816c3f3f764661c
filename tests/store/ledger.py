"""What the store was asked to save, what it acknowledged, and the check that a store still holds it.

Every write in these tests is one person's record at a version: added at version 0 (their notes read "v0"),
one more with each update. A later version may stand in for an earlier one; an older one may not, and a
version that was never written may not appear at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from facilitator.store import Store
from facilitator.store.records import Participant
from tests.conftest import FIXED_NOW
from tests.fault_figures import count, lost


def person_id(number: int) -> str:
    return f"person-{number:03d}"


def new_person(number: int) -> Participant:
    return Participant(
        id=person_id(number),
        display_name=f"Person {number}",
        notes="v0",
        created_at=FIXED_NOW,
        updated_at=FIXED_NOW,
    )


def version_of(person: Participant) -> int:
    return int(person.notes.removeprefix("v"))


def versions_in(store: Store) -> dict[str, int]:
    """Each person's version as the store has it."""
    return {person.id: version_of(person) for person in store.all(Participant, include_deleted=True)}


def versions_in_file(path: str, **open_options: object) -> dict[str, int]:
    """Each person's version as a fresh open of the database shows it."""
    with Store.open(path, backup=False, **open_options) as store:  # type: ignore[arg-type]
        return versions_in(store)


@dataclass
class Ledger:
    """Writes by person: when each was asked for and when acknowledged, as positions in a trace (or 0).

    `counted` off keeps its checks out of the run's figures: for a test that breaks the store on purpose.
    """

    counted: bool = True
    attempted: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    acknowledged: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))

    def attempt(self, person: str, version: int, at: int = 0) -> None:
        self.attempted[person].append((at, version))

    def acknowledge(self, person: str, version: int, at: int = 0) -> None:
        self.acknowledged[person].append((at, version))

    def acknowledged_by(self, at: int | None = None) -> dict[str, int]:
        """Each person's newest acknowledged version, counting acknowledgements up to position `at`."""
        newest: dict[str, int] = {}
        for person, writes in self.acknowledged.items():
            versions = [version for when, version in writes if at is None or when <= at]
            if versions:
                newest[person] = max(versions)
        return newest

    def problems(self, found: dict[str, int], at: int | None = None) -> list[str]:
        """What `found` lacks of the writes acknowledged by `at`, and what it has that was never written."""
        expected = self.acknowledged_by(at)
        missing = [
            f"{person} v{version} was acknowledged but "
            + (f"v{found[person]} is there" if person in found else "it is not there")
            for person, version in expected.items()
            if found.get(person, -1) < version
        ]
        if self.counted:
            count("acknowledged writes", len(expected))
            lost(len(missing))
        invented = []
        if self.attempted:
            for person, version in found.items():
                tried = {v for when, v in self.attempted.get(person, []) if at is None or when <= at}
                if version not in tried:
                    invented.append(f"{person} v{version} is there but was never written")
        return missing + invented
