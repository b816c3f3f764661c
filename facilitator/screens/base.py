"""What every screen of the app shares: the store, the clock, and the focused table's selected row."""

from __future__ import annotations

from datetime import datetime

from textual.screen import Screen
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from facilitator.store import Store


class AppScreen(Screen[None]):
    """A screen of FacilitatorApp."""

    @property
    def store(self) -> Store:
        return self.app.store  # type: ignore[attr-defined]

    def writable(self) -> bool:
        """True when changes can be saved; else say in one line that the database is read-only."""
        if self.store.read_only:
            self.notify("This database is open read-only, so nothing can be changed.", severity="warning")
            return False
        return True

    def now(self) -> datetime:
        """The app's clock (injected, so tests and snapshots see a fixed time)."""
        return self.app.clock()  # type: ignore[attr-defined]


def selected_key(table: DataTable) -> str | None:
    """The key of the table's highlighted row, or None when it is empty."""
    if table.row_count == 0:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except CellDoesNotExist:
        return None
    return key


def fill_table(
    table: DataTable, rows: list[tuple[str, tuple[object, ...]]], *, keep: str | None = None
) -> None:
    """Replace a table's rows, putting the cursor back on the row with key `keep` if it is still there."""
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if keep is not None:
        for index, (key, _) in enumerate(rows):
            if key == keep:
                table.move_cursor(row=index, animate=False)
                break
