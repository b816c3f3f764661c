"""A power cut after any file-system call leaves every acknowledged write (the ALICE approach, OSDI 2014).

The workload's calls are recorded, every disk a power cut could leave is built from what was made durable
(see `crash_states.py`), and each is opened as the app would open it after the cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.file_system import folder_in_memory
from tests.store.power_cuts import check_every_power_cut, record
from tests.store.workload import STORAGES


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    with folder_in_memory(tmp_path) as found:
        yield found


@pytest.mark.parametrize("storage", sorted(STORAGES))
def test_every_power_cut_keeps_every_acknowledged_write(folder: Path, storage: str) -> None:
    recording = record(folder / "data", storage=STORAGES[storage])
    assert not recording.misses(), "the layer missed calls: " + "; ".join(recording.misses())
    kinds = recording.layer.counts()
    assert kinds["fsync"] and kinds["rename"] and kinds["write"], kinds
    report = check_every_power_cut(recording, folder / "scratch")
    assert report.states > 50
    assert not report.failures, f"{len(report.failures)} of {report.states} states:\n" + "\n".join(
        report.failures[:10]
    )


def test_a_power_cut_after_the_first_writes_in_a_new_folder_keeps_them(folder: Path) -> None:
    recording = record(folder / "home", db_name="new-folder/db.json")
    report = check_every_power_cut(recording, folder / "scratch")
    assert not report.failures, f"{len(report.failures)} of {report.states} states:\n" + "\n".join(
        report.failures[:10]
    )


REMOVED_FSYNCS = {
    "journal-append": lambda call: call.path.endswith(".journal") and not call.folder,
    "temporary-copy": lambda call: call.path.endswith(".tmp"),  # before it replaces the file
}


def found_a_loss(failures: list[str]) -> bool:
    return any("was acknowledged but" in failure or "not whole JSON" in failure for failure in failures)


@pytest.mark.parametrize("removed", REMOVED_FSYNCS)
def test_the_checker_finds_the_loss_when_an_fsync_is_removed(folder: Path, removed: str) -> None:
    recording = record(folder / "data", skip_fsync=REMOVED_FSYNCS[removed], broken=True)
    report = check_every_power_cut(recording, folder / "scratch")
    assert found_a_loss(report.failures), report.failures[:3]


def test_the_checker_finds_the_loss_when_the_new_journal_is_not_made_durable(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal's folder fsync (its name, once it is created) turned into nothing."""
    monkeypatch.setattr("facilitator.store.journal.fsync_dir", lambda folder: None)
    recording = record(folder / "data", broken=True)
    report = check_every_power_cut(recording, folder / "scratch")
    assert found_a_loss(report.failures), report.failures[:3]
