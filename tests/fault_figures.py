"""The fault suite's figures, added up over a test run and printed at its end (see `tests/conftest.py`).

Counters are per process (pytest runs in one); a test that drives subprocesses counts what it saw of them.
Every test that kills, crashes, injects a fault or tries a bad input says how many here.
"""

from __future__ import annotations

import collections

FIGURES = (
    "kills",
    "crash states",
    "injected faults",
    "bad inputs tried",
    "acknowledged writes",
    "acknowledged writes lost",
)

_counts: collections.Counter[str] = collections.Counter()


def count(figure: str, n: int = 1) -> None:
    """Add `n` to one of the figures (a name from FIGURES)."""
    if figure not in FIGURES:
        raise KeyError(f"unknown figure {figure!r}; one of {FIGURES}")
    _counts[figure] += n


def lost(n: int) -> None:
    """Acknowledged writes found missing: counted, and the caller's assertion fails the test."""
    count("acknowledged writes lost", n)


def summary() -> list[str]:
    """The lines printed at the end of a run; empty when no fault test ran."""
    if not any(_counts.values()):
        return []
    return [f"{figure}: {_counts[figure]:,}" for figure in FIGURES]
