"""Packs in dialogs: reading the registry off the event loop, picking a pack, previewing a swap, a file path.

Used by the Groups list (a new group from a pack), the Group screen (change pack) and the Packs screen.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from curricula.loader import Problem, first_problems
from curricula.registry import PackEntry, Registry
from facilitator.course.packs import PackLibrary
from facilitator.display import literal
from facilitator.host import host_of
from facilitator.screens.dialogs import Dialog
from facilitator.screens.forms import FormScreen, Verdict
from facilitator.screens.saving import SavesBeforeClosing
from facilitator.store.files import packs_folder as packs_folder_of


def packs_folder(app: App) -> Path:
    """The folder imported packs go to: `packs/` beside the database."""
    return packs_folder_of(host_of(app).store.path)


def with_registry(app: App, then: Callable[[Registry], None]) -> None:
    """Call `then` with every installed pack: at once when they are read already, else after reading them in a
    thread (a few TOML files take longer than a frame)."""
    library = PackLibrary.of(packs_folder(app))
    if library.is_fresh():
        then(library.registry())
        return

    def load() -> None:
        registry = library.registry()
        app.call_from_thread(then, registry)

    app.run_worker(load, thread=True, group="packs", exit_on_error=False)


def latest_packs(registry: Registry, language: str | None = None) -> list[PackEntry]:
    """The newest usable version of every pack: those in this computer's language first, then by title.

    So a new group's form starts on a pack the facilitator can read, not on the first title in the alphabet.
    """
    wanted = language or computer_language()
    ids = {entry.id for entry in registry.list() if entry.ok}
    latest = [entry for entry in map(registry.latest, ids) if entry is not None]

    def order(entry: PackEntry) -> tuple[bool, str, str]:
        spoken = entry.pack.language.split("-")[0].casefold() if entry.pack else ""
        return spoken != wanted, entry.title.casefold(), entry.id

    return sorted(latest, key=order)


def computer_language() -> str:
    """The language this computer speaks ("en" from LANG=en_GB.UTF-8), English when none is set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        code = value.split(".")[0].split("_")[0].casefold()
        if code and code not in ("c", "posix"):
            return code
    return "en"


def pack_words(entry: PackEntry) -> Text:
    """ "Illness Management and Recovery — imr-style 1.0.0, 44 sessions" (pack text shown literally)."""
    sessions = "session" if entry.session_count == 1 else "sessions"
    return literal(f"{entry.title} — {entry.id} {entry.version}, {entry.session_count} {sessions}")


def problem_lines(problems: Sequence[Problem], *, stopped: bool = False) -> list[str]:
    """A line a problem, with a glyph and a word (never colour alone): the first 50, then how many more."""
    shown, more = first_problems(problems, stopped=stopped)
    lines = [f"{'⚠ warning' if problem.severity == 'warning' else '✗ error'}: {problem}" for problem in shown]
    return [*lines, more] if more else lines


class PackPicker(Dialog[PackEntry | None]):
    """Pick one usable pack version; returns the entry, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel (nothing changes)")]

    def __init__(self, heading: Text | str, entries: list[PackEntry], current: tuple[str, str]) -> None:
        super().__init__()
        self.heading = heading
        self.entries = entries
        self.current = current  # (id, version) the group is on now

    def compose(self) -> ComposeResult:
        options = []
        for index, entry in enumerate(self.entries):
            label = pack_words(entry)
            label.append(f" ({entry.origin})", style="dim")
            if (entry.id, entry.version) == self.current:
                label.append("  ← now", style="bold")
            options.append(Option(label, id=str(index)))
        with Vertical(id="form-box", classes="dialog-box"):
            yield Static(self.heading, classes="dialog-title")
            yield OptionList(*options, id="pack-options")
            yield Static("Enter: preview the change (nothing changes yet) · Escape: cancel", id="form-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        current = next(
            (i for i, e in enumerate(self.entries) if (e.id, e.version) == self.current),
            0,
        )
        options.highlighted = current
        options.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.entries[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)


class SwapPreview(SavesBeforeClosing[bool]):
    """What a change of pack would do, in plain words, with Apply and Cancel; returns True to apply."""

    BINDINGS = [Binding("escape", "cancel", "Cancel (nothing changes)")]

    def __init__(self, heading: Text | str, lines: list[str]) -> None:
        super().__init__()
        self.heading = heading
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box", classes="dialog-box"):
            yield Static(self.heading, classes="dialog-title")
            with VerticalScroll(id="swap-lines"):
                yield Static("\n".join(self.lines), id="swap-preview", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button("Apply", variant="primary", id="swap-apply")
                yield Button("Cancel", id="swap-cancel")
            yield Static("Enter: apply · Escape: cancel (nothing changes)", id="form-hint")

    def on_mount(self) -> None:
        self.query_one("#swap-apply", Button).focus()

    @on(Button.Pressed, "#swap-apply")
    def apply(self) -> None:
        self.close_with(True)

    @on(Button.Pressed, "#swap-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class ReportDialog(Dialog[None]):
    """A result to read (an import, a check): a line that sums it up, then the details."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(self, heading: str, summary: str, details: list[str]) -> None:
        super().__init__()
        self.heading = heading
        self.summary = summary
        self.details = details

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box", classes="dialog-box"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            yield Static(literal(self.summary), id="report-summary")
            with VerticalScroll(id="report-lines"):
                yield Static(literal("\n".join(self.details), lines=True), id="report-details")
            yield Static("Enter or Escape: close", id="form-hint")

    def on_mount(self) -> None:
        self.query_one("#report-lines").focus()  # so the arrows scroll a long list

    def action_close(self) -> None:
        self.dismiss(None)


class PackFileForm(FormScreen[Path]):
    """Ask for the path of a pack file; returns it once it names a readable file."""

    def __init__(self, heading: str) -> None:
        super().__init__()
        self.heading = heading

    def body(self) -> ComposeResult:
        yield Static("A curriculum pack is one .toml file; ~ means your home folder.", classes="dim")
        yield self.text_field(
            "Pack file", "pack-file", placeholder="e.g. ~/Downloads/my-course.toml", check=self.check_path
        )

    def path(self) -> Path:
        return Path(self.text("pack-file")).expanduser().absolute()

    def check_path(self, value: str) -> Verdict:
        if not value.strip():
            return Verdict(False, "Type the path of a .toml pack file")
        try:
            path = Path(value.strip()).expanduser().absolute()
            if path.is_dir():
                return Verdict(False, "That is a folder: give the pack file inside it")
            if not path.is_file():
                return Verdict(False, "There is no file there")
        except (OSError, RuntimeError, ValueError):  # e.g. ~someone who does not exist, or a NUL byte
            return Verdict(False, "That is not a path Facilitator can read")
        note = "" if path.suffix == ".toml" else " (not a .toml file: it may not be a pack)"
        return Verdict(True, f"→ {path}{note}")

    def result(self) -> Path:
        return self.path()
