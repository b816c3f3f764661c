"""The command under faults: a restore on a full disk, paths that are not databases, a demo cut short."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

import facilitator.cli.doctor as doctor_module
from facilitator.cli.doctor import run_doctor
from facilitator.store import Store
from facilitator.store.records import Participant
from tests.conftest import facilitator_command
from tests.fault_figures import count


def listing(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def broken_db(db_path: Path, clock) -> Path:
    """A database whose file is damaged, with a good backup that holds everything it held."""
    with Store.open(db_path, clock=clock) as store:
        store.add(Participant(display_name="Rosa"))
    clock.advance(minutes=1)
    Store.open(db_path, clock=clock).close()
    db_path.write_bytes(db_path.read_bytes()[:-40])
    return db_path


def test_restore_on_a_full_disk_changes_nothing_and_says_so(
    broken_db: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    before = listing(broken_db.parent)

    def no_room(fd: int, data) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(doctor_module, "write_all", no_room)
    assert run_doctor(broken_db, restore=True) == 1
    count("injected faults")
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no space left on device" in err and "nothing was changed" in err
    assert listing(broken_db.parent) == before
    monkeypatch.undo()
    assert run_doctor(broken_db, restore=True) == 0
    with Store.open(broken_db, backup=False) as store:
        assert [p.display_name for p in store.all(Participant)] == ["Rosa"]


def test_a_database_moved_away_is_restored_not_recreated_empty(db_path: Path, clock, cli) -> None:
    with Store.open(db_path, clock=clock) as store:
        store.add(Participant(display_name="Rosa"))
    clock.advance(minutes=1)
    Store.open(db_path, clock=clock).close()
    db_path.unlink()
    opened = cli("--db", str(db_path))
    assert opened.returncode == 1 and "doctor --restore" in opened.stderr
    assert opened.stderr.count("\n") == 1
    assert not db_path.exists()
    restored = cli("doctor", "--restore", "--db", str(db_path))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    with Store.open(db_path, backup=False) as store:
        assert [p.display_name for p in store.all(Participant)] == ["Rosa"]


@pytest.mark.parametrize("command", [[], ["doctor"], ["--read-only"], ["doctor", "--restore"]])
def test_a_fifo_as_db_is_one_line_and_never_hangs(tmp_path: Path, cli, command: list[str]) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = cli(*command, "--db", str(fifo), timeout=20)
    count("bad inputs tried")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "named pipe" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_folder_as_db_creates_nothing_inside_or_beside_it(tmp_path: Path, cli) -> None:
    folder = tmp_path / "somebody"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    before = listing(tmp_path)
    result = cli("--db", str(folder))
    count("bad inputs tried")
    assert result.returncode == 1 and "is a folder" in result.stderr
    assert listing(tmp_path) == before


def test_a_demo_killed_half_way_leaves_nothing_and_runs_again(tmp_path: Path, cli) -> None:
    path = tmp_path / "demo.json"
    for delay in (0.3, 0.6, 0.9):
        child = subprocess.Popen(
            [facilitator_command(), "demo", "--db", str(path), "--no-ui"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        count("kills")
        if path.exists():  # it had finished: whole
            with Store.open(path, backup=False, read_only=True) as store:
                assert store.count(Participant) > 0
            path.unlink()
    result = cli("demo", "--db", str(path), "--no-ui")
    assert result.returncode == 0, result.stderr
    with Store.open(path, backup=False, read_only=True) as store:
        assert store.count(Participant) > 0


def test_doctor_lists_every_record_that_does_not_fit(db_path: Path, cli) -> None:
    with Store.open(db_path) as store:
        for n in range(3):
            store.add(Participant(display_name=f"P{n}"))
    db_path.write_bytes(db_path.read_bytes().replace(b'"display_name":"P', b'"display_name":7,"x":"'))
    count("bad inputs tried")
    result = cli("doctor", "--db", str(db_path))
    assert result.returncode == 1
    assert result.stdout.count("table participants, record ") == 3, result.stdout  # each once
    assert "does not open: 3 records do not fit (each is listed above)" in result.stdout
    assert "There is no good backup to put back" in result.stdout  # none was made: no --restore offered
    assert "--restore" not in result.stdout


def test_doctor_finds_a_meeting_whose_group_is_not_there(db_path: Path, cli) -> None:
    from datetime import UTC, datetime

    from facilitator.store.records import Meeting

    with Store.open(db_path) as store:
        store.add(
            Meeting(group_id="no-such-group", number=1, scheduled_start=datetime(2026, 3, 3, tzinfo=UTC))
        )
    result = cli("doctor", "--db", str(db_path))
    assert result.returncode == 1
    assert "its group_id no-such-group is not in groups" in result.stdout
