"""Fixtures shared by every test: a fixed clock, a private data folder, a fresh store."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from facilitator.store import Store
from sessions.clock import ManualClock

FIXED_NOW = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)


class FakeClock(ManualClock):
    """The tests' wall clock: the one manual clock, called for the time, which a test may also set outright
    (`clock.now = ...`, as when someone sets the laptop's clock back)."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        super().__init__(now)

    def __call__(self) -> datetime:
        return self.wall()

    @property
    def now(self) -> datetime:
        return self.wall()

    @now.setter
    def now(self, moment: datetime) -> None:
        self._wall = moment

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        step = seconds + timedelta(**delta).total_seconds()
        if step >= 0:
            super().advance(step)
        else:  # the laptop's clock set back: the wall clock goes back, monotonic time never does
            self.now += timedelta(seconds=step)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FACILITATOR_DB", raising=False)
    monkeypatch.setenv("TZ", "Europe/London")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "facilitator.json"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[Store]:
    opened = Store.open(db_path, clock=clock)
    yield opened
    opened.close()


def facilitator_command() -> str:
    """The installed `facilitator` script of the environment running the tests."""
    script = Path(sys.executable).parent / "facilitator"
    return str(script) if script.exists() else "facilitator"


def run_facilitator(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run the installed command as a user would, with no terminal and no stdin."""
    return subprocess.run(
        [facilitator_command(), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def cli():
    """Run the installed `facilitator` command."""
    return run_facilitator


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Print the fault suite's figures (kills, crash states, injected faults, lost writes, bad inputs)."""
    from tests.fault_figures import summary

    lines = summary()
    if lines:
        terminalreporter.section("faults: what was tried and what was lost")
        for line in lines:
            terminalreporter.write_line(line)
