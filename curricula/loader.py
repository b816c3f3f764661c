"""Read a pack file and report every problem in it at once, each with its file, line and field path.

`load_pack` never raises: an unreadable file, bytes that are not UTF-8, broken TOML or a pack with mistakes
all come back as `Problem`s, so a broken pack can be listed as broken instead of crashing the app.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from curricula.checks import (
    FINDINGS_LIMIT,
    Finding,
    KeyPath,
    Severity,
    check_document,
    format_path,
    from_validation_error,
    printable,
    quote,
)
from curricula.format import Pack
from curricula.toml_lines import line_map

__all__ = [
    "MAX_PACK_BYTES",
    "SHOWN_PROBLEMS",
    "LoadResult",
    "Problem",
    "first_problems",
    "load_pack",
    "load_pack_bytes",
    "load_pack_text",
]

# The largest bundled pack is 130 kB for 44 sessions; one with the most sessions allowed
# (format.MAX_SESSIONS), written as fully, would be about 600 kB. A bigger file is not a pack: it is refused
# before it is read, so a stray one in the packs folder costs nothing each time the packs are listed.
MAX_PACK_BYTES = 1024 * 1024
# How many problems are listed before "… and 950 more problems": enough to work through, short enough to read.
SHOWN_PROBLEMS = 50

_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")
# tomllib's wording, in words a facilitator editing a pack understands.
_TOML_MESSAGES = {
    "Invalid value": 'a value here is not valid (text needs "quotes", lists need [brackets])',
    "Invalid statement": 'this line is not a "key = value", a [table] or a [[list of tables]]',
    "Expected '=' after a key in a key/value pair": 'expected "=" after the key',
    "Cannot overwrite a value": "this key is given a value twice",
    "Unterminated string": "a text value is missing its closing quote",
    "Unclosed array": "a list is missing its closing ]",
    "Expected newline or end of document after a statement": "there is more on this line after the value",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: where it is and what to do about it."""

    file: str
    line: int | None
    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


@dataclass
class LoadResult:
    """What loading a pack gave: the pack (when there are no errors) and every problem found."""

    file: str
    pack: Pack | None
    problems: list[Problem] = field(default_factory=list)
    # The parsed TOML, when it parsed: lets a broken pack still be listed by its id and version.
    document: dict[str, Any] | None = None
    # Checking stopped at `checks.FINDINGS_LIMIT` problems: there may be more.
    stopped: bool = False

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the pack being used."""
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth a look that do not stop the pack being used."""
        return [problem for problem in self.problems if problem.severity == "warning"]


def load_pack(path: Path) -> LoadResult:
    """Load the pack in the file at `path`; problems name the file by its name."""
    name = path.name or str(path)
    data = read_pack_bytes(path)
    if isinstance(data, Problem):
        return LoadResult(name, None, [data])
    return load_pack_bytes(data, name)


def read_pack_bytes(path: Path) -> bytes | Problem:
    """The bytes of a pack file, or the problem that stops it being read."""
    name = path.name or str(path)
    try:
        # Refuse devices and pipes before opening: reading /dev/zero or a FIFO would never finish.
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return Problem(name, None, "", "is not a file")
        if info.st_size > MAX_PACK_BYTES:
            return _too_large(name)
        with path.open("rb") as file:  # still read no more than the limit: the file may grow meanwhile
            data = file.read(MAX_PACK_BYTES + 1)
    except OSError as error:
        return Problem(name, None, "", f"could not read the file: {error.strerror or error}")
    if len(data) > MAX_PACK_BYTES:
        return _too_large(name)
    return data


def load_pack_bytes(data: bytes, name: str) -> LoadResult:
    """Load a pack from the bytes of a file; `name` is how problems refer to it."""
    if len(data) > MAX_PACK_BYTES:
        return LoadResult(name, None, [_too_large(name)])
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark is harmless, so accept one
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        bad = data[error.start : error.start + 1].hex().upper()
        message = f"the file is not UTF-8 text (byte 0x{bad} cannot be read); save it as UTF-8 in your editor"
        return LoadResult(name, None, [Problem(name, line, "", message)])
    return load_pack_text(text, name)


def load_pack_text(text: str, name: str) -> LoadResult:
    """Load a pack from TOML text; `name` is how problems refer to it."""
    try:
        return _load(text, name)
    except Exception as error:  # the app must never crash on a pack; a gap in the checks is reported instead
        message = f"could not check this pack ({type(error).__name__}); please report this as a bug"
        return LoadResult(name, None, [Problem(name, None, "", message)])


def _load(text: str, name: str) -> LoadResult:
    """Parse, check, and convert only when nothing is wrong."""
    if len(text) > MAX_PACK_BYTES:
        return LoadResult(name, None, [_too_large(name)])
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return LoadResult(name, None, [_syntax_problem(error, text, name)])
    except RecursionError:
        message = "lists or tables are nested too deeply to read"
        return LoadResult(name, None, [Problem(name, None, "", f"not valid TOML: {message}")])
    except ValueError as error:
        # tomllib lets int() refuse numbers of more than 4,300 digits.
        message = "a number has too many digits" if "digits" in str(error) else quote(str(error))
        return LoadResult(name, None, [Problem(name, None, "", f"not valid TOML: {message}")])
    findings = check_document(document, FINDINGS_LIMIT)
    pack: Pack | None = None
    if not any(finding.severity == "error" for finding in findings):
        try:
            pack = msgspec.convert(document, Pack)
        except msgspec.ValidationError as error:
            findings.append(from_validation_error(error))
    # Finding lines takes as long as parsing again: only when there is something to point at, and no further.
    lines = line_map(text, {finding.path for finding in findings}) if findings else {}
    problems = [_locate(finding, lines, name) for finding in findings]
    problems.sort(key=lambda problem: (problem.line is None, problem.line or 0))
    return LoadResult(name, pack, problems, document, stopped=len(findings) >= FINDINGS_LIMIT)


def first_problems(
    problems: Sequence[Problem], limit: int = SHOWN_PROBLEMS, *, stopped: bool = False
) -> tuple[list[Problem], str]:
    """The first `limit` problems to list, and the line that says how many more there are ("" for none)."""
    more = len(problems) - limit
    if more <= 0:
        return list(problems), ""
    line = f"… and {more:,} more problem{'' if more == 1 else 's'}"
    if stopped:
        line += f", perhaps others (checking stops at {FINDINGS_LIMIT:,})"
    return list(problems[:limit]), line


def _locate(finding: Finding, lines: dict[KeyPath, int], name: str) -> Problem:
    """Give a finding its file and line: its own line, or (for a missing key) the line of its table."""
    line = None
    for end in range(len(finding.path), 0, -1):
        line = lines.get(finding.path[:end])
        if line is not None:
            break
    return Problem(name, line, format_path(finding.path), finding.message, finding.severity)


def _syntax_problem(error: tomllib.TOMLDecodeError, text: str, name: str) -> Problem:
    """One problem for a TOML syntax error, at the line tomllib names, in plainer words."""
    raw = str(error)
    position = _TOML_POSITION.search(raw)
    line: int | None = None
    column = ""
    if position is not None:
        raw = raw[: position.start()]
        if position.group(1) is not None:
            line = int(position.group(1))
            column = f" (column {position.group(2)})"
        else:
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
    if raw.startswith("Cannot declare"):
        words = "this [table] is declared twice"
    else:
        words = _TOML_MESSAGES.get(raw, raw[:1].lower() + raw[1:])
    # tomllib may quote the offending character; show it safely rather than raw.
    words = printable(words)
    return Problem(name, max(line, 1) if line is not None else None, "", f"not valid TOML: {words}{column}")


def _too_large(name: str) -> Problem:
    """The problem for a file too big to be a pack."""
    limit = MAX_PACK_BYTES // 2**20
    return Problem(name, None, "", f"the file is too large to be a pack (more than {limit} MB)")
