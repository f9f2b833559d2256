"""Field encodings inside nested columns: lists of every physical type with each encoding it
takes, with null lists, empty lists and null elements, written by the CLI (`convert` with a
schema carrying `"encoding"` on the list's items) in every codec, and read back value for value
by pyarrow, DuckDB and polars. The flat side of the matrix is the corpus's enc-* files."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from interop_corpus import CODECS
from interop_readers import READER_VERSIONS, UNREADABLE

# (column, item type keys, encoding, value of element j in row i)
COLUMNS: list[tuple[str, dict[str, Any], str, Any]] = [
    ("i32_dbp", {"type": "int32"}, "delta_binary_packed", lambda i, j: (i * 7 + j) * (-1) ** j),
    ("i32_bss", {"type": "int32"}, "byte_stream_split", lambda i, j: i * 1_000 + j),
    ("i64_dbp", {"type": "int64"}, "delta_binary_packed", lambda i, j: 2**62 - i * 3 if j % 2 else -(2**63) + i),
    ("i64_bss", {"type": "int64"}, "byte_stream_split", lambda i, j: 1_700_000_000_000 + i * 60_000 + j),
    ("date_dbp", {"type": "date"}, "delta_binary_packed", lambda i, j: (dt.date(2020, 1, 1) + dt.timedelta(days=i + j)).isoformat()),
    ("f32_bss", {"type": "float32"}, "byte_stream_split", lambda i, j: (i % 97) / 4 - j),
    ("f64_bss", {"type": "float64"}, "byte_stream_split", lambda i, j: i / 3 + j * 1e10),
    ("s_dlba", {"type": "string"}, "delta_length_byte_array", lambda i, j: "é" * (i % 5) + f"v{i}-{j}"),
    ("s_dba", {"type": "string"}, "delta_byte_array", lambda i, j: f"https://example.com/a/{i // 8}/{j}"),
    ("uuid_dba", {"type": "uuid"}, "delta_byte_array", lambda i, j: str(uuid.UUID(int=(i << 8) + j))),
    ("uuid_bss", {"type": "uuid"}, "byte_stream_split", lambda i, j: str(uuid.UUID(int=(i * 0x9E3779B97F4A7C15 + j) % 2**128))),
]
ROWS = 700


def rows() -> list[dict[str, Any]]:
    out = []
    for i in range(ROWS):
        row: dict[str, Any] = {"id": i}
        for name, _, _, value in COLUMNS:
            if i % 11 == 3:
                row[name] = None
            else:
                row[name] = [None if (i + j) % 5 == 4 else value(i, j) for j in range(i % 4)]
        out.append(row)
    return out


def schema(nullable_items: bool) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [{"name": "id", "type": "int64", "nullable": False}]
    for name, item, encoding, _ in COLUMNS:
        fields.append({"name": name, "type": "list",
                       "items": {**item, "nullable": nullable_items, "encoding": encoding}})
    return {"fields": fields}


def canonical(value: Any) -> Any:
    """Reader values in one form: UUIDs as text, dates as ISO text."""
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray)) and len(value) == 16:
        return str(uuid.UUID(bytes=bytes(value)))
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def written(cli: str, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Path]:
    directory = tmp_path_factory.mktemp("nested-encodings")
    data = rows()
    for nullable_items in (False, True):
        records = data if nullable_items else [
            {k: v if k == "id" else without_nulls(v) for k, v in r.items()} for r in data]
        (directory / f"in-{nullable_items}.ndjson").write_text("".join(json.dumps(r) + "\n" for r in records))
        (directory / f"schema-{nullable_items}.json").write_text(json.dumps(schema(nullable_items)))
    out: dict[tuple[str, bool], Path] = {}
    for codec in CODECS:
        for nullable_items in (False, True):
            path = directory / f"{codec}-{nullable_items}.parquet"
            done = subprocess.run(
                [cli, "convert", str(directory / f"in-{nullable_items}.ndjson"), "-o", str(path),
                 "--schema", str(directory / f"schema-{nullable_items}.json"),
                 "--compression", "none" if codec == "uncompressed" else codec,
                 "--page-bytes", "2048"],
                capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr
            out[(codec, nullable_items)] = path
    return out


def without_nulls(items: list[Any] | None) -> list[Any] | None:
    """A list with its null elements dropped (for required items)."""
    return None if items is None else [e for e in items if e is not None]


def expected(nullable_items: bool) -> dict[str, list[Any]]:
    """Each column's rows as written (float32 values are exact binary fractions)."""
    data = rows()
    result: dict[str, list[Any]] = {}
    for name, _, _, _ in COLUMNS:
        values = [r[name] if nullable_items else without_nulls(r[name]) for r in data]
        result[name] = [None if v is None else [canonical(e) for e in v] for v in values]
    return result


@pytest.mark.parametrize("reader", ["pyarrow", "duckdb", "polars"])
@pytest.mark.parametrize("nullable_items", [False, True])
@pytest.mark.parametrize("codec", CODECS)
def test_nested_encodings_read_back(written: dict[tuple[str, bool], Path], codec: str, nullable_items: bool,
                                    reader: str) -> None:
    path = written[(codec, nullable_items)]
    md = pq.ParquetFile(path).metadata
    wanted = {f"{name}.list.element": encoding.upper() for name, _, encoding, _ in COLUMNS}
    for c in range(1, md.num_columns):
        column = md.row_group(0).column(c)
        assert wanted[column.path_in_schema] in column.encodings, (column.path_in_schema, column.encodings)
    # Columns the reader cannot read (interop_readers.UNREADABLE) are read alone and must still
    # fail as pinned; the rest are read together.
    refused = {name: UNREADABLE[(reader, encoding, "FIXED_LEN_BYTE_ARRAY")] for name, item, encoding, _ in COLUMNS
               if item["type"] == "uuid" and (reader, encoding, "FIXED_LEN_BYTE_ARRAY") in UNREADABLE}
    names = [name for name, _, _, _ in COLUMNS if name not in refused]
    for name, refusal in refused.items():
        with pytest.raises(Exception, match=refusal):
            read(reader, path, [name])
    got = read(reader, path, names)
    want = expected(nullable_items)
    problems = []
    for name in names:
        values = [None if v is None else canonical(v) for v in got[name]]
        if values != want[name]:
            first = next(i for i, (a, b) in enumerate(zip(values, want[name])) if a != b)
            problems.append(f"{name}: row {first}: got {values[first]!r}, expected {want[name][first]!r}")
    assert not problems, f"{codec} via {reader}:\n" + "\n".join(problems)
    if refused:
        pytest.skip(f"{reader} {READER_VERSIONS[reader]} cannot read {', '.join(sorted(refused))} "
                    "(FIXED_LEN_BYTE_ARRAY in that encoding); the other columns were checked")


def read(reader: str, path: Path, names: list[str]) -> dict[str, list[Any]]:
    """Columns `names` of the file, in `id` order, as the reader's Python values."""
    if reader == "pyarrow":
        table = pq.read_table(path, columns=names)
        return {name: table.column(name).to_pylist() for name in names}
    if reader == "duckdb":
        con = duckdb.connect()
        try:
            result = con.execute(f"SELECT {', '.join(names)} FROM read_parquet(?) ORDER BY id", [str(path)]).fetchall()
        finally:
            con.close()
        return {name: [row[k] for row in result] for k, name in enumerate(names)}
    frame = pl.read_parquet(path, columns=["id", *names]).sort("id")
    return {name: frame[name].to_list() for name in names}
