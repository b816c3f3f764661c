"""Agency hub figures on a throwaway PostgreSQL cluster on loopback (the tests' `tests/sync/hub/cluster.py`).

The first push of a whole database; a sync after one meeting (25 marks, the meeting's note, 5 check-ins);
and 20 laptops, each with a group of its own that all of them share, syncing at once as separate processes
until every one holds the same records.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench.generate import generate
from bench.rows import Context, Row
from bench.sizes import Size

if TYPE_CHECKING:
    from tests.sync.hub.cluster import Cluster

LAPTOPS = 20
ONE_GROUP = Size("one group", groups=1, participants=12, meetings=16, marks=150, goals=12)


def hub_rows(context: Context) -> list[Row]:
    from bench.databases import DATA
    from tests.sync.hub.cluster import start_cluster

    db, size, scratch = context.db, context.size, DATA / f"{context.size}-hub"

    cluster = start_cluster()
    if cluster is None:
        return [Row("hub sync", size, None, "-", "-", None, note="no PostgreSQL server binaries here")]
    os.environ["PGPASSFILE"] = str(cluster.pgpass)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True, mode=0o700)
    try:
        first, incremental, pushed = push_and_one_meeting(cluster, db, scratch)
        many, converged = laptops_at_once(cluster, scratch)
    finally:
        cluster.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    target, met = ("<= 200 ms", statistics.median(incremental) * 1000 <= 200)
    return [
        Row("hub: first push of everything", size, first, "s", "-", None, note=f"{pushed:,} versions"),
        Row(
            "hub: sync after one meeting (median)",
            size,
            statistics.median(incremental) * 1000,
            "ms",
            target,
            met,
            note=f"25 marks, a note, 5 check-ins; worst of {len(incremental)}: "
            f"{max(incremental) * 1000:.0f} ms",
        ),
        Row(
            f"hub: {LAPTOPS} laptops syncing at once, twice",
            "-",
            many,
            "s",
            "all converge",
            converged,
            note=f"{LAPTOPS} processes, each with its own group, every group shared with all",
        ),
    ]


def push_and_one_meeting(cluster: Cluster, db: Path, scratch: Path) -> tuple[float, list[float], int]:
    from facilitator.store import Store
    from facilitator.store.records import AttendanceStatus, CheckIn, Goal, Meeting
    from facilitator.sync.hub.access import grant
    from facilitator.sync.hub.exchange import sync
    from facilitator.sync.hub.schema import init_hub

    database = cluster.new_database()
    init_hub(cluster.dsn(database))
    role = cluster.new_role("ana")
    grant(cluster.dsn(database), role, group=None)
    laptop = scratch / "laptop.json"
    shutil.copyfile(db, laptop)
    now = datetime.now(UTC)
    with Store.open(laptop, backup=False) as store:
        started = time.perf_counter()
        report = sync(store, dsn=cluster.dsn(database, role), now=now)
        first = time.perf_counter() - started
        meetings = sorted(store.all(Meeting), key=lambda m: m.scheduled_start)[-6:]
        goals = store.all(Goal)
        incremental = []
        for turn, meeting in enumerate(meetings):
            for _, person in store.roster(meeting.group_id)[:25]:
                store.mark_attendance(meeting.id, person.id, AttendanceStatus.LATE)
            store.update(meeting, notes=f"went well, turn {turn}")
            for goal in goals[turn * 5 : turn * 5 + 5]:
                check_in = CheckIn(at=now + timedelta(minutes=turn), rating=4, meeting_id=meeting.id)
                store.update(goal, check_ins=[*goal.check_ins, check_in])
            started = time.perf_counter()
            sync(store, dsn=None, now=now)
            incremental.append(time.perf_counter() - started)
    return first, incremental, report.pushed


def laptops_at_once(cluster: Cluster, scratch: Path) -> tuple[float, bool]:
    """Seconds for two rounds of 20 concurrent `facilitator sync` processes, and whether all converged."""
    from facilitator.store import Store
    from facilitator.sync.hub.access import grant
    from facilitator.sync.hub.exchange import sync
    from facilitator.sync.hub.schema import init_hub
    from facilitator.sync.merge import canonical_bytes

    database = cluster.new_database()
    admin = cluster.dsn(database)
    init_hub(admin)
    roles = [cluster.new_role(f"f{number:02d}") for number in range(LAPTOPS)]
    paths = []
    for number, role in enumerate(roles):
        path = scratch / f"laptop-{number:02d}" / "facilitator.json"
        path.parent.mkdir(mode=0o700)
        generate(ONE_GROUP, path, seed=100 + number)
        grant(admin, role, group=None)
        with Store.open(path, backup=False) as store:
            sync(store, dsn=cluster.dsn(database, role), now=datetime.now(UTC))  # brings its group
        paths.append(path)
    from psycopg import connect

    with connect(admin, autocommit=True) as connection:
        groups = [
            str(row[0]) for row in connection.execute("SELECT DISTINCT group_id FROM facilitator.groups")
        ]
    for role in roles:
        for group in groups:
            grant(admin, role, group=group)
    command = [str(Path(sys.executable).parent / "facilitator"), "sync", "--db"]
    started = time.perf_counter()
    for _ in range(2):
        running = [subprocess.Popen([*command, str(p)], stdout=subprocess.DEVNULL) for p in paths]
        if any(process.wait() != 0 for process in running):
            return time.perf_counter() - started, False
    took = time.perf_counter() - started
    held = []
    for path in paths:
        with Store.open(path, backup=False, read_only=True) as store:
            held.append(canonical_bytes(store.holding()))
    return took, all(h == held[0] for h in held) and len(groups) == LAPTOPS
