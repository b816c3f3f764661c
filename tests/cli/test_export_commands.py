"""`facilitator export ...` on the demo database: its edges as a subprocess, its contents in-process.

Each export runs `facilitator.cli.main` with the arguments a user types (a subprocess costs a second of
imports; the few tests marked `as_a_user` run the installed command itself).
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from facilitator.cli import main
from facilitator.cli.demo import build_demo
from tests.cli.export_helpers import ISO_DAY, Demo, html_cells, pdf_pages, read_csv, read_demo, words_in
from tests.conftest import run_facilitator


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    build_demo(path, seed=7)
    return read_demo(path)


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


Export = Callable[..., Result]


@pytest.fixture
def export(demo: Demo, capsys: pytest.CaptureFixture[str]) -> Export:
    """`facilitator export --db DEMO ARGS`, in-process."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(["export", "--db", str(demo.path), *args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def as_a_user(demo: Demo, *args: str):
    """The installed command, as a subprocess."""
    return run_facilitator("export", "--db", str(demo.path), *args)


def written(export: Export, tmp_path: Path, name: str, *args: str) -> bytes:
    target = tmp_path / name
    result = export(*args, "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Wrote {target} ({target.stat().st_size:,} bytes, owner-only)"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    return target.read_bytes()


def test_attendance_csv_has_one_row_per_mark(demo: Demo, tmp_path: Path, export: Export) -> None:
    rows = read_csv(written(export, tmp_path, "a.csv", "attendance", "--group", "tues"))
    assert len(rows) == demo.imr_marks
    assert list(rows[0]) == [
        "group", "meeting", "date", "session", "person", "person_id", "status", "time", "minutes", "note"
    ]  # fmt: skip
    assert {r["group"] for r in rows} == {"Tuesday Recovery Group"}
    assert {r["date"] for r in rows} <= set(demo.imr_days)
    assert {r["status"] for r in rows} <= {"present", "late", "left early", "absent", "excused"}
    late = [r for r in rows if r["status"] == "late"]
    assert late and all(r["time"].startswith(r["date"] + "T") for r in late)
    assert all(int(r["minutes"]) == 0 for r in rows if r["status"] in ("absent", "excused"))


def test_attendance_csv_wide_is_the_grid(demo: Demo, tmp_path: Path, export: Export) -> None:
    data = written(
        export, tmp_path, "w.csv", "attendance", "--group", "Tuesday Recovery Group", "--format", "csv-wide"
    )
    rows = read_csv(data)
    assert len(rows) == 14  # the IMR group's roster
    header = list(rows[0])
    assert header[0] == "person" and header[-4:] == ["came", "marked", "rate", "minutes"]
    assert all(int(r["came"]) <= int(r["marked"]) for r in rows)
    assert {r["person"] for r in rows} <= set(demo.names)


def test_a_date_range_keeps_only_its_meetings(demo: Demo, tmp_path: Path, export: Export) -> None:
    first, fourth = demo.imr_days[0], demo.imr_days[3]
    rows = read_csv(
        written(export, tmp_path, "r.csv", "attendance", "--group", "tue", "--from", first, "--to", fourth)
    )
    assert {r["date"] for r in rows} == set(demo.imr_days[:4])


def test_attendance_html_and_markdown_hold_the_roster(demo: Demo, tmp_path: Path, export: Export) -> None:
    page = written(export, tmp_path, "a.html", "attendance", "--group", "tue").decode()
    cells = html_cells(page)
    roster = [c for c in cells.cells if c in demo.names]
    assert len(set(roster)) == 14
    assert "script" not in cells.tags and "link" not in cells.tags and "img" not in cells.tags
    assert "http://" not in page and "https://" not in page
    assert "@page" in page and "svg" in cells.tags  # print CSS and the chart
    markdown = written(export, tmp_path, "a.md", "attendance", "--group", "tue").decode()
    assert "| Rate | How it is counted |" in markdown and "by attendee" in markdown
    assert sum(1 for name in demo.names if f"| {name.replace('.', '.')} |" in markdown) == 14


def test_goals_csv_holds_goals_steps_and_check_ins(demo: Demo, tmp_path: Path, export: Export) -> None:
    rows = read_csv(written(export, tmp_path, "g.csv", "goals", "--group", "tue"))
    kinds = {r["record"] for r in rows}
    assert kinds == {"goal", "step", "check-in"}
    goals = [r for r in rows if r["record"] == "goal"]
    assert len(goals) == 14 and all(1 <= int(r["rating"]) <= 5 for r in rows if r["record"] == "check-in")
    one = run_facilitator(
        "export", "--db", str(demo.path), "goals", "--person", goals[0]["person"], "--output", "-"
    )
    assert one.returncode == 0 and goals[0]["goal"] in one.stdout


def test_the_group_report_in_three_formats(demo: Demo, tmp_path: Path, export: Export) -> None:
    markdown = written(export, tmp_path, "r.md", "report", "--group", "tue").decode()
    for heading in ("## Attendance", "## Completion", "## Goal progress", "## IMR fidelity self-check"):
        assert heading in markdown
    assert "not a fidelity review" in markdown
    assert "33 of 44 meetings" in markdown  # 75% of the IMR course, rounded up
    pages = pdf_pages(written(export, tmp_path, "r.pdf", "report", "--group", "tue"))
    text = "\n".join(pages)
    assert "IMR fidelity self-check" in text and "Completion" in text
    family = written(export, tmp_path, "f.md", "report", "--group", "spring").decode()
    assert "## Completion" in family and "fidelity" not in family  # not an IMR-style group


def test_sign_in_sheets(demo: Demo, tmp_path: Path, export: Export) -> None:
    page = written(export, tmp_path, "s.html", "sign-in", "--group", "tue", "--paper", "letter").decode()
    cells = html_cells(page)
    assert "size: letter" in page
    assert len([c for c in cells.cells if c in demo.names]) == 14
    [text] = pdf_pages(written(export, tmp_path, "s.pdf", "sign-in", "--group", "tue"))
    assert all(name in text for name in set(c for c in cells.cells if c in demo.names))
    assert "Signature" in text
    numbered = written(export, tmp_path, "n.html", "sign-in", "--group", "tue", "--meeting", "2").decode()
    assert "meeting 2:" in numbered


def test_a_written_file_is_named_on_stdout_as_a_user_runs_it(demo: Demo, tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    result = as_a_user(demo, "attendance", "--group", "tue", "--output", str(target))
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.strip() == f"Wrote {target} ({target.stat().st_size:,} bytes, owner-only)"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_letter_and_a_certificate(demo: Demo, tmp_path: Path, export: Export) -> None:
    grid = read_csv(
        written(export, tmp_path, "w.csv", "attendance", "--group", "spring", "--format", "csv-wide")
    )
    done = next(r["person"] for r in grid if int(r["came"]) >= 6)
    short = next((r["person"] for r in grid if int(r["came"]) < 6), None)
    [letter] = pdf_pages(written(export, tmp_path, "l.pdf", "letter", "--person", done, "--group", "spring"))
    assert "Proof of attendance" in letter and done in letter and "Ruth Bennett" in letter
    assert "Signed (facilitator)" in letter
    html = written(export, tmp_path, "c.html", "certificate", "--person", done, "--group", "spring").decode()
    assert "Certificate of completion" in html and done in html
    assert pdf_pages(written(export, tmp_path, "c.pdf", "certificate", "--person", done, "--group", "spring"))
    if short is not None:
        refused = export(
            "certificate", "--person", short, "--group", "spring", "--output", str(tmp_path / "x")
        )
        assert refused.returncode == 1 and "has not completed" in refused.stderr
        assert not (tmp_path / "x").exists()


def test_letters_and_certificates_refuse_deidentify(demo: Demo, tmp_path: Path, export: Export) -> None:
    for kind in ("letter", "certificate"):
        result = export(kind, "--person", demo.names[0], "--deidentify", "--output", str(tmp_path / "x.pdf"))
        assert result.returncode == 1 and "cannot be de-identified" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "x.pdf").exists()


DEIDENTIFIED = [
    ("a.csv", "attendance", "csv"),
    ("w.csv", "attendance", "csv-wide"),
    ("a.md", "attendance", "md"),
    ("a.html", "attendance", "html"),
    ("g.csv", "goals", "csv"),
    ("r.md", "report", "md"),
    ("r.html", "report", "html"),
    ("r.pdf", "report", "pdf"),
    ("s.html", "sign-in", "html"),
]


@pytest.mark.parametrize(("name", "kind", "fmt"), DEIDENTIFIED)
def test_deidentified_exports_hold_no_names_free_text_or_full_dates(
    demo, tmp_path, name, kind, fmt, export: Export
) -> None:
    data = written(export, tmp_path, name, kind, "--group", "tue", "--format", fmt, "--deidentify")
    text = "\n".join(pdf_pages(data)) if fmt == "pdf" else data.decode("utf-8-sig")
    assert words_in(text, demo.names) == []
    assert words_in(text, demo.first_names) == []
    assert [t for t in demo.free_text if t in text] == []
    assert ISO_DAY.findall(text) == []
    for private in ("Riverside Clinic", "Sam Okafor", "Jude Harris"):
        assert private not in text
    assert "P01" in text or (fmt == "pdf" and "P0" in text)


def test_pseudonyms_are_stable_within_one_export(demo: Demo, tmp_path: Path, export: Export) -> None:
    rows = read_csv(written(export, tmp_path, "a.csv", "attendance", "--group", "tue", "--deidentify"))
    wide = read_csv(
        written(
            export, tmp_path, "w.csv", "attendance", "--group", "tue", "--format", "csv-wide", "--deidentify"
        )
    )
    assert "person_id" not in rows[0] and {r["note"] for r in rows} <= {"", "(withheld)"}
    assert sorted({r["person"] for r in rows}) == [f"P{n:02d}" for n in range(1, 15)]
    assert {r["date"] for r in rows} <= {f"week {n}" for n in range(1, 30)}
    assert sorted(r["person"] for r in wide) == [f"P{n:02d}" for n in range(1, 15)]


def test_suppression_hides_small_counts_and_each_persons_row(
    demo: Demo, tmp_path: Path, export: Export
) -> None:
    markdown = written(
        export, tmp_path, "r.md", "report", "--group", "tue", "--deidentify", "--suppress-under", "11"
    ).decode()
    assert "<11" in markdown.replace("\\<", "<")
    assert "Person by person" not in markdown and "suppressed" in markdown
    assert "P01" not in markdown


def test_names_are_found_by_a_unique_start_without_case_or_accents(
    demo: Demo, tmp_path: Path, export: Export
) -> None:
    ambiguous = as_a_user(demo, "report", "--group", "t", "--output", str(tmp_path / "x.md"))
    assert ambiguous.returncode == 1
    assert ambiguous.stderr.strip() == (
        "facilitator: 't' could be 2 groups: Thursday WRAP Workshop, Tuesday Recovery Group; "
        "type more, or an id"
    )
    unknown = export("report", "--group", "nobody", "--output", str(tmp_path / "x.md"))
    assert (
        unknown.returncode == 1
        and "no group matches 'nobody'; groups: Dual Recovery Drop-in" in unknown.stderr
    )
    by_id = export(
        "report", "--group", demo.groups["Spring Family Class"].id, "--output", str(tmp_path / "i.md")
    )
    assert by_id.returncode == 0 and "Spring Family Class" in (tmp_path / "i.md").read_text()
    accented = [n for n in demo.names if n.startswith("Élodie")]
    if accented:
        found = export("goals", "--person", "ELODIE", "--output", str(tmp_path / "e.csv"))
        assert found.returncode == 0 and accented[0] in (tmp_path / "e.csv").read_text(encoding="utf-8-sig")
    assert not (tmp_path / "x.md").exists()


def test_nothing_is_written_over_a_file_or_into_a_missing_folder(
    demo: Demo, tmp_path: Path, export: Export
) -> None:
    target = tmp_path / "kept.csv"
    target.write_text("mine")
    refused = as_a_user(demo, "attendance", "--group", "tue", "--output", str(target))
    assert refused.returncode == 1 and "already exists; add --force" in refused.stderr
    assert target.read_text() == "mine"
    forced = export("attendance", "--group", "tue", "--output", str(target), "--force")
    assert forced.returncode == 0 and target.read_text(encoding="utf-8-sig").startswith("group,")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    missing = export("attendance", "--group", "tue", "--output", str(tmp_path / "no" / "a.csv"))
    assert missing.returncode == 1 and "there is no folder" in missing.stderr
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ("attendance", "--group", "tue", "--format", "pdf"),
            "attendance is made as csv or csv-wide or md or html",
        ),
        (("attendance",), "say which group"),
        (("letter", "--group", "tue"), "say who the letter is for"),
        (("attendance", "--group", "tue", "--from", "not a day"), "not a day"),
        (("attendance", "--group", "tue", "--from", "2026-03-05", "--to", "2026-03-01"), "is after --to"),
        (("report", "--group", "tue", "--names", "initials"), "--names is for a sign-in sheet"),
        (("sign-in", "--group", "tue", "--meeting", "99"), "has no meeting 99"),
    ],
)
def test_bad_options_are_one_line_and_write_nothing(
    demo: Demo, tmp_path: Path, args, says, export: Export
) -> None:
    target = tmp_path / "out"
    result = export(*args, "--output", str(target))
    assert result.returncode == 1, result.stdout
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and not target.exists()
