"""The Reports screen's dialogs: the span of days, and the export (what, format, de-identified, the file).

The export dialog echoes the whole path it will write as the choices change, and refuses in one line what
cannot be made (a letter cannot be de-identified, a file that is there already) before anything is computed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from facilitator.course.dates import DateError, parse_when
from facilitator.host import host_of
from facilitator.reports.exports import FORMATS, ExportRefused, ExportRequest, check
from facilitator.reports.period import Period
from facilitator.screens.forms import OK, FormScreen, Verdict
from facilitator.screens.reports.subjects import Subject

GROUP_KINDS = ("report", "attendance", "goals", "sign-in")
PERSON_KINDS = ("letter", "certificate", "goals")
KIND_WORDS = {
    "report": "the group report",
    "attendance": "attendance",
    "goals": "goals, steps and check-ins",
    "sign-in": "a sign-in sheet for the next meeting",
    "letter": "a proof-of-attendance letter",
    "certificate": "a certificate of completion",
}
SUFFIX = {"csv": ".csv", "csv-wide": "-grid.csv", "md": ".md", "html": ".html", "pdf": ".pdf"}


def slug(text: str) -> str:
    """A file-name-safe form of a name: "Tuesday Recovery Group" → "tuesday-recovery-group"."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40] or "export"


def default_file(folder: Path, name: str, kind: str, fmt: str, deidentify: bool) -> Path:
    tail = "-deidentified" if deidentify else ""
    return folder / f"{slug(name)}-{kind}{tail}{SUFFIX[fmt]}"


class PeriodForm(FormScreen[Period]):
    """From and to days; either left empty leaves that side open."""

    heading = "Dates for the report"

    def __init__(self, period: Period) -> None:
        super().__init__()
        self.period = period

    def body(self) -> ComposeResult:
        start = self.period.start.isoformat() if self.period.start else ""
        end = self.period.end.isoformat() if self.period.end else ""
        yield self.text_field("From (empty: from the start)", "period-from", value=start, check=self.a_day)
        yield self.text_field("To (empty: up to today and on)", "period-to", value=end, check=self.a_day)

    def a_day(self, value: str) -> Verdict:
        if not value.strip():
            return OK
        try:
            when = parse_when(value, host_of(self.app).clock())
        except DateError as error:
            return Verdict(False, str(error))
        return Verdict(True, f"→ {when.day.isoformat()}")

    def result(self) -> Period | None:
        start = self.day("period-from", "local") if self.text("period-from") else None
        end = self.day("period-to", "local") if self.text("period-to") else None
        if start and end and start > end:
            self.refuse("The first day is after the last.")
            return None
        return Period(start, end)


@dataclass(frozen=True, slots=True)
class ExportChoice:
    request: ExportRequest
    target: Path


class ExportDialog(FormScreen[ExportChoice]):
    """What to export, in which format, de-identified or not, and where; the file's path echoed."""

    def __init__(self, subject: Subject, name: str, period: Period, folder: Path) -> None:
        super().__init__()
        self.subject = subject
        self.subject_name = name
        self.period = period
        self.folder = folder
        self.kinds = GROUP_KINDS if subject.kind == "group" else PERSON_KINDS
        self.heading = f"Export: {name}"
        self.shown_kind = self.kinds[0]
        self.suggested = default_file(folder, name, self.kinds[0], FORMATS[self.kinds[0]][0], False)

    def body(self) -> ComposeResult:
        kind = self.kinds[0]
        yield self.choice_field("What", "export-kind", [(KIND_WORDS[k], k) for k in self.kinds], value=kind)
        yield self.choice_field(
            "Format", "export-format", [(f, f) for f in FORMATS[kind]], value=FORMATS[kind][0]
        )
        yield self.choice_field(
            "De-identified (no names or free text; for funders)",
            "export-deidentify",
            [("no: names as recorded", False), ("yes: pseudonyms and course weeks", True)],
            value=False,
        )
        yield self.text_field("File", "export-file", value=str(self.suggested))
        yield Static("", id="export-echo", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_dependent()

    def chosen(self) -> tuple[str, str, bool]:
        kind = self.choice("export-kind") or self.kinds[0]
        fmt = self.choice("export-format")
        if fmt not in FORMATS[kind]:
            fmt = FORMATS[kind][0]
        return kind, fmt, bool(self.choice("export-deidentify"))

    def refresh_dependent(self) -> None:
        kind, fmt, deidentify = self.chosen()
        if kind != self.shown_kind:  # another kind: its own formats
            self.shown_kind = kind
            formats = self.query_one("#export-format", Select)
            formats.set_options([(f, f) for f in FORMATS[kind]])
            formats.value = fmt
        file_field = self.query_one("#export-file", Input)
        suggestion = default_file(self.folder, self.subject_name, kind, fmt, deidentify)
        if file_field.value == str(self.suggested) and suggestion != self.suggested:
            self.suggested = suggestion
            file_field.value = str(suggestion)
        self.query_one("#export-echo", Static).update(f"Will write {self.target()}")

    def target(self) -> Path:
        text = self.query_one("#export-file", Input).value.strip()
        path = Path(text).expanduser() if text else self.suggested
        return path if path.is_absolute() else self.folder / path

    def result(self) -> ExportChoice | None:
        kind, fmt, deidentify = self.chosen()
        request = ExportRequest(
            kind=kind,
            format=fmt,
            group_id=self.subject.group_id,
            participant_id=self.subject.participant_id,
            period=self.period,
            deidentify=deidentify,
        )
        try:
            check(request)
        except ExportRefused as problem:
            self.refuse(f"{problem}.")
            return None
        target = self.target()
        if target.exists():
            self.refuse(f"{target} is there already: give another file name.")
            return None
        return ExportChoice(request, target)
