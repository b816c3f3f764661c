"""`facilitator demo`: a database of invented people, written aside and moved into place whole."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator.cli.app import open_store, run_app
from facilitator.cli.paths import DB_NAME, fail

if TYPE_CHECKING:
    from facilitator.store.storage import Storage


def run_demo(args: argparse.Namespace) -> int:
    from facilitator.store import StoreError

    if args.db:
        path = Path(args.db).expanduser()
        if path.exists() or path.is_symlink():
            return fail(f"{path} already exists; the demo only writes a new file")
    else:
        path = Path(tempfile.mkdtemp(prefix="facilitator-demo-")) / DB_NAME
    storage = None
    if args.encrypted:
        from facilitator.cli.passphrase import ask_new_passphrase
        from facilitator.store.sealed import SealingKey
        from facilitator.store.storage import SealedStorage

        storage = SealedStorage(SealingKey.new(ask_new_passphrase(path)))
    try:
        build_demo(path, seed=args.seed, storage=storage)
    except StoreError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"could not write the demo database {path}: {error.strerror}")
    if args.no_ui:
        print(path)
        return 0
    print(f"Demo database: {path}", file=sys.stderr)
    status = run_app(path, read_only=False, storage=storage, opening_note=demo_note(path))
    print(f"The demo database is kept at {path}", file=sys.stderr)
    return status


def demo_note(path: Path) -> str:
    """What the demo says as it opens: where its file is, and what to do with it."""
    return (
        f"Demo database of invented people: {path} — open it again with `facilitator --db {path}`, "
        f"or show the room display in another terminal with `facilitator room --db {path}`."
    )


def build_demo(path: Path, *, seed: int, storage: Storage | None = None) -> None:
    """Write the demo database in a folder of its own beside `path`, then move it into place whole.

    A demo that is stopped half-way leaves no file at `path`, so running it again just works.
    """
    import shutil

    from facilitator.demo import seed_demo
    from facilitator.store.durable import ensure_private_dir, fsync_dir

    ensure_private_dir(path.parent)
    sweep_unfinished_demos(path)
    building = Path(tempfile.mkdtemp(prefix=f".{path.name}.demo-{os.getpid()}-", dir=path.parent))
    try:
        store = open_store(building / path.name, storage=storage)
        try:
            seed_demo(store, seed=seed)
        finally:
            store.close()
        # One rename: a kill leaves no file or the whole one (a hard link would leave two names a while).
        if path.exists() or path.is_symlink():
            raise FileExistsError(path)
        os.rename(building / path.name, path)
        fsync_dir(path.parent)
    except FileExistsError:
        from facilitator.store import StoreError

        raise StoreError(f"{path} already exists; the demo only writes a new file") from None
    finally:
        shutil.rmtree(building, ignore_errors=True)


def sweep_unfinished_demos(path: Path) -> None:
    """Remove the folders of demos that were stopped half-way (killed): their process is gone.

    Each folder is named after the process that builds it, so a demo still being built is left alone.
    """
    import shutil

    for folder in path.parent.glob(f".{path.name}.demo-*"):
        pid = folder.name.removeprefix(f".{path.name}.demo-").split("-", 1)[0]
        if folder.is_dir() and not folder.is_symlink() and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
