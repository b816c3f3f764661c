"""The pack loader: every problem at once, each with its file, line, field path and plain words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from curricula.format import SegmentKind, Stage, Technique
from curricula.loader import MAX_PACK_BYTES, LoadResult, Problem, load_pack, load_pack_bytes, load_pack_text
from tests.curricula.pack_samples import VALID_PACK, edited, write


def messages(result: LoadResult) -> list[str]:
    """Every problem as the facilitator sees it."""
    return [str(problem) for problem in result.problems]


def only_problem(text: str) -> str:
    """The single problem loading `text` gives, as text."""
    result = load_pack_text(text, "imr.toml")
    assert len(result.problems) == 1, messages(result)
    return str(result.problems[0])


# --- A good pack --------------------------------------------------------------------------------------------


def test_a_valid_pack_loads_with_no_problems() -> None:
    result = load_pack_text(VALID_PACK, "evening.toml")
    assert result.ok and result.problems == []
    assert result.pack is not None
    assert result.pack.id == "evening-group"
    assert result.pack.session_minutes == 60
    session = result.pack.units[0].sessions[0]
    assert [segment.minutes for segment in session.agenda] == [25, 15]
    assert session.agenda[0].kind is SegmentKind.TEACHING
    assert session.agenda[0].techniques == [Technique.EDUCATIONAL]


def test_the_example_in_format_md_is_a_valid_pack() -> None:
    text = (Path(__file__).parents[2] / "curricula" / "FORMAT.md").read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    result = load_pack_text(example, "example.toml")
    assert result.ok, messages(result)
    assert result.problems == []


def test_a_pack_file_is_named_by_its_file_name(tmp_path: Path) -> None:
    path = write(tmp_path / "deep" / "folder", "evening.toml", VALID_PACK)
    result = load_pack(path)
    assert result.ok and result.file == "evening.toml"


def test_a_byte_order_mark_is_accepted() -> None:
    result = load_pack_bytes(b"\xef\xbb\xbf" + VALID_PACK.encode(), "bom.toml")
    assert result.ok, messages(result)


# --- Each kind of error, with its exact place and words -----------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "minutes = 25",
            'minutes = "ten"',
            "imr.toml:33 units[0].sessions[0].agenda[0].minutes:"
            ' expected a whole number of minutes, got "ten"',
        ),
        (
            "minutes = 25",
            "minutes = 12.5",
            "imr.toml:33 units[0].sessions[0].agenda[0].minutes:"
            " expected a whole number of minutes, got 12.5",
        ),
        (
            "number = 2",
            "number = true",
            "imr.toml:42 units[0].sessions[1].number: expected a whole number, got true",
        ),
        (
            'title = "Slowing down"',
            "title = 7",
            "imr.toml:43 units[0].sessions[1].title: expected text, got 7",
        ),
        (
            'title = "Slowing down"',
            "title = 2026-03-03",
            "imr.toml:43 units[0].sessions[1].title: expected text, got a date",
        ),
        (
            "slot = true",
            'slot = "yes"',
            'imr.toml:15 template.agenda[1].slot: expected true or false, got "yes"',
        ),
        (
            "minutes = 15",
            "minutes = 0",
            "imr.toml:39 units[0].sessions[0].agenda[1].minutes: must be at least 1",
        ),
        (
            "minutes = 15",
            "minutes = -5",
            "imr.toml:39 units[0].sessions[0].agenda[1].minutes: must be at least 1",
        ),
        ("session_minutes = 60", "session_minutes = 601", "imr.toml:4 session_minutes: must be at most 600"),
        (
            "session_minutes = 60",
            "session_minutes = 99999999999999999999999999999999999",
            "imr.toml:4 session_minutes: must be at most 600",
        ),
        (
            'techniques = ["educational"]',
            'techniques = "educational"',
            "imr.toml:34 units[0].sessions[0].agenda[0].techniques: expected a list, got"
            ' "educational" (put it in brackets: ["educational"])',
        ),
        (
            'techniques = ["educational"]',
            'techniques = ["educational", "psychoeducation"]',
            'imr.toml:34 units[0].sessions[0].agenda[0].techniques[1]: "psychoeducation" is not a technique;'
            " use one of: educational, motivational, cognitive-behavioural, coping-skills,"
            ' relapse-prevention, behavioural-tailoring, significant-others — did you mean "educational"?',
        ),
        (
            'kind = "practice"',
            'kind = "lecture"',
            'imr.toml:38 units[0].sessions[0].agenda[1].kind: "lecture" is not a segment kind; use one of:'
            " welcome, check-in, review, home-assignment-review, goal-follow-up, agenda, teaching, practice,"
            " discussion, mindfulness, skill-review, break, summary, home-assignment, closing, other",
        ),
        (
            'kind = "practice"',
            'kind = "practise"',
            'imr.toml:38 units[0].sessions[0].agenda[1].kind: "practise" is not a segment kind; use one of:'
            " welcome, check-in, review, home-assignment-review, goal-follow-up, agenda, teaching, practice,"
            " discussion, mindfulness, skill-review, break, summary, home-assignment, closing, other"
            ' — did you mean "practice"?',
        ),
        (
            'kind = "practice"',
            "kind = 3",
            "imr.toml:38 units[0].sessions[0].agenda[1].kind: expected a segment kind written as text, got 3",
        ),
        (
            "number = 2",
            'number = 2\ncolour = "blue"',
            'imr.toml:43 units[0].sessions[1].colour: unknown key "colour"; the keys allowed here are:'
            " number, title, minutes, objectives, agenda, use_template, handouts, sheets, home_assignments,"
            " facilitator_notes",
        ),
        (
            'id = "coping"',
            'id = "Coping Skills"',
            'imr.toml:23 units[0].id: expected a short name of lower-case letters, digits and "-" (like'
            ' "coping-skills"), got "Coping Skills" — try "coping-skills"',
        ),
        (
            'version = "1.0.0"',
            'version = "1.0"',
            'imr.toml:3 version: expected a version of three numbers with dots (like "1.0.0"), got "1.0"',
        ),
        (
            'title = "Body scan"',
            f'title = "{"x" * 201}"',
            "imr.toml:37 units[0].sessions[0].agenda[1].title: is too long (201 characters); keep it to 200"
            " or fewer",
        ),
        (
            'title = "Slowing down"',
            'title = "  "',
            "imr.toml:43 units[0].sessions[1].title: must not be blank",
        ),
        (
            "session_minutes = 60",
            "session_minutes = 60\nformat = 2",
            "imr.toml:5 format: this pack is written in format 2, newer than this app reads",
        ),
        (
            'techniques = ["educational"]',
            'stage_prompts = { engagment = "Welcome them" }',
            'imr.toml:34 units[0].sessions[0].agenda[0].stage_prompts.engagment: "engagment" is not a stage;'
            " use one of: engagement, persuasion, active_treatment, relapse_prevention — did you mean"
            ' "engagement"?',
        ),
    ],
)
def test_each_mistake_is_reported_at_its_line_in_plain_words(old: str, new: str, expected: str) -> None:
    assert only_problem(edited(old, new)) == expected


def test_windows_line_endings_give_the_same_lines() -> None:
    text = edited("minutes = 25", 'minutes = "ten"').replace("\n", "\r\n")
    assert only_problem(text).startswith("imr.toml:33 units[0].sessions[0].agenda[0].minutes: expected")


def test_units_given_as_text_say_how_to_write_them() -> None:
    text = 'id = "a"\ntitle = "A"\nversion = "1.0.0"\nunits = "coping"\n'
    assert only_problem(text) == (
        'imr.toml:4 units: expected a list, got "coping" (write [[units]] above each one)'
    )


def test_a_missing_key_is_reported_at_the_line_of_its_table() -> None:
    text = edited(
        '[[units.sessions]]\nnumber = 2\ntitle = "Slowing down"\n', "[[units.sessions]]\nnumber = 2\n"
    )
    assert only_problem(text) == "imr.toml:41 units[0].sessions[1].title: is required"


def test_a_missing_top_level_key_has_no_line() -> None:
    text = edited('version = "1.0.0"\n', "")
    assert only_problem(text) == "imr.toml version: is required"


def test_a_misspelt_key_is_unknown_and_the_key_it_meant_is_missing() -> None:
    text = edited("minutes = 15", "minuts = 15")
    assert messages(load_pack_text(text, "imr.toml")) == [
        "imr.toml:36 units[0].sessions[0].agenda[1].minutes: is required",
        'imr.toml:39 units[0].sessions[0].agenda[1].minuts: unknown key "minuts" — did you mean "minutes"?',
    ]


def test_a_problem_in_an_inline_table_is_on_the_line_of_that_value() -> None:
    text = edited(
        "[[units.sessions]]\nnumber = 2\n",
        "[[units.sessions]]\nagenda = [\n"
        '  { title = "Talk", minutes = 20 },\n'
        '  { title = "Walk", minutes = "x" },\n'
        "]\nnumber = 2\n",
    )
    assert only_problem(text) == (
        'imr.toml:44 units[0].sessions[1].agenda[1].minutes: expected a whole number of minutes, got "x"'
    )


def test_units_written_as_a_single_table_says_how_to_write_a_list() -> None:
    text = 'id = "a"\ntitle = "A"\nversion = "1.0.0"\n\n[units]\nid = "u"\ntitle = "U"\n'
    result = load_pack_text(text, "a.toml")
    assert messages(result) == [
        "a.toml:5 units: expected a list, got a table (write [[units]] above each one)",
    ]


def test_duplicate_unit_ids_and_session_numbers_are_errors() -> None:
    text = (
        VALID_PACK.replace("number = 2", "number = 1")
        + '\n[[units]]\nid = "coping"\ntitle = "Again"\n\n[[units.sessions]]\nnumber = 1\ntitle = "Other"\n'
    )
    assert messages(load_pack_text(text, "imr.toml")) == [
        "imr.toml:42 units[0].sessions[1].number: session number 1 is already used in this unit, by"
        " units[0].sessions[0]",
        'imr.toml:46 units[1].id: the unit id "coping" is already used by units[0]',
    ]


def test_the_template_has_at_most_one_slot_and_sessions_have_none() -> None:
    text = edited('kind = "closing"\n', 'kind = "closing"\nslot = true\n')
    text = edited('kind = "practice"\n', 'kind = "practice"\nslot = true\n', text)
    assert messages(load_pack_text(text, "imr.toml")) == [
        "imr.toml:20 template.agenda[2].slot: the template can have only one slot, and template.agenda[1] is"
        " already the slot",
        "imr.toml:40 units[0].sessions[0].agenda[1].slot: only a segment of the [template] can be the slot;"
        " a session's own segments fill it",
    ]


def test_a_pack_with_no_units_is_an_error() -> None:
    result = load_pack_text('id = "a"\ntitle = "A"\nversion = "1.0.0"\n', "a.toml")
    assert messages(result) == [
        "a.toml units: the pack has no units; add at least one [[units]] with its [[units.sessions]]"
    ]
    result = load_pack_text('id = "a"\ntitle = "A"\nversion = "1.0.0"\nunits = []\n', "a.toml")
    assert messages(result) == [
        "a.toml:4 units: the pack has no units; add at least one [[units]] with its [[units.sessions]]"
    ]


def test_a_unit_with_no_sessions_is_an_error() -> None:
    text = 'id = "a"\ntitle = "A"\nversion = "1.0.0"\n\n[[units]]\nid = "u"\ntitle = "U"\n'
    assert messages(load_pack_text(text, "a.toml")) == [
        "a.toml:5 units[0].sessions: the unit has no sessions; add at least one [[units.sessions]]"
    ]


def test_text_with_control_characters_is_shown_escaped() -> None:
    text = edited('kind = "practice"', 'kind = "\\u001b[31mred"')
    problem = only_problem(text)
    assert "\x1b" not in problem
    assert '"\\u001B[31mred" is not a segment kind' in problem


# --- Several problems, warnings -----------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    text = edited('version = "1.0.0"', 'version = "one"')
    text = edited("minutes = 25", 'minutes = "ten"', text)
    text = edited('kind = "practice"', 'kind = "lecture"', text)
    text = edited('title = "Slowing down"', "titel = 'Slowing down'", text)
    result = load_pack_text(text, "imr.toml")
    assert result.pack is None and not result.ok
    assert [(problem.line, problem.path) for problem in result.problems] == [
        (3, "version"),
        (33, "units[0].sessions[0].agenda[0].minutes"),
        (38, "units[0].sessions[0].agenda[1].kind"),
        (41, "units[0].sessions[1].title"),
        (43, "units[0].sessions[1].titel"),
    ]
    assert str(result.problems[4]) == (
        'imr.toml:43 units[0].sessions[1].titel: unknown key "titel" — did you mean "title"?'
    )


def test_an_agenda_longer_than_the_session_is_a_warning_not_an_error() -> None:
    text = edited("minutes = 15", "minutes = 50")
    result = load_pack_text(text, "imr.toml")
    assert result.ok and result.pack is not None
    assert result.errors == []
    assert messages(result) == [
        "imr.toml:30 units[0].sessions[0].agenda:"
        " the agenda adds up to 95 minutes, more than the session's 60"
    ]
    assert result.problems[0].severity == "warning"
    assert result.warnings == result.problems


def test_the_session_length_and_use_template_are_taken_into_account() -> None:
    # 25 + 50 on their own fit the session's own 80 minutes; with the template they would not.
    text = edited("number = 1\n", "number = 1\nminutes = 80\nuse_template = false\n")
    text = edited("minutes = 15", "minutes = 50", text)
    assert load_pack_text(text, "imr.toml").problems == []
    text = edited("use_template = false\n", "", text)
    assert messages(load_pack_text(text, "imr.toml")) == [
        "imr.toml:31 units[0].sessions[0].agenda:"
        " the agenda adds up to 95 minutes, more than the session's 80"
    ]


def test_a_session_without_its_own_agenda_is_checked_against_the_template() -> None:
    text = edited("session_minutes = 60", "session_minutes = 50")
    result = load_pack_text(text, "imr.toml")
    assert [(problem.line, problem.path, problem.severity) for problem in result.problems] == [
        (30, "units[0].sessions[0].agenda", "warning"),
        (41, "units[0].sessions[1].agenda", "warning"),  # no agenda of its own: the session's line
    ]


def test_a_session_with_no_agenda_at_all_is_a_warning() -> None:
    text = 'id = "a"\ntitle = "A"\nversion = "1.0.0"\n\n[[units]]\nid = "u"\ntitle = "U"\n\n'
    text += '[[units.sessions]]\nnumber = 1\ntitle = "S"\n'
    result = load_pack_text(text, "a.toml")
    assert result.ok
    assert messages(result) == [
        "a.toml:9 units[0].sessions[0].agenda: the session has no agenda; add [[units.sessions.agenda]]"
        " segments or a [template]"
    ]


def test_warnings_are_kept_beside_errors() -> None:
    text = edited("minutes = 15", "minutes = 50")
    text = edited('title = "Slowing down"', 'title = ""', text)
    result = load_pack_text(text, "imr.toml")
    assert result.pack is None
    assert [problem.severity for problem in result.problems] == ["warning", "error"]


# --- Files that are not packs at all ------------------------------------------------------------------------


def test_a_toml_syntax_error_is_one_problem_at_its_line() -> None:
    text = edited("minutes = 25", "minutes = ten")
    assert messages(load_pack_text(text, "imr.toml")) == [
        'imr.toml:33: not valid TOML: a value here is not valid (text needs "quotes", lists need [brackets])'
        " (column 11)"
    ]


def test_a_key_given_twice_is_a_syntax_error_at_its_line() -> None:
    text = edited("number = 2\n", "number = 2\nnumber = 3\n")
    assert messages(load_pack_text(text, "imr.toml")) == [
        "imr.toml:43: not valid TOML: this key is given a value twice (column 11)"
    ]


def test_an_unclosed_string_is_reported() -> None:
    result = load_pack_text('id = "a\ntitle = "A"\n', "a.toml")
    assert len(result.problems) == 1 and result.problems[0].line == 1
    assert result.problems[0].message.startswith("not valid TOML: ")


def test_a_file_that_is_not_utf8_names_the_line() -> None:
    data = VALID_PACK.replace("Body scan", "Body sc\xe0n").encode("latin-1")
    assert messages(load_pack_bytes(data, "imr.toml")) == [
        "imr.toml:37: the file is not UTF-8 text (byte 0xE0 cannot be read); save it as UTF-8 in your editor"
    ]


def test_a_missing_file_or_a_folder_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    assert messages(load_pack(tmp_path / "nowhere.toml")) == [
        "nowhere.toml: could not read the file: No such file or directory"
    ]
    assert messages(load_pack(tmp_path)) == [f"{tmp_path.name}: is not a file"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    assert messages(load_pack(pipe)) == ["pipe.toml: is not a file"]


def test_a_huge_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "big.toml", b"# " + b"x" * MAX_PACK_BYTES)
    assert messages(load_pack(path)) == ["big.toml: the file is too large to be a pack (more than 1 MB)"]


def test_deep_nesting_and_enormous_numbers_are_problems_not_crashes() -> None:
    deep = load_pack_text("x = " + "[" * 5000 + "]" * 5000, "deep.toml")
    assert messages(deep) == ["deep.toml: not valid TOML: lists or tables are nested too deeply to read"]
    digits = load_pack_text("x = " + "9" * 5000, "digits.toml")
    assert messages(digits) == ["digits.toml: not valid TOML: a number has too many digits"]


def test_problem_text_without_a_line_or_a_path() -> None:
    assert str(Problem("a.toml", None, "", "oops")) == "a.toml: oops"
    assert str(Problem("a.toml", 3, "", "oops")) == "a.toml:3: oops"
    assert str(Problem("a.toml", None, "id", "is required")) == "a.toml id: is required"


def test_stage_prompts_load_as_stages() -> None:
    text = edited('techniques = ["educational"]', 'stage_prompts = { engagement = "Welcome them" }')
    result = load_pack_text(text, "imr.toml")
    assert result.pack is not None
    assert result.pack.units[0].sessions[0].agenda[0].stage_prompts == {Stage.ENGAGEMENT: "Welcome them"}
