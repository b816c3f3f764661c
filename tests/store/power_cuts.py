"""Record a workload's file-system calls, then open every disk a power cut could leave and check it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from facilitator.store import Store, StoreError
from facilitator.store.storage import PLAIN, Storage
from tests.fault_figures import count
from tests.store.crash_states import Trace, fresh_folder, materialise, trace_misses
from tests.store.file_system import Call, FileSystemLayer, fsync_skipped_on_the_real_disk
from tests.store.ledger import Ledger, versions_in
from tests.store.workload import FOLD_JOURNAL_BYTES, Workload, file_json

DB_NAME = "db.json"


@contextmanager
def small_folds() -> Iterator[None]:
    """A fold every few writes, and no waiting on the real disk's fsyncs (power cuts are modelled here)."""
    with (
        mock.patch("facilitator.store.store.FOLD_JOURNAL_BYTES", FOLD_JOURNAL_BYTES),
        fsync_skipped_on_the_real_disk(),
    ):
        yield


@dataclass
class Recording:
    layer: FileSystemLayer
    ledger: Ledger
    db_name: str  # the database's path inside the recorded folder
    storage: Storage = PLAIN
    trace: Trace = field(init=False)

    def __post_init__(self) -> None:
        self.trace = Trace.of(self.layer.initial, self.layer.calls)

    def misses(self) -> list[str]:
        """What the layer did not see (the model of the trace differs from the real folder)."""
        return trace_misses(self.trace, self.layer.root)


def record(
    folder: Path,
    *,
    db_name: str = DB_NAME,
    skip_fsync: Callable[[Call], bool] | None = None,
    broken: bool = False,
    storage: Storage = PLAIN,
) -> Recording:
    """Run the workload on `folder / db_name` with every call in `folder` recorded.

    `broken`: the store was broken on purpose, so what the checks find is not added to the run's figures.
    """
    ledger = Ledger(counted=not broken)
    folder.mkdir(parents=True, exist_ok=True)
    layer = FileSystemLayer(folder, skip_fsync=skip_fsync)
    workload = Workload(folder / db_name, ledger, position=lambda: len(layer.calls), storage=storage)
    with small_folds(), layer:
        workload.run()
    return Recording(layer, ledger, db_name, storage)


def problems_after(db_path: Path, ledger: Ledger, point: int, storage: Storage = PLAIN) -> list[str]:
    """What is wrong with the database at `db_path`, a power cut after `point` calls."""
    if not db_path.exists():
        return ledger.problems({}, at=point)
    try:
        file_json(db_path, storage)
    except (ValueError, StoreError) as error:
        return [f"{db_path.name} is not whole JSON: {error}"]
    try:
        with Store.open(db_path, backup=False, storage=storage) as store:
            found = versions_in(store)
    except Exception as error:  # any failure to open is the finding
        return [f"it does not open: {type(error).__name__}: {error}"]
    return ledger.problems(found, at=point)


@dataclass
class PowerCutReport:
    states: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CrashState:
    point: int  # the power cut came after this many calls
    how: str
    contents: dict[str, bytes | None]


def distinct_states(recording: Recording) -> list[CrashState]:
    """Each disk a power cut may leave, once, at the latest point it can follow (most writes acknowledged)."""
    latest: dict[frozenset[tuple[str, bytes | None]], CrashState] = {}
    for point in range(len(recording.layer.calls) + 1):
        for how, disk in recording.trace.states(point):
            contents = disk.contents()
            latest[frozenset(contents.items())] = CrashState(point, how, contents)
    return list(latest.values())


def check_every_power_cut(recording: Recording, scratch: Path) -> PowerCutReport:
    """Open every disk a power cut may leave, as the app would after the cut."""
    calls = recording.layer.calls
    report = PowerCutReport()
    with fsync_skipped_on_the_real_disk():
        for state in distinct_states(recording):
            folder = fresh_folder(scratch, "power-cut")
            materialise(state.contents, folder)
            count("crash states")
            report.states += 1
            db_path = folder / recording.db_name
            if problems := problems_after(db_path, recording.ledger, state.point, recording.storage):
                after = f"after '{calls[state.point - 1]}'" if state.point else "before the first call"
                report.failures.append(
                    f"power cut {after} (call {state.point}), {state.how}: {'; '.join(problems)}"
                )
    return report
