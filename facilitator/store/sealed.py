"""Sealing bytes with a passphrase: a slow key from Argon2id, then AES-256-GCM.

A sealed blob describes itself: a marker line, a header line (JSON: the key's salt and cost and a short check
value of the key), then the nonce and the ciphertext. The header is authenticated with the ciphertext, so a
changed byte anywhere is caught. The check value tells a wrong passphrase apart from a damaged file, which
AES-GCM alone cannot: it is a keyed hash of the derived key, and trying a passphrase against it costs a full
Argon2id run.

`SealingKey` keeps a derived key for many small seals (a journal's lines) so the slow derivation runs once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass

# `cryptography` is imported where a key is used, so a plain database opens without loading it.

MARKER = b"facilitator-sealed\n"
FORMAT_VERSION = 1
NONCE_BYTES = 12
SALT_BYTES = 16
KEY_BYTES = 32


class SealError(Exception):
    """A sealed blob that cannot be opened; the message is one line for the facilitator."""


class NotSealed(SealError):
    """The bytes are not a sealed blob at all."""


class WrongPassphrase(SealError):
    """The passphrase does not derive this blob's key."""


class SealDamaged(SealError):
    """The key is right but the bytes were changed or cut."""


class NewerSeal(SealError):
    """Sealed by a newer Facilitator, in a format this one does not know."""


@dataclass(frozen=True, slots=True)
class KeyCost:
    """Argon2id's cost. The default is RFC 9106's second recommendation (3 passes over 64 MiB, 4 lanes)."""

    iterations: int = 3
    memory_kib: int = 64 * 1024
    lanes: int = 4


DEFAULT_COST = KeyCost()


def derive_key(passphrase: str, salt: bytes, cost: KeyCost = DEFAULT_COST) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    kdf = Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=cost.iterations,
        lanes=cost.lanes,
        memory_cost=cost.memory_kib,
    )
    return kdf.derive(passphrase.encode("utf-8"))


def key_check(key: bytes) -> str:
    """A short value that tells whether a key is the right one, without revealing it."""
    return hmac.new(key, b"facilitator key check", hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class SealingKey:
    """A derived key with what is needed to derive it again from the passphrase."""

    key: bytes
    salt: bytes
    cost: KeyCost

    @classmethod
    def new(cls, passphrase: str, cost: KeyCost = DEFAULT_COST) -> SealingKey:
        salt = os.urandom(SALT_BYTES)
        return cls(derive_key(passphrase, salt, cost), salt, cost)

    @classmethod
    def again(cls, passphrase: str, salt: bytes, cost: KeyCost) -> SealingKey:
        return cls(derive_key(passphrase, salt, cost), salt, cost)

    @property
    def check(self) -> str:
        return key_check(self.key)

    def seal_piece(self, data: bytes, context: bytes = b"") -> bytes:
        """A nonce and the ciphertext of `data`, bound to `context` (which is not stored)."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(self.key).encrypt(nonce, data, context)

    def open_piece(self, piece: bytes, context: bytes = b"") -> bytes:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(piece) < NONCE_BYTES + 16:
            raise SealDamaged("the encrypted data is cut short")
        try:
            return AESGCM(self.key).decrypt(piece[:NONCE_BYTES], piece[NONCE_BYTES:], context)
        except InvalidTag:
            raise SealDamaged("the encrypted data was changed or damaged") from None

    def header(self) -> dict[str, object]:
        return {
            "version": FORMAT_VERSION,
            "kdf": "argon2id",
            "salt": _b64(self.salt),
            "iterations": self.cost.iterations,
            "memory_kib": self.cost.memory_kib,
            "lanes": self.cost.lanes,
            "check": self.check,
        }


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(MARKER)


def seal(data: bytes, passphrase: str, cost: KeyCost = DEFAULT_COST) -> bytes:
    """Seal `data` under a fresh salt and nonce."""
    return seal_with(SealingKey.new(passphrase, cost), data)


def seal_with(key: SealingKey, data: bytes) -> bytes:
    prefix = _prefix(key)
    return prefix + key.seal_piece(data, prefix)


def seal_chunks(key: SealingKey, chunks: Iterable[bytes]) -> list[bytes]:
    """The same sealed blob as `seal_with(key, b"".join(chunks))`, made a chunk at a time.

    AES-GCM run as a stream gives the layout `AESGCM` reads back (ciphertext, then the 16-byte tag), so a
    whole database is sealed without a second copy of it in memory.
    """
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    prefix = _prefix(key)
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(key.key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(prefix)
    sealed = [prefix, nonce, *(encryptor.update(chunk) for chunk in chunks), encryptor.finalize()]
    return [*sealed, encryptor.tag]


def _prefix(key: SealingKey) -> bytes:
    return MARKER + json.dumps(key.header(), sort_keys=True).encode("ascii") + b"\n"


def read_header(blob: bytes) -> tuple[dict[str, object], bytes, bytes]:
    """The header, the authenticated prefix and the sealed piece; `SealError` when the blob is not one."""
    if not is_sealed(blob):
        raise NotSealed("this is not an encrypted Facilitator file")
    end = blob.find(b"\n", len(MARKER))
    if end < 0:
        raise SealDamaged("the encrypted file is cut short")
    try:
        header = json.loads(blob[len(MARKER) : end])
    except ValueError:
        raise SealDamaged("the encrypted file's header is damaged") from None
    if not isinstance(header, dict):
        raise SealDamaged("the encrypted file's header is damaged")
    version = header.get("version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise NewerSeal("this file was encrypted by a newer Facilitator; update Facilitator to open it")
    if version != FORMAT_VERSION or header.get("kdf") != "argon2id":
        raise SealDamaged("the encrypted file's header is damaged")
    return header, blob[: end + 1], blob[end + 1 :]


def key_for(blob: bytes, passphrase: str) -> SealingKey:
    """Derive the key of a sealed blob from its header, or say why not."""
    header, _, _ = read_header(blob)
    try:
        salt = base64.b64decode(str(header["salt"]), validate=True)
        cost = KeyCost(
            int(str(header["iterations"])), int(str(header["memory_kib"])), int(str(header["lanes"]))
        )
        check = str(header["check"])
        if not _affordable(cost):
            raise SealDamaged("the encrypted file's header is damaged")
        key = SealingKey.again(passphrase, salt, cost)
    except (KeyError, ValueError):
        raise SealDamaged("the encrypted file's header is damaged") from None
    if not hmac.compare_digest(key.check, check):
        raise WrongPassphrase("that passphrase does not open this file")
    return key


def unseal(blob: bytes, passphrase: str) -> bytes:
    return unseal_with(key_for(blob, passphrase), blob)


def unseal_with(key: SealingKey, blob: bytes) -> bytes:
    header, prefix, piece = read_header(blob)
    if not hmac.compare_digest(key.check, str(header.get("check"))):
        raise WrongPassphrase("that passphrase does not open this file")
    return key.open_piece(piece, prefix)


def _affordable(cost: KeyCost) -> bool:
    """A header from a hostile file must not make us spend gigabytes or minutes deriving a key."""
    return 1 <= cost.iterations <= 64 and 8 <= cost.memory_kib <= 4 * 1024 * 1024 and 1 <= cost.lanes <= 64


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
