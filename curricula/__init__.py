"""Curriculum packs: the format, the loader with located problems, the registry, swap plans and bundled packs.

Importing the package loads nothing (not even msgspec); the names below are imported on first use (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from curricula.format import Pack
    from curricula.loader import LoadResult, Problem, load_pack, load_pack_text
    from curricula.registry import ImportOutcome, PackEntry, Registry, import_pack, pack_json_schema
    from curricula.swap import MeetingSlot, SwapPlan, plan_swap

_LAZY = {
    "Pack": "curricula.format",
    "LoadResult": "curricula.loader",
    "Problem": "curricula.loader",
    "load_pack": "curricula.loader",
    "load_pack_text": "curricula.loader",
    "ImportOutcome": "curricula.registry",
    "PackEntry": "curricula.registry",
    "Registry": "curricula.registry",
    "import_pack": "curricula.registry",
    "pack_json_schema": "curricula.registry",
    "MeetingSlot": "curricula.swap",
    "SwapPlan": "curricula.swap",
    "plan_swap": "curricula.swap",
}

__all__ = [
    "ImportOutcome",
    "LoadResult",
    "MeetingSlot",
    "Pack",
    "PackEntry",
    "Problem",
    "Registry",
    "SwapPlan",
    "import_pack",
    "load_pack",
    "load_pack_text",
    "pack_json_schema",
    "plan_swap",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'curricula' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
