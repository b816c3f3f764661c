"""The engine stands alone: importing it loads no Textual, no store and no app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_importing_sessions_loads_no_textual() -> None:
    check = "import sessions, sys; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", check], cwd=PROJECT, check=True)


def test_importing_sessions_loads_nothing_from_the_app_or_the_store() -> None:
    check = (
        "import sessions, sys; "
        "loaded = {name.split('.')[0] for name in sys.modules}; "
        "assert not loaded & {'textual', 'tinydb', 'facilitator'}, loaded"
    )
    subprocess.run([sys.executable, "-c", check], cwd=PROJECT, check=True)
