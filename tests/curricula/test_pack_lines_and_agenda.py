"""The TOML line scanner on awkward layouts, and how a session's agenda is composed."""

from __future__ import annotations

import tomllib

from curricula.agenda import compose_agenda, session_agenda, session_length
from curricula.format import Pack, Segment, Session, Template, Unit
from curricula.toml_lines import line_map

AWKWARD = """\
# [[units]] in a comment is not a header
id = "x"  # neither is = here
description = \"\"\"
[[units]]
title = "inside a string"
\"\"\"
notes = '''
[template]
'''''
"odd.key" = 1
a . "b c" . d = 2
list = [
  1,  # one, [not.a.header]
  "two ] }",
  [3, { x = 1, y = [4, 5] }],
]
inline = { p = 1, q.r = "s" }

[[template.agenda]]
title = 'x'

[[units]]
id = "u1"

[[units.sessions]]
number = 1

[[units.sessions.agenda]]
minutes = 3

[[units.sessions]]
number = 2

[[units]]
id = "u2"
[units.extra]
k = 1
[[units.sessions]]
number = 1
"""


def test_the_scanner_finds_every_path_on_its_line() -> None:
    tomllib.loads(AWKWARD)  # the sample is valid TOML
    lines = line_map(AWKWARD)
    assert lines == {
        ("id",): 2,
        ("description",): 3,
        ("notes",): 7,
        ("odd.key",): 10,
        ("a",): 11,
        ("a", "b c"): 11,
        ("a", "b c", "d"): 11,
        ("list",): 12,
        ("list", 0): 13,
        ("list", 1): 14,
        ("list", 2): 15,
        ("list", 2, 0): 15,
        ("list", 2, 1): 15,
        ("list", 2, 1, "x"): 15,
        ("list", 2, 1, "y"): 15,
        ("list", 2, 1, "y", 0): 15,
        ("list", 2, 1, "y", 1): 15,
        ("inline",): 17,
        ("inline", "p"): 17,
        ("inline", "q"): 17,
        ("inline", "q", "r"): 17,
        ("template",): 19,
        ("template", "agenda"): 19,
        ("template", "agenda", 0): 19,
        ("template", "agenda", 0, "title"): 20,
        ("units",): 22,
        ("units", 0): 22,
        ("units", 0, "id"): 23,
        ("units", 0, "sessions"): 25,
        ("units", 0, "sessions", 0): 25,
        ("units", 0, "sessions", 0, "number"): 26,
        ("units", 0, "sessions", 0, "agenda"): 28,
        ("units", 0, "sessions", 0, "agenda", 0): 28,
        ("units", 0, "sessions", 0, "agenda", 0, "minutes"): 29,
        ("units", 0, "sessions", 1): 31,
        ("units", 0, "sessions", 1, "number"): 32,
        ("units", 1): 34,
        ("units", 1, "id"): 35,
        ("units", 1, "extra"): 36,
        ("units", 1, "extra", "k"): 37,
        ("units", 1, "sessions"): 38,
        ("units", 1, "sessions", 0): 38,
        ("units", 1, "sessions", 0, "number"): 39,
    }


def test_the_scanner_gives_what_it_has_on_text_it_cannot_follow() -> None:
    assert line_map('a = 1\nb = "unclosed\nc = 3\n') == {("a",): 1, ("b",): 2}
    assert line_map("a = 1\n= 2\nc = 3\n") == {("a",): 1}
    assert line_map("[[") == {}
    assert line_map("") == {}


def segment(title: str, minutes: int = 10, slot: bool = False) -> Segment:
    return Segment(title=title, minutes=minutes, slot=slot)


def titles(segments: list[Segment]) -> list[str]:
    return [item.title for item in segments]


def make_pack(template: list[Segment] | None, session: Session) -> Pack:
    return Pack(
        id="p",
        title="P",
        version="1.0.0",
        template=Template(agenda=template) if template is not None else None,
        units=[Unit(id="u", title="U", sessions=[session])],
    )


def test_the_slot_is_replaced_by_the_sessions_own_segments() -> None:
    session = Session(number=1, title="S", agenda=[segment("own 1"), segment("own 2")])
    pack = make_pack([segment("open"), segment("slot", slot=True), segment("close")], session)
    assert titles(session_agenda(pack, session)) == ["open", "own 1", "own 2", "close"]


def test_a_session_without_segments_keeps_the_slot() -> None:
    session = Session(number=1, title="S")
    pack = make_pack([segment("open"), segment("slot", slot=True)], session)
    assert titles(session_agenda(pack, session)) == ["open", "slot"]


def test_without_a_slot_or_template_or_with_use_template_off_the_session_stands_alone() -> None:
    own = Session(number=1, title="S", agenda=[segment("own")])
    assert titles(session_agenda(make_pack([segment("open")], own), own)) == ["own"]
    assert titles(session_agenda(make_pack(None, own), own)) == ["own"]
    alone = Session(number=1, title="S", agenda=[segment("own")], use_template=False)
    assert titles(session_agenda(make_pack([segment("slot", slot=True)], alone), alone)) == ["own"]
    bare = Session(number=1, title="S")
    assert titles(session_agenda(make_pack([segment("open")], bare), bare)) == ["open"]


def test_only_the_first_slot_is_filled() -> None:
    composed = compose_agenda(["a", "SLOT", "b", "SLOT"], ["x"], True, lambda item: item == "SLOT")
    assert composed == ["a", "x", "b", "SLOT"]


def test_a_sessions_length_is_its_own_or_the_packs() -> None:
    session = Session(number=1, title="S", minutes=45)
    assert session_length(make_pack(None, session), session) == 45
    plain = Session(number=1, title="S")
    assert session_length(make_pack(None, plain), plain) == 90
