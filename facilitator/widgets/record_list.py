"""A long list of records as a table drawn line by line.

The rows are plain data, measured once when listed, and only the lines on the screen are rendered: narrowing
5,000 people to 15 and widening them back costs a list filtered in Python, not a DataTable emptied and filled
again with every cell measured. It looks and moves as the app's DataTables do (a header, zebra stripes, a row
cursor), and Enter on a row posts `RecordList.Selected`.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAD = 1  # columns of space either side of a cell, as a DataTable has

Cell = str | Text  # a plain cell is kept as a string: thousands of rows then hold no objects to collect


class ListedRecord(NamedTuple):
    """One row: the record's key, its cells as shown, and each cell's width (measured once, when listed)."""

    key: str
    cells: tuple[Cell, ...]
    widths: tuple[int, ...]


def listed(key: str, cells: Sequence[Cell]) -> ListedRecord:
    """A row ready to be shown as often as the filter asks. Cells come as literal text (see `display`); one
    without any style is kept as its plain string."""
    kept = tuple(_plain(cell) for cell in cells)
    return ListedRecord(key, kept, tuple(cell_len(c) if isinstance(c, str) else c.cell_len for c in kept))


def _plain(cell: Cell) -> Cell:
    return cell.plain if isinstance(cell, Text) and not (cell.style or cell.spans) else cell


class RowStyles(NamedTuple):
    """How one paint draws each kind of line, worked out once for all of them."""

    base: Style
    header: Style
    even: Style
    cursor: Style


class RecordList(ScrollView, can_focus=True):
    """Columns under a header, one row per record and a row cursor; Enter, or a click on the cursor's row,
    posts `Selected` with the record's key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "first", "First row", show=False),
        Binding("ctrl+end", "last", "Last row", show=False),
        # As in a DataTable of rows: Home and End (and left and right) scroll sideways, to the first and last
        # columns of a list wider than the screen.
        Binding("home", "leftmost", "First column", show=False),
        Binding("end", "rightmost", "Last column", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-list--header",
        "record-list--cursor",
        "record-list--even-row",
    }
    # The look of the app's DataTables, so a list reads like every other table.
    DEFAULT_CSS = """
    RecordList {
        background: $surface;
        color: $foreground;
        height: 1fr;
        margin: 0 1;
        &:focus {
            background-tint: $foreground 5%;
            & > .record-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .record-list--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .record-list--even-row {
            background: $surface-darken-1 40%;
        }
        & > .record-list--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .record-list--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .record-list--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .record-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True)
    """The index, among the rows shown, of the row under the cursor."""

    class Selected(Message):
        """Enter on a row: the record to open."""

        def __init__(self, record_list: RecordList, key: str) -> None:
            super().__init__()
            self.record_list = record_list
            self.key = key

        @property
        def control(self) -> RecordList:
            return self.record_list

    def __init__(self, columns: Sequence[str], *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.header = listed("", columns)
        self.shown: list[ListedRecord] = []
        self.column_widths: list[int] = list(self.header.widths)
        self._styles = RowStyles(Style(), Style(), Style(), Style())

    # --- what the list holds -----

    @property
    def row_count(self) -> int:
        return len(self.shown)

    @property
    def selected_key(self) -> str | None:
        """The key of the row under the cursor, or None when the list is empty."""
        return self.shown[self.cursor_row].key if self.shown else None

    def column(self, index: int) -> list[str]:
        """One column of the rows shown, as plain text."""
        return [str(row.cells[index]) for row in self.shown]

    def show(self, rows: Sequence[ListedRecord], *, keep: str | None = None) -> None:
        """Show `rows`, the cursor on the row with key `keep` if it is among them, else on the first.

        Each column is as wide as its header and the widest of its cells shown now, from the widths measured
        when the rows were listed."""
        self.shown = list(rows)
        widest = map(max, zip(*(row.widths for row in self.shown), strict=True)) if self.shown else ()
        self.column_widths = [max(pair) for pair in zip_longest(self.header.widths, widest, fillvalue=0)]
        self._scroll_size(Size(self._line_width(), len(self.shown) + 1))
        self.cursor_row = next((index for index, row in enumerate(self.shown) if row.key == keep), 0)
        self.refresh()

    def _line_width(self) -> int:
        return sum(self.column_widths) + 2 * PAD * len(self.column_widths)

    # --- scrolling: the rows change, the box does not -----

    def _scroll_size(self, size: Size) -> None:
        """Take the new scrollable size, and have the scrollbars follow it, without asking for a layout.

        The list's own box never changes with its rows (it fills what the screen gives it). A layout asked for
        here would reach the screen after the filter box's, and the key would be painted twice.
        (`_scroll_update` is Textual's own step for this, as a layout would call it; `tests/app/test_lists.py`
        sees the scrollbar go and come back, should a new Textual change it.)"""
        if size == self.virtual_size:
            return
        if not self.container_size:  # not laid out yet: the first layout takes the size as it comes
            self.virtual_size = size
            return
        self.set_reactive(RecordList.virtual_size, size)
        self._scroll_update(size)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # A layout passes the box's content size as the virtual size, never the rows' own (which `show` keeps
        # up to date): compared with ours it always differs, and the scrollbars would be redrawn in a second
        # frame after every layout of the screen (one per key in the filter box). Only the box counts here.
        return super()._size_updated(size, self.virtual_size, container_size, layout)

    def watch_cursor_row(self) -> None:
        self.scroll_to_cursor()
        self.refresh()

    def scroll_to_cursor(self) -> None:
        """Scroll just enough for the cursor's row to be on the screen, below the header."""
        rows_seen = self._page()
        top = round(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + rows_seen:
            self.scroll_to(y=self.cursor_row - rows_seen + 1, animate=False)

    def _page(self) -> int:
        """How many rows fit under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    # --- drawing -----

    def render_lines(self, crop: Region) -> list[Strip]:
        # The row styles once per paint rather than once per line: each asks the DOM for the styles around it.
        component = self.get_component_rich_style
        base = self.rich_style
        self._styles = RowStyles(
            base=base,
            header=component("record-list--header"),
            even=base + component("record-list--even-row"),
            cursor=base + component("record-list--cursor"),
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        styles = self._styles
        if y == 0:
            row, style = self.header, styles.header
        else:
            index = scroll_y + y - 1
            if index >= len(self.shown):
                return Strip.blank(width, styles.base)
            row = self.shown[index]
            if index == self.cursor_row:
                style = styles.cursor
            else:
                style = styles.even if index % 2 == 0 else styles.base
        parts: list[Cell] = []
        for cell, used, wide in zip(row.cells, row.widths, self.column_widths, strict=False):
            parts += [" " * PAD, cell, " " * (wide - used + PAD)]
        if scroll_x == 0 and all(isinstance(part, str) for part in parts):
            # Plain cells (as names are), not scrolled sideways: the row is one run of text, one segment for
            # the screen to tint and crop, cut or padded to the width here.
            return Strip([Segment(set_cell_size("".join(map(str, parts)), width), style)], width)
        runs = Text.assemble(*parts).render(self.app.console, end="")
        segments = [Segment(run.text, style + run.style if run.style else style) for run in runs]
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, style)

    # --- keys and the mouse -----

    def _move(self, to: int) -> None:
        if self.shown:
            self.cursor_row = min(max(to, 0), len(self.shown) - 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._move(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self._move(self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self._move(self.cursor_row + self._page())

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self.shown) - 1)

    def action_leftmost(self) -> None:
        self.scroll_to(x=0, animate=False)

    def action_rightmost(self) -> None:
        self.scroll_to(x=self.max_scroll_x, animate=False)

    def action_select(self) -> None:
        key = self.selected_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on a row; a click on the cursor's row opens it, as in a DataTable."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = round(self.scroll_offset.y) + offset.y - 1
        if index >= len(self.shown):
            return
        event.stop()
        if index == self.cursor_row:
            self.action_select()
        else:
            self.cursor_row = index
