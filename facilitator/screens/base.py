"""What every screen of the app shares: the store, the clock, and the focused table's selected row."""

from __future__ import annotations

from datetime import datetime

from textual.screen import Screen

from facilitator.host import host_of
from facilitator.store import Store


class AppScreen(Screen[None]):
    """A screen of FacilitatorApp."""

    @property
    def store(self) -> Store:
        return host_of(self.app).store

    def writable(self) -> bool:
        """True when changes can be saved; else say in one line that the database is read-only."""
        if self.store.read_only:
            self.notify("This database is open read-only, so nothing can be changed.", severity="warning")
            return False
        return True

    def now(self) -> datetime:
        """The app's clock (injected, so tests and snapshots see a fixed time)."""
        return host_of(self.app).clock()
