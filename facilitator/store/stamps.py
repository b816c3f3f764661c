"""Hybrid-clock stamps: the order of the versions of a record across laptops whose wall clocks disagree.

A stamp is `WWWWWWWWWWWWW.CCCC.<database id>`: wall time in milliseconds, a counter for writes within one
millisecond (or while the wall clock is behind what this database has already seen), and the id of the
database that wrote it. Stamps compare as strings in the order of the clock: a laptop a day fast does not win
every conflict forever, because every database's clock moves past each stamp it is shown.

Each version also says what it was written over, so a merge can tell an edit made on top of another laptop's
version (it replaces it) from two edits made apart (one is kept in the conflict log). A database's unbroken
edits of one record form a *run*, named by the stamp that began it; `seen` maps each run the version was
written over to the latest stamp of that run it had. Runs are chains, so "the latest stamp of a run" stands
for every version of that run up to it, and whether one version was written over another is exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Protocol, TypeVar

import msgspec

from facilitator.store.records import Record

R = TypeVar("R", bound=Record)

WALL_DIGITS = 13
COUNTER_LIMIT = 10_000  # four digits; past it the clock steps to the next millisecond


class Version(Protocol):
    """What a stamped record carries (every `Record` does)."""

    @property
    def stamp(self) -> str: ...
    @property
    def run(self) -> str: ...
    @property
    def seen(self) -> dict[str, str]: ...


def format_stamp(wall_ms: int, counter: int, database_id: str) -> str:
    return f"{wall_ms:0{WALL_DIGITS}d}.{counter:04d}.{database_id}"


def parse_stamp(stamp: str) -> tuple[int, int, str]:
    """A stamp's wall milliseconds, counter and database id; ValueError if it is not a stamp."""
    wall, counter, database_id = stamp.split(".", 2)
    if len(wall) != WALL_DIGITS or len(counter) != 4 or not database_id:
        raise ValueError(f"not a stamp: {stamp!r}")
    return int(wall), int(counter), database_id


def wall_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def stamp_for(moment: datetime, database_id: str) -> str:
    """The stamp a record last changed at `moment` gets when it is first given one (the migration)."""
    return format_stamp(wall_ms(moment), 0, database_id)


def next_stamp(clock: str, now: datetime, database_id: str) -> str:
    """The stamp of a new write: after `clock` (every stamp this database has made or seen) and `now`."""
    now_ms = wall_ms(now)
    if not clock:
        return format_stamp(now_ms, 0, database_id)
    last_ms, counter, _ = parse_stamp(clock)
    if now_ms > last_ms:
        return format_stamp(now_ms, 0, database_id)
    counter += 1
    if counter >= COUNTER_LIMIT:
        return format_stamp(last_ms + 1, 0, database_id)
    return format_stamp(last_ms, counter, database_id)


def stamp_time(stamp: str) -> datetime:
    """When a stamp was made, by the clock of the database that made it."""
    return datetime.fromtimestamp(parse_stamp(stamp)[0] / 1000, UTC)


def stamp_database(stamp: str) -> str:
    return parse_stamp(stamp)[2]


# --- what a version was written over -----------------------------------------------------------------------


def run_of(version: Version) -> str:
    """The run a version belongs to (an empty `run` means the version began it)."""
    return version.run or version.stamp


def vector(version: Version) -> dict[str, str]:
    """Every run the version includes, with the latest stamp of each (its own included)."""
    return {**version.seen, run_of(version): version.stamp}


def written_over(later: Version, earlier: Version) -> bool:
    """Whether `later` was written on top of `earlier` (directly or through other versions)."""
    if later.stamp == earlier.stamp:
        return False
    return vector(later).get(run_of(earlier), "") >= earlier.stamp


def join(*vectors: Mapping[str, str]) -> dict[str, str]:
    """Everything any of the vectors includes."""
    joined: dict[str, str] = {}
    for each in vectors:
        for run, stamp in each.items():
            if stamp > joined.get(run, ""):
                joined[run] = stamp
    return dict(sorted(joined.items()))  # one order, so the same version is the same bytes everywhere


def next_version(
    previous: Version | None, database_id: str, also_seen: Mapping[str, str]
) -> tuple[str, dict[str, str]]:
    """The `run` and `seen` of a version this database writes over `previous` (None: a new record).

    An edit of this database's own last version carries its run on; an edit over a version from elsewhere
    begins a new run that has seen it. `also_seen` adds what else the writer looked at (picking a version from
    the conflict log has seen both).
    """
    if previous is None or not previous.stamp:
        return "", join(also_seen)
    if not also_seen and stamp_database(previous.stamp) == database_id:
        run = run_of(previous)
        return run, dict(previous.seen)
    return "", join(vector(previous), also_seen)


def stamped(record: R, previous: Record | None, stamp: str, database_id: str) -> R:
    """`record` as this database writes it over `previous` (what it holds under that id now, if anything).

    A copy whose `seen` differs from the version it replaces brings what it has seen along (a version picked
    from the conflict log has seen the one it replaces too).
    """
    also_seen = record.seen if previous is None or record.seen != previous.seen else {}
    run, seen = next_version(previous, database_id, also_seen)
    return msgspec.structs.replace(record, stamp=stamp, run=run, seen=seen)
