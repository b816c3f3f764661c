"""`facilitator pack list | show | check | import | schema | handouts`: packs from the command line.

Pack text and file names are printed with `one_line`, so nothing in a pack file can drive the terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from curricula.agenda import session_agenda, session_length
from curricula.loader import Problem, first_problems
from curricula.registry import PackEntry, Registry, import_pack, pack_json_schema


def add_pack_parser(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    pack = commands.add_parser(
        "pack",
        help="list, show, check and import curriculum packs",
        description="Curriculum packs: the bundled ones and those imported into the data folder.",
    )
    verbs = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    verbs.add_parser("list", parents=[db_option], help="every installed pack, broken ones too")
    show = verbs.add_parser("show", parents=[db_option], help="a pack's units, sessions and agendas")
    show.add_argument("pack", metavar="ID[@VERSION]", help="e.g. imr-style or imr-style@1.0.0")
    check = verbs.add_parser("check", help="check pack files; exit 1 with every problem listed")
    check.add_argument("files", metavar="FILE", nargs="+", type=Path)
    imported = verbs.add_parser("import", parents=[db_option], help="check a pack file and install it")
    imported.add_argument("file", metavar="FILE", type=Path)
    verbs.add_parser("schema", help="print the pack format as JSON Schema, for editors")
    handouts = verbs.add_parser(
        "handouts",
        parents=[db_option],
        help="write a pack's printable handout checklist, accessibility notes and blank sheets",
        description="Write a pack's handout checklist, session by session, with its accessibility notes and"
        " blank sheets, as a page to print (owner-only file).",
    )
    handouts.add_argument("pack", metavar="ID[@VERSION]", help="e.g. imr-style or imr-style@1.0.0")
    handouts.add_argument("--format", choices=("html", "pdf"), default="html", dest="output_format")
    handouts.add_argument(
        "--output",
        metavar="FILE",
        type=Path,
        help="where to write it (default: ID-VERSION-handouts.EXT here)",
    )


def run_pack(args: argparse.Namespace, *, db_path: Path) -> int:
    command = args.pack_command
    if command == "check":
        return check(args.files)
    if command == "schema":
        print(json.dumps(pack_json_schema(), indent=2))
        return 0
    from facilitator.store.files import packs_folder

    user_dir = packs_folder(db_path)
    if command == "import":
        return import_file(args.file, user_dir)
    registry = Registry.load(user_dir)
    if command == "list":
        return list_packs(registry)
    if command == "handouts":
        return write_handouts(registry, args.pack, args.output_format, args.output)
    return show(registry, args.pack)


def list_packs(registry: Registry) -> int:
    from facilitator.display import one_line

    rows = [("ID", "VERSION", "LANGUAGE", "TITLE", "SESSIONS", "ORIGIN", "STATUS")]
    for entry in registry.list():
        status = "ok" if entry.ok else f"broken ({len(entry.problems)} problems)"
        language = entry.pack.language if entry.pack is not None else "?"
        texts = (one_line(entry.id), one_line(entry.version), one_line(language), one_line(entry.title))
        rows.append((*texts, str(entry.session_count), entry.origin, status))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for problem in registry.problems:
        print(f"note: {one_line(str(problem))}", file=sys.stderr)
    return 0


def find(registry: Registry, wanted: str) -> PackEntry | None:
    pack_id, _, version = wanted.partition("@")
    return registry.get(pack_id, version) if version else registry.latest(pack_id)


def usable(registry: Registry, wanted: str) -> PackEntry | None:
    """The pack asked for, or None with one line saying which packs there are."""
    from facilitator.display import one_line

    entry = find(registry, wanted)
    if entry is None or entry.pack is None:
        known = ", ".join(sorted({one_line(e.id) for e in registry.list()}))
        print(f"facilitator: no usable pack {one_line(repr(wanted))}; installed: {known}", file=sys.stderr)
        return None
    return entry


def show(registry: Registry, wanted: str) -> int:
    from facilitator.display import one_line

    entry = usable(registry, wanted)
    if entry is None or entry.pack is None:
        return 1
    pack = entry.pack
    print(one_line(f"{pack.title} — {pack.id} {pack.version} ({entry.origin})"))
    if pack.audience:
        print(f"For: {one_line(pack.audience)}")
    size = f"; groups of {pack.group_size} or fewer" if pack.group_size is not None else ""
    print(
        f"{entry.session_count} sessions of {pack.session_minutes} minutes; "
        f"{pack.facilitators} facilitator{'' if pack.facilitators == 1 else 's'}{size}; "
        f"language {one_line(pack.language)}"
    )
    for unit_number, unit in enumerate(pack.units, start=1):
        print(f"\n{unit_number}. {one_line(unit.title)} [{one_line(unit.id)}]")
        for session in unit.sessions:
            title, minutes = one_line(session.title), session_length(pack, session)
            print(f"   {unit_number}.{session.number} {title} ({minutes} min)")
            for segment in session_agenda(pack, session):
                print(f"        {segment.minutes:>3} min  {one_line(segment.title)} ({segment.kind})")
    return 0


def print_problems(problems: Sequence[Problem], *, stopped: bool = False, file: TextIO | None = None) -> None:
    """The first problems, one a line (warnings marked), then how many more there are."""
    from facilitator.display import one_line

    shown, more = first_problems(problems, stopped=stopped)
    for problem in shown:
        label = "warning: " if problem.severity == "warning" else ""
        print(one_line(f"{label}{problem}"), file=file)
    if more:
        print(more, file=file)


def check(files: list[Path]) -> int:
    from curricula.loader import load_pack
    from facilitator.display import one_line

    broken = False
    for path in files:
        result = load_pack(path)
        name = one_line(path.name)
        print_problems(result.problems, stopped=result.stopped)
        if result.ok and result.pack is not None:
            sessions = sum(len(u.sessions) for u in result.pack.units)
            print(f"{name}: ok — {result.pack.id} {result.pack.version}, {sessions} sessions")
        else:
            broken = True
            errors = f"at least {len(result.errors):,}" if result.stopped else f"{len(result.errors):,}"
            print(f"{name}: {errors} error(s)")
    return 1 if broken else 0


def import_file(path: Path, user_dir: Path) -> int:
    from facilitator.display import one_line
    from facilitator.store.durable import atomic_write

    outcome = import_pack(path, user_dir, write=atomic_write)
    out = sys.stdout if outcome.ok else sys.stderr
    print_problems(outcome.problems, file=out)
    print(one_line(outcome.message), file=out)
    return 0 if outcome.ok else 1


def write_handouts(registry: Registry, wanted: str, output_format: str, output: Path | None) -> int:
    from facilitator.display import one_line
    from facilitator.reports.handouts import handouts_html, handouts_pdf
    from facilitator.store.durable import atomic_write

    entry = usable(registry, wanted)
    if entry is None or entry.pack is None:
        return 1
    pack = entry.pack
    target = output if output is not None else Path(f"{pack.id}-{pack.version}-handouts.{output_format}")
    if target.is_dir():
        print(f"facilitator: {one_line(str(target))} is a folder; name a file to write", file=sys.stderr)
        return 1
    data = handouts_pdf(pack) if output_format == "pdf" else handouts_html(pack).encode("utf-8")
    try:
        atomic_write(target, data)
    except OSError as error:
        reason = error.strerror or str(error)
        print(f"facilitator: could not write {one_line(str(target))}: {one_line(reason)}", file=sys.stderr)
        return 1
    sessions = "session" if entry.session_count == 1 else "sessions"
    print(
        f"Wrote the handout checklist for {one_line(pack.title)} ({pack.id} {pack.version},"
        f" {entry.session_count} {sessions}, {len(pack.sheets)} blank sheets) to {one_line(str(target))}"
    )
    return 0
