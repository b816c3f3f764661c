"""Timer drift and CPU of a running session, under CPU load: `python -m bench.timer_drift [SECONDS]`.

Runs the real app headless with the Run Session screen on a demo database and real clocks, while one busy-loop
process per core keeps every core loaded. While the session runs it records, at every change of the big
countdown, how far the shown time left is behind the true time left by the wall clock, and measures this
process's CPU time. Reported (SPEC section 9 targets: drift < 1 s after 90 minutes, CPU < 2 % of one core):

- `display_lag_*`: how late each change of the countdown comes (the tick, 0.25 s, plus any event-loop delay
  under load); `display_lag_growth_s` compares the second half of the run with the first (counting ticks
  would make it grow; computing from the clock does not);
- `engine_drift_90min_s`: the engine's elapsed time against the wall clock, extrapolated to 90 minutes;
- `drift_90min_s`: that drift plus the worst display lag: how far off the countdown can be after 90 minutes.
  A short run's lag trend is not extrapolated: quantised to whole seconds, it is mostly noise;
- `cpu_percent`: process CPU time (% of one core) over wall time while the session runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

NINETY_MINUTES = 90 * 60
BUSY_LOOP = "while True: pass"


def shown_seconds(text: str) -> float:
    """The countdown's text as seconds left: "4:59" → 299, "+0:07" → −7."""
    sign = -1 if text.startswith("+") else 1
    seconds = 0
    for part in text.lstrip("+").split(":"):
        seconds = seconds * 60 + int(part)
    return sign * seconds


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def demo_database(folder: Path) -> tuple[Path, str]:
    """A demo database and the id of tonight's meeting of its running group."""
    from facilitator.demo import seed_demo
    from facilitator.store import Store
    from facilitator.store.records import MeetingStatus

    path = folder / "facilitator.json"
    with Store.open(path, backup=False) as store:
        seed_demo(store, seed=7)
        group = next(g for g in store.groups() if g.name == "Tuesday Recovery Group")
        meeting = next(m for m in store.group_meetings(group.id) if m.status is MeetingStatus.PLANNED)
    return path, meeting.id


def start_load(count: int) -> list[subprocess.Popen]:
    """One busy-loop process per core."""
    return [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(count)]


def stop_load(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.kill()
    for process in processes:
        process.wait()


def run_session(db: Path, meeting_id: str, duration_s: float) -> dict[str, Any]:
    """Run the app headless for `duration_s` with the session running; the countdown's changes and CPU."""
    from textual.widgets import Digits

    from facilitator.app import make_app
    from facilitator.screens.run.screen import TICK_SECONDS, RunSessionScreen
    from facilitator.store import Store

    store = Store.open(db, backup=False)
    app = make_app(store)
    result: dict[str, Any] = {"tick": TICK_SECONDS}

    async def session(pilot) -> None:
        await pilot.app.push_screen(RunSessionScreen(meeting_id))
        await pilot.pause()
        screen = pilot.app.screen
        digits = screen.query_one(Digits)
        await pilot.press("space")
        engine = screen.run.engine
        start_wall = engine.transitions[0].wall.timestamp()
        planned = engine.planned_seconds()
        # Each time the countdown changes, how far behind the true time left it is at that moment.
        changes: list[tuple[float, float]] = []
        update = digits.update

        def recorded_update(value: str) -> None:
            elapsed = time.time() - start_wall
            changes.append((elapsed, shown_seconds(value) - (planned - elapsed)))
            update(value)

        digits.update = recorded_update
        cpu_start, wall_start = time.process_time(), time.monotonic()
        await asyncio.sleep(duration_s)
        cpu = time.process_time() - cpu_start
        window = time.monotonic() - wall_start
        result.update(
            changes=changes,
            cpu_percent=100 * cpu / window,
            window=window,
            engine_drift=engine.session_elapsed() - (time.time() - start_wall),
        )
        pilot.app.exit()

    try:
        app.run(headless=True, size=(100, 32), auto_pilot=session)
    finally:
        store.close()
    return result


def measure(duration_s: float) -> dict[str, Any]:
    """Run a session for `duration_s` seconds under full CPU load; drift and CPU figures."""
    folder = Path(tempfile.mkdtemp(prefix="facilitator-drift-"))
    cores = os.cpu_count() or 1
    load: list[subprocess.Popen] = []
    try:
        db, meeting_id = demo_database(folder)
        load = start_load(cores)
        run = run_session(db, meeting_id, duration_s)
    finally:
        stop_load(load)
        shutil.rmtree(folder, ignore_errors=True)
    lags = [lag for _, lag in run["changes"]]
    half = len(lags) // 2
    window = run["window"]
    engine_drift_90 = run["engine_drift"] / window * NINETY_MINUTES
    worst_lag = max(lags) if lags else 0.0
    report = {
        "duration_s": round(window, 2),
        "load_processes": cores,
        "tick_s": run["tick"],
        "countdown_changes": len(lags),
        "display_lag_mean_s": round(sum(lags) / len(lags), 3) if lags else None,
        "display_lag_max_s": round(worst_lag, 3),
        # An accumulating drift would make the second half lag more than the first.
        "display_lag_growth_s": round(mean(lags[half:]) - mean(lags[:half]), 3) if half else None,
        "engine_drift_90min_s": round(engine_drift_90, 4),
        # The clock's drift over 90 minutes plus the worst lag of the display behind it.
        "drift_90min_s": round(abs(engine_drift_90) + worst_lag, 3),
        "cpu_percent": round(run["cpu_percent"], 2),  # of one core
    }
    report["ok"] = abs(report["drift_90min_s"]) < 1 and report["cpu_percent"] < 2
    return report


def main(argv: list[str]) -> int:
    duration = float(argv[0]) if argv else 20.0
    print(json.dumps(measure(duration), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
