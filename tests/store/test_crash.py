"""A kill at any instant leaves a file that parses, no half record, and every acknowledged write."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from facilitator.store import Store
from facilitator.store.records import Participant

WRITER = r"""
import sys
import facilitator.store.store as store_module
from facilitator.store import Store
from facilitator.store.records import Participant

store_module.FOLD_JOURNAL_BYTES = int(sys.argv[2])  # small: folds happen often, so kills land in them too
store = Store.open(sys.argv[1], backup=False)
n = 0
while True:
    n += 1
    note = "x" * (n % 997) + f"|{n}"
    person = Participant(display_name=f"P{n}", notes=note)
    store.add(person)
    print(person.id, n, flush=True)  # acknowledged: durable from here on
"""


def kill_writer_at_random(db_path: Path, fold_bytes: int, rng: random.Random) -> list[str]:
    """Start a writer, SIGKILL it after a random moment, return the ids it acknowledged."""
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(fold_bytes)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.15 + rng.random() * 0.35)
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate()
    assert child.returncode == -signal.SIGKILL, err
    return [line.split()[0] for line in out.splitlines() if len(line.split()) == 2]


@pytest.mark.parametrize("fold_bytes", [4 * 1024 * 1024, 20_000], ids=["journal-appends", "frequent-folds"])
def test_kill_during_writes_never_loses_an_acknowledged_write(tmp_path: Path, fold_bytes: int) -> None:
    rng = random.Random(fold_bytes)
    db_path = tmp_path / "db.json"
    acknowledged: list[str] = []
    for _ in range(12):
        acknowledged += kill_writer_at_random(db_path, fold_bytes, rng)
        if not db_path.exists():
            assert not acknowledged  # killed before it had made the file (a slow start on a busy machine)
            continue
        # The main file is always whole JSON, whatever instant the kill hit.
        tables = json.loads(db_path.read_bytes())
        for doc in tables["participants"].values():
            number = int(doc["display_name"][1:])
            assert doc["notes"] == "x" * (number % 997) + f"|{number}"
        with Store.open(db_path, backup=False) as store:
            present = {p.id for p in store.all(Participant)}
            missing = [i for i in acknowledged if i not in present]
            assert not missing, f"{len(missing)} acknowledged writes lost"
            for person in store.all(Participant):
                number = int(person.display_name[1:])
                assert person.notes == "x" * (number % 997) + f"|{number}"
    assert len(acknowledged) > 50
