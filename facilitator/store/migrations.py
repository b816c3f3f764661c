"""Schema migrations: each turns a whole file's tables (plain JSON values) from version n to n + 1.

The store backs the file up before running any of them, and refuses a file from a newer version untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from facilitator.store.stamps import stamp_for

Tables = dict[str, Any]


def add_stages_and_focus(tables: Tables) -> Tables:
    """Version 2: enrolments carry a stage of treatment and its history; goals say what they serve."""
    for enrollment in tables.get("enrollments", {}).values():
        enrollment.setdefault("stage", None)
        enrollment.setdefault("stage_set_on", None)
        enrollment.setdefault("stage_history", [])
    for goal in tables.get("goals", {}).values():
        goal.setdefault("serves", None)
    return tables


def stamp_every_record(tables: Tables) -> Tables:
    """Version 3: every record gets a hybrid-clock stamp from when it last changed, made by this database.

    The clock in `meta` starts at the latest of them, so every write from now on is stamped after them; the
    conflict log starts empty.
    """
    metas = list(tables.get("meta", {}).values())
    database_id = metas[0]["database_id"] if metas else ""
    latest = ""
    for name, docs in tables.items():
        if name == "meta":
            continue
        for doc in docs.values():
            if not doc.get("stamp"):
                doc["stamp"] = stamp_for(datetime.fromisoformat(doc["updated_at"]), database_id)
            doc.setdefault("run", "")
            doc.setdefault("seen", {})
            latest = max(latest, doc["stamp"])
    for meta in metas:
        meta["clock"] = max(meta.get("clock", ""), latest)
    tables.setdefault("conflicts", {})
    return tables


# from-version -> migration to from-version + 1
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {1: add_stages_and_focus, 2: stamp_every_record}


def migrate(tables: Tables, from_version: int, to_version: int) -> Tables:
    """Run every migration between the two versions, in order."""
    for version in range(from_version, to_version):
        tables = MIGRATIONS[version](tables)
    for meta in tables.get("meta", {}).values():
        meta["schema_version"] = to_version
    return tables
