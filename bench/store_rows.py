"""The store's rows: opening and reading everything, a durable mark (plain and encrypted), the reports and
exports on the long group, bundles. Opening and marking are measured beside stock TinyDB and SQLite on the
same records in the same run."""

from __future__ import annotations

import statistics
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bench.databases import DATA, scratch_copy, sqlite_database
from bench.peers import (
    Pairs,
    sqlite_mark_seconds,
    sqlite_open_seconds,
    tinydb_mark_seconds,
    tinydb_open_seconds,
)
from bench.rows import Context, Row, at_most, median_p95, timed

if TYPE_CHECKING:
    from facilitator.store import Store
    from facilitator.store.records import Group

# The encrypted rows' passphrase: the key's cost is the default one, as a facilitator's would be.
PASSPHRASE = "bench passphrase, not a secret"
MARKS = 200  # durable marks timed through the store and SQLite
TINYDB_MARKS = {"S": 20, "M": 5, "L": 3}  # TinyDB rewrites the whole file on each one
MARK_TARGETS = {"M": 16.0, "L": 50.0}  # ms, SPEC section 9


def open_seconds(db: Path) -> float:
    from facilitator.store import Store

    def read_all() -> None:
        Store.open(db, read_only=True).close()

    return min(timed(read_all) for _ in range(2))


def open_rows(context: Context) -> list[Row]:
    """Opening the database and reading every record: the store, TinyDB on the same file, SQLite."""
    ours = open_seconds(context.db)
    tiny = tinydb_open_seconds(context.db)
    sqlite = sqlite_open_seconds(sqlite_database(context.size))
    return [
        Row(
            "open and read everything",
            context.size,
            ours,
            "s",
            "-",
            None,
            baseline=tiny,
            sqlite=sqlite,
            note="SQLite: one JSON document a row, decoded into the same records",
        )
    ]


def mark_pairs(db: Path, count: int) -> Pairs:
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


def mark_seconds(db: Path, pairs: Pairs) -> list[float]:
    """Durable attendance marks through the store (journal append + fsync)."""
    from facilitator.store import Store
    from facilitator.store.records import AttendanceStatus

    store = Store.open(db, backup=False)
    samples = [timed(partial(store.mark_attendance, m, p, AttendanceStatus.PRESENT)) for m, p in pairs]
    store.close()
    return samples


def mark_rows(context: Context) -> list[Row]:
    """One durable mark, median and p95: the store, TinyDB (a few: each rewrites the file), SQLite."""
    size, db = context.size, context.db
    pairs = mark_pairs(db, MARKS)
    ours = [s * 1000 for s in mark_seconds(scratch_copy(db, f"{size}-marks.json"), pairs)]
    tiny = [
        s * 1000
        for s in tinydb_mark_seconds(scratch_copy(db, f"{size}-tiny.json"), pairs[: TINYDB_MARKS[size]])
    ]
    sqlite = [
        s * 1000
        for s in sqlite_mark_seconds(scratch_copy(sqlite_database(size), f"{size}-marks.sqlite"), pairs)
    ]
    median, p95 = median_p95(ours)
    sqlite_median, sqlite_p95 = median_p95(sqlite)
    limit = MARK_TARGETS.get(size)
    rows = []
    for which, ours_figure, tiny_figure, sqlite_figure in (
        ("median", median, statistics.median(tiny), sqlite_median),
        ("p95", p95, max(tiny), sqlite_p95),
    ):
        figure = f"one durable attendance mark ({which})"
        note = f"over {len(ours)} marks; TinyDB " + (
            f"over {len(tiny)}" if which == "median" else f"the slowest of its {len(tiny)}"
        )
        if limit is None:
            row = Row(figure, size, ours_figure, "ms", "-", None, tiny_figure, note, sqlite_figure)
        else:
            row = at_most(
                figure, size, ours_figure, "ms", limit, baseline=tiny_figure, sqlite=sqlite_figure, note=note
            )
        rows.append(row)
    return rows


def paired_mark_seconds(plain: Path, sealed: Path, count: int = MARKS) -> tuple[list[float], list[float]]:
    """The same marks on a plain and an encrypted copy, one after the other, so both meet the same disk."""
    from facilitator.store import Store
    from facilitator.store.records import AttendanceStatus

    pairs = mark_pairs(plain, count)
    stores = Store.open(plain, backup=False), Store.open(sealed, backup=False, passphrase=PASSPHRASE)
    samples: tuple[list[float], list[float]] = ([], [])
    for index, (meeting, person) in enumerate(pairs):
        turns = list(zip(stores, samples, strict=True))
        for store, kept in turns if index % 2 else reversed(turns):  # neither always goes first
            kept.append(timed(partial(store.mark_attendance, meeting, person, AttendanceStatus.PRESENT)))
    for store in stores:
        store.close()
    return samples


def encrypted_mark_rows(context: Context) -> list[Row]:
    """A durable mark on an encrypted copy beside the same mark on a plain one, taken in turns."""
    from facilitator.store.encryption import encrypt

    size = context.size
    sealed_copy = scratch_copy(context.db, f"{size}-sealed.json")
    encrypt(sealed_copy, PASSPHRASE)
    plain, sealed = paired_mark_seconds(scratch_copy(context.db, f"{size}-plain.json"), sealed_copy)
    plain_median = statistics.median(plain) * 1000
    sealed_median, sealed_p95 = median_p95([s * 1000 for s in sealed])
    return [
        Row(
            "one durable attendance mark, encrypted (median)",
            size,
            sealed_median,
            "ms",
            "<= 2x plain",
            sealed_median <= 2 * plain_median,
            baseline=plain_median,
            note=f"baseline: a plain copy, marked in turns; p95 {sealed_p95:.2f} ms over {len(sealed)} marks",
        )
    ]


# --- reports, exports and bundles -----


def report_rows(context: Context) -> list[Row]:
    from facilitator.reports.attendance import attendance_grid
    from facilitator.reports.follow_ups import follow_ups
    from facilitator.store import Store
    from facilitator.store.records import Group

    size = context.size
    rows: list[Row] = []
    with Store.open(context.db, read_only=True) as store:
        long_group = next(g for g in store.all(Group) if g.name == "Group 000")
        grid = min(timed(lambda: attendance_grid(store, long_group.id)) for _ in range(3))
        shape = attendance_grid(store, long_group.id)
        note = f"{len(shape.rows)} people x {len(shape.meetings)} meetings"
        rows.append(at_most("attendance grid data (200 x 25)", size, grid * 1000, "ms", 100, note=note))
        now = store.all(Group)[0].created_at.replace(year=2026)
        follow = min(timed(lambda: follow_ups(store, now)) for _ in range(3))
        rows.append(Row("follow-up list (in a worker)", size, follow * 1000, "ms", "-", None))
        rows += export_rows(store, long_group, size)
    return rows


def export_rows(store: Store, group: Group, size: str) -> list[Row]:
    """Exporting the long group's attendance as CSV and its report as Markdown and PDF (whole, in memory)."""
    from facilitator.reports.exports import ExportRequest, export_bytes

    rows = []
    for label, kind, fmt in (
        ("export attendance CSV (the longest group)", "attendance", "csv"),
        ("export the group report (Markdown)", "report", "md"),
        ("export the group report (PDF)", "report", "pdf"),
    ):
        request = ExportRequest(kind=kind, format=fmt, group_id=group.id)
        data = export_bytes(store, request, date(2026, 3, 3))
        took = min(timed(partial(export_bytes, store, request, date(2026, 3, 3))) for _ in range(2))
        rows.append(Row(label, size, took * 1000, "ms", "-", None, note=f"{len(data):,} bytes"))
    return rows


def bundle_rows(context: Context) -> list[Row]:
    from bench.bundles import bundle_seconds

    size = context.size
    exported, imported, size_bytes = bundle_seconds(context.db, DATA / f"{size}-bundle")
    note = f"{size_bytes / 1e6:.1f} MB bundle of everything"
    rows = [
        ("bundle export (everything)", exported, note),
        ("bundle import into an empty database", imported, "read, check, merge, one durable write, close"),
    ]
    if size == "M":
        return [at_most(figure, size, took, "s", 2, note=note) for figure, took, note in rows]
    return [Row(figure, size, took, "s", "-", None, note=note) for figure, took, note in rows]
