"""What a screen may ask of the app that hosts it, as a typed Protocol (so no screen imports the app)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from facilitator.course.run import MeetingRun
    from facilitator.store import Store


class Host(Protocol):
    """The app as its screens see it: the store, the two clocks and the sessions under way."""

    store: Store
    clock: Callable[[], datetime]  # dates what is saved
    monotonic: Callable[[], float]  # session timers count from it
    live_runs: dict[str, MeetingRun]  # sessions under way in this process, by meeting id
    rest_loaded: bool  # every table of a lazily opened store is loaded


def host_of(app: object) -> Host:
    """The running app as its screens see it: every screen runs inside the Facilitator app, whose type the
    screens do not import (the app imports them)."""
    return cast(Host, app)
