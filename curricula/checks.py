"""Every problem in a parsed pack, found by walking the TOML tree against the format's Structs.

`msgspec.convert` stops at the first mistake; a facilitator fixing a pack wants all of them at once, in words
they use. So the tree is checked here against `msgspec.inspect.type_info(Pack)` (fields, types, constraints,
defaults), followed by the rules no type can say: unique ids and numbers, one slot, agendas that run long.
"""

from __future__ import annotations

import datetime
import difflib
import enum
import functools
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import msgspec
import msgspec.inspect as mi

from curricula.agenda import compose_agenda
from curricula.format import MAX_SESSIONS, Pack, SegmentKind, Slug, Stage, Technique, Version

Severity = Literal["error", "warning"]
KeyPath = tuple[str | int, ...]

# More problems than anyone fixes in one go: past this many a file is not a pack being written, and checking
# on would only cost time.
FINDINGS_LIMIT = 1_000
_QUOTE_LIMIT = 60
_SUGGEST_LIMIT = 100  # difflib is quadratic; nobody mistypes a key this long
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# What pack text must not hold, since it is shown in a terminal: C0 and C1 controls (a terminal obeys them:
# escape sequences move the cursor or set the window's title) and the invisible format characters that
# reorder or hide text (bidirectional overrides and isolates, zero-width spaces, soft hyphens, tags). The
# zero-width joiner and non-joiner are allowed: some scripts and emoji need them. Text of several lines
# (`Prose` in format.py) may also hold newlines and tabs.
_CONTROLS = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
_INVISIBLE = (
    r"\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u2028-\u202e"
    r"\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    r"\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
_HIDDEN_IN_PROSE = re.compile(f"[{_CONTROLS}{_INVISIBLE}]")
_HIDDEN = re.compile(rf"[\t\n{_CONTROLS}{_INVISIBLE}]")
_ENUM_NOUNS: dict[type[enum.Enum], str] = {
    SegmentKind: "segment kind",
    Technique: "technique",
    Stage: "stage",
}


@dataclass(frozen=True)
class Finding:
    """One problem at a path in the tree, before it is given a file and a line."""

    path: KeyPath
    message: str
    severity: Severity = "error"


def check_document(document: dict[str, Any], limit: int = FINDINGS_LIMIT) -> list[Finding]:
    """The problems in a parsed pack, at most `limit`: types and constraints first, then rules between fields.

    A pack too big to be one is one problem, and nothing else of it is checked.
    """
    too_big = _too_many_sessions(document)
    if too_big is not None:
        return [too_big]
    found = itertools.chain(_check_value(document, _pack_type(), (), ""), _check_course(document))
    # The checks are generators, so a hostile file's millionth problem is never even worded.
    return list(itertools.islice(found, limit))


def _too_many_sessions(document: dict[str, Any]) -> Finding | None:
    """The one problem of a pack with more sessions than any course has, or None."""
    count = sum(
        len(sessions)
        for _, unit in _tables(document.get("units"))
        if isinstance(sessions := unit.get("sessions"), list)
    )
    if count <= MAX_SESSIONS:
        return None
    return Finding(
        ("units",), f"the pack has {count:,} sessions; a pack can have at most {MAX_SESSIONS} (split it up)"
    )


# --- Words -------------------------------------------------------------------------------------------------


def quote(text: str) -> str:
    """`text` in double quotes, shortened, with control and invisible characters shown as escapes."""
    shown = text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…"
    return '"' + printable(shown.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def printable(text: str) -> str:
    """`text` with control, format and unassigned characters shown as escapes, safe to print in a terminal."""
    return "".join(_escape(char) for char in text)


def _escape(char: str) -> str:
    """One character as it can be shown safely and read back."""
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    # These could move the cursor, recolour the screen, hide text or break the line: show their code instead.
    if unicodedata.category(char).startswith("C") or char in "\u2028\u2029":
        code = ord(char)
        return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
    return char


def format_path(path: KeyPath) -> str:
    """A field path as pack authors write it: `units[2].sessions[0].agenda[3].minutes`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            key = part if _BARE_KEY.fullmatch(part) else quote(part)
            text += f".{key}" if text else key
    return text


def describe(value: object) -> str:
    """A TOML value in a few words, for "expected ..., got ..." messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # str() of a huge int is slow (and refused past 4,300 digits); nobody needs to see all of it.
        return str(value) if -(10**30) < value < 10**30 else "a very large number"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.datetime):
        return "a date and time"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, datetime.time):
        return "a time of day"
    return "a value of another kind"


def _suggestion(word: str, choices: list[str]) -> str | None:
    """The closest of `choices` to `word`, if one is close enough to be a likely typo."""
    if len(word) > _SUGGEST_LIMIT:
        return None
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.lower().replace("_", "-"), choices, n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_key_message(key: str, known: list[str]) -> str:
    """`unknown key "minuts" — did you mean "minutes"?`, or the keys allowed here."""
    nearest = _suggestion(key, known)
    if nearest is not None:
        return f"unknown key {quote(key)} — did you mean {quote(nearest)}?"
    return f"unknown key {quote(key)}; the keys allowed here are: {', '.join(known)}"


def _not_in_enum_message(value: str, cls: type[enum.Enum]) -> str:
    """`"lecture" is not a segment kind; use one of: ...`, with the nearest value when there is one."""
    noun = _ENUM_NOUNS.get(cls, "allowed value")
    choices = [str(member.value) for member in cls]
    message = f"{quote(value)} is not a {noun}; use one of: {', '.join(choices)}"
    nearest = _suggestion(value, choices)
    return f"{message} — did you mean {quote(nearest)}?" if nearest is not None else message


def _whole_number(field: str) -> str:
    """What an integer field holds, in words."""
    return "a whole number of minutes" if field.endswith("minutes") else "a whole number"


# --- Types -------------------------------------------------------------------------------------------------


@functools.cache
def _pack_type() -> mi.StructType:
    """The type information of `Pack`, worked out once."""
    info = mi.type_info(Pack)
    assert isinstance(info, mi.StructType)
    return info


def _slug_hint(value: str) -> str:
    """A suggested short name for a value that is not one (` — try "coping-skills"`), or nothing."""
    candidate = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:60]
    return f" — try {quote(candidate)}" if candidate and candidate != value else ""


def _no_hint(value: str) -> str:
    """No suggestion."""
    return ""


@functools.cache
def _pattern_messages() -> dict[str, tuple[str, Callable[[str], str]]]:
    """What each pattern of the format means, and a fix to suggest, keyed by the pattern (format.py rules)."""
    slug, version = mi.type_info(Slug), mi.type_info(Version)
    assert isinstance(slug, mi.StrType) and isinstance(version, mi.StrType)
    return {
        slug.pattern or "": (
            'expected a short name of lower-case letters, digits and "-" (like "coping-skills")',
            _slug_hint,
        ),
        version.pattern or "": ('expected a version of three numbers with dots (like "1.0.0")', _no_hint),
    }


def _check_value(value: object, info: mi.Type, path: KeyPath, field: str) -> Iterator[Finding]:
    """What is wrong with `value` against one msgspec type."""
    if isinstance(info, mi.Metadata):
        # The format marks text that may run over lines (`Prose`) with `extra`; nothing else uses it.
        lines = bool((info.extra or {}).get("lines"))
        if isinstance(info.type, mi.StrType):
            yield from _check_str(value, info.type, path, field, lines=lines)
        else:
            yield from _check_value(value, info.type, path, field)
    elif isinstance(info, mi.UnionType):
        members = [member for member in info.types if not isinstance(member, mi.NoneType)]
        # TOML has no null, so an optional field is checked as its only other type.
        attempts: list[list[Finding]] = []
        for member in members:
            found = list(_check_value(value, member, path, field))
            if not found:
                return
            attempts.append(found)
        yield from attempts[0] if attempts else []
    elif isinstance(info, mi.StructType):
        yield from _check_struct(value, info, path)
    elif isinstance(info, mi.ListType):
        yield from _check_list(value, info, path, field)
    elif isinstance(info, mi.DictType):
        yield from _check_dict(value, info, path, field)
    elif isinstance(info, mi.IntType):
        yield from _check_int(value, info, path, field)
    elif isinstance(info, mi.StrType):
        yield from _check_str(value, info, path, field, lines=False)
    elif isinstance(info, mi.BoolType):
        if not isinstance(value, bool):
            yield Finding(path, f"expected true or false, got {describe(value)}")
    elif isinstance(info, mi.EnumType):
        yield from _check_enum(value, info.cls, path)
    elif isinstance(info, mi.FloatType) and (isinstance(value, bool) or not isinstance(value, int | float)):
        yield Finding(path, f"expected a number, got {describe(value)}")
    # Any other type is left to msgspec.convert, whose message the loader turns into a problem.


def _check_struct(value: object, info: mi.StructType, path: KeyPath) -> Iterator[Finding]:
    """A table: unknown keys, missing keys, then each field."""
    if not isinstance(value, dict):
        yield Finding(path, f"expected a table, got {describe(value)}")
        return
    fields = {field.encode_name: field for field in info.fields}
    for key in value:
        if key not in fields:
            yield Finding((*path, key), unknown_key_message(key, list(fields)))
    for name, field in fields.items():
        if name in value:
            yield from _check_value(value[name], field.type, (*path, name), name)
        elif field.required:
            yield Finding((*path, name), "is required")


def _check_list(value: object, info: mi.ListType, path: KeyPath, field: str) -> Iterator[Finding]:
    """A list and each of its items (not those of a list too long to be read through)."""
    if not isinstance(value, list):
        hint = ""
        if isinstance(info.item_type, mi.StructType):
            header = ".".join(part for part in path if isinstance(part, str))
            hint = f" (write [[{header}]] above each one)"
        elif isinstance(value, str):
            hint = f" (put it in brackets: [{quote(value)}])"
        yield Finding(path, f"expected a list, got {describe(value)}{hint}")
        return
    if info.min_length is not None and len(value) < info.min_length:
        yield Finding(path, f"must have at least {info.min_length} items")
    if info.max_length is not None and len(value) > info.max_length:
        yield Finding(path, f"has {len(value):,} items; it can have at most {info.max_length}")
        return
    for index, item in enumerate(value):
        yield from _check_value(item, info.item_type, (*path, index), field)


def _check_dict(value: object, info: mi.DictType, path: KeyPath, field: str) -> Iterator[Finding]:
    """A table of free keys (like `stage_prompts`): each key and each value."""
    if not isinstance(value, dict):
        yield Finding(path, f"expected a table, got {describe(value)}")
        return
    for key, item in value.items():
        if isinstance(info.key_type, mi.EnumType):
            yield from _check_enum(key, info.key_type.cls, (*path, key))
        else:
            yield from _check_value(key, info.key_type, (*path, key), field)
        yield from _check_value(item, info.value_type, (*path, key), field)


def _check_int(value: object, info: mi.IntType, path: KeyPath, field: str) -> Iterator[Finding]:
    """A whole number within its bounds."""
    # bool is an int in Python, but `minutes = true` is not a number of minutes.
    if isinstance(value, bool) or not isinstance(value, int):
        yield Finding(path, f"expected {_whole_number(field)}, got {describe(value)}")
        return
    low = info.ge if info.ge is not None else (info.gt + 1 if info.gt is not None else None)
    high = info.le if info.le is not None else (info.lt - 1 if info.lt is not None else None)
    if low is not None and value < low:
        yield Finding(path, f"must be at least {low}")
    elif high is not None and value > high:
        if path == ("format",):
            yield Finding(path, f"this pack is written in format {value}, newer than this app reads")
        else:
            yield Finding(path, f"must be at most {high}")
    if info.multiple_of is not None and value % info.multiple_of:
        yield Finding(path, f"must be a multiple of {info.multiple_of}")


def _check_str(
    value: object, info: mi.StrType, path: KeyPath, field: str, *, lines: bool
) -> Iterator[Finding]:
    """Text within its length, of the right form, shown as written, and (for titles) not blank."""
    if not isinstance(value, str):
        yield Finding(path, f"expected text, got {describe(value)}")
        return
    if field == "title" and not value.strip():
        yield Finding(path, "must not be blank")
    if info.min_length is not None and len(value) < info.min_length:
        yield Finding(path, f"is too short; it needs at least {info.min_length} characters")
    if info.max_length is not None and len(value) > info.max_length:
        yield Finding(
            path, f"is too long ({len(value):,} characters); keep it to {info.max_length:,} or fewer"
        )
        return
    hidden = (_HIDDEN_IN_PROSE if lines else _HIDDEN).search(value)
    if hidden is not None:
        yield Finding(path, _hidden_message(value, hidden.start(), lines=lines))
    # fullmatch, not msgspec's search: "coping\n" would pass a `$` search and then break file names.
    elif info.pattern is not None and re.fullmatch(info.pattern, value) is None:
        known = _pattern_messages().get(info.pattern)
        if known is None:
            yield Finding(path, f"{quote(value)} does not have the expected form")
        else:
            expected, hint = known
            yield Finding(path, f"{expected}, got {describe(value)}{hint(value)}")


def _hidden_message(value: str, at: int, *, lines: bool) -> str:
    """Why a character cannot be in pack text, naming it and where it is."""
    char = value[at]
    code = {"\n": "\\n", "\t": "\\t"}.get(char, f"U+{ord(char):04X}")
    where = f"{code} at character {at + 1}"
    if not lines and char in "\n\r\u2028\u2029":
        return f"must be one line, but has a line break ({where}); use a space"
    if not lines and char == "\t":
        return f"must be one line, but has a tab ({where}); use a space"
    if char in "\r\u2028\u2029":
        return f"has a line break of an unusual kind ({where}); use an ordinary new line"
    if unicodedata.category(char) == "Cf":
        return f"has an invisible character that can reorder or hide text ({where}); remove it"
    return f"has a control character ({where}), which a terminal would obey rather than show; remove it"


def _check_enum(value: object, cls: type[enum.Enum], path: KeyPath) -> Iterator[Finding]:
    """One of an enum's values, with the nearest one suggested."""
    if not isinstance(value, str):
        noun = _ENUM_NOUNS.get(cls, "value")
        yield Finding(path, f"expected a {noun} written as text, got {describe(value)}")
    elif value not in {member.value for member in cls}:
        yield Finding(path, _not_in_enum_message(value, cls))


# --- Rules between fields ----------------------------------------------------------------------------------


def _tables(value: object) -> Iterator[tuple[int, dict[str, Any]]]:
    """The items of a list that are tables, with their indices; nothing if `value` is not a list."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _is_count(value: object) -> bool:
    """A whole number of at least 1 (the only kind of minutes worth adding up)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _check_course(document: dict[str, Any]) -> Iterator[Finding]:
    """The rules between fields: units and sessions present and unique, slots, agenda lengths."""
    units = document.get("units")
    if units is None or units == []:
        yield Finding(
            ("units",), "the pack has no units; add at least one [[units]] with its [[units.sessions]]"
        )
    unit_ids: dict[str, int] = {}
    for u, unit in _tables(units):
        unit_id = unit.get("id")
        if isinstance(unit_id, str):
            if unit_id in unit_ids:
                first = format_path(("units", unit_ids[unit_id]))
                yield Finding(("units", u, "id"), f"the unit id {quote(unit_id)} is already used by {first}")
            else:
                unit_ids[unit_id] = u
        sessions = unit.get("sessions")
        if sessions is None or sessions == []:
            yield Finding(
                ("units", u, "sessions"), "the unit has no sessions; add at least one [[units.sessions]]"
            )
        numbers: dict[int, int] = {}
        for s, session in _tables(sessions):
            number = session.get("number")
            if isinstance(number, int) and not isinstance(number, bool):
                if number in numbers:
                    first = format_path(("units", u, "sessions", numbers[number]))
                    yield Finding(
                        ("units", u, "sessions", s, "number"),
                        f"session number {number} is already used in this unit, by {first}",
                    )
                else:
                    numbers[number] = s
            for g, segment in _tables(session.get("agenda")):
                if segment.get("slot") is True:
                    yield Finding(
                        ("units", u, "sessions", s, "agenda", g, "slot"),
                        "only a segment of the [template] can be the slot; a session's own segments fill it",
                    )
    yield from _check_template_slots(document)
    yield from _check_agenda_lengths(document)


def _check_template_slots(document: dict[str, Any]) -> Iterator[Finding]:
    """At most one slot in the template."""
    template = document.get("template")
    if not isinstance(template, dict):
        return
    first_slot: int | None = None
    for g, segment in _tables(template.get("agenda")):
        if segment.get("slot") is True:
            if first_slot is None:
                first_slot = g
            else:
                first = format_path(("template", "agenda", first_slot))
                yield Finding(
                    ("template", "agenda", g, "slot"),
                    f"the template can have only one slot, and {first} is already the slot",
                )


def _check_agenda_lengths(document: dict[str, Any]) -> Iterator[Finding]:
    """Warn about sessions whose composed agenda is empty or longer than the session."""
    pack_length = document.get("session_minutes", _pack_default("session_minutes"))
    template = document.get("template")
    template_agenda: list[Any] | None = None
    if isinstance(template, dict):
        template_agenda = template.get("agenda", [])
        if not isinstance(template_agenda, list):
            return  # already an error; the sum would mean nothing
    for u, unit in _tables(document.get("units")):
        for s, session in _tables(unit.get("sessions")):
            own = session.get("agenda", [])
            use_template = session.get("use_template", True)
            length = session.get("minutes", pack_length)
            if not isinstance(own, list) or not isinstance(use_template, bool):
                continue
            agenda = compose_agenda(
                template_agenda,
                own,
                use_template,
                lambda item: isinstance(item, dict) and item.get("slot") is True,
            )
            path: KeyPath = ("units", u, "sessions", s, "agenda")
            if not agenda:
                yield Finding(
                    path,
                    "the session has no agenda; add [[units.sessions.agenda]] segments or a [template]",
                    "warning",
                )
                continue
            minutes = [item.get("minutes") if isinstance(item, dict) else None for item in agenda]
            counts = [m for m in minutes if _is_count(m) and isinstance(m, int)]
            if not _is_count(length) or len(counts) != len(minutes):
                continue  # a wrong length is reported on its own; adding it up would only confuse
            total = sum(counts)
            if total > length:
                yield Finding(
                    path,
                    f"the agenda adds up to {total} minutes, more than the session's {length}",
                    "warning",
                )


def _pack_default(name: str) -> object:
    """The default of one of `Pack`'s fields."""
    for field in _pack_type().fields:
        if field.name == name:
            return field.default
    raise KeyError(name)


def from_validation_error(error: msgspec.ValidationError) -> Finding:
    """A problem from msgspec's own message, for anything the walk above did not catch."""
    message, _, where = str(error).rpartition(" - at `")
    if not message:
        return Finding((), str(error))
    path: list[str | int] = []
    for name, index in re.findall(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]", where.rstrip("`").removeprefix("$")):
        path.append(name if name else int(index))
    return Finding(tuple(path), message)
