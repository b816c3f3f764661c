"""Where the database is: `--db`, then `FACILITATOR_DB`, then the user data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
    """Say what went wrong in one line on stderr; the command's exit status for it."""
    print(f"facilitator: {message}", file=sys.stderr)
    return 1
