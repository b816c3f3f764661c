"""The generated databases in `bench/data/` (ignored by git): made once, reused while the generator is
unchanged, and copied before anything writes to them."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from bench.generate import generate
from bench.peers import build_sqlite
from bench.sizes import SIZES

HERE = Path(__file__).parent
DATA = HERE / "data"


def fingerprint() -> str:
    """What the generated records depend on: the generator, the sizes and the record types."""
    source = (
        b"".join((HERE / name).read_bytes() for name in ("generate.py", "sizes.py"))
        + (HERE.parent / "facilitator/store/records.py").read_bytes()
    )
    return hashlib.sha256(source).hexdigest()


def _fresh(path: Path, stamp: Path, wanted: str) -> bool:
    return path.exists() and stamp.exists() and stamp.read_text() == wanted


def database(size: str) -> Path:
    """The JSON database of a size (the same records on every machine: the generator is seeded)."""
    path, stamp = DATA / f"{size}.json", DATA / f"{size}.generator"
    wanted = fingerprint()
    if not _fresh(path, stamp, wanted):
        print(f"generating {size} ...", file=sys.stderr, flush=True)
        DATA.mkdir(exist_ok=True)
        generate(SIZES[size], path)
        stamp.write_text(wanted)
    return path


def sqlite_database(size: str) -> Path:
    """The same records as `database(size)`, in SQLite."""
    db = database(size)
    path, stamp = DATA / f"{size}.sqlite", DATA / f"{size}.sqlite.generator"
    wanted = fingerprint()
    if not _fresh(path, stamp, wanted):
        print(f"copying {size} into SQLite ...", file=sys.stderr, flush=True)
        build_sqlite(db, path)
        stamp.write_text(wanted)
    return path


def scratch_copy(path: Path, name: str) -> Path:
    """A copy to write to, so the generated database stays as made."""
    copy = DATA / name
    for leftover in DATA.glob(name + "*"):
        leftover.unlink()
    copy.write_bytes(path.read_bytes())
    return copy
