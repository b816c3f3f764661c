"""The app's rows, each measured on the real app in a process of its own: start-up, opening the screens, a key
in the People filter, memory at Home, the longest stall while marking, the session timer's drift."""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.databases import scratch_copy
from bench.rows import Context, Row, at_most, python

SCREEN_MS = 100.0  # any screen, key to painted (SPEC section 9)
FILTER_MS = 50.0
START_RATIO = {"S": 1.25, "M": 1.25, "L": 1.5}  # start-up, to a bare Textual app in the same run
MEMORY_MB = {"M": 100.0, "L": 300.0}


class ProbeFailed(RuntimeError):
    """A probe process ended without its figure; the message is its last line of output."""


def run_probe(args: list[str]) -> str:
    """Run `python ARGS` and return its stdout, or raise ProbeFailed with the last line it printed."""
    done = subprocess.run([python(), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        said = (done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}").splitlines()
        raise ProbeFailed(said[-1])
    return done.stdout


def app_probe(kind: str, db: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(run_probe(["-m", "bench.app_probe", kind, str(db)]).splitlines()[-1])
    return found


# --- start-up -----

BARE_APP = (
    "import time;from textual.app import App\n"
    "async def go(p):\n    await p.pause();print(time.time(),flush=True);p.app.exit()\n"
    "App().run(headless=True,auto_pilot=go)"
)
BARE_MEMORY = (
    "from textual.app import App\n"
    "async def go(p):\n    await p.pause()\n"
    "    print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]);p.app.exit()\n"
    "App().run(headless=True,auto_pilot=go,size=(160,50))"
)


def startup_seconds(db: Path, runs: int = 5) -> tuple[float, float]:
    """Median seconds from launching the process to Home taking keys, and to every table loaded."""
    ready, loaded = [], []
    for _ in range(runs):
        start = time.time()
        out = run_probe(["-m", "bench.startup_probe", str(db)]).split()
        ready.append(float(out[1]) - start)
        loaded.append(float(out[3]) - start)
    return statistics.median(ready), statistics.median(loaded)


def bare_textual_seconds(runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        start = time.time()
        samples.append(float(run_probe(["-c", BARE_APP]).split()[0]) - start)
    return statistics.median(samples)


def startup_rows(context: Context) -> list[Row]:
    size = context.size
    ready, loaded = startup_seconds(scratch_copy(context.db, f"{size}-startup.json"))
    bare = bare_textual_seconds()
    limit = START_RATIO[size]
    return [
        Row(
            "start to interactive Home",
            size,
            ready,
            "s",
            f"<= {limit:g}x bare",
            ready <= limit * bare,
            baseline=bare,
            note=f"{ready / bare:.2f}x a bare Textual app (baseline); all tables in {loaded:.2f} s",
        )
    ]


# --- screens and keys -----


def screen_row(figure: str, size: str, found: dict[str, Any]) -> Row:
    """A screen's cold opening against the target, with the later openings and the floor beside it."""
    return at_most(
        figure,
        size,
        found["first"] * 1000,
        "ms",
        SCREEN_MS,
        baseline=found["floor"] * 1000,
        note=(
            f"first opening; again {found['again'] * 1000:.0f} ms; "
            f"pilot idle at {found['first_idle'] * 1000:.0f} ms; baseline: an empty screen"
        ),
    )


def group_screen_rows(context: Context) -> list[Row]:
    found = app_probe("group", context.db)
    return [screen_row("open the Group screen (200 x 25 grid)", context.size, found)]


def participant_screen_rows(context: Context) -> list[Row]:
    found = app_probe("participant", context.db)
    row = screen_row("open the Participant screen", context.size, found)
    row.note += f"; a long-group regular, {found['marks']} marks"
    return [row]


def run_session_screen_rows(context: Context) -> list[Row]:
    found = app_probe("run-session", scratch_copy(context.db, f"{context.size}-run.json"))
    row = screen_row("open the Run Session screen", context.size, found)
    row.note += "; a planned meeting of the long group, its pack's agenda"
    return [row]


def filter_rows(context: Context) -> list[Row]:
    found = app_probe("people-filter", context.db)
    painted = [s * 1000 for s in found["painted"]]
    shown = ", ".join(str(n) for n in found["shown"])
    return [
        at_most(
            f"a key in the People filter ({found['total']:,} people)",
            context.size,
            max(painted),
            "ms",
            FILTER_MS,
            note=f"the slowest of {len(painted)} keys, median {statistics.median(painted):.0f} ms; "
            f"rows shown after each: {shown}",
        )
    ]


# --- memory, stalls, the timer -----


def memory_rows(context: Context) -> list[Row]:
    found = app_probe("memory", context.db)
    bare = int(run_probe(["-c", BARE_MEMORY]).split()[-1]) / 1024
    return [
        at_most(
            "peak memory (the app at Home, all loaded)",
            context.size,
            found["mb"],
            "MB",
            MEMORY_MB[context.size],
            baseline=bare,
            note="peak resident (VmHWM); baseline: a bare Textual app",
        )
    ]


def stall_rows(context: Context, runs: int = 3) -> list[Row]:
    """The longest stall of each run, the median of the runs, beside a bare app's loop measured between them
    (on a shared machine a process can wait for a core a frame long, whatever it runs)."""
    ours, loading, bare = [], [], []
    for _ in range(runs):
        db = scratch_copy(context.db, f"{context.size}-stall.json")
        out = run_probe(["-m", "bench.stall_probe", str(db)]).split()
        loading.append(float(out[1]))
        ours.append(float(out[3]))
        bare.append(float(run_probe(["-m", "bench.stall_probe", "bare"]).split()[-1]))
    return [
        at_most(
            "longest event-loop stall marking attendance",
            context.size,
            statistics.median(ours),
            "ms",
            16,
            baseline=statistics.median(bare),
            note=f"median of {runs} runs of 200 marks each (longest: {max(ours):.1f} ms); "
            "baseline: a bare Textual app's loop, idle; "
            f"from Home's first frame until all is loaded: {statistics.median(loading):.0f} ms",
        )
    ]


def drift_rows(context: Context) -> list[Row]:
    from bench.timer_drift import measure as measure_drift

    if context.drift_seconds <= 0:
        return []
    found = measure_drift(context.drift_seconds)
    return [
        Row(
            "timer drift after 90 min under load",
            "-",
            found["drift_90min_s"],
            "s",
            "< 1 s",
            abs(found["drift_90min_s"]) < 1,
            note=f"extrapolated from {context.drift_seconds:g} s",
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
