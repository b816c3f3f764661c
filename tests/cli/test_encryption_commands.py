"""`facilitator encrypt` and `decrypt`, and an encrypted database opened as a user would: with the
passphrase from `FACILITATOR_PASSPHRASE` (no terminal here), a wrong one, none at all, in another folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from facilitator.store import Store
from facilitator.store.records import Participant
from facilitator.store.sealed import is_sealed

PASSPHRASE = "lantern over the harbour"


def with_passphrase(passphrase: str = PASSPHRASE) -> dict[str, str]:
    return {"FACILITATOR_PASSPHRASE": passphrase}


def names_in(path: Path) -> list[str]:
    return [person["display_name"] for person in json.loads(path.read_bytes())["participants"].values()]


def files_holding(folder: Path, words: list[str]) -> list[str]:
    return [
        f"{path.relative_to(folder)}: {word}"
        for path in folder.rglob("*")
        if path.is_file()
        for word in words
        if word.encode() in path.read_bytes() or json.dumps(word)[1:-1].encode() in path.read_bytes()
    ]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def one_line(text: str) -> str:
    assert len(text.strip().splitlines()) == 1, text
    return text.strip()


def test_encrypt_the_demo_open_it_and_decrypt_it(tmp_path: Path, cli) -> None:
    db = tmp_path / "data" / "facilitator.json"
    assert cli("demo", "--db", str(db), "--no-ui").returncode == 0
    Store.open(db).close()  # an open, as the app makes: a plain backup beside it
    names = names_in(db)
    assert files_holding(db.parent, names)

    done = cli("encrypt", "--db", str(db), env=with_passphrase())
    assert done.returncode == 0, done.stderr
    assert one_line(done.stdout).startswith("Encrypted facilitator.json and the 1 copy (backups")
    assert is_sealed(db.read_bytes())
    assert not files_holding(db.parent, names)

    checked = cli("doctor", "--db", str(db), env=with_passphrase())
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "reads cleanly" in checked.stdout and "30 participants" in checked.stdout
    assert "newest good: facilitator-" in checked.stdout  # the backup is read with the same key

    before = snapshot(db.parent)
    for args, env, words in [
        (("--db", str(db)), with_passphrase("the wrong passphrase"), "that passphrase does not open"),
        (("doctor", "--db", str(db)), with_passphrase("the wrong passphrase"), "that passphrase does not"),
        (("--db", str(db)), {}, "facilitator.json is encrypted: run Facilitator at a terminal"),
        (("encrypt", "--db", str(db)), with_passphrase("the wrong passphrase"), "that passphrase does not"),
    ]:
        refused = cli(*args, env={"FACILITATOR_PASSPHRASE": "", **env})
        assert refused.returncode == 1 and words in one_line(refused.stderr), refused.stderr
    assert snapshot(db.parent) == before

    again = cli("encrypt", "--db", str(db), env=with_passphrase())
    assert again.returncode == 0 and "already encrypted" in one_line(again.stdout)

    undone = cli("decrypt", "--db", str(db), env=with_passphrase())
    assert undone.returncode == 0, undone.stderr
    assert "Decrypted facilitator.json and the 1 copy" in one_line(undone.stdout)
    assert names_in(db) == names


def test_the_encrypted_file_alone_opens_in_another_folder(tmp_path: Path, cli) -> None:
    db = tmp_path / "laptop" / "facilitator.json"
    made = cli("demo", "--db", str(db), "--no-ui", "--encrypted", env=with_passphrase())
    assert made.returncode == 0, made.stderr
    assert is_sealed(db.read_bytes())
    moved = tmp_path / "another laptop" / "records.json"
    moved.parent.mkdir(mode=0o700)
    shutil.copyfile(db, moved)
    checked = cli("doctor", "--db", str(moved), env=with_passphrase())
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "records.json reads cleanly" in checked.stdout and "30 participants" in checked.stdout


def test_a_short_passphrase_and_a_plain_file_told_to_be_encrypted_are_refused(tmp_path: Path, cli) -> None:
    db = tmp_path / "data" / "facilitator.json"
    assert cli("demo", "--db", str(db), "--no-ui").returncode == 0
    before = snapshot(db.parent)
    short = cli("encrypt", "--db", str(db), env=with_passphrase("short"))
    assert short.returncode == 1 and "at least 8 characters" in one_line(short.stderr)
    plain = cli("--db", str(db), "--encrypted", env=with_passphrase())
    assert plain.returncode == 1 and "`facilitator encrypt` encrypts it" in one_line(plain.stderr)
    not_sealed = cli("decrypt", "--db", str(db), env=with_passphrase())
    assert not_sealed.returncode == 1 and "is not encrypted" in one_line(not_sealed.stderr)
    assert snapshot(db.parent) == before
    missing = cli("encrypt", "--db", str(tmp_path / "none.json"), env=with_passphrase())
    assert missing.returncode == 1 and "there is no database" in one_line(missing.stderr)


def test_a_new_database_is_made_encrypted_when_asked(tmp_path: Path, monkeypatch) -> None:
    from facilitator.cli.app import storage_for_a_new_database

    monkeypatch.setenv("FACILITATOR_PASSPHRASE", PASSPHRASE)
    new = tmp_path / "data" / "facilitator.json"
    assert storage_for_a_new_database(new, encrypted=False) is None  # no terminal here to ask at
    storage = storage_for_a_new_database(new, encrypted=True)
    assert storage is not None and storage.sealed
    with Store.open(new, storage=storage):
        pass
    assert is_sealed(new.read_bytes())
    with Store.open(new, passphrase=PASSPHRASE, backup=False) as again:
        assert again.storage.sealed


def test_doctor_restores_an_encrypted_backup_over_a_damaged_file(tmp_path: Path, cli) -> None:
    db = tmp_path / "data" / "facilitator.json"
    assert cli("demo", "--db", str(db), "--no-ui", "--encrypted", env=with_passphrase()).returncode == 0
    Store.open(db, passphrase=PASSPHRASE).close()  # an open, as the app makes: a sealed backup
    damaged = bytearray(db.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    db.write_bytes(bytes(damaged))
    checked = cli("doctor", "--db", str(db), env=with_passphrase())
    assert checked.returncode == 1 and "the encrypted data was changed or damaged" in checked.stdout
    restored = cli("doctor", "--restore", "--db", str(db), env=with_passphrase())
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Restored facilitator-" in restored.stdout
    with Store.open(db, passphrase=PASSPHRASE, backup=False) as store:
        assert store.storage.sealed and len(store.all(Participant)) == 30


def test_opening_says_when_an_encrypt_was_stopped_before_the_copies(tmp_path: Path, monkeypatch) -> None:
    from facilitator.cli.app import open_store
    from facilitator.store.sealed import SealingKey
    from facilitator.store.storage import SealedStorage
    from tests.store.workload import CHEAP

    db = tmp_path / "data" / "facilitator.json"
    Store.open(db).close()  # a plain backup
    with Store.open(db, backup=False) as store:
        store.change_storage(SealedStorage(SealingKey.new(PASSPHRASE, CHEAP)))  # stopped right after this
    monkeypatch.setenv("FACILITATOR_PASSPHRASE", PASSPHRASE)
    store = open_store(db, lazy=True)
    try:
        assert any("not encrypted yet: run `facilitator encrypt`" in line for line in store.warnings)
    finally:
        store.close()
