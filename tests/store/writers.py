"""The writers the kill tests start and kill: `python -m tests.store.writers WRITER ARGS...`.

Each prints `ready` once it has imported what it needs (so a kill lands in its work, not in Python's start),
then writes. A store writer appends `person version` to its acknowledgements file after each write returns;
those lines are the writes it acknowledged, and they survive the kill (the kernel has them).

- `store DB ACKS SEED FOLD_BYTES`: adds and updates, a fold now and then, a close and a reopen now and then.
- `folding-thread DB ACKS SEED FOLD_BYTES`: as the app runs: a lazy open with a backup, `auto_fold` off,
  `load_rest` and then folds in a thread whenever the journal has grown, while the main thread writes.
- `command ARGS...`: the `facilitator` command itself (`facilitator.cli:main`), e.g. `demo --db PATH --no-ui`.
"""

from __future__ import annotations

import importlib
import os
import random
import sys
import threading
import time

import facilitator.store.store as store_module
from facilitator.store import Store
from facilitator.store.records import Participant

PADDING = 300  # bytes of contact per record, so the journal grows and folds come often


class Acknowledgements:
    """The acknowledgements file: one line per write the store returned from."""

    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def write(self, person: Participant) -> None:
        os.write(self._fd, f"{person.id} {person.notes.removeprefix('v')}\n".encode())


class People:
    """What one writer writes: new people at version 0, or one more version of someone already there."""

    def __init__(self, store: Store, rng: random.Random) -> None:
        self.rng = rng
        self.known = {person.id: person for person in store.all(Participant, include_deleted=True)}
        self.next_number = len(self.known) + 1

    def write_one(self, store: Store, acknowledgements: Acknowledgements) -> None:
        if not self.known or self.rng.random() < 0.5:
            person = Participant(
                id=f"person-{self.next_number:05d}", display_name=f"Person {self.next_number}", notes="v0"
            )
            self.next_number += 1
            store.add(person)
        else:
            old = self.known[self.rng.choice(sorted(self.known))]
            person = store.update(
                old, notes=f"v{int(old.notes[1:]) + 1}", contact="x" * self.rng.randrange(PADDING)
            )
        self.known[person.id] = person
        acknowledgements.write(person)


def ready() -> None:
    print("ready", flush=True)


def store_writes(db: str, acks: str, seed: str, fold_bytes: str) -> None:
    store_module.FOLD_JOURNAL_BYTES = int(fold_bytes)
    rng = random.Random(int(seed))
    acknowledgements = Acknowledgements(acks)
    store = Store.open(db, backup=False)
    people = People(store, rng)
    ready()
    while True:
        people.write_one(store, acknowledgements)
        chance = rng.random()
        if chance < 0.03:
            store.fold()
        elif chance < 0.05:
            store.close()
            store = Store.open(db, backup=False)


def folding_thread(db: str, acks: str, seed: str, fold_bytes: str) -> None:
    """Mirrors `FacilitatorApp`: folds off the writing thread (its `fold_if_due` worker), never in a write."""
    limit = int(fold_bytes)
    rng = random.Random(int(seed))
    acknowledgements = Acknowledgements(acks)
    store = Store.open(db, lazy=True)
    store.auto_fold = False

    def fold_when_due() -> None:
        store.load_rest()
        while True:
            if store.journal_bytes > limit:
                store.fold(blocking=False)
            time.sleep(0.002)

    threading.Thread(target=fold_when_due, daemon=True).start()
    people = People(store, rng)
    ready()
    while True:
        people.write_one(store, acknowledgements)


def command(*args: str) -> None:
    from facilitator.cli import main

    # Loaded before `ready`, so the kill lands in the command's work rather than in its imports.
    for module in ("facilitator.demo", "facilitator.cli.pack", "curricula.registry"):
        importlib.import_module(module)

    ready()
    sys.exit(main(list(args)))


WRITERS = {"store": store_writes, "folding-thread": folding_thread, "command": command}

if __name__ == "__main__":
    name, *arguments = sys.argv[1:]
    WRITERS[name](*arguments)
