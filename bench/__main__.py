"""`python -m bench [--size S|M|L ...]`: measure SPEC section 9's figures and print them beside the targets.

Store rows are measured beside stock TinyDB `JSONStorage` on the same file in the same run (the `baseline`
column and the ratio). Results go to stdout and to `bench/results.json`. Databases are generated into
`bench/data/` (ignored by git) and reused while the generator is unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench.generate import generate
from bench.sizes import SIZES

if TYPE_CHECKING:
    from facilitator.store import Store
    from facilitator.store.records import Group

HERE = Path(__file__).parent
DATA = HERE / "data"


@dataclass
class Row:
    figure: str
    size: str
    result: float | None
    unit: str
    target: str
    met: bool | None
    baseline: float | None = None
    note: str = ""


def median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def python() -> str:
    return sys.executable


# --- start-up -----


def startup_seconds(db: Path, runs: int = 5) -> tuple[float, float]:
    """Median seconds from launching the process to Home taking keys, and to every table loaded."""
    ready, loaded = [], []
    for _ in range(runs):
        start = time.time()
        out = subprocess.run(
            [python(), "-m", "bench.startup_probe", str(db)], capture_output=True, text=True, check=True
        ).stdout.split()
        ready.append(float(out[1]) - start)
        loaded.append(float(out[3]) - start)
    return statistics.median(ready), statistics.median(loaded)


def bare_textual_seconds(runs: int = 5) -> float:
    code = (
        "import time;from textual.app import App\n"
        "async def go(p):\n    await p.pause();print(time.time(),flush=True);p.app.exit()\n"
        "App().run(headless=True,auto_pilot=go)"
    )
    samples = []
    for _ in range(runs):
        start = time.time()
        out = subprocess.run([python(), "-c", code], capture_output=True, text=True, check=True).stdout
        samples.append(float(out.split()[0]) - start)
    return statistics.median(samples)


# --- store rows -----


def open_seconds(db: Path) -> float:
    from facilitator.store import Store

    def read_all() -> None:
        Store.open(db, read_only=True).close()

    return min(timed(read_all) for _ in range(2))


def tinydb_open_seconds(db: Path) -> float:
    from tinydb import TinyDB

    def read_all() -> None:
        tiny = TinyDB(db)
        for name in tiny.tables():
            tiny.table(name).all()
        tiny.close()

    return timed(read_all)


# The encrypted rows' passphrase: the key's cost is the default one, as a facilitator's would be.
PASSPHRASE = "bench passphrase, not a secret"


def mark_pairs(db: Path, count: int) -> list[tuple[str, str]]:
    """Meeting × participant pairs that have no mark yet, so each write adds a record."""
    from facilitator.store import Store
    from facilitator.store.records import Meeting, Participant

    with Store.open(db, read_only=True) as store:
        meetings = store.all(Meeting)[-count:]
        people = store.all(Participant)
        pairs = []
        for index, meeting in enumerate(meetings):
            marked = store.meeting_marks(meeting.id)
            person = next(p for p in people[index % 50 :] if p.id not in marked)
            pairs.append((meeting.id, person.id))
    return pairs


def mark_seconds(db: Path, count: int = 200) -> list[float]:
    """Durable attendance marks through the store (journal append + fsync)."""
    from facilitator.store import Store
    from facilitator.store.records import AttendanceStatus

    pairs = mark_pairs(db, count)
    store = Store.open(db, backup=False)
    samples = [
        timed(lambda m=m, p=p: store.mark_attendance(m, p, AttendanceStatus.PRESENT)) for m, p in pairs
    ]
    store.close()
    return samples


def paired_mark_seconds(plain: Path, sealed: Path, count: int = 200) -> tuple[list[float], list[float]]:
    """The same marks on a plain and an encrypted copy, one after the other, so both meet the same disk."""
    from facilitator.store import Store
    from facilitator.store.records import AttendanceStatus

    pairs = mark_pairs(plain, count)
    stores = Store.open(plain, backup=False), Store.open(sealed, backup=False, passphrase=PASSPHRASE)
    samples: tuple[list[float], list[float]] = ([], [])
    for index, (meeting, person) in enumerate(pairs):
        turns = list(zip(stores, samples, strict=True))
        for store, kept in turns if index % 2 else reversed(turns):  # neither always goes first
            kept.append(
                timed(lambda s=store, m=meeting, p=person: s.mark_attendance(m, p, AttendanceStatus.PRESENT))
            )
    for store in stores:
        store.close()
    return samples


def encrypted_mark_row(db: Path, size: str) -> Row:
    """A durable mark on an encrypted copy beside the same mark on a plain one, taken in turns."""
    from facilitator.store.encryption import encrypt

    sealed_copy = scratch_copy(db, f"{size}-sealed.json")
    encrypt(sealed_copy, PASSPHRASE)
    plain, sealed = paired_mark_seconds(scratch_copy(db, f"{size}-plain.json"), sealed_copy)
    plain_median = statistics.median(plain) * 1000
    sealed_median, sealed_p95 = median_p95([s * 1000 for s in sealed])
    return Row(
        "one durable attendance mark, encrypted (median)",
        size,
        sealed_median,
        "ms",
        "<= 2x plain",
        sealed_median <= 2 * plain_median,
        baseline=plain_median,
        note=f"baseline: a plain copy, marked in turns; p95 {sealed_p95:.2f} ms over {len(sealed)} marks",
    )


def tinydb_mark_seconds(db: Path, count: int) -> list[float]:
    """The same insert with stock TinyDB JSONStorage, which rewrites the whole file each time."""
    from tinydb import TinyDB

    from facilitator.store.records import AttendanceMark, AttendanceStatus

    tiny = TinyDB(db)
    marks = tiny.table("marks")
    samples = []
    for meeting_id, participant_id in mark_pairs(db, count):
        mark = AttendanceMark(
            meeting_id=meeting_id, participant_id=participant_id, status=AttendanceStatus.PRESENT
        )
        doc = json.loads(json.dumps(__import__("msgspec").to_builtins(mark)))
        samples.append(timed(lambda doc=doc: marks.insert(doc)))
    tiny.close()
    return samples


# --- reports and the grid -----


def report_rows(db: Path, size: str) -> list[Row]:
    from facilitator.store import Store
    from facilitator.store.records import Group

    rows: list[Row] = []
    with Store.open(db, read_only=True) as store:
        long_group = next(g for g in store.all(Group) if g.name == "Group 000")
        try:
            from facilitator.reports.attendance import attendance_grid
            from facilitator.reports.follow_ups import follow_ups
        except ImportError:
            return [Row("follow-up list / grid", size, None, "ms", "-", None, note="reports not built yet")]
        grid = min(timed(lambda: attendance_grid(store, long_group.id)) for _ in range(3))
        shape = attendance_grid(store, long_group.id)
        rows.append(
            Row(
                "attendance grid data (200 x 25)",
                size,
                grid * 1000,
                "ms",
                "<= 100 ms",
                grid <= 0.1,
                note=f"{len(shape.rows)} people x {len(shape.meetings)} meetings",
            )
        )
        now = store.all(Group)[0].created_at.replace(year=2026)
        follow = min(timed(lambda: follow_ups(store, now)) for _ in range(3))
        rows.append(Row("follow-up list (in a worker)", size, follow * 1000, "ms", "-", None))
        rows += export_rows(store, long_group, size)
    return rows


def export_rows(store: Store, group: Group, size: str) -> list[Row]:
    """Exporting the long group's attendance as CSV and its report as Markdown and PDF (whole, in memory)."""
    from datetime import date

    from facilitator.reports.exports import ExportRequest, export_bytes

    rows = []
    for label, kind, fmt in (
        ("export attendance CSV (the longest group)", "attendance", "csv"),
        ("export the group report (Markdown)", "report", "md"),
        ("export the group report (PDF)", "report", "pdf"),
    ):
        request = ExportRequest(kind=kind, format=fmt, group_id=group.id)
        data = export_bytes(store, request, date(2026, 3, 3))
        took = min(timed(lambda r=request: export_bytes(store, r, date(2026, 3, 3))) for _ in range(2))
        rows.append(Row(label, size, took * 1000, "ms", "-", None, note=f"{len(data):,} bytes"))
    return rows


def grid_in_app_seconds(db: Path) -> float | None:
    """Opening the Group screen with its grid for the long group, in the real app, headless."""
    out = subprocess.run(
        [python(), "-m", "bench.grid_probe", str(db)], capture_output=True, text=True, check=False
    )
    try:
        return float(out.stdout.split()[-1])
    except (ValueError, IndexError):
        return None


# --- memory and stalls -----


def peak_memory_mb(db: Path) -> float:
    """Peak resident memory of a process that opens the database and answers the screens' queries.

    Read from VmHWM: `ru_maxrss` of a child started from this (large) process would report the parent's size.
    """
    code = (
        "import sys\nfrom facilitator.store import Store\n"
        "s=Store.open(sys.argv[1],read_only=True,lazy=True)\ns.load_rest()\n"
        "from facilitator.store.records import Participant\n"
        "[s.participant_marks(p.id) for p in s.all(Participant)[:50]]\n"
        "hwm=[l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(int(hwm.split()[1])/1024)"
    )
    out = subprocess.run([python(), "-c", code, str(db)], capture_output=True, text=True, check=True).stdout
    return float(out.split()[-1])


def longest_stall_ms(db: Path) -> float:
    out = subprocess.run(
        [python(), "-m", "bench.stall_probe", str(db)], capture_output=True, text=True, check=True
    ).stdout
    return float(out.split()[-1])


# --- the table -----


def database(size: str) -> Path:
    path = DATA / f"{size}.json"
    stamp = DATA / f"{size}.generator"
    source = (HERE / "generate.py").read_bytes() + (HERE.parent / "facilitator/store/records.py").read_bytes()
    fingerprint = hashlib.sha256(source).hexdigest()
    if not path.exists() or not stamp.exists() or stamp.read_text() != fingerprint:
        print(f"generating {size} ...", file=sys.stderr, flush=True)
        DATA.mkdir(exist_ok=True)
        generate(SIZES[size], path)
        stamp.write_text(fingerprint)
    return path


def scratch_copy(path: Path, name: str) -> Path:
    copy = DATA / name
    for leftover in DATA.glob(name + "*"):
        leftover.unlink()
    copy.write_bytes(path.read_bytes())
    return copy


def measure(size: str, drift_seconds: float) -> list[Row]:
    db = database(size)
    rows: list[Row] = []
    ready, loaded = startup_seconds(scratch_copy(db, f"{size}-startup.json"))
    target = "<= 0.4 s" if size == "M" else "-"
    rows.append(
        Row(
            "start to interactive Home",
            size,
            ready,
            "s",
            target,
            ready <= 0.4 if size == "M" else None,
            baseline=bare_textual_seconds(),
            note=f"baseline: a bare Textual app; all tables in {loaded:.2f} s",
        )
    )
    ours = open_seconds(db)
    tiny = tinydb_open_seconds(db)
    rows.append(Row("open and read everything", size, ours, "s", "-", None, baseline=tiny))
    marks = [s * 1000 for s in mark_seconds(scratch_copy(db, f"{size}-marks.json"))]
    median, p95 = median_p95(marks)
    tiny_runs = {"S": 20, "M": 5, "L": 3}[size]
    tiny_marks = [s * 1000 for s in tinydb_mark_seconds(scratch_copy(db, f"{size}-tiny.json"), tiny_runs)]
    mark_target = {"M": 16.0, "L": 50.0}.get(size)
    rows.append(
        Row(
            "one durable attendance mark (median)",
            size,
            median,
            "ms",
            f"<= {mark_target:g} ms" if mark_target else "-",
            median <= mark_target if mark_target else None,
            baseline=statistics.median(tiny_marks),
            note=f"p95 {p95:.2f} ms over {len(marks)} marks",
        )
    )
    rows.append(
        Row(
            "one durable attendance mark (p95)",
            size,
            p95,
            "ms",
            f"<= {mark_target:g} ms" if mark_target else "-",
            p95 <= mark_target if mark_target else None,
            baseline=max(tiny_marks),
        )
    )
    rows.append(encrypted_mark_row(db, size))
    rows += report_rows(db, size)
    rows += bundle_rows(db, size)
    if size == "M":
        from bench.hub import hub_rows

        rows += hub_rows(db, size, DATA / f"{size}-hub")
    grid = grid_in_app_seconds(db)
    if grid is not None:
        rows.append(
            Row("open a 200 x 25 attendance grid (app)", size, grid * 1000, "ms", "<= 100 ms", grid <= 0.1)
        )
    if size == "L":
        memory = peak_memory_mb(db)
        rows.append(Row("peak memory", size, memory, "MB", "<= 300 MB", memory <= 300))
        stall = longest_stall_ms(scratch_copy(db, "L-stall.json"))
        rows.append(
            Row("longest event-loop stall marking attendance", size, stall, "ms", "<= 16 ms", stall <= 16)
        )
    if size == "M" and drift_seconds > 0:
        rows += drift_rows(drift_seconds)
    return rows


def bundle_rows(db: Path, size: str) -> list[Row]:
    from bench.bundles import bundle_seconds

    exported, imported, size_bytes = bundle_seconds(db, DATA / f"{size}-bundle")
    target, met = ("<= 2 s", True) if size == "M" else ("-", None)
    note = f"{size_bytes / 1e6:.1f} MB bundle of everything"
    return [
        Row(
            "bundle export (everything)",
            size,
            exported,
            "s",
            target,
            exported <= 2 if met else None,
            note=note,
        ),
        Row(
            "bundle import into an empty database",
            size,
            imported,
            "s",
            target,
            imported <= 2 if met else None,
            note="read, check, merge, one durable write, close",
        ),
    ]


def drift_rows(seconds: float) -> list[Row]:
    try:
        from bench.timer_drift import measure as measure_drift
    except ImportError:
        return [
            Row("timer drift after 90 min under load", "-", None, "s", "< 1 s", None, note="not built yet")
        ]
    found = measure_drift(seconds)
    return [
        Row(
            "timer drift after 90 min under load",
            "-",
            found["drift_90min_s"],
            "s",
            "< 1 s",
            abs(found["drift_90min_s"]) < 1,
            note=f"extrapolated from {seconds:g} s",
        ),
        Row(
            "CPU while a session runs",
            "-",
            found["cpu_percent"],
            "% of a core",
            "< 2 %",
            found["cpu_percent"] < 2,
        ),
    ]


def format_table(rows: list[Row]) -> str:
    lines = [
        f"{'figure':<46} {'size':<4} {'result':>12} {'target':>11} {'met':>4} "
        f"{'TinyDB':>12} {'ratio':>8}  note"
    ]
    for row in rows:
        result = "-" if row.result is None else f"{row.result:.3g} {row.unit}"
        baseline = "" if row.baseline is None else f"{row.baseline:.3g}"
        ratio = ""
        if row.baseline and row.result:
            ratio = (
                f"{row.baseline / row.result:.1f}x"
                if row.baseline >= row.result
                else f"{row.result / row.baseline:.1f}x slower"
            )
        met = {True: "yes", False: "NO", None: ""}[row.met]
        lines.append(
            f"{row.figure:<46} {row.size:<4} {result:>12} {row.target:>11} {met:>4} "
            f"{baseline:>12} {ratio:>8}  {row.note}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size", action="append", choices=sorted(SIZES), help="S, M or L (repeatable; default all)"
    )
    parser.add_argument(
        "--drift-seconds", type=float, default=60, help="how long to run the timer (0 skips it)"
    )
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for size in args.size or ["S", "M", "L"]:
        rows += measure(size, args.drift_seconds)
    print(format_table(rows))
    (HERE / "results.json").write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
