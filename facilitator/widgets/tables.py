"""The app's DataTables: the highlighted row's key, and refilling rows with the cursor kept."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist


def selected_key(table: DataTable[object]) -> str | None:
    """The key of the table's highlighted row, or None when it is empty."""
    if table.row_count == 0:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except CellDoesNotExist:
        return None
    return key


def fill_table(
    table: DataTable[object], rows: Sequence[tuple[str, Sequence[object]]], *, keep: str | None = None
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
