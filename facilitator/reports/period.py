"""A span of days a report covers: from a day, to a day, either open-ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Period:
    """Days from `start` to `end`, both included; None on either side leaves it open."""

    start: date | None = None
    end: date | None = None

    def __contains__(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def whole(self) -> bool:
        return self.start is None and self.end is None

    def words(self) -> str:
        """ "2026-01-06 to 2026-03-03", "from 2026-01-06", "the whole course"."""
        if self.start and self.end:
            return f"{self.start.isoformat()} to {self.end.isoformat()}"
        if self.start:
            return f"from {self.start.isoformat()}"
        if self.end:
            return f"up to {self.end.isoformat()}"
        return "the whole course"


EVERYTHING = Period()
