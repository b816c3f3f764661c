"""The footer of the app's screens: Textual's, but shown in the screen's first frame and made again only when
the keys it shows change.

Textual's own footer shows nothing until the screen first says its keys are ready, then builds every key and
restyles each one two more times (its compact look is set after it is mounted); and it builds them all again
on every focus move and every return to the screen, keys unchanged. Opening a screen paid for that in frames.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

Shown = tuple[tuple[object, ...], ...]


def shown_keys(screen: Screen[object]) -> Shown:
    """What a footer on `screen` shows: each key offered, whether it is enabled, and its tooltip."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    return tuple(
        (key, binding, enabled, tooltip)
        for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
        if binding.show or key == palette
    )


class KeysFooter(Footer):
    """The keys of the screen, from its first frame."""

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(Footer._bindings_ready, True)  # the keys are known once the screen is composed
        self.shown: Shown | None = None

    def compose(self) -> ComposeResult:
        self.shown = shown_keys(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Set the compact look before the key is mounted, so it is styled once, not three times.
                # The palette's key is always compact (Textual's default); the others follow the footer.
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and shown_keys(screen) == self.shown:
            return  # the same keys: nothing to build again
        super().bindings_changed(screen)
