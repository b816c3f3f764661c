"""The Textual app: screens, global keys and theme. Screens ask the store; widgets only display."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import App
from textual.binding import Binding

from facilitator.store import Store
from facilitator.store.records import utc_now


class FacilitatorApp(App[object]):
    """Facilitator in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "Facilitator"
    BINDINGS = [
        Binding("q", "back_or_quit", "Back/quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(self, store: Store, *, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.theme = store.meta.settings.theme
        self.rest_loaded = False

    def on_mount(self) -> None:
        from facilitator.screens.home import HomeScreen

        if self.store.read_only:
            self.sub_title = "read-only"
        self.push_screen(HomeScreen())
        # The big tables load after Home's first frame, off the event loop.
        self.call_after_refresh(
            self.run_worker, self.load_rest, thread=True, group="store", exit_on_error=False
        )

    def load_rest(self) -> None:
        """Finish loading a lazily opened store, then tell the screens."""
        from facilitator.messages import StoreLoaded
        from facilitator.store import StoreError

        try:
            self.store.load_rest()
        except StoreError as error:
            self.call_from_thread(self.exit, error, 1)
            return
        self.rest_loaded = True
        self.call_from_thread(self.screen.post_message, StoreLoaded())

    def action_back_or_quit(self) -> None:
        if len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.exit()

    def action_help(self) -> None:
        from facilitator.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))


def make_app(store: Store, *, clock: Callable[[], datetime] = utc_now) -> FacilitatorApp:
    """The one factory used by the command and the tests."""
    return FacilitatorApp(store, clock=clock)
