"""The bundle dialogs: where to write a group's bundle, which bundle to import, and the import's preview.

Reading, merging and writing bundle files run in a thread (a clinic's bundle takes longer than a frame); the
preview's Import saves while the dialog is open, so a refused write keeps it open and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from curricula.registry import Registry
from facilitator.display import literal, one_line
from facilitator.host import host_of
from facilitator.screens.forms import OK, FormScreen, Verdict
from facilitator.screens.saving import SavesBeforeClosing, ask, sentence
from facilitator.store import Store, StoreError
from facilitator.store.files import packs_folder
from facilitator.store.records import Group
from facilitator.sync.bundle import BundleError
from facilitator.sync.exchange import (
    ImportPreview,
    apply_import,
    make_bundle,
    prepare_import,
    read_bundle,
    summary_lines,
    write_bundle,
)


@dataclass(frozen=True)
class BundleFile:
    """A bundle's path, and the passphrase that seals or opens it (None: not encrypted)."""

    path: Path
    passphrase: str | None


def path_of(value: str) -> Path:
    return Path(value.strip()).expanduser().absolute()


class BundleFileForm(FormScreen[BundleFile]):
    """Ask where a bundle is (to import) or goes (to export), and its passphrase if it has one."""

    def __init__(self, heading: str, *, exporting: bool, suggested: str = "") -> None:
        super().__init__()
        self.heading = heading
        self.exporting = exporting
        self.suggested = suggested

    def body(self) -> ComposeResult:
        if self.exporting:
            note = "The bundle is one file to carry on a USB stick or send; ~ means your home folder."
            secret = "Passphrase (optional: encrypts the bundle)"
        else:
            note = "A bundle made with Export (b on a group) or `facilitator export bundle`."
            secret = "Passphrase (only if the bundle is encrypted)"
        yield Static(note, classes="dim")
        yield self.text_field("Bundle file", "bundle-file", value=self.suggested, check=self.check_path)
        yield self.text_field(secret, "bundle-passphrase")
        if self.exporting:
            yield self.text_field("The same passphrase again", "bundle-again", check=self.check_again)

    def on_mount(self) -> None:
        for field in self.query(Input):
            if field.id in ("bundle-passphrase", "bundle-again"):
                field.password = True
        super().on_mount()

    def check_path(self, value: str) -> Verdict:
        if not value.strip():
            return Verdict(False, "Type the path of the bundle file")
        try:
            path = path_of(value)
            if path.is_dir():
                return Verdict(False, "That is a folder: give a file name")
            if self.exporting and path.exists():
                return Verdict(False, "A file is there already: give another name (it is not replaced)")
            if self.exporting and not path.parent.is_dir():
                return Verdict(False, "That folder does not exist")
            if not self.exporting and not path.is_file():
                return Verdict(False, "There is no file there")
        except (OSError, RuntimeError, ValueError):
            return Verdict(False, "That is not a path Facilitator can use")
        return Verdict(True, f"→ {path}")

    def check_again(self, value: str) -> Verdict:
        if value != self.query_one("#bundle-passphrase", Input).value:
            return Verdict(False, "The two passphrases differ")
        return OK

    def refresh_dependent(self) -> None:
        if self.exporting:
            self.show_verdict("bundle-again")

    def result(self) -> BundleFile:
        secret = self.query_one("#bundle-passphrase", Input).value
        return BundleFile(path_of(self.text("bundle-file")), secret or None)


class ImportPreviewDialog(SavesBeforeClosing[ImportPreview]):
    """What importing would change, in a few lines, with Import and Cancel (nothing is written before)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel (nothing is written)")]

    def __init__(self, name: str, preview: ImportPreview) -> None:
        super().__init__()
        self.name_of_file = name
        self.preview = preview

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(literal(f"Import {self.name_of_file}"), classes="form-title")
            with VerticalScroll(id="bundle-lines"):
                yield Static(literal("\n".join(summary_lines(self.preview)), lines=True), id="bundle-preview")
            with Horizontal(id="form-buttons"):
                yield Button("Import", variant="primary", id="bundle-import")
                yield Button("Cancel", id="bundle-cancel")
            yield Static("Enter: import · Escape: cancel (nothing is written)", id="form-hint")

    def on_mount(self) -> None:
        self.query_one("#bundle-import", Button).focus()

    @on(Button.Pressed, "#bundle-import")
    def import_it(self) -> None:
        self.close_with(self.preview)

    @on(Button.Pressed, "#bundle-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def export_group_bundle(app: App, store: Store, group: Group) -> None:
    """Ask where, then write the group's bundle in a thread and say what was written."""
    suggested = str(Path.home() / f"{safe_file_name(group.name)}.bundle")

    def write(chosen: BundleFile | None) -> None:
        if chosen is None:
            return

        def work() -> None:
            try:
                bundle = make_bundle(
                    store, Registry.load(packs_folder(store.path)), group=group, now=host_of(app).clock()
                )
                write_bundle(chosen.path, bundle, passphrase=chosen.passphrase)
            except (BundleError, StoreError) as error:
                app.call_from_thread(app.notify, sentence(error), severity="error", markup=False)
                return
            sealed = ", encrypted" if chosen.passphrase else ""
            line = one_line(
                f"Wrote {chosen.path.name}{sealed}: {bundle.record_count:,} records of {group.name}."
            )
            app.call_from_thread(app.notify, line, markup=False)

        app.run_worker(work, thread=True, group="bundles", exit_on_error=False)

    app.push_screen(
        BundleFileForm(f"Export {group.name} as a bundle", exporting=True, suggested=suggested), write
    )


def import_bundle(app: App, store: Store, then: object = None) -> None:
    """Ask which bundle, merge it in a thread, show the preview; Import writes it in one durable step."""
    folder = packs_folder(store.path)

    def opened(chosen: BundleFile | None) -> None:
        if chosen is None:
            return

        def work() -> None:
            try:
                bundle = read_bundle(chosen.path, passphrase=chosen.passphrase)
                preview = prepare_import(store, Registry.load(folder), bundle, now=host_of(app).clock())
            except BundleError as error:
                app.call_from_thread(app.notify, sentence(error), severity="error", markup=False)
                return
            app.call_from_thread(show, chosen.path.name, preview)

        app.run_worker(work, thread=True, group="bundles", exit_on_error=False)

    def show(name: str, preview: ImportPreview) -> None:
        def save(confirmed: ImportPreview) -> None:
            try:
                apply_import(store, confirmed, folder)
            except BundleError as error:
                raise StoreError(str(error)) from None

        def done(result: ImportPreview | None) -> None:
            if result is not None:
                records = result.records
                line = f"Imported {name}: {records.added:,} added, {records.updated:,} updated"
                if records.conflicts:
                    line += f", {records.conflicts:,} conflicts in the log (C on Groups)"
                app.notify(one_line(line + "."), markup=False)
                if callable(then):
                    then()

        ask(app, ImportPreviewDialog(name, preview), save, done)

    app.push_screen(BundleFileForm("Import a bundle", exporting=False), opened)


def safe_file_name(name: str) -> str:
    """A group's name as a file name: letters, digits and dashes."""
    kept = "".join(c if c.isalnum() else "-" for c in name.strip().casefold())
    return "-".join(part for part in kept.split("-") if part) or "group"
