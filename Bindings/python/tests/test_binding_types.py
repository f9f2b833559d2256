"""Every column type through the Writer, read back exactly with pyarrow (and once with DuckDB)."""

from __future__ import annotations

import datetime as dt
import math
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parquet_writer import Writer

UTC = dt.timezone.utc
U1 = uuid.UUID("12345678-1234-5678-9abc-def012345678")
U2 = uuid.UUID("00000000-0000-0000-0000-000000000000")

SCHEMA: list[dict[str, Any]] = [
    {"name": "b", "type": "boolean", "nullable": True},
    {"name": "i8", "type": "int8", "nullable": True},
    {"name": "i16", "type": "int16", "nullable": True},
    {"name": "i32", "type": "int32", "nullable": True},
    {"name": "i64", "type": "int64", "nullable": True},
    {"name": "u8", "type": "uint8", "nullable": True},
    {"name": "u16", "type": "uint16", "nullable": True},
    {"name": "u32", "type": "uint32", "nullable": True},
    {"name": "u64", "type": "uint64", "nullable": True},
    {"name": "f32", "type": "float32", "nullable": True},
    {"name": "f64", "type": "float64", "nullable": True},
    {"name": "s", "type": "string", "nullable": True},
    {"name": "bin", "type": "binary", "nullable": True},
    {"name": "fb", "type": "fixed_binary", "length": 4, "nullable": True},
    {"name": "d", "type": "date", "nullable": True},
    {"name": "tms", "type": "time_ms", "nullable": True},
    {"name": "tus", "type": "time_us", "nullable": True},
    {"name": "tns", "type": "time_ns", "nullable": True},
    {"name": "tsms", "type": "timestamp_ms", "nullable": True},
    {"name": "tsus", "type": "timestamp_us", "nullable": True},
    {"name": "tsns", "type": "timestamp_ns", "nullable": True},
    {"name": "tslocal", "type": "timestamp_us", "utc": False, "nullable": True},
    {"name": "dec", "type": "decimal", "precision": 12, "scale": 2, "nullable": True},
    {"name": "dec38", "type": "decimal", "precision": 38, "scale": 10, "nullable": True},
    {"name": "u", "type": "uuid", "nullable": True},
    {"name": "j", "type": "json", "nullable": True},
]

# Records as JSON-native values (what an API would hand over), one per interesting case.
RECORDS: list[dict[str, Any]] = [
    {
        "b": True, "i8": -128, "i16": -32768, "i32": -(2**31), "i64": -(2**63),
        "u8": 255, "u16": 65535, "u32": 2**32 - 1, "u64": 2**64 - 1,
        "f32": 1.5, "f64": -0.0, "s": "héllo ✓", "bin": "AAEC/w==", "fb": "3q2+7w==",
        "d": "2024-02-29", "tms": "23:59:59.999", "tus": "00:00:00.000001", "tns": "12:34:56.123456789",
        "tsms": "2024-01-02T03:04:05.678Z", "tsus": "1969-12-31T23:59:59.999999Z",
        "tsns": "2024-01-02T03:04:05.123456789+00:00", "tslocal": "2024-06-01T12:00:00Z",
        "dec": "1234567890.12", "dec38": "-1234567890123456789012345678.0123456789",
        "u": str(U1), "j": {"a": [1, 2.5, None, "x"], "b": {"c": True}},
    },
    {
        "b": False, "i8": 127, "i16": 32767, "i32": 2**31 - 1, "i64": 2**63 - 1,
        "u8": 0, "u16": 0, "u32": 0, "u64": 0,
        "f32": "NaN", "f64": "Infinity", "s": "", "bin": "", "fb": "AAAAAA==",
        "d": 0, "tms": 0, "tus": 86_399_999_999, "tns": 1,
        "tsms": 0, "tsus": -1, "tsns": 1_700_000_000_123_456_789, "tslocal": 0,
        "dec": -0.05, "dec38": 0, "u": str(U2), "j": [1, "two", None],
    },
    {
        "b": None, "f32": "-Infinity", "f64": "NaN", "j": "just a string",
        "dec": 12, "d": -1, "s": None,
    },
    {},  # every key missing: all null
]

NANOS = {"tns": [45_296_123_456_789, 1, None, None], "tsns": [1_704_164_645_123_456_789, 1_700_000_000_123_456_789, None, None]}


def expected_columns() -> dict[str, list[Any]]:
    return {
        "b": [True, False, None, None],
        "i8": [-128, 127, None, None],
        "i16": [-32768, 32767, None, None],
        "i32": [-(2**31), 2**31 - 1, None, None],
        "i64": [-(2**63), 2**63 - 1, None, None],
        "u8": [255, 0, None, None],
        "u16": [65535, 0, None, None],
        "u32": [2**32 - 1, 0, None, None],
        "u64": [2**64 - 1, 0, None, None],
        "f32": [1.5, math.nan, -math.inf, None],
        "f64": [-0.0, math.inf, math.nan, None],
        "s": ["héllo ✓", "", None, None],
        "bin": [b"\x00\x01\x02\xff", b"", None, None],
        "fb": [b"\xde\xad\xbe\xef", b"\x00\x00\x00\x00", None, None],
        "d": [dt.date(2024, 2, 29), dt.date(1970, 1, 1), dt.date(1969, 12, 31), None],
        "tms": [dt.time(23, 59, 59, 999000), dt.time(0), None, None],
        "tus": [dt.time(0, 0, 0, 1), dt.time(23, 59, 59, 999999), None, None],
        "tsms": [dt.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC), dt.datetime(1970, 1, 1, tzinfo=UTC), None, None],
        "tsus": [dt.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)] * 2 + [None, None],
        "tslocal": [dt.datetime(2024, 6, 1, 12), dt.datetime(1970, 1, 1), None, None],
        "dec": [Decimal("1234567890.12"), Decimal("-0.05"), Decimal("12.00"), None],
        "dec38": [Decimal("-1234567890123456789012345678.0123456789"), Decimal("0E-10"), None, None],
        "u": [U1, U2, None, None],
        "j": ['{"a":[1,2.5,null,"x"],"b":{"c":true}}', '[1,"two",null]', '"just a string"', None],
    }


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a.as_tuple() == b.as_tuple()
    return type(a) is type(b) and a == b


def assert_columns(table: pa.Table, expected: dict[str, list[Any]]) -> None:
    for name, values in expected.items():
        actual = table.column(name).to_pylist()
        assert len(actual) == len(values), name
        for row, (want, got) in enumerate(zip(values, actual)):
            assert same(want, got), f"{name}[{row}]: expected {want!r}, got {got!r}"
    for name, values in NANOS.items():
        assert table.column(name).cast(pa.int64()).to_pylist() == values, name


def test_every_type_round_trips(out_dir: Path) -> None:
    path = out_dir / "types.parquet"
    with Writer(path, SCHEMA, compression="zstd") as w:
        result = w.write(RECORDS)
    assert (result.rows_written, result.rows_rejected, result.errors) == (4, 0, [])
    table = pq.read_table(path)
    assert table.num_rows == 4
    assert table.schema.field("fb").type == pa.binary(4)
    assert table.schema.field("dec").type == pa.decimal128(12, 2)
    assert table.schema.field("tsns").type == pa.timestamp("ns", tz="UTC")
    assert table.schema.field("tslocal").type == pa.timestamp("us")
    assert table.schema.field("u").type == pa.uuid()
    assert table.schema.field("j").type == pa.json_()
    assert table.schema.field("u64").type == pa.uint64()
    assert_columns(table, expected_columns())


@pytest.mark.parametrize("compression", ["snappy", "zstd", "gzip", "lz4_raw", "brotli", "none"])
def test_every_type_with_each_compression_and_no_dictionary(out_dir: Path, compression: str) -> None:
    path = out_dir / f"types-{compression}.parquet"
    with Writer(path, SCHEMA, compression=compression, dictionary=False, page_bytes=64) as w:
        w.write(RECORDS * 50)
    table = pq.read_table(path)
    expected = {name: values * 50 for name, values in expected_columns().items()}
    assert table.num_rows == 200
    assert_columns(table.slice(0, 4), expected_columns())
    assert table.column("i64").to_pylist() == expected["i64"]


def test_python_values_serialise(out_dir: Path) -> None:
    """datetime (aware, naive = UTC), date, time, Decimal, UUID, bytes, NaN/Infinity as Python objects."""
    path = out_dir / "python.parquet"
    plus2 = dt.timezone(dt.timedelta(hours=2))
    records = [
        {
            "tsus": dt.datetime(2024, 1, 2, 5, 4, 5, 123456, tzinfo=plus2),
            "tsms": dt.datetime(2024, 1, 2, 3, 4, 5, 678000),  # naive: taken as UTC
            "tslocal": dt.datetime(2024, 6, 1, 12, 0, 0),
            "d": dt.date(2024, 2, 29),
            "tms": dt.time(23, 59, 59, 999000),
            "tus": dt.time(0, 0, 0, 1),
            "dec": Decimal("1234567890.12"),
            "dec38": Decimal("-1234567890123456789012345678.0123456789"),
            "u": U1,
            "bin": b"\x00\x01\x02\xff",
            "fb": bytearray(b"\xde\xad\xbe\xef"),
            "f32": math.nan,
            "f64": math.inf,
            "j": {"when": "now", "n": [1, 2]},
        },
        {
            "tsus": dt.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
            "dec": Decimal("1E+1"),  # exponent form: written positionally, "10"
            "dec38": Decimal("0.0000000001"),
            "u": U2,
            "bin": memoryview(b"xyz"),
            "f32": -math.inf,
            "f64": -math.inf,
            "tms": dt.time(0),
        },
    ]
    with Writer(path, SCHEMA) as w:
        w.write(records)
    t = pq.read_table(path)
    assert t.column("tsus").to_pylist() == [
        dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
        dt.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ]
    assert t.column("tsms").to_pylist() == [dt.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC), None]
    assert t.column("tslocal").to_pylist() == [dt.datetime(2024, 6, 1, 12), None]
    assert t.column("d").to_pylist() == [dt.date(2024, 2, 29), None]
    assert t.column("tms").to_pylist() == [dt.time(23, 59, 59, 999000), dt.time(0)]
    assert t.column("tus").to_pylist() == [dt.time(0, 0, 0, 1), None]
    assert t.column("dec").to_pylist() == [Decimal("1234567890.12"), Decimal("10.00")]
    assert t.column("dec38").to_pylist() == [
        Decimal("-1234567890123456789012345678.0123456789"),
        Decimal("1E-10"),
    ]
    assert t.column("u").to_pylist() == [U1, U2]
    assert t.column("bin").to_pylist() == [b"\x00\x01\x02\xff", b"xyz"]
    assert t.column("fb").to_pylist() == [b"\xde\xad\xbe\xef", None]
    f32, f64 = t.column("f32").to_pylist(), t.column("f64").to_pylist()
    assert math.isnan(f32[0]) and f32[1] == -math.inf
    assert f64 == [math.inf, -math.inf]
    assert t.column("j").to_pylist() == ['{"when":"now","n":[1,2]}', None]


def test_duckdb_reads_the_file(out_dir: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    path = out_dir / "duck.parquet"
    with Writer(path, SCHEMA, compression="snappy") as w:
        w.write(RECORDS)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    row = con.execute(
        "SELECT count(*), count(i64), sum(i32), max(s), min(d), sum(dec), any_value(u) FILTER (WHERE u IS NOT NULL), "
        "max(epoch_ns(tsns)) FROM read_parquet(?)",
        [str(path)],
    ).fetchone()
    assert row is not None
    count, count_i64, sum_i32, max_s, min_d, sum_dec, some_u, max_tsns = row
    assert (count, count_i64, sum_i32) == (4, 2, -1)
    assert max_s == "héllo ✓"
    assert min_d == dt.date(1969, 12, 31)
    assert sum_dec == Decimal("1234567902.07")
    assert some_u in (U1, U2)
    assert max_tsns == 1_704_164_645_123_456_789


@pytest.mark.parametrize("backend", ["orjson", "json"])
def test_arrow_map_forms_from_to_pylist(out_dir: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`Table.to_pylist()` gives maps as lists of (key, value) tuples: written as the maps they are."""
    if backend == "json":
        monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson now raises ImportError
    else:
        pytest.importorskip("orjson")
    arrow = pa.schema([("id", pa.int64()), ("m", pa.map_(pa.int32(), pa.string()))])
    table = pa.Table.from_pylist(
        [{"id": 1, "m": [(1, "a"), (-2, None)]}, {"id": 2, "m": []}, {"id": 3, "m": None}], schema=arrow)
    path = out_dir / f"maps_{backend}.parquet"
    schema = [("id", "int64"), ("m", {"type": "map", "keys": {"type": "int32"}, "values": {"type": "string"}})]
    with Writer(str(path), schema) as writer:
        assert writer.serializer == backend
        writer.write(table.to_pylist())
    assert pq.read_table(path).to_pylist() == table.to_pylist()
