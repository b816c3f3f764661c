"""A writer killed at a random instant leaves a file that parses, reopens and has every acknowledged write.

The writers (see `writers.py`): the store's own writes and folds, the app's way of folding in a thread,
`facilitator demo`, `facilitator pack import`, `facilitator encrypt` and `decrypt` (which must leave the plain
database or the encrypted one, whole). About 55 kills in a default run; FACILITATOR_LONG_FAULTS=1 makes it ten
times as many.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from curricula.registry import Registry
from facilitator.store import Store
from facilitator.store.records import TABLES
from facilitator.store.sealed import is_sealed
from tests.curricula.pack_samples import VALID_PACK
from tests.fault_figures import count
from tests.store.ledger import Ledger, versions_in

LONG = os.environ.get("FACILITATOR_LONG_FAULTS") == "1"
ROOT = Path(__file__).parents[2]
FOLD_BYTES = "6000"  # a fold every twenty writes or so
KILLS_PER_DATABASE = 11  # then a fresh one, so a long run's file stays small


def kills(default: int) -> int:
    return default * 10 if LONG else default


def start(writer: str, *args: str | Path) -> subprocess.Popen[str]:
    """Start a writer and wait until it is ready to write."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.store.writers", writer, *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    if child.stdout.readline() != "ready\n":
        raise AssertionError(f"{writer} did not start: {child.communicate()[1]}")
    return child


def kill_after(child: subprocess.Popen[str], seconds: float) -> None:
    """SIGKILL the writer `seconds` after it was ready (unless it is done by then); counted if killed."""
    time.sleep(seconds)
    child.send_signal(signal.SIGKILL)
    _, errors = child.communicate()
    assert child.returncode in (0, -signal.SIGKILL), errors
    if child.returncode == -signal.SIGKILL:
        count("kills")


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str
    seconds: float  # from ready to the end: the window kills are spread over


def command(*args: str | Path) -> Finished:
    """Run the `facilitator` command (through `writers.py`, so it is this checkout's) to its end."""
    child = start("command", *args)
    began = time.monotonic()
    out, errors = child.communicate()
    return Finished(child.returncode, out, errors, time.monotonic() - began)


def read_acknowledgements(path: Path, ledger: Ledger) -> None:
    if path.exists():
        for line in path.read_text().splitlines():
            person, version = line.split()
            ledger.acknowledge(person, int(version))
        path.unlink()


def check_after_kill(db_path: Path, ledger: Ledger) -> None:
    """The file is whole JSON; reopened, it holds every acknowledged write."""
    json.loads(db_path.read_bytes())
    with Store.open(db_path, backup=False) as store:
        problems = ledger.problems(versions_in(store))
    assert not problems, f"after a kill: {problems[:5]}"


@pytest.mark.parametrize("writer", ["store", "folding-thread"])
def test_a_killed_store_writer_keeps_every_acknowledged_write(tmp_path: Path, writer: str) -> None:
    rng = random.Random(writer)
    acknowledgements = tmp_path / "acknowledged"
    for database in range(kills(2)):
        db_path = tmp_path / f"database-{database}" / "db.json"
        ledger = Ledger()
        for _ in range(KILLS_PER_DATABASE):
            child = start(writer, db_path, acknowledgements, rng.randrange(1 << 30), FOLD_BYTES)
            kill_after(child, rng.uniform(0.0, 0.25))
            read_acknowledgements(acknowledgements, ledger)
            check_after_kill(db_path, ledger)
        assert ledger.acknowledged, "the writer never got to write"


def records_in(db_path: Path) -> dict[str, int]:
    with Store.open(db_path, read_only=True) as store:
        return {name: len(store.all(kind, include_deleted=True)) for name, kind in TABLES.items()}


def one_line(text: str) -> str:
    assert len(text.strip().splitlines()) == 1, text
    return text


def test_a_killed_demo_leaves_no_database_or_the_whole_one_and_runs_again(tmp_path: Path) -> None:
    rng = random.Random("demo")
    reference = tmp_path / "reference" / "demo.json"
    window = command("demo", "--db", reference, "--no-ui").seconds
    whole = records_in(reference)
    for kill in range(kills(8)):
        path = tmp_path / f"kill-{kill}" / "demo.json"
        kill_after(start("command", "demo", "--db", path, "--no-ui"), rng.uniform(0.0, window))
        finished = path.exists()
        if finished:
            assert records_in(path) == whole
        again = command("demo", "--db", path, "--no-ui")
        if finished:
            assert again.returncode == 1 and "already exists" in one_line(again.stderr)
        else:
            assert again.returncode == 0, again.stderr
            assert records_in(path) == whole


def test_a_killed_pack_import_leaves_the_pack_whole_or_absent_and_runs_again(tmp_path: Path) -> None:
    rng = random.Random("pack import")
    pack = tmp_path / "evening.toml"
    pack.write_text(VALID_PACK)
    window = command("pack", "import", pack, "--db", tmp_path / "reference" / "f.json").seconds
    for kill in range(kills(8)):
        db_path = tmp_path / f"kill-{kill}" / "facilitator.json"
        kill_after(start("command", "pack", "import", pack, "--db", db_path), rng.uniform(0.0, window))
        installed = db_path.parent / "packs" / "evening-group@1.0.0.toml"
        assert not installed.exists() or installed.read_bytes() == pack.read_bytes()
        again = command("pack", "import", pack, "--db", db_path)
        assert again.returncode == 0, again.stderr
        assert "Imported" in again.stdout or "already installed" in again.stdout
        registry = Registry.load(installed.parent)
        entry = registry.get("evening-group", "1.0.0")
        assert entry is not None and entry.ok and not registry.problems
        assert installed.read_bytes() == pack.read_bytes()


PASSPHRASE = "a passphrase for the kill tests"


def opens_whole(db_path: Path) -> dict[str, int]:
    """What the database holds, opened plain or with the passphrase (each is a whole database)."""
    with Store.open(db_path, read_only=True, passphrase=PASSPHRASE) as store:
        return {name: len(store.all(kind, include_deleted=True)) for name, kind in TABLES.items()}


@pytest.mark.parametrize("direction", ["encrypt", "decrypt"])
def test_a_killed_encrypt_or_decrypt_leaves_one_whole_database_and_runs_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, direction: str
) -> None:
    """Killed at any instant: the plain database or the encrypted one, whole; run again, it finishes."""
    monkeypatch.setenv("FACILITATOR_PASSPHRASE", PASSPHRASE)
    rng = random.Random(direction)
    reference = tmp_path / "reference" / "facilitator.json"
    assert command("demo", "--db", reference, "--no-ui").returncode == 0
    Store.open(reference).close()  # a backup beside it, to be converted too
    if direction == "decrypt":
        assert command("encrypt", "--db", reference).returncode == 0
    whole = opens_whole(reference)
    timed = tmp_path / "timed" / "facilitator.json"
    shutil.copytree(reference.parent, timed.parent)
    window = command(direction, "--db", timed).seconds
    for kill in range(kills(3)):
        db_path = tmp_path / f"kill-{kill}" / "facilitator.json"
        shutil.copytree(reference.parent, db_path.parent)
        kill_after(start("command", direction, "--db", db_path), rng.uniform(0.0, window))
        assert opens_whole(db_path) == whole
        again = command(direction, "--db", db_path)
        finished_before = direction == "decrypt" and "is not encrypted; nothing was changed" in again.stderr
        assert again.returncode == 0 or finished_before, again.stderr
        assert is_sealed(db_path.read_bytes()) == (direction == "encrypt")
        copies = [path for path in db_path.parent.rglob("*") if path.is_file() and ".lock" not in path.name]
        assert all(is_sealed(path.read_bytes()) == (direction == "encrypt") for path in copies), copies
        assert opens_whole(db_path) == whole
