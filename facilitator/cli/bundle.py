"""`facilitator export bundle` and `facilitator import bundle`: moving records between laptops.

Every refusal is one line on stderr, exit 1, with the database and the bundle file left as they were.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from facilitator.cli.paths import fail

PASSPHRASE_ENV = "FACILITATOR_PASSPHRASE"


def add_import_parser(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    """`facilitator import bundle FILE` (`export bundle` is one kind of `facilitator export`)."""
    importing = commands.add_parser(
        "import", help="merge a bundle from another laptop", description="Take in a file made elsewhere."
    )
    kinds = importing.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    taken = kinds.add_parser(
        "bundle",
        parents=[db_option],
        help="merge a bundle made by `facilitator export bundle`",
        description="Merge a bundle into your database: a summary first, then one durable write. Nothing "
        "anyone typed is lost: where both laptops changed a record, the other version goes to the conflict "
        "log.",
    )
    taken.add_argument("file", metavar="FILE", type=Path)
    taken.add_argument("--dry-run", action="store_true", help="only show what would change")
    taken.add_argument("--yes", "-y", action="store_true", help="import without asking (for scripts)")
    taken.add_argument(
        "--passphrase", action="store_true", help=f"ask for the passphrase (or set ${PASSPHRASE_ENV})"
    )


def is_bundle_command(args: argparse.Namespace) -> bool:
    return getattr(args, "kind", None) == "bundle" or getattr(args, "import_kind", None) == "bundle"


def run_bundle(args: argparse.Namespace, *, db_path: Path) -> int:
    from facilitator.store import StoreError
    from facilitator.sync.bundle import BundleError

    try:
        if getattr(args, "kind", None) == "bundle":
            if args.output == "-":
                raise BundleError("a bundle is written to a file: give --output FILE")
            args.output = Path(args.output)
            return export_bundle(args, db_path)
        return import_bundle(args, db_path)
    except (BundleError, StoreError, PassphraseError) as error:
        from facilitator.display import one_line

        return fail(one_line(str(error)))  # it may quote a file or group name: shown, never obeyed


class PassphraseError(Exception):
    """No passphrase to be had; the message is one line."""


def passphrase_to_seal() -> str:
    """From the environment, or asked twice at a terminal."""
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise PassphraseError(f"--passphrase asks at a terminal; without one, set {PASSPHRASE_ENV}")
    first = getpass.getpass("Passphrase for the bundle: ")
    if not first:
        raise PassphraseError("an empty passphrase protects nothing; nothing was written")
    if getpass.getpass("The same passphrase again: ") != first:
        raise PassphraseError("the two passphrases differ; nothing was written")
    return first


def passphrase_to_open(asked: bool, sealed: bool) -> str | None:
    given = os.environ.get(PASSPHRASE_ENV)
    if given or not sealed:
        return given
    if sys.stdin.isatty():
        return getpass.getpass("Passphrase of the bundle: ")
    return "" if asked else None


def export_bundle(args: argparse.Namespace, db_path: Path) -> int:
    from curricula.registry import Registry
    from facilitator.cli.app import open_store
    from facilitator.display import one_line
    from facilitator.store.files import packs_folder
    from facilitator.sync.exchange import find_group, make_bundle, write_bundle

    passphrase = passphrase_to_seal() if args.passphrase else None
    with open_store(db_path, read_only=True) as store:
        group = find_group(store, args.group) if args.group else None
        bundle = make_bundle(store, Registry.load(packs_folder(db_path)), group=group, now=datetime.now(UTC))
    size = write_bundle(args.output, bundle, passphrase=passphrase, force=args.force)
    what = f"group {one_line(group.name)}" if group is not None else "everything"
    sealed = ", encrypted" if passphrase else ""
    packs = len(bundle.packs)
    print(
        f"Wrote {one_line(str(args.output))} ({size:,} bytes{sealed}): {what}, {bundle.record_count:,} "
        f"records, {packs} pack{'s' if packs != 1 else ''}"
    )
    return 0


def import_bundle(args: argparse.Namespace, db_path: Path) -> int:
    from curricula.registry import Registry
    from facilitator.cli.app import open_store
    from facilitator.display import one_line
    from facilitator.store.files import packs_folder
    from facilitator.store.sealed import is_sealed
    from facilitator.sync.bundle import decode_bundle, read_bundle_bytes
    from facilitator.sync.exchange import apply_import, prepare_import, preview_import, summary_lines

    data = read_bundle_bytes(args.file)
    name = args.file.name or str(args.file)
    bundle = decode_bundle(data, name, passphrase=passphrase_to_open(args.passphrase, is_sealed(data)))
    packs_dir = packs_folder(db_path)
    if args.dry_run and not db_path.exists():
        # A new laptop: what the import would bring into the database it would create.
        preview = preview_import({}, "", Registry.load(packs_dir), bundle, now=datetime.now(UTC))
        for line in summary_lines(preview):
            print(one_line(line))
        print(f"Dry run: nothing was written (there is no database at {one_line(str(db_path))} yet).")
        return 0
    with open_store(db_path, read_only=args.dry_run) as store:
        preview = prepare_import(store, Registry.load(packs_dir), bundle, now=datetime.now(UTC))
        for line in summary_lines(preview):
            print(one_line(line))
        if args.dry_run:
            print("Dry run: nothing was written.")
            return 0
        if not preview.changes_anything:
            print("Nothing to import: this database already holds everything in the bundle.")
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                return fail("nothing was written: run again with --yes to import without being asked")
            if input("Import it? [y/N] ").strip().casefold() not in ("y", "yes"):
                print("Nothing was written.")
                return 1
        apply_import(store, preview, packs_dir)
    print(f"Imported {one_line(name)}.")
    return 0
