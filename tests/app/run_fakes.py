"""Set-up for Run Session tests: a monotonic clock tied to the fake wall clock, and tonight's meeting."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime

from rich.console import Console
from textual.app import App

from curricula.format import Stage
from facilitator.app import FacilitatorApp, make_app
from facilitator.demo import seed_demo
from facilitator.store import Store
from facilitator.store.records import (
    Enrollment,
    Group,
    GroupKind,
    GroupStatus,
    Meeting,
    MeetingStatus,
    Participant,
    SessionRef,
)

MONOTONIC_START = 1000.0
TUESDAY_GROUP = "Tuesday Recovery Group"
WRAP_GROUP = "Thursday WRAP Workshop"


def fake_monotonic(clock, base: float = MONOTONIC_START) -> Callable[[], float]:
    """A monotonic clock that moves with `clock` (the conftest FakeClock), from `base` seconds."""
    start = clock.now

    def monotonic() -> float:
        return base + (clock.now - start).total_seconds()

    return monotonic


def next_meeting(store: Store, group_name: str = TUESDAY_GROUP) -> Meeting:
    """The group's first planned meeting (for the demo's Tuesday group: tonight's)."""
    group = next(g for g in store.groups() if g.name == group_name)
    return next(m for m in store.group_meetings(group.id) if m.status is MeetingStatus.PLANNED)


def demo_tonight(store: Store, clock) -> Meeting:
    """The demo (seed 7) and tonight's meeting of its running IMR group."""
    seed_demo(store, seed=7, now=clock())
    return next_meeting(store)


def run_app(store: Store, clock, monotonic: Callable[[], float] | None = None) -> FacilitatorApp:
    """The app with both clocks fake."""
    return make_app(store, clock=clock, monotonic=monotonic or fake_monotonic(clock))


def staged_group(store: Store, stages: list[Stage | None]) -> tuple[Meeting, list[Participant]]:
    """An open dual-recovery group whose people are at these stages, and its first meeting (no agenda set)."""
    group = Group(
        name="Wednesday Dual Recovery",
        pack_id="dual-recovery-style",
        pack_version="1.0.0",
        kind=GroupKind.OPEN,
        status=GroupStatus.RUNNING,
    )
    people = [Participant(display_name=f"Person {i + 1}") for i in range(len(stages))]
    enrolments = [
        Enrollment(participant_id=p.id, group_id=group.id, joined_on=date(2026, 1, 7), stage=stage)
        for p, stage in zip(people, stages, strict=True)
    ]
    meeting = Meeting(
        group_id=group.id,
        number=1,
        scheduled_start=datetime(2026, 3, 3, 18, 0, tzinfo=UTC),
        minutes=90,
        covers=SessionRef(unit_id="engagement", session_number=1, title="Welcome: one group for both"),
    )
    store.save_all([group, *people, *enrolments, meeting])
    return meeting, people


def screen_text(app: App) -> str:
    """What the terminal shows now, as plain text (every screen layer, as in a screenshot)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), color_system=None, record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()
