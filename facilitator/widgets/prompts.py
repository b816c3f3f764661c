"""A segment's facilitator prompts, drawn from their Markdown as one widget.

Textual's Markdown widget mounts a widget for every paragraph, list and list item, and styles each one: on the
Run Session screen that was most of what opening it cost, and again on every segment. Here the Markdown is one
Rich renderable in one Static, parsed on the spot (a few milliseconds for the longest prompts in our packs).
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Markdown
from rich.segment import Segment
from textual.widgets import Static


class PromptsText:
    """Markdown as Rich draws it, without the blank line Rich puts above a list that opens the text."""

    def __init__(self, source: str) -> None:
        # Links are drawn as their text and address: a click opens nothing (no network at run time).
        self.markdown = Markdown(source, hyperlinks=False)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = console.render_lines(self.markdown, options.update(height=None), pad=False)
        while lines and not "".join(segment.text for segment in lines[0]).strip():
            lines.pop(0)
        for line in lines:
            yield from line
            yield Segment.line()


class SegmentPrompts(Static):
    """Markdown shown as written in a pack; `source` is the Markdown last shown."""

    DEFAULT_CSS = """
    SegmentPrompts { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = ""

    def show(self, source: str) -> None:
        """Draw `source`; nothing is redrawn when it is what is shown already."""
        if source == self.source:
            return
        self.source = source
        self.update(PromptsText(source))
