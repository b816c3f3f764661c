"""`facilitator export bundle` and `facilitator import bundle`, run as a user runs them, on demo databases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from facilitator.store import Store
from facilitator.sync.bundle import FORMAT_VERSION
from tests.conftest import run_facilitator

PASSPHRASE = {"FACILITATOR_PASSPHRASE": "a long walk by the river"}


@pytest.fixture(scope="module")
def laptops(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Laptop A's demo database and its bundles (plain, encrypted, one group), and laptop B's own database."""
    folder = tmp_path_factory.mktemp("laptops")
    a, b = folder / "a" / "facilitator.json", folder / "b" / "facilitator.json"
    assert run_facilitator("demo", "--db", str(a), "--no-ui").returncode == 0
    assert run_facilitator("demo", "--db", str(b), "--no-ui", "--seed", "8").returncode == 0
    made = {
        "all": run_facilitator("--db", str(a), "export", "bundle", "-o", str(folder / "all.bundle")),
        "sealed": run_facilitator(
            "--db",
            str(a),
            "export",
            "bundle",
            "-o",
            str(folder / "sealed.bundle"),
            "--passphrase",
            env=PASSPHRASE,
        ),
    }
    for result in made.values():
        assert result.returncode == 0, result.stderr
    assert "everything" in made["all"].stdout and "encrypted" in made["sealed"].stdout
    return {
        "a": a,
        "b": b,
        "all": folder / "all.bundle",
        "sealed": folder / "sealed.bundle",
        "folder": folder,
    }


def copy_database(source: Path, into: Path) -> Path:
    into.mkdir(mode=0o700, parents=True)
    target = into / "facilitator.json"
    shutil.copy2(source, target)
    return target


def tables_apart_from_meta(path: Path) -> dict[str, list]:
    tables = json.loads(path.read_bytes())
    return {
        name: sorted(docs.values(), key=lambda d: d["id"]) for name, docs in tables.items() if name != "meta"
    }


def test_a_bundle_of_everything_into_an_empty_database_gives_the_same_records(
    laptops, tmp_path: Path
) -> None:
    empty = tmp_path / "new-laptop" / "facilitator.json"
    result = run_facilitator("--db", str(empty), "import", "bundle", str(laptops["all"]), "--yes")
    assert result.returncode == 0, result.stderr
    assert "added 474, updated 0, unchanged 0, conflicts 0" in result.stdout
    assert tables_apart_from_meta(empty) == tables_apart_from_meta(laptops["a"])
    assert empty.stat().st_mode & 0o777 == 0o600 and laptops["all"].stat().st_mode & 0o777 == 0o600
    again = run_facilitator("--db", str(empty), "import", "bundle", str(laptops["all"]), "--yes")
    assert again.returncode == 0 and "unchanged 474" in again.stdout and "Nothing to import" in again.stdout


def test_dry_run_shows_the_summary_and_writes_nothing(laptops, tmp_path: Path) -> None:
    b = copy_database(laptops["b"], tmp_path / "b")
    before = b.read_bytes()
    result = run_facilitator("--db", str(b), "import", "bundle", str(laptops["all"]), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "added 474" in result.stdout and "Dry run: nothing was written." in result.stdout
    assert b.read_bytes() == before


def test_dry_run_on_a_new_laptop_says_what_it_would_bring_and_creates_nothing(
    laptops, tmp_path: Path
) -> None:
    new = tmp_path / "new" / "facilitator.json"
    result = run_facilitator("--db", str(new), "import", "bundle", str(laptops["all"]), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "added 474" in result.stdout and "there is no database" in result.stdout
    assert not new.parent.exists()


def test_without_yes_and_without_a_terminal_nothing_is_written(laptops, tmp_path: Path) -> None:
    b = copy_database(laptops["b"], tmp_path / "b")
    before = b.read_bytes()
    result = run_facilitator("--db", str(b), "import", "bundle", str(laptops["all"]))
    assert result.returncode == 1 and "--yes" in result.stderr and len(result.stderr.splitlines()) == 1
    assert "added 474" in result.stdout
    assert b.read_bytes() == before


def test_a_group_bundle_carries_the_group_its_people_its_meetings_and_its_pack(
    laptops, tmp_path: Path
) -> None:
    with Store.open(laptops["a"], read_only=True) as store:
        group = next(g for g in store.groups() if g.status == "running")
        roster = {p.id for _, p in store.roster(group.id)}
        meetings = {m.id for m in store.group_meetings(group.id)}
        marks = {mark.id for meeting in meetings for mark in store.meeting_marks(meeting).values()}
    bundle = tmp_path / "group.bundle"
    made = run_facilitator(
        "--db", str(laptops["a"]), "export", "bundle", "-o", str(bundle), "--group", group.name
    )
    assert made.returncode == 0, made.stderr
    assert group.name in made.stdout and "1 pack" in made.stdout
    content = json.loads(bundle.read_bytes())["content"]
    tables = content["tables"]
    assert [g["id"] for g in tables["groups"]] == [group.id]
    assert {p["id"] for p in tables["participants"]} == roster
    assert {m["id"] for m in tables["meetings"] if m["deleted_at"] is None} == meetings
    assert {m["id"] for m in tables["marks"] if m["deleted_at"] is None} == marks
    assert {e["group_id"] for e in tables["enrollments"]} == {group.id}
    assert [(p["id"], p["version"]) for p in content["packs"]] == [(group.pack_id, group.pack_version)]
    assert content["group"] == {"id": group.id, "name": group.name}
    empty = tmp_path / "c" / "facilitator.json"
    taken = run_facilitator("--db", str(empty), "import", "bundle", str(bundle), "--yes")
    assert taken.returncode == 0, taken.stderr
    assert "packs installed: none" in taken.stdout  # the demo's packs come with the app on both laptops
    with Store.open(empty, read_only=True) as store:
        assert [g.id for g in store.groups()] == [group.id]
        assert {p.id for _, p in store.roster(group.id)} == roster
    # Every record the group's bundle brought names only records it brought too.
    doctor = run_facilitator("doctor", "--db", str(empty))
    assert "reads cleanly" in doctor.stdout and "is not in" not in doctor.stdout, doctor.stdout


def test_a_pack_the_other_laptop_lacks_is_installed_with_the_records(laptops, tmp_path: Path) -> None:
    from tests.curricula.pack_samples import VALID_PACK

    a = copy_database(laptops["a"], tmp_path / "a")
    pack = tmp_path / "evening.toml"
    pack.write_text(VALID_PACK)
    assert run_facilitator("--db", str(a), "pack", "import", str(pack)).returncode == 0
    with Store.open(a) as store:
        group = store.groups()[0]
        store.update(group, pack_id="evening-group", pack_version="1.0.0")
    bundle = tmp_path / "group.bundle"
    assert (
        run_facilitator("--db", str(a), "export", "bundle", "-o", str(bundle), "--group", group.id).returncode
        == 0
    )
    empty = tmp_path / "c" / "facilitator.json"
    taken = run_facilitator("--db", str(empty), "import", "bundle", str(bundle), "--yes")
    assert taken.returncode == 0, taken.stderr
    assert "packs installed: evening-group 1.0.0" in taken.stdout
    installed = empty.parent / "packs" / "evening-group@1.0.0.toml"
    assert installed.read_text() == VALID_PACK
    listed = run_facilitator("--db", str(empty), "pack", "list")
    assert "evening-group" in listed.stdout


def test_an_encrypted_bundle_needs_its_passphrase(laptops, tmp_path: Path) -> None:
    data = laptops["sealed"].read_bytes()
    assert b"display_name" not in data and data.startswith(b"facilitator-sealed\n")
    empty = tmp_path / "c" / "facilitator.json"
    taken = run_facilitator(
        "--db", str(empty), "import", "bundle", str(laptops["sealed"]), "--yes", env=PASSPHRASE
    )
    assert taken.returncode == 0, taken.stderr
    assert tables_apart_from_meta(empty) == tables_apart_from_meta(laptops["a"])


def refusals(laptops: dict[str, Path], folder: Path) -> dict[str, tuple[Path, dict[str, str], str]]:
    """Each bad bundle: its file, the environment to import it with, and what the one line says."""
    plain = laptops["all"].read_bytes()
    envelope = json.loads(plain)

    def write(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    tampered = (
        plain.replace(b"Rosa", b"Rosy", 1) if b"Rosa" in plain else plain.replace(b'"late"', b'"present"', 1)
    )
    newer = dict(envelope, version=FORMAT_VERSION + 1)
    sealed = laptops["sealed"].read_bytes()
    return {
        "truncated": (write("cut.bundle", plain[: len(plain) // 2]), {}, "damaged or cut short"),
        "damaged": (
            write("damaged.bundle", plain[:100] + b"\x00\xff" + plain[102:]),
            {},
            "damaged or cut short",
        ),
        "tampered": (write("tampered.bundle", tampered), {}, "does not match its checksum"),
        "not a bundle": (
            write("notes.txt", b"Bring the sign-in sheet.\n"),
            {},
            "is not a Facilitator bundle",
        ),
        "a CSV": (write("marks.csv", b"meeting,person,status\n1,Ana,present\n"), {}, "looks like a CSV file"),
        "a database": (laptops["b"], {}, "it is a database file"),
        "newer format": (
            write("newer.bundle", json.dumps(newer).encode()),
            {},
            "made by a newer Facilitator (bundle format 2",
        ),
        "wrong passphrase": (
            laptops["sealed"],
            {"FACILITATOR_PASSPHRASE": "not the one"},
            "that passphrase does not open this file",
        ),
        "no passphrase": (laptops["sealed"], {}, "is encrypted: give its passphrase"),
        "sealed and cut": (write("cut-sealed.bundle", sealed[:-40]), PASSPHRASE, "nothing was imported"),
        "missing": (folder / "nowhere.bundle", {}, "there is no file"),
        "a folder": (folder, {}, "is not a file"),
        "its own database": (laptops["all"], {}, "made from this database"),
    }


REFUSALS = [
    "truncated",
    "damaged",
    "tampered",
    "not a bundle",
    "a CSV",
    "a database",
    "newer format",
    "wrong passphrase",
    "no passphrase",
    "sealed and cut",
    "missing",
    "a folder",
    "its own database",
]


@pytest.mark.parametrize("how", REFUSALS)
def test_a_bad_bundle_is_one_line_and_nothing_is_written(laptops, tmp_path: Path, how: str) -> None:
    bad, env, said = refusals(laptops, tmp_path)[how]
    target = copy_database(laptops["a" if how == "its own database" else "b"], tmp_path / "target")
    before = target.read_bytes()
    bad_before = bad.read_bytes() if bad.is_file() else None
    result = run_facilitator("--db", str(target), "import", "bundle", str(bad), "--yes", env=env)
    assert result.returncode == 1, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    assert said in result.stderr
    assert target.read_bytes() == before
    if bad_before is not None:
        assert bad.read_bytes() == bad_before
    assert not (target.parent / "packs").exists()


def test_export_refuses_to_replace_a_file_and_names_an_unknown_group(laptops, tmp_path: Path) -> None:
    existing = tmp_path / "kept.bundle"
    existing.write_bytes(b"mine")
    replaced = run_facilitator("--db", str(laptops["a"]), "export", "bundle", "-o", str(existing))
    assert replaced.returncode == 1 and "already exists: give --force" in replaced.stderr
    assert existing.read_bytes() == b"mine"
    unknown = run_facilitator(
        "--db", str(laptops["a"]), "export", "bundle", "-o", str(tmp_path / "x"), "--group", "Nope"
    )
    assert unknown.returncode == 1 and "there is no group called “Nope”" in unknown.stderr
    assert not (tmp_path / "x").exists()
    asked = run_facilitator(
        "--db", str(laptops["a"]), "export", "bundle", "-o", str(tmp_path / "y"), "--passphrase"
    )
    assert (
        asked.returncode == 1 and "FACILITATOR_PASSPHRASE" in asked.stderr and not (tmp_path / "y").exists()
    )
