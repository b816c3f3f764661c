"""The layer between the records and the bytes on disk: kept plain, or sealed with a passphrase's key.

The store encodes records as it always has (TinyDB JSON for the file, one JSON body per journal line) and
hands those bytes to its storage on their way to the disk and back. A plain storage passes them through; a
sealed one seals the whole file (its header carries the salt and the key's cost, so the one file opens on
another laptop with the passphrase alone) and each journal line on its own, in memory, before any byte is
written. Backups are copies of the file, so they are sealed too; nothing in plain text reaches the disk.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from facilitator.store.errors import CorruptDatabase, NeedsPassphrase, NewerSchema, PassphraseRefused
from facilitator.store.sealed import (
    MARKER,
    NewerSeal,
    SealError,
    SealingKey,
    WrongPassphrase,
    is_sealed,
    key_for,
    read_header,
    seal_chunks,
    unseal_with,
)

# Bound into every sealed journal line, so a line can never pass for a piece of anything else.
_LINE_CONTEXT = b"facilitator journal line"


class Storage(Protocol):
    """How the store's bytes look on disk."""

    @property
    def sealed(self) -> bool: ...

    def seal_file(self, chunks: list[bytes]) -> list[bytes]:
        """What is written for a file whose plain bytes are `chunks`."""
        ...

    def open_file(self, name: str, data: bytes) -> bytes:
        """The plain bytes of a file read from disk; a StoreError with one line when they cannot be had."""
        ...

    def seal_line(self, body: bytes) -> bytes:
        """A journal line's body as written (no newline or space in it)."""
        ...

    def open_line(self, body: bytes) -> bytes | None:
        """A journal line's plain body, or None when it does not open (damage)."""
        ...


class PlainStorage:
    """Bytes as they are: the file stays TinyDB JSON, readable in any editor."""

    sealed = False

    def seal_file(self, chunks: list[bytes]) -> list[bytes]:
        return chunks

    def open_file(self, name: str, data: bytes) -> bytes:
        if is_sealed(data):
            raise NeedsPassphrase(f"{name} is encrypted; it opens with its passphrase")
        return data

    def seal_line(self, body: bytes) -> bytes:
        return body

    def open_line(self, body: bytes) -> bytes | None:
        return body


PLAIN = PlainStorage()


@dataclass(frozen=True)
class SealedStorage:
    """Every byte sealed with one key (AES-256-GCM, see `sealed.py`), derived once from the passphrase."""

    key: SealingKey
    sealed = True

    def seal_file(self, chunks: list[bytes]) -> list[bytes]:
        return seal_chunks(self.key, chunks)

    def open_file(self, name: str, data: bytes) -> bytes:
        if not is_sealed(data):
            raise CorruptDatabase(f"{name} is not encrypted, but its database is")
        with _told(name):
            return unseal_with(self.key, data)

    def seal_line(self, body: bytes) -> bytes:
        return base64.b64encode(self.key.seal_piece(body, _LINE_CONTEXT))

    def open_line(self, body: bytes) -> bytes | None:
        try:
            return self.key.open_piece(base64.b64decode(body, validate=True), _LINE_CONTEXT)
        except (SealError, binascii.Error, ValueError):
            return None

    def accepts(self, passphrase: str) -> bool:
        """Whether `passphrase` derives this very key (a full, slow derivation: not on the event loop)."""
        again = SealingKey.again(passphrase, self.key.salt, self.key.cost)
        return hmac.compare_digest(again.check, self.key.check)

    def opens(self, data: bytes) -> bool:
        """Whether a sealed file was sealed with this very key (a database's backups share its key)."""
        try:
            header, _, _ = read_header(data)
        except SealError:
            return False
        return hmac.compare_digest(self.key.check, str(header.get("check")))


@contextlib.contextmanager
def _told(name: str) -> Iterator[None]:
    """Turn a sealed file's problem into the store's one-line errors, naming the file."""
    try:
        yield
    except WrongPassphrase:
        raise PassphraseRefused(f"that passphrase does not open {name}; nothing was changed") from None
    except NewerSeal as error:
        raise NewerSchema(f"{name}: {error}; the file was not changed") from None
    except SealError as error:  # damaged, cut short, or not a sealed file after all
        raise CorruptDatabase(f"{name}: {error}") from None


def storage_for(
    name: str, data: bytes, *, passphrase: str | None = None, known: Storage | None = None
) -> Storage:
    """The storage that reads a file's bytes: plain for a plain file, else the key its header names.

    `known` is used again when it is that key (no second slow derivation); otherwise the key is derived from
    `passphrase` and the file's header. Raises NeedsPassphrase or PassphraseRefused, each one line.
    """
    if not is_sealed(data):
        return PLAIN
    if isinstance(known, SealedStorage) and known.opens(data):
        return known
    if passphrase is None:
        raise NeedsPassphrase(f"{name} is encrypted; it opens with its passphrase")
    with _told(name):
        return SealedStorage(key_for(data, passphrase))


def sealed_on_disk(path: Path) -> bool:
    """Whether the file at `path` is an encrypted one (False when there is none, or it cannot be read)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return os.read(fd, len(MARKER)) == MARKER
    except OSError:
        return False
    finally:
        os.close(fd)
