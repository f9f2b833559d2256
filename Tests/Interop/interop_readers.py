"""What each reader (pyarrow, DuckDB, polars) must return for a spec field and canonical value.

The behaviours pinned here were observed with pyarrow 26.0.1, duckdb 2.0.0, polars 2.1.0 on
files without an ARROW:schema blob (the Swift writer writes none; the reference writer neither).

pyarrow  `pq.read_table(path, arrow_extensions_enabled=True)` (the default since pyarrow 22):
         UUID -> `pa.uuid()` (values uuid.UUID), JSON -> `pa.json_()` (values str); with
         arrow_extensions_enabled=False they are fixed_size_binary(16) / string. Logical types map
         1:1 (int8 -> int8, uint64 -> uint64, date32, time32('ms'), time64('us'|'ns'),
         timestamp(unit, tz='UTC' if isAdjustedToUTC else None), decimal128(p, s)).
         Without pandas, to_pylist() of a nanosecond time/timestamp raises for values that are not
         whole microseconds, so nanosecond columns are compared as integers only.
DuckDB   TIME(MILLIS|MICROS) -> TIME, TIME(NANOS) -> TIME_NS; TIMESTAMP(MILLIS|MICROS) ->
         TIMESTAMP / TIMESTAMP WITH TIME ZONE (stored as microseconds), TIMESTAMP(NANOS) ->
         TIMESTAMP_NS / TIMESTAMPTZ_NS. UUID -> UUID (uuid.UUID), JSON -> JSON (str), other
         FIXED_LEN_BYTE_ARRAY -> BLOB. Python values of *_NS columns are datetime/time truncated
         TOWARDS ZERO to microseconds (-1 ns -> 1970-01-01 00:00:00); exact values are checked
         with epoch_ns(). TIMESTAMPTZ values need pytz and come back in the session TimeZone
         (the suite sets UTC).
polars   `pl.read_parquet`: Time is nanoseconds only (time_ms/us are widened to ns); Datetime
         keeps the unit and tz ('UTC' or None); UUID and JSON both come back as Binary (polars
         maps neither logical type without an ARROW:schema); fixed_binary -> Binary.
         to_list() of ns values FLOORS to microseconds (-1 ns -> 1969-12-31 23:59:59.999999).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from interop_spec import (
    TIME_TYPES,
    TIMESTAMP_TYPES,
    UNIT_PER_SECOND,
    Field,
    Value,
    unit_of,
)

EPOCH = dt.datetime(1970, 1, 1)
EPOCH_DATE = dt.date(1970, 1, 1)
UTC = dt.timezone.utc
READERS = ("pyarrow", "duckdb", "polars")

# ------------------------------------------------------------------------------------------
# types


def pyarrow_type(f: Field, extensions: bool = True) -> pa.DataType:
    t = f.type
    simple = {
        "boolean": pa.bool_(), "int8": pa.int8(), "int16": pa.int16(), "int32": pa.int32(),
        "int64": pa.int64(), "uint8": pa.uint8(), "uint16": pa.uint16(), "uint32": pa.uint32(),
        "uint64": pa.uint64(), "float32": pa.float32(), "float64": pa.float64(),
        "string": pa.string(), "binary": pa.binary(), "date": pa.date32(),
        "time_ms": pa.time32("ms"), "time_us": pa.time64("us"), "time_ns": pa.time64("ns"),
    }
    if t in simple:
        return simple[t]
    if t == "fixed_binary":
        return pa.binary(f.length or 0)
    if t in TIMESTAMP_TYPES:
        return pa.timestamp(unit_of(t), tz="UTC" if f.is_utc else None)
    if t == "decimal":
        return pa.decimal128(f.precision or 0, f.scale or 0)
    if t == "uuid":
        return pa.uuid() if extensions else pa.binary(16)
    assert t == "json"
    return pa.json_() if extensions else pa.string()


def duckdb_type(f: Field) -> str:
    t = f.type
    simple = {
        "boolean": "BOOLEAN", "int8": "TINYINT", "int16": "SMALLINT", "int32": "INTEGER",
        "int64": "BIGINT", "uint8": "UTINYINT", "uint16": "USMALLINT", "uint32": "UINTEGER",
        "uint64": "UBIGINT", "float32": "FLOAT", "float64": "DOUBLE", "string": "VARCHAR",
        "binary": "BLOB", "fixed_binary": "BLOB", "date": "DATE", "time_ms": "TIME",
        "time_us": "TIME", "time_ns": "TIME_NS", "uuid": "UUID", "json": "JSON",
    }
    if t in simple:
        return simple[t]
    if t == "decimal":
        return f"DECIMAL({f.precision},{f.scale or 0})"
    if t == "timestamp_ns":
        return "TIMESTAMPTZ_NS" if f.is_utc else "TIMESTAMP_NS"
    assert t in TIMESTAMP_TYPES
    return "TIMESTAMP WITH TIME ZONE" if f.is_utc else "TIMESTAMP"


def polars_dtype(f: Field) -> pl.DataType:
    t = f.type
    simple: dict[str, Any] = {
        "boolean": pl.Boolean, "int8": pl.Int8, "int16": pl.Int16, "int32": pl.Int32,
        "int64": pl.Int64, "uint8": pl.UInt8, "uint16": pl.UInt16, "uint32": pl.UInt32,
        "uint64": pl.UInt64, "float32": pl.Float32, "float64": pl.Float64, "string": pl.String,
        "binary": pl.Binary, "fixed_binary": pl.Binary, "uuid": pl.Binary, "json": pl.Binary,
        "date": pl.Date, "time_ms": pl.Time, "time_us": pl.Time, "time_ns": pl.Time,
    }
    if t in simple:
        return simple[t]()
    if t == "decimal":
        return pl.Decimal(f.precision, f.scale or 0)
    assert t in TIMESTAMP_TYPES
    return pl.Datetime(unit_of(t), "UTC" if f.is_utc else None)


# ------------------------------------------------------------------------------------------
# Python values


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // b
    return q if a >= 0 else -q


def to_micros(f: Field, v: int, rounding: str) -> int:
    """A time_*/timestamp_* value in microseconds ('floor' or 'trunc' for sub-µs units)."""
    unit = unit_of(f.type)
    if unit == "ms":
        return v * 1000
    if unit == "us":
        return v
    return v // 1000 if rounding == "floor" else _trunc_div(v, 1000)


def py_time(us: int) -> dt.time:
    s, micro = divmod(us, 1_000_000)
    h, rem = divmod(s, 3600)
    return dt.time(h, rem // 60, rem % 60, micro)


def py_timestamp(f: Field, us: int) -> dt.datetime:
    naive = EPOCH + dt.timedelta(microseconds=us)
    return naive.replace(tzinfo=UTC) if f.is_utc else naive


def py_decimal(f: Field, unscaled: int) -> Decimal:
    digits = tuple(int(d) for d in str(abs(unscaled)))
    return Decimal((1 if unscaled < 0 else 0, digits, -(f.scale or 0)))


def expected_python(reader: str, f: Field, v: Value) -> Any:
    """The Python value `reader` hands back for canonical `v` (None: compared as integers only)."""
    if v is None:
        return None
    t = f.type
    if t == "date":
        return EPOCH_DATE + dt.timedelta(days=v)
    if t in TIME_TYPES or t in TIMESTAMP_TYPES:
        if reader == "pyarrow" and unit_of(t) == "ns":
            return NotImplemented  # see module doc: compared as integers
        us = to_micros(f, v, "trunc" if reader == "duckdb" else "floor")
        return py_time(us) if t in TIME_TYPES else py_timestamp(f, us)
    if t == "decimal":
        return py_decimal(f, v)
    if t == "uuid":
        return uuid.UUID(bytes=v) if reader in ("pyarrow", "duckdb") else v
    if t == "json":
        return v.encode("utf-8") if reader == "polars" else v
    return v  # bool, int, float, str, bytes


def expected_int(reader: str, f: Field, v: Value) -> int | None:
    """The exact integer each reader exposes for temporal values (see read_* below)."""
    if v is None:
        return None
    t = f.type
    if reader == "polars" and t in TIME_TYPES:
        return v * (UNIT_PER_SECOND["ns"] // UNIT_PER_SECOND[unit_of(t)])  # Time is ns
    return v


def same(expected: Any, actual: Any) -> bool:
    """Exact equality: same Python type, NaN == NaN, -0.0 != 0.0, same tz-awareness,
    Decimals with the same digits and exponent."""
    if expected is None or actual is None:
        return expected is None and actual is None
    if type(expected) is not type(actual):
        return False
    if isinstance(expected, float):
        if math.isnan(expected) or math.isnan(actual):
            return math.isnan(expected) and math.isnan(actual)
        return expected == actual and math.copysign(1.0, expected) == math.copysign(1.0, actual)
    if isinstance(expected, Decimal):
        return expected.as_tuple() == actual.as_tuple()
    if isinstance(expected, dt.datetime):
        if (expected.tzinfo is None) != (actual.tzinfo is None):
            return False
        if expected.tzinfo is not None and actual.utcoffset() != dt.timedelta(0):
            return False
        return expected == actual
    return bool(expected == actual)


# ------------------------------------------------------------------------------------------
# reading


class Column:
    """What one reader returned for one column."""

    def __init__(self, type_: Any, values: list[Any], ints: list[int | None] | None = None):
        self.type = type_
        self.values = values
        self.ints = ints  # exact temporal integers, where the reader exposes them


def unit_of_or_none(t: str) -> str | None:
    return unit_of(t) if t in TIME_TYPES or t in TIMESTAMP_TYPES else None


def _is_temporal(t: str) -> bool:
    return t == "date" or t in TIME_TYPES or t in TIMESTAMP_TYPES


# (reader, field encoding, physical type) -> what the reader's error says. Only genuine reader
# gaps belong here, checked with the versions pinned in requirements.txt when this was written;
# format 2.11 allows both and pyarrow reads every one.
UNREADABLE = {
    # "BYTE_STREAM_SPLIT encoding is only supported for FLOAT, DOUBLE, INT32 or INT64 data"
    ("duckdb", "byte_stream_split", "FIXED_LEN_BYTE_ARRAY"): "BYTE_STREAM_SPLIT encoding is only supported",
    # "Decoding FixedLenByteArray(16) "ByteStreamSplit"-encoded required parquet pages not yet supported"
    ("polars", "byte_stream_split", "FIXED_LEN_BYTE_ARRAY"): "ByteStreamSplit.*not yet supported",
    ("polars", "delta_byte_array", "FIXED_LEN_BYTE_ARRAY"): "DeltaByteArray.*not yet supported",
}
READER_VERSIONS = {"pyarrow": pa.__version__, "duckdb": duckdb.__version__, "polars": pl.__version__}


def unreadable(reader: str, fields: list[Field]) -> str | None:
    """The error `reader` is known to raise on a file with these fields (a regular expression),
    or None when it reads them."""
    for f in fields:
        match = UNREADABLE.get((reader, f.encoding, f.physical_type))
        if match:
            return match
    return None


def read_pyarrow(path: str, fields: list[Field]) -> dict[str, Column]:
    table = pq.read_table(path, arrow_extensions_enabled=True)
    out: dict[str, Column] = {}
    for f in fields:
        col = table.column(f.name).combine_chunks() if table.num_rows else table.column(f.name)
        ints = None
        if _is_temporal(f.type):
            storage = pa.int32() if f.type in ("date", "time_ms") else pa.int64()
            ints = col.cast(storage).to_pylist()
        if unit_of_or_none(f.type) == "ns":
            values = [NotImplemented] * len(col)  # to_pylist() raises without pandas: ints only
        else:
            values = col.to_pylist()
        out[f.name] = Column(col.type, values, ints)
    return out


def duckdb_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    return con


def read_duckdb(con: duckdb.DuckDBPyConnection, path: str, fields: list[Field]) -> dict[str, Column]:
    rel = con.execute("SELECT * FROM read_parquet(?)", [path])
    types = {d[0]: str(d[1]) for d in rel.description}
    rows = rel.fetchall()
    names = [d[0] for d in rel.description]
    out: dict[str, Column] = {}
    ns_cols = [f.name for f in fields if unit_of_or_none(f.type) == "ns"]
    ns_ints: dict[str, list[int | None]] = {}
    if ns_cols:
        # epoch_ns() is exact for TIMESTAMP_NS, TIMESTAMPTZ_NS and TIME_NS.
        select = ", ".join(f'epoch_ns("{c}")' for c in ns_cols)
        ns_rows = con.execute(f"SELECT {select} FROM read_parquet(?)", [path]).fetchall()
        for j, c in enumerate(ns_cols):
            ns_ints[c] = [r[j] for r in ns_rows]
    for f in fields:
        j = names.index(f.name)
        out[f.name] = Column(types[f.name], [r[j] for r in rows], ns_ints.get(f.name))
    return out


def read_polars(path: str, fields: list[Field]) -> dict[str, Column]:
    df = pl.read_parquet(path)
    out: dict[str, Column] = {}
    for f in fields:
        s = df.get_column(f.name)
        ints = s.to_physical().to_list() if _is_temporal(f.type) else None
        out[f.name] = Column(s.dtype, s.to_list(), ints)
    return out


def expected_type(reader: str, f: Field) -> Any:
    if reader == "pyarrow":
        return pyarrow_type(f)
    if reader == "duckdb":
        return duckdb_type(f)
    return polars_dtype(f)


def types_equal(reader: str, expected: Any, actual: Any) -> bool:
    if reader == "polars":
        # pl.Datetime('ns', None) == pl.Datetime('ns', 'UTC') is lenient in polars; compare repr.
        return repr(expected) == repr(actual)
    return bool(expected == actual)


def compare_column(reader: str, f: Field, values: list[Value], got: Column) -> list[str]:
    """Human-readable mismatches for one column (empty when everything matches)."""
    problems: list[str] = []
    exp_type = expected_type(reader, f)
    if not types_equal(reader, exp_type, got.type):
        problems.append(f"{f.name}: type {got.type!r}, expected {exp_type!r}")
    if len(got.values) != len(values):
        return problems + [f"{f.name}: {len(got.values)} values, expected {len(values)}"]
    for i, v in enumerate(values):
        if got.values[i] is NotImplemented:
            continue  # compared as integers below
        exp = expected_python(reader, f, v)
        if not same(exp, got.values[i]):
            problems.append(f"{f.name}[{i}]: {got.values[i]!r}, expected {exp!r} (from {v!r})")
        if len(problems) > 8:
            break
    needs_ints = _is_temporal(f.type) and (reader != "duckdb" or unit_of_or_none(f.type) == "ns")
    if needs_ints:
        exp_ints = [expected_int(reader, f, v) for v in values]
        if got.ints != exp_ints:
            bad = [i for i, (a, b) in enumerate(zip(got.ints or [], exp_ints)) if a != b][:5]
            problems.append(f"{f.name}: integer values differ at rows {bad}: "
                            f"{[(got.ints or [None] * len(values))[i] for i in bad]} vs {[exp_ints[i] for i in bad]}")
    return problems
