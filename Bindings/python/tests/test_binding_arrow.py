"""Arrow and pandas objects given to Writer.write() and write_table(): through the PyCapsule
interface into the library's Arrow entry points, read back value for value by pyarrow, DuckDB
and polars. The pandas tests pin the one meaning of its missing values: null."""

from __future__ import annotations

import datetime
import decimal
import sys
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import parquet_writer
from parquet_writer import ParquetWriterError, Writer, write_table


def nested_table() -> pa.Table:
    return pa.table({
        "id": pa.array([1, 2, 3, 4], pa.int64()),
        "name": ["a", None, "ccc", "dd"],
        "tags": [["x"], [], None, ["y", None, "z"]],
        "address": [{"city": "Oslo", "zip": 1}, None, {"city": None, "zip": 3}, {"city": "B", "zip": None}],
        "attributes": pa.array([[("a", 1)], None, [], [("b", 2), ("c", None)]], pa.map_(pa.string(), pa.int32())),
        "at": pa.array([datetime.datetime(2024, 1, 1, 12), None, datetime.datetime(2024, 1, 2), datetime.datetime(1969, 12, 31)],
                       pa.timestamp("us", tz="UTC")),
        "price": pa.array([decimal.Decimal("1.23"), None, decimal.Decimal("-4.56"), decimal.Decimal("7.00")], pa.decimal128(10, 2)),
    })


def read_all_ways(path: Path) -> list[list[dict[str, Any]]]:
    """The rows as pyarrow, DuckDB and polars read them (maps as pyarrow lists them)."""
    arrow_rows = pq.read_table(path).to_pylist()
    duck = duckdb.connect()
    duck_table = duck.sql(f"select * from read_parquet('{path}')").to_arrow_table()
    polars_rows = pl.read_parquet(path).to_arrow()
    return [arrow_rows, duck_table.to_pylist(), polars_rows.to_pylist()]


def test_pyarrow_table_round_trip_all_readers(tmp_path: Path) -> None:
    table = nested_table()
    path = tmp_path / "t.parquet"
    summary = write_table(table, path)
    assert summary["rows_written"] == 4
    arrow_rows, duck_rows, polars_rows = read_all_ways(path)
    assert arrow_rows == table.to_pylist()
    # DuckDB gives maps as {key: value} dicts and polars as lists of {"key", "value"} structs.
    for rows in (duck_rows, polars_rows):
        assert [r["id"] for r in rows] == [1, 2, 3, 4]
        assert [r["tags"] for r in rows] == [["x"], [], None, ["y", None, "z"]]
        assert [r["address"] for r in rows] == table.column("address").to_pylist()
        assert [r["price"] for r in rows] == table.column("price").to_pylist()


def test_record_batch_reader_and_sliced_chunked_input(tmp_path: Path) -> None:
    table = nested_table()
    chunked = pa.concat_tables([table.slice(1, 2), table.slice(0, 4), table.slice(3)])
    assert chunked.column("id").num_chunks == 3
    path = tmp_path / "chunked.parquet"
    with Writer(path) as writer:
        result = writer.write(chunked)
        assert result.rows_written == 7
        writer.write(pa.RecordBatchReader.from_batches(table.schema, table.to_batches()))
        writer.write(table.to_batches()[0].slice(2))  # a RecordBatch with a non-zero offset
    assert pq.read_table(path).to_pylist() == chunked.to_pylist() + table.to_pylist() + table.slice(2).to_pylist()


def test_polars_and_duckdb_objects(tmp_path: Path) -> None:
    frame = pl.DataFrame({"a": [1, None, 3], "s": ["x", "a longer string than twelve bytes", None], "l": [[1, 2], None, []]})
    path = tmp_path / "polars.parquet"
    write_table(frame, path)
    assert pl.read_parquet(path).equals(frame)
    relation = duckdb.sql("select range as i, 'v' || range as s from range(1000)")
    path = tmp_path / "duck.parquet"
    write_table(relation, path)
    assert pq.read_table(path).column("s").to_pylist() == [f"v{i}" for i in range(1000)]


def test_same_rows_through_dicts_and_arrow_give_identical_files(tmp_path: Path) -> None:
    table = nested_table()
    schema = pa.schema([f.with_nullable(True) for f in table.schema])
    from_dicts, from_arrow = tmp_path / "dicts.parquet", tmp_path / "arrow.parquet"
    rows = table.to_pylist()
    with Writer(from_dicts, schema) as writer:
        writer.write(rows)
    with Writer(from_arrow, schema) as writer:
        writer.write(table)
    assert from_dicts.read_bytes() == from_arrow.read_bytes()


def test_arrow_schema_as_schema_argument() -> None:
    schema = pa.schema([
        pa.field("id", pa.int64(), nullable=False),
        ("tags", pa.list_(pa.string())),
        ("at", pa.timestamp("ms")),
        ("m", pa.map_(pa.string(), pa.float64())),
    ])
    native = parquet_writer.normalize_schema(schema)
    assert native["fields"][0] == {"name": "id", "type": "int64", "nullable": False}
    assert native["fields"][1]["items"] == {"type": "string", "nullable": True}
    assert native["fields"][2] == {"name": "at", "type": "timestamp_ms", "nullable": True, "utc": False}
    assert native["fields"][3]["keys"] == {"type": "string", "nullable": False}
    with pytest.raises(ParquetWriterError) as info:
        parquet_writer.normalize_schema(pa.schema([("d", pa.duration("s"))]))
    assert info.value.code == "invalid_schema" and info.value.error["column"] == "d"


def test_arrow_errors_name_the_field_and_leave_the_writer_usable(tmp_path: Path) -> None:
    path = tmp_path / "errors.parquet"
    with Writer(path, [("id", "int32", False), ("name", "string")]) as writer:
        with pytest.raises(ParquetWriterError) as info:
            writer.write(pa.table({"id": pa.array([1, 2**40]), "name": ["a", "b"]}))
        assert (info.value.code, info.value.error["column"], info.value.error["row"]) == ("value_out_of_range", "id", 1)
        with pytest.raises(ParquetWriterError) as info:
            writer.write(pa.table({"id": pa.array([1]), "other": ["a"]}))
        assert info.value.code == "invalid_schema"
        with pytest.raises(ParquetWriterError) as info:
            writer.write(pa.table({"id": pa.array([None, 1], pa.int32()), "name": ["a", "b"]}))
        assert (info.value.code, info.value.error["row"]) == ("missing_value", 0)
        writer.write(pa.table({"name": ["kept"], "id": pa.array([7], pa.int32())}))
    assert pq.read_table(path).to_pylist() == [{"id": 7, "name": "kept"}]


def test_skip_policy_leaves_out_only_bad_rows_across_a_stream(tmp_path: Path) -> None:
    path = tmp_path / "skip.parquet"
    batches = [pa.record_batch({"v": pa.array([1, 300, 2], pa.int64())}), pa.record_batch({"v": pa.array([400, 3], pa.int64())})]
    with Writer(path, [("v", "uint8")], on_invalid="skip") as writer:
        result = writer.write(pa.RecordBatchReader.from_batches(batches[0].schema, batches))
    assert result.rows_written == 3 and result.rows_rejected == 2
    assert [e["row"] for e in result.errors] == [1, 3]
    assert pq.read_table(path).column("v").to_pylist() == [1, 2, 3]


PANDAS_FRAME_ROWS = [
    {"f": 1.5, "o": "a", "t": datetime.datetime(2024, 1, 1), "n": 1, "b": True},
    {"f": None, "o": None, "t": None, "n": None, "b": None},
    {"f": None, "o": None, "t": None, "n": 3, "b": False},
]


def pandas_frame() -> pd.DataFrame:
    frame = pd.DataFrame({
        "f": [1.5, float("nan"), None],
        "o": pd.Series(["a", None, float("nan")], dtype=object),
        "t": [pd.Timestamp("2024-01-01"), pd.NaT, None],
        "n": pd.array([1, pd.NA, 3], dtype="Int64"),
        "b": pd.array([True, pd.NA, False], dtype="boolean"),
    })
    frame.index = [10, 20, 30]
    return frame


def test_pandas_missing_values_are_null(tmp_path: Path) -> None:
    path = tmp_path / "pandas.parquet"
    write_table(pandas_frame(), path)
    table = pq.read_table(path)
    assert table.column_names == ["f", "o", "t", "n", "b"]  # the index is not written
    assert table.to_pylist() == PANDAS_FRAME_ROWS


def test_pandas_without_pyarrow_goes_through_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pandas_frame()
    # The binding must not need pyarrow: hide it (a None entry makes `import pyarrow` fail).
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    path = tmp_path / "records.parquet"
    schema = [("f", "float64"), ("o", "string"), ("t", "timestamp_us", {"utc": False}), ("n", "int64"), ("b", "boolean")]
    write_table(frame, path, schema=schema)
    monkeypatch.undo()
    assert pq.read_table(path).to_pylist() == PANDAS_FRAME_ROWS


def test_write_table_options_mirror_pyarrow(tmp_path: Path) -> None:
    path = tmp_path / "options.parquet"
    table = pa.table({"id": pa.array(range(10_000), pa.int64())})
    write_table(table, path, row_group_size=3000, compression="zstd", use_dictionary=False)
    metadata = pq.ParquetFile(path).metadata
    assert metadata.num_row_groups == 4
    column = metadata.row_group(0).column(0)
    assert column.compression == "ZSTD" and "RLE_DICTIONARY" not in column.encodings
    # pyarrow's names: "lz4" is LZ4_RAW (pyarrow never writes the Hadoop-framed LZ4, and reports
    # LZ4_RAW as "LZ4"), any case.
    for name, codec in (("lz4", "LZ4"), ("BROTLI", "BROTLI"), ("Snappy", "SNAPPY"), ("NONE", "UNCOMPRESSED")):
        write_table(table, path, compression=name)
        assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == codec
        assert pq.read_table(path).column("id").to_pylist() == list(range(10_000))
    with pytest.raises(ParquetWriterError):
        write_table(pa.table({"d": pa.array([1], pa.duration("s"))}), tmp_path / "bad.parquet")
    assert not (tmp_path / "bad.parquet").exists()
