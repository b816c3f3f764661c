"""What a pack may hold: text a terminal only shows, and a size a course has; a hostile file costs little."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curricula.checks import FINDINGS_LIMIT
from curricula.format import MAX_SESSIONS
from curricula.loader import (
    MAX_PACK_BYTES,
    SHOWN_PROBLEMS,
    LoadResult,
    first_problems,
    load_pack,
    load_pack_text,
)
from curricula.toml_lines import line_map
from tests.curricula.pack_samples import VALID_PACK, edited, import_pack, simple_pack
from tests.fault_figures import count

HEAD = 'id = "big"\ntitle = "Big"\nversion = "1.0.0"\n'


def messages(result: LoadResult) -> list[str]:
    return [str(problem) for problem in result.problems]


def sessions(n: int, units: int = 1) -> str:
    """A pack of `n` sessions spread over `units` units (numbers stay under 999 in each)."""
    per_unit = -(-n // units)
    text = HEAD
    for u in range(units):
        text += f'[[units]]\nid = "u{u}"\ntitle = "U"\n'
        text += "".join(
            f'[[units.sessions]]\nnumber={number}\ntitle="S"\n'
            for number in range(1, min(per_unit, n - u * per_unit) + 1)
        )
    return text


# --- Characters ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'title = "Noticing stress"',
            'title = "Noticing\\u001B]0;owned\\u0007 stress"',
            "imr.toml:28 units[0].sessions[0].title: has a control character (U+001B at character 9), which a"
            " terminal would obey rather than show; remove it",
        ),
        (
            'title = "Evening coping group"',
            'title = "\\u202Epuorg gnipoc"',
            "imr.toml:2 title: has an invisible character that can reorder or hide text"
            " (U+202E at character 1); remove it",
        ),
        (
            'title = "Everyday coping"',
            'title = "Everyday\\ncoping"',
            "imr.toml:24 units[0].title: must be one line, but has a line break (\\n at character 9);"
            " use a space",
        ),
        (
            'title = "Body scan"',
            'title = "Body\\tscan"',
            "imr.toml:37 units[0].sessions[0].agenda[1].title: must be one line, but has a tab"
            " (\\t at character 5); use a space",
        ),
        (
            'techniques = ["educational"]',
            'prompts = "Ask\\u009B31m"',
            "imr.toml:34 units[0].sessions[0].agenda[0].prompts: has a control character"
            " (U+009B at character 4), which a terminal would obey rather than show; remove it",
        ),
        (
            'techniques = ["educational"]',
            'stage_prompts = { engagement = "Hello\\u2066there" }',
            "imr.toml:34 units[0].sessions[0].agenda[0].stage_prompts.engagement: has an invisible character"
            " that can reorder or hide text (U+2066 at character 6); remove it",
        ),
        (
            'title = "Slowing down"',
            'title = "Slowing down"\nhandouts = ["Sheet\\rone"]',
            "imr.toml:44 units[0].sessions[1].handouts[0]: must be one line, but has a line break"
            " (U+000D at character 6); use a space",
        ),
    ],
)
def test_a_control_or_invisible_character_is_an_error_at_its_line_and_field(
    old: str, new: str, expected: str
) -> None:
    count("bad inputs tried")
    result = load_pack_text(edited(old, new), "imr.toml")
    assert messages(result) == [expected]
    assert result.pack is None


def test_prose_keeps_its_newlines_and_tabs_and_names_keep_their_joiners() -> None:
    text = edited(
        'techniques = ["educational"]',
        'prompts = """\nAsk:\n\t- what helps?\n"""\nstage_prompts = { engagement = "One\\ntwo" }',
    )
    text = edited('title = "Body scan"', 'title = "Body scan 👩\u200d👩\u200d👧"', text)
    result = load_pack_text(text, "ok.toml")
    assert result.ok and result.problems == [], messages(result)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["title", "audience", "description"]),
    st.sampled_from([*range(0x20), 0x7F, 0x85, 0x9B, 0x200B, 0x200E, 0x202A, 0x202E, 0x2067, 0xFEFF]),
)
def test_every_hidden_character_is_refused_in_any_text(field: str, code: int) -> None:
    count("bad inputs tried")
    prose = field == "description"
    if prose and chr(code) in "\n\t":
        return  # allowed in text of several lines
    text = edited('version = "1.0.0"', f'version = "1.0.0"\n{field}_x = 1', VALID_PACK)
    text = text.replace(f"{field}_x = 1", f'{field} = "a\\u{code:04X}b"')
    if field == "title":
        text = text.replace('title = "Evening coping group"\n', "", 1)
    result = load_pack_text(text, "any.toml")
    assert result.pack is None
    assert [problem.path for problem in result.errors] == [field]
    assert "at character 2" in result.errors[0].message


# --- Size ---------------------------------------------------------------------------------------------------


def test_a_pack_of_too_many_sessions_is_one_problem() -> None:
    count("bad inputs tried")
    assert load_pack_text(sessions(MAX_SESSIONS, units=2), "most.toml").ok
    huge = sessions(25_000, units=26)
    assert len(huge) < MAX_PACK_BYTES
    assert messages(load_pack_text(huge, "huge.toml")) == [
        "huge.toml:4 units: the pack has 25,000 sessions; a pack can have at most 200 (split it up)"
    ]


def test_too_many_segments_items_and_too_long_a_text_are_each_one_problem() -> None:
    count("bad inputs tried", 3)
    agenda = "".join(f'\n[[units.sessions.agenda]]\ntitle = "Part {n}"\nminutes = 1\n' for n in range(41))
    long_session = f'title = "Slowing down"\nminutes = 600\n{agenda}'
    result = load_pack_text(edited('title = "Slowing down"\n', long_session), "a.toml")
    assert messages(result) == ["a.toml:46 units[0].sessions[1].agenda: has 41 items; it can have at most 40"]
    handouts = ", ".join(['"Sheet"'] * 31)
    result = load_pack_text(edited("number = 2\n", f"number = 2\nhandouts = [{handouts}]\n"), "h.toml")
    assert messages(result) == [
        "h.toml:43 units[0].sessions[1].handouts: has 31 items; it can have at most 30"
    ]
    result = load_pack_text(
        edited("number = 2\n", f'number = 2\nfacilitator_notes = "{"x" * 10_001}"\n'), "n.toml"
    )
    assert messages(result) == [
        "n.toml:43 units[0].sessions[1].facilitator_notes: is too long (10,001 characters); keep it to 10,000"
        " or fewer"
    ]


def test_a_file_over_the_limit_is_refused_without_being_read(tmp_path: Path, monkeypatch) -> None:
    count("bad inputs tried")
    path = tmp_path / "sparse.toml"
    with path.open("wb") as file:
        file.truncate(50 * MAX_PACK_BYTES)  # 50 MB that take no disk

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    assert messages(load_pack(path)) == ["sparse.toml: the file is too large to be a pack (more than 1 MB)"]
    folder = tmp_path / "packs"
    outcome = import_pack(path, folder)
    assert not outcome.ok and not folder.exists()
    assert outcome.message == "Not imported: sparse.toml: the file is too large to be a pack (more than 1 MB)"


@pytest.mark.parametrize(
    "body",
    [
        "".join(f"key{n} = 1\n" for n in range(80_000)),  # a table of unknown keys, each with a suggestion
        "units = [" + "{}, " * 200_000 + "]\n",
        "units = ["
        + '{ id = "A", title = 1 }, ' * 30
        + "]\n"
        + "".join(f"x{n} = true\n" for n in range(5_000)),
    ],
    ids=["80,000 unknown keys", "200,000 empty units", "broken units then 5,000 unknown keys"],
)
def test_a_hostile_file_under_the_limit_is_refused_with_its_problems_capped(body: str) -> None:
    count("bad inputs tried")
    text = HEAD + body
    assert len(text.encode()) <= MAX_PACK_BYTES
    result = load_pack_text(text, "hostile.toml")  # how long it takes is measured by the bench, not here
    assert result.pack is None and 1 <= len(result.problems) <= FINDINGS_LIMIT


def test_problems_past_the_first_fifty_are_counted_in_one_line() -> None:
    result = load_pack_text(HEAD + "".join(f"key{n} = 1\n" for n in range(5_000)), "many.toml")
    assert result.stopped and len(result.problems) == FINDINGS_LIMIT
    shown, more = first_problems(result.problems, stopped=result.stopped)
    assert len(shown) == SHOWN_PROBLEMS
    assert more == "… and 950 more problems, perhaps others (checking stops at 1,000)"
    few = load_pack_text(HEAD + "".join(f"key{n} = 1\n" for n in range(52)), "few.toml")
    assert not few.stopped and first_problems(few.problems)[1] == "… and 3 more problems"
    assert first_problems(few.problems[:SHOWN_PROBLEMS]) == (few.problems[:SHOWN_PROBLEMS], "")


def test_lines_are_found_only_as_far_as_the_problems_need() -> None:
    text = simple_pack(titles=tuple(f"S{n}" for n in range(1, 40)))
    everything = line_map(text)
    near_the_top = line_map(text, {("units", 0, "id")})
    assert near_the_top[("units", 0, "id")] == everything[("units", 0, "id")] == 6
    assert ("units", 0, "sessions", 38) in everything and ("units", 0, "sessions", 38) not in near_the_top
