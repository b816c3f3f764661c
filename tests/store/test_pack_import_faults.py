"""`pack import` is a writer too: a power cut or a disk fault leaves the pack whole or absent, never half.

Power cuts are enumerated from its traced calls (see `crash_states.py`); faults come from the same layer.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest

from curricula.registry import ImportOutcome, ImportStatus
from tests.curricula.pack_samples import VALID_PACK, import_pack
from tests.fault_figures import count, lost
from tests.store.crash_states import Trace, fresh_folder
from tests.store.file_system import FAULT_ERRNOS, FAULT_KINDS, Fault, FileSystemLayer, folder_in_memory

INSTALLED = "packs/evening-group@1.0.0.toml"


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    with folder_in_memory(tmp_path) as found:
        pack = found / "evening.toml"
        pack.write_text(VALID_PACK)
        yield found


def import_traced(
    folder: Path, faults: list[Fault] | None = None, *, packs_folder_exists: bool = False
) -> tuple[ImportOutcome, FileSystemLayer]:
    """Import the sample pack into a fresh data folder under `folder`, with its calls recorded."""
    data = fresh_folder(folder, "data")
    if packs_folder_exists:
        (data / "packs").mkdir(mode=0o700)
    layer = FileSystemLayer(data, faults=faults or [])
    with layer:
        # No bundled packs to read: only the user's folder matters here, and each run stays quick.
        outcome = import_pack(
            folder / "evening.toml", data / "packs", bundled_dir=fresh_folder(folder, "bundled")
        )
    return outcome, layer


@pytest.mark.parametrize(
    "packs_folder_exists",
    [
        pytest.param(True, id="into-the-packs-folder"),
        pytest.param(False, id="making-the-packs-folder"),
    ],
)
def test_a_power_cut_during_an_import_leaves_the_pack_whole_or_absent(
    folder: Path, packs_folder_exists: bool
) -> None:
    outcome, layer = import_traced(folder, packs_folder_exists=packs_folder_exists)
    assert outcome.status is ImportStatus.IMPORTED
    whole = VALID_PACK.encode()
    trace = Trace.of(layer.initial, layer.calls)
    seen: set[tuple[bool, bytes | None]] = set()
    problems = []
    for point in range(len(layer.calls) + 1):
        acknowledged = point == len(layer.calls)  # the import said so once every call was made
        for how, disk in trace.states(point):
            installed = disk.contents().get(INSTALLED)
            seen.add((acknowledged, installed))
            if installed not in (None, whole):
                problems.append(f"after call {point}, {how}: a partial pack")
            elif acknowledged and installed is None:
                problems.append(f"after call {point}, {how}: the imported pack is gone")
    count("crash states", len(seen))
    count("acknowledged writes")
    lost(int(any("is gone" in problem for problem in problems)))
    assert not problems, problems[:5]


def folder_fsync(layer: FileSystemLayer) -> Fault:
    """An I/O error at the import's fsync of the packs folder (the one after the rename into place)."""
    fsyncs = [call for call in layer.calls if call.kind == "fsync"]
    return Fault("fsync", next(n for n, call in enumerate(fsyncs) if call.folder), errno.EIO)


def test_a_fault_during_an_import_is_one_line_leaves_no_half_pack_and_a_retry_imports(folder: Path) -> None:
    _, clean = import_traced(folder)
    whole = VALID_PACK.encode()
    for kind in FAULT_KINDS:
        for fault in [Fault(kind, n, error) for n in range(clean.attempts[kind]) for error in FAULT_ERRNOS]:
            outcome, layer = import_traced(folder, [fault])
            installed = layer.root / INSTALLED
            assert fault in layer.fired
            if outcome.status is not ImportStatus.IMPORTED:
                assert outcome.status is ImportStatus.FAILED and "\n" not in outcome.message, (fault, outcome)
                assert not installed.exists() or installed.read_bytes() == whole, fault
            again = import_pack(folder / "evening.toml", layer.root / "packs", bundled_dir=folder / "bundled")
            assert again.ok, (fault, again.message)
            assert installed.read_bytes() == whole


def test_a_failed_fsync_of_the_packs_folder_is_not_reported_as_imported(folder: Path) -> None:
    _, clean = import_traced(folder)
    outcome, _ = import_traced(folder, [folder_fsync(clean)])
    assert outcome.status is not ImportStatus.IMPORTED, outcome.message
