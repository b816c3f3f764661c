"""`facilitator pack list | show | check | import | schema`: curriculum packs from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from curricula.agenda import session_agenda, session_length
from curricula.registry import PackEntry, Registry, import_pack, pack_json_schema


def user_packs_dir(data_dir: Path) -> Path:
    """Imported packs live in `packs/` beside the database."""
    return data_dir / "packs"


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


def run_pack(args: argparse.Namespace, *, data_dir: Path) -> int:
    command = args.pack_command
    if command == "check":
        return check(args.files)
    if command == "schema":
        print(json.dumps(pack_json_schema(), indent=2))
        return 0
    user_dir = user_packs_dir(data_dir)
    if command == "import":
        return import_file(args.file, user_dir)
    registry = Registry.load(user_dir)
    if command == "list":
        return list_packs(registry)
    return show(registry, args.pack)


def list_packs(registry: Registry) -> int:
    rows = [("ID", "VERSION", "TITLE", "SESSIONS", "ORIGIN", "STATUS")]
    for entry in registry.list():
        status = "ok" if entry.ok else f"broken ({len(entry.problems)} problems)"
        rows.append((entry.id, entry.version, entry.title, str(entry.session_count), entry.origin, status))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for problem in registry.problems:
        print(f"note: {problem}", file=sys.stderr)
    return 0


def find(registry: Registry, wanted: str) -> PackEntry | None:
    pack_id, _, version = wanted.partition("@")
    return registry.get(pack_id, version) if version else registry.latest(pack_id)


def show(registry: Registry, wanted: str) -> int:
    entry = find(registry, wanted)
    if entry is None or entry.pack is None:
        known = ", ".join(sorted({e.id for e in registry.list()}))
        print(f"facilitator: no usable pack {wanted!r}; installed: {known}", file=sys.stderr)
        return 1
    pack = entry.pack
    print(f"{pack.title} — {pack.id} {pack.version} ({entry.origin})")
    if pack.audience:
        print(f"For: {pack.audience}")
    print(
        f"{entry.session_count} sessions of {pack.session_minutes} minutes; "
        f"{pack.facilitators} facilitator(s)"
    )
    for unit_number, unit in enumerate(pack.units, start=1):
        print(f"\n{unit_number}. {unit.title} [{unit.id}]")
        for session in unit.sessions:
            print(f"   {unit_number}.{session.number} {session.title} ({session_length(pack, session)} min)")
            for segment in session_agenda(pack, session):
                print(f"        {segment.minutes:>3} min  {segment.title} ({segment.kind})")
    return 0


def check(files: list[Path]) -> int:
    from curricula.loader import load_pack

    broken = False
    for path in files:
        result = load_pack(path)
        for problem in result.problems:
            label = "warning: " if problem.severity == "warning" else ""
            print(f"{label}{problem}")
        if result.ok and result.pack is not None:
            sessions = sum(len(u.sessions) for u in result.pack.units)
            print(f"{path.name}: ok — {result.pack.id} {result.pack.version}, {sessions} sessions")
        else:
            broken = True
            print(f"{path.name}: {len(result.errors)} error(s)")
    return 1 if broken else 0


def import_file(path: Path, user_dir: Path) -> int:
    outcome = import_pack(path, user_dir)
    for problem in outcome.problems:
        print(str(problem), file=sys.stderr if not outcome.ok else sys.stdout)
    print(outcome.message, file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1
