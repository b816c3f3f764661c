"""A time in block digits as large as the widget's space allows, to be read from across a room.

The digits are drawn from a 3 × 5 grid of squares, each square two cells wide and one tall (a terminal cell is
about twice as tall as it is wide), then scaled up by the largest whole factor that fits. With no room even
for the smallest, the time is shown as plain text, so it is never lost.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

GLYPH_ROWS = 5
# Each glyph row by row; "#" is a filled square.
GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    "-": ("...", "...", "###", "...", "..."),
    " ": ("..", "..", "..", "..", ".."),
}


def squares_wide(text: str) -> int:
    """The width of `text` in squares, with one square between glyphs."""
    glyphs = [GLYPHS[c] for c in text if c in GLYPHS]
    return sum(len(g[0]) for g in glyphs) + max(0, len(glyphs) - 1)


def scale_to_fit(text: str, width: int, height: int) -> int:
    """The largest scale at which `text` fits `width` × `height` cells (0: not even the smallest)."""
    wide = squares_wide(text)
    if not wide:
        return 0
    return max(0, min(width // (2 * wide), height // GLYPH_ROWS))


def block_lines(text: str, scale: int) -> list[str]:
    """`text` drawn in squares of `scale` rows by 2 × `scale` columns."""
    glyphs = [GLYPHS[c] for c in text if c in GLYPHS]
    lines = []
    for row in range(GLYPH_ROWS):
        squares = ".".join(glyph[row] for glyph in glyphs)
        line = "".join(("█" if square == "#" else " ") * (2 * scale) for square in squares)
        lines.extend([line] * scale)
    return lines


class BigClock(Widget):
    """A time ("12:05", "+1:30") in the largest block digits its size allows, centred."""

    DEFAULT_CSS = """
    BigClock { width: 1fr; height: 1fr; content-align: center middle; }
    """

    def __init__(self, text: str = "0:00", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = text

    @property
    def text(self) -> str:
        return self._text

    def update(self, text: str) -> None:
        """Show `text`; repaints only when it changed."""
        if text != self._text:
            self._text = text
            self.refresh()

    def scale(self) -> int:
        """The scale the digits are drawn at in the widget's present size."""
        return scale_to_fit(self._text, self.content_size.width, self.content_size.height)

    def render(self) -> Text:
        scale = self.scale()
        if scale == 0:
            return Text(self._text, style="bold")
        return Text("\n".join(block_lines(self._text, scale)))
