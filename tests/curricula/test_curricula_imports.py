"""The curricula package stands alone and costs nothing to import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def run(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT, check=True)


def test_importing_curricula_loads_nothing_heavy() -> None:
    run(
        "import curricula, sys; assert 'msgspec' not in sys.modules and 'curricula.loader' not in sys.modules"
    )


def test_the_loader_registry_and_swap_load_nothing_from_the_app() -> None:
    run(
        "import sys, curricula.loader, curricula.registry, curricula.swap; "
        "loaded = {name.split('.')[0] for name in sys.modules}; "
        "assert not loaded & {'textual', 'tinydb', 'facilitator'}, loaded"
    )


def test_public_names_are_reachable_from_the_package() -> None:
    import curricula

    for name in curricula.__all__:
        assert getattr(curricula, name) is not None
