"""`facilitator export KIND`: reports, CSV, sign-in sheets, letters and certificates from the command line.

Everything the user typed is checked before the database is read, and the file is written only once it is
complete (atomically, owner-only); any problem is one line on stderr, exit status 1, and nothing written.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from facilitator.cli.paths import fail
from facilitator.reports.exports import FORMATS

ALL_FORMATS = sorted({f for formats in FORMATS.values() for f in formats})
KIND_HELP = "; ".join(f"{kind}: {', '.join(formats)}" for kind, formats in FORMATS.items())


def add_export_parser(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export",
        parents=[db_option],
        help="write a report, attendance or goals CSV, a sign-in sheet, a letter or a certificate",
        description=f"Write one export to a file (or to standard output with --output -). {KIND_HELP}.",
    )
    export.add_argument(
        "kind", choices=[*FORMATS, "bundle"], metavar="KIND", help=", ".join([*FORMATS, "bundle"])
    )
    export.add_argument(
        "--format",
        choices=ALL_FORMATS,
        help="the file's format (default: from the file name, else the first)",
    )
    export.add_argument(
        "--output", "-o", metavar="FILE", required=True, help="where to write it; - for stdout"
    )
    export.add_argument("--force", action="store_true", help="replace the file if it exists")
    export.add_argument(
        "--passphrase",
        action="store_true",
        help="bundle: encrypt it (asked twice, or taken from $FACILITATOR_PASSPHRASE)",
    )
    export.add_argument("--group", metavar="NAME", help="a group's name, the start of it, or its id")
    export.add_argument("--person", metavar="NAME", help="a person's name, the start of it, or their id")
    export.add_argument("--from", dest="start", metavar="DAY", help="from this day (2026-03-03, 3 Mar, ...)")
    export.add_argument("--to", dest="end", metavar="DAY", help="up to and including this day")
    export.add_argument("--meeting", type=int, metavar="N", help="sign-in: meeting N (default: the next)")
    export.add_argument(
        "--names",
        choices=["display", "initials"],
        default="display",
        help="sign-in: names as shown, or initials",
    )
    export.add_argument("--paper", choices=["a4", "letter"], default="a4", help="paper size for printing")
    export.add_argument(
        "--deidentify", action="store_true", help="no names, contacts or free text; pseudonyms; course weeks"
    )
    export.add_argument(
        "--suppress-under", type=int, default=0, metavar="N", help="show group counts below N as <N"
    )


def run_export(args: argparse.Namespace, *, db_path: Path) -> int:
    from facilitator.cli.app import open_store
    from facilitator.course.dates import DateError, parse_day
    from facilitator.display import one_line
    from facilitator.reports.document import Paper
    from facilitator.reports.documents.sign_in import NameStyle
    from facilitator.reports.exports import (
        ExportRefused,
        ExportRequest,
        check,
        export_bytes,
        format_for,
        save_export,
    )
    from facilitator.reports.lookup import LookupProblem, find_group, find_person
    from facilitator.reports.period import Period
    from facilitator.store import StoreError

    fmt = format_for(args.kind, args.format, args.output)
    target = None if args.output == "-" else Path(args.output).expanduser()
    draft = ExportRequest(
        kind=args.kind,
        format=fmt,
        group_id="?" if args.group else None,
        participant_id="?" if args.person else None,
        meeting_number=args.meeting,
        names=NameStyle(args.names),
        paper=Paper(args.paper),
        deidentify=args.deidentify,
        suppress_under=args.suppress_under,
    )
    try:
        check(draft)
        if target is not None and (target.exists() or target.is_symlink()) and not args.force:
            raise ExportRefused(f"{target} already exists; add --force to replace it")
    except ExportRefused as problem:
        return fail(one_line(str(problem)))
    try:
        store = open_store(db_path, read_only=True)
    except StoreError as error:
        return fail(one_line(str(error)))
    try:
        now = store.clock()
        today = now.astimezone().date()
        group = find_group(store, args.group) if args.group else None
        person = find_person(store, args.person) if args.person else None
        start = parse_day(args.start, now) if args.start else None
        end = parse_day(args.end, now) if args.end else None
        request = replace(
            draft,
            group_id=group.id if group else None,
            participant_id=person.id if person else None,
            period=Period(start, end),
        )
        check(request)
        pack = None
        if group is not None and args.kind == "report":
            from facilitator.course.packs import PackLibrary
            from facilitator.store.files import packs_folder

            pack = PackLibrary.of(packs_folder(db_path)).pinned(group)
        data = export_bytes(store, request, today, pack)
    except (LookupProblem, ExportRefused) as problem:
        return fail(one_line(str(problem)))
    except DateError as problem:
        return fail(one_line(f"not a day: {problem}"))
    finally:
        store.close()
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        save_export(target, data, force=args.force)
    except ExportRefused as problem:
        return fail(one_line(str(problem)))
    print(one_line(f"Wrote {target} ({len(data):,} bytes, owner-only)"))
    return 0
