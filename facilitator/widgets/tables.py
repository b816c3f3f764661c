"""The app's DataTables: the highlighted row's key, and refilling rows with the cursor kept."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, ConsoleRenderable, RichCast
from rich.measure import Measurement
from rich.text import Text
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
    fit_columns(table)
    if keep is not None:
        for index, (key, _) in enumerate(rows):
            if key == keep:
                table.move_cursor(row=index, animate=False)
                break


def fit_columns(table: DataTable[object]) -> None:
    """Size each column to its header and the cells it holds now.

    A DataTable only ever widens its columns, so a placeholder row ("Nobody yet: press e to enrol someone")
    would keep the first column that wide once real rows replace it, and push the last columns off an
    80-column screen. Measured here, at once, rather than when the table next has a quiet moment.
    """
    if not table.is_attached:
        return
    console = table.app.console
    options = console.options  # made afresh (asking the terminal its size) each time it is read
    for column in table.ordered_columns:
        if column.auto_width:
            cells = [column.label, *table.get_column(column.key)]
            column.content_width = max(width_of(console, options, cell) for cell in cells)


def width_of(console: Console, options: ConsoleOptions, cell: object) -> int:
    """How many columns a cell takes on one line."""
    if isinstance(cell, str):
        return cell_len(cell)
    if isinstance(cell, Text):
        return cell.cell_len
    if isinstance(cell, ConsoleRenderable | RichCast):
        return Measurement.get(console, options, cell).maximum
    return Text(str(cell)).cell_len
