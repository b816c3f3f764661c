"""One line of the bench's table, and the table: a figure beside its target and beside the peers measured in
the same run."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


@dataclass
class Row:
    """A measured figure. `baseline` is stock TinyDB for the store rows (a bare Textual app for start-up
    and memory, a plain copy for the encrypted mark: the note says which); `sqlite` is SQLite on the same
    records."""

    figure: str
    size: str
    result: float | None
    unit: str
    target: str
    met: bool | None
    baseline: float | None = None
    note: str = ""
    sqlite: float | None = None


@dataclass
class Context:
    """What a group of rows is measured on: one size's database (generated when first asked for)."""

    size: str
    drift_seconds: float = 0

    @cached_property
    def db(self) -> Path:
        from bench.databases import database

        return database(self.size)


def median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def python() -> str:
    return sys.executable


def at_most(
    figure: str,
    size: str,
    result: float | None,
    unit: str,
    limit: float,
    *,
    baseline: float | None = None,
    sqlite: float | None = None,
    note: str = "",
) -> Row:
    """A row whose target is a ceiling in its own unit; a figure that could not be measured has not met it."""
    met = result is not None and result <= limit
    return Row(figure, size, result, unit, f"<= {limit:g} {unit}", met, baseline, note, sqlite)


def ratio_text(ours: float | None, theirs: float | None) -> str:
    """How our figure compares with a peer's, for figures where less is better (time, memory)."""
    if not ours or not theirs:
        return ""
    if theirs >= ours:
        return f"{theirs / ours:.3g}x less"
    return f"{ours / theirs:.3g}x more"


def format_table(rows: list[Row]) -> str:
    lines = [
        f"{'figure':<46} {'size':<4} {'result':>10} {'target':>16} {'met':>4} "
        f"{'baseline':>9} {'ratio':>11} {'SQLite':>9} {'ratio':>11}  note"
    ]
    for row in rows:
        result = "-" if row.result is None else f"{row.result:.3g} {row.unit}"
        baseline = "" if row.baseline is None else f"{row.baseline:.3g}"
        sqlite = "" if row.sqlite is None else f"{row.sqlite:.3g}"
        met = {True: "yes", False: "NO", None: ""}[row.met]
        lines.append(
            f"{row.figure:<46} {row.size:<4} {result:>10} {row.target:>16} {met:>4} "
            f"{baseline:>9} {ratio_text(row.result, row.baseline):>11} "
            f"{sqlite:>9} {ratio_text(row.result, row.sqlite):>11}  {row.note}"
        )
    return "\n".join(lines)
