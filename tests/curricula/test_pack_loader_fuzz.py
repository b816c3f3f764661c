"""The loader on hostile input: it never raises, and its verdict agrees with msgspec and with the lines.

A valid pack is mutated (wrong types, missing keys, huge numbers, odd Unicode, deep nesting, random extra
keys, duplicated units), written out as TOML by the small writer below, which remembers the line of every
path it writes, and loaded.
"""

from __future__ import annotations

import copy
import datetime
import math
import re
import tomllib
import unicodedata
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curricula.checks import check_document, format_path, from_validation_error
from curricula.format import Pack
from curricula.loader import LoadResult, load_pack_bytes, load_pack_text
from tests.curricula.pack_samples import VALID_PACK

BASE: dict[str, Any] = tomllib.loads(VALID_PACK)
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


# --- A tiny TOML writer that remembers where it put each path -----------------------------------------------


def toml_string(text: str, multiline: bool = False) -> str:
    """A basic TOML string; multi-line (with real newlines) when asked and useful."""

    def escape(char: str) -> str:
        if char in '"\\':
            return "\\" + char
        if char == "\n" and multiline:
            return "\n"
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return f"\\u{ord(char):04X}"
        return char

    body = "".join(escape(char) for char in text)
    # The newline straight after the opening quotes is dropped by TOML, so the text keeps its own first line.
    return f'"""\n{body}"""' if multiline else f'"{body}"'


def toml_key(key: str) -> str:
    """A key, bare when it can be."""
    return key if BARE_KEY.fullmatch(key) else toml_string(key)


class TomlWriter:
    """Writes a table as TOML: sub-tables as [headers], lists of tables as [[headers]], the rest inline."""

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.line = 1
        self.lines: dict[str, int] = {}

    def text(self) -> str:
        """The document written so far."""
        return "".join(self.chunks)

    def emit(self, chunk: str) -> None:
        """Append text, keeping count of the line."""
        self.chunks.append(chunk)
        self.line += chunk.count("\n")

    def note(self, path: tuple[str | int, ...]) -> None:
        """Remember that `path` starts on the current line."""
        self.lines.setdefault(format_path(path), self.line)

    def table(self, table: dict[str, Any], path: tuple[str | int, ...] = ()) -> None:
        """A table's plain keys, then its sub-tables and lists of tables under their own headers."""
        for key, value in table.items():
            if not is_table(value) and not is_table_list(value):
                self.note((*path, key))
                self.emit(f"{toml_key(key)} = ")
                self.value(value, (*path, key), inline=False)
                self.emit("\n")
        for key, value in table.items():
            here = (*path, key)
            header = ".".join(toml_key(part) for part in here if isinstance(part, str))
            if is_table(value):
                self.emit("\n")
                self.note(here)
                self.emit(f"[{header}]\n")
                self.table(value, here)
            elif is_table_list(value):
                for index, item in enumerate(value):
                    self.emit("\n")
                    self.note(here)
                    self.note((*here, index))
                    self.emit(f"[[{header}]]\n")
                    self.table(item, (*here, index))

    def value(self, value: Any, path: tuple[str | int, ...], inline: bool) -> None:
        """One value; `inline` means it must stay on one line (it is inside an inline table)."""
        self.note(path)
        if isinstance(value, dict):
            self.emit("{")
            for number, (key, item) in enumerate(value.items()):
                self.emit(", " if number else " ")
                self.note((*path, key))
                self.emit(f"{toml_key(key)} = ")
                self.value(item, (*path, key), inline=True)
            self.emit(" }" if value else "}")
        elif isinstance(value, list):
            spread = not inline and len(value) >= 3
            self.emit("[\n" if spread else "[")
            for index, item in enumerate(value):
                if spread:
                    self.emit("  ")
                elif index:
                    self.emit(", ")
                self.value(item, (*path, index), inline)
                if spread:
                    self.emit(f",  # item {index} [not.a.header]\n")
            self.emit("]")
        elif isinstance(value, str):
            self.emit(toml_string(value, multiline="\n" in value and not inline))
        elif isinstance(value, bool):
            self.emit("true" if value else "false")
        elif isinstance(value, int):
            self.emit(str(value))
        elif isinstance(value, float):
            self.emit(
                "nan"
                if math.isnan(value)
                else ("inf" if value > 0 else "-inf")
                if math.isinf(value)
                else repr(value)
            )
        elif isinstance(value, datetime.date | datetime.time):
            self.emit(value.isoformat())
        else:  # pragma: no cover - the strategies make nothing else
            raise TypeError(value)


def is_table(value: Any) -> bool:
    return isinstance(value, dict)


def is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def same(a: Any, b: Any) -> bool:
    """Equal, counting nan as equal to nan (TOML round-trips it)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


# --- Strategies ---------------------------------------------------------------------------------------------

ODD_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
KEYS = st.one_of(
    st.sampled_from(
        ["id", "title", "minutes", "minuts", "number", "kind", "slot", "agenda", "engagement", "titel"]
    ),
    ODD_TEXT,
)
SCALARS = st.one_of(
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**80), max_value=10**80),
    st.floats(),
    ODD_TEXT,
    st.sampled_from(
        ["teaching", "lecture", "1.0.0", "", "  ", "educational", "Coping Skills", "\u202eevil", "\x1b[2J"]
    ),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(datetime.UTC)),
    st.times(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=10,
)


WRONG_TYPES = [True, False, 0, -3, 12.5, "ten", "", "  ", [], {}, ["x"], {"x": 1}, datetime.date(2026, 3, 3)]
MUTATIONS = ["delete", "retype", "replace", "add", "huge", "unicode", "deep", "duplicate", "tweak"]


def places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value inside a document (tables, lists and leaves alike)."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return []
    found = []
    for key, child in items:
        found.append((*path, key))
        found.extend(places(child, (*path, key)))
    return found


def at(document: Any, path: tuple[Any, ...]) -> Any:
    """The value at `path`."""
    for part in path:
        document = document[part]
    return document


@st.composite
def nested(draw: st.DrawFn) -> Any:
    """A value buried deep in lists or tables."""
    value: Any = draw(SCALARS)
    for _ in range(draw(st.integers(1, 40))):
        value = [value] if draw(st.booleans()) else {draw(KEYS): value}
    return value


@st.composite
def mutated_packs(draw: st.DrawFn) -> dict[str, Any]:
    """The valid pack with a few random mutations anywhere in it."""
    document = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(0, 4))):
        how = draw(st.sampled_from(MUTATIONS))
        path = draw(st.sampled_from([(), *places(document)]))
        value = at(document, path)
        if how in ("add", "duplicate") or not path:
            # Grow a table or a list: an extra key, an extra item, or a copy of an item (repeated ids).
            if isinstance(value, dict):
                value[draw(KEYS)] = draw(VALUES)
            elif isinstance(value, list):
                value.append(copy.deepcopy(value[0]) if value and how == "duplicate" else draw(VALUES))
            continue
        parent, key = at(document, path[:-1]), path[-1]
        if how == "delete":
            del parent[key]
            continue
        if how == "retype":
            new: Any = draw(st.sampled_from(WRONG_TYPES))
        elif how == "tweak":  # a plausible edit, so that some packs stay valid (perhaps with warnings)
            new = draw(st.integers(1, 600) | st.text(min_size=1, max_size=20) | st.just([]) | st.booleans())
        elif how == "huge":
            new = draw(st.integers(min_value=10**15, max_value=10**100) | st.integers(max_value=0))
        elif how == "unicode":
            new = draw(st.text(st.characters(codec="utf-8"), min_size=1, max_size=30))
        elif how == "deep":
            new = draw(nested())
        else:
            new = draw(VALUES)
        parent[key] = copy.deepcopy(new)
    return document


# --- Properties ---------------------------------------------------------------------------------------------


def check_consistent(result: LoadResult, text: str) -> None:
    """What every load result must satisfy, whatever the input."""
    assert result.ok == (result.pack is not None)
    assert result.ok == all(problem.severity == "warning" for problem in result.problems)
    last_line = text.count("\n") + 1
    for problem in result.problems:
        assert problem.file == "fuzz.toml"
        assert problem.severity in ("error", "warning")
        assert problem.line is None or 1 <= problem.line <= last_line
        assert "please report this as a bug" not in problem.message, str(problem)
        # Nothing in a message may drive the terminal.
        assert not any(unicodedata.category(char) in ("Cc", "Cf") for char in str(problem)), str(problem)
    again = load_pack_text(text, "fuzz.toml")  # the same verdict every time
    assert (again.problems, again.pack) == (result.problems, result.pack)


def check_document_loads_consistently(document: dict[str, Any]) -> LoadResult:
    """Write `document` as TOML, load it, and check the result against msgspec and the written lines."""
    writer = TomlWriter()
    writer.table(document)
    text = writer.text()
    assert same(tomllib.loads(text), document), text  # the writer itself is right

    result = load_pack_text(text, "fuzz.toml")
    check_consistent(result, text)

    # Agree with msgspec: whatever it refuses has at least one error; what we accept it converts the same way.
    try:
        converted: Pack | None = msgspec.convert(tomllib.loads(text), Pack)
    except msgspec.ValidationError as error:
        converted = None
        # Our own checks (our words, not msgspec's as a fallback) find an error where msgspec did, or inside.
        where = from_validation_error(error).path
        findings = check_document(tomllib.loads(text))
        assert any(f.severity == "error" and f.path[: len(where)] == where for f in findings), (
            str(error),
            text,
        )
    if converted is None:
        assert not result.ok
    if result.ok:
        assert result.pack == converted

    # Every problem is on the line where its path was written, or (if missing) the line of its nearest table.
    for problem in result.problems:
        if problem.path in writer.lines:
            assert problem.line == writer.lines[problem.path], (str(problem), text)
        else:
            parents = [
                path
                for path in writer.lines
                if problem.path.startswith(path) and problem.path[len(path) : len(path) + 1] in (".", "[")
            ]
            expected = writer.lines[max(parents, key=len)] if parents else None
            assert problem.line == expected, (str(problem), text)
    return result


@FUZZ
@given(mutated_packs())
def test_a_mutated_pack_never_crashes_and_the_verdict_is_consistent(document: dict[str, Any]) -> None:
    check_document_loads_consistently(document)


def test_every_field_given_every_wrong_kind_of_value_is_an_error_at_its_line() -> None:
    # Exhaustive where random search is thin: each place in the pack, each kind of wrong value, or none.
    for path in places(BASE):
        for wrong in WRONG_TYPES:
            document = copy.deepcopy(BASE)
            at(document, path[:-1])[path[-1]] = copy.deepcopy(wrong)
            check_document_loads_consistently(document)
        document = copy.deepcopy(BASE)
        del at(document, path[:-1])[path[-1]]
        check_document_loads_consistently(document)


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(["", "[", "]", '"', "'''", "\n", "=", "#", "{"]))
    )
)
def test_damaged_text_never_crashes(edits: list[tuple[int, str]]) -> None:
    text = VALID_PACK
    for position, insert in edits:
        position %= len(text) + 1
        # Insert a character, or (with an empty insert) delete one.
        text = text[:position] + insert + text[position + (0 if insert else 1) :]
    result = load_pack_text(text, "fuzz.toml")
    check_consistent(result, text)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert len(result.problems) == 1 and result.problems[0].path == ""


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_never_crash(data: bytes) -> None:
    result = load_pack_bytes(data, "fuzz.toml")
    assert result.ok == (result.pack is not None)
    assert result.problems  # random bytes are never a complete pack
