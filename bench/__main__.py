"""`python -m bench [--size S|M|L ...] [--only KEY ...]`: measure SPEC section 9's figures and print them
beside their targets.

Store rows are measured beside stock TinyDB `JSONStorage` on the same file (the `baseline` column) and SQLite
(WAL, `synchronous=FULL`) holding the same records, in the same run; each ratio says how our figure compares.
App rows run the real app headless in a process of their own. Results go to stdout and to
`bench/results.json` (a run with `--only` or `--size` updates its own rows there). Databases are generated
into `bench/data/` (ignored by git) and reused while the generator is unchanged. `--list` names the row
groups.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import app_rows, hub, store_rows
from bench.rows import Context, Row, format_table
from bench.sizes import SIZES

RESULTS = Path(__file__).parent / "results.json"


@dataclass(frozen=True)
class RowGroup:
    """Rows measured together, at the sizes named (in the order they run)."""

    key: str
    sizes: str
    measure: Callable[[Context], list[Row]]
    about: str


GROUPS: tuple[RowGroup, ...] = (
    RowGroup("startup", "SML", app_rows.startup_rows, "start to interactive Home, beside a bare Textual app"),
    RowGroup("open", "SML", store_rows.open_rows, "open and read everything: ours, TinyDB, SQLite"),
    RowGroup("mark", "SML", store_rows.mark_rows, "one durable attendance mark: ours, TinyDB, SQLite"),
    RowGroup("encrypted", "SML", store_rows.encrypted_mark_rows, "a durable mark, encrypted beside plain"),
    RowGroup("reports", "SML", store_rows.report_rows, "grid data, follow-ups and exports of the long group"),
    RowGroup("bundle", "SML", store_rows.bundle_rows, "bundle export and import of everything"),
    RowGroup("group-screen", "SML", app_rows.group_screen_rows, "open the Group screen, 200 x 25 grid"),
    RowGroup("participant-screen", "L", app_rows.participant_screen_rows, "open the Participant screen"),
    RowGroup("run-session-screen", "L", app_rows.run_session_screen_rows, "open the Run Session screen"),
    RowGroup("people-filter", "L", app_rows.filter_rows, "a key in the People list's / filter"),
    RowGroup("memory", "ML", app_rows.memory_rows, "peak memory of the app at Home, everything loaded"),
    RowGroup("stall", "L", app_rows.stall_rows, "longest event-loop stall while marking attendance"),
    RowGroup("hub", "M", hub.hub_rows, "the agency hub: first push, a sync after one meeting, 20 laptops"),
    RowGroup("drift", "M", app_rows.drift_rows, "the session timer's drift under load, CPU while it runs"),
)


def chosen(groups: tuple[RowGroup, ...], prefixes: list[str] | None) -> list[RowGroup]:
    """The groups whose key starts with one of the prefixes (all of them when none is given)."""
    if not prefixes:
        return list(groups)
    unknown = [p for p in prefixes if not any(g.key.startswith(p) for g in groups)]
    if unknown:
        raise ValueError(f"no row group starts with {', '.join(unknown)} (python -m bench --list names them)")
    return [g for g in groups if any(g.key.startswith(p) for p in prefixes)]


def plan(groups: list[RowGroup], sizes: list[str]) -> list[tuple[str, RowGroup]]:
    """What runs, size by size: each group at the sizes it is measured at."""
    return [(size, group) for size in sizes for group in groups if size in group.sizes]


def measure(size: str, group: RowGroup, context: Context) -> list[Row]:
    """A group's rows; one that fails is a row saying so (a probe broken by a change shows, not a trace)."""
    try:
        return group.measure(context)
    except Exception as error:
        note = f"{type(error).__name__}: {error}"
        return [Row(f"{group.key}: not measured", size, None, "", "-", False, note=note)]


def merged(old: list[dict[str, object]], new: list[Row]) -> list[dict[str, object]]:
    """Earlier results with the rows measured now put in their place (or added at the end)."""
    fresh = {(r.figure, r.size): asdict(r) for r in new}
    out = [fresh.pop((str(r.get("figure")), str(r.get("size"))), r) for r in old]
    return out + list(fresh.values())


def save(rows: list[Row], whole: bool) -> None:
    old: list[dict[str, object]] = []
    if not whole and RESULTS.exists():
        old = json.loads(RESULTS.read_text())
    RESULTS.write_text(json.dumps(merged(old, rows), indent=1) + "\n")


def compiled_like_an_install() -> None:
    """Byte-compile our packages first, as `pip install` does.

    The peers (Textual, TinyDB) are compiled in site-packages; an editable checkout run with
    PYTHONDONTWRITEBYTECODE would otherwise recompile ours at every start.
    """
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("facilitator", "sessions", "curricula"):
        compileall.compile_dir(root / package, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--size", action="append", choices=sorted(SIZES), help="S, M or L (repeatable; default all)"
    )
    parser.add_argument(
        "--only", action="append", metavar="KEY", help="only the row groups whose key starts so (repeatable)"
    )
    parser.add_argument("--list", action="store_true", help="name the row groups and stop")
    parser.add_argument(
        "--drift-seconds", type=float, default=60, help="how long to run the timer (0 skips it)"
    )
    args = parser.parse_args(argv)
    if args.list:
        for group in GROUPS:
            print(f"{group.key:<20} {group.sizes:<4} {group.about}")
        return 0
    try:
        groups = chosen(GROUPS, args.only)
    except ValueError as error:
        parser.error(str(error))
    compiled_like_an_install()
    sizes = args.size or ["S", "M", "L"]
    contexts = {size: Context(size, args.drift_seconds) for size in sizes}
    rows: list[Row] = []
    started = time.perf_counter()
    for size, group in plan(groups, sizes):
        print(f"{size} {group.key} ...", file=sys.stderr, flush=True)
        rows += measure(size, group, contexts[size])
    print(format_table(rows))
    print(f"\n{len(rows)} rows in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    save(rows, whole=not args.only and not args.size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
