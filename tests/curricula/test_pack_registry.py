"""The pack registry: bundled and user packs, shadowing by version, broken packs, and importing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from curricula.registry import ImportStatus, Registry, pack_json_schema, version_key
from tests.curricula.pack_samples import import_pack, simple_pack, write


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A stand-in for the packs shipped with the app (the real ones are still being written)."""
    folder = tmp_path / "bundled"
    write(folder, "evening-group.toml", simple_pack("evening-group", "1.2.0"))
    write(folder, "open-group.toml", simple_pack("open-group", "1.0.0", titles=("Welcome",)))
    return folder


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    """The facilitator's own packs folder (not created yet)."""
    return tmp_path / "data" / "packs"


def mode(path: Path) -> int:
    """A file's permission bits."""
    return stat.S_IMODE(path.stat().st_mode)


# --- Finding packs ------------------------------------------------------------------------------------------


def test_bundled_packs_are_listed_without_a_user_folder(bundled: Path, user_dir: Path) -> None:
    registry = Registry.load(user_dir, bundled_dir=bundled)
    assert [(entry.key, entry.origin, entry.ok) for entry in registry.list()] == [
        ("evening-group@1.2.0", "bundled", True),
        ("open-group@1.0.0", "bundled", True),
    ]
    entry = registry.list()[0]
    assert entry.title == "Pack evening-group"
    assert entry.session_count == 2
    assert entry.path == bundled / "evening-group.toml"
    assert registry.problems == []


def test_a_user_pack_with_a_higher_version_shadows_the_bundled_one(bundled: Path, user_dir: Path) -> None:
    write(user_dir, "evening-group@1.10.0.toml", simple_pack("evening-group", "1.10.0"))
    registry = Registry.load(user_dir, bundled_dir=bundled)
    latest = registry.latest("evening-group")
    assert latest is not None
    assert (latest.version, latest.origin) == ("1.10.0", "user")  # numerically newer than 1.2.0


def test_a_user_pack_with_a_lower_version_does_not_shadow(bundled: Path, user_dir: Path) -> None:
    write(user_dir, "evening-group@1.1.9.toml", simple_pack("evening-group", "1.1.9"))
    latest = Registry.load(user_dir, bundled_dir=bundled).latest("evening-group")
    assert latest is not None and (latest.version, latest.origin) == ("1.2.0", "bundled")


def test_every_version_stays_available_for_pinned_groups(bundled: Path, user_dir: Path) -> None:
    write(user_dir, "evening-group@1.0.0.toml", simple_pack("evening-group", "1.0.0"))
    write(user_dir, "evening-group@2.0.0.toml", simple_pack("evening-group", "2.0.0"))
    registry = Registry.load(user_dir, bundled_dir=bundled)
    assert [entry.version for entry in registry.versions("evening-group")] == ["2.0.0", "1.2.0", "1.0.0"]
    for version, origin in [("1.0.0", "user"), ("1.2.0", "bundled"), ("2.0.0", "user")]:
        entry = registry.get("evening-group", version)
        assert entry is not None and entry.pack is not None
        assert (entry.pack.version, entry.origin) == (version, origin)
    assert registry.get("evening-group", "9.9.9") is None
    assert registry.latest("no-such-pack") is None


def test_any_toml_file_in_the_user_folder_is_read(bundled: Path, user_dir: Path) -> None:
    write(user_dir, "my tuesday group.toml", simple_pack("tuesday", "1.0.0"))
    write(user_dir, "notes.txt", "not a pack")
    registry = Registry.load(user_dir, bundled_dir=bundled)
    assert registry.latest("tuesday") is not None
    assert len(registry.list()) == 3


def test_broken_packs_are_listed_with_their_problems_and_never_used(bundled: Path, user_dir: Path) -> None:
    broken = simple_pack("evening-group", "3.0.0").replace("minutes = 30", 'minutes = "half an hour"', 1)
    write(user_dir, "evening-group@3.0.0.toml", broken)
    write(user_dir, "garbled@1.0.0.toml", "id = [unclosed")
    write(user_dir, "latin1.toml", 'id = "caf\xe9"\n'.encode("latin-1"))
    registry = Registry.load(user_dir, bundled_dir=bundled)
    listed = {entry.path.name: entry for entry in registry.list()}
    assert not listed["evening-group@3.0.0.toml"].ok
    assert (listed["evening-group@3.0.0.toml"].id, listed["evening-group@3.0.0.toml"].version) == (
        "evening-group",
        "3.0.0",
    )
    assert [str(problem) for problem in listed["evening-group@3.0.0.toml"].problems] == [
        "evening-group@3.0.0.toml:15 units[0].sessions[0].agenda[0].minutes: expected a whole number of"
        ' minutes, got "half an hour"'
    ]
    # A file that is not even TOML is named from its file name.
    assert (listed["garbled@1.0.0.toml"].id, listed["garbled@1.0.0.toml"].version) == ("garbled", "1.0.0")
    assert listed["garbled@1.0.0.toml"].problems[0].line == 1
    assert listed["latin1.toml"].problems[0].message.startswith("the file is not UTF-8 text")
    latest = registry.latest("evening-group")
    assert latest is not None and latest.version == "1.2.0"
    assert registry.get("evening-group", "3.0.0") is None


def test_a_user_folder_that_cannot_be_read_is_a_problem_not_an_exception(
    bundled: Path, tmp_path: Path
) -> None:
    not_a_folder = write(tmp_path, "packs", "a file where the folder should be")
    registry = Registry.load(not_a_folder, bundled_dir=bundled)
    assert len(registry.list()) == 2
    assert [problem.message for problem in registry.problems] == [
        "could not read the folder: Not a directory"
    ]


def test_the_same_version_in_two_files_is_used_once_with_a_warning(bundled: Path, user_dir: Path) -> None:
    write(user_dir, "copy.toml", simple_pack("evening-group", "1.2.0", comment="my copy"))
    registry = Registry.load(user_dir, bundled_dir=bundled)
    entry = registry.get("evening-group", "1.2.0")
    assert entry is not None and entry.origin == "bundled"
    copy = next(entry for entry in registry.list() if entry.path.name == "copy.toml")
    assert [str(problem) for problem in copy.problems] == [
        "copy.toml: evening-group@1.2.0 is also in evening-group.toml (bundled); that one is used"
    ]


def test_versions_compare_numerically() -> None:
    assert version_key("1.10.0") > version_key("1.9.0") > version_key("1.2.10")
    assert version_key("not a version") == ()


def test_the_packs_shipped_in_the_package_are_found() -> None:
    # Whatever packs ship, they come from the package and listing them never raises.
    registry = Registry.load()
    assert all(entry.origin == "bundled" for entry in registry.list())
    assert registry.problems == []


# --- Importing ----------------------------------------------------------------------------------------------


def test_importing_copies_the_pack_privately_under_its_id_and_version(
    bundled: Path, user_dir: Path, tmp_path: Path
) -> None:
    text = simple_pack("tuesday", "1.0.0", comment="keep this comment")
    source = write(tmp_path / "downloads", "Tuesday group.toml", text)
    outcome = import_pack(source, user_dir, bundled_dir=bundled)
    assert outcome.status is ImportStatus.IMPORTED and outcome.ok
    assert outcome.message == 'Imported "Pack tuesday" (tuesday 1.0.0, 2 sessions).'
    target = user_dir / "tuesday@1.0.0.toml"
    assert target.read_text(encoding="utf-8") == text  # the author's file as written, comments and all
    assert mode(target) == 0o600
    assert mode(user_dir) == 0o700
    assert mode(user_dir.parent) == 0o700  # a data folder created on the way is private too
    assert sorted(path.name for path in user_dir.iterdir()) == [
        "tuesday@1.0.0.toml"
    ]  # no temporary file left
    assert outcome.entry is not None and outcome.entry.path == target
    latest = Registry.load(user_dir, bundled_dir=bundled).latest("tuesday")
    assert latest is not None and latest.origin == "user"


def test_importing_twice_is_harmless(bundled: Path, user_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path, "tuesday.toml", simple_pack("tuesday", "1.0.0"))
    assert import_pack(source, user_dir, bundled_dir=bundled).status is ImportStatus.IMPORTED
    target = user_dir / "tuesday@1.0.0.toml"
    before = target.stat().st_mtime_ns
    again = import_pack(source, user_dir, bundled_dir=bundled)
    assert again.status is ImportStatus.ALREADY_INSTALLED and again.ok
    assert again.message == "tuesday 1.0.0 is already installed (user); nothing changed."
    assert target.stat().st_mtime_ns == before


def test_the_same_pack_with_other_comments_counts_as_already_installed(
    bundled: Path, user_dir: Path, tmp_path: Path
) -> None:
    source = write(tmp_path, "evening.toml", simple_pack("evening-group", "1.2.0", comment="reformatted"))
    outcome = import_pack(source, user_dir, bundled_dir=bundled)
    assert outcome.status is ImportStatus.ALREADY_INSTALLED
    assert not user_dir.exists()


def test_a_broken_pack_is_refused_with_its_problems(bundled: Path, user_dir: Path, tmp_path: Path) -> None:
    text = simple_pack("tuesday", "1.0.0").replace('version = "1.0.0"', 'version = "1.0"')
    text = text.replace("number = 2", "number = 1")
    source = write(tmp_path, "tuesday.toml", text)
    outcome = import_pack(source, user_dir, bundled_dir=bundled)
    assert outcome.status is ImportStatus.BROKEN and not outcome.ok
    assert outcome.message == "Not imported: tuesday.toml has 2 problems to fix first."
    assert [problem.path for problem in outcome.problems] == ["version", "units[0].sessions[1].number"]
    assert not user_dir.exists()


def test_an_unreadable_file_is_refused(bundled: Path, user_dir: Path, tmp_path: Path) -> None:
    outcome = import_pack(tmp_path / "missing.toml", user_dir, bundled_dir=bundled)
    assert outcome.status is ImportStatus.BROKEN
    assert outcome.message == "Not imported: missing.toml: could not read the file: No such file or directory"


def test_a_different_pack_under_a_bundled_id_and_version_is_refused(
    bundled: Path, user_dir: Path, tmp_path: Path
) -> None:
    changed = simple_pack("evening-group", "1.2.0", titles=("Noticing stress", "Slowing right down"))
    source = write(tmp_path, "evening.toml", changed)
    outcome = import_pack(source, user_dir, bundled_dir=bundled)
    assert outcome.status is ImportStatus.CONFLICT and not outcome.ok
    assert outcome.message == (
        "Not imported: evening-group 1.2.0 is already installed (bundled) with different content. Give your"
        " pack a new version (for example 1.2.1) and import it again."
    )
    assert not user_dir.exists()


def test_a_different_pack_under_a_user_id_and_version_is_refused(
    bundled: Path, user_dir: Path, tmp_path: Path
) -> None:
    first = write(tmp_path / "a", "tuesday.toml", simple_pack("tuesday", "1.0.0"))
    second = write(tmp_path / "b", "tuesday.toml", simple_pack("tuesday", "1.0.0", titles=("Other",)))
    assert import_pack(first, user_dir, bundled_dir=bundled).status is ImportStatus.IMPORTED
    outcome = import_pack(second, user_dir, bundled_dir=bundled)
    assert outcome.status is ImportStatus.CONFLICT
    assert "already installed (user) with different content" in outcome.message
    assert (user_dir / "tuesday@1.0.0.toml").read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_a_new_version_is_added_beside_the_old_one(bundled: Path, user_dir: Path, tmp_path: Path) -> None:
    for version in ("1.0.0", "1.1.0"):
        source = write(tmp_path / version, "tuesday.toml", simple_pack("tuesday", version))
        assert import_pack(source, user_dir, bundled_dir=bundled).status is ImportStatus.IMPORTED
    registry = Registry.load(user_dir, bundled_dir=bundled)
    assert [entry.version for entry in registry.versions("tuesday")] == ["1.1.0", "1.0.0"]


def test_a_file_in_the_way_is_not_overwritten(bundled: Path, user_dir: Path, tmp_path: Path) -> None:
    write(user_dir, "tuesday@1.0.0.toml", "this is not a pack")
    source = write(tmp_path, "tuesday.toml", simple_pack("tuesday", "1.0.0"))
    outcome = import_pack(source, user_dir, bundled_dir=bundled)
    assert outcome.status is ImportStatus.CONFLICT
    assert (user_dir / "tuesday@1.0.0.toml").read_text(encoding="utf-8") == "this is not a pack"


def test_a_warning_does_not_stop_an_import(bundled: Path, user_dir: Path, tmp_path: Path) -> None:
    text = simple_pack("tuesday", "1.0.0").replace("minutes = 30", "minutes = 120", 1)
    outcome = import_pack(write(tmp_path, "tuesday.toml", text), user_dir, bundled_dir=bundled)
    assert outcome.status is ImportStatus.IMPORTED
    assert outcome.message == 'Imported "Pack tuesday" (tuesday 1.0.0, 2 sessions) (1 to look at).'
    assert [problem.severity for problem in outcome.problems] == ["warning"]


def test_the_json_schema_describes_a_pack() -> None:
    schema = pack_json_schema()
    pack = schema["$defs"]["Pack"]
    assert {"id", "title", "version"} <= set(pack["required"])
    assert "units" in pack["properties"]
