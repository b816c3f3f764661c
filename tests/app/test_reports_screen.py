"""The Reports screen (5): a group's or a person's report computed in a worker, the days, the export."""

from __future__ import annotations

import io
import stat

from rich.console import Console
from textual.widgets import Input, OptionList, Select

from facilitator.screens.group.screen import GroupScreen
from facilitator.screens.person.screen import ParticipantScreen
from facilitator.screens.reports.dialogs import ExportDialog, PeriodForm
from facilitator.screens.reports.screen import ReportsScreen
from facilitator.widgets.report_view import ReportView
from tests.app.screen_helpers import demo_app, group_named, quiet, settle, shown, type_text


def report_text(pilot) -> str:
    """The report as the terminal shows it, in plain text."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(pilot.app.screen.query_one(ReportView).content)
    return console.export_text()


async def open_reports(pilot) -> ReportsScreen:
    await settle(pilot)
    await pilot.press("5")
    await quiet(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportsScreen)
    return screen


async def pick(pilot, option_id: str) -> None:
    listing = pilot.app.screen.query_one("#report-subjects", OptionList)
    listing.highlighted = listing.get_option_index(option_id)
    await quiet(pilot)


async def test_five_opens_the_first_groups_report_and_the_imr_group_has_its_self_check(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        first = store.groups()[0]
        assert screen.subject is not None and screen.subject.id == first.id
        text = report_text(pilot)
        assert f"{first.name}: group report" in text
        assert "by attendee" in text and "by meeting" in text and "Completion" in text
        assert "People who came, meeting by meeting" in text and "█" in text  # the chart
        imr = group_named(store, "Tuesday Recovery Group")
        await pick(pilot, f"group:{imr.id}")
        text = report_text(pilot)
        assert "Tuesday Recovery Group: group report" in text
        assert "IMR fidelity self-check" in text and "not a fidelity review" in text
        assert "33 of 44 meetings" in text


async def test_a_person_and_a_span_of_days(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        people = [o for o in screen.subjects if o.kind == "person"]
        await pick(pilot, f"person:{people[0].id}")
        text = report_text(pilot)
        assert ": attendance and goals" in text
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PeriodForm)
        await type_text(pilot, "2026-02-01")
        await pilot.press("ctrl+s")
        await quiet(pilot)
        assert screen.period.start is not None and screen.period.start.isoformat() == "2026-02-01"
        assert "from 2026-02-01" in shown(pilot, "#report-period")
        assert "From 2026-02-01" in report_text(pilot)
        await pilot.press("w")
        await quiet(pilot)
        assert screen.period.start is None and "The whole course" in report_text(pilot)


async def test_the_export_dialog_echoes_and_writes_the_file(store, clock, db_path) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await open_reports(pilot)
        imr = group_named(store, "Tuesday Recovery Group")
        await pick(pilot, f"group:{imr.id}")
        await pilot.press("x")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportDialog)
        expected = db_path.parent / "exports" / "tuesday-recovery-group-report.md"
        assert shown(pilot, "#export-echo") == f"Will write {expected}"
        dialog.query_one("#export-deidentify", Select).value = True
        await pilot.pause()
        deidentified = db_path.parent / "exports" / "tuesday-recovery-group-report-deidentified.md"
        assert dialog.query_one("#export-file", Input).value == str(deidentified)
        assert shown(pilot, "#export-echo") == f"Will write {deidentified}"
        await pilot.press("ctrl+s")
        await quiet(pilot)
        assert not isinstance(pilot.app.screen, ExportDialog)
        text = deidentified.read_text()
        assert stat.S_IMODE(deidentified.stat().st_mode) == 0o600
        assert "IMR fidelity self-check" in text
        names = [p.display_name for _, p in store.roster(imr.id)]
        assert [n for n in names if n in text] == []


async def test_the_export_dialog_refuses_in_one_line_and_writes_nothing(store, clock, db_path) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        person = next(s for s in screen.subjects if s.kind == "person")
        await pick(pilot, f"person:{person.id}")
        await pilot.press("x")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-kind", Select).value == "letter"
        dialog.query_one("#export-deidentify", Select).value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is dialog
        assert "cannot be de-identified" in shown(pilot, "#form-problem")
        await pilot.press("escape")
        await quiet(pilot)
        assert not (db_path.parent / "exports").exists()


async def test_the_group_and_participant_screens_link_to_their_reports(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        imr = group_named(store, "Tuesday Recovery Group")
        pilot.app.push_screen(GroupScreen(imr.id))
        await quiet(pilot)
        await pilot.press("R")
        await quiet(pilot)
        screen = pilot.app.screen
        assert (
            isinstance(screen, ReportsScreen) and screen.subject is not None and screen.subject.id == imr.id
        )
        assert "Tuesday Recovery Group: group report" in report_text(pilot)
        await pilot.press("q")
        await quiet(pilot)
        person = store.roster(imr.id)[0][1]
        pilot.app.push_screen(ParticipantScreen(person.id))
        await quiet(pilot)
        await pilot.press("R")
        await quiet(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReportsScreen) and screen.subject is not None
        assert screen.subject.id == person.id
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = str(pilot.app.screen.query_one("Static").render())
        assert "Export" in help_text and "Dates" in help_text


async def test_the_completion_threshold_is_set_on_the_group_and_the_report_follows(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        imr = group_named(store, "Tuesday Recovery Group")
        pilot.app.push_screen(GroupScreen(imr.id))
        await quiet(pilot)
        await pilot.press("g")
        await pilot.pause()
        field = pilot.app.screen.query_one("#completion", Input)
        assert field.value == "75"
        field.value = ""
        field.focus()
        await type_text(pilot, "150")
        assert "1 to 100" in shown(pilot, "#completion-note")
        await pilot.press("ctrl+s")
        assert group_named(store, "Tuesday Recovery Group").completion_threshold == 0.75  # refused
        field.value = ""
        await type_text(pilot, "50")
        await pilot.press("ctrl+s")
        await quiet(pilot)
        assert group_named(store, "Tuesday Recovery Group").completion_threshold == 0.5
        await pilot.press("R")
        await quiet(pilot)
        assert "22 of 44 meetings (50% of the course, rounded up)" in report_text(pilot)
