"""An encrypted database: every writer's bytes sealed, one portable file, each way it fails told in one line.

The words of the records (names, notes, goals) are looked for in every file under the data folder: none may
be there in plain text, not in the file, the journal, the backups, nor a copy kept aside.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import facilitator.store.store as store_module
from facilitator.store import CorruptDatabase, Store, StoreError
from facilitator.store.encryption import decrypt, encrypt
from facilitator.store.errors import NeedsPassphrase, PassphraseRefused
from facilitator.store.journal import encode_batch, read_journal, reseal_journal
from facilitator.store.migrations import MIGRATIONS
from facilitator.store.records import Goal, Participant
from facilitator.store.sealed import SealingKey, is_sealed
from facilitator.store.storage import PLAIN, SealedStorage
from tests.conftest import FakeClock
from tests.store.workload import CHEAP

PASSPHRASE = "kettle on the windowsill"
WORDS = ("Marisol", "Okonkwo", "sister's wedding", "walk to the allotment")


def new_sealed(passphrase: str = PASSPHRASE) -> SealedStorage:
    return SealedStorage(SealingKey.new(passphrase, CHEAP))


def files_holding(folder: Path, words: tuple[str, ...] = WORDS) -> list[str]:
    """Every file under `folder` with one of `words` in it, as UTF-8 or as JSON escapes."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for word in words:
                if word.encode() in data or msgspec.json.encode(word)[1:-1] in data:
                    found.append(f"{path.relative_to(folder)}: {word}")
    return found


def write_people(store: Store) -> Participant:
    rosa = Participant(display_name="Marisol", full_name="Marisol Okonkwo", notes="sister's wedding")
    store.add(rosa)
    store.add(Goal(participant_id=rosa.id, title="walk to the allotment"))
    return rosa


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_writer_leaves_only_sealed_bytes(db_path: Path, clock: FakeClock) -> None:
    """Appends, folds, a backup at open, a journal left by a crash, and a migration: no word in plain text."""
    with Store.open(db_path, clock=clock, storage=new_sealed()) as store:
        rosa = write_people(store)
        store.fold()
        store.update(rosa, notes="sister's wedding, then the allotment")
    clock.advance(minutes=1)
    crashed = Store.open(db_path, clock=clock, passphrase=PASSPHRASE)  # a backup is taken at this open
    crashed.update(crashed.get(Participant, rosa.id), pronouns="she/her")
    assert crashed.journal_bytes
    crashed._release()  # killed: the journal is left unfolded
    assert not files_holding(db_path.parent)
    clock.advance(minutes=1)
    with Store.open(db_path, clock=clock, passphrase=PASSPHRASE) as store:
        kept = store.get(Participant, rosa.id)
        assert kept is not None and kept.pronouns == "she/her" and kept.notes.startswith("sister's")
    assert is_sealed(db_path.read_bytes())
    assert len(list((db_path.parent / "backups").iterdir())) == 3  # one per open
    assert all(is_sealed(path.read_bytes()) for path in (db_path.parent / "backups").iterdir())
    assert not files_holding(db_path.parent)


def test_a_migration_of_an_encrypted_file_stays_sealed(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(db_path, clock=clock, backup=False, storage=new_sealed()) as store:
        write_people(store)

    def louder(tables: dict) -> dict:
        for doc in tables["participants"].values():
            doc["notes"] = doc["notes"].upper()
        return tables

    current = store_module.SCHEMA_VERSION
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(MIGRATIONS, current, louder)
    with Store.open(db_path, clock=clock, passphrase=PASSPHRASE) as store:
        assert [p.notes for p in store.all(Participant)] == ["SISTER'S WEDDING"]
        assert store.meta.schema_version == current + 1
    assert [
        p.name for p in (db_path.parent / "backups").iterdir() if f"before-schema-{current + 1}" in p.name
    ]
    assert not files_holding(db_path.parent, (*WORDS, "SISTER'S WEDDING"))


def test_the_file_opens_in_another_folder_with_the_passphrase_alone(
    db_path: Path, clock: FakeClock, tmp_path: Path
) -> None:
    with Store.open(db_path, clock=clock, storage=new_sealed()) as store:
        rosa = write_people(store)
    elsewhere = tmp_path / "another laptop" / "facilitator.json"
    elsewhere.parent.mkdir(mode=0o700)
    shutil.copyfile(db_path, elsewhere)  # the one file, nothing beside it
    with Store.open(elsewhere, clock=clock, passphrase=PASSPHRASE) as store:
        assert store.get(Participant, rosa.id) == rosa
        assert store.storage.sealed


@pytest.mark.parametrize(
    ("passphrase", "error", "words"),
    [
        ("not the passphrase", PassphraseRefused, "that passphrase does not open facilitator.json"),
        (None, NeedsPassphrase, "facilitator.json is encrypted; it opens with its passphrase"),
    ],
)
def test_a_wrong_or_missing_passphrase_is_one_line_and_changes_nothing(
    db_path: Path, clock: FakeClock, passphrase: str | None, error: type[StoreError], words: str
) -> None:
    with Store.open(db_path, clock=clock, storage=new_sealed()) as store:
        write_people(store)
    before = snapshot(db_path.parent)
    for read_only in (False, True):
        with pytest.raises(error) as raised:
            Store.open(db_path, clock=clock, passphrase=passphrase, read_only=read_only)
        assert str(raised.value).startswith(words) and "\n" not in str(raised.value)
    assert snapshot(db_path.parent) == before


def test_a_damaged_ciphertext_is_one_line_and_changes_nothing(db_path: Path, clock: FakeClock) -> None:
    with Store.open(db_path, clock=clock, storage=new_sealed()) as store:
        write_people(store)
    damaged = bytearray(db_path.read_bytes())
    damaged[-20] ^= 0x40
    db_path.write_bytes(bytes(damaged))
    before = snapshot(db_path.parent)
    with pytest.raises(CorruptDatabase) as raised:
        Store.open(db_path, clock=clock, passphrase=PASSPHRASE)
    message = str(raised.value)
    assert "the encrypted data was changed or damaged" in message and "\n" not in message
    assert "Newest good backup" in message  # the backup of the first open is sealed with the same key
    assert snapshot(db_path.parent) == before


def test_a_journal_from_another_database_is_never_replayed(
    db_path: Path, clock: FakeClock, tmp_path: Path
) -> None:
    """Same passphrase, another database: another salt, so another key; its lines are damage, kept aside."""
    with Store.open(db_path, clock=clock, backup=False, storage=new_sealed()) as store:
        write_people(store)
    other = tmp_path / "other" / "facilitator.json"
    stranger = Store.open(other, clock=clock, backup=False, storage=new_sealed())
    stranger.add(Participant(display_name="Stranger"))
    stranger._release()
    journal = "facilitator.json.journal"
    shutil.copyfile(other.with_name(journal), db_path.with_name(journal))
    with Store.open(db_path, clock=clock, passphrase=PASSPHRASE, backup=False) as store:
        assert sorted(p.display_name for p in store.all(Participant)) == ["Marisol"]
        [warning] = store.warnings
        assert "1 damaged line(s)" in warning and "\n" not in warning
    [kept] = db_path.parent.glob("facilitator.json.journal.damaged-*")
    assert b"Stranger" not in kept.read_bytes()


def test_encrypt_then_decrypt_keeps_every_record_and_every_copy(db_path: Path, clock: FakeClock) -> None:
    with Store.open(db_path, clock=clock) as store:  # plain, with a backup holding the names
        rosa = write_people(store)
    clock.advance(minutes=1)
    with Store.open(db_path, clock=clock) as store:
        store.update(store.get(Participant, rosa.id), pronouns="she/her")
    assert files_holding(db_path.parent)
    done = encrypt(db_path, PASSPHRASE, cost=CHEAP, clock=clock)
    assert done.file_changed and done.copies == 2 and not done.left
    assert not files_holding(db_path.parent)
    with pytest.raises(NeedsPassphrase):
        Store.open(db_path, clock=clock)
    again = encrypt(db_path, PASSPHRASE, cost=CHEAP, clock=clock)  # already done: nothing more to do
    assert not again.file_changed and again.copies == 0
    with Store.open(db_path, clock=clock, passphrase=PASSPHRASE, backup=False) as store:
        assert store.get(Participant, rosa.id).pronouns == "she/her"
    undone = decrypt(db_path, PASSPHRASE, clock=clock)
    assert undone.file_changed and undone.copies == 2
    assert not any(is_sealed(path.read_bytes()) for path in db_path.parent.rglob("*.json"))
    with Store.open(db_path, clock=clock, backup=False) as store:
        assert store.get(Participant, rosa.id).pronouns == "she/her"
    with pytest.raises(StoreError, match="is not encrypted; nothing was changed"):
        decrypt(db_path, PASSPHRASE, clock=clock)


def test_encrypt_seals_a_damaged_journal_kept_aside(db_path: Path, clock: FakeClock) -> None:
    with Store.open(db_path, clock=clock, backup=False) as store:
        write_people(store)
    kept = db_path.with_name("facilitator.json.journal.damaged-20260303T170000Z")
    kept.write_bytes(b'0000abcd [["participants", {"display_name": "Okonkwo"}]]\n')
    encrypt(db_path, PASSPHRASE, cost=CHEAP, clock=clock)
    assert not files_holding(db_path.parent)
    decrypt(db_path, PASSPHRASE, clock=clock)
    assert b"Okonkwo" in kept.read_bytes()  # its damaged line back as it was, inside a plain line


JOURNAL_SEALED = new_sealed()
notes = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(notes, min_size=1, max_size=6), cut=st.integers(min_value=0))
def test_sealed_journal_lines_read_back_and_a_cut_loses_only_the_torn_write(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], cut: int
) -> None:
    batches = [[("participants", {"id": f"p{n}", "notes": text})] for n, text in enumerate(texts)]
    lines = [encode_batch(batch, JOURNAL_SEALED) for batch in batches]
    data = b"".join(lines)
    assert not any(text.encode() in data for text in texts if len(text) > 3 and " " in text)
    journal = tmp_path_factory.mktemp("journal") / "db.json.journal"
    journal.write_bytes(data)
    assert read_journal(journal, JOURNAL_SEALED).batches == [[list(pair) for pair in b] for b in batches]
    end = cut % (len(data) + 1)
    journal.write_bytes(data[:end])
    contents = read_journal(journal, JOURNAL_SEALED)
    whole = sum(1 for line in lines if data.index(line) + len(line) <= end)
    assert len(contents.batches) == whole and not contents.damaged_lines
    assert contents.torn_tail == (end not in {sum(map(len, lines[:n])) for n in range(len(lines) + 1)})
    again = reseal_journal(reseal_journal(data, PLAIN, JOURNAL_SEALED), JOURNAL_SEALED, PLAIN)
    assert again == reseal_journal(data, JOURNAL_SEALED, PLAIN)
    plain = reseal_journal(data, JOURNAL_SEALED, PLAIN)
    assert plain == b"".join(encode_batch(batch) for batch in batches)
