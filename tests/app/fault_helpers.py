"""A full disk for the pilot tests: the store's journal refuses every append until the disk is cleared."""

from __future__ import annotations

import errno

import pytest
from textual.app import App

from facilitator.store.journal import Journal
from tests.fault_figures import count


class FullDisk:
    """Between `fill` and `clear` every journal append fails as on a full disk: every write is refused."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.real_append = Journal.append
        self.refused = 0

    def fill(self) -> None:
        def refuse(journal: Journal, batch: object) -> None:
            self.refused += 1
            count("injected faults")
            raise OSError(errno.ENOSPC, "No space left on device")

        self.monkeypatch.setattr(Journal, "append", refuse)

    def clear(self) -> None:
        self.monkeypatch.setattr(Journal, "append", self.real_append)


def still_running(app: App) -> bool:
    """The app has neither exited nor crashed."""
    return app.return_code is None and app._exception is None


def notified(app: App, words: str) -> list[str]:
    """The notifications shown so far that contain `words`."""
    return [n.message for n in app._notifications if words in n.message]
