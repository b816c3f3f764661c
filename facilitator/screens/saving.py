"""Saving from a screen: a refused write is told in one line, and nothing the facilitator did is lost.

A dialog opened with `ask` saves its value while it is still open: when the store cannot make the write
durable (a full disk, a read-only folder) the dialog stays open with everything as typed and says why, so
saving again tries again. Writes made without a dialog go through `save_or_say`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from textual.app import App
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Static

from facilitator.screens.dialogs import Dialog
from facilitator.store import StoreError

T = TypeVar("T")

# Where a dialog that has no line of its own for problems says that its value was not saved.
NOT_SAVED_ID = "not-saved"


def sentence(error: object) -> str:
    """An error's (or a warning's) one line as a sentence: a capital first letter and a full stop."""
    text = str(error).strip() or "it could not be saved"
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():  # not a file name such as facilitator.json
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def why_not_saved(error: object) -> str:
    """The store's reason for refusing a write, without its own "not saved:" (the screen says it itself)."""
    text = str(error).strip()
    head = "not saved:"
    return text[len(head) :].strip() if text.casefold().startswith(head) else text


def not_saved(error: StoreError, *, retry: str = "Save again to try once more.") -> str:
    """The line for a write that was refused: the store's reason, then what to do about it."""
    return f"{sentence(error)} {retry}"


def save_or_say(owner: Any, write: Callable[[], object], *, what: str = "") -> bool:
    """Call `write`; when the store refuses, say why in one notification. True when it was saved.

    `owner` is the app or a screen (anything with Textual's `notify`); `what` names what was being saved.
    """
    try:
        write()
    except StoreError as error:
        line = f"{what}: {sentence(error)}" if what else sentence(error)
        owner.notify(line, severity="error", markup=False)
        return False
    return True


class SavesBeforeClosing(Dialog[T | None], Generic[T]):
    """A dialog whose value is saved before it closes (see `ask`); without a `save` it just closes with it."""

    # Given by `ask`: writes the dialog's value; raises StoreError when it could not be saved.
    save: Callable[[T], object] | None = None

    def close_with(self, value: T) -> bool:
        """Save `value`, then close with it; on a refused save stay open, as typed, and say why."""
        if self.save is not None:
            try:
                self.save(value)
            except StoreError as error:
                self.say_not_saved(not_saved(error))
                return False
        self.dismiss(value)
        return True

    def say_not_saved(self, line: str) -> None:
        """Show why the value was not saved, just above the dialog's hint (a line added the first time)."""
        try:
            shown = self.query_one(f"#{NOT_SAVED_ID}", Static)
        except NoMatches:
            shown = Static(id=NOT_SAVED_ID, markup=False)
            hint = self.query("#form-hint, .run-dialog-hint").last()
            parent = hint.parent
            assert isinstance(parent, Widget)
            parent.mount(shown, before=hint)
        shown.update(line)


def ask(
    app: App,
    dialog: SavesBeforeClosing[T],
    save: Callable[[T], object],
    then: Callable[[T | None], None] | None = None,
) -> None:
    """Open `dialog`; `save(value)` runs while it is still open, so a refused save keeps what was typed.

    `then` runs once the dialog has closed (with None when it was cancelled): for what must wait for it,
    such as opening another screen.
    """
    dialog.save = save
    app.push_screen(dialog, then)
