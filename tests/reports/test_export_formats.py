"""The formats' own rules: CSV cells that a spreadsheet would run are neutralised, stored text never becomes
markup, pseudonyms and suppression behave, names are looked up by their start."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.reports.attendance_report import group_attendance_report
from facilitator.reports.csv_exports import attendance_long, neutral, to_csv
from facilitator.reports.document import Document, Paragraph, Table
from facilitator.reports.formats.html import to_html
from facilitator.reports.formats.markdown import escape, to_markdown
from facilitator.reports.lookup import LookupProblem, find_person
from facilitator.reports.privacy import Privacy
from facilitator.store.records import Participant
from tests.cli.export_helpers import html_cells
from tests.reports.records_for_tests import Course


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_is_neutralised(start: str) -> None:
    assert neutral(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"
    assert neutral("Ann =1") == "Ann =1" and neutral(12) == "12" and neutral(None) == ""


@given(st.lists(st.lists(st.text(max_size=12), min_size=2, max_size=2), max_size=6))
def test_csv_reads_back_one_value_a_cell(rows: list[list[str]]) -> None:
    text = to_csv(["a", "b"], rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[0] == ["a", "b"]
    assert back[1:] == [[neutral(v) for v in row] for row in rows]


def test_a_name_like_a_formula_stays_text_in_the_attendance_csv(store) -> None:
    course = Course(store, meetings=1)
    course.person('=HYPERLINK("http://example.invalid","x")', marks="P")
    report = group_attendance_report(store, course.group.id)
    [row] = list(csv.DictReader(io.StringIO(attendance_long(store, report, Privacy()), newline="")))
    assert row["person"] == "'" + '=HYPERLINK("http://example.invalid","x")'
    assert row["date"] == "2026-01-06" and row["status"] == "present" and row["minutes"] == "90"


HOSTILE = "<script>alert(1)</script> **bold** [link](x) | pipe & co"


def test_stored_text_is_shown_literally_in_html_and_markdown() -> None:
    document = Document(title=HOSTILE, blocks=(Paragraph(HOSTILE), Table(("Name",), ((HOSTILE,),))))
    page = to_html(document)
    parsed = html_cells(page)
    assert "script" not in parsed.tags and "a" not in parsed.tags
    assert parsed.cells == ["Name", HOSTILE]
    markdown = to_markdown(document)
    assert "<script>" not in markdown and "**bold**" not in markdown and "\\| pipe" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| \\<script"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 2  # one cell: the name's own pipe is escaped
    assert escape("# not a heading") == "\\# not a heading" and escape("1. not a list") == "1\\. not a list"


def test_pseudonyms_are_stable_and_drawn_afresh_for_each_export() -> None:
    ids = [f"id-{n}" for n in range(30)]
    first, second = Privacy(deidentify=True), Privacy(deidentify=True)
    first.assign(ids)
    second.assign(ids)
    names = [first.person(i, "Ann") for i in ids]
    assert sorted(names) == [f"P{n:02d}" for n in range(1, 31)]
    assert [first.person(i, "Ann") for i in ids] == names  # stable within one export
    assert names != [second.person(i, "Ann") for i in ids]  # another export, another draw
    assert names != sorted(names)  # not in the order of the ids
    assert first.text("a note") == "(withheld)" and first.text("") == "" and first.where("Clinic") == ""
    assert Privacy().person("id-1", "Ann") == "Ann" and Privacy().text("a note") == "a note"


def test_suppression_and_course_weeks() -> None:
    from datetime import date

    privacy = Privacy(deidentify=True, suppress_under=11, course_start=date(2026, 1, 6))
    assert [privacy.count(n) for n in (0, 1, 10, 11, 40)] == ["0", "<11", "<11", "11", "40"]
    assert privacy.day(date(2026, 1, 6)) == "week 1" and privacy.day(date(2026, 1, 19)) == "week 2"
    assert privacy.day(date(2025, 12, 1)) == "before the course (2025)"
    assert Privacy(deidentify=True).day(date(2026, 5, 1)) == "2026"
    assert Privacy().day(date(2026, 5, 1)) == "2026-05-01"


def test_people_are_found_by_a_unique_start(store) -> None:
    store.add(*(Participant(display_name=n) for n in ("Élodie T.", "Sam", "Samira K.", "Ben T.")))
    assert find_person(store, "elo").display_name == "Élodie T."
    assert find_person(store, "SAM").display_name == "Sam"  # a whole name wins over a longer one
    assert find_person(store, "sami").display_name == "Samira K."
    ben = find_person(store, "b")
    assert find_person(store, f"  {ben.id} ") == ben
    with pytest.raises(LookupProblem, match=r"no person matches 'zed'; people: Ben T\., Élodie T\., Sam"):
        find_person(store, "zed")
    store.add(Participant(display_name="Bea"))
    with pytest.raises(LookupProblem, match=r"'b' could be 2 people: Bea, Ben T\.; type more, or an id"):
        find_person(store, "b")
