"""One writer at a time; a second opener is told who has the file and may read it."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.store import DatabaseLocked, Store
from facilitator.store.records import Participant

HOLDER = r"""
import sys, time
from facilitator.store import Store
from facilitator.store.records import Participant
store = Store.open(sys.argv[1], backup=False)
store.add(Participant(display_name="Held"))
print("open", flush=True)
time.sleep(60)
"""


@pytest.fixture
def holder(db_path: Path):
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "open", child.stderr.read()
    yield child
    child.kill()
    child.wait()


def test_second_writer_is_refused_with_the_holder_named(db_path: Path, holder) -> None:
    with pytest.raises(DatabaseLocked) as refused:
        Store.open(db_path)
    message = str(refused.value)
    assert f"process {holder.pid}" in message
    assert "facilitator.json.lock" in message and "--read-only" in message


def test_read_only_opener_sees_the_acknowledged_writes(db_path: Path, holder) -> None:
    with Store.open(db_path, read_only=True) as reader:
        assert [p.display_name for p in reader.all(Participant)] == ["Held"]


def test_a_stale_lock_from_a_dead_process_is_recovered(db_path: Path, holder) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with Store.open(db_path) as store:
        assert [p.display_name for p in store.all(Participant)] == ["Held"]


def test_cli_second_opener_gets_one_line_and_exit_1(db_path: Path, holder, cli) -> None:
    result = cli("--db", str(db_path))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "is open in another Facilitator" in result.stderr
