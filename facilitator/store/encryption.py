"""Encrypting a database that is plain, or decrypting one: the file, then every copy kept beside it.

The file goes first, in one atomic replace (see `Store.change_storage`): a kill at any instant leaves the
plain database or the encrypted one, never neither. The copies follow one by one, each replaced whole: the
backups, the copies `doctor --restore` kept aside and the journals kept aside for their damage. A kill half
way leaves some copies in the old form; running the same command again finishes them (the file already in
the new form is left as it is), so after `encrypt` no plain copy of anyone's records stays on the disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from facilitator.store.backups import backups_newest_first
from facilitator.store.durable import atomic_write
from facilitator.store.errors import StoreError, describe_os_error
from facilitator.store.journal import reseal_journal
from facilitator.store.records import utc_now
from facilitator.store.sealed import (
    DEFAULT_COST,
    KeyCost,
    SealError,
    SealingKey,
    is_sealed,
    key_for,
    seal_with,
    unseal_with,
)
from facilitator.store.storage import PLAIN, SealedStorage, Storage, sealed_on_disk
from facilitator.store.store import Clock, Store


@dataclass(frozen=True)
class Converted:
    """What a conversion did: whether the file itself changed, and how many copies beside it."""

    file_changed: bool
    copies: int
    left: list[str]  # copies that could not be opened (another key, damage): left as they were


def encrypt(
    path: Path | str, passphrase: str, *, cost: KeyCost = DEFAULT_COST, clock: Clock = utc_now
) -> Converted:
    """Seal the database at `path` with a key derived from `passphrase` (its copies with the same key)."""
    with Store.open(path, passphrase=passphrase, backup=False, clock=clock) as store:
        changed = not store.storage.sealed
        if changed:
            store.change_storage(SealedStorage(SealingKey.new(passphrase, cost)))
        sealed = store.storage
        assert isinstance(sealed, SealedStorage)
        return Converted(changed, *_convert_copies(store.path, PLAIN, sealed))


def decrypt(path: Path | str, passphrase: str, *, clock: Clock = utc_now) -> Converted:
    """Write the encrypted database at `path` (and its copies) plain again.

    On a plain database it finishes a `decrypt` that was stopped between the file and its copies.
    """
    with Store.open(path, passphrase=passphrase, backup=False, clock=clock) as store:
        sealed = store.storage
        if isinstance(sealed, SealedStorage):
            store.change_storage(PLAIN)
            return Converted(True, *_convert_copies(store.path, sealed, PLAIN))
        leftover = _sealed_copy_key(store.path, passphrase)
        if leftover is None:
            raise StoreError(f"{store.path.name} is not encrypted; nothing was changed")
        return Converted(False, *_convert_copies(store.path, leftover, PLAIN))


def _sealed_copy_key(db_path: Path, passphrase: str) -> SealedStorage | None:
    """The key of the copies a stopped `decrypt` left sealed, if the passphrase opens them."""
    for copy in _copies(db_path):
        data = copy.read_bytes()
        if is_sealed(data):
            try:
                return SealedStorage(key_for(data, passphrase))
            except SealError:
                continue
    return None


def anything_sealed(db_path: Path) -> bool:
    """Whether the database or any copy beside it is encrypted (else `decrypt` has nothing to do)."""
    return sealed_on_disk(db_path) or any(sealed_on_disk(copy) for copy in _copies(db_path))


def plain_copies(db_path: Path) -> list[Path]:
    """Copies of an encrypted database still plain: an `encrypt` stopped before it finished them."""
    return [copy for copy in _copies(db_path) if not sealed_on_disk(copy)]


def _copies(db_path: Path) -> list[Path]:
    """Every copy of this database's records beside it (the journals in use are folded before)."""
    folder = db_path.parent
    copies = [
        found
        for found in sorted(folder.glob(f"{db_path.name}.*"))
        if found.is_file() and ("broken-" in found.name or "damaged-" in found.name)
    ]
    return [*backups_newest_first(db_path), *copies]


def _convert_copies(db_path: Path, old: Storage, new: Storage) -> tuple[int, list[str]]:
    converted = 0
    left: list[str] = []
    for copy in _copies(db_path):
        try:
            data = copy.read_bytes()
            again = _again(copy, data, old, new)
            if again is not None and again != data:
                atomic_write(copy, again)
                converted += 1
        except SealError:
            left.append(copy.name)
        except OSError as error:
            raise StoreError(
                f"could not convert {copy.name}: {describe_os_error(error)}; run the same command again "
                "to finish (the database itself is done)"
            ) from None
    return converted, left


def _again(copy: Path, data: bytes, old: Storage, new: Storage) -> bytes | None:
    """A copy's bytes in the new form (None: already so)."""
    if ".journal" in copy.name:
        return reseal_journal(data, old, new)
    if isinstance(new, SealedStorage):
        return None if is_sealed(data) else seal_with(new.key, data)
    if not is_sealed(data):
        return None
    assert isinstance(old, SealedStorage)
    return unseal_with(old.key, data)
