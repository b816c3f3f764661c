"""A report on the screen: any `Document` (the same one the exports print), shown literally in the terminal.

Headings in bold, facts as label and value, tables as aligned columns, the chart as bars of blocks. Every text
is a `Text` made with `literal`, so a name or a note never becomes markup or a terminal escape.
"""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.console import Group as Rows
from rich.table import Table as RichTable
from rich.text import Text
from textual.widgets import Static

from facilitator.display import literal
from facilitator.reports.document import Bars, Block, Document, Facts, Heading, Paragraph, Signatures, Table

BAR_WIDTH = 30


def bars(item: Bars) -> RenderableType:
    width = max((len(label) for label, _ in item.bars), default=0)
    out = Text()
    out.append_text(literal(item.title, "bold"))
    for label, value in item.bars:
        filled = round(BAR_WIDTH * value / item.most) if item.most else 0
        out.append(f"\n{label.rjust(width)} ")
        out.append("█" * filled, style="bold")
        out.append(f" {value}")
    return out


def table(item: Table) -> RenderableType:
    shown = RichTable(show_edge=False, pad_edge=False, box=None, header_style="bold", expand=False)
    for header in item.headers:
        shown.add_column(literal(header), overflow="fold")
    for row in item.rows:
        shown.add_row(*(literal(cell) for cell in row))
    if not item.caption:
        return shown
    return Rows(shown, literal(item.caption, "dim"))


def block(item: Block) -> RenderableType:
    if isinstance(item, Heading):
        return literal(item.text, "bold underline" if item.level <= 2 else "bold")
    if isinstance(item, Paragraph):
        return literal(item.text, "dim" if item.small else "")
    if isinstance(item, Facts):
        out = Text()
        for index, (label, value) in enumerate(item.pairs):
            if index:
                out.append("\n")
            out.append_text(literal(f"{label}: ", "bold"))
            out.append_text(literal(value))
        return out
    if isinstance(item, Table):
        return table(item)
    if isinstance(item, Bars):
        return bars(item)
    assert isinstance(item, Signatures)
    return literal("  ".join(f"{label}: ________" for label in item.labels), "dim")


def document_view(document: Document) -> RenderableType:
    parts: list[RenderableType] = [literal(document.title, "bold")]
    if document.subtitle:
        parts.append(literal(document.subtitle, "dim"))
    for item in document.blocks:
        parts += [Text(""), block(item)]
    if document.footer:
        parts += [Text(""), literal(document.footer, "dim")]
    return Rows(*parts)


def as_text(renderable: RenderableType, width: int) -> Text:
    """A renderable laid out once at `width`, as styled text: a long report then scrolls without re-layout."""
    console = Console(width=width, file=io.StringIO(), color_system="truecolor", legacy_windows=False)
    text = Text()
    for line in console.render_lines(renderable, console.options.update(width=width), pad=False):
        for segment in line:
            text.append(segment.text, segment.style)
        text.append("\n")
    text.rstrip()
    return text


class ReportView(Static):
    """Shows one document, or a line saying what is happening; laid out again only when its width changes."""

    def __init__(self, content: str = "", *, id: str | None = None) -> None:
        super().__init__(content, id=id)
        self.document: Document | None = None
        self.laid_out_at = 0

    def show_document(self, document: Document) -> None:
        self.document = document
        self.lay_out()

    def lay_out(self) -> None:
        if self.document is None:
            return
        width = max(40, self.content_size.width or self.app.size.width - 36)
        self.laid_out_at = width
        self.update(as_text(document_view(self.document), width))

    def on_resize(self) -> None:
        if self.document is not None and self.content_size.width != self.laid_out_at:
            self.lay_out()

    def show_line(self, line: str) -> None:
        self.document = None
        self.update(literal(line, "dim"))
