"""A row of a screen's views with their keys ("Attendance (a)  Roster (r)"), the current one marked.

Lighter than Textual's TabbedContent (it costs a frame's worth less to open a screen): the screen keeps the
views in a ContentSwitcher and calls `show(view)`; a click on a name runs the screen's `show_view` action.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static


class ViewTabs(Static):
    """The names of a screen's views; `views` is (view id, label, key)."""

    COMPONENT_CLASSES = {"view-tabs--active"}
    DEFAULT_CSS = """
    ViewTabs { height: 1; padding: 0 1; color: $text-muted; }
    ViewTabs > .view-tabs--active { color: $text; background: $primary 40%; text-style: bold; }
    """

    def __init__(self, views: list[tuple[str, str, str]], active: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.views = views
        self.active = active

    def on_mount(self) -> None:
        self.show(self.active)

    def show(self, active: str) -> None:
        self.active = active
        marked = self.get_component_rich_style("view-tabs--active") if self.is_mounted else Style(bold=True)
        text = Text()
        for view, label, key in self.views:
            click = Style.from_meta({"@click": f"screen.show_view('{view}')"})
            current = view == active
            text.append(
                f" {'▸ ' if current else ''}{label} ({key}) ", (marked if current else Style()) + click
            )
            text.append(" ")
        self.update(text)
