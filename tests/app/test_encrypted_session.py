"""A demo session on an encrypted database leaves no name, note or goal word on the disk.

Every byte written under the data folder while the session runs is caught on its way (temporary files and
journals that are gone by the end included), and every file left there is read once it is closed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from facilitator.messages import StartMeeting
from facilitator.store import Store
from facilitator.store.records import Goal, Meeting, MeetingStatus, Participant
from facilitator.store.sealed import SealingKey
from facilitator.store.storage import SealedStorage
from tests.app.run_fakes import demo_tonight, run_app
from tests.store.workload import CHEAP

PASSPHRASE = "tea urn in the church hall"
SIZE = (110, 36)
NOTE = "Quiet start, warm finish"
CHECK_IN = "Two long walks by the canal"


def words_of(store: Store) -> set[str]:
    """What must never be on the disk in plain text: names, notes, goals, check-ins.

    Only words with a space or of eight letters and more: a short word could turn up by chance in base64.
    """
    words = {NOTE, CHECK_IN}
    for person in store.all(Participant, include_deleted=True):
        words |= {person.display_name, person.full_name or "", person.notes}
    for goal in store.all(Goal, include_deleted=True):
        words |= {goal.title, goal.why, *(check.note for check in goal.check_ins)}
    for meeting in store.all(Meeting, include_deleted=True):
        words.add(meeting.notes)
    return {word for word in words if " " in word.strip() or len(word) >= 8}


class DiskWrites:
    """Every byte `os.write` sends to a file under one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = str(folder)
        self.written: list[tuple[str, bytes]] = []
        self._write = os.write

    def __call__(self, fd: int, data: bytes | memoryview) -> int:
        try:
            where = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            where = ""
        if where.startswith(self.folder):
            self.written.append((where, bytes(data)))
        return self._write(fd, data)


def found(word: str, data: bytes) -> bool:
    import json

    return word.encode() in data or json.dumps(word)[1:-1].encode() in data


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads where each write goes from /proc")
async def test_a_demo_session_on_an_encrypted_database_writes_no_word_in_plain_text(
    db_path: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes = DiskWrites(db_path.parent)
    monkeypatch.setattr(os, "write", writes)
    with Store.open(db_path, clock=clock, storage=SealedStorage(SealingKey.new(PASSPHRASE, CHEAP))) as store:
        meeting = demo_tonight(store, clock)
    clock.advance(minutes=1)
    store = Store.open(db_path, clock=clock, passphrase=PASSPHRASE, lazy=True)  # as the app opens it
    app = run_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.post_message(StartMeeting(meeting.id))
        await pilot.pause()
        await pilot.press("space", "a", "asterisk", "l", "escape")
        await pilot.press("o", *NOTE, "ctrl+s")
        await pilot.press("g", "4", *CHECK_IN, "enter")
        clock.advance(minutes=5)
        await pilot.press("e", "y")
        await pilot.pause()
    store.fold()
    held = store.get(Meeting, meeting.id)
    assert held.status is MeetingStatus.HELD and held.notes == NOTE
    assert any(c.note == CHECK_IN for g in store.all(Goal) for c in g.check_ins)
    words = words_of(store)
    store.close()
    assert len(words) > 40 and writes.written
    assert {Path(where).name for where, _ in writes.written} >= {"facilitator.json.journal"}
    leaked = {
        (Path(where).name, word) for where, data in writes.written for word in words if found(word, data)
    }
    assert not leaked, sorted(leaked)[:5]
    on_disk = [path for path in db_path.parent.rglob("*") if path.is_file()]
    assert any("backups" in str(path) for path in on_disk)
    left = {(path.name, word) for path in on_disk for word in words if found(word, path.read_bytes())}
    assert not left, sorted(left)[:5]
