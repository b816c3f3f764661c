"""Opening the app on a database: one line for whatever stops it, warnings kept where they can be read."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator import __version__
from facilitator.cli.paths import fail

if TYPE_CHECKING:
    from facilitator.store import Store
    from facilitator.store.storage import Storage


def open_store(
    path: Path, *, read_only: bool = False, lazy: bool = False, storage: Storage | None = None
) -> Store:
    """Open the database, asking for its passphrase when it is encrypted (again, at a terminal, if refused).

    `storage` is the one a new database is created in, or the key of an encrypted one already derived.
    """
    from facilitator.cli.passphrase import TRIES, ask_passphrase, may_ask_again
    from facilitator.store import Store
    from facilitator.store.encryption import plain_copies
    from facilitator.store.errors import PassphraseRefused
    from facilitator.store.files import real_path
    from facilitator.store.storage import sealed_on_disk

    tries = 0
    while True:
        tries += 1
        known = storage is not None and storage.sealed
        passphrase = ask_passphrase(path) if sealed_on_disk(real_path(path)) and not known else None
        try:
            store = Store.open(
                path,
                read_only=read_only,
                app_version=__version__,
                lazy=lazy,
                passphrase=passphrase,
                storage=storage,
            )
        except PassphraseRefused:
            if tries >= TRIES or not may_ask_again():
                raise
            print(f"facilitator: that passphrase does not open {path.name}; try again", file=sys.stderr)
            storage = None
            continue
        if store.storage.sealed and (plain := plain_copies(store.path)):
            store.warnings.append(
                f"{len(plain)} copies beside {path.name} (backups, files kept aside) are not encrypted yet: "
                "run `facilitator encrypt` to finish encrypting them"
            )
        return store


def storage_for_a_new_database(path: Path, *, encrypted: bool) -> Storage | None:
    """The storage a new database is made in: encrypted when asked to be, or when chosen at a terminal."""
    from facilitator.cli.passphrase import ask_new_passphrase, wants_encryption
    from facilitator.store.errors import StoreError
    from facilitator.store.files import real_path
    from facilitator.store.sealed import SealingKey
    from facilitator.store.storage import SealedStorage, sealed_on_disk

    if real_path(path).exists():
        if encrypted and not sealed_on_disk(real_path(path)):
            raise StoreError(f"{path.name} is not encrypted: `facilitator encrypt` encrypts it")
        return None
    if encrypted or wants_encryption(path):
        return SealedStorage(SealingKey.new(ask_new_passphrase(path)))
    return None


def run_app(
    path: Path,
    *,
    read_only: bool,
    encrypted: bool = False,
    storage: Storage | None = None,
    opening_note: str = "",
) -> int:
    # Starting makes a few hundred thousand objects (modules, widgets, records) that live as long as the app;
    # the collector walking them again and again while they are made costs a tenth of a second. It is paused
    # until Home is up, when the app freezes what was made and starts it again (`FacilitatorApp.on_ready`).
    gc.disable()
    try:
        return open_and_run(
            path, read_only=read_only, encrypted=encrypted, storage=storage, opening_note=opening_note
        )
    finally:
        gc.enable()


def open_and_run(
    path: Path, *, read_only: bool, encrypted: bool, storage: Storage | None, opening_note: str
) -> int:
    from facilitator.cli.passphrase import PassphraseProblem
    from facilitator.store import StoreError

    try:
        if storage is None and not read_only:
            storage = storage_for_a_new_database(path, encrypted=encrypted)
        store = open_store(path, read_only=read_only, lazy=True, storage=storage)
    except (StoreError, PassphraseProblem) as error:
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
        return fail(f"{str(result).rstrip('.')}. {store.backup_hint()}")
    if closing:
        return fail(closing)
    return 0
