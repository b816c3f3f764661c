"""The three looks: dark, light and high contrast; `ctrl+t` goes round them, the choice kept in the file.

High contrast is pure black and white with saturated yellow, cyan and red for what must stand out, and no
muted text that fades into the background; every state also has its glyph or word, so no look relies on
colour alone (see `widgets/countdown.py` and `words.py`).
"""

from __future__ import annotations

from textual.theme import Theme

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
HIGH_CONTRAST_THEME = "facilitator-high-contrast"

HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_THEME,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#00FFFF",
    warning="#FFFF00",
    error="#FF4040",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#FFFFFF",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "text-muted": "#FFFFFF",
        "text-disabled": "#C0C0C0",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "input-selection-background": "#FFFF00 60%",
        "border": "#FFFFFF",
        "border-blurred": "#C0C0C0",
    },
)

# The order ctrl+t goes round them.
THEME_CYCLE = (DARK_THEME, LIGHT_THEME, HIGH_CONTRAST_THEME)
THEME_WORDS = {DARK_THEME: "dark", LIGHT_THEME: "light", HIGH_CONTRAST_THEME: "high contrast"}


def next_theme(current: str, *, dark: bool = True) -> str:
    """The theme after `current` in the cycle; from one picked elsewhere (the palette), light or dark."""
    if current not in THEME_CYCLE:
        return LIGHT_THEME if dark else DARK_THEME
    return THEME_CYCLE[(THEME_CYCLE.index(current) + 1) % len(THEME_CYCLE)]
