"""A goal's check-ins over time: one bar per check-in (its rating 1–5), then the latest few in words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from rich.text import Text
from textual.widgets import Static

from facilitator.display import literal, local
from facilitator.store.records import CheckIn

BARS = " ▁▃▄▆█"  # index = rating 1..5; the blank slot keeps the index equal to the rating
SHOWN = 4


def rating_dots(rating: int) -> str:
    """ "●●●○○" for 3 of 5."""
    rating = max(0, min(rating, 5))
    return "●" * rating + "○" * (5 - rating)


def chart_text(check_ins: Sequence[CheckIn], zone: tzinfo | str | None = None) -> Text:
    """The chart as text: bars of ratings oldest to newest, then the latest check-ins with their notes."""
    text = Text()
    if not check_ins:
        text.append("No check-ins yet.", style="dim")
        return text
    ordered = sorted(check_ins, key=lambda c: c.at)
    ratings = [max(1, min(c.rating, 5)) for c in ordered]
    text.append("Ratings ", style="bold")
    text.append("".join(BARS[r] for r in ratings), style="bold")
    first, last = ratings[0], ratings[-1]
    trend = "steady" if first == last else ("up" if last > first else "down")
    count = f"{len(ratings)} check-in" + ("s" if len(ratings) != 1 else "")
    text.append(f"  {first} → {last} ({trend}) over {count}\n", style="dim")
    for check_in in reversed(ordered[-SHOWN:]):
        when = local(check_in.at, zone)
        text.append(f"  {when.format('ddd D MMM')}  ")
        text.append(f"{rating_dots(check_in.rating)} {check_in.rating}/5", style="bold")
        if check_in.note:
            text.append("  ")
            text.append_text(literal(check_in.note))
        text.append("\n")
    if len(ordered) > SHOWN:
        text.append(f"  … and {len(ordered) - SHOWN} earlier\n", style="dim")
    text.rstrip()
    return text


class GoalChart(Static):
    """Check-in ratings over time for one goal; given the check-ins, never reads the store."""

    DEFAULT_CSS = """
    GoalChart { height: auto; padding: 0 1; }
    """

    def show(self, check_ins: Sequence[CheckIn], zone: tzinfo | str | None = None) -> None:
        self.update(chart_text(check_ins, zone))
