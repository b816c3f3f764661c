"""The idle lock: after some minutes without a key, every name is hidden until the facilitator comes back.

The lock screen covers the whole terminal and takes every key, so nothing underneath can be seen or
reached; a session's countdown keeps running behind it. A key brings the app back, or, for an encrypted
database, its passphrase (checked off the event loop: deriving the key takes a moment).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from facilitator.store.storage import SealedStorage, Storage

# The choices offered in the command palette, in minutes.
IDLE_LOCK_CHOICES = (5, 10, 15, 30)
# How often the app looks whether it has been left idle long enough.
IDLE_CHECK_SECONDS = 10.0


class IdleWatch:
    """When the facilitator last pressed a key or moved the mouse, on the app's monotonic clock."""

    def __init__(self, monotonic: Callable[[], float]) -> None:
        self.monotonic = monotonic
        self.last_input = monotonic()

    def touched(self) -> None:
        self.last_input = self.monotonic()

    def due(self, minutes: int | None) -> bool:
        """Whether `minutes` (None or 0: never) have gone by without input."""
        return bool(minutes) and self.monotonic() - self.last_input >= (minutes or 0) * 60


def describe(minutes: int | None) -> str:
    return f"after {minutes} minutes without a key" if minutes else "off"


class LockScreen(ModalScreen[None]):
    """Nothing but the app's name, until a key (or the passphrase) opens it again."""

    def __init__(self, storage: Storage) -> None:
        super().__init__()
        self.storage = storage

    @property
    def needs_passphrase(self) -> bool:
        return isinstance(self.storage, SealedStorage)

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            yield Static("Facilitator is locked", id="lock-title")
            if self.needs_passphrase:
                yield Static("Type the passphrase of this database, then Enter.", id="lock-hint")
                yield Input(password=True, placeholder="passphrase", id="lock-passphrase")
                yield Static("", id="lock-problem")
            else:
                yield Static("Names are hidden. Press any key to come back.", id="lock-hint")

    def on_key(self, event: events.Key) -> None:
        if self.needs_passphrase:
            return  # keys go to the passphrase field; Enter checks it
        event.stop()
        event.prevent_default()
        self.dismiss()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            return
        self.query_one("#lock-problem", Static).update("Checking…")
        self.check_passphrase(event.value)

    @work(thread=True, exclusive=True, group="lock", exit_on_error=False)
    def check_passphrase(self, passphrase: str) -> None:
        assert isinstance(self.storage, SealedStorage)
        accepted = self.storage.accepts(passphrase)
        self.app.call_from_thread(self.answer, accepted)

    def answer(self, accepted: bool) -> None:
        if accepted:
            self.dismiss()
            return
        self.query_one("#lock-passphrase", Input).value = ""
        self.query_one("#lock-problem", Static).update("That passphrase does not open this database.")
