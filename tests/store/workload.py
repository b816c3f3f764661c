"""A short life of one database, step by step, for the power-cut and fault tests.

It creates the file, adds and updates people (alone and several in one write), folds by hand and by
journal size, closes, reopens as the app does (lazily, with a backup, folding off the writes) and writes
again. Every write goes through a `Ledger`, stamped
with the trace position (`position()`) when it was asked for and when the store acknowledged it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import msgspec

from facilitator.store import Store
from facilitator.store.records import Participant
from facilitator.store.sealed import KeyCost, SealingKey
from facilitator.store.storage import PLAIN, SealedStorage, Storage, storage_for
from tests.conftest import FakeClock
from tests.store.ledger import Ledger, new_person, person_id

# Small enough that a few journal lines set off a fold inside a write.
FOLD_JOURNAL_BYTES = 700
# A key that is quick to derive: the tests are about the bytes, not the key's cost.
CHEAP = KeyCost(iterations=1, memory_kib=1024, lanes=1)
SEALED = SealedStorage(SealingKey.new("a passphrase for the fault tests", CHEAP))
STORAGES: dict[str, Storage] = {"plain": PLAIN, "sealed": SEALED}


def file_json(path: Path, storage: Storage) -> object:
    """The database file read as the store would: whole JSON once opened (ValueError if not)."""
    data = path.read_bytes()
    if storage.sealed != storage_for(path.name, data, known=storage).sealed:
        raise ValueError(f"{path.name} is {'plain' if storage.sealed else 'sealed'}, not as it should be")
    return json.loads(storage.open_file(path.name, data))


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[], None]

    def __str__(self) -> str:
        return self.name


class Workload:
    """The steps, and the one store they share (None while the database is closed)."""

    def __init__(
        self,
        db_path: Path,
        ledger: Ledger,
        position: Callable[[], int] = lambda: 0,
        storage: Storage = PLAIN,
    ) -> None:
        self.db_path = db_path
        self.storage = storage
        self.ledger = ledger
        self.position = position
        self.clock = FakeClock()
        self.store: Store | None = None

    # --- what a step does -----------------------------------------------------------------------------------

    def open(self) -> None:
        if self.store is None:  # None again after a failed open, so a retry opens anew
            self.store = Store.open(self.db_path, clock=self.clock, backup=False, storage=self.storage)

    def open_as_the_app_does(self) -> None:
        """A lazy open with a backup and folds left to the caller, then the rest loaded (the app's worker)."""
        if self.store is None:
            self.store = Store.open(self.db_path, clock=self.clock, lazy=True, storage=self.storage)
            self.store.auto_fold = False
        self.store.load_rest()

    def close(self) -> None:
        assert self.store is not None
        self.store.close()
        self.store = None

    def fold(self) -> None:
        assert self.store is not None
        self.store.fold()

    def save(self, adds: tuple[int, ...] = (), updates: tuple[tuple[int, int], ...] = ()) -> None:
        """One write: new people (version 0) and people brought to a version, acknowledged when it returns."""
        store = self.store
        assert store is not None
        self.clock.advance(seconds=1)
        records: list[Participant] = [new_person(number) for number in adds]
        for number, version in updates:
            current = store.get(Participant, person_id(number))
            assert current is not None, f"{person_id(number)} is not in memory"
            records.append(msgspec.structs.replace(current, notes=f"v{version}", updated_at=self.clock()))
        for record in records:
            self.ledger.attempt(record.id, int(record.notes[1:]), self.position())
        if len(records) == 1 and adds:
            store.add(records[0])
        elif len(records) == 1:
            store.update(records[0], notes=records[0].notes)
        else:
            store.save_all(records)
        for record in records:
            self.ledger.acknowledge(record.id, int(record.notes[1:]), self.position())

    # --- the steps ------------------------------------------------------------------------------------------

    def steps(self) -> list[Step]:
        def add(number: int) -> Step:
            return Step(f"add {person_id(number)}", lambda: self.save(adds=(number,)))

        def update(number: int, version: int) -> Step:
            return Step(
                f"update {person_id(number)} to v{version}", lambda: self.save(updates=((number, version),))
            )

        return [
            Step("create the database", self.open),
            add(1),
            add(2),
            update(1, 1),
            Step(
                "add person-003, update person-002 in one write",
                lambda: self.save(adds=(3,), updates=((2, 1),)),
            ),
            Step("fold", self.fold),
            add(4),
            update(3, 1),
            add(5),  # the journal passes FOLD_JOURNAL_BYTES: this write folds
            update(4, 1),
            Step("close", self.close),
            Step("reopen as the app does", self.open_as_the_app_does),
            update(4, 2),
            add(6),
            Step("fold, as the app's worker does", self.fold),
            Step("close again", self.close),
        ]

    def run(self, steps: list[Step] | None = None) -> None:
        for step in steps if steps is not None else self.steps():
            step.run()
