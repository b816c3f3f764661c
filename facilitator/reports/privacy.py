"""What an export may show: everything, or a de-identified variant with small counts suppressed.

De-identified (after HIPAA Safe Harbor): no names, contacts or free text (notes, goal wording, reasons); each
person a pseudonym, P01, P02, …, stable within one export and handed out in an order drawn at random for that
export, so neither the order of the roster nor the order of joining can be read back from them; dates reduced
to the week of the course (or the year where there is no course to count from); locations and facilitators
left out. Suppression hides a count below N (1 to N − 1) in a group's tables as "<N"; a count of 0 reveals
nobody and is shown.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

WITHHELD = "(withheld)"


@dataclass
class Privacy:
    """How one export shows people, text, dates and counts."""

    deidentify: bool = False
    suppress_under: int = 0
    course_start: date | None = None  # week 1 of the course, for de-identified dates
    salt: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    _pseudonyms: dict[str, str] = field(default_factory=dict)

    def assign(self, participant_ids: Iterable[str]) -> None:
        """Give everyone in the export a pseudonym at once, in an order that reveals nothing."""
        ids = sorted(set(participant_ids) - set(self._pseudonyms), key=self._shuffle)
        start = len(self._pseudonyms)
        width = max(2, len(str(start + len(ids))))
        for offset, participant_id in enumerate(ids, start=start + 1):
            self._pseudonyms[participant_id] = f"P{offset:0{width}d}"

    def _shuffle(self, participant_id: str) -> bytes:
        return hashlib.blake2b(participant_id.encode(), key=self.salt, digest_size=16).digest()

    def person(self, participant_id: str, name: str) -> str:
        if not self.deidentify:
            return name
        if participant_id not in self._pseudonyms:
            self.assign([participant_id])
        return self._pseudonyms[participant_id]

    def text(self, value: str) -> str:
        """Free text (a note, a goal's words, a reason): withheld when de-identified."""
        if not self.deidentify:
            return value
        return WITHHELD if value else ""

    def day(self, day: date | None) -> str:
        """A day as ISO 8601, or as the week of the course (or the year) when de-identified."""
        if day is None:
            return ""
        if not self.deidentify:
            return day.isoformat()
        if self.course_start is None:
            return str(day.year)
        week = (day - self.course_start).days // 7 + 1
        return f"week {week}" if week >= 1 else f"before the course ({day.year})"

    def moment(self, moment: datetime | None, zone: tzinfo) -> str:
        """A time as local ISO 8601 to the minute; when de-identified, only its week (or year)."""
        if moment is None:
            return ""
        local = moment.astimezone(zone)
        if self.deidentify:
            return self.day(local.date())
        return local.replace(second=0, microsecond=0).isoformat(timespec="minutes")

    def count(self, value: int) -> str:
        """A count in a group's table, hidden when small enough to point at someone."""
        if 0 < value < self.suppress_under:
            return f"<{self.suppress_under}"
        return str(value)

    def fraction(self, part: int, whole: int) -> str:
        """ "9 of 12", each side suppressed on its own."""
        return f"{self.count(part)} of {self.count(whole)}"

    def where(self, value: str) -> str:
        """A place or a facilitator's name: left out when de-identified."""
        return "" if self.deidentify else value


OPEN = Privacy()
