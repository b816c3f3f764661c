"""Reading and writing the database file: valid TinyDB JSON, one table per record type plus `meta`.

The layout is TinyDB's: `{"table": {"<doc id>": {record}, ...}, ...}`. Records are written one per line so the
file stays readable in an editor, and decoded straight into typed Structs so a record that does not fit is
reported with its table, id and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from facilitator.store.errors import CorruptDatabase
from facilitator.store.records import TABLES, Record

_encoder = msgspec.json.Encoder()
_raw_tables = msgspec.json.Decoder(dict[str, msgspec.Raw])
_raw_docs = msgspec.json.Decoder(dict[str, msgspec.Raw])
# A record type chosen at run time: fine for msgspec, beyond what a type checker can follow.
_decoders = {name: msgspec.json.Decoder(dict[str, kind]) for name, kind in TABLES.items()}  # type: ignore[valid-type]
_untyped = msgspec.json.Decoder()


def _where(data: bytes, message: str) -> str:
    """Turn msgspec's `(byte N)` into a line and column a person can find."""
    match = re.search(r"byte (\d+)", message)
    if not match:
        return message
    offset = int(match.group(1))
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return re.sub(r"\s*\(byte \d+\)", "", message) + f" at line {line}, column {column}"


def split_tables(path: Path, data: bytes) -> dict[str, msgspec.Raw]:
    """The file's tables, still encoded; raises CorruptDatabase for bad JSON or the wrong shape."""
    name = path.name
    if not data.strip():
        raise CorruptDatabase(f"{name} is empty")
    try:
        tables = _raw_tables.decode(data)
    except msgspec.ValidationError:
        raise CorruptDatabase(
            f"{name} is not a Facilitator database (the top level is not a JSON object)"
        ) from None
    except msgspec.DecodeError as error:
        raise CorruptDatabase(f"{name} is not valid JSON: {_where(data, str(error))}") from None
    if "meta" not in tables:
        raise CorruptDatabase(f"{name} is not a Facilitator database (it has no meta table)")
    return tables


def decode_table(path: Path, table: str, raw: msgspec.Raw) -> dict[str, Record]:
    """One table's records by doc id; a record that does not fit names its table, id and field."""
    try:
        return _decoders[table].decode(raw)
    except msgspec.ValidationError as error:
        raise CorruptDatabase(f"{path.name}: {_describe(table, raw, str(error))}") from None
    except msgspec.DecodeError as error:  # pragma: no cover - split_tables already parsed it
        raise CorruptDatabase(f"{path.name}: table {table}: {error}") from None


def _describe(table: str, raw: msgspec.Raw, message: str) -> str:
    """Find the record that does not fit (msgspec elides dict keys from its path) and say where."""
    return next(records_that_do_not_fit(table, raw), f"table {table}: {message}")


def records_that_do_not_fit(table: str, raw: msgspec.Raw) -> Iterator[str]:
    """Every record of a table that does not fit its type, named by table, doc id, record id and field."""
    kind = TABLES[table]
    docs = _untyped.decode(raw)
    for doc_id, doc in docs.items():
        try:
            msgspec.convert(doc, kind)
        except msgspec.ValidationError as error:
            text, _, at = str(error).partition(" - at `")
            field = at.rstrip("`").removeprefix("$").lstrip(".") or "(the record)"
            record_id = (
                f" (id {doc['id']})" if isinstance(doc, dict) and isinstance(doc.get("id"), str) else ""
            )
            yield f"table {table}, record {doc_id}{record_id}, field {field}: {text}"


class NotOurLayout(Exception):
    """The file is not laid out as `encode_file` writes it (edited, or damaged): read it whole instead."""


# About this many bytes of records are decoded at a time while a file is read a table at a time.
BATCH_BYTES = 1024 * 1024
_HEADER = re.compile(rb'("(?:[^"\\]|\\.)*"): \{(\})?(,)?')


class TableStream:
    """A database file read a table at a time and a batch of records at a time, so it is never held whole.

    It reads the layout `encode_file` writes (one record per line). Anything else raises NotOurLayout, and
    the caller reads the file whole, which gives a damaged file's exact error (with its line and column).
    """

    def __init__(self, path: Path, file: BinaryIO, start: bytes = b"") -> None:
        self.path = path
        self.file = file
        self._buffer = start  # what was read of the file already
        self._at_end = False
        self._more = True  # whether another table follows the last one read
        self._empty = False
        self.names: list[str] = []
        self.batch_bytes = BATCH_BYTES  # smaller in a worker: see `Store._read_tail_ahead`
        if self._line() != b"{":
            raise NotOurLayout

    def next_table(self) -> str | None:
        """The next table's name, or None once the file's last table has been read."""
        line = self._line()
        if line == b"}":
            if self._more and self.names:
                raise NotOurLayout  # a comma after the last table
            while self._buffer.strip() == b"":  # only white space may follow
                self._buffer = b""
                if not self._fill():
                    return None
            raise NotOurLayout
        match = _HEADER.fullmatch(line)
        if match is None or not self._more:
            raise NotOurLayout
        name = _untyped.decode(match.group(1))
        if name in self.names:
            raise NotOurLayout
        self.names.append(name)
        self._empty, self._more = match.group(2) is not None, match.group(3) is not None
        return str(name)

    def batches(self) -> Iterator[msgspec.Raw]:
        """The current table's records, as JSON objects (doc id: record) of about BATCH_BYTES each."""
        if self._empty:
            return
        while True:
            block, ended = self._block()
            if not block.startswith(b'  "') or block.endswith(b",") == ended:
                raise NotOurLayout  # every record but the table's last is followed by a comma
            yield msgspec.Raw(b"{" + (block if ended else block[:-1]) + b"}")
            if ended:
                break
        closing = self._line()
        if closing not in (b"}", b"},"):
            raise NotOurLayout
        self._more = closing == b"},"

    def _fill(self) -> bool:
        """Read more of the file into the buffer; False at its end."""
        if self._at_end:
            return False
        chunk = self.file.read(self.batch_bytes)
        if not chunk:
            self._at_end = True
            return False
        self._buffer += chunk
        return True

    def _line(self) -> bytes:
        while (end := self._buffer.find(b"\n")) < 0:
            if not self._fill():
                raise NotOurLayout  # cut short
        line, self._buffer = self._buffer[:end], self._buffer[end + 1 :]
        return line

    def _block(self) -> tuple[bytes, bool]:
        """Whole record lines from here: to the table's end (True), or about BATCH_BYTES of them (False)."""
        while not self._buffer:
            if not self._fill():
                raise NotOurLayout
        if self._buffer.startswith(b"}"):
            return b"", True
        while True:
            end = self._buffer.find(b"\n}")
            if end >= 0:
                block, self._buffer = self._buffer[:end], self._buffer[end + 1 :]
                return block, True
            if len(self._buffer) >= self.batch_bytes or not self._fill():
                cut = self._buffer.rfind(b"\n")
                if cut < 0:
                    if not self._fill():
                        raise NotOurLayout
                    continue
                block, self._buffer = self._buffer[:cut], self._buffer[cut + 1 :]
                return block, False


def decode_batch(path: Path, table: str, raw: msgspec.Raw) -> dict[str, Record]:
    """One batch of a table's records (see TableStream); bad JSON raises NotOurLayout, to be read whole."""
    try:
        return _decoders[table].decode(raw)
    except msgspec.ValidationError as error:
        raise CorruptDatabase(f"{path.name}: {_describe(table, raw, str(error))}") from None
    except msgspec.DecodeError:
        raise NotOurLayout from None


def decode_untyped(raw: msgspec.Raw) -> Any:
    return _untyped.decode(raw)


def encode_record(record: Record) -> bytes:
    return _encoder.encode(record)


def encode_file(tables: Iterable[tuple[str, Iterable[tuple[str, bytes]]]]) -> list[bytes]:
    """The file's bytes in chunks: tables in order, one record per line."""
    chunks: list[bytes] = [b"{"]
    first_table = True
    for table, docs in tables:
        chunks.append(b"" if first_table else b",")
        first_table = False
        chunks.append(b"\n" + _encoder.encode(table) + b": {")
        first_doc = True
        for doc_id, body in docs:
            chunks.append(b"\n  " if first_doc else b",\n  ")
            first_doc = False
            chunks.append(b'"%s": %s' % (doc_id.encode(), body))
        chunks.append(b"\n}" if not first_doc else b"}")
    chunks.append(b"\n}\n")
    return chunks
