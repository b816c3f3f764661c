"""The session's agenda: each segment with its planned and actual minutes, and a mark on the current one."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from facilitator.display import literal
from facilitator.widgets.countdown import clock_text


@dataclass(frozen=True)
class AgendaRow:
    """One segment as the list shows it."""

    title: str
    planned_seconds: int
    actual_seconds: float
    skipped: bool


def _mark(index: int, current: int, row: AgendaRow, live: bool) -> tuple[str, str]:
    """The glyph in front of a segment and its style: current, skipped, done or still to come."""
    if index == current and live:
        return "▶", "bold"
    if row.skipped:
        return "↷", "dim"
    if row.actual_seconds > 0 and index != current:
        return "✓", ""
    return " ", ""


class AgendaList(Static):
    """Planned and actual minutes per segment; redrawn on transitions only, never on a tick."""

    def show(self, rows: list[AgendaRow], current: int, *, live: bool) -> None:
        """Draw the rows; `live` is False before the start and after the end (no segment is running)."""
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
        table.add_column("", width=1, no_wrap=True)
        table.add_column("Segment", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("Plan", justify="right", no_wrap=True)
        table.add_column("Run", justify="right", no_wrap=True)
        for index, row in enumerate(rows):
            glyph, style = _mark(index, current, row, live)
            over = row.actual_seconds > row.planned_seconds
            if index == current and live:
                run = Text("now", style="bold")
            elif row.skipped:
                run = Text("skipped", style="dim")
            elif row.actual_seconds > 0:
                run = Text(
                    ("▲" if over else "") + clock_text(row.actual_seconds), style="bold" if over else ""
                )
            else:
                run = Text("–", style="dim")
            title = literal(f"{index + 1}. {row.title}", style=style)
            table.add_row(Text(glyph, style=style), title, clock_text(row.planned_seconds), run)
        self.update(table)
