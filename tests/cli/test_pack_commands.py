"""`facilitator pack ...` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.curricula.pack_samples import VALID_PACK, edited
from tests.fault_figures import count

PACKS = Path(__file__).parents[2] / "curricula" / "packs"

SMALL_PACK = VALID_PACK.replace("evening-group", "tuesday-coping")


def test_list_shows_the_bundled_packs_newest_first_with_their_earlier_versions(cli, tmp_path: Path) -> None:
    result = cli("pack", "list", "--db", str(tmp_path / "f.json"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "VERSION", "LANGUAGE", "TITLE", "SESSIONS", "ORIGIN", "STATUS"]
    rows = [line.split() for line in lines[1:]]
    newest = [
        row for row, before in zip(rows, [None, *rows], strict=False) if before is None or before[0] != row[0]
    ]
    assert [row[0] for row in newest] == [
        "clase-para-familias-es",
        "dbt-skills-style",
        "dual-recovery-style",
        "family-to-family-style",
        "imr-open-style",
        "imr-style",
        "open-group",
        "wrap-style",
    ]
    new_packs = {"clase-para-familias-es", "imr-open-style"}
    # Each reviewed pack's newest version comes first; the language column says what each is written in.
    assert all(row[1] != "1.0.0" for row in newest if row[0] not in new_packs)
    assert newest[0][:3] == ["clase-para-familias-es", "1.0.0", "es"]
    assert ["dual-recovery-style", "1.0.0", "en"] in [row[:3] for row in rows]  # kept for pinned groups
    assert all(line.split()[-1] == "ok" and " bundled " in line for line in lines[1:])


def test_check_the_bundled_packs(cli) -> None:
    result = cli("pack", "check", *map(str, sorted(PACKS.glob("*.toml"))))
    assert result.returncode == 0, result.stdout
    assert result.stdout.count(": ok — ") == 8


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
    assert "44 sessions of 90 minutes; 2 facilitators; groups of 8 or fewer; language en" in result.stdout
    spanish = cli("pack", "show", "clase-para-familias-es", "--db", str(tmp_path / "f.json"))
    assert "8 sessions of 150 minutes; 2 facilitators; language es" in spanish.stdout
    pinned = cli("pack", "show", "imr-style@1.0.0", "--db", str(tmp_path / "f.json"))
    assert pinned.stdout.startswith("Illness Management and Recovery (IMR-style) — imr-style 1.0.0 (bundled)")
    missing = cli("pack", "show", "nope", "--db", str(tmp_path / "f.json"))
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1


def test_schema_is_json_schema(cli) -> None:
    schema = json.loads(cli("pack", "schema").stdout)
    assert "Pack" in schema["$defs"] and "units" in schema["$defs"]["Pack"]["properties"]
    pack = schema["$defs"]["Pack"]["properties"]
    assert {"language", "group_size", "accessibility", "sheets", "changelog"} <= set(pack)
    assert "sheets" in schema["$defs"]["Session"]["properties"]
    assert schema["$defs"]["Template"]["properties"]["check_in"]["$ref"].endswith("CheckInStyle")


def test_check_lists_fifty_problems_then_says_how_many_more(cli, tmp_path: Path) -> None:
    count("bad inputs tried")
    hostile = tmp_path / "hostile.toml"
    hostile.write_text(
        'id = "x"\ntitle = "X"\nversion = "1.0.0"\n' + "".join(f"k{n} = 1\n" for n in range(60_000))
    )
    result = cli("pack", "check", str(hostile))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 52
    assert lines[0].startswith('hostile.toml:4 k0: unknown key "k0"')
    assert lines[-2:] == [
        "… and 950 more problems, perhaps others (checking stops at 1,000)",
        "hostile.toml: at least 1,000 error(s)",
    ]


def test_pack_text_and_file_names_reach_the_terminal_shown_not_obeyed(cli, tmp_path: Path) -> None:
    count("bad inputs tried", 3)
    db = tmp_path / "data" / "f.json"
    folder = tmp_path / "data" / "packs"
    folder.mkdir(parents=True)
    title = 'title = "Evening\\u001B]0;owned\\u0007 group\\u202E"'
    named = folder / "evil\x1b]0;owned\x07@1.0.0.toml"
    named.write_text(edited('title = "Evening coping group"', title))
    for result in (cli("pack", "list", "--db", str(db)), cli("pack", "check", str(named))):
        out = result.stdout + result.stderr
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out, out
        assert "evil␛]0;owned␇" in out
    checked = cli("pack", "check", str(named)).stdout
    assert "evil␛]0;owned␇@1.0.0.toml:2 title: has a control character (U+001B at character 8)" in checked
    refused = cli("pack", "import", str(named), "--db", str(db))
    assert refused.returncode == 1 and "\x1b" not in refused.stderr
    assert "Not imported: evil␛]0;owned␇@1.0.0.toml has 1 problem to fix first." in refused.stderr


def test_a_file_too_big_to_be_a_pack_is_one_line_and_not_imported(cli, tmp_path: Path) -> None:
    count("bad inputs tried")
    db = tmp_path / "data" / "f.json"
    big = tmp_path / "big.toml"
    with big.open("wb") as file:
        file.truncate(2 * 1024 * 1024)
    result = cli("pack", "import", str(big), "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "big.toml: the file is too large to be a pack (more than 1 MB)",
        "Not imported: big.toml: the file is too large to be a pack (more than 1 MB)",
    ]
    assert not (tmp_path / "data" / "packs").exists()


def test_handouts_writes_an_owner_only_pdf_that_reads_back(cli, tmp_path: Path) -> None:
    import io
    import stat

    from pypdf import PdfReader

    target = tmp_path / "out" / "imr.pdf"
    result = cli(
        "pack",
        "handouts",
        "imr-style",
        "--format",
        "pdf",
        "--output",
        str(target),
        "--db",
        str(tmp_path / "f.json"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote the handout checklist for Illness Management and Recovery")
    assert "44 sessions, 3 blank sheets" in result.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "1.1 What recovery means to me" in text and "My crisis card" in text


def test_handouts_as_html_for_an_earlier_version(cli, tmp_path: Path) -> None:
    target = tmp_path / "wrap.html"
    result = cli(
        "pack", "handouts", "wrap-style@1.0.0", "--output", str(target), "--db", str(tmp_path / "f.json")
    )
    assert result.returncode == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert "wrap-style 1.0.0" in result.stdout and "version 1.0.0" in page
    assert "My triggers" not in page  # the sheets came with 1.1.0


def test_handouts_of_an_unknown_pack_or_into_a_folder_is_one_line_and_writes_nothing(
    cli, tmp_path: Path
) -> None:
    db = str(tmp_path / "f.json")
    unknown = cli("pack", "handouts", "no-such-pack", "--output", str(tmp_path / "x.html"), "--db", db)
    folder = cli("pack", "handouts", "imr-style", "--output", str(tmp_path), "--db", db)
    for result in (unknown, folder):
        assert result.returncode == 1 and result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert "no usable pack 'no-such-pack'" in unknown.stderr
    assert "is a folder" in folder.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []
