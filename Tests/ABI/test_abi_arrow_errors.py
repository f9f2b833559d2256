"""Arrow input against a configured schema (field order, missing/extra fields, type and range
errors, on_invalid fail/skip, also across streams), ownership of the moved structures, a
stream that fails midway, and schema_from_arrow."""

from __future__ import annotations

import ctypes
import datetime
import decimal
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abi import ABI
from arrow_c import (
    ArrowArray,
    ArrowArrayStream,
    ArrowSchema,
    PythonStream,
    assert_read_back,
    call_release,
    export_batch,
    export_schema,
    export_stream,
    schema_from_arrow,
    write_arrow,
    write_stream,
)

D = decimal.Decimal

FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "int64", "nullable": False},
    {"name": "small", "type": "int32"},
    {"name": "name", "type": "string"},
    {"name": "at", "type": "timestamp_us"},
    {"name": "tags", "type": "list", "items": {"type": "string"}},
    {"name": "pt", "type": "struct", "fields": [{"name": "x", "type": "float64", "nullable": False}, {"name": "y", "type": "float64"}]},
]


def rows_table(n: int = 6, start: int = 0) -> pa.Table:
    return pa.table({
        "id": pa.array(range(start, start + n), pa.int64()),
        "small": pa.array([i * 10 for i in range(start, start + n)], pa.int64()),
        "name": [f"n{i}" for i in range(start, start + n)],
        "at": pa.array([i * 1_000_000 for i in range(start, start + n)], pa.timestamp("us", tz="UTC")),
        "tags": [[f"t{i}"] * (i % 3) for i in range(start, start + n)],
        "pt": [{"x": float(i), "y": None if i % 2 else -float(i)} for i in range(start, start + n)],
    })


def open_writer(abi: ABI, path: Path, fields: list[dict[str, Any]] = FIELDS, **options: Any) -> int:
    writer = abi.create({"path": str(path), "schema": {"fields": fields}, **options})
    assert writer, abi.last_error()
    return writer


def replace(table: pa.Table, name: str, array: pa.Array) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), name, array)


# -- a configured schema ----------------------------------------------------------------------


def test_fields_in_another_order(abi: ABI, out_dir: Path) -> None:
    table = rows_table()
    shuffled = table.select(["pt", "name", "tags", "id", "at", "small"])
    path = out_dir / "order.parquet"
    writer = open_writer(abi, path)
    assert write_arrow(abi, writer, shuffled)["rows_written"] == 6
    assert abi.close(writer)["ok"] is True
    assert pq.read_schema(path).names == [f["name"] for f in FIELDS]
    assert_read_back(path, table.cast(pq.read_schema(path)))


def test_struct_fields_in_another_order(abi: ABI, out_dir: Path) -> None:
    table = rows_table()
    pt = table.column("pt").combine_chunks()
    swapped = pa.StructArray.from_arrays([pt.field("y"), pt.field("x")], names=["y", "x"])
    path = out_dir / "struct_order.parquet"
    writer = open_writer(abi, path)
    assert write_arrow(abi, writer, replace(table, "pt", swapped))["rows_written"] == 6
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(path).column("pt").to_pylist() == table.column("pt").to_pylist()


@pytest.mark.parametrize(
    "change, code, names",
    [
        (lambda t: t.drop_columns(["name"]), "invalid_schema", "'name'"),
        (lambda t: t.append_column("extra", pa.array([1] * 6)), "invalid_schema", "'extra'"),
        (lambda t: replace(t, "small", pa.array(["1"] * 6)), "type_mismatch", "'small'"),
        (lambda t: replace(t, "name", pa.array(range(6))), "type_mismatch", "'name'"),
        (lambda t: replace(t, "tags", pa.array(["x"] * 6)), "type_mismatch", "'tags'"),
        (lambda t: replace(t, "at", pa.array([datetime.date(2020, 1, 1)] * 6)), "type_mismatch", "'at'"),
        (lambda t: replace(t, "pt", pa.array([{"x": 1.0}] * 6)), "invalid_schema", "'pt.y'"),
        (lambda t: replace(t, "pt", pa.array([{"x": 1.0, "y": 2.0, "z": 3.0}] * 6)), "invalid_schema", "'pt.z'"),
        (lambda t: replace(t, "pt", pa.array([{"x": "a", "y": 2.0}] * 6)), "type_mismatch", "'pt.x'"),
        (lambda t: replace(t, "tags", pa.array([[1]] * 6)), "type_mismatch", "'tags.element'"),
        (lambda t: replace(t, "tags", pa.DictionaryArray.from_arrays(pa.array([0] * 6, pa.int32()), pa.array([["a"]]))), "type_mismatch", "'tags'"),
        (lambda t: replace(t, "name", pa.array([1] * 6, pa.duration("s"))), "type_mismatch", "'name'"),
        (lambda t: replace(t, "name", pa.UnionArray.from_sparse(pa.array([0] * 6, pa.int8()), [pa.array(["a"] * 6)])), "type_mismatch", "'name'"),
        (lambda t: replace(t, "name", pa.RunEndEncodedArray.from_arrays(pa.array([6], pa.int32()), pa.array(["a"]))), "type_mismatch", "'name'"),
        (lambda t: replace(t, "tags", pa.array([["a"]] * 6, pa.list_view(pa.string()))), "type_mismatch", "'tags'"),
    ],
    ids=["missing", "extra", "string_into_int", "int_into_string", "string_into_list", "date_into_timestamp",
         "missing_struct_field", "extra_struct_field", "struct_field_type", "list_element_type", "dictionary_of_lists",
         "duration", "union", "run_end_encoded", "list_view"],
)
def test_schema_mismatches(abi: ABI, out_dir: Path, change: Any, code: str, names: str) -> None:
    path = out_dir / "mismatch.parquet"
    writer = open_writer(abi, path)
    result = write_arrow(abi, writer, change(rows_table()))
    assert result["ok"] is False and result["error"]["code"] == code, result
    assert names in result["error"]["message"], result
    # The writer is still usable.
    assert write_arrow(abi, writer, rows_table())["rows_written"] == 6
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(path).num_rows == 6


def test_duplicate_field_is_an_error(abi: ABI, out_dir: Path) -> None:
    table = rows_table()
    doubled = pa.Table.from_arrays(table.columns + [table.column("name")], names=table.column_names + ["name"])
    writer = open_writer(abi, out_dir / "dup.parquet")
    result = write_arrow(abi, writer, doubled)
    assert result["ok"] is False and result["error"]["code"] == "invalid_schema" and "'name'" in result["error"]["message"], result
    abi.abort(writer)


# (column, bad array, code, bad rows): each rejects exactly those rows.
REJECTS = [
    ("small", pa.array([1, 2**31, 3, -(2**31) - 1, 5, 6], pa.int64()), "value_out_of_range", [1, 3]),
    ("small", pa.array([1, 2, 3, 4, 5, 2**32], pa.uint64()), "value_out_of_range", [5]),
    ("id", pa.array([1, None, 3, 4, None, 6], pa.int64()), "missing_value", [1, 4]),
    ("at", pa.array([1000, 1001, 5000, 999_999_999, 0, 7], pa.timestamp("ns", tz="UTC")), "value_out_of_range", [1, 3, 5]),
    ("name", pa.array([b"ok", b"\xff", b"ok", b"o\xc3", b"\xc3\xa9", b"\x80"], pa.binary()), "invalid_value", [1, 3, 5]),
    ("name", pa.array([b"ok", b"\xff", b"ok", b"o\xc3", b"\xc3\xa9", b"\x80"], pa.large_binary()), "invalid_value", [1, 3, 5]),
    ("name", pa.array([b"ok", b"\xff" * 20, b"ok", b"o\xc3", b"\xc3\xa9", b"\x80"], pa.binary_view()), "invalid_value", [1, 3, 5]),
    # Valid UTF-8 as a run ("o\xc3" + "\x80" is "oÀ"), not value by value: the first bad row is 1.
    ("name", pa.array([b"ok", b"o\xc3", b"\x80", b"ok", b"\xc3\xa9", b"x"], pa.binary()), "invalid_value", [1, 2]),
    ("name", pa.array(["a", "é", "b", "c", "d", "e"]).cast(pa.binary()), "invalid_value", []),
    ("pt", pa.array([{"x": 1.0, "y": 1.0}, {"x": None, "y": 1.0}, None, {"x": 2.0, "y": None}, {"x": None, "y": None}, {"x": 0.0, "y": 0.0}],
                    pa.struct([("x", pa.float64()), ("y", pa.float64())])), "missing_value", [1, 4]),
]


@pytest.mark.parametrize("column, bad, code, bad_rows", REJECTS, ids=lambda v: v if isinstance(v, str) else None)
def test_rejects_under_fail(abi: ABI, out_dir: Path, column: str, bad: pa.Array, code: str, bad_rows: list[int]) -> None:
    path = out_dir / "fail.parquet"
    writer = open_writer(abi, path)
    result = write_arrow(abi, writer, replace(rows_table(), column, bad))
    if not bad_rows:
        assert result["ok"] is True and result["rows_written"] == 6, result
        abi.abort(writer)
        return
    assert result["ok"] is False, result
    error = result["error"]
    assert error["code"] == code and error["row"] == bad_rows[0], result
    assert error["column"].split(".")[0] == column, result
    # Nothing of the batch was written; the writer stays usable.
    good = rows_table(3, 100)
    assert write_arrow(abi, writer, good)["rows_written"] == 3
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(path).column("id").to_pylist() == [100, 101, 102]


@pytest.mark.parametrize("column, bad, code, bad_rows", REJECTS, ids=lambda v: v if isinstance(v, str) else None)
def test_rejects_under_skip(abi: ABI, out_dir: Path, column: str, bad: pa.Array, code: str, bad_rows: list[int]) -> None:
    path = out_dir / "skip.parquet"
    writer = open_writer(abi, path, on_invalid="skip")
    table = replace(rows_table(), column, bad)
    result = write_arrow(abi, writer, table)
    assert result["ok"] is True, result
    assert result["rows_written"] == 6 - len(bad_rows) and result["rows_rejected"] == len(bad_rows), result
    assert [e["row"] for e in result["errors"]] == bad_rows, result
    assert {e["code"] for e in result["errors"]} == ({code} if bad_rows else set()), result
    assert abi.close(writer)["ok"] is True
    kept = [i for i in range(6) if i not in bad_rows]
    written = pq.read_table(path)
    source = table.column(column).to_pylist()
    expected = [source[i].decode() if isinstance(source[i], bytes) else source[i] for i in kept]
    assert written.column(column).to_pylist() == expected
    if column != "id":
        assert written.column("id").to_pylist() == kept


def test_fail_rows_are_relative_to_a_sliced_batch(abi: ABI, out_dir: Path) -> None:
    big = pa.array([1, 2, 3, 4, 5, 2**40, 7, 8], pa.int64())
    table = pa.table({"id": pa.array(range(8), pa.int64()), "small": big})
    fields = FIELDS[:2]
    for name, view in [("slice", table.slice(2)), ("batch_slice", table.to_batches()[0].slice(3, 4))]:
        writer = open_writer(abi, out_dir / f"{name}.parquet", fields)
        result = write_arrow(abi, writer, view)
        assert result["ok"] is False and result["error"]["row"] == 5 - (2 if name == "slice" else 3), (name, result)
        abi.abort(writer)
        writer = open_writer(abi, out_dir / f"{name}_skip.parquet", fields, on_invalid="skip")
        result = write_arrow(abi, writer, view)
        assert [e["row"] for e in result["errors"]] == [5 - (2 if name == "slice" else 3)], (name, result)
        abi.abort(writer)


def test_nested_rejects_name_the_leaf_and_row(abi: ABI, out_dir: Path) -> None:
    fields = [
        {"name": "id", "type": "int64"},
        {"name": "l", "type": "list", "items": {"type": "struct", "fields": [{"name": "v", "type": "int8", "nullable": False}]}},
    ]
    table = pa.table({
        "id": pa.array(range(5), pa.int64()),
        "l": pa.array([[{"v": 1}], [{"v": 300}], None, [{"v": None}], [{"v": -1}, {"v": -129}]],
                      pa.list_(pa.struct([("v", pa.int64())]))),
    })
    writer = open_writer(abi, out_dir / "nested_fail.parquet", fields)
    result = write_arrow(abi, writer, table)
    assert result["ok"] is False and result["error"]["row"] == 1 and result["error"]["column"] == "l.element.v", result
    assert result["error"]["code"] == "value_out_of_range", result
    abi.abort(writer)
    path = out_dir / "nested_skip.parquet"
    writer = open_writer(abi, path, fields, on_invalid="skip")
    result = write_arrow(abi, writer, table)
    assert [(e["row"], e["code"]) for e in result["errors"]] == [(1, "value_out_of_range"), (3, "missing_value"), (4, "value_out_of_range")], result
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(path).to_pylist() == [{"id": 0, "l": [{"v": 1}]}, {"id": 2, "l": None}]


def test_skip_across_a_stream_counts_rows_in_the_stream(abi: ABI, out_dir: Path) -> None:
    batches = []
    for b in range(3):
        table = rows_table(4, b * 4)
        small = [i * 10 for i in range(b * 4, b * 4 + 4)]
        small[(b + 1) % 4] = 2**40  # rows 1, 6, 11 of the stream
        batches.extend(replace(table, "small", pa.array(small, pa.int64())).to_batches())
    path = out_dir / "stream_skip.parquet"
    writer = open_writer(abi, path, on_invalid="skip")
    result = write_stream(abi, writer, batches, batches[0].schema)
    assert result["ok"] is True and result["rows_written"] == 9 and result["rows_rejected"] == 3, result
    assert [e["row"] for e in result["errors"]] == [1, 6, 11], result
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(path).column("id").to_pylist() == [i for i in range(12) if i not in (1, 6, 11)]


def test_fail_across_a_stream_keeps_earlier_batches(abi: ABI, out_dir: Path) -> None:
    first, second, third = rows_table(4, 0), rows_table(4, 4), rows_table(4, 8)
    second = replace(second, "small", pa.array([1, 2, 2**40, 4], pa.int64()))
    batches = first.to_batches() + second.to_batches() + third.to_batches()
    path = out_dir / "stream_fail.parquet"
    writer = open_writer(abi, path)
    result = write_stream(abi, writer, batches, batches[0].schema)
    assert result["ok"] is False, result
    assert result["error"]["code"] == "value_out_of_range" and result["error"]["row"] == 6, result
    assert result["rows_written"] == 4, result
    # The writer is still usable: a later good batch lands after the first one.
    assert write_arrow(abi, writer, third)["rows_written"] == 4
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(path).column("id").to_pylist() == [0, 1, 2, 3, 8, 9, 10, 11]


def test_inferred_schema_then_a_batch_that_does_not_fit(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "inferred.parquet"
    writer = abi.create({"path": str(path)})
    table = rows_table()
    assert write_arrow(abi, writer, table)["rows_written"] == 6
    result = write_arrow(abi, writer, replace(table, "name", pa.array(range(6))))
    assert result["ok"] is False and result["error"]["code"] == "type_mismatch", result
    # Another integer width converts (checked): int32 into the int64 column.
    assert write_arrow(abi, writer, replace(table, "id", pa.array(range(6), pa.int32())))["rows_written"] == 6
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(path).num_rows == 12


@pytest.mark.parametrize(
    "arrow_type, values, field, expected",
    [
        (pa.int8(), [1, -2, None], {"type": "float64"}, [1.0, -2.0, None]),
        (pa.string(), ["1.50", "-2", None], {"type": "decimal", "precision": 5, "scale": 2}, [D("1.50"), D("-2.00"), None]),
        (pa.decimal128(4, 1), [D("1.5"), None, D("-999.9")], {"type": "decimal", "precision": 10, "scale": 3}, [D("1.5"), None, D("-999.9")]),
        (pa.string(), ["12345678-1234-5678-1234-567812345678", None, "00000000-0000-0000-0000-00000000000A"], {"type": "uuid"},
         [uuid.UUID("12345678-1234-5678-1234-567812345678"), None, uuid.UUID(int=10)]),
        (pa.decimal32(5, 2), [D("1.25"), None, D("-999.99")], {"type": "decimal", "precision": 18, "scale": 3}, [D("1.25"), None, D("-999.99")]),
        (pa.decimal64(15, 3), [D("1.25"), None, D("-999999999999.999")], {"type": "decimal", "precision": 18, "scale": 3},
         [D("1.25"), None, D("-999999999999.999")]),
        (pa.decimal256(50, 2), [D("1.25"), None, D("-" + "9" * 36 + ".99")], {"type": "decimal", "precision": 38, "scale": 2},
         [D("1.25"), None, D("-" + "9" * 36 + ".99")]),
        (pa.binary(), [b"abc", None, b"xyz"], {"type": "fixed_binary", "length": 3}, [b"abc", None, b"xyz"]),
        (pa.timestamp("s"), [1, None, -1], {"type": "timestamp_ns", "utc": False}, None),
        (pa.date64(), [86_400_000, None, 0], {"type": "date"}, [datetime.date(1970, 1, 2), None, datetime.date(1970, 1, 1)]),
        (pa.time32("s"), [0, None, 86399], {"type": "time_us"}, [datetime.time(0), None, datetime.time(23, 59, 59)]),
        (pa.float16(), [1.5, None, -0.25], {"type": "float64"}, [1.5, None, -0.25]),
        (pa.null(), [None, None, None], {"type": "string"}, [None, None, None]),
    ],
    ids=["int_to_float", "text_to_decimal", "decimal_rescale", "text_to_uuid", "decimal32", "decimal64", "decimal256_50", "binary_to_fixed", "ts_s_to_ns",
         "date64", "time_s_to_us", "half_to_double", "null_type"],
)
def test_conversions_into_configured_columns(abi: ABI, out_dir: Path, arrow_type: pa.DataType, values: list[Any],
                                              field: dict[str, Any], expected: list[Any] | None) -> None:
    path = out_dir / "convert.parquet"
    writer = open_writer(abi, path, [{"name": "c", **field}])
    result = write_arrow(abi, writer, pa.table({"c": pa.array(values, arrow_type)}))
    assert result["ok"] is True and result["rows_written"] == 3, result
    assert abi.close(writer)["ok"] is True
    back = pq.read_table(path).column("c")
    if expected is None:
        expected = pa.array(values, arrow_type).cast(back.type).to_pylist()
    assert back.to_pylist() == expected


@pytest.mark.parametrize(
    "arrow_type, value, field, code",
    [
        (pa.decimal128(5, 3), D("1.234"), {"type": "decimal", "precision": 10, "scale": 2}, "type_mismatch"),
        (pa.decimal128(10, 0), D("123456"), {"type": "decimal", "precision": 5, "scale": 0}, "value_out_of_range"),
        (pa.decimal256(60, 0), D("1" + "0" * 45), {"type": "decimal", "precision": 38, "scale": 0}, "value_out_of_range"),
        (pa.binary(), b"ab", {"type": "fixed_binary", "length": 3}, "invalid_value"),
        (pa.string(), "not-a-uuid", {"type": "uuid"}, "invalid_value"),
        (pa.string(), "1.234", {"type": "decimal", "precision": 5, "scale": 2}, "invalid_value"),
        (pa.float64(), 1.5, {"type": "int64"}, "type_mismatch"),
        (pa.date64(), 1, {"type": "date"}, "value_out_of_range"),
        (pa.timestamp("us"), 1, {"type": "timestamp_ms"}, "value_out_of_range"),
        (pa.time64("us"), 86_400_000_000, {"type": "time_us"}, "value_out_of_range"),
        (pa.int64(), 300, {"type": "uint8"}, "value_out_of_range"),
        (pa.int64(), -1, {"type": "uint64"}, "value_out_of_range"),
        (pa.duration("s"), 1, {"type": "int64"}, "type_mismatch"),
    ],
    ids=["decimal_scale", "decimal_precision", "decimal256_digits", "fixed_width", "uuid_text", "decimal_text_scale",
         "float_into_int", "date64_not_whole_day", "us_into_ms", "time_24h", "uint8_range", "uint64_negative", "duration"],
)
def test_conversion_errors(abi: ABI, out_dir: Path, arrow_type: pa.DataType, value: Any, field: dict[str, Any], code: str) -> None:
    writer = open_writer(abi, out_dir / "convert_err.parquet", [{"name": "c", **field}])
    result = write_arrow(abi, writer, pa.table({"c": pa.array([None, value], arrow_type)}))
    assert result["ok"] is False and result["error"]["code"] == code, result
    assert result["error"].get("column") == "c", result
    if code not in ("type_mismatch",):
        assert result["error"]["row"] == 1, result
    abi.abort(writer)


# -- ownership --------------------------------------------------------------------------------


def test_write_arrow_releases_on_success_and_failure(abi: ABI, out_dir: Path) -> None:
    writer = open_writer(abi, out_dir / "own.parquet")
    table = rows_table()
    for data in (table, table.drop_columns(["name"]), replace(table, "small", pa.array([2**40] * 6))):
        schema, array = export_batch(data)
        result = abi.take(abi.lib.write_arrow(writer, ctypes.addressof(schema), ctypes.addressof(array)))
        assert not schema.release and not array.release, result
    # NULL and invalid writers: the structures are released all the same.
    for bad_writer, code in ((None, "invalid_argument"), (12345, "invalid_handle"), (writer + 1, "invalid_handle")):
        schema, array = export_batch(table)
        result = abi.take(abi.lib.write_arrow(bad_writer, ctypes.addressof(schema), ctypes.addressof(array)))
        assert result["ok"] is False and result["error"]["code"] == code, result
        assert not schema.release and not array.release
        assert abi.last_error()["code"] == code
        stream = export_stream(table)
        result = abi.take(abi.lib.write_arrow_stream(bad_writer, ctypes.addressof(stream)))
        assert result["ok"] is False and result["error"]["code"] == code and not stream.release, result
    assert abi.close(writer)["ok"] is True
    # A closed writer too.
    schema, array = export_batch(table)
    result = abi.take(abi.lib.write_arrow(writer, ctypes.addressof(schema), ctypes.addressof(array)))
    assert result["ok"] is False and result["error"]["code"] == "invalid_handle", result
    assert not schema.release and not array.release


def test_null_or_released_structures_are_invalid_argument(abi: ABI, out_dir: Path) -> None:
    writer = open_writer(abi, out_dir / "null.parquet")
    table = rows_table()
    # NULL schema: the array is still released (it was moved in).
    schema, array = export_batch(table)
    result = abi.take(abi.lib.write_arrow(writer, None, ctypes.addressof(array)))
    assert result["error"]["code"] == "invalid_argument" and not array.release, result
    call_release(schema)
    schema, array = export_batch(table)
    result = abi.take(abi.lib.write_arrow(writer, ctypes.addressof(schema), None))
    assert result["error"]["code"] == "invalid_argument" and not schema.release, result
    call_release(array)
    # Already released structures.
    schema, array = export_batch(table)
    call_release(schema)
    result = abi.take(abi.lib.write_arrow(writer, ctypes.addressof(schema), ctypes.addressof(array)))
    assert result["error"]["code"] == "invalid_argument" and not array.release, result
    schema, array = export_batch(table)
    call_release(array)
    result = abi.take(abi.lib.write_arrow(writer, ctypes.addressof(schema), ctypes.addressof(array)))
    assert result["error"]["code"] == "invalid_argument" and not schema.release, result
    # Streams.
    result = abi.take(abi.lib.write_arrow_stream(writer, None))
    assert result["error"]["code"] == "invalid_argument", result
    stream = export_stream(table)
    call_release(stream)
    result = abi.take(abi.lib.write_arrow_stream(writer, ctypes.addressof(stream)))
    assert result["error"]["code"] == "invalid_argument", result
    # schema_from_arrow.
    result = abi.take(abi.lib.schema_from_arrow(None))
    assert result["error"]["code"] == "invalid_argument", result
    released = export_schema(table.schema)
    call_release(released)
    result = abi.take(abi.lib.schema_from_arrow(ctypes.addressof(released)))
    assert result["error"]["code"] == "invalid_argument", result
    # Nothing was written by any of these.
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(out_dir / "null.parquet").num_rows == 0


def test_schema_from_arrow_does_not_release(abi: ABI) -> None:
    exported = export_schema(rows_table().schema)
    for _ in range(3):  # the same schema, read again and again
        result = abi.take(abi.lib.schema_from_arrow(ctypes.addressof(exported)))
        assert result["ok"] is True and exported.release, result
    call_release(exported)


def test_stream_failing_midway(abi: ABI, out_dir: Path) -> None:
    table = rows_table(5)
    producer = PythonStream(table.schema, table.to_batches(), error=(5, "disk on fire while reading batch 2"))
    path = out_dir / "midway.parquet"
    writer = open_writer(abi, path)
    result = abi.take(abi.lib.write_arrow_stream(writer, ctypes.addressof(producer.stream)))
    assert result["ok"] is False, result
    assert result["error"]["code"] == "invalid_arrow", result
    assert "disk on fire while reading batch 2" in result["error"]["message"], result
    assert result["rows_written"] == 5, result
    assert abi.last_error()["code"] == "invalid_arrow"
    assert producer.releases == 1 and not producer.stream.release
    assert producer.get_schema_calls == 1 and producer.get_next_calls == 2
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(path).column("id").to_pylist() == list(range(5))


def test_stream_failing_to_give_its_schema(abi: ABI, out_dir: Path) -> None:
    producer = PythonStream(rows_table().schema, [], schema_error=(22, "no schema for you"))
    writer = open_writer(abi, out_dir / "noschema.parquet")
    result = abi.take(abi.lib.write_arrow_stream(writer, ctypes.addressof(producer.stream)))
    assert result["ok"] is False and result["error"]["code"] == "invalid_arrow", result
    assert "no schema for you" in result["error"]["message"], result
    assert producer.releases == 1 and producer.get_next_calls == 0
    abi.abort(writer)


def test_python_stream_that_ends_normally(abi: ABI, out_dir: Path) -> None:
    table = rows_table(6)
    producer = PythonStream(table.schema, [b for b in table.to_batches(max_chunksize=2)])
    path = out_dir / "pystream.parquet"
    writer = open_writer(abi, path)
    result = abi.take(abi.lib.write_arrow_stream(writer, ctypes.addressof(producer.stream)))
    assert result["ok"] is True and result["rows_written"] == 6, result
    assert producer.releases == 1 and producer.get_next_calls == 4
    assert abi.close(writer)["ok"] is True
    assert_read_back(path, table.cast(pq.read_schema(path)))


# -- schema_from_arrow ------------------------------------------------------------------------


def test_schema_from_arrow_covers_every_type_and_round_trips(abi: ABI, out_dir: Path) -> None:
    from test_abi_arrow import all_types_table, nested_table

    for source in (all_types_table(), nested_table()):
        result = schema_from_arrow(abi, source.schema)
        assert result["ok"] is True, result
        native = result["schema"]
        assert [f["name"] for f in native["fields"]] == source.column_names
        path = out_dir / "roundtrip.parquet"
        writer = abi.create({"path": str(path), "schema": native})
        assert writer, abi.last_error()
        assert write_arrow(abi, writer, source)["rows_written"] == source.num_rows
        assert abi.close(writer)["ok"] is True
        # The same file as with the schema inferred from the batch.
        inferred = out_dir / "inferred.parquet"
        writer = abi.create({"path": str(inferred)})
        write_arrow(abi, writer, source)
        assert abi.close(writer)["ok"] is True
        assert path.read_bytes() == inferred.read_bytes()
        assert_read_back(path, source)


def test_schema_from_arrow_types(abi: ABI) -> None:
    schema = pa.schema([
        pa.field("a", pa.int16(), nullable=False),
        ("b", pa.uint32()),
        ("c", pa.float16()),
        ("d", pa.large_string()),
        ("e", pa.binary_view()),
        ("f", pa.binary(7)),
        ("g", pa.uuid()),
        ("h", pa.json_()),
        ("i", pa.decimal256(20, 5)),
        ("j", pa.date64()),
        ("k", pa.time32("s")),
        ("l", pa.time64("ns")),
        ("m", pa.timestamp("s")),
        ("n", pa.timestamp("ns", tz="+01:00")),
        ("o", pa.dictionary(pa.int8(), pa.string())),
        ("p", pa.list_(pa.field("x", pa.int8(), nullable=False), 3)),
        ("q", pa.map_(pa.string(), pa.large_list(pa.int64()))),
    ])
    fields = schema_from_arrow(abi, schema)["schema"]["fields"]
    by_name = {f["name"]: {k: v for k, v in f.items() if k != "name"} for f in fields}
    assert by_name["a"] == {"type": "int16", "nullable": False}
    assert by_name["b"]["type"] == "uint32"
    assert by_name["c"]["type"] == "float32"
    assert by_name["d"]["type"] == "string" and by_name["e"]["type"] == "binary"
    assert by_name["f"]["type"] == "fixed_binary" and by_name["f"]["length"] == 7
    assert by_name["g"]["type"] == "uuid" and by_name["h"]["type"] == "json"
    assert by_name["i"]["type"] == "decimal" and (by_name["i"]["precision"], by_name["i"]["scale"]) == (20, 5)
    assert by_name["j"]["type"] == "date" and by_name["k"]["type"] == "time_ms" and by_name["l"]["type"] == "time_ns"
    assert by_name["m"]["type"] == "timestamp_ms" and by_name["m"].get("utc") is False
    assert by_name["n"]["type"] == "timestamp_ns" and by_name["n"].get("utc", True) is True
    assert by_name["o"]["type"] == "string"
    assert by_name["p"]["type"] == "list" and by_name["p"]["items"]["type"] == "int8" and by_name["p"]["items"]["nullable"] is False
    assert by_name["q"]["type"] == "map" and by_name["q"]["values"]["type"] == "list"


@pytest.mark.parametrize(
    "arrow_type, name",
    [
        (pa.duration("ms"), "'bad'"),
        (pa.null(), "'bad'"),
        (pa.month_day_nano_interval(), "'bad'"),
        (pa.list_(pa.duration("s")), "'bad.element'"),
        (pa.struct([("ok", pa.int8()), ("worse", pa.null())]), "'bad.worse'"),
        (pa.decimal256(40, 2), "'bad'"),
        (pa.sparse_union([pa.field("x", pa.int8())]), "'bad'"),
        (pa.run_end_encoded(pa.int32(), pa.string()), "'bad'"),
        (pa.list_view(pa.int32()), "'bad'"),
        (pa.large_list_view(pa.int32()), "'bad'"),
    ],
    ids=["duration", "null", "interval", "list_of_duration", "struct_with_null", "decimal256_40", "union", "ree", "list_view", "large_list_view"],
)
def test_schema_from_arrow_types_without_counterpart(abi: ABI, out_dir: Path, arrow_type: pa.DataType, name: str) -> None:
    schema = pa.schema([("good", pa.int64()), ("bad", arrow_type)])
    result = schema_from_arrow(abi, schema)
    assert result["ok"] is False and result["error"]["code"] == "invalid_schema", result
    assert name in result["error"]["message"], result
    # write_arrow without a schema refuses the batch the same way and stays usable.
    writer = abi.create({"path": str(out_dir / "nocounterpart.parquet")})
    if pa.types.is_union(arrow_type):
        bad = pa.UnionArray.from_sparse(pa.array([0], pa.int8()), [pa.array([None], pa.int8())])
    elif pa.types.is_run_end_encoded(arrow_type):
        bad = pa.RunEndEncodedArray.from_arrays(pa.array([1], pa.int32()), pa.array([None], pa.string()))
    else:
        bad = pa.array([None], arrow_type)
    table = pa.table({"good": pa.array([1], pa.int64()), "bad": bad})
    result = write_arrow(abi, writer, table)
    assert result["ok"] is False and result["error"]["code"] == "invalid_schema", result
    assert write_arrow(abi, writer, pa.table({"good": pa.array([1], pa.int64())}))["rows_written"] == 1
    assert abi.close(writer)["ok"] is True


def test_null_type_column_into_configured_columns(abi: ABI, out_dir: Path) -> None:
    fields = [{"name": "id", "type": "int64"}, {"name": "n", "type": "list", "items": {"type": "string"}},
              {"name": "s", "type": "struct", "fields": [{"name": "a", "type": "int8", "nullable": False},
                                                      {"name": "m", "type": "map", "keys": {"type": "string"}, "values": {"type": "int64"}}]},
              {"name": "r", "type": "int64", "nullable": False}]
    table = pa.table({"id": pa.array([1, 2], pa.int64()), "n": pa.nulls(2), "s": pa.nulls(2), "r": pa.nulls(2)})
    writer = open_writer(abi, out_dir / "nulls.parquet", fields)
    result = write_arrow(abi, writer, table)
    assert result["ok"] is False and result["error"]["code"] == "missing_value", result
    assert (result["error"]["column"], result["error"]["row"]) == ("r", 0), result
    result = write_arrow(abi, writer, table.set_column(3, "r", pa.array([5, 6], pa.int64())))
    assert result["ok"] is True and result["rows_written"] == 2, result
    # Inside a struct too: a null-type field of a struct column.
    inner = pa.StructArray.from_arrays([pa.array([1, 2], pa.int8()), pa.nulls(2)], names=["a", "m"])
    table = pa.table({"id": pa.array([3, 4], pa.int64()), "n": pa.nulls(2), "s": inner, "r": pa.array([7, 8], pa.int64())})
    assert write_arrow(abi, writer, table)["rows_written"] == 2
    assert abi.close(writer)["ok"] is True
    path = out_dir / "nulls.parquet"
    assert pq.read_table(path).to_pylist() == [
        {"id": 1, "n": None, "s": None, "r": 5}, {"id": 2, "n": None, "s": None, "r": 6},
        {"id": 3, "n": None, "s": {"a": 1, "m": None}, "r": 7}, {"id": 4, "n": None, "s": {"a": 2, "m": None}, "r": 8}]
    assert_read_back(path, pq.read_table(path))


@pytest.mark.slow
def test_rejects_past_the_first_65536_rows(abi: ABI, out_dir: Path) -> None:
    """Rows of a large batch (staged 65,536 rows at a time) are counted from the batch's start;
    under "fail" the slices before the failing one are written and reported, the rest not."""
    n = 150_000
    bad = {70_000, 140_001}
    small = pa.array([2**40 if i in bad else i for i in range(n)], pa.int64())
    names = pa.array([None if i == 100_000 else f"n{i}" for i in range(n)])
    table = pa.table({"id": pa.array(range(n), pa.int64()), "small": small, "name": names})
    fields = [FIELDS[0], FIELDS[1], {"name": "name", "type": "string", "nullable": False}]
    path = out_dir / "big_fail.parquet"
    writer = open_writer(abi, path, fields)
    result = write_arrow(abi, writer, table)
    assert result["ok"] is False and result["error"]["row"] == 70_000, result
    assert result["rows_written"] == 65_536 and result["error"]["code"] == "value_out_of_range", result
    result = write_arrow(abi, writer, table.slice(0, 3))
    assert result["ok"] is True, result
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(path).column("id").to_pylist() == list(range(65_536)) + [0, 1, 2]
    path = out_dir / "big_skip.parquet"
    writer = open_writer(abi, path, fields, on_invalid="skip")
    result = write_stream(abi, writer, pa.concat_tables([table.slice(0, 1000), table]))
    assert [(e["row"], e["code"]) for e in result["errors"]] == [
        (71_000, "value_out_of_range"), (101_000, "missing_value"), (141_001, "value_out_of_range")], result
    assert result["rows_written"] == n + 1000 - 3, result
    assert abi.close(writer)["ok"] is True
    ids = pq.read_table(path).column("id").to_pylist()
    assert ids == list(range(1000)) + [i for i in range(n) if i not in bad | {100_000}]
