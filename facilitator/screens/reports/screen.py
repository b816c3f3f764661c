"""The Reports screen (`5`): pick a group or a person and the days; the report is computed in a worker.

The list on the left holds every group, then every person; the report of the highlighted one shows on the
right as soon as it is computed (never on the event loop). `f` sets the days, `x` exports what is shown, with
the format and the de-identified choice in one dialog that echoes the file it will write.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from facilitator.display import one_line
from facilitator.messages import OpenGroup, OpenPerson
from facilitator.reports.document import Document
from facilitator.reports.period import EVERYTHING, Period
from facilitator.screens.base import AppScreen
from facilitator.screens.reports.dialogs import ExportChoice, ExportDialog, PeriodForm
from facilitator.screens.reports.subjects import Subject, name_of, report_document
from facilitator.store.records import Participant
from facilitator.store.store import sort_key
from facilitator.widgets.keys_footer import KeysFooter
from facilitator.widgets.report_view import ReportView


class ReportsScreen(AppScreen):
    """Reports on a group or a person, over the whole course or a span of days, and their exports."""

    TITLE = "Reports"
    BINDINGS = [
        Binding(
            "x", "export", "Export", tooltip="A file of what is shown, or a sheet, a letter, a certificate"
        ),
        Binding("f", "set_period", "Dates", tooltip="Only the meetings between two days"),
        Binding("w", "whole_course", "Whole course", show=False, tooltip="Every meeting again"),
        Binding("o", "open_subject", "Open", show=False, tooltip="The group's or the person's own screen"),
    ]

    def __init__(self, group_id: str | None = None, participant_id: str | None = None) -> None:
        super().__init__()
        self.wanted = (
            Subject("group", group_id)
            if group_id
            else Subject("person", participant_id)
            if participant_id
            else None
        )
        self.subjects: list[Subject] = []
        self.subject: Subject | None = None
        self.period: Period = EVERYTHING
        self.document: Document | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="reports-body"):
            yield OptionList(id="report-subjects")
            with VerticalScroll(id="report-box"):
                yield ReportView("", id="report-view")
        yield Static("", id="report-period", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        options: list[Option | None] = []
        groups = self.store.groups()
        people = sorted(self.store.all(Participant), key=lambda p: sort_key(p.display_name))
        options.append(Option(Text("Groups", style="bold"), disabled=True))
        for group in groups:
            self.subjects.append(Subject("group", group.id))
            options.append(Option(Text(one_line(group.name)), id=f"group:{group.id}"))
        options.append(Option(Text("People", style="bold"), disabled=True))
        for person in people:
            self.subjects.append(Subject("person", person.id))
            options.append(Option(Text(one_line(person.display_name)), id=f"person:{person.id}"))
        listing = self.query_one("#report-subjects", OptionList)
        listing.add_options(options)
        listing.focus()
        start = self.wanted or (self.subjects[0] if self.subjects else None)
        if start is None:
            self.query_one(ReportView).show_line(
                "No groups or people yet: create a group from a pack (2, then n)."
            )
            return
        listing.highlighted = listing.get_option_index(f"{start.kind}:{start.id}")
        self.choose(start)

    @on(OptionList.OptionHighlighted, "#report-subjects")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        kind, _, record_id = (event.option.id or "").partition(":")
        if record_id:
            self.choose(Subject(kind, record_id))

    def choose(self, subject: Subject) -> None:
        if subject == self.subject and self.document is not None:
            return
        self.subject = subject
        self.recompute()

    def recompute(self) -> None:
        if self.subject is None:
            return
        self.document = None
        name = one_line(name_of(self.store, self.subject))
        self.query_one(ReportView).show_line(f"Working out the report for {name}…")
        self.query_one("#report-period", Static).update(
            f"Dates: {self.period.words()} · f: change · w: whole course · x: export"
        )
        self.compute(self.subject, self.period)

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def compute(self, subject: Subject, period: Period) -> None:
        """Compute the report off the event loop; only the newest one asked for is shown."""
        today = self.now().astimezone().date()
        packs_dir = self.packs_dir()
        try:
            document = report_document(self.store, subject, period, today, packs_dir)
        except KeyError:
            document = None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, subject, period, document)

    def show(self, subject: Subject, period: Period, document: Document | None) -> None:
        if subject != self.subject or period != self.period:
            return  # a newer choice is being worked out
        view = self.query_one(ReportView)
        if document is None:
            view.show_line("That record is no longer there.")
            return
        self.document = document
        view.show_document(document)

    def packs_dir(self) -> Path:
        from facilitator.store.files import packs_folder

        return packs_folder(self.store.path)

    def exports_folder(self) -> Path:
        """Exports live beside the database, in a folder of their own (made owner-only on first use)."""
        return self.store.path.parent / "exports"

    def action_set_period(self) -> None:
        def chosen(period: Period | None) -> None:
            if period is not None and period != self.period:
                self.period = period
                self.recompute()

        self.app.push_screen(PeriodForm(self.period), chosen)

    def action_whole_course(self) -> None:
        if self.period != EVERYTHING:
            self.period = EVERYTHING
            self.recompute()

    def action_open_subject(self) -> None:
        if self.subject is None:
            return
        if self.subject.kind == "group":
            self.post_message(OpenGroup(self.subject.id))
        else:
            self.post_message(OpenPerson(self.subject.id))

    def action_export(self) -> None:
        if self.subject is None:
            self.notify("Pick a group or a person first.", severity="warning")
            return
        subject, period = self.subject, self.period
        name = name_of(self.store, subject)

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                self.notify(one_line(f"Writing {choice.target}…"), markup=False)
                self.write_export(choice)

        self.app.push_screen(ExportDialog(subject, name, period, self.exports_folder()), chosen)

    @work(thread=True, group="export", exit_on_error=False)
    def write_export(self, choice: ExportChoice) -> None:
        """Compute the file and write it (atomically, owner-only) off the event loop; say how it went."""
        from facilitator.reports.exports import ExportRefused, export_bytes, save_export
        from facilitator.store.durable import ensure_private_dir

        today = self.now().astimezone().date()
        try:
            pack = None
            if choice.request.kind == "report" and choice.request.group_id:
                from facilitator.course.packs import PackLibrary
                from facilitator.store.records import Group

                group = self.store.get(Group, choice.request.group_id)
                pack = PackLibrary.of(self.packs_dir()).pinned(group) if group else None
            data = export_bytes(self.store, choice.request, today, pack)
            if choice.target.parent == self.exports_folder():
                ensure_private_dir(choice.target.parent)
            save_export(choice.target, data, force=False)
        except ExportRefused as problem:
            self.app.call_from_thread(
                self.notify, one_line(f"Not exported: {problem}."), severity="error", markup=False
            )
            return
        except OSError as error:
            line = f"Not exported: could not write {choice.target}: {error.strerror or error}."
            self.app.call_from_thread(self.notify, one_line(line), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, one_line(f"Wrote {choice.target} (owner-only)."), markup=False)
