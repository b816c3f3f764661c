"""`facilitator encrypt` and `facilitator decrypt`: the database and every copy beside it, in one go.

Either may be stopped at any instant: the database is then the plain one or the encrypted one, whole, and
the same command run again finishes the copies.
"""

from __future__ import annotations

from pathlib import Path

from facilitator.cli.passphrase import ask_new_passphrase, ask_passphrase
from facilitator.cli.paths import fail
from facilitator.store.errors import StoreError
from facilitator.store.files import real_path
from facilitator.store.storage import sealed_on_disk


def _missing(path: Path) -> int | None:
    if not real_path(path).exists():
        return fail(f"there is no database at {path}")
    return None


def _left_alone(left: list[str]) -> None:
    if left:
        shown = ", ".join(left[:5]) + (f" and {len(left) - 5} more" if len(left) > 5 else "")
        print(f"Left as they were (another passphrase or damage, so they could not be opened): {shown}.")


def _copies(count: int) -> str:
    """ " and the 3 copies (backups, files kept aside) beside it", or nothing when there were none."""
    return f" and {_the_copies(count)}" if count else ""


def _the_copies(count: int) -> str:
    return f"the {count} cop{'y' if count == 1 else 'ies'} (backups, files kept aside) beside it"


def _now_too(count: int, what: str) -> str:
    return f"{_the_copies(count)} {'is' if count == 1 else 'are'} now {what} too"


def run_encrypt(path: Path) -> int:
    from facilitator.store.encryption import encrypt

    if (missing := _missing(path)) is not None:
        return missing
    already = sealed_on_disk(real_path(path))
    passphrase = ask_passphrase(path) if already else ask_new_passphrase(path)
    try:
        done = encrypt(path, passphrase)
    except StoreError as error:
        return fail(str(error))
    if done.file_changed:
        print(
            f"Encrypted {path.name}{_copies(done.copies)}. It opens only with the passphrase, here or on "
            "another laptop; without it nobody, you included, can read the records."
        )
    elif done.copies:
        print(f"{path.name} was already encrypted; {_now_too(done.copies, 'encrypted')}.")
    else:
        print(f"{path.name} is already encrypted, and so is every copy beside it; nothing was changed.")
    _left_alone(done.left)
    return 0


def run_decrypt(path: Path) -> int:
    from facilitator.store.encryption import anything_sealed, decrypt

    if (missing := _missing(path)) is not None:
        return missing
    if not anything_sealed(real_path(path)):
        return fail(f"{path.name} is not encrypted; nothing was changed")
    try:
        done = decrypt(path, ask_passphrase(path))
    except StoreError as error:
        return fail(str(error))
    if done.file_changed:
        print(f"Decrypted {path.name}{_copies(done.copies)}: plain JSON again.")
    else:
        print(f"{path.name} was already plain; {_now_too(done.copies, 'plain')}.")
    _left_alone(done.left)
    return 0
