"""Maps in the forms Arrow hands them to Python (issue 12): `to_pylist()` gives a map as a
list of (key, value) tuples, which JSON writes as [key, value] arrays; the {"key", "value"}
object form is the map's storage type (a list of structs). Both are written as the map they
denote and read back value for value by pyarrow, polars and DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from abi import ABI, config

FIELDS = [
    {"name": "id", "type": "int64", "nullable": False},
    {"name": "attrs", "type": "map", "keys": {"type": "string"}, "values": {"type": "int64"}},
    {"name": "codes", "type": "map", "keys": {"type": "int32"}, "values": {"type": "list", "items": {"type": "string"}}},
]
ARROW = pa.schema([
    ("id", pa.int64()),
    ("attrs", pa.map_(pa.string(), pa.int64())),
    ("codes", pa.map_(pa.int32(), pa.list_(pa.string()))),
])


def source_table() -> pa.Table:
    rows = []
    for i in range(300):
        attrs = None if i % 11 == 0 else [(f"k{j}", None if (i + j) % 5 == 0 else i * j) for j in range(i % 4)]
        codes = None if i % 7 == 0 else [(j - 2, [f"c{i}", None][: 1 + (j % 2)]) for j in range(i % 3)]
        rows.append({"id": i, "attrs": attrs, "codes": codes})
    return pa.Table.from_pylist(rows, schema=ARROW)


def write(abi: ABI, path: Path, records: list) -> None:
    writer = abi.create(config(path, FIELDS))
    for start in range(0, len(records), 100):
        result = abi.write_n(writer, json.dumps(records[start:start + 100]).encode())
        assert result["ok"] and result["rows_written"] == len(records[start:start + 100]), result
    assert abi.close(writer)["ok"]


def test_to_pylist_tuples_round_trip(abi: ABI, out_dir: Path) -> None:
    table = source_table()
    path = out_dir / "tuples.parquet"
    write(abi, path, table.to_pylist())  # maps as lists of (key, value) tuples
    back = pq.read_table(path)
    assert back.to_pylist() == table.to_pylist()
    assert pl.read_parquet(path)["attrs"].to_list() == pl.from_arrow(table)["attrs"].to_list()
    ours = duckdb.sql(f"select id, attrs, codes from '{path}' order by id").fetchall()
    source = table  # noqa: F841 (DuckDB reads the Arrow table by its variable name)
    arrow = duckdb.sql("select id, attrs, codes from source order by id").fetchall()
    assert ours == arrow


def test_key_value_objects_round_trip(abi: ABI, out_dir: Path) -> None:
    table = source_table()
    records = []
    for row in table.to_pylist():
        for column in ("attrs", "codes"):
            if row[column] is not None:
                row[column] = [{"key": k, "value": v} for k, v in row[column]]
        records.append(row)
    path = out_dir / "objects.parquet"
    write(abi, path, records)
    assert pq.read_table(path).to_pylist() == table.to_pylist()


def test_a_bad_entry_is_a_type_mismatch_naming_the_map(abi: ABI, out_dir: Path) -> None:
    writer = abi.create(config(out_dir / "bad.parquet", FIELDS, on_invalid="skip"))
    result = abi.write(writer, [{"id": 1, "attrs": [["a", 1]]}, {"id": 2, "attrs": [["a"]]}, {"id": 3, "attrs": [{"key": "b"}]}])
    assert result["ok"] and result["rows_written"] == 1
    assert [(e["row"], e["code"], e["column"]) for e in result["errors"]] == [(1, "type_mismatch", "attrs"), (2, "type_mismatch", "attrs")]
    abi.abort(writer)
