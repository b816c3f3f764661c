"""A `facilitator sync` killed at any step, then run again, ends with nothing lost and nothing twice; a hub
that cannot be reached (or must not be used) is one clear line and leaves the database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from facilitator.store import Store
from facilitator.store.records import HubLink
from facilitator.sync.hub.access import grant
from facilitator.sync.hub.connection import HubError
from facilitator.sync.hub.exchange import sync
from facilitator.sync.hub.rows import versions_to_push
from facilitator.sync.merge import canonical_bytes
from tests.conftest import FIXED_NOW, facilitator_command, run_facilitator
from tests.sync.hub.cluster import PASSWORD, free_port
from tests.sync.hub.conftest import Hub
from tests.sync.hub.laptops import open_laptop, same_records, start_course


def killed_at(step: str, db: Path, dsn: str) -> None:
    """Run `facilitator sync`, stop it at `step` and SIGKILL it there."""
    process = subprocess.Popen(
        [facilitator_command(), "sync", "--db", str(db), "--hub", dsn],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "FACILITATOR_SYNC_PAUSE_AT": step},
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.strip() == f"facilitator: sync paused at {step}", line
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def hub_rows(hub: Hub) -> tuple[int, int]:
    """Every row on the hub, and the distinct versions among them."""
    with psycopg.connect(hub.admin_dsn) as admin:
        counts = [
            admin.execute(
                f"SELECT count(*), count(DISTINCT (id, stamp, group_id)) FROM facilitator.{table}"
            ).fetchone()
            for table in ("groups", "participants", "enrollments", "meetings", "marks", "goals")
        ]
    return sum(int(str(c[0])) for c in counts if c), sum(int(str(c[1])) for c in counts if c)


@pytest.mark.parametrize("step", ["push", "pushed", "pull"])
def test_a_sync_killed_at_each_step_and_run_again_loses_nothing_and_applies_nothing_twice(
    hub: Hub, tmp_path: Path, step: str
) -> None:
    ana, ben = hub.cluster.new_role("ana"), hub.cluster.new_role("ben")
    grant(hub.admin_dsn, ana, group=None)
    db_a, db_b = tmp_path / "a" / "facilitator.json", tmp_path / "b" / "facilitator.json"
    with open_laptop(tmp_path, "a") as a:
        course = start_course(a)
        expected_rows = len(versions_to_push(a.holding(), ""))
    if step != "pull":
        killed_at(step, db_a, hub.dsn(ana))
        with Store.open(db_a, backup=False) as a:
            assert a.meta.hub is None  # nothing of the sync was saved here
        assert hub_rows(hub) == ((expected_rows,) * 2 if step == "pushed" else (0, 0))
    done = run_facilitator("sync", "--db", str(db_a), "--hub", hub.dsn(ana))
    assert done.returncode == 0, done.stderr
    assert hub_rows(hub) == (expected_rows, expected_rows)

    grant(hub.admin_dsn, ben, group=course.group.id)
    if step == "pull":
        killed_at(step, db_b, hub.dsn(ben))
        with Store.open(db_b, backup=False) as b:
            assert b.meta.hub is None and b.groups() == []
    done = run_facilitator("sync", "--db", str(db_b), "--hub", hub.dsn(ben))
    assert done.returncode == 0, done.stderr
    again = run_facilitator("sync", "--db", str(db_b))
    assert "pushed 0 changes, pulled 0" in again.stdout
    with Store.open(db_a, backup=False) as a, Store.open(db_b, backup=False) as b:
        assert same_records(a, b)
        assert len(b.meeting_marks(course.meetings[0].id)) == 2
    assert hub_rows(hub) == (expected_rows, expected_rows)


def records_and_hub(db: Path) -> tuple[bytes, HubLink | None]:
    with Store.open(db, backup=False, read_only=True) as store:
        return canonical_bytes(store.holding()), store.meta.hub


def test_a_hub_that_cannot_be_reached_is_one_line_and_the_database_is_as_it_was(
    hub: Hub, tmp_path: Path
) -> None:
    db = tmp_path / "a" / "facilitator.json"
    with open_laptop(tmp_path, "a") as a:
        start_course(a)
    before = records_and_hub(db)
    closed = free_port()
    # The command: one line on stderr, nothing on stdout, exit 1.
    refused = run_facilitator("sync", "--db", str(db), "--hub", f"host=127.0.0.1 port={closed} dbname=a")
    assert refused.returncode == 1 and refused.stdout == "" and "Traceback" not in refused.stderr
    assert refused.stderr.count("\n") == 1, refused.stderr
    assert refused.stderr.startswith(f"facilitator: could not reach the hub at 127.0.0.1:{closed}/a: ")
    assert records_and_hub(db) == before
    # What else it may say: each one line, the database as it was (in-process, the same HubError).
    cases = {
        "host=hub.agency.example sslmode=disable dbname=agency": "its connection must be encrypted",
        hub.dsn("nobody_here"): "no password supplied",
        "postgresql://[not a uri": "that is not a PostgreSQL connection string",
    }
    for dsn, says in cases.items():
        with Store.open(db, backup=False) as a, pytest.raises(HubError) as refusal:
            sync(a, dsn=dsn, now=FIXED_NOW)
        assert says in str(refusal.value) and "\n" not in str(refusal.value), refusal.value
        assert records_and_hub(db) == before
    none_yet = run_facilitator("sync", "--db", str(db))
    assert none_yet.returncode == 1 and "this database has no hub yet" in none_yet.stderr

    # A remembered hub that is down: the same one line, and the laptop keeps every record.
    with Store.open(db, backup=False) as a:
        a.update(a.meta, hub=HubLink(dsn=f"host=127.0.0.1 port={closed} dbname=agency"))
    remembered = records_and_hub(db)
    down = run_facilitator("sync", "--db", str(db))
    assert down.returncode == 1 and down.stderr.startswith(
        "facilitator: could not reach the hub at 127.0.0.1"
    )
    assert records_and_hub(db) == remembered


def test_a_password_given_in_the_dsn_is_used_once_and_never_kept(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = hub.cluster.new_role("ana")
    grant(hub.admin_dsn, ana, group=None)
    db = tmp_path / "a" / "facilitator.json"
    with open_laptop(tmp_path, "a") as a:
        start_course(a)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    done = run_facilitator("sync", "--db", str(db), "--hub", f"{hub.dsn(ana)} password={PASSWORD}")
    assert done.returncode == 0, done.stderr
    _, link = records_and_hub(db)
    assert link is not None and conninfo_to_dict(link.dsn) == conninfo_to_dict(hub.dsn(ana))
    for path in db.parent.rglob("*"):
        assert path.is_dir() or PASSWORD.encode() not in path.read_bytes(), path
    without = run_facilitator("sync", "--db", str(db))  # no password anywhere libpq looks now
    assert without.returncode == 1 and "password" in without.stderr


def test_without_the_driver_the_app_works_and_the_hub_commands_say_how_to_install_it(tmp_path: Path) -> None:
    blocked = tmp_path / "no-driver" / "psycopg"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text("raise ImportError('psycopg is not installed')\n")
    env = {"PYTHONPATH": str(blocked.parent)}
    db = tmp_path / "demo.json"
    made = run_facilitator("demo", "--no-ui", "--db", str(db), env=env)
    assert made.returncode == 0, made.stderr
    for command in (("sync", "--db", str(db), "--hub", "host=/tmp"), ("hub", "init", "--dsn", "host=/tmp")):
        refused = run_facilitator(*command, env=env)
        assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
        assert "install Facilitator with its hub extra" in refused.stderr
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, facilitator.app, facilitator.cli, facilitator.sync.hub.exchange; "
            "print('psycopg' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"


def test_sync_while_the_app_has_the_database_open_is_refused_and_changes_nothing(
    hub: Hub, tmp_path: Path
) -> None:
    ana = hub.cluster.new_role("ana")
    grant(hub.admin_dsn, ana, group=None)
    db = tmp_path / "a" / "facilitator.json"
    with open_laptop(tmp_path, "a") as a:  # as the app holds it: the one writer
        start_course(a)
        refused = run_facilitator("sync", "--db", str(db), "--hub", hub.dsn(ana))
        assert refused.returncode == 1 and refused.stderr.count("\n") == 1
        assert "is open in another Facilitator" in refused.stderr
        assert a.meta.hub is None
    assert hub_rows(hub) == (0, 0)
