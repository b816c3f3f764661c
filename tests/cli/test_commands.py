"""The installed `facilitator` command, run as a subprocess the way a user runs it."""

from __future__ import annotations

import json
import os
from pathlib import Path

from facilitator import __version__
from facilitator.store.records import SCHEMA_VERSION


def test_version(cli) -> None:
    result = cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"facilitator {__version__}"


def test_help_lists_the_commands(cli) -> None:
    result = cli("--help")
    assert result.returncode == 0
    for word in ("demo", "doctor", "--db", "--read-only"):
        assert word in result.stdout


def test_demo_help(cli) -> None:
    result = cli("demo", "--help")
    assert result.returncode == 0 and "--no-ui" in result.stdout and "--seed" in result.stdout


def test_usage_error_exits_2(cli) -> None:
    result = cli("frobnicate")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_demo_no_ui_seeds_the_file(tmp_path: Path, cli) -> None:
    path = tmp_path / "demo" / "demo.json"
    result = cli("demo", "--db", str(path), "--no-ui")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(path)
    tables = json.loads(path.read_bytes())
    groups = {g["name"]: g["status"] for g in tables["groups"].values()}
    assert sorted(groups.values()) == ["finished", "planned", "running", "running"]
    assert len(tables["participants"]) == 30
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_demo_killed_half_way_leaves_no_folder_behind_once_run_again(tmp_path: Path, cli) -> None:
    import signal
    import subprocess
    import sys

    path = tmp_path / "demo" / "demo.json"
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True
    )  # stands for a demo being built: its process is alive
    busy = path.parent / f".{path.name}.demo-{child.pid}-abcd"
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    killed = path.parent / f".{path.name}.demo-{gone.stdout.strip()}-wxyz"  # its process is gone
    for folder in (busy, killed):
        folder.mkdir(parents=True)
        (folder / path.name).write_text("{half a demo")
    try:
        result = cli("demo", "--db", str(path), "--no-ui")
        assert result.returncode == 0, result.stderr
        assert not killed.exists() and busy.exists()
        assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, busy.name])
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()


def test_demo_is_deterministic_for_a_seed(tmp_path: Path, clock) -> None:
    from facilitator.demo import seed_demo
    from facilitator.store import Store
    from facilitator.store.records import Participant

    def names(path: Path) -> list[tuple[str, str]]:
        with Store.open(path, clock=clock, backup=False) as store:
            seed_demo(store, seed=3)
            return sorted((p.id, p.display_name) for p in store.all(Participant))

    assert names(tmp_path / "a.json") == names(tmp_path / "b.json")


def test_demo_refuses_to_overwrite(tmp_path: Path, cli) -> None:
    path = tmp_path / "existing.json"
    path.write_text("{}")
    result = cli("demo", "--db", str(path), "--no-ui")
    assert result.returncode == 1 and "already exists" in result.stderr
    assert path.read_text() == "{}"


def test_doctor_on_a_good_file(tmp_path: Path, cli) -> None:
    path = tmp_path / "d.json"
    cli("demo", "--db", str(path), "--no-ui")
    result = cli("doctor", "--db", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"d.json reads cleanly: schema {SCHEMA_VERSION}; 4 groups, 30 participants" in result.stdout


def test_doctor_on_a_broken_file_and_restore(tmp_path: Path, cli) -> None:
    from facilitator.store import Store

    path = tmp_path / "d.json"
    cli("demo", "--db", str(path), "--no-ui")
    Store.open(path).close()  # backups are taken at each open: now one holds the demo
    good = path.read_bytes()
    path.write_bytes(good[:1000])
    result = cli("doctor", "--db", str(path))
    assert result.returncode == 1
    assert "BAD" in result.stdout and "is not valid JSON" in result.stdout
    assert path.read_bytes() == good[:1000]
    restored = cli("doctor", "--db", str(path), "--restore")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert path.read_bytes() == good
    [aside] = [p for p in tmp_path.iterdir() if ".broken-" in p.name]
    assert aside.read_bytes() == good[:1000]
    assert cli("doctor", "--db", str(path)).returncode == 0


def test_db_from_environment(tmp_path: Path, cli) -> None:
    path = tmp_path / "env.json"
    cli("demo", "--db", str(path), "--no-ui")
    result = cli("doctor", env={"FACILITATOR_DB": str(path)})
    assert result.returncode == 0 and "env.json reads cleanly" in result.stdout


def test_doctor_without_a_database(tmp_path: Path, cli) -> None:
    result = cli("doctor", "--db", str(tmp_path / "none.json"))
    assert result.returncode == 1 and "there is no database" in result.stderr
    assert not os.path.exists(tmp_path / "none.json")


def test_room_help_and_a_missing_database_in_one_line(tmp_path: Path, cli) -> None:
    result = cli("room", "--help")
    assert result.returncode == 0 and "no names" in result.stdout and "read-only" in result.stdout
    missing = tmp_path / "nowhere.json"
    result = cli("room", "--db", str(missing))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"facilitator: there is no database at {missing}\n"
    assert not missing.exists()
