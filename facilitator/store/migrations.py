"""Schema migrations: each turns a whole file's tables (plain JSON values) from version n to n + 1.

The store backs the file up before running any of them, and refuses a file from a newer version untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


# from-version -> migration to from-version + 1
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {1: add_stages_and_focus}


def migrate(tables: Tables, from_version: int, to_version: int) -> Tables:
    """Run every migration between the two versions, in order."""
    for version in range(from_version, to_version):
        tables = MIGRATIONS[version](tables)
    for meta in tables.get("meta", {}).values():
        meta["schema_version"] = to_version
    return tables
