"""What `--db` may point at: only a database file of ours, by one lock whatever its name; folders private."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from facilitator.store import DatabaseLocked, Store, StoreError
from facilitator.store.records import Participant
from tests.fault_figures import count


def state_of(folder: Path) -> dict[str, tuple[int, str]]:
    """Every entry under `folder` with its mode and (for files) a hash: to prove nothing changed."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        info = os.lstat(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else ""
        seen[str(path.relative_to(folder))] = (info.st_mode, digest)
    return seen


def not_a_database(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "place" / "target"
    path.parent.mkdir()
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "someone's JSON":
        path.write_text('{"settings": {"volume": 3}}')
        os.chmod(path, 0o644)
    elif kind == "a list":
        path.write_text("[1, 2, 3]")
        os.chmod(path, 0o644)
    return path


@pytest.mark.parametrize("kind", ["folder", "fifo", "someone's JSON", "a list"])
@pytest.mark.parametrize("read_only", [False, True], ids=["writer", "read-only"])
def test_a_path_that_is_not_a_database_is_refused_before_anything_is_touched(
    tmp_path: Path, kind: str, read_only: bool
) -> None:
    path = not_a_database(tmp_path, kind)
    before = state_of(path.parent)
    with pytest.raises(StoreError) as raised:
        Store.open(path, read_only=read_only, backup=False)
    count("bad inputs tried")
    assert "\n" not in str(raised.value)
    assert state_of(path.parent) == before, "a lock, a journal or a chmod was left behind"


def test_a_device_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a device, not a database file"):
        Store.open("/dev/null", backup=False)
    count("bad inputs tried")
    assert not Path("/dev/null.lock").exists()


def test_a_symlinked_database_shares_one_lock_and_stays_a_symlink(db_path: Path, tmp_path: Path) -> None:
    Store.open(db_path, backup=False).close()
    link = tmp_path / "shortcut.json"
    link.symlink_to(db_path)
    with Store.open(db_path, backup=False) as store:
        store.add(Participant(display_name="By its real name"))
        with pytest.raises(DatabaseLocked):
            Store.open(link, backup=False)
    with Store.open(link, backup=False) as through_link:
        through_link.add(Participant(display_name="Through the link"))
        through_link.fold()
        with pytest.raises(DatabaseLocked):
            Store.open(db_path, backup=False)
    assert link.is_symlink(), "a fold replaced the symlink with a plain file"
    with Store.open(db_path, backup=False) as store:
        assert {p.display_name for p in store.all(Participant)} == {"By its real name", "Through the link"}


def test_a_hard_linked_database_is_refused_untouched(db_path: Path, tmp_path: Path) -> None:
    Store.open(db_path, backup=False).close()
    other_name = tmp_path / "other-name.json"
    os.link(db_path, other_name)
    before = state_of(db_path.parent)
    for name in (db_path, other_name):
        with pytest.raises(StoreError, match="hard links"):
            Store.open(name, backup=False)
    count("bad inputs tried", 2)
    assert state_of(db_path.parent) == before


def test_with_umask_000_every_folder_created_is_private(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        path = tmp_path / "new" / "deeper" / "data" / "facilitator.json"
        Store.open(path).close()
    finally:
        os.umask(old)
    for folder in (tmp_path / "new", tmp_path / "new" / "deeper", path.parent, path.parent / "backups"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_open_data_folder_is_made_private_with_a_warning(db_path: Path) -> None:
    Store.open(db_path, backup=False).close()
    os.chmod(db_path.parent, 0o755)
    with Store.open(db_path, backup=False) as store:
        assert any("it is now private (700)" in warning for warning in store.warnings)
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(os.getuid() != 0, reason="giving a folder to another user needs root")
def test_a_data_folder_of_another_user_is_refused(db_path: Path) -> None:
    Store.open(db_path, backup=False).close()
    os.chown(db_path.parent, 65534, 65534)
    before = state_of(db_path.parent)
    with pytest.raises(StoreError, match="belongs to another user"):
        Store.open(db_path, backup=False)
    assert state_of(db_path.parent) == before


def test_temporary_copies_left_by_killed_folds_are_removed_at_open(db_path: Path) -> None:
    Store.open(db_path).close()
    left = [
        db_path.parent / f".{db_path.name}.4242.tmp",
        db_path.parent / "backups" / f".{db_path.stem}-20260101T000000000000Z.json.4243.tmp",
    ]
    for path in left:
        path.write_bytes(b'{"participants": "a full plaintext copy"}')
    unrelated = db_path.parent / ".someone-else.tmp"
    unrelated.write_bytes(b"not ours")
    Store.open(db_path).close()
    assert not any(path.exists() for path in left)
    assert unrelated.exists()


def test_a_missing_database_with_backups_beside_it_is_not_silently_recreated(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.add(Participant(display_name="Kept in the backups"))
    Store.open(db_path).close()  # a backup that holds the person
    db_path.unlink()
    with pytest.raises(StoreError, match="doctor --restore"):
        Store.open(db_path)
    count("bad inputs tried")
    assert not db_path.exists()


def test_a_folder_others_can_write_to_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "open-to-all"
    folder.mkdir()
    os.chmod(folder, 0o777)
    with pytest.raises(StoreError, match="other users may change files in"):
        Store.open(folder / "facilitator.json")
    count("bad inputs tried")
    assert list(folder.iterdir()) == []


def test_a_shared_folder_is_warned_about_and_left_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "someone-elses.txt").write_text("theirs")
    os.chmod(folder, 0o755)
    with Store.open(folder / "facilitator.json", backup=False) as store:
        assert any("a folder of your own is safer" in warning for warning in store.warnings)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
