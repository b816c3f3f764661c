"""Where things sit in a TOML file: a small scanner mapping field paths to the line they start on.

`tomllib` gives values but no positions, and every problem the loader reports needs a line. The scanner
follows table headers (`[a.b]`), arrays of tables (`[[units]]`, counting their elements), `key = value` lines
with dotted and quoted keys, inline tables and arrays (recording each element), and skips strings, multi-line
strings and comments so that text inside them is never mistaken for structure.

It is only run on text that `tomllib` has accepted, and it never raises: a gap here must cost a line number,
not the problems themselves.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import tomllib
from collections.abc import Collection

KeyPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL_STRING = re.compile(r"'[^'\n]*'")
# A closing delimiter may be followed by up to two more quotes, which belong to the string's text.
_MULTILINE_BASIC = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""(?:"{0,2})', re.DOTALL)
_MULTILINE_LITERAL = re.compile(r"'''.*?'''(?:'{0,2})", re.DOTALL)
_SCALAR = re.compile(r"[^,\]}\n#]*")
_SPACE = re.compile(r"[ \t]*")
_SPACE_AND_NEWLINES = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")


class _Stop(Exception):
    """The text is not what the scanner expects; keep what was found so far."""


def line_map(text: str, wanted: Collection[KeyPath] | None = None) -> dict[KeyPath, int]:
    """Map each table, key and array element in `text` to its (1-based) line number.

    Given the `wanted` paths, the scan stops once it has passed all of them: a problem near the top of a big
    file is located without reading the rest.
    """
    scanner = _Scanner(text, wanted)
    # A scanner gap must never hide the problems being located, so give back whatever was mapped.
    with contextlib.suppress(_Stop, IndexError, RecursionError, tomllib.TOMLDecodeError):
        scanner.run()
    return scanner.lines


class _Frame:
    """An open inline array or inline table while scanning a value."""

    __slots__ = ("count", "is_array", "path")

    def __init__(self, path: KeyPath, is_array: bool) -> None:
        self.path = path
        self.is_array = is_array
        self.count = 0


class _Scanner:
    """A cursor over the text that records the line of every path it passes."""

    def __init__(self, text: str, wanted: Collection[KeyPath] | None = None) -> None:
        self.text = text
        self.waiting = set(wanted) if wanted is not None else None
        self.pos = 0
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self.lines: dict[KeyPath, int] = {}
        self.table: KeyPath = ()
        # How many elements each array of tables has so far: `[[units.sessions]]` belongs to the last unit.
        self.array_lengths: dict[KeyPath, int] = {}

    def run(self) -> None:
        """Scan the whole document, statement by statement."""
        while True:
            self.skip(_SPACE_AND_NEWLINES)
            if self.pos >= len(self.text):
                return
            start = self.pos
            if self.text.startswith("[[", start):
                self.pos += 2
                keys = self.read_key()
                self.expect("]]")
                self.open_array_table(keys, start)
            elif self.text[start] == "[":
                self.pos += 1
                keys = self.read_key()
                self.expect("]")
                self.table = self.resolve(keys)
                self.note_with_parents(self.table, start)
            else:
                keys = self.read_key()
                self.expect("=")
                path = self.table + keys
                self.note_with_parents(path[:-1], start)
                self.read_value(path)
            if self.pos <= start:
                raise _Stop

    def open_array_table(self, keys: tuple[str, ...], start: int) -> None:
        """Start the next element of an array of tables."""
        array = (*self.resolve(keys[:-1]), keys[-1])
        index = self.array_lengths.get(array, 0)
        self.array_lengths[array] = index + 1
        self.table = (*array, index)
        self.note_with_parents(self.table, start)

    def resolve(self, keys: tuple[str, ...]) -> KeyPath:
        """The full path of a header's keys: a name that is an array of tables means its latest element."""
        path: KeyPath = ()
        for key in keys:
            path = (*path, key)
            length = self.array_lengths.get(path)
            if length:
                path = (*path, length - 1)
        return path

    def read_value(self, path: KeyPath) -> None:
        """Skip one value, recording the line of every element of inline arrays and tables inside it."""
        frames: list[_Frame] = []
        target: KeyPath | None = path
        while True:
            if target is not None:
                self.skip(_SPACE_AND_NEWLINES if frames else _SPACE)
                self.note(target, self.pos)
                if self.peek() in ("[", "{"):
                    frames.append(_Frame(target, is_array=self.peek() == "["))
                    self.pos += 1
                    target = self.next_in(frames)
                    if target is not None:
                        continue
                else:
                    self.skip_scalar()
                    target = None
            # After a value (or a container that just closed): the next element, a closing bracket, or done.
            if not frames:
                return
            self.skip(_SPACE_AND_NEWLINES)
            char = self.peek()
            if char == ",":
                self.pos += 1
                target = self.next_in(frames)
            elif char in ("]", "}"):
                self.pos += 1
                frames.pop()
            else:
                raise _Stop

    def next_in(self, frames: list[_Frame]) -> KeyPath | None:
        """The path of the next element of the innermost container, or None when it closes instead."""
        frame = frames[-1]
        self.skip(_SPACE_AND_NEWLINES)
        if self.peek() in ("]", "}"):
            self.pos += 1
            frames.pop()
            return None
        if frame.is_array:
            frame.count += 1
            return (*frame.path, frame.count - 1)
        start = self.pos
        keys = self.read_key()
        self.expect("=")
        path = frame.path + keys
        self.note_with_parents(path[:-1], start)
        return path

    def read_key(self) -> tuple[str, ...]:
        """Read a bare, quoted or dotted key."""
        keys: list[str] = []
        while True:
            self.skip(_SPACE)
            char = self.peek()
            if char == '"':
                raw = self.match(_BASIC_STRING)
                keys.append(tomllib.loads(f"k = {raw}")["k"])  # let tomllib decode the escapes
            elif char == "'":
                keys.append(self.match(_LITERAL_STRING)[1:-1])
            else:
                keys.append(self.match(_BARE_KEY))
            self.skip(_SPACE)
            if self.peek() != ".":
                return tuple(keys)
            self.pos += 1

    def skip_scalar(self) -> None:
        """Skip a string, number, boolean or date."""
        text, pos = self.text, self.pos
        if text.startswith('"""', pos):
            self.match(_MULTILINE_BASIC)
        elif text.startswith("'''", pos):
            self.match(_MULTILINE_LITERAL)
        elif text.startswith('"', pos):
            self.match(_BASIC_STRING)
        elif text.startswith("'", pos):
            self.match(_LITERAL_STRING)
        elif not self.match(_SCALAR).strip():
            raise _Stop

    def note(self, path: KeyPath, pos: int) -> None:
        """Record where `path` starts, keeping the first place it appears."""
        self.lines.setdefault(path, bisect.bisect_right(self.line_starts, pos))
        if self.waiting is not None:
            self.waiting.discard(path)
            if not self.waiting:
                raise _Stop  # everything wanted is found

    def note_with_parents(self, path: KeyPath, pos: int) -> None:
        """Record `path` and every table above it that this line opens implicitly."""
        for end in range(1, len(path) + 1):
            self.note(path[:end], pos)

    def peek(self) -> str:
        """The character under the cursor ("" at the end)."""
        return self.text[self.pos : self.pos + 1]

    def skip(self, pattern: re.Pattern[str]) -> None:
        """Move past whatever `pattern` matches here (possibly nothing)."""
        self.match(pattern, allow_empty=True)

    def match(self, pattern: re.Pattern[str], *, allow_empty: bool = False) -> str:
        """Consume and return what `pattern` matches at the cursor."""
        found = pattern.match(self.text, self.pos)
        if found is None or (not allow_empty and found.end() == self.pos):
            raise _Stop
        self.pos = found.end()
        return found.group()

    def expect(self, literal: str) -> None:
        """Consume `literal` after optional spaces."""
        self.skip(_SPACE)
        if not self.text.startswith(literal, self.pos):
            raise _Stop
        self.pos += len(literal)
