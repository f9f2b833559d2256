"""The schema field's ``"encoding"`` through the binding: every encoding written as asked and
read back by pyarrow, nested fields included; an encoding the type cannot take is an
``invalid_schema`` error naming the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from parquet_writer import ParquetWriterError, Writer

SCHEMA: dict[str, Any] = {"fields": [
    {"name": "id", "type": "int64", "nullable": False, "encoding": "delta_binary_packed"},
    {"name": "day", "type": "date", "encoding": "delta_binary_packed"},
    {"name": "score", "type": "float64", "encoding": "byte_stream_split"},
    {"name": "count", "type": "int32", "encoding": "byte_stream_split"},
    {"name": "name", "type": "string", "encoding": "delta_length_byte_array"},
    {"name": "url", "type": "string", "encoding": "delta_byte_array"},
    {"name": "key", "type": "uuid", "encoding": "delta_byte_array"},
    {"name": "flag", "type": "boolean", "encoding": "plain"},
    {"name": "kind", "type": "string", "encoding": "dictionary"},
    {"name": "tags", "type": "list", "items": {"type": "string", "encoding": "delta_byte_array"}},
    {"name": "point", "type": "struct", "fields": [
        {"name": "x", "type": "float32", "nullable": False, "encoding": "byte_stream_split"},
        {"name": "t", "type": "timestamp_us", "encoding": "delta_binary_packed"}]},
]}

EXPECTED_ENCODING = {
    "id": "DELTA_BINARY_PACKED", "day": "DELTA_BINARY_PACKED", "score": "BYTE_STREAM_SPLIT",
    "count": "BYTE_STREAM_SPLIT", "name": "DELTA_LENGTH_BYTE_ARRAY", "url": "DELTA_BYTE_ARRAY",
    "key": "DELTA_BYTE_ARRAY", "flag": "PLAIN", "kind": "RLE_DICTIONARY", "tags.list.element": "DELTA_BYTE_ARRAY",
    "point.x": "BYTE_STREAM_SPLIT", "point.t": "DELTA_BINARY_PACKED",
}


def record(i: int) -> dict[str, Any]:
    return {
        "id": 1_000_000 + 3 * i,
        "day": None if i % 9 == 0 else f"2024-01-{1 + i % 28:02d}",
        "score": i / 8,
        "count": None if i % 5 == 0 else i % 1000,
        "name": f"name {i % 40}",
        "url": f"https://example.com/{i // 10}/{i}",
        "key": f"00000000-0000-4000-8000-{i:012x}",
        "flag": i % 3 == 0,
        "kind": ["a", "b", "c"][i % 3],
        "tags": None if i % 7 == 0 else [f"tag-{i % 4}-{j}" for j in range(i % 3)],
        "point": {"x": float(i % 100) / 4, "t": 1_700_000_000_000_000 + i * 1_000},
    }


def test_every_encoding_is_written_as_asked_and_reads_back(out_dir: Path) -> None:
    path = out_dir / "encodings.parquet"
    rows = [record(i) for i in range(3_000)]
    with Writer(str(path), SCHEMA, compression="zstd", page_bytes=16_384) as w:
        w.write(rows)
    md = pq.ParquetFile(path).metadata
    for c in range(md.num_columns):
        column = md.row_group(0).column(c)
        assert EXPECTED_ENCODING[column.path_in_schema] in column.encodings, (column.path_in_schema, column.encodings)
    table = pq.read_table(path)
    assert table.column("id").to_pylist() == [r["id"] for r in rows]
    assert table.column("day").to_pylist()[:2] == [None, dt.date(2024, 1, 2)]
    assert table.column("score").to_pylist() == [r["score"] for r in rows]
    assert table.column("count").to_pylist() == [r["count"] for r in rows]
    assert table.column("url").to_pylist() == [r["url"] for r in rows]
    assert table.column("tags").to_pylist() == [r["tags"] for r in rows]
    assert [p["x"] for p in table.column("point").to_pylist()] == [r["point"]["x"] for r in rows]
    assert table.column("kind").to_pylist() == [r["kind"] for r in rows]


@pytest.mark.parametrize("field, message", [
    ({"name": "s", "type": "string", "encoding": "delta_binary_packed"},
     "encoding 'delta_binary_packed' does not apply to type string"),
    ({"name": "b", "type": "boolean", "encoding": "byte_stream_split"},
     "encoding 'byte_stream_split' does not apply to type boolean"),
    ({"name": "l", "type": "list", "encoding": "plain", "items": {"type": "int64"}},
     "applies to leaf fields"),
    ({"name": "x", "type": "int64", "encoding": "delta"}, "unknown encoding 'delta'"),
])
def test_an_encoding_the_type_cannot_take_is_invalid_schema(out_dir: Path, field: dict[str, Any], message: str) -> None:
    with pytest.raises(ParquetWriterError) as caught:
        Writer(str(out_dir / "bad.parquet"), {"fields": [field]})
    assert caught.value.code == "invalid_schema"
    assert message in caught.value.message
    assert not (out_dir / "bad.parquet").exists()
