"""Asking for a passphrase: typed at the terminal without echo, or `FACILITATOR_PASSPHRASE` for scripts.

The passphrase is never written anywhere and never shown; only the key derived from it stays in memory while
the database is open.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

PASSPHRASE_ENV = "FACILITATOR_PASSPHRASE"
SHORTEST = 8
TRIES = 3


class PassphraseProblem(Exception):
    """No passphrase could be had (no terminal to ask at), or a new one was refused; one line to show."""


def at_a_terminal() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def from_environment() -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None


def ask_passphrase(path: Path) -> str:
    """The passphrase of the encrypted database at `path`."""
    given = from_environment()
    if given is not None:
        return given
    if not at_a_terminal():
        raise PassphraseProblem(
            f"{path.name} is encrypted: run Facilitator at a terminal to type its passphrase, or set "
            f"{PASSPHRASE_ENV}"
        )
    return getpass.getpass(f"Passphrase for {path.name}: ")


def may_ask_again() -> bool:
    """Whether a refused passphrase can be typed again (at a terminal; a script's is what it is)."""
    return from_environment() is None and at_a_terminal()


def ask_new_passphrase(path: Path) -> str:
    """A new passphrase for `path`, typed twice the same (or taken from the environment)."""
    given = from_environment()
    if given is None:
        if not at_a_terminal():
            raise PassphraseProblem(
                f"a passphrase is needed to encrypt {path.name}: run this at a terminal, or set "
                f"{PASSPHRASE_ENV}"
            )
        print(
            "Choose a passphrase: a few unrelated words are easy to remember and hard to guess. "
            "Without it nobody, you included, can open the records again.",
            file=sys.stderr,
        )
        given = getpass.getpass("New passphrase: ")
        if len(given) >= SHORTEST and getpass.getpass("The same again: ") != given:
            raise PassphraseProblem("the two passphrases differ; nothing was changed")
    if len(given) < SHORTEST:
        raise PassphraseProblem(f"a passphrase needs at least {SHORTEST} characters; nothing was changed")
    return given


def wants_encryption(path: Path) -> bool:
    """At a terminal, a new database's one question: should it be encrypted? (No, unless told yes.)"""
    if not at_a_terminal():
        return False
    print(f"A new database will be created at {path}.", file=sys.stderr)
    answer = input("Encrypt it with a passphrase? [y/N] ")
    return answer.strip().lower() in {"y", "yes"}
