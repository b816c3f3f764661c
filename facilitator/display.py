"""How records are shown: names and notes literally, dates in local time in human form."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

import arrow
from rich.text import Text

# C0/C1 control characters (escape sequences start with one) are shown as visible symbols, never obeyed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def literal(text: str, style: str = "") -> Text:
    """User-typed text exactly as typed: no Rich markup, no terminal escape sequences."""
    cleaned = _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())) if ord(m.group()) < 32 else "�", text)
    return Text(cleaned, style=style)


def local(moment: datetime, zone: tzinfo | str | None = None) -> arrow.Arrow:
    """A stored UTC time in the local (or given) time zone."""
    return arrow.get(moment).to(zone or "local")


def human_datetime(moment: datetime, zone: tzinfo | str | None = None) -> str:
    """ "Tue 3 Mar, 6:30 pm"."""
    when = local(moment, zone)
    return f"{when.format('ddd D MMM')}, {when.format('h:mm a')}"


def relative(moment: datetime, now: datetime) -> str:
    """ "in 3 days", "2 hours ago"."""
    return arrow.get(moment).humanize(arrow.get(now))
