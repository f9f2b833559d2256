"""Arrow C Data Interface input through the C ABI (write_arrow, write_arrow_stream): every
Arrow type and nesting, slices, chunked streams, polars data, and the same rows through JSON
and Arrow giving the same file. Each file is read back value for value by pyarrow, DuckDB and
polars (arrow_c.assert_read_back)."""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import uuid
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from abi import ABI
from arrow_c import assert_read_back, export_stream, stream_from_capsule, write_arrow, write_file, write_stream

D = decimal.Decimal
UTC = datetime.timezone.utc
LONG = "a string well over twelve bytes, so views use a data buffer"


def all_types_table() -> pa.Table:
    """A column of every leaf type, with nulls, long values and edge values."""
    n = 5
    ts = [datetime.datetime(2024, 1, 1, 12, 30, 45), None, datetime.datetime(1969, 12, 31, 23, 59, 59),
          datetime.datetime(2000, 2, 29), datetime.datetime(2262, 4, 11)]
    ts_micro = [datetime.datetime(2024, 1, 1, 12, 30, 45, 123456), None, datetime.datetime(1969, 12, 31, 23, 59, 59, 999999),
                datetime.datetime(2000, 2, 29), datetime.datetime(2262, 4, 11)]
    times = [datetime.time(0, 0), datetime.time(23, 59, 59), None, datetime.time(12, 0, 1), datetime.time(1, 2, 3)]
    times_micro = [datetime.time(0, 0), datetime.time(23, 59, 59, 999999), None, datetime.time(12, 0, 1, 5), datetime.time(1, 2, 3, 400000)]
    strings = ["", "é✓ unicode", None, LONG, "short"]
    blobs = [b"", b"\x00\xff", None, LONG.encode() + b"\x00\x01", b"x"]
    columns: dict[str, pa.Array] = {
        "bool": pa.array([True, False, None, True, False]),
        "int8": pa.array([-128, 127, None, 0, 1], pa.int8()),
        "int16": pa.array([-32768, 32767, None, 0, -1], pa.int16()),
        "int32": pa.array([-(2**31), 2**31 - 1, None, 0, 7], pa.int32()),
        "int64": pa.array([-(2**63), 2**63 - 1, None, 0, 42], pa.int64()),
        "uint8": pa.array([0, 255, None, 1, 128], pa.uint8()),
        "uint16": pa.array([0, 65535, None, 1, 32768], pa.uint16()),
        "uint32": pa.array([0, 2**32 - 1, None, 1, 2**31], pa.uint32()),
        "uint64": pa.array([0, 2**64 - 1, None, 1, 2**63], pa.uint64()),
        "float16": pa.array([1.5, -0.0, None, 65504.0, 2.0**-24], pa.float16()),
        "float32": pa.array([1.5, -2.25, None, 3.4028234663852886e38, 1e-45], pa.float32()),
        "float64": pa.array([1.5, -2.25, None, 1.7976931348623157e308, 5e-324]),
        "string": pa.array(strings, pa.string()),
        "large_string": pa.array(strings, pa.large_string()),
        "string_view": pa.array(strings, pa.string_view()),
        "binary": pa.array(blobs, pa.binary()),
        "large_binary": pa.array(blobs, pa.large_binary()),
        "binary_view": pa.array(blobs, pa.binary_view()),
        "fixed_size_binary": pa.array([b"abcd", b"\x00\x00\x00\x00", None, b"\xff\xfe\xfd\xfc", b"wxyz"], pa.binary(4)),
        "dec9": pa.array([D("1.23"), D("-9999999.99"), None, D("0.00"), D("9999999.99")], pa.decimal128(9, 2)),
        "dec18": pa.array([D("123456789012345.678"), D("-1"), None, D("0.001"), D("-999999999999999.999")], pa.decimal128(18, 3)),
        "dec38": pa.array([D("9" * 38), D("-" + "9" * 38), None, D("0"), D("12345678901234567890123456789012345678")], pa.decimal128(38, 0)),
        "dec38s": pa.array([D("1." + "1" * 37), None, D("-0." + "0" * 36 + "1"), D("0"), D("9.5")], pa.decimal128(38, 37)),
        "dec32": pa.array([D("12345.67"), D("-99999.99"), None, D("0"), D("0.01")], pa.decimal32(7, 2)),
        "dec64": pa.array([D("12345678901234.5678"), D("-1"), None, D("0"), D("-0.0001")], pa.decimal64(18, 4)),
        "dec256": pa.array([D("12345.6789"), D("-" + "9" * 34 + ".9999"), None, D("0"), D("1")], pa.decimal256(38, 4)),
        "date32": pa.array([datetime.date(2024, 2, 29), datetime.date(1970, 1, 1), None, datetime.date(1, 1, 1), datetime.date(9999, 12, 31)], pa.date32()),
        "date64": pa.array([datetime.date(2024, 2, 29), datetime.date(1969, 7, 20), None, datetime.date(1900, 1, 1), datetime.date(2100, 1, 1)], pa.date64()),
        "time32s": pa.array(times, pa.time32("s")),
        "time32ms": pa.array([datetime.time(0, 0), datetime.time(23, 59, 59, 999000), None, datetime.time(12, 0, 1, 5000), times[4]], pa.time32("ms")),
        "time64us": pa.array(times_micro, pa.time64("us")),
        "time64ns": pa.array(times_micro, pa.time64("ns")),
        "ts_s": pa.array(ts, pa.timestamp("s")),
        "ts_ms": pa.array(ts, pa.timestamp("ms")),
        "ts_us": pa.array(ts_micro, pa.timestamp("us")),
        "ts_ns": pa.array(ts_micro[:4] + [datetime.datetime(2262, 4, 11)], pa.timestamp("ns")),
        "ts_s_utc": pa.array(ts, pa.timestamp("s", tz="UTC")),
        "ts_ms_oslo": pa.array(ts, pa.timestamp("ms", tz="Europe/Oslo")),
        "ts_us_utc": pa.array(ts_micro, pa.timestamp("us", tz="UTC")),
        "ts_ns_oslo": pa.array(ts_micro[:4] + [datetime.datetime(2262, 4, 11)], pa.timestamp("ns", tz="Europe/Oslo")),
        "uuid": pa.array([uuid.UUID(int=0).bytes, uuid.UUID("12345678-1234-5678-1234-567812345678").bytes, None,
                          uuid.UUID(int=2**128 - 1).bytes, uuid.uuid5(uuid.NAMESPACE_DNS, "x").bytes], pa.uuid()),
        "json": pa.array(['{"a": [1, 2, {"b": null}]}', "1", None, '"text é"', "[]"], pa.json_()),
        "dict_string": pa.DictionaryArray.from_arrays(pa.array([0, 1, None, 2, 0], pa.int32()), pa.array(["red", LONG, None])),
        "dict_int": pa.DictionaryArray.from_arrays(pa.array([3, 0, 1, None, 2], pa.int8()), pa.array([10, None, -(2**40), 7], pa.int64())),
        "dict_uint_idx": pa.DictionaryArray.from_arrays(pa.array([1, 1, 0, 0, None], pa.uint16()), pa.array(["x", "y"], pa.large_string())),
    }
    assert all(len(c) == n for c in columns.values())
    return pa.table(columns)


def test_every_leaf_type(abi: ABI, out_dir: Path) -> None:
    table = all_types_table()
    path = out_dir / "types.parquet"
    result = write_file(abi, path, table)
    assert result["ok"] is True and result["rows_written"] == 5, result
    schema = pq.read_schema(path)
    expected_types = {
        "bool": pa.bool_(), "uint8": pa.uint8(), "uint64": pa.uint64(), "float16": pa.float32(),
        "string": pa.string(), "large_string": pa.string(), "string_view": pa.string(), "binary_view": pa.binary(),
        "fixed_size_binary": pa.binary(4), "dec9": pa.decimal128(9, 2), "dec32": pa.decimal128(7, 2), "dec64": pa.decimal128(18, 4), "dec256": pa.decimal128(38, 4),
        "date64": pa.date32(), "time32s": pa.time32("ms"), "time64ns": pa.time64("ns"),
        "ts_s": pa.timestamp("ms"), "ts_ns": pa.timestamp("ns"), "ts_s_utc": pa.timestamp("ms", tz="UTC"),
        "ts_ms_oslo": pa.timestamp("ms", tz="UTC"), "ts_ns_oslo": pa.timestamp("ns", tz="UTC"),
        "uuid": pa.uuid(), "dict_string": pa.string(), "dict_int": pa.int64(),
    }
    for name, arrow_type in expected_types.items():
        assert schema.field(name).type == arrow_type, (name, schema.field(name).type)
    metadata = pq.ParquetFile(path).schema
    assert metadata.column(schema.get_field_index("json")).logical_type.type == "JSON"
    assert_read_back(path, table)


def test_nanoseconds_are_exact(abi: ABI, out_dir: Path) -> None:
    """Sub-microsecond values survive (DuckDB and Python datetimes stop at microseconds, so the
    raw integers are compared)."""
    raw = [1, -1, 1_700_000_000_123_456_789, None, 0]
    table = pa.table({
        "ts": pa.array(raw, pa.timestamp("ns")),
        "tz": pa.array(raw, pa.timestamp("ns", tz="Asia/Kolkata")),
        "t": pa.array([1, 86_399_999_999_999, 123, None, 0], pa.time64("ns")),
    })
    path = out_dir / "ns.parquet"
    write_file(abi, path, table)
    back = pq.read_table(path)
    assert back.column("ts").cast(pa.int64()).to_pylist() == raw
    assert back.column("tz").cast(pa.int64()).to_pylist() == raw
    assert back.column("t").cast(pa.int64()).to_pylist() == [1, 86_399_999_999_999, 123, None, 0]
    frame = pl.read_parquet(path)
    assert frame["ts"].cast(pl.Int64).to_list() == raw
    assert frame["tz"].cast(pl.Int64).to_list() == raw
    assert frame["t"].cast(pl.Int64).to_list() == [1, 86_399_999_999_999, 123, None, 0]
    import duckdb

    epoch_ns = duckdb.connect().execute(f"SELECT epoch_ns(ts) FROM read_parquet('{path}')").fetchall()
    assert [r[0] for r in epoch_ns] == raw


def nested_table() -> pa.Table:
    deep_type = pa.list_(pa.struct([
        ("xs", pa.list_(pa.map_(pa.string(), pa.list_(pa.int64())))),
        ("tag", pa.string()),
    ]))
    deep = [
        [{"xs": [[("a", [1, 2]), ("b", None), ("c", [])], None, []], "tag": "t"}, None, {"xs": None, "tag": None}],
        None,
        [],
        [{"xs": [[("k", [None, 3])]], "tag": LONG}],
        [{"xs": [], "tag": "z"}, {"xs": [[]], "tag": "y"}],
    ]
    struct_of_struct = pa.struct([("inner", pa.struct([("a", pa.int32()), ("b", pa.string())])), ("c", pa.float64())])
    sos = [{"inner": {"a": 1, "b": "x"}, "c": 1.5}, {"inner": None, "c": None}, None, {"inner": {"a": None, "b": None}, "c": 0.0},
           {"inner": {"a": -1, "b": LONG}, "c": -2.0}]
    map_struct = pa.map_(pa.string(), pa.struct([("n", pa.int64()), ("l", pa.list_(pa.string()))]))
    ms = [[("a", {"n": 1, "l": ["x", None]}), ("b", None)], None, [], [("c", {"n": None, "l": None})], [("d", {"n": 2, "l": []})]]
    return pa.table({
        "deep": pa.array(deep, deep_type),
        "sos": pa.array(sos, struct_of_struct),
        "ms": pa.array(ms, map_struct),
        "list": pa.array([[1, None, 3], None, [], [None], [4]], pa.list_(pa.int32())),
        "large_list": pa.array([["a"], None, [], [None, LONG], ["b", "c"]], pa.large_list(pa.string())),
        "fsl": pa.array([[1.0, 2.0], None, [None, 3.0], [4.0, 5.0], [0.0, -0.0]], pa.list_(pa.float64(), 2)),
        "fsl_struct": pa.array([[{"v": 1}], [None], None, [{"v": None}], [{"v": 2}]], pa.list_(pa.struct([("v", pa.int16())]), 1)),
        "list_of_lists": pa.array([[[1], [], None], None, [], [[None]], [[2, 3]]], pa.list_(pa.list_(pa.int64()))),
        "map_int": pa.array([[(1, "one")], [], None, [(2, None), (3, "three")], [(-5, LONG)]], pa.map_(pa.int32(), pa.string())),
        "list_dict": pa.array([["a", "b"], None, [None], [], ["a"]], pa.list_(pa.dictionary(pa.int32(), pa.string()))),
        "list_views": pa.array([[LONG, "s"], None, [None], [], ["x"]], pa.list_(pa.string_view())),
    })


def test_nested_at_depth_with_nulls_at_every_level(abi: ABI, out_dir: Path) -> None:
    table = nested_table()
    path = out_dir / "nested.parquet"
    result = write_file(abi, path, table)
    assert result["ok"] is True and result["rows_written"] == 5, result
    assert_read_back(path, table)


def test_dictionary_with_null_values_in_the_dictionary(abi: ABI, out_dir: Path) -> None:
    # A null index and an index pointing at a null dictionary value are both nulls.
    indices = pa.array([0, 1, None, 2, 1, 0], pa.int16())
    table = pa.table({
        "s": pa.DictionaryArray.from_arrays(indices, pa.array(["a", None, "b"])),
        "f": pa.DictionaryArray.from_arrays(indices, pa.array([1.5, None, -1.0])),
        "d": pa.DictionaryArray.from_arrays(indices, pa.array([D("1.5"), None, D("-2.25")], pa.decimal128(5, 2))),
        "ts": pa.DictionaryArray.from_arrays(indices, pa.array([0, None, 10**15], pa.timestamp("us", tz="UTC"))),
        # A sliced dictionary (its values start at an offset) under sliced indices.
        "sliced": pa.DictionaryArray.from_arrays(
            pa.array([9, 0, 1, None, 2, 1, 0, 2], pa.int8()).slice(1, 6), pa.array(["skip", "a", None, LONG]).slice(1)),
    })
    path = out_dir / "dict.parquet"
    write_file(abi, path, table)
    assert pq.read_table(path).column("s").to_pylist() == ["a", None, None, "b", None, "a"]
    assert_read_back(path, table)


def test_non_nullable_arrow_fields_become_required(abi: ABI, out_dir: Path) -> None:
    schema = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("l", pa.list_(pa.field("item", pa.int32(), nullable=False)))])
    table = pa.table({"id": [1, 2], "l": [[1], []]}, schema=schema)
    path = out_dir / "required.parquet"
    write_file(abi, path, table)
    back = pq.read_schema(path)
    assert not back.field("id").nullable
    assert not back.field("l").type.value_field.nullable
    assert_read_back(path, table)


# -- slices and streams -----------------------------------------------------------------------


def test_top_level_slice(abi: ABI, out_dir: Path) -> None:
    table = all_types_table().slice(1, 3)
    path = out_dir / "slice.parquet"
    result = write_file(abi, path, table)
    assert result["rows_written"] == 3, result
    assert_read_back(path, table)
    table = nested_table().slice(2)
    path = out_dir / "slice_nested.parquet"
    write_file(abi, path, table)
    assert_read_back(path, table)


def test_sliced_children_have_non_zero_offsets(abi: ABI, out_dir: Path) -> None:
    # A list array sliced so its offsets start past 0, and a struct whose children are slices.
    values = pa.array([[i, None, i * 2] if i % 4 else None for i in range(40)], pa.list_(pa.int64()))
    inner = values.slice(7, 10)
    assert inner.offsets[0].as_py() > 0
    strings = pa.array([f"s{i}" * (i % 7) if i % 3 else None for i in range(40)]).slice(5, 10)
    views = pa.array([LONG + str(i) if i % 2 else "x" for i in range(40)], pa.string_view()).slice(13, 10)
    struct = pa.StructArray.from_arrays([strings, pa.array(range(100, 140)).slice(30, 10)], names=["s", "n"])
    nested = pa.array([[[j] * (j % 3) for j in range(i % 4)] for i in range(50)], pa.list_(pa.list_(pa.int32()))).slice(17, 10)
    mp = pa.array([[(f"k{j}", i) for j in range(i % 3)] for i in range(30)], pa.map_(pa.string(), pa.int64())).slice(11, 10)
    table = pa.table({"l": inner, "st": struct, "v": views, "nested": nested, "mp": mp})
    path = out_dir / "children.parquet"
    write_file(abi, path, table)
    assert_read_back(path, table)
    # And a top-level slice on top of those.
    path = out_dir / "children2.parquet"
    write_file(abi, path, table.slice(3, 5))
    assert_read_back(path, table.slice(3, 5))


def test_chunked_table_through_a_stream(abi: ABI, out_dir: Path) -> None:
    table = all_types_table()
    chunked = pa.concat_tables([table, table.slice(2), table.slice(0, 1)])
    assert chunked.num_rows == 9
    assert len(chunked.to_batches()) == 3
    path = out_dir / "stream.parquet"
    result = write_file(abi, path, chunked, stream=True)
    assert result["ok"] is True and result["rows_written"] == 9, result
    assert_read_back(path, chunked)


def test_stream_from_record_batch_reader_with_an_empty_batch(abi: ABI, out_dir: Path) -> None:
    table = nested_table()
    batches = [table.to_batches()[0].slice(0, 2), table.to_batches()[0].slice(2, 0), table.to_batches()[0].slice(2)]
    reader = pa.RecordBatchReader.from_batches(table.schema, batches)
    path = out_dir / "reader.parquet"
    result = write_file(abi, path, reader, stream=True)
    assert result["ok"] is True and result["rows_written"] == 5, result
    assert_read_back(path, table)


def test_empty_batch_then_rows(abi: ABI, out_dir: Path) -> None:
    table = pa.table({"a": pa.array([1, 2], pa.int64()), "b": ["x", None]})
    path = out_dir / "empty.parquet"
    writer = abi.create({"path": str(path)})
    result = write_arrow(abi, writer, table.slice(0, 0))
    assert result["ok"] is True and result["rows_written"] == 0, result
    result = write_arrow(abi, writer, table)
    assert result["ok"] is True and result["rows_written"] == 2, result
    assert abi.close(writer)["ok"] is True
    assert_read_back(path, table)


def test_only_an_empty_batch_gives_an_empty_file_with_the_schema(abi: ABI, out_dir: Path) -> None:
    table = pa.table({"a": pa.array([], pa.int32()), "s": pa.array([], pa.string())})
    path = out_dir / "only_empty.parquet"
    writer = abi.create({"path": str(path)})
    result = write_arrow(abi, writer, table)
    assert result["ok"] is True and result["rows_written"] == 0, result
    closed = abi.close(writer)
    assert closed["ok"] is True, closed
    back = pq.read_table(path)
    assert back.num_rows == 0 and back.schema.names == ["a", "s"]


def test_empty_stream(abi: ABI, out_dir: Path) -> None:
    schema = pa.schema([("a", pa.int64())])
    path = out_dir / "empty_stream.parquet"
    writer = abi.create({"path": str(path), "schema": {"fields": [{"name": "a", "type": "int64"}]}})
    result = write_stream(abi, writer, [], schema)
    assert result["ok"] is True and result["rows_written"] == 0, result
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(path).num_rows == 0


def test_zero_columns_is_an_error(abi: ABI, out_dir: Path) -> None:
    batch = pa.RecordBatch.from_pydict({})
    path = out_dir / "zero.parquet"
    writer = abi.create({"path": str(path)})
    result = write_arrow(abi, writer, batch)
    assert result["ok"] is False and result["error"]["code"] == "invalid_schema", result
    # With a configured schema, the missing column is named.
    writer2 = abi.create({"path": str(out_dir / "zero2.parquet"), "schema": {"fields": [{"name": "a", "type": "int64"}]}})
    result = write_arrow(abi, writer2, pa.RecordBatch.from_pydict({}))
    assert result["ok"] is False and result["error"]["code"] == "invalid_schema" and "'a'" in result["error"]["message"], result
    abi.abort(writer)
    abi.abort(writer2)


@pytest.mark.slow
def test_large_flat_data_takes_the_bulk_path(abi: ABI, out_dir: Path) -> None:
    n = 200_000
    ids = pa.array(range(n), pa.int64())
    table = pa.table({
        "id": ids,
        "i32": pc.cast(pc.subtract(ids, 100_000), pa.int32()),
        "u64": pa.array([2**64 - 1 - i for i in range(n)], pa.uint64()),
        "f": pc.divide(pc.cast(ids, pa.float64()), 7.0),
        "f32": pc.cast(pc.divide(pc.cast(ids, pa.float64()), 3.0), pa.float32()),
        "b": pc.equal(pc.bit_wise_and(ids, 1), 0),
        "s": pa.array([f"value-{i}-é" if i % 10 else None for i in range(n)]),
        "ls": pa.array([f"v{i % 1000}" for i in range(n)], pa.large_string()),
        "bin": pa.array([i.to_bytes(3, "little") for i in range(n)], pa.binary()),
        "d": pa.array(range(n), pa.int32()).cast(pa.date32()),
        "ts": pa.array(range(0, n * 1000, 1000), pa.timestamp("us", tz="UTC")),
    })
    path = out_dir / "large.parquet"
    result = write_file(abi, path, table, row_group_rows=70_000)
    assert result["rows_written"] == n, result
    back = pq.read_table(path)
    assert back.num_rows == n
    for name in table.column_names:
        assert back.column(name).combine_chunks().equals(table.column(name).cast(back.schema.field(name).type).combine_chunks()), name
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    frame = pl.read_parquet(path)
    assert frame["s"].null_count() == n // 10 and frame["id"].sum() == n * (n - 1) // 2
    import duckdb

    row = duckdb.connect().execute(
        f"SELECT count(*), sum(id), count(s), max(ls), sum(i32), min(u64) FROM read_parquet('{path}')").fetchone()
    assert row == (n, n * (n - 1) // 2, n - n // 10, "v999", sum(i - 100_000 for i in range(n)), 2**64 - n)


# -- polars -----------------------------------------------------------------------------------


def polars_frame() -> pl.DataFrame:
    return pl.DataFrame({
        "id": pl.Series([1, 2, 3, None], dtype=pl.Int64),
        "s": ["a", None, LONG, "é✓"],
        "l": [[1, 2], None, [], [None, 4]],
        "st": [{"x": 1, "y": "a"}, None, {"x": None, "y": LONG}, {"x": 3, "y": None}],
        "cat": pl.Series(["u", "v", None, "u"], dtype=pl.Categorical),
        "dt": pl.Series([datetime.datetime(2024, 1, 1), None, datetime.datetime(1999, 12, 31, 23, 59, 59, 999999),
                         datetime.datetime(1970, 1, 1)], dtype=pl.Datetime("us", "Europe/Oslo")),
        "d": [datetime.date(2024, 1, 1), None, datetime.date(1, 1, 1), datetime.date(2000, 1, 1)],
        "dec": pl.Series([D("1.50"), None, D("-3.25"), D("0")], dtype=pl.Decimal(10, 2)),
        "bin": [b"x", None, LONG.encode(), b""],
        "u8": pl.Series([1, 2, None, 255], dtype=pl.UInt8),
        "f32": pl.Series([1.5, None, -0.5, 3.0], dtype=pl.Float32),
    })


def test_polars_through_to_arrow(abi: ABI, out_dir: Path) -> None:
    frame = polars_frame()
    table = frame.to_arrow()
    assert table.schema.field("s").type in (pa.large_string(), pa.string_view())
    path = out_dir / "polars.parquet"
    write_file(abi, path, table)
    assert_read_back(path, table)
    back = pl.read_parquet(path)
    assert back.drop("cat").equals(frame.drop("cat").with_columns(pl.col("dt").dt.convert_time_zone("UTC")))
    assert back["cat"].cast(pl.String).to_list() == ["u", "v", None, "u"]


def test_polars_through_the_stream_capsule(abi: ABI, out_dir: Path) -> None:
    frame = pl.concat([polars_frame(), polars_frame().slice(1, 2)], rechunk=False)
    assert hasattr(frame, "__arrow_c_stream__")
    table = pa.table(frame)  # what the capsule gives, for the expected values
    path = out_dir / "polars_stream.parquet"
    writer = abi.create({"path": str(path)})
    result = write_stream(abi, writer, stream_from_capsule(frame))
    assert result["ok"] is True and result["rows_written"] == 6, result
    assert abi.close(writer)["ok"] is True
    assert_read_back(path, table)
    assert pl.read_parquet(path)["s"].to_list() == ["a", None, LONG, "é✓", None, LONG]


def test_pyarrow_table_through_the_stream_capsule(abi: ABI, out_dir: Path) -> None:
    table = pa.concat_tables([nested_table(), nested_table().slice(1, 3)])
    path = out_dir / "capsule.parquet"
    writer = abi.create({"path": str(path)})
    result = write_stream(abi, writer, stream_from_capsule(table))
    assert result["ok"] is True and result["rows_written"] == 8, result
    assert abi.close(writer)["ok"] is True
    assert_read_back(path, table)


# -- JSON and Arrow give the same file --------------------------------------------------------


SAME_FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "int64", "nullable": False},
    {"name": "i8", "type": "int8"},
    {"name": "u32", "type": "uint32"},
    {"name": "name", "type": "string"},
    {"name": "score", "type": "float64"},
    {"name": "f32", "type": "float32"},
    {"name": "ok", "type": "boolean"},
    {"name": "day", "type": "date"},
    {"name": "at", "type": "timestamp_us", "utc": True},
    {"name": "local", "type": "timestamp_ms", "utc": False},
    {"name": "t", "type": "time_us"},
    {"name": "amount", "type": "decimal", "precision": 12, "scale": 3},
    {"name": "blob", "type": "binary"},
    {"name": "fixed", "type": "fixed_binary", "length": 3},
    {"name": "uid", "type": "uuid"},
    {"name": "doc", "type": "json"},
    {"name": "tags", "type": "list", "items": {"type": "string"}},
    {"name": "addr", "type": "struct", "fields": [{"name": "city", "type": "string"}, {"name": "zip", "type": "int32", "nullable": False}]},
    {"name": "attrs", "type": "map", "keys": {"type": "string"}, "values": {"type": "int64"}},
]


def same_rows(n: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        def maybe(v: Any) -> Any:
            return None if (i * 7 + len(rows)) % 5 == 0 else v
        rows.append({
            "id": i,
            "i8": maybe(i % 256 - 128),
            "u32": maybe(i * 1_000_003 % 2**32),
            "name": maybe(f"name-{i}-é" * (i % 3)),
            "score": maybe(i / 3),
            "f32": maybe(float(i) * 0.5),
            "ok": maybe(i % 3 == 0),
            "day": maybe(datetime.date(2000, 1, 1) + datetime.timedelta(days=i)),
            "at": maybe(datetime.datetime(2024, 1, 1, tzinfo=UTC) + datetime.timedelta(microseconds=i * 1_234_567)),
            "local": maybe(datetime.datetime(2024, 1, 1) + datetime.timedelta(milliseconds=i * 1_234)),
            "t": maybe(datetime.time(i % 24, i % 60, i % 60, i % 1_000_000)),
            "amount": maybe(D(i * 12345 - 500_000) / 1000),
            "blob": maybe(bytes(range(i % 20))),
            "fixed": maybe(bytes([i % 256, 1, 2])),
            "uid": maybe(uuid.UUID(int=i * 2**100 + i)),
            "doc": maybe(json.dumps({"k": i, "v": [i, None]})),
            "tags": maybe([f"t{j}" if j % 2 else None for j in range(i % 4)]),
            "addr": maybe({"city": maybe(f"c{i}"), "zip": i}),
            "attrs": maybe([(f"k{j}", j if j % 2 else None) for j in range(i % 3)]),
        })
    return rows


def to_json_record(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None:
            out[key] = None
        elif key == "day":
            out[key] = value.isoformat()
        elif key == "at":
            out[key] = value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        elif key == "local":
            out[key] = value.isoformat(timespec="milliseconds")
        elif key == "t":
            out[key] = value.isoformat(timespec="microseconds")
        elif key == "amount":
            out[key] = str(value)
        elif key in ("blob", "fixed"):
            out[key] = base64.b64encode(value).decode()
        elif key == "uid":
            out[key] = str(value)
        elif key == "doc":
            out[key] = json.loads(value)  # an object in the record: stored as its text, as dumps gives it
        elif key == "attrs":
            out[key] = {k: v for k, v in value}
        else:
            out[key] = value
    return out


SAME_ARROW_SCHEMA = pa.schema([
    pa.field("id", pa.int64(), nullable=False),
    ("i8", pa.int8()), ("u32", pa.uint32()), ("name", pa.string()), ("score", pa.float64()), ("f32", pa.float32()),
    ("ok", pa.bool_()), ("day", pa.date32()), ("at", pa.timestamp("us", tz="UTC")), ("local", pa.timestamp("ms")),
    ("t", pa.time64("us")), ("amount", pa.decimal128(12, 3)), ("blob", pa.binary()), ("fixed", pa.binary(3)),
    ("uid", pa.uuid()), ("doc", pa.json_()), ("tags", pa.list_(pa.string())),
    ("addr", pa.struct([("city", pa.string()), pa.field("zip", pa.int32(), nullable=False)])),
    ("attrs", pa.map_(pa.string(), pa.int64())),
])


@pytest.mark.parametrize("options", [{}, {"compression": "zstd", "dictionary": False, "page_bytes": 600, "row_group_rows": 150}])
def test_json_and_arrow_give_identical_files(abi: ABI, out_dir: Path, options: dict[str, Any]) -> None:
    rows = same_rows(400)
    arrow_rows = [{**r, "uid": None if r["uid"] is None else r["uid"].bytes} for r in rows]
    table = pa.Table.from_pylist(arrow_rows, schema=SAME_ARROW_SCHEMA)
    config = {"schema": {"fields": SAME_FIELDS}, **options}

    json_path = out_dir / "json.parquet"
    writer = abi.create({"path": str(json_path), **config})
    assert writer, abi.last_error()
    for start in range(0, 400, 100):
        result = abi.write(writer, [to_json_record(r) for r in rows[start : start + 100]])
        assert result["ok"] is True, result
    assert abi.close(writer)["ok"] is True

    arrow_path = out_dir / "arrow.parquet"
    writer = abi.create({"path": str(arrow_path), **config})
    for start in range(0, 400, 100):
        result = write_arrow(abi, writer, table.slice(start, 100))
        assert result["ok"] is True, result
    assert abi.close(writer)["ok"] is True

    stream_path = out_dir / "stream.parquet"
    writer = abi.create({"path": str(stream_path), **config})
    result = write_stream(abi, writer, pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=100)))
    assert result["ok"] is True and result["rows_written"] == 400, result
    assert abi.close(writer)["ok"] is True

    assert_read_back(arrow_path, table)
    json_bytes = json_path.read_bytes()
    assert arrow_path.read_bytes() == json_bytes
    assert stream_path.read_bytes() == json_bytes


# -- randomized nesting -----------------------------------------------------------------------


def random_type(rng: Any, depth: int) -> pa.DataType:
    leaves = [pa.int64(), pa.int8(), pa.string(), pa.large_string(), pa.string_view(), pa.binary(), pa.float32(), pa.bool_(),
              pa.decimal128(12, 2), pa.date32(), pa.timestamp("ms", tz="UTC"), pa.dictionary(pa.int16(), pa.string())]
    if depth >= 4 or rng.random() < 0.35:
        return rng.choice(leaves)
    kind = rng.choice(["list", "large_list", "fixed", "struct", "map"])
    if kind == "list":
        return pa.list_(random_type(rng, depth + 1))
    if kind == "large_list":
        return pa.large_list(random_type(rng, depth + 1))
    if kind == "fixed":
        return pa.list_(random_type(rng, depth + 1), rng.randrange(0, 3))
    if kind == "struct":
        return pa.struct([(f"f{i}", random_type(rng, depth + 1)) for i in range(rng.randrange(1, 4))])
    return pa.map_(rng.choice([pa.string(), pa.int32()]), random_type(rng, depth + 1))


def random_value(rng: Any, t: pa.DataType, nullable: bool = True) -> Any:
    if nullable and rng.random() < 0.15:
        return None
    if pa.types.is_dictionary(t):
        return rng.choice(["red", "green", LONG])
    if pa.types.is_fixed_size_list(t):
        return [random_value(rng, t.value_type) for _ in range(t.list_size)]
    if pa.types.is_map(t):
        keys = rng.sample(range(100), rng.randrange(0, 4))
        return [(str(k) if pa.types.is_string(t.key_type) else k, random_value(rng, t.item_type)) for k in keys]
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return [random_value(rng, t.value_type) for _ in range(rng.randrange(0, 4))]
    if pa.types.is_struct(t):
        return {t.field(i).name: random_value(rng, t.field(i).type) for i in range(t.num_fields)}
    if pa.types.is_integer(t):
        return rng.randrange(-100, 100)
    if pa.types.is_floating(t):
        return rng.randrange(-1000, 1000) / 8
    if pa.types.is_boolean(t):
        return rng.random() < 0.5
    if pa.types.is_decimal(t):
        return D(rng.randrange(-10**11, 10**11)) / 100
    if pa.types.is_date(t):
        return datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(-5000, 5000))
    if pa.types.is_timestamp(t):
        return datetime.datetime(2020, 1, 1, tzinfo=UTC) + datetime.timedelta(milliseconds=rng.randrange(-10**10, 10**10))
    if pa.types.is_binary(t):
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 20)))
    return "".join(rng.choice("abcé✓ ") for _ in range(rng.randrange(0, 20)))


@pytest.mark.parametrize("seed", range(12))
def test_random_nesting_with_slices(abi: ABI, out_dir: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    types = [random_type(rng, 0) for _ in range(4)]
    n = 300
    columns = {f"c{i}": pa.array([random_value(rng, t) for _ in range(n)], t) for i, t in enumerate(types)}
    table = pa.table(columns)
    # Children sliced at different offsets, and a top-level slice over them.
    table = pa.table({name: column.chunk(0).slice(rng.randrange(0, 40)) .slice(0, 240) for name, column in zip(table.column_names, table.columns)})
    table = table.slice(rng.randrange(0, 30), 200)
    path = out_dir / f"random{seed}.parquet"
    result = write_file(abi, path, table, page_bytes=2048, row_group_rows=90)
    assert result["ok"] is True and result["rows_written"] == 200, result
    assert_read_back(path, table)
    # Through a stream of uneven batches: the same rows.
    path2 = out_dir / f"random{seed}_stream.parquet"
    cuts = sorted(rng.sample(range(1, 200), 3))
    batches = [table.slice(a, b - a).combine_chunks().to_batches()[0] for a, b in zip([0] + cuts, cuts + [200])]
    write_file(abi, path2, pa.RecordBatchReader.from_batches(table.schema, batches), stream=True, page_bytes=2048, row_group_rows=90)
    assert pq.read_table(path2).to_pylist() == pq.read_table(path).to_pylist()
