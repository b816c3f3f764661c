"""Reading and writing the database file: valid TinyDB JSON, one table per record type plus `meta`.

The layout is TinyDB's: `{"table": {"<doc id>": {record}, ...}, ...}`. Records are written one per line so the
file stays readable in an editor, and decoded straight into typed Structs so a record that does not fit is
reported with its table, id and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

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
