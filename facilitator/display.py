"""How records are shown: names and notes literally, dates in local time in human form."""

from __future__ import annotations

import re

from rich.text import Text

from facilitator.course.dates import human_datetime as human_datetime
from facilitator.course.dates import human_day as human_day
from facilitator.course.dates import local as local
from facilitator.course.dates import relative as relative

# What a terminal would obey rather than show: C0 and C1 controls (escape sequences start with one), DEL,
# and lone surrogates (which cannot be written to a terminal at all). Tabs and newlines are left to `_BREAKS`.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Format characters (Unicode's "Cf"): invisible, and able to reorder text (bidirectional overrides,
# embeddings, isolates, marks) or hide it (zero-width spaces, soft hyphens, tags). The zero-width non-joiner
# and joiner (U+200C, U+200D) stay: several scripts and emoji sequences need them, and they reorder nothing.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f]"
)
# Every way of ending a line, a tab among them: a one-line text (a name, a cell of a table) shows each as a
# space, so it stays one row; a text of several lines keeps them as newlines (and its tabs as tabs).
_BREAKS = re.compile(r"\r\n|[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _visible(match: re.Match[str]) -> str:
    """A control character as a visible symbol: ␛ for escape, ␇ for the bell, ␡ for delete, else �."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def _shown(text: str, breaks: re.Pattern[str], into: str) -> str:
    """`text` with its line breaks turned `into` one string, its controls visible and invisible marks gone."""
    return _CONTROL.sub(_visible, _INVISIBLE.sub("", breaks.sub(into, text)))


def one_line(text: str) -> str:
    """Stored text as one line that a terminal shows and never obeys: for names, titles, cells, inputs."""
    return _shown(text, _BREAKS, " ")


def multi_line(text: str) -> str:
    """Stored text of several lines (notes, prompts), shown and never obeyed: its newlines and tabs kept."""
    return _shown(text, _LINE_BREAKS, "\n")


def literal(text: str, style: str = "", *, lines: bool = False) -> Text:
    """Stored text exactly as typed: no Rich markup, no terminal escape sequences; one line unless `lines`."""
    return Text(multi_line(text) if lines else one_line(text), style=style)
