"""A file that is corrupt, truncated, empty, too new or unreadable: one line, exit 1, bytes unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from facilitator.store import Store
from facilitator.store.records import SCHEMA_VERSION, Participant


@pytest.fixture
def good_db(db_path: Path, clock) -> Path:
    """A database with two opens behind it, so there are good backups to name."""
    with Store.open(db_path, clock=clock) as store:
        store.add(Participant(display_name="Rosa"))
    clock.advance(minutes=1)
    Store.open(db_path, clock=clock).close()
    return db_path


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "corrupt":
        path.write_bytes(data.replace(b'"participants"', b'"participants" oops', 1))
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "wrong-shape":
        path.write_bytes(b"[1, 2, 3]")
    elif how == "bad-record":
        path.write_bytes(data.replace(b'"display_name":"Rosa"', b'"display_name":42', 1))
    elif how == "newer-schema":
        path.write_bytes(data.replace(b'"schema_version":%d' % SCHEMA_VERSION, b'"schema_version":99', 1))


EXPECTED = {
    "corrupt": "is not valid JSON: JSON is malformed",
    "truncated": "is not valid JSON",
    "empty": "facilitator.json is empty",
    "wrong-shape": "is not a Facilitator database",
    "bad-record": "table participants, record 1 (id ",
    "newer-schema": f"was written by a newer Facilitator (schema 99; this one reads up to {SCHEMA_VERSION})",
}


@pytest.mark.parametrize("how", list(EXPECTED))
def test_bad_file_gives_one_line_exit_1_and_is_left_untouched(good_db: Path, how: str, cli) -> None:
    damage(good_db, how)
    before = good_db.read_bytes()
    backups_before = sorted((good_db.parent / "backups").iterdir())
    result = cli("--db", str(good_db))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert EXPECTED[how] in result.stderr
    assert "Traceback" not in result.stderr
    if how != "newer-schema":
        assert "Newest good backup: " in result.stderr and "facilitator doctor --restore" in result.stderr
    assert good_db.read_bytes() == before
    assert sorted((good_db.parent / "backups").iterdir()) == backups_before


def test_bad_record_names_table_id_and_field(good_db: Path) -> None:
    damage(good_db, "bad-record")
    with pytest.raises(Exception) as error:
        Store.open(good_db)
    assert "field display_name: Expected `str`, got `int`" in str(error.value)


def test_a_file_others_can_read_is_made_private_and_said_so(good_db: Path, clock) -> None:
    os.chmod(good_db, 0o644)
    before = good_db.read_bytes()
    with Store.open(good_db, clock=clock, backup=False) as store:
        assert any("could be read by other users (mode 644)" in w for w in store.warnings)
    assert good_db.stat().st_mode & 0o777 == 0o600
    assert good_db.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_gives_one_line(good_db: Path, cli) -> None:
    os.chmod(good_db, 0o000)
    result = cli("--db", str(good_db))
    os.chmod(good_db, 0o600)
    assert result.returncode == 1 and "permission denied" in result.stderr


def test_a_folder_instead_of_a_file_gives_one_line(tmp_path: Path, cli) -> None:
    folder = tmp_path / "db.json"
    folder.mkdir()
    result = cli("--db", str(folder))
    assert result.returncode == 1 and "is a folder, not a database file" in result.stderr
