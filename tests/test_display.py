"""Stored text as shown: nothing in it is obeyed by the terminal, and a one-line text stays one line."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.display import literal, multi_line, one_line
from tests.fault_figures import count

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE = BIDI + "\u200b\u00ad\u2060\ufeff\U000e0041"
BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
# Anything at all, with the characters that matter drawn often enough to meet each other.
HOSTILE = st.text(
    st.one_of(
        st.characters(codec="utf-8"),
        st.characters(max_codepoint=0x9F),
        st.sampled_from(INVISIBLE + BREAKS + "\t\u200c\u200d"),
    )
)
# What a terminal only shows: no control, format, surrogate or separator characters (a space is fine).
SHOWN = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))
    | st.sampled_from("\u200c\u200d")
)


def obeyed(text: str) -> list[str]:
    """The characters of `text` that a terminal would act on, or that reorder or hide text."""
    return [
        char
        for char in text
        if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
        or (unicodedata.category(char) == "Cf" and char not in "\u200c\u200d")
    ]


@given(HOSTILE)
def test_one_line_has_nothing_a_terminal_obeys_and_no_line_break(text: str) -> None:
    count("bad inputs tried")
    shown = one_line(text)
    assert obeyed(shown) == []
    assert len(shown.splitlines()) <= 1
    assert literal(text).plain == shown


@given(HOSTILE)
def test_multi_line_keeps_newlines_and_tabs_only(text: str) -> None:
    count("bad inputs tried")
    shown = multi_line(text)
    assert [char for char in obeyed(shown) if char not in "\n\t"] == []
    assert literal(text, lines=True).plain == shown


@given(SHOWN)
def test_text_with_nothing_to_neutralise_is_shown_unchanged(text: str) -> None:
    assert one_line(text) == text
    assert multi_line(text) == text


@given(st.lists(SHOWN, min_size=1), st.sampled_from(["\n", "\r\n", "\r", "\u2028"]))
def test_the_lines_of_a_text_keep_their_words(lines: list[str], newline: str) -> None:
    typed = newline.join(lines)
    assert multi_line(typed) == "\n".join(lines)
    assert one_line(typed) == " ".join(lines)


@pytest.mark.parametrize(
    ("stored", "one", "many"),
    [
        ("Sam\x1b]0;owned\x07 K.", "Sam␛]0;owned␇ K.", "Sam␛]0;owned␇ K."),  # the title-setting escape
        ("\x9b31mRed", "�31mRed", "�31mRed"),  # a C1 control sequence introducer
        ("Dev\x7f", "Dev␡", "Dev␡"),
        ("Ana\nLee", "Ana Lee", "Ana\nLee"),
        ("Ana\r\nLee", "Ana Lee", "Ana\nLee"),
        ("Ana\tLee", "Ana Lee", "Ana\tLee"),
        ("\u202eeel\u202c Ana", "eel Ana", "eel Ana"),  # a right-to-left override, gone
        ("Jo\u200bhn\u00ad", "John", "John"),  # zero-width and soft hyphen
        ("Zoë 李 👩\u200d👩\u200d👧", "Zoë 李 👩\u200d👩\u200d👧", "Zoë 李 👩\u200d👩\u200d👧"),
    ],
)
def test_what_each_kind_of_character_becomes(stored: str, one: str, many: str) -> None:
    count("bad inputs tried")
    assert one_line(stored) == one
    assert multi_line(stored) == many


def test_markup_is_shown_as_written() -> None:
    assert literal("[red]Loud[/red]").plain == "[red]Loud[/red]"
    assert literal("[b]x[/b]", "bold").style == "bold"
