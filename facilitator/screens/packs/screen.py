"""The Packs screen (4): every installed pack, broken ones with their problems; browse, import, check, print.

The registry and pack files are read in a thread (several TOML files take longer than a frame).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from curricula.loader import load_pack
from curricula.registry import ImportOutcome, PackEntry, Registry, import_pack
from facilitator.course.packs import PackLibrary
from facilitator.display import literal
from facilitator.screens.base import AppScreen
from facilitator.screens.packs.browser import PackBrowser
from facilitator.screens.packs.dialogs import (
    PackFileForm,
    ReportDialog,
    packs_folder,
    problem_lines,
    with_registry,
)
from facilitator.widgets.keys_footer import KeysFooter
from facilitator.widgets.tables import fill_table, selected_key


def status_words(entry: PackEntry) -> str:
    """ "✓ ok", "⚠ ok, 2 warnings" or "✗ broken, 3 problems": a glyph and words, never colour alone."""
    count = len(entry.problems)
    if not entry.ok:
        return f"✗ broken, {count} problem{'' if count == 1 else 's'}"
    if count:
        return f"⚠ ok, {count} warning{'' if count == 1 else 's'}"
    return "✓ ok"


class PacksScreen(AppScreen):
    """The installed course packs: bundled with the app, and imported into the data folder."""

    TITLE = "Packs"
    BINDINGS = [
        Binding("enter", "browse", "Browse the pack", show=False),
        Binding("i", "import_file", "Import a pack", tooltip="Check a pack file and install it"),
        Binding("c", "check_file", "Check a file", tooltip="List every problem in a pack file"),
        Binding(
            "h",
            "handouts",
            "Handout checklist",
            tooltip="Write the pack's handout checklist, accessibility notes and blank sheets as a PDF",
        ),
    ]
    EDITS = frozenset({"import_file"})
    AUTO_FOCUS = "#packs-table"

    def __init__(self) -> None:
        super().__init__()
        self.registry: Registry | None = None
        self.entries: dict[str, PackEntry] = {}  # by file path: an id and version can be in two files

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Installed packs (reading…)", id="packs-count", classes="section-title")
        yield DataTable(id="packs-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="packs-outcome", markup=False)
        with VerticalScroll(id="pack-detail-box"):
            yield Static("", id="pack-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "Pack", "Version", "Language", "Status", "Sessions", "From", "Title"
        )
        with_registry(self.app, self.show_registry)

    def show_registry(self, registry: Registry, keep: str | None = None) -> None:
        """Show the packs, with the cursor on `keep` (a file path) or where it was."""
        if self not in self.app.screen_stack:
            return  # left before the packs were read
        self.registry = registry
        entries = registry.list()
        self.entries = {str(entry.path): entry for entry in entries}
        rows = [
            (
                str(entry.path),
                (
                    literal(entry.id),
                    literal(entry.version),
                    literal(entry.pack.language if entry.pack is not None else "?"),
                    status_words(entry),
                    str(entry.session_count),
                    entry.origin,
                    literal(entry.title),
                ),
            )
            for entry in entries
        ]
        table = self.query_one(DataTable)
        fill_table(table, rows, keep=keep or selected_key(table))
        broken = sum(1 for entry in entries if not entry.ok)
        count = f"Installed packs ({len(entries)}" + (f", {broken} broken)" if broken else ")")
        self.query_one("#packs-count", Static).update(
            Text.assemble(count, (f" · imported packs live in {packs_folder(self.app)}", "dim"))
        )
        self.show_detail()

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        entry = self.selected()
        self.query_one("#pack-detail", Static).update(
            detail_text(entry, self.groups_on(entry)) if entry else self.folder_problems()
        )

    def selected(self) -> PackEntry | None:
        key = selected_key(self.query_one(DataTable))
        return self.entries.get(key) if key else None

    def groups_on(self, entry: PackEntry) -> list[str]:
        """The names of the groups pinned to this pack version."""
        return [
            g.name for g in self.store.groups() if (g.pack_id, g.pack_version) == (entry.id, entry.version)
        ]

    def folder_problems(self) -> Text:
        problems = self.registry.problems if self.registry else []
        return Text("\n".join(problem_lines(problems)) or "No packs found.")

    # --- actions --------------------------------------------------------------------------------------------

    def action_browse(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if entry.pack is None:
            self.notify("This pack is broken: its problems are listed below the table.", severity="warning")
            return
        self.app.push_screen(PackBrowser(entry))

    @on(DataTable.RowSelected)
    def _chosen(self) -> None:
        self.action_browse()

    def action_import_file(self) -> None:
        self.app.push_screen(PackFileForm("Import a pack file"), self.import_from)

    def import_from(self, path: Path | None) -> None:
        if path is None:
            return
        folder = packs_folder(self.app)
        self.outcome(f"Importing {path.name}…")

        def work() -> None:
            from facilitator.store.durable import atomic_write

            outcome = import_pack(path, folder, write=atomic_write)
            registry = PackLibrary.of(folder).registry()  # the new file is seen, so the list shows it at once
            self.app.call_from_thread(self.imported, outcome, registry)

        self.run_worker(work, thread=True, group="pack-files", exit_on_error=False)

    def imported(self, outcome: ImportOutcome, registry: Registry) -> None:
        self.outcome(outcome.message)
        self.show_registry(registry, keep=str(outcome.entry.path) if outcome.entry else None)
        if outcome.problems:
            self.app.push_screen(ReportDialog("Import", outcome.message, problem_lines(outcome.problems)))
        else:
            self.notify(outcome.message, markup=False, severity="information" if outcome.ok else "error")

    def action_check_file(self) -> None:
        self.app.push_screen(PackFileForm("Check a pack file"), self.check_from)

    def check_from(self, path: Path | None) -> None:
        if path is None:
            return
        self.outcome(f"Checking {path.name}…")

        def work() -> None:
            result = load_pack(path)
            if result.ok and result.pack is not None:
                sessions = sum(len(unit.sessions) for unit in result.pack.units)
                pack = result.pack
                summary = f"✓ {path.name} is a usable pack: {pack.id} {pack.version}, {sessions} sessions."
            else:
                count = f"{'at least ' if result.stopped else ''}{len(result.errors):,}"
                noun = "problem" if len(result.errors) == 1 else "problems"
                summary = f"✗ {path.name} has {count} {noun} to fix."
            if result.warnings:
                summary += f" {len(result.warnings)} to look at."
            details = problem_lines(result.problems, stopped=result.stopped) or ["No problems found."]
            self.app.call_from_thread(self.checked, summary, details)

        self.run_worker(work, thread=True, group="pack-files", exit_on_error=False)

    def checked(self, summary: str, details: list[str]) -> None:
        self.outcome(summary)
        self.app.push_screen(ReportDialog("Check", summary, details))

    def action_handouts(self) -> None:
        entry = self.selected()
        if entry is None or entry.pack is None:
            self.notify("Choose a usable pack first: a broken one has no checklist.", severity="warning")
            return
        pack = entry.pack
        target = self.store.path.parent / "handouts" / f"{pack.id}-{pack.version}-handouts.pdf"
        self.outcome(f"Writing the handout checklist for {pack.id} {pack.version}…")

        def work() -> None:
            from facilitator.reports.handouts import handouts_pdf
            from facilitator.store.durable import atomic_write

            try:
                atomic_write(target, handouts_pdf(pack))
            except OSError as error:
                message = f"Could not write the handout checklist to {target}: {error.strerror or error}"
                self.app.call_from_thread(self.wrote_handouts, message, False)
                return
            self.app.call_from_thread(self.wrote_handouts, f"Handout checklist written to {target}", True)

        self.run_worker(work, thread=True, group="pack-files", exit_on_error=False)

    def wrote_handouts(self, message: str, ok: bool) -> None:
        self.outcome(message)
        self.notify(message, markup=False, severity="information" if ok else "error")

    def outcome(self, message: str) -> None:
        """The last import or check, in one line under the table."""
        self.query_one("#packs-outcome", Static).update(literal(message))


def detail_text(entry: PackEntry, groups: list[str]) -> Text:
    """What the highlighted pack is, where its file is, and every problem in it (all pack text literal)."""
    text = Text()
    text.append_text(literal(entry.title, style="bold"))
    text.append(f"  {entry.id} {entry.version} · {entry.origin} · {status_words(entry)}\n")
    pack = entry.pack
    if pack is not None:
        text.append(
            f"{entry.session_count} sessions in {len(pack.units)} units, usually {pack.session_minutes} min, "
            f"for {pack.facilitators} facilitator{'' if pack.facilitators == 1 else 's'}"
        )
        if pack.group_size is not None:
            text.append(f", groups of {pack.group_size} or fewer")
        text.append(" · language ")
        text.append_text(literal(pack.language))
        text.append("\n")
        if pack.audience:
            text.append("For ", style="dim")
            text.append_text(literal(pack.audience.strip()))
            text.append("\n")
    text.append("Groups on this version: ", style="dim")
    text.append_text(literal(", ".join(groups) or "none"))
    text.append("\nFile ", style="dim")
    if entry.origin == "bundled":
        text.append_text(literal(f"{entry.path.name} (installed with Facilitator)"))
    else:
        text.append_text(literal(str(entry.path)))
    if entry.problems:
        text.append("\n\nProblems\n", style="bold")
        text.append_text(literal("\n".join(problem_lines(entry.problems)), lines=True))
    if pack is not None and pack.description:
        text.append("\n\n")
        text.append_text(literal(pack.description.strip(), lines=True))
    if pack is not None:
        if pack.changelog:
            newest = pack.changelog[0]
            text.append(f"\n\nWhat {newest.version} changed\n", style="bold")
            text.append_text(literal("\n".join(f"- {change}" for change in newest.changes), lines=True))
        text.append(
            "\n\nEnter: browse its units, sessions and agendas · h: print its handout checklist", style="dim"
        )
    return text
