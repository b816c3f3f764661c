"""Opening the app on a database: one line for whatever stops it, warnings kept where they can be read."""

from __future__ import annotations

import sys
from pathlib import Path

from facilitator import __version__
from facilitator.cli.paths import fail


def open_store(path: Path, *, read_only: bool = False, lazy: bool = False):
    from facilitator.store import Store

    return Store.open(path, read_only=read_only, app_version=__version__, lazy=lazy)


def run_app(path: Path, *, read_only: bool, opening_note: str = "") -> int:
    from facilitator.store import StoreError

    try:
        store = open_store(path, read_only=read_only, lazy=True)
    except StoreError as error:
        return fail(str(error))
    from facilitator.app import make_app

    closing = ""
    try:
        result = make_app(store, opening_note=opening_note).run()
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
