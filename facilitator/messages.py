"""Messages shared between screens."""

from __future__ import annotations

from textual.message import Message


class StoreLoaded(Message):
    """Every table of the store is loaded: screens may compute what needs the big tables."""
