"""A printable document as plain blocks, so one template per document serves Markdown, HTML and PDF alike.

A template (`reports/documents/`) builds a `Document` from the records; each renderer (`reports/formats/`)
turns any document into its format. Text in blocks is stored text, shown literally by every renderer: each
escapes for its own format, none interprets markup.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Paper(enum.StrEnum):
    A4 = "a4"
    LETTER = "letter"


class Look(enum.StrEnum):
    """How a document is set on the page."""

    REPORT = "report"  # headings, tables, charts
    SHEET = "sheet"  # a form to fill in by hand: tall rows, lines to write on
    LETTER = "letter"  # paragraphs and a signature block
    CERTIFICATE = "certificate"  # centred, large


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    small: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    """Label and value pairs: "Group: Tuesday Recovery Group"."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] = ()  # relative column widths; empty: equal
    writing: bool = False  # rows to write in by hand (a sign-in sheet): tall, ruled
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Bars:
    """A bar chart: one bar per label, each `value` out of `most`."""

    title: str
    bars: tuple[tuple[str, int], ...]
    most: int


@dataclass(frozen=True, slots=True)
class Signatures:
    """Lines to sign and date by hand, one per label."""

    labels: tuple[str, ...]


Block = Heading | Paragraph | Facts | Table | Bars | Signatures


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    look: Look = Look.REPORT
    paper: Paper = Paper.A4
    footer: str = ""
    subtitle: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # shown nowhere; for tests and file properties
