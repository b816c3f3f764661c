"""The attendance grid: people × meetings, one glyph and one colour per status, with rates.

A Line API widget: it draws only the lines and cells on screen, so a 200 × 25 grid costs what a 20 × 20 one
does. The name and rate columns and the two header lines (meeting numbers, rate per meeting) stay put while
the cells scroll. It is given an `AttendanceGrid` value and never touches the store.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from facilitator.display import human_day, literal
from facilitator.reports.attendance import RATE_RULE, AttendanceGrid, GridMeeting, GridRow
from facilitator.store.records import AttendanceStatus

GLYPHS: dict[AttendanceStatus | None, tuple[str, str]] = {
    AttendanceStatus.PRESENT: ("●", "present"),
    AttendanceStatus.LATE: ("◐", "late"),
    AttendanceStatus.LEFT_EARLY: ("◑", "left early"),
    AttendanceStatus.ABSENT: ("✗", "absent"),
    AttendanceStatus.EXCUSED: ("○", "excused"),
    None: ("·", "no mark"),
}
CANCELLED = ("⊘", "cancelled")
PLAIN = Style()  # one object, so that neighbouring plain cells join into one piece
BOLD = Style(bold=True)
Piece = tuple[str, Style]
CELL = 4  # columns per meeting: room for "100" and a gap
HEADER_LINES = 2
RATE_WIDTH = 6
NAME_MAX = 20


def legend(rule: str = RATE_RULE) -> Text:
    """What each glyph means, and how the rates are counted."""
    text = Text()
    for glyph, word in [*GLYPHS.values(), CANCELLED]:
        text.append(f"{glyph} {word}  ")
    text.append(f"\n{rule}", style="dim")
    return text


def status_word(status: AttendanceStatus | None) -> str:
    return GLYPHS[status][1]


class AttendanceGridView(ScrollView, can_focus=True):
    """A scrollable grid with a cursor; arrows move it, Enter opens the person under it."""

    COMPONENT_CLASSES = {
        "attendance-grid--present",
        "attendance-grid--late",
        "attendance-grid--left_early",
        "attendance-grid--absent",
        "attendance-grid--excused",
        "attendance-grid--none",
        "attendance-grid--cancelled",
        "attendance-grid--header",
        "attendance-grid--cursor",
    }
    DEFAULT_CSS = """
    AttendanceGridView { height: auto; max-height: 100%; }
    AttendanceGridView > .attendance-grid--present { color: $success; }
    AttendanceGridView > .attendance-grid--late { color: $warning; }
    AttendanceGridView > .attendance-grid--left_early { color: $warning; }
    AttendanceGridView > .attendance-grid--absent { color: $error; text-style: bold; }
    AttendanceGridView > .attendance-grid--excused { color: $primary; }
    AttendanceGridView > .attendance-grid--none { color: $text-muted; }
    AttendanceGridView > .attendance-grid--cancelled { color: $text-disabled; }
    AttendanceGridView > .attendance-grid--header { color: $text-muted; text-style: bold; }
    AttendanceGridView > .attendance-grid--cursor { text-style: reverse; }
    """
    BINDINGS = [
        Binding("up", "move(0, -1)", "Up", show=False),
        Binding("down", "move(0, 1)", "Down", show=False),
        Binding("left", "move(-1, 0)", "Earlier meeting", show=False),
        Binding("right", "move(1, 0)", "Later meeting", show=False),
        Binding("home", "move(-100000, 0)", "First meeting", show=False),
        Binding("end", "move(100000, 0)", "Last meeting", show=False),
        Binding("pageup", "move(0, -10)", "Up a page", show=False),
        Binding("pagedown", "move(0, 10)", "Down a page", show=False),
        Binding("enter", "choose", "Open the person", show=False),
    ]

    class CellHighlighted(Message):
        """The cursor is on a cell; `description` says what it holds in words."""

        def __init__(self, row: GridRow | None, meeting: GridMeeting | None, description: str) -> None:
            super().__init__()
            self.row = row
            self.meeting = meeting
            self.description = description

    class PersonChosen(Message):
        """Enter on a row: open that person."""

        def __init__(self, participant_id: str) -> None:
            super().__init__()
            self.participant_id = participant_id

    cursor: reactive[tuple[int, int]] = reactive((0, 0), always_update=True)

    def __init__(self, grid: AttendanceGrid | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grid = grid
        self._styles: dict[str, Style] = {}
        self._base: Style | None = None  # the widget's own colours, while its lines are drawn
        self._lines: dict[tuple[object, ...], Strip] = {}  # drawn lines, until the grid or the styles change
        self._names: list[str] = []
        self._name_width = 8
        if grid is not None:
            self.show(grid)

    # --- data -----------------------------------------------------------------------------------------------

    def show(self, grid: AttendanceGrid) -> None:
        """Display a new grid value, keeping the cursor where it can."""
        first = self.grid is None
        self.grid = grid
        self._lines.clear()
        self._names = [literal(row.name).plain for row in grid.rows]
        longest = max((len(name) for name in self._names), default=6)
        self._name_width = min(max(longest, 6), NAME_MAX) + 1
        self.virtual_size = Size(self.fixed_width + CELL * len(grid.meetings), HEADER_LINES + len(grid.rows))
        if first:
            # Start on the latest meeting: that is the one a facilitator usually looks at.
            self.cursor = (len(grid.meetings) - 1, 0)
        else:
            self.cursor = self.cursor  # clamped to the new shape by validate_cursor
        self.refresh()

    def on_mount(self) -> None:
        if self.grid is not None:  # else `show` says so when it is given one
            self.post_message(self.CellHighlighted(self.current_row, self.current_meeting, self.describe()))

    @property
    def fixed_width(self) -> int:
        return self._name_width + RATE_WIDTH

    @property
    def current_row(self) -> GridRow | None:
        if self.grid is None or not self.grid.rows:
            return None
        return self.grid.rows[self.cursor[1]]

    @property
    def current_meeting(self) -> GridMeeting | None:
        if self.grid is None or not self.grid.meetings:
            return None
        return self.grid.meetings[self.cursor[0]]

    # --- keys -----------------------------------------------------------------------------------------------

    def action_move(self, dx: int, dy: int) -> None:
        column, row = self.cursor
        self.cursor = (column + dx, row + dy)

    def action_choose(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.PersonChosen(row.participant_id))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on that cell (a click on a name keeps the meeting)."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_LINES or self.grid is None:
            return
        column = self.cursor[0]
        if offset.x >= self.fixed_width:
            column = (int(self.scroll_x) + offset.x - self.fixed_width) // CELL
        self.cursor = (column, int(self.scroll_y) + offset.y - HEADER_LINES)

    def validate_cursor(self, cursor: tuple[int, int]) -> tuple[int, int]:
        if self.grid is None:
            return (0, 0)
        column, row = cursor
        return (
            max(0, min(column, len(self.grid.meetings) - 1)),
            max(0, min(row, len(self.grid.rows) - 1)),
        )

    def watch_cursor(self, cursor: tuple[int, int]) -> None:
        if self.grid is None:
            return  # nothing to show yet (the cursor's first value, as the widget is mounted)
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.CellHighlighted(self.current_row, self.current_meeting, self.describe()))

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Scroll the cursor into view as the grid gets its size, before the frame is drawn: the first frame
        shows the latest meeting, not the first ones (then a second drawing) as a resize handler would."""
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        self._scroll_to_cursor()
        return changed

    def _scroll_to_cursor(self) -> None:
        if self.grid is None or not self.is_mounted:
            return
        column, row = self.cursor
        view = self.scrollable_content_region
        cells_width = max(CELL, view.width - self.fixed_width)
        rows_height = max(1, view.height - HEADER_LINES)
        x, y = self.scroll_x, self.scroll_y
        if column * CELL < x:
            x = column * CELL
        elif (column + 1) * CELL > x + cells_width:
            x = (column + 1) * CELL - cells_width
        if row < y:
            y = row
        elif row >= y + rows_height:
            y = row - rows_height + 1
        self.scroll_to(x, y, animate=False, immediate=True)

    def describe(self) -> str:
        """The cell under the cursor in words, for the line under the grid (user text: show it literally)."""
        row, meeting = self.current_row, self.current_meeting
        if self.grid is None or meeting is None:
            return "No held meetings yet: the grid fills in as meetings are held."
        column = self.cursor[0]
        when = f"Meeting {meeting.number}, {human_day(meeting.day, weekday=True)}"
        if meeting.title:
            when += f" ({meeting.title})"
        if meeting.cancelled:
            return f"{when}: cancelled" + (f" — {meeting.cancel_reason}" if meeting.cancel_reason else "")
        parts = [when]
        if row is not None:
            status = status_word(row.cells[column])
            if not row.enrolled[column]:
                status += " (not enrolled then)"
            parts.append(f"{row.name}: {status}; came to {row.rate.fraction()} ({row.rate.percent()})")
        rate = self.grid.meeting_rates[column]
        if rate is not None:
            parts.append(f"{rate.fraction()} came to this meeting ({rate.percent()})")
        return " · ".join(parts)

    # --- drawing --------------------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._styles.clear()
        self._lines.clear()
        super().notify_style_update()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"attendance-grid--{name}")
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base = self.rich_style  # worked out once for the lines drawn now, not once per line
        try:
            return super().render_lines(crop)
        finally:
            self._base = None

    def render_line(self, y: int) -> Strip:
        """One line, from the cache when nothing it shows has changed since it was drawn."""
        key = (y, int(self.scroll_x), int(self.scroll_y), self.cursor, self.scrollable_content_region.width)
        strip = self._lines.get(key)
        if strip is None:
            if len(self._lines) > 1000:
                self._lines.clear()
            strip = self._lines[key] = self._draw_line(y)
        return strip

    def _draw_line(self, y: int) -> Strip:
        """One line as one Strip: the fixed columns, then the cells in view, on the widget's own colours."""
        width = self.scrollable_content_region.width
        base = self._base if self._base is not None else self.rich_style
        grid = self.grid
        if grid is None or not grid.rows or not grid.meetings:
            message = ""
            if y == 0:
                message = "Nobody on the roster yet." if grid and not grid.rows else "No held meetings yet."
            pieces = [(message, self._style("none"))]
        else:
            index = int(self.scroll_y) + y - HEADER_LINES if y >= HEADER_LINES else -1
            if index >= len(grid.rows):
                pieces = []
            else:
                cells_width = max(0, width - self.fixed_width)
                pieces = [*self._fixed_part(y, index), *self._visible_cells(y, index, cells_width)]
        segments = [Segment(text, base + style) for text, style in pieces if text]
        used = sum(cell_len(segment.text) for segment in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        strip = Strip(segments)
        return strip.crop(0, width) if used > width else strip

    @property
    def _drawn(self) -> AttendanceGrid:
        """The grid being drawn: lines are only drawn once there is one to draw."""
        if self.grid is None:
            raise LookupError("the attendance grid is drawn before it was given a grid")
        return self.grid

    def _fixed_part(self, y: int, index: int) -> list[Piece]:
        header = self._style("header")
        if y == 0:
            return [("Person".ljust(self._name_width) + "Came".rjust(RATE_WIDTH - 1) + " ", header)]
        if y == 1:
            return [("% came".ljust(self.fixed_width), header)]
        row = self._drawn.rows[index]
        name = self._names[index]
        if cell_len(name) >= self._name_width:
            name = set_cell_size(name, self._name_width - 2) + "…"
        style = BOLD if index == self.cursor[1] else PLAIN
        rate = row.rate.percent().rjust(RATE_WIDTH - 1) + " "
        return [(set_cell_size(name, self._name_width), style), (rate, header)]

    def _visible_cells(self, y: int, index: int, cells_width: int) -> list[Piece]:
        """The cells in view, cut at both edges (every glyph is one column wide), neighbours of one style
        joined into one piece: a row of the same marks is a few segments, not one per meeting."""
        start = int(self.scroll_x)
        first = start // CELL
        last = min(len(self._drawn.meetings), -(-(start + cells_width) // CELL))
        runs: list[list[Any]] = []
        for column in range(first, last):
            for text, style in self._cell(y, index, column):
                if runs and runs[-1][1] is style:
                    runs[-1][0] += text
                else:
                    runs.append([text, style])
        out: list[Piece] = []
        skip, room = start - first * CELL, cells_width
        for text, style in runs:
            if skip >= len(text):
                skip -= len(text)
                continue
            text, skip = text[skip:], 0
            out.append((text[:room], style))
            room -= len(text)
            if room <= 0:
                break
        return out

    def _cell(self, y: int, index: int, column: int) -> list[Piece]:
        """One cell's text and style: a meeting number, a rate, or a glyph."""
        grid = self.grid
        assert grid is not None
        meeting = grid.meetings[column]
        if y == 0:
            return [(f"{meeting.number:>3} ", self._style("cancelled" if meeting.cancelled else "header"))]
        if y == 1:
            rate = grid.meeting_rates[column]
            if rate is None:
                return [(f"  {CANCELLED[0]} ", self._style("cancelled"))]
            return [(f"{rate.percent().rstrip('%'):>3} ", self._style("header"))]
        row = grid.rows[index]
        status = row.cells[column]
        if meeting.cancelled:
            glyph, style = CANCELLED[0], self._style("cancelled")
        elif status is None and not row.enrolled[column]:
            glyph, style = " ", PLAIN
        else:
            glyph, style = GLYPHS[status][0], self._style(status.value if status else "none")
        if (column, index) == self.cursor:
            return [("  ", style), (glyph, style + self._style("cursor")), (" ", style)]
        return [(f"  {glyph} ", style)]
