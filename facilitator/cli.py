"""The `facilitator` command: parse the arguments, then open the app or run a subcommand.

User errors are one line on stderr and exit status 1; usage errors exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from facilitator import __version__

DB_ENV = "FACILITATOR_DB"
DB_NAME = "facilitator.json"


def default_db_path() -> Path:
    """Where the database lives unless told otherwise: the user data folder."""
    from platformdirs import user_data_path

    return user_data_path("facilitator", appauthor=False) / DB_NAME


def resolve_db(arg: str | None) -> Path:
    """`--db`, then `FACILITATOR_DB`, then the default."""
    if arg:
        return Path(arg).expanduser()
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    return default_db_path()


def fail(message: str) -> int:
    print(f"facilitator: {message}", file=sys.stderr)
    return 1


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

    doctor = commands.add_parser(
        "doctor",
        parents=[db_option()],
        help="check the database, its backups and every record",
        description="Check the database file, its journal, its backups and every record.",
    )
    doctor.add_argument(
        "--restore", action="store_true", help="put the newest good backup back (keeps the broken file)"
    )
    from facilitator.pack_commands import add_pack_parser

    add_pack_parser(commands, db_option())
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            return run_demo(args)
        if args.command == "doctor":
            from facilitator.doctor import run_doctor

            return run_doctor(resolve_db(args.db), restore=args.restore)
        if args.command == "pack":
            from facilitator.pack_commands import run_pack

            return run_pack(args, data_dir=resolve_db(args.db).parent)
        return run_app(resolve_db(args.db), read_only=args.read_only)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`facilitator pack show imr-style | head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def open_store(path: Path, *, read_only: bool = False, lazy: bool = False):
    from facilitator.store import Store

    return Store.open(path, read_only=read_only, app_version=__version__, lazy=lazy)


def run_app(path: Path, *, read_only: bool) -> int:
    from facilitator.store import StoreError

    try:
        store = open_store(path, read_only=read_only, lazy=True)
    except StoreError as error:
        return fail(str(error))
    from facilitator.app import make_app

    closing = ""
    try:
        result = make_app(store).run()
    finally:
        try:
            store.close()
        except StoreError as error:  # a fold on a full disk: the writes stay safe in the journal
            closing = str(error)
    # The app shows the store's warnings on its first screen; printed before it, the app's screen would hide
    # them, so they are printed once it has closed, to stay in the terminal.
    for warning in store.warnings:
        print(f"facilitator: {warning}", file=sys.stderr)
    if isinstance(result, StoreError):
        return fail(f"{result} {store.backup_hint()}")
    if closing:
        return fail(closing)
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from facilitator.store import StoreError

    if args.db:
        path = Path(args.db).expanduser()
        if path.exists() or path.is_symlink():
            return fail(f"{path} already exists; the demo only writes a new file")
    else:
        path = Path(tempfile.mkdtemp(prefix="facilitator-demo-")) / DB_NAME
    try:
        build_demo(path, seed=args.seed)
    except StoreError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"could not write the demo database {path}: {error.strerror}")
    if args.no_ui:
        print(path)
        return 0
    print(f"Demo database: {path}", file=sys.stderr)
    return run_app(path, read_only=False)


def build_demo(path: Path, *, seed: int) -> None:
    """Write the demo database in a folder of its own beside `path`, then move it into place whole.

    A demo that is stopped half-way leaves no file at `path`, so running it again just works.
    """
    import shutil

    from facilitator.demo import seed_demo
    from facilitator.store.durable import ensure_private_dir, fsync_dir

    ensure_private_dir(path.parent)
    building = Path(tempfile.mkdtemp(prefix=f".{path.name}.demo-", dir=path.parent))
    try:
        store = open_store(building / path.name)
        try:
            seed_demo(store, seed=seed)
        finally:
            store.close()
        # A link, not a rename: a file that appeared at `path` meanwhile is never replaced.
        try:
            os.link(building / path.name, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            if path.exists():
                raise FileExistsError(path) from None
            os.rename(building / path.name, path)
        fsync_dir(path.parent)
    except FileExistsError:
        from facilitator.store import StoreError

        raise StoreError(f"{path} already exists; the demo only writes a new file") from None
    finally:
        shutil.rmtree(building, ignore_errors=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
