"""The `facilitator` command: parse the arguments, then open the app or run a subcommand.

User errors are one line on stderr and exit status 1; usage errors exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from facilitator import __version__
from facilitator.cli.passphrase import PASSPHRASE_ENV
from facilitator.cli.paths import DB_ENV, DB_NAME, fail, resolve_db


def db_option() -> argparse.ArgumentParser:
    """`--db` for a subcommand too, without overriding one given before it."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="the database file")
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facilitator",
        description="Run recovery-oriented groups: course packs, timed sessions, attendance and goals.",
    )
    parser.add_argument("--version", action="version", version=f"facilitator {__version__}")
    db_help = f"the database file (default: ${DB_ENV}, or {DB_NAME} in your user data folder)"
    parser.add_argument("--db", metavar="PATH", help=db_help)
    parser.add_argument("--read-only", action="store_true", help="open without changing anything")
    parser.add_argument(
        "--encrypted",
        action="store_true",
        help=f"create a new database encrypted with a passphrase (asked, or ${PASSPHRASE_ENV})",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="open the app on a fresh demo database of invented people",
        description="Create a demo database of invented people and groups and open the app on it.",
    )
    demo.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="where to write it (default: a temporary folder)",
    )
    demo.add_argument(
        "--no-ui", action="store_true", help="only create the database (for scripts and benchmarks)"
    )
    demo.add_argument("--seed", type=int, default=7, help="the demo's random seed (default 7)")
    demo.add_argument("--encrypted", action="store_true", help="encrypt the demo database with a passphrase")

    doctor = commands.add_parser(
        "doctor",
        parents=[db_option()],
        help="check the database, its backups and every record",
        description="Check the database file, its journal, its backups and every record.",
    )
    doctor.add_argument(
        "--restore", action="store_true", help="put the newest good backup back (keeps the broken file)"
    )
    commands.add_parser(
        "encrypt",
        parents=[db_option()],
        help="encrypt the database, its backups and copies with a passphrase",
        description=(
            "Encrypt the database with a new passphrase (typed twice, or $FACILITATOR_PASSPHRASE); its "
            "backups and the copies kept beside it are encrypted too. From then on it opens only with the "
            "passphrase, on this laptop or another."
        ),
    )
    commands.add_parser(
        "decrypt",
        parents=[db_option()],
        help="write the encrypted database (and its backups) plain again",
        description="Decrypt the database and its backups: plain JSON again, readable in any editor.",
    )
    from facilitator.cli.pack import add_pack_parser

    add_pack_parser(commands, db_option())
    from facilitator.cli.export import add_export_parser

    add_export_parser(commands, db_option())
    from facilitator.cli.bundle import add_import_parser

    add_import_parser(commands, db_option())
    from facilitator.cli.hub import add_hub_parser

    add_hub_parser(commands, db_option())
    from facilitator.cli.room import add_room_parser

    add_room_parser(commands, db_option())
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from facilitator.cli.passphrase import PassphraseProblem

    try:
        return run(args)
    except PassphraseProblem as problem:
        return fail(str(problem))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`facilitator pack show imr-style | head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def run(args: argparse.Namespace) -> int:
    """Dispatch to the subcommand (or the app); each imports only what it needs."""
    if args.command == "demo":
        from facilitator.cli.demo import run_demo

        return run_demo(args)
    if args.command == "doctor":
        from facilitator.cli.doctor import run_doctor

        return run_doctor(resolve_db(args.db), restore=args.restore)
    if args.command in ("export", "import"):
        # Bundles first, in their own module; the other kinds of export are the reports'.
        from facilitator.cli.bundle import is_bundle_command, run_bundle

        if is_bundle_command(args):
            return run_bundle(args, db_path=resolve_db(args.db))
    if args.command == "export":
        from facilitator.cli.export import run_export

        return run_export(args, db_path=resolve_db(args.db))
    if args.command == "pack":
        from facilitator.cli.pack import run_pack

        return run_pack(args, db_path=resolve_db(args.db))
    if args.command == "hub":
        from facilitator.cli.hub import run_hub

        return run_hub(args)
    if args.command == "sync":
        from facilitator.cli.hub import run_sync

        return run_sync(args, db_path=resolve_db(args.db))
    if args.command == "room":
        from facilitator.cli.room import run_room

        return run_room(resolve_db(args.db), meeting_id=args.meeting)
    if args.command in ("encrypt", "decrypt"):
        from facilitator.cli.encryption import run_decrypt, run_encrypt

        command = run_encrypt if args.command == "encrypt" else run_decrypt
        return command(resolve_db(args.db))
    from facilitator.cli.app import run_app

    return run_app(resolve_db(args.db), read_only=args.read_only, encrypted=args.encrypted)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
