"""Help on `?`: every key of the screen it was opened from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from facilitator.screens.dialogs import Dialog


def key_lines(screen: Screen) -> list[tuple[str, str]]:
    """(key, what it does) for the screen's and the app's bindings."""
    seen: set[str] = set()
    lines: list[tuple[str, str]] = []
    for owner in (screen, screen.app):
        for binding in owner.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description or binding.key in seen:
                continue
            seen.add(binding.key)
            more = f" — {binding.tooltip}" if binding.tooltip else ""
            lines.append((binding.key_display or binding.key, binding.description + more))
    return lines


class HelpScreen(Dialog[None]):
    """The keys of the current screen."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close help")]

    def __init__(self, about: Screen) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(f"{self.about.title or type(self.about).__name__} — keys\n\n", style="bold")
        for key, description in key_lines(self.about):
            text.append(f"{key:>12}  ", style="bold")
            text.append(f"{description}\n")
        text.append("\nctrl+p opens the command palette; every action is there too.", style="dim")
        with VerticalScroll(id="help-box", classes="dialog-box"):
            yield Static(text)
