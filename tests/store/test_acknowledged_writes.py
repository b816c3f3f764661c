"""Writes acknowledged before something other than a kill goes wrong: a damaged table, a failed append, a
failed fold, a damaged journal line, a fold racing a reader. Each is a way writes were lost at 01c5e6a."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

import facilitator.store.journal as journal_module
import facilitator.store.store as store_module
from facilitator.store import CorruptDatabase, Store, StoreError
from facilitator.store.journal import encode_batch
from facilitator.store.records import AttendanceMark, AttendanceStatus, Participant
from facilitator.store.storage import Storage
from tests.fault_figures import count, lost


def crash_image(db_path: Path, where: Path) -> Path:
    """The disk as a kill at this instant would leave it (every acknowledged write was fsynced already)."""
    shutil.copytree(db_path.parent, where)
    return where / db_path.name


def people_in(path: Path) -> set[str]:
    with Store.open(path, backup=False) as store:
        return {p.display_name for p in store.all(Participant)}


def expect_all(path: Path, acknowledged: list[str]) -> None:
    present = people_in(path)
    missing = [name for name in acknowledged if name not in present]
    count("acknowledged writes", len(acknowledged))
    lost(len(missing))
    assert not missing, f"{len(missing)} acknowledged writes lost: {missing}"


def no_room(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- 1. a damaged lazily loaded table --------------------------------------------------------------------


def test_a_damaged_marks_table_is_never_folded_away_and_no_smaller_backup_is_called_good(
    db_path: Path, clock
) -> None:
    with Store.open(db_path, clock=clock, app_version="0.0.9") as store:
        for n in range(30):
            store.mark_attendance(f"meeting-{n}", "someone", AttendanceStatus.PRESENT)
    # A backup from before any mark was made, as an older, emptier copy would be.
    clock.advance(days=1)
    data = db_path.read_bytes()
    db_path.write_bytes(data.replace(b'"status":"present"', b'"status":"came-by-bus"', 1))
    before = digest(db_path)

    clock.advance(minutes=1)
    store = Store.open(db_path, clock=clock, app_version="9.9.9", lazy=True)  # a newer app: a write is due
    with pytest.raises(CorruptDatabase, match="table marks"):
        store.load_rest()
    store.close()
    count("bad inputs tried")
    assert digest(db_path) == before, "the damaged file was rewritten"
    marks = json.loads(db_path.read_bytes())["marks"]
    assert len(marks) == 30
    # Every backup taken so far holds fewer marks than the file: none may be called good.
    assert "Newest good backup" not in store.backup_hint()
    assert "The file was not changed." in store.backup_hint()


def test_a_write_to_a_damaged_table_changes_nothing(db_path: Path, clock) -> None:
    with Store.open(db_path, clock=clock) as store:
        store.mark_attendance("m", "p", AttendanceStatus.PRESENT)
    db_path.write_bytes(db_path.read_bytes().replace(b'"status":"present"', b'"status":"?"', 1))
    before = digest(db_path)
    store = Store.open(db_path, clock=clock, lazy=True)
    with pytest.raises(CorruptDatabase):
        store.mark_attendance("m2", "p", AttendanceStatus.ABSENT)
    with pytest.raises(CorruptDatabase):
        store.add(Participant(display_name="After the damage"))
    store.close()
    assert digest(db_path) == before


# --- 2. an append that fails half-way --------------------------------------------------------------------


def half_then_fail(real_write, failures: list[int]):
    """An os.write that writes half its bytes, then fails as a full disk does (`failures[0]` times)."""

    def write(fd: int, data) -> int:
        if failures[0] > 0:
            failures[0] -= 1
            real_write(fd, bytes(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    return write


def test_an_append_that_fails_half_way_is_cut_back_and_later_writes_survive(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db_path, backup=False)
    acknowledged = []
    failures = [1]
    monkeypatch.setattr(journal_module.os, "write", half_then_fail(os.write, failures))
    for n in range(6):
        try:
            store.add(Participant(display_name=f"P{n}"))
            acknowledged.append(f"P{n}")
        except StoreError as error:
            assert "not saved" in str(error)
            count("injected faults")
    assert acknowledged == ["P1", "P2", "P3", "P4", "P5"]
    assert [p.display_name for p in store.all(Participant)] == acknowledged  # the failed one is not shown
    expect_all(crash_image(db_path, tmp_path / "killed"), acknowledged)
    monkeypatch.undo()
    store.close()
    expect_all(db_path, acknowledged)


def test_a_tail_that_cannot_be_cut_back_refuses_every_later_write_until_it_is(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db_path, backup=False)
    store.add(Participant(display_name="Before"))
    monkeypatch.setattr(journal_module.os, "write", half_then_fail(os.write, [1]))
    real_truncate = os.ftruncate
    truncate_works = [False]

    def ftruncate(fd: int, size: int) -> None:
        if not truncate_works[0]:
            raise OSError(errno.EIO, "Input/output error")
        real_truncate(fd, size)

    monkeypatch.setattr(journal_module.os, "ftruncate", ftruncate)
    with pytest.raises(StoreError):
        store.add(Participant(display_name="Half-written"))
    with pytest.raises(StoreError, match="nothing more can be saved until there is room again"):
        store.add(Participant(display_name="Behind the partial line"))
    count("injected faults", 2)
    truncate_works[0] = True
    store.add(Participant(display_name="After the repair"))
    expect_all(crash_image(db_path, tmp_path / "killed"), ["Before", "After the repair"])
    monkeypatch.undo()
    store.close()
    assert people_in(db_path) == {"Before", "After the repair"}


# --- 3. folds that fail ----------------------------------------------------------------------------------


def test_two_failed_folds_lose_nothing_and_close_says_so(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db_path, backup=False)
    real_atomic_write = store_module.atomic_write
    disk_full = [True]

    def atomic_write(path: Path, chunks) -> None:
        if disk_full[0] and path.parent == db_path.parent:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_atomic_write(path, chunks)

    monkeypatch.setattr(store_module, "atomic_write", atomic_write)
    acknowledged = []
    for round_ in range(3):
        for n in range(3):
            name = f"R{round_}-{n}"
            store.add(Participant(display_name=name))
            acknowledged.append(name)
        with pytest.raises(StoreError, match="every change is safe in the journal"):
            store.fold()
        count("injected faults")
    # Killed now: the journals set aside by both failed folds are still on disk.
    expect_all(crash_image(db_path, tmp_path / "killed"), acknowledged)
    with pytest.raises(StoreError, match="could not fold"):
        store.close()  # the fold at close fails too: not a silent exit
    expect_all(crash_image(db_path, tmp_path / "after-close"), acknowledged)
    disk_full[0] = False
    expect_all(db_path, acknowledged)
    assert not list(db_path.parent.glob("*.journal*")), "the journals are folded in at the next open"


def test_a_fold_whose_rename_fails_leaves_the_store_writable(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db_path, backup=False)
    store.add(Participant(display_name="First"))
    real_rename, real_replace = os.rename, os.replace

    def refuse(*args, **kwargs):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(StoreError):
        store.fold()
    count("injected faults")
    monkeypatch.setattr(os, "rename", real_rename)
    monkeypatch.setattr(os, "replace", real_replace)
    store.add(Participant(display_name="Second"))  # at 01c5e6a: "Bad file descriptor"
    expect_all(crash_image(db_path, tmp_path / "killed"), ["First", "Second"])
    store.close()
    expect_all(db_path, ["First", "Second"])


# --- 4. a damaged line inside the journal ----------------------------------------------------------------


def test_a_damaged_line_inside_the_journal_keeps_every_valid_line_and_the_journal(db_path: Path) -> None:
    Store.open(db_path, backup=False).close()
    people = [Participant(display_name=f"J{n}") for n in range(5)]
    lines = [encode_batch([("participants", person)]) for person in people]
    lines[2] = lines[2][:10] + b"#" + lines[2][11:]  # one flipped byte: damage, not a crash's tail
    journal = db_path.with_name(db_path.name + ".journal")
    journal.write_bytes(b"".join(lines))
    count("bad inputs tried")
    store = Store.open(db_path, backup=False)
    assert {p.display_name for p in store.all(Participant)} == {"J0", "J1", "J3", "J4"}
    assert any("1 damaged line" in warning for warning in store.warnings), store.warnings
    assert not any("unfinished last write" in warning for warning in store.warnings)
    store.close()
    kept = list(db_path.parent.glob(f"{journal.name}.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"".join(lines)


def test_a_partial_line_with_a_whole_one_run_on_behind_it_keeps_the_whole_one(db_path: Path) -> None:
    Store.open(db_path, backup=False).close()
    first, second = (encode_batch([("participants", Participant(display_name=n))]) for n in ("A", "B"))
    journal = db_path.with_name(db_path.name + ".journal")
    journal.write_bytes(first[: len(first) // 2] + second)  # what 01c5e6a left after a failed append
    with Store.open(db_path, backup=False) as store:
        assert {p.display_name for p in store.all(Participant)} == {"B"}


def test_only_a_torn_last_line_is_a_crash_tail(db_path: Path) -> None:
    Store.open(db_path, backup=False).close()
    first, second = (encode_batch([("participants", Participant(display_name=n))]) for n in ("A", "B"))
    journal = db_path.with_name(db_path.name + ".journal")
    journal.write_bytes(first + second[:-9])
    with Store.open(db_path, backup=False) as store:
        assert {p.display_name for p in store.all(Participant)} == {"A"}
        assert any("unfinished last write" in warning for warning in store.warnings)
    assert not list(db_path.parent.glob("*.damaged-*"))


# --- 10. a reader racing a writer's fold -----------------------------------------------------------------


def test_a_read_only_open_racing_a_fold_sees_every_acknowledged_write(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = Store.open(db_path, backup=False)
    names = [f"W{n}" for n in range(5)]
    for name in names:
        writer.add(Participant(display_name=name))
    real_read_journal = store_module.read_journal
    folded = [False]

    def fold_while_reading(path: Path, storage: Storage):
        if not folded[0]:
            folded[0] = True
            writer.fold()  # the writer's worker folds just after the reader has read the old file
        return real_read_journal(path, storage)

    monkeypatch.setattr(store_module, "read_journal", fold_while_reading)
    reader = Store.open(db_path, read_only=True, backup=False)
    assert folded[0]
    assert {p.display_name for p in reader.all(Participant)} == set(names)
    reader.close()
    writer.close()


# --- 12. errors from the disk are one line, never a traceback --------------------------------------------


@pytest.mark.parametrize("in_the_way", [".journal", ".lock"])
def test_a_folder_where_a_side_file_belongs_is_one_line(db_path: Path, in_the_way: str) -> None:
    Store.open(db_path, backup=False).close()
    side_file = db_path.parent / (db_path.name + in_the_way)
    side_file.unlink(missing_ok=True)
    side_file.mkdir()
    before = digest(db_path)
    with pytest.raises(StoreError, match=f"cannot open {db_path}"):
        Store.open(db_path, backup=False)
    count("bad inputs tried")
    assert digest(db_path) == before


def test_a_name_too_long_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open"):
        Store.open(tmp_path / ("x" * 300 + ".json"), backup=False)
    count("bad inputs tried")


def test_a_failed_backup_at_load_rest_still_loads_everything(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from facilitator.store import BackupFailed

    with Store.open(db_path, backup=False) as store:
        store.mark_attendance("m", "p", AttendanceStatus.PRESENT)
    store = Store.open(db_path, lazy=True)

    monkeypatch.setattr(store_module, "make_backup", no_room)
    with pytest.raises(BackupFailed, match="could not be taken"):
        store.load_rest()
    count("injected faults")
    assert len(store.all(AttendanceMark)) == 1
    store.mark_attendance("m2", "p", AttendanceStatus.ABSENT)
    monkeypatch.undo()
    store.close()
    with Store.open(db_path, backup=False) as again:
        assert len(again.all(AttendanceMark)) == 2


def test_opening_on_a_full_disk_keeps_working_from_the_journal(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db_path, backup=False)
    store.add(Participant(display_name="Before the crash"))
    image = crash_image(db_path, tmp_path / "killed")
    store.close()
    # Killed with a journal to fold in, and the disk has filled up since: a rewrite of the file fails.
    with image.with_name(image.name + ".journal").open("ab") as journal:
        journal.write(b"0123abcd [torn")
    real_atomic_write = store_module.atomic_write
    monkeypatch.setattr(store_module, "atomic_write", no_room)
    count("injected faults")
    store = Store.open(image, backup=False)
    assert any("could not fold the journal" in warning for warning in store.warnings), store.warnings
    store.add(Participant(display_name="After the crash"))
    with pytest.raises(StoreError):
        store.close()
    monkeypatch.setattr(store_module, "atomic_write", real_atomic_write)
    expect_all(image, ["Before the crash", "After the crash"])


def test_a_full_disk_does_not_stop_the_lock_being_taken(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import facilitator.store.lock as lock_module

    Store.open(db_path, backup=False).close()
    monkeypatch.setattr(lock_module, "write_all", no_room)  # who holds the lock cannot be written down
    count("injected faults")
    with Store.open(db_path, backup=False) as store:
        store.add(Participant(display_name="Saved all the same"))
        with pytest.raises(StoreError, match="is open in another Facilitator"):
            Store.open(db_path, backup=False)
    assert people_in(db_path) == {"Saved all the same"}
