"""The one dialog base: every dialog of the app is a `Dialog`, drawn in the one frame of `app.tcss`.

A dialog puts its content in a container with the class `dialog-box` and its heading in a Static with the
class `dialog-title`; the frame (a centred, bordered box) and the heading's look come from the `Dialog` rules,
so no dialog writes them again. Dialogs that save are `saving.SavesBeforeClosing`, a `Dialog` too.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

T = TypeVar("T")


class Dialog(ModalScreen[T]):
    """A box over the current screen that closes with a value of type T (or None)."""
