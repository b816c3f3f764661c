"""What every screen of the app shares: the store, the clock, and the focused table's selected row."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import events
from textual.binding import Binding
from textual.screen import Screen

from facilitator.host import host_of
from facilitator.store import Store


class AppScreen(Screen[None]):
    """A screen of FacilitatorApp."""

    # The actions that change the database: on a read-only one they are left out of the footer, the palette
    # and the keys, so what is offered is only what can be done.
    EDITS: ClassVar[frozenset[str]] = frozenset()

    shown_once = False  # whether the screen has been on top yet

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first time on top, keep the styles the widgets were given as they were mounted, a moment ago.

        Textual styles a resumed screen's every widget again (for what changed while it was under); on a
        screen just made nothing has, and at twenty widgets or more that is a good part of its opening.
        Textual's own handler runs after this one.
        """
        if not self.shown_once:
            self.shown_once = True
            event.refresh_styles = False

    def refresh_bindings(self) -> None:
        """Tell the footer about the keys only while this screen is on top.

        Textual asks on every push, pop and focus move, a screen under another one too, and each time the
        footer builds and styles all of its keys anew: under another screen that is most of what opening it
        costs. A screen coming back on top is asked again then (Textual's resume), so nothing is missed.
        """
        if self.is_mounted and self.app.screen is not self:
            return
        super().refresh_bindings()

    @property
    def store(self) -> Store:
        return host_of(self.app).store

    def writable(self) -> bool:
        """True when changes can be saved; else say in one line that the database is read-only."""
        if self.store.read_only:
            self.notify("This database is open read-only, so nothing can be changed.", severity="warning")
            return False
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in self.EDITS and self.store.read_only)

    def on_key(self, event: events.Key) -> None:
        """An editing key on a read-only database: not offered, but if pressed, it says why in one line."""
        if not self.store.read_only:
            return
        for binding in self.BINDINGS:
            if (
                isinstance(binding, Binding)
                and binding.action in self.EDITS
                and event.key in binding.key.split(",")
            ):
                event.stop()
                self.writable()
                return

    def now(self) -> datetime:
        """The app's clock (injected, so tests and snapshots see a fixed time)."""
        return host_of(self.app).clock()
