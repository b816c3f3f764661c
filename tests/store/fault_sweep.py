"""Run the workload once per fault: each errno at each call of each kind, and a torn write at each write
(alone, and with the cut-back of its partial line failing too).

After the fault the run looks at what a person would see: the one-line error, the file, what a reopen
right now would show (read-only, so the failed store can stay open), then it retries the failed step with
the disk well again, finishes the workload and checks the closed database once more.
"""

from __future__ import annotations

import errno as errnos
from dataclasses import dataclass, field
from pathlib import Path

from facilitator.store import Store, StoreError
from facilitator.store.storage import Storage
from tests.store.crash_states import fresh_folder
from tests.store.file_system import (
    FAULT_ERRNOS,
    FAULT_KINDS,
    Fault,
    FileSystemLayer,
    fsync_skipped_on_the_real_disk,
)
from tests.store.ledger import Ledger, versions_in, versions_in_file
from tests.store.power_cuts import DB_NAME, small_folds
from tests.store.workload import Workload, file_json

# What each run is checked for, by the name the tests use.
TOLD = "told in one line"
WHOLE = "the file stays whole JSON"
KEPT = "every acknowledged write is kept"
NOT_KEPT = "the failed write is not kept"
RETRIED = "the failed step works when tried again"
SAVED = "after the retry everything is saved"


@dataclass
class FaultRun:
    faults: list[Fault]
    fired: list[Fault] = field(default_factory=list)
    step: str = ""  # the step that raised ("" if none did)
    error: str = ""
    problems: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        raised = f" in '{self.step}' ({self.error})" if self.step else " (nothing raised)"
        return (
            " and ".join(map(str, self.faults))
            + f"{raised}: "
            + "; ".join(f"{name}: {what}" for name, what in self.problems.items())
        )


def every_fault(folder: Path, storage: Storage) -> list[list[Fault]]:
    """The faults of each run: each errno at each call the workload makes of each kind; a torn write at each
    write, alone and with the next ftruncate (the store cutting the partial line back) failing too."""
    layer = FileSystemLayer(folder)
    with small_folds(), layer:
        Workload(folder / DB_NAME, Ledger(counted=False), storage=storage).run()
    runs = []
    for kind in FAULT_KINDS:
        for index in range(layer.attempts[kind]):
            runs += [[Fault(kind, index, error)] for error in FAULT_ERRNOS]
    for index in range(layer.attempts["write"]):
        torn = Fault("write", index, errnos.ENOSPC, torn=True)
        runs += [[torn], [torn, Fault("ftruncate", 0, errnos.EIO)]]
    return runs


def run_with(faults: list[Fault], folder: Path, storage: Storage) -> FaultRun:
    db_path = folder / DB_NAME
    ledger = Ledger()
    workload = Workload(db_path, ledger, storage=storage)
    steps = workload.steps()
    run = FaultRun(faults)
    layer = FileSystemLayer(folder, faults=faults)
    with small_folds(), layer:
        failed = None
        for number, step in enumerate(steps):
            try:
                step.run()
            except Exception as error:  # what the store raised is the finding
                failed, run.step, run.error = number, step.name, f"{type(error).__name__}: {error}"
                check_the_error(run, error)
                break
        layer.without_faults()
        if failed is not None:
            check_right_after(run, db_path, ledger, storage)
            retry_from(run, workload, steps[failed:])
        if workload.store is not None:
            close_quietly(workload.store)
    run.fired = layer.fired
    check_saved(run, db_path, ledger, storage)
    return run


def check_the_error(run: FaultRun, error: Exception) -> None:
    if not isinstance(error, StoreError):
        run.problems[TOLD] = f"{type(error).__name__} escaped, not a StoreError"
    elif "\n" in str(error) or not str(error):
        run.problems[TOLD] = f"the message is not one line: {str(error)!r}"


def check_right_after(run: FaultRun, db_path: Path, ledger: Ledger, storage: Storage) -> None:
    """The file, and what a reopen at this moment would show."""
    if not db_path.exists():
        if ledger.acknowledged_by():
            run.problems[KEPT] = "the database is gone"
        return
    try:
        file_json(db_path, storage)
    except (ValueError, StoreError) as error:
        run.problems[WHOLE] = str(error)
    try:
        with Store.open(db_path, read_only=True, storage=storage) as store:
            found = versions_in(store)
    except StoreError as error:
        run.problems[KEPT] = f"a reopen fails: {error}"
        return
    if missing := ledger.problems(found):
        run.problems[KEPT] = "; ".join(missing)
    unsaved = [
        f"{person} v{version}"
        for person, version in unacknowledged(ledger)
        if found.get(person, -1) >= version
    ]
    if unsaved:
        run.problems[NOT_KEPT] = "a reopen shows " + ", ".join(unsaved)


def unacknowledged(ledger: Ledger) -> list[tuple[str, int]]:
    return [
        (person, version)
        for person, writes in ledger.attempted.items()
        for _, version in writes
        if version not in {acknowledged for _, acknowledged in ledger.acknowledged.get(person, [])}
    ]


def retry_from(run: FaultRun, workload: Workload, steps: list) -> None:
    """The failed step again, then the rest."""
    for step in steps:
        try:
            step.run()
        except Exception as error:  # a retry that fails is the finding
            run.problems[RETRIED] = f"'{step.name}' raised {type(error).__name__}: {error}"
            return


def close_quietly(store: Store) -> None:
    try:
        store.close()
    except Exception:  # already reported by the step that failed
        return


def check_saved(run: FaultRun, db_path: Path, ledger: Ledger, storage: Storage) -> None:
    """Everything acknowledged (the retried write too) is in the closed database."""
    try:
        found = versions_in_file(str(db_path), storage=storage)
    except StoreError as error:
        run.problems[SAVED] = f"the database does not open: {error}"
        return
    if missing := ledger.problems(found):
        run.problems[SAVED] = "; ".join(missing)


def sweep(scratch: Path, storage: Storage) -> list[FaultRun]:
    """Every fault, each in a fresh folder."""
    runs = every_fault(fresh_folder(scratch, "count"), storage)
    with fsync_skipped_on_the_real_disk():
        return [run_with(faults, fresh_folder(scratch, "fault"), storage) for faults in runs]
