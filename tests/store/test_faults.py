"""A full disk, an I/O error, a read-only or forbidden file at any write, fsync, rename or open.

The person is told in one line (a StoreError), the file stays whole, every acknowledged write survives, the
failed write is not half-kept, and trying again once the disk is well saves it (see `fault_sweep.py`).
"""

from __future__ import annotations

import pytest

from tests.store.fault_sweep import KEPT, NOT_KEPT, RETRIED, SAVED, TOLD, WHOLE, FaultRun, sweep
from tests.store.file_system import folder_in_memory
from tests.store.workload import STORAGES


@pytest.fixture(scope="module", params=sorted(STORAGES))
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> list[FaultRun]:
    """The sweep on a plain database and on an encrypted one (each journal line and the file sealed)."""
    with folder_in_memory(tmp_path_factory.mktemp("faults")) as folder:
        return sweep(folder, STORAGES[request.param])


def failing(runs: list[FaultRun], check: str) -> str:
    bad = [run for run in runs if check in run.problems]
    return f"{len(bad)} of {len(runs)} faults: " + "\n".join(str(run) for run in bad[:12])


def test_every_kind_of_call_is_faulted(runs: list[FaultRun]) -> None:
    fired = {fault.kind for run in runs for fault in run.fired}
    assert {"open", "write", "fsync", "rename", "ftruncate"} <= fired
    assert all(run.faults[0] in run.fired for run in runs)


def test_a_fault_is_told_in_one_line(runs: list[FaultRun]) -> None:
    assert not any(TOLD in run.problems for run in runs), failing(runs, TOLD)


def test_a_fault_leaves_the_file_whole(runs: list[FaultRun]) -> None:
    assert not any(WHOLE in run.problems for run in runs), failing(runs, WHOLE)


def test_a_fault_loses_no_acknowledged_write(runs: list[FaultRun]) -> None:
    assert not any(KEPT in run.problems for run in runs), failing(runs, KEPT)


def test_a_failed_write_is_not_kept(runs: list[FaultRun]) -> None:
    assert not any(NOT_KEPT in run.problems for run in runs), failing(runs, NOT_KEPT)


def test_the_failed_step_works_when_tried_again(runs: list[FaultRun]) -> None:
    assert not any(RETRIED in run.problems for run in runs), failing(runs, RETRIED)


def test_after_the_retry_everything_is_saved(runs: list[FaultRun]) -> None:
    assert not any(SAVED in run.problems for run in runs), failing(runs, SAVED)
