"""The big tables load in a worker while the event loop goes on asking the store for what is in memory.

At ten years of records the worker takes seconds; while it decodes, the loop must never wait for it unless it
asks for a table still being read, and then it gets every record of it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import msgspec
import pytest

from facilitator.store import Store
from facilitator.store.records import AttendanceMark, AttendanceStatus, Group, Participant, Record

MARKS = 300
WAIT = 10  # seconds a thread is given before it counts as stuck (a deadlock), never a speed figure


@pytest.fixture
def lazily_opened(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path, backup=False) as store:
        store.add(Group(name="Tuesday group"))
        store.add(Participant(display_name="Ana"))
        for n in range(MARKS):
            store.mark_attendance(f"meeting-{n}", "ana", AttendanceStatus.PRESENT)
    store = Store.open(db_path, lazy=True)
    yield store
    store.close()


def load_held_in_the_marks(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> tuple[threading.Thread, threading.Event]:
    """Start `load_rest` in a worker thread and return once it is inside the marks table, where it stays
    until the returned event is set."""
    inside, go = threading.Event(), threading.Event()
    decoded: Callable[..., dict[str, Record]] = store._decoded

    def held(name: str, raw: msgspec.Raw, *, batch: bool = False) -> dict[str, Record]:
        if name == "marks":
            inside.set()
            assert go.wait(WAIT)
        return decoded(name, raw, batch=batch)

    monkeypatch.setattr(store, "_decoded", held)
    worker = threading.Thread(target=store.load_rest)
    worker.start()
    assert inside.wait(WAIT)
    return worker, go


def finishes(ask: Callable[[], object]) -> tuple[bool, list[object]]:
    """Whether `ask` returns within WAIT seconds in a thread of its own, and what it returned."""
    answers: list[object] = []
    thread = threading.Thread(target=lambda: answers.append(ask()), daemon=True)
    thread.start()
    thread.join(WAIT)
    return not thread.is_alive(), answers


def test_what_is_in_memory_answers_while_the_worker_reads_the_marks(
    lazily_opened: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = lazily_opened
    worker, go = load_held_in_the_marks(store, monkeypatch)
    done, answers = finishes(lambda: (store.meta.schema_version, [g.name for g in store.groups()]))
    go.set()
    worker.join(WAIT)
    assert done, "the loop waited for the worker to finish the marks"
    assert answers[0][1] == ["Tuesday group"]  # type: ignore[index]
    assert len(store.all(AttendanceMark)) == MARKS


def test_asking_for_the_marks_while_they_are_read_waits_and_gets_every_one(
    lazily_opened: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = lazily_opened
    worker, go = load_held_in_the_marks(store, monkeypatch)
    asker: list[int] = []
    thread = threading.Thread(target=lambda: asker.append(len(store.all(AttendanceMark))))
    thread.start()
    thread.join(0.2)
    assert thread.is_alive() and not asker  # the marks are not all in memory yet: it waits for them
    go.set()
    thread.join(WAIT)
    worker.join(WAIT)
    assert asker == [MARKS]


def test_a_mark_made_while_the_rest_loads_is_in_the_indexes_and_on_disk(
    lazily_opened: Store, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    store = lazily_opened
    worker, go = load_held_in_the_marks(store, monkeypatch)
    marking = threading.Thread(
        target=lambda: store.mark_attendance("meeting-new", "ana", AttendanceStatus.LATE)
    )
    marking.start()
    go.set()
    marking.join(WAIT)
    worker.join(WAIT)
    assert len(store.participant_marks("ana")) == MARKS + 1
    assert store.meeting_marks("meeting-new")["ana"].status is AttendanceStatus.LATE
    store.close()
    with Store.open(db_path, backup=False) as again:
        assert len(again.all(AttendanceMark)) == MARKS + 1
