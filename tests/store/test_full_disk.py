"""A real disk that fills up (a small tmpfs): writes and folds fail in one line, nothing acknowledged is lost,
and once there is room again the same write saves.

Mounting needs root; elsewhere these tests are skipped and the fault layer (`test_faults.py`) stands in.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from facilitator.store import Store, StoreError
from facilitator.store.records import Participant
from tests.fault_figures import count
from tests.store.ledger import Ledger, new_person, versions_in, versions_in_file

PAGE = 4096


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB tmpfs of our own."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs to fill up needs root and mount(8)")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, *, leave: int = 0) -> Path:
    """Write a ballast file until the disk is full, then give `leave` bytes of it back."""
    ballast = disk / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, bytes(PAGE))
    except OSError as error:
        assert error.errno == errno.ENOSPC, error
    if leave:
        os.ftruncate(fd, os.fstat(fd).st_size - leave)
    os.close(fd)
    return ballast


def save(store: Store, ledger: Ledger, person: Participant) -> None:
    ledger.attempt(person.id, 0)
    store.add(person)
    ledger.acknowledge(person.id, 0)


def refused_in_one_line(action: object) -> StoreError:
    """Run `action`, which the full disk must refuse with a one-line StoreError."""
    with pytest.raises(StoreError) as raised:
        action()  # type: ignore[operator]
    count("injected faults")
    message = str(raised.value)
    assert message and "\n" not in message
    return raised.value


def assert_reopen_shows(db_path: Path, ledger: Ledger, *, not_there: str | None = None) -> None:
    """What a reopen at this moment would show (read-only: the failed store stays open)."""
    json.loads(db_path.read_bytes())
    with Store.open(db_path, read_only=True) as store:
        found = versions_in(store)
    assert not ledger.problems(found)
    assert not_there not in found


def test_a_full_disk_refuses_a_write_in_one_line_keeps_everything_and_saves_it_once_there_is_room(
    small_disk: Path,
) -> None:
    db_path = small_disk / "data" / "db.json"
    ledger = Ledger()
    store = Store.open(db_path, backup=False)
    for number in range(1, 6):
        save(store, ledger, new_person(number))
    ballast = fill(small_disk, leave=PAGE)  # room for part of the next line: the append is torn
    big = msgspec.structs.replace(new_person(99), contact="x" * (3 * PAGE))
    refused_in_one_line(lambda: store.add(big))
    assert_reopen_shows(db_path, ledger, not_there=big.id)
    ballast.unlink()
    save(store, ledger, big)
    save(store, ledger, new_person(100))
    assert_reopen_shows(db_path, ledger)
    store.close()
    assert not ledger.problems(versions_in_file(str(db_path)))


def test_a_fold_on_a_full_disk_says_so_in_one_line_and_loses_nothing(small_disk: Path) -> None:
    db_path = small_disk / "data" / "db.json"
    ledger = Ledger()
    store = Store.open(db_path, backup=False)
    for number in range(1, 40):
        save(store, ledger, msgspec.structs.replace(new_person(number), contact="x" * 2000))
    ballast = fill(small_disk)
    refused_in_one_line(store.fold)
    assert_reopen_shows(db_path, ledger)
    refused_in_one_line(store.close)  # closing folds too; the lock is let go all the same
    ballast.unlink()
    assert not ledger.problems(versions_in_file(str(db_path)))  # its close folds: the file alone holds it all
    people = json.loads(db_path.read_bytes())["participants"].values()
    assert {person["id"] for person in people} == set(ledger.acknowledged)
