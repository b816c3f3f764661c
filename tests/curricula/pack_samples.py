"""Small packs for the curricula tests, written out in full so line numbers can be read off the text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curricula.registry import ImportOutcome
from curricula.registry import import_pack as import_pack_writing_with
from facilitator.store.durable import atomic_write

# Line numbers matter: the loader tests quote them. Line 1 is `id = ...`.
VALID_PACK = """\
id = "evening-group"
title = "Evening coping group"
version = "1.0.0"
session_minutes = 60

[[template.agenda]]
title = "Check-in"
kind = "check-in"
minutes = 10

[[template.agenda]]
title = "Topic"
kind = "teaching"
minutes = 40
slot = true

[[template.agenda]]
title = "Closing"
kind = "closing"
minutes = 10

[[units]]
id = "coping"
title = "Everyday coping"

[[units.sessions]]
number = 1
title = "Noticing stress"

[[units.sessions.agenda]]
title = "Signs of stress"
kind = "teaching"
minutes = 25
techniques = ["educational"]

[[units.sessions.agenda]]
title = "Body scan"
kind = "practice"
minutes = 15

[[units.sessions]]
number = 2
title = "Slowing down"
"""


def edited(old: str, new: str, text: str = VALID_PACK) -> str:
    """`text` with one exact piece replaced, failing loudly if the piece is not there once."""
    assert text.count(old) == 1, f"{old!r} appears {text.count(old)} times"
    return text.replace(old, new)


def simple_pack(
    pack_id: str = "evening-group",
    version: str = "1.0.0",
    titles: tuple[str, ...] = ("Noticing stress", "Slowing down"),
    unit_id: str = "coping",
    comment: str = "",
) -> str:
    """A pack of one unit whose sessions have the given titles, numbered from 1."""
    sessions = "".join(
        f'\n[[units.sessions]]\nnumber = {number}\ntitle = "{title}"\n\n'
        f'[[units.sessions.agenda]]\ntitle = "Talk"\nminutes = 30\n'
        for number, title in enumerate(titles, start=1)
    )
    head = f"# {comment}\n" if comment else ""
    return (
        f'{head}id = "{pack_id}"\ntitle = "Pack {pack_id}"\nversion = "{version}"\n\n'
        f'[[units]]\nid = "{unit_id}"\ntitle = "Unit {unit_id}"\n{sessions}'
    )


def write(folder: Path, name: str, text: str | bytes) -> Path:
    """Write a pack file into `folder` (created if needed) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def import_pack(path: Path, user_dir: Path, **options: Any) -> ImportOutcome:
    """Import as the command and the Packs screen do: through the app's one durable writer."""
    return import_pack_writing_with(path, user_dir, write=atomic_write, **options)
