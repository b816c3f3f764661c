"""`facilitator pack ...` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.curricula.pack_samples import VALID_PACK, edited

PACKS = Path(__file__).parents[2] / "curricula" / "packs"

SMALL_PACK = VALID_PACK.replace("evening-group", "tuesday-coping")


def test_list_shows_the_six_bundled_packs(cli, tmp_path: Path) -> None:
    result = cli("pack", "list", "--db", str(tmp_path / "f.json"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "VERSION", "TITLE", "SESSIONS", "ORIGIN", "STATUS"]
    ids = [line.split()[0] for line in lines[1:]]
    assert ids == [
        "dbt-skills-style",
        "dual-recovery-style",
        "family-to-family-style",
        "imr-style",
        "open-group",
        "wrap-style",
    ]
    assert all(line.split()[-1] == "ok" and " bundled " in line for line in lines[1:])


def test_check_the_bundled_packs(cli) -> None:
    result = cli("pack", "check", *map(str, sorted(PACKS.glob("*.toml"))))
    assert result.returncode == 0, result.stdout
    assert result.stdout.count(": ok — ") == 6


def test_check_a_broken_pack_lists_every_problem_with_its_line(cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    text = edited("minutes = 25\n", 'minuts = "ten"\n')
    broken.write_text(edited('title = "Noticing stress"', 'title = ""', text))
    result = cli("pack", "check", str(broken))
    assert result.returncode == 1
    out = result.stdout
    assert 'broken.toml:33 units[0].sessions[0].agenda[0].minuts: unknown key "minuts"' in out
    assert 'did you mean "minutes"?' in out
    assert "broken.toml:28 units[0].sessions[0].title: must not be blank" in out
    assert "broken.toml:30 units[0].sessions[0].agenda[0].minutes: " in out
    assert "broken.toml: 3 error(s)" in out
    assert "Traceback" not in out + result.stderr


def test_import_then_list_then_refuse_a_changed_copy(cli, tmp_path: Path) -> None:
    db = tmp_path / "data" / "f.json"
    pack = tmp_path / "mine.toml"
    pack.write_text(SMALL_PACK)
    result = cli("pack", "import", str(pack), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "Imported" in result.stdout
    installed = tmp_path / "data" / "packs" / "tuesday-coping@1.0.0.toml"
    assert installed.read_text() == SMALL_PACK and installed.stat().st_mode & 0o777 == 0o600
    listed = cli("pack", "list", "--db", str(db)).stdout
    assert any(line.startswith("tuesday-coping") and " user " in line for line in listed.splitlines())
    assert cli("pack", "import", str(pack), "--db", str(db)).returncode == 0  # same content: already there
    pack.write_text(SMALL_PACK.replace("Noticing stress", "Noticing strain"))
    refused = cli("pack", "import", str(pack), "--db", str(db))
    assert refused.returncode == 1 and "different content" in refused.stderr
    assert installed.read_text() == SMALL_PACK


def test_show_a_pack_and_an_unknown_one(cli, tmp_path: Path) -> None:
    result = cli("pack", "show", "imr-style", "--db", str(tmp_path / "f.json"))
    assert result.returncode == 0
    assert "11. Healthy Lifestyles [healthy-lifestyles]" in result.stdout
    assert "   1.1 " in result.stdout and "min  Goal follow-up (goal-follow-up)" in result.stdout
    missing = cli("pack", "show", "nope", "--db", str(tmp_path / "f.json"))
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1


def test_schema_is_json_schema(cli) -> None:
    schema = json.loads(cli("pack", "schema").stdout)
    assert "Pack" in schema["$defs"] and "units" in schema["$defs"]["Pack"]["properties"]
