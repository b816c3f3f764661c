"""A demo database shared by the export tests, and readers for what the exports write."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from facilitator.store import Store
from facilitator.store.records import AttendanceMark, Goal, Group, Meeting, MeetingStatus, Participant

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@dataclass
class Demo:
    path: Path
    names: list[str]  # display names
    first_names: list[str]
    free_text: list[str]  # notes, goal words, steps, check-in notes, reasons
    groups: dict[str, Group]
    imr_marks: int  # marks at the IMR group's held meetings
    imr_days: list[str]  # ISO days of its meetings


def read_demo(path: Path) -> Demo:
    with Store.open(path, read_only=True) as store:
        people = store.all(Participant)
        goals = store.all(Goal)
        free = [g.title for g in goals] + [g.why for g in goals if g.why]
        free += [s.text for g in goals for s in g.steps]
        free += [c.note for g in goals for c in g.check_ins if c.note]
        free += [m.notes for m in store.all(Meeting) if m.notes]
        free += [m.note for m in store.all(AttendanceMark) if m.note]
        groups = {g.name: g for g in store.groups()}
        imr = groups["Tuesday Recovery Group"]
        held = [m for m in store.group_meetings(imr.id) if m.status is MeetingStatus.HELD]
        marks = sum(len(store.meeting_marks(m.id)) for m in held)
        days = [m.scheduled_start.date().isoformat() for m in store.group_meetings(imr.id)]
    names = [p.display_name for p in people]
    return Demo(path, names, [n.split()[0] for n in names], sorted(set(free)), groups, marks, days)


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for spreadsheets"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


class Cells(HTMLParser):
    """The text of every table cell, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.tags: set[str] = set()
        self.attributes: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [f"{k}={v}" for k, v in attrs]
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_cells(text: str) -> Cells:
    parser = Cells()
    parser.feed(text)
    return parser


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def words_in(text: str, words: list[str]) -> list[str]:
    """The words (whole, case-sensitive) that occur in text."""
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
