"""Tonight's roster with each person's mark, arrival time and stage of treatment."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import DataTable

from facilitator.display import literal
from facilitator.widgets.tables import fill_table, selected_key

# Glyph and word for each status (and for no mark yet), so no state is told by colour alone.
STATUS_LOOK = {
    "present": ("✓ present", "green"),
    "late": ("◷ late", "yellow"),
    "left_early": ("↤ left early", "yellow"),
    "absent": ("✗ absent", "red"),
    "excused": ("○ excused", "blue"),
    None: ("· not marked", "dim"),
}


@dataclass(frozen=True)
class RosterRow:
    """One person as the panel shows them; `time` is the arrival or leaving time, already formatted.

    `saved` is False for a mark the store refused, kept to be saved again: the panel says so beside it.
    """

    participant_id: str
    name: str
    status: str | None
    time: str = ""
    stage: str = ""
    role: str = ""
    saved: bool = True


class AttendancePanel(DataTable):
    """The roster as a table; the screen holding it marks the highlighted person."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._with_stage = False

    def show(self, rows: list[RosterRow]) -> None:
        """Redraw the rows, keeping the cursor on the same person."""
        keep = self.highlighted_participant
        with_stage = any(row.stage for row in rows)
        if with_stage != self._with_stage or not self.columns:
            self.clear(columns=True)
            self.add_columns("Name", "Mark", "Time", *(["Stage"] if with_stage else []), "Role")
            self._with_stage = with_stage
        fill_table(self, [(row.participant_id, self._cells(row)) for row in rows], keep=keep)

    def _cells(self, row: RosterRow) -> tuple[Text, ...]:
        word, colour = STATUS_LOOK[row.status]
        mark = Text(word, style=colour)
        if not row.saved:
            mark.append(" · not saved yet", style="bold red")
        stage = [Text(row.stage.replace("_", " "))] if self._with_stage else []
        return (literal(row.name), mark, Text(row.time), *stage, Text(row.role))

    @property
    def highlighted_participant(self) -> str | None:
        """The id of the person under the cursor, if any."""
        return selected_key(self)
