"""`facilitator import bundle` killed at a random instant leaves the database as it was or fully merged."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from facilitator.store import Store
from facilitator.sync.merge import canonical_bytes
from tests.store.test_kills import command, kill_after, kills, start


def records(db_path: Path) -> bytes:
    with Store.open(db_path, backup=False) as store:
        return canonical_bytes(store.holding())


def copy_of(source: Path, folder: Path) -> Path:
    folder.mkdir(mode=0o700, parents=True)
    return Path(shutil.copy2(source, folder / source.name))


def test_a_killed_import_leaves_the_database_as_it_was_or_fully_merged(tmp_path: Path) -> None:
    rng = random.Random("import bundle")
    giver, taker = tmp_path / "a" / "facilitator.json", tmp_path / "b" / "facilitator.json"
    assert command("demo", "--db", giver, "--no-ui").returncode == 0
    assert command("demo", "--db", taker, "--no-ui", "--seed", "8").returncode == 0
    bundle = tmp_path / "a.bundle"
    assert command("--db", giver, "export", "bundle", "-o", bundle).returncode == 0
    before = records(copy_of(taker, tmp_path / "before"))
    reference = copy_of(taker, tmp_path / "reference")
    finished = command("--db", reference, "import", "bundle", bundle, "--yes")
    assert finished.returncode == 0, finished.stderr
    merged = records(reference)
    assert merged != before
    outcomes = {"as it was": 0, "merged": 0}
    for kill in range(kills(6)):
        target = copy_of(taker, tmp_path / f"kill-{kill}")
        child = start("command", "--db", target, "import", "bundle", bundle, "--yes")
        # Most of the run is reading and merging; the later half is where the write and the fold happen.
        kill_after(child, rng.uniform(0.0, 1.0) ** 0.5 * finished.seconds)
        found = records(target)
        assert found in (before, merged), f"kill {kill}: neither the database as it was nor fully merged"
        outcomes["as it was" if found == before else "merged"] += 1
        again = command("--db", target, "import", "bundle", bundle, "--yes")
        assert again.returncode == 0, again.stderr
        assert records(target) == merged
    assert sum(outcomes.values()) == kills(6), outcomes
