"""What each reader (pyarrow, DuckDB, polars, Spark, fastparquet) must return for a spec field and
canonical value.

The behaviours pinned here were observed with pyarrow 26.0.1, duckdb 2.0.0, polars 2.1.0,
pyspark 4.3.0 (Spark 4.3.0, parquet-java 1.17.0, OpenJDK 17) and fastparquet 2026.9.0 (pandas
3.1.1, numpy 2.4) on files without an ARROW:schema blob (the Swift writer writes none; the
reference writer neither). Every Spark and fastparquet quirk below was checked to be the same on
the pyarrow reference writer's file of the same spec (PARQUET_INTEROP_REFERENCE), except where
said.

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
spark    `spark.read.parquet` in ONE local SparkSession (conftest.py `spark`, session time zone
         UTC), with the vectorized reader ("spark") and with the parquet-java row reader
         ("spark-rows": spark.sql.parquet.enableVectorizedReader=false, set per query); both
         return the same values. Schema inference converts EVERY column of the footer, so one
         column Spark cannot map makes the whole file unreadable by inference:
           * INT32 TIME(MILLIS) is refused always: [PARQUET_TYPE_ILLEGAL] Illegal Parquet type:
             INT32 (TIME(MILLIS,false)), also with spark.sql.timeType.enabled;
           * FIXED_LEN_BYTE_ARRAY (UUID) is refused always: [PARQUET_TYPE_ILLEGAL];
           * INT64 TIME(MICROS|NANOS) is refused ([UNSUPPORTED_TIME_TYPE]) unless
             spark.sql.timeType.enabled=true, then it is time(6) / time(9) (Python datetime.time,
             nanoseconds truncated; exact through CAST(col AS STRING) '23:59:59.999999999');
           * INT64 TIMESTAMP(NANOS) is refused ([PARQUET_TYPE_ILLEGAL] ... TIMESTAMP(NANOS,true|false))
             unless spark.sql.legacy.parquet.nanosAsLong=true, then it is bigint, the raw
             nanoseconds, for UTC-adjusted and local alike.
         So the matrix is read with an explicit schema (spark.read.schema(DDL)) of the columns
         Spark can map, with timeType and nanosAsLong on for the query; Spark then reads only
         those columns. The inferred types are checked per column (test_read_spark_fastparquet.py)
         and on every file whose columns Spark can all map. Mapping: int8 -> tinyint, int16 ->
         smallint, uint8 -> smallint, uint16 -> int, uint32 -> bigint, uint64 -> decimal(20,0),
         float32 -> float, string/JSON -> string, binary/fixed_binary -> binary,
         TIMESTAMP(isAdjustedToUTC=true) -> timestamp, isAdjustedToUTC=false -> timestamp_ntz
         (spark.sql.parquet.inferTimestampNTZ.enabled, default on), decimal(p,s) -> decimal(p,s).
         Every column infers as nullable, required ones too.
         Python values: collect() turns a `timestamp` into a NAIVE datetime in the Python
         process's local zone (datetime.fromtimestamp; 0001-01-01 raises "year 0 is out of
         range"), whatever the session zone: timestamps are compared as unix_millis()/
         unix_micros() integers only. timestamp_ntz collects as the naive datetime (exact).
         Decimals collect with the right value but not always the scale as exponent
         (Decimal('-1.00E-10') for unscaled -1 at scale 10), so they are compared as
         Decimal(CAST(col AS STRING)), which keeps every digit of the scale. Dates are exact
         (0001-01-01 too: no calendar rebase for files not written by Spark).
fastparquet  `fastparquet.ParquetFile(f).to_pandas()` (pandas 3 dtypes): integer and boolean
         columns are pandas' masked dtypes (Int8..UInt64, boolean) when some row group's
         statistics count nulls, else numpy (int8..uint64, bool; so a nullable column of zero
         rows or without nulls too); nulls of float and decimal columns are NaN; decimals are
         float64 (unscaled * 10**-scale, rounded: lossy beyond 15-17 digits). A string (UTF8)
         column whose data pages are ALL PLAIN is pandas' Arrow-backed str dtype (nulls NaN),
         else object; and where a column has dictionary AND PLAIN data pages (a dictionary
         that fell back to PLAIN), the rows of its PLAIN pages read as None (fastparquet
         collects PLAIN pages in an Arrow accumulator it drops unless that covers every row):
         pinned from the page headers, and the same on pyarrow's dict-fallback file, which
         loses 17,952 of 20,000 values. RLE-encoded BOOLEAN data pages are misdecoded (3,000
         values, 1,808 True of the 2,250 expected, wrong rows) exactly as on pyarrow's file
         written with column_encoding RLE (test_read_matrix.py checks both read alike and
         skips). JSON values are DECODED
         (json.loads: '"é🎉"' -> 'é🎉', 'null' -> None, '123' -> 123); FIXED_LEN_BYTE_ARRAY
         (fixed_binary, UUID) values lose their trailing NUL bytes (numpy 'S' dtype:
         b"\x00" * 16 -> b"", b"\x80" + 15 NULs -> b"\x80"); DATE is datetime64[ns] computed
         as days * 86_400 * 10**9 in int64, so dates outside 1677-09-21..2262-04-11 WRAP
         silently (0001-01-01 -> 1754-08-30 22:43:41.128654848); timestamps keep their unit
         (datetime64[ms|us|ns]) and are tz-NAIVE even when isAdjustedToUTC; TIME(NANOS) is plain
         Int64; TIME(MILLIS|MICROS) is timedelta64[ms|us] when the column carries the legacy
         TIME_MILLIS / TIME_MICROS converted type, which the Parquet spec (LogicalTypes.md,
         "Deprecated time ConvertedType") says writers MUST add to local times too and our
         writer does; pyarrow 26 adds none to isAdjustedToUTC=false times, so fastparquet reads
         the reference writer's times as plain Int32 / Int64 (same integers).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import math
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import duckdb
import fastparquet
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from parquet_footer import read_footer, read_pages
from interop_spec import (
    TIME_TYPES,
    TIMESTAMP_TYPES,
    UNIT_PER_SECOND,
    Field,
    Value,
    unit_of,
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

EPOCH = dt.datetime(1970, 1, 1)
EPOCH_DATE = dt.date(1970, 1, 1)
UTC = dt.timezone.utc
READERS = ("pyarrow", "duckdb", "polars", "spark", "spark-rows", "fastparquet")
SPARK_READERS = ("spark", "spark-rows")

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


# Why Spark cannot map a type at all (see the module doc); checked on pyarrow's files too.
SPARK_UNMAPPABLE = {
    "time_ms": "Spark 4.3.0 refuses INT32 TIME(MILLIS) ([PARQUET_TYPE_ILLEGAL]), with or without "
               "spark.sql.timeType.enabled; pyarrow's file fails the same way",
    "uuid": "Spark 4.3.0 refuses FIXED_LEN_BYTE_ARRAY (UUID) ([PARQUET_TYPE_ILLEGAL]); pyarrow's "
            "file fails the same way",
}
# The session conf of every Spark read of the matrix: without them Spark refuses TIME(MICROS|NANOS)
# ([UNSUPPORTED_TIME_TYPE]) and TIMESTAMP(NANOS) ([PARQUET_TYPE_ILLEGAL]); pinned in
# test_read_spark_fastparquet.py.
SPARK_READ_CONF = {"spark.sql.timeType.enabled": "true", "spark.sql.legacy.parquet.nanosAsLong": "true"}


def spark_type(f: Field) -> str | None:
    """Spark's simpleString for the column (under SPARK_READ_CONF), None when Spark cannot map it."""
    t = f.type
    if t in SPARK_UNMAPPABLE:
        return None
    simple = {
        "boolean": "boolean", "int8": "tinyint", "int16": "smallint", "int32": "int",
        "int64": "bigint", "uint8": "smallint", "uint16": "int", "uint32": "bigint",
        "uint64": "decimal(20,0)", "float32": "float", "float64": "double", "string": "string",
        "json": "string", "binary": "binary", "fixed_binary": "binary", "date": "date",
        "time_us": "time(6)", "time_ns": "time(9)", "timestamp_ns": "bigint",
    }
    if t in simple:
        return simple[t]
    if t == "decimal":
        return f"decimal({f.precision},{f.scale or 0})"
    assert t in ("timestamp_ms", "timestamp_us"), t
    return "timestamp" if f.is_utc else "timestamp_ntz"


def fastparquet_dtype(f: Field, values: list[Value], reference: bool = False,
                      plain_rows: list[bool] | None = None) -> str:
    """str(dtype) of the pandas column fastparquet returns. `reference`: the file is pyarrow's,
    whose local TIME columns carry no legacy converted type (module doc). `plain_rows`: per row,
    whether its data page is PLAIN-encoded (string columns; see read_fastparquet)."""
    t = f.type
    # Integer and boolean columns are pandas' masked dtypes only when a row group's statistics
    # count nulls (or are missing); the writers under test always write null_count.
    masked = any(v is None for v in values)
    if t == "boolean":
        return "boolean" if masked else "bool"
    if t.startswith("int") or t.startswith("uint"):
        return t.capitalize().replace("Uint", "UInt") if masked else t
    if t in ("float32", "float64"):
        return t
    if t == "decimal":
        return "float64"
    if t == "string":
        return "str" if plain_rows and all(plain_rows) else "object"
    if t in ("binary", "fixed_binary", "uuid", "json"):
        return "object"
    if t == "date":
        return "datetime64[ns]"
    if t == "time_ns" or (reference and t in ("time_ms", "time_us")):
        storage = "Int32" if t == "time_ms" else "Int64"
        return storage if masked else storage.lower()
    if t in TIME_TYPES:
        return f"timedelta64[{unit_of(t)}]"
    assert t in TIMESTAMP_TYPES
    return f"datetime64[{unit_of(t)}]"  # tz-naive, UTC-adjusted or not


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


def _wrap_int64(v: int) -> int:
    return (v + 2**63) % 2**64 - 2**63


def expected_python(reader: str, f: Field, v: Value) -> Any:
    """The Python value `reader` hands back for canonical `v` (NotImplemented: compared as
    integers only)."""
    if reader in SPARK_READERS:
        return _expected_spark(f, v)
    if reader == "fastparquet":
        return _expected_fastparquet(f, v)
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


def _expected_spark(f: Field, v: Value) -> Any:
    t = f.type
    if v is None:
        return None
    if t == "date":
        return EPOCH_DATE + dt.timedelta(days=v)
    if t in TIME_TYPES:
        return py_time(to_micros(f, v, "floor"))  # truncated; times are never negative
    if t in TIMESTAMP_TYPES:
        if unit_of(t) == "ns":
            return v  # bigint under nanosAsLong
        return NotImplemented if f.is_utc else py_timestamp(f, to_micros(f, v, "floor"))
    if t in ("decimal", "uint64"):
        return py_decimal(f, v) if t == "decimal" else Decimal(v)
    return v  # bool, int, float, str (string and JSON), bytes (binary, fixed_binary)


def _expected_fastparquet(f: Field, v: Value) -> Any:
    t = f.type
    if v is None:
        return float("nan") if t in ("float32", "float64", "decimal") else None
    if _is_temporal(t):
        return NotImplemented  # compared as integers
    if t == "decimal":
        scale = f.scale or 0
        return float(v) * 10**-scale if scale else float(v)
    if t in ("fixed_binary", "uuid"):
        return v.rstrip(b"\x00")
    if t == "json":
        return json.loads(v)
    return v


def expected_int(reader: str, f: Field, v: Value) -> int | None:
    """The exact integer each reader exposes for temporal values (see read_* below)."""
    if v is None:
        return None
    t = f.type
    if reader == "fastparquet" and t == "date":
        return _wrap_int64(v * 86_400 * 10**9)  # datetime64[ns], computed in int64
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


NOT_INFERRED = object()  # Column.type of a Spark column read with an explicit schema


class Column:
    """What one reader returned for one column."""

    def __init__(self, type_: Any, values: list[Any], ints: list[int | None] | None = None,
                 plain_rows: list[bool] | None = None):
        self.type = type_
        self.values = values
        self.ints = ints  # exact temporal integers, where the reader exposes them
        self.plain_rows = plain_rows  # fastparquet, string columns: row in a PLAIN data page?


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
    # fastparquet 2026.9.0 decodes neither BYTE_STREAM_SPLIT (9), DELTA_BYTE_ARRAY (7) nor
    # DELTA_LENGTH_BYTE_ARRAY (6), on any type: `NotImplementedError: Encoding 9` from its page
    # decoder (the same on pyarrow's files).
    **{("fastparquet", "byte_stream_split", physical): "Encoding 9"
       for physical in ("FLOAT", "DOUBLE", "INT32", "INT64", "FIXED_LEN_BYTE_ARRAY")},
    **{("fastparquet", "delta_byte_array", physical): "Encoding 7"
       for physical in ("BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY")},
    ("fastparquet", "delta_length_byte_array", "BYTE_ARRAY"): "Encoding 6",
}
READER_VERSIONS = {
    "pyarrow": pa.__version__, "duckdb": duckdb.__version__, "polars": pl.__version__,
    # Package versions, not imports: pyspark starts nothing until a session is asked for.
    "spark": importlib.metadata.version("pyspark"), "spark-rows": importlib.metadata.version("pyspark"),
    "fastparquet": importlib.metadata.version("fastparquet"),
}


def unreadable(reader: str, fields: list[Field]) -> str | None:
    """The error `reader` is known to raise on a file with these fields (a regular expression),
    or None when it reads them."""
    for f in fields:
        match = refusal_of(reader, f)
        if match:
            return match
    return None


# Columns left out of a reader's reads, with why: it crashes the process or returns wrong values
# (so nothing can be pinned in-process), each checked on pyarrow 26's file of the same values.
# Keyed by (reader, encoding, physical type) or (reader, encoding, logical type).
LEFT_OUT = {
    # Segfault decoding DELTA_BINARY_PACKED INT64 pages whose deltas span 64 bits (the corpus's
    # int64/uint64/timestamp/decimal(18) extremes).
    ("fastparquet", "delta_binary_packed", "INT64"): "fastparquet 2026.9.0 segfaults",
    # Wrong values where INT32 deltas wrap (min to max): 996 of 1,000 values wrong on pyarrow's
    # file as on ours.
    ("fastparquet", "delta_binary_packed", "INT32"): "fastparquet 2026.9.0 misreads wrapping deltas",
    # Spark 4.3.0's vectorized reader has no unsigned path for BYTE_STREAM_SPLIT pages of uint32
    # and uint64 (read as long and decimal(20)): "Cannot call the method readUnsignedIntegers
    # (readUnsignedLongs) of the class VectorizedReaderBase", on pyarrow's file as on ours. Its
    # row reader ("spark-rows") reads them.
    ("spark", "byte_stream_split", "uint32"): "Spark 4.3.0 vectorized: no readUnsignedIntegers",
    ("spark", "byte_stream_split", "uint64"): "Spark 4.3.0 vectorized: no readUnsignedLongs",
}


def left_out(reader: str, f: Field) -> str | None:
    """Why `reader` does not read column `f` in the matrix (see LEFT_OUT), or None."""
    return LEFT_OUT.get((reader, f.encoding, f.physical_type)) or LEFT_OUT.get((reader, f.encoding, f.type))


def refusal_of(reader: str, f: Field) -> str | None:
    """The error `reader` raises on the column `f` (by its encoding and physical type)."""
    return UNREADABLE.get((reader, f.encoding, f.physical_type))


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


@contextmanager
def spark_conf(spark: SparkSession, conf: dict[str, str]) -> Iterator[None]:
    """Session conf for the queries inside the block (restored after it): one SparkSession
    serves every reader variant."""
    old = {k: spark.conf.get(k, None) for k in conf}
    for k, v in conf.items():
        spark.conf.set(k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                spark.conf.unset(k)
            else:
                spark.conf.set(k, v)


def spark_reader_conf(reader: str) -> dict[str, str]:
    vectorized = "true" if reader == "spark" else "false"
    return {**SPARK_READ_CONF, "spark.sql.parquet.enableVectorizedReader": vectorized}


def spark_infer(spark: SparkSession, path: str, reader: str = "spark") -> dict[str, str]:
    """Spark's inferred schema, name -> simpleString (raises what Spark raises)."""
    with spark_conf(spark, spark_reader_conf(reader)):
        schema = spark.read.parquet(path).schema
    return {sf.name: sf.dataType.simpleString() for sf in schema.fields}


def _time_text_to_units(text: str, unit: str) -> int:
    """'HH:MM:SS[.fraction]' (CAST(time AS STRING)) -> units since midnight, exactly."""
    hms, _, frac = text.partition(".")
    h, m, sec = (int(x) for x in hms.split(":"))
    ns = ((h * 60 + m) * 60 + sec) * 10**9 + int(frac.ljust(9, "0"))
    return ns // (10**9 // UNIT_PER_SECOND[unit])


def read_spark(spark: SparkSession, path: str, fields: list[Field], reader: str,
               inferred: dict[str, str] | None = None) -> dict[str, Column]:
    """The columns Spark can map (spark_type), read with that explicit schema by the vectorized
    ("spark") or the row ("spark-rows") reader, in one collect(). Values and exact integers go
    through the SQL expressions the module doc gives; `inferred` (when inference worked) is
    reported as the columns' types."""
    readable = [f for f in fields if spark_type(f) is not None]
    ddl = ", ".join(f"`{f.name}` {spark_type(f)}" for f in readable)
    exprs: list[str] = []
    for i, f in enumerate(readable):
        c, t = f"`{f.name}`", f.type
        if t in ("decimal", "uint64"):
            value = f"CAST({c} AS STRING)"
        elif t in TIMESTAMP_TYPES and f.is_utc and unit_of(t) != "ns":
            value = "NULL"  # collect() would make a local-zone naive datetime (module doc)
        else:
            value = c
        if t == "date":
            exact = f"unix_date({c})"
        elif t in TIME_TYPES:
            exact = f"CAST({c} AS STRING)"
        elif t in TIMESTAMP_TYPES and unit_of(t) != "ns":
            ts = c if f.is_utc else f"CAST({c} AS TIMESTAMP)"  # exact: session zone is UTC
            exact = f"unix_{'millis' if unit_of(t) == 'ms' else 'micros'}({ts})"
        else:
            exact = "NULL"
        exprs += [f"{value} AS v{i}", f"{exact} AS i{i}"]
    if not readable:
        return {}
    with spark_conf(spark, spark_reader_conf(reader)):
        rows = spark.read.schema(ddl).parquet(path).selectExpr(*exprs).collect()
    out: dict[str, Column] = {}
    for i, f in enumerate(readable):
        t = f.type
        raw = [r[2 * i] for r in rows]
        if t in ("decimal", "uint64"):
            values: list[Any] = [None if x is None else Decimal(x) for x in raw]
        elif t in TIMESTAMP_TYPES and f.is_utc and unit_of(t) != "ns":
            values = [NotImplemented] * len(rows)
        else:
            values = raw
        ints: list[int | None] | None = None
        if _is_temporal(t):
            exact = [r[2 * i + 1] for r in rows]
            if t in TIME_TYPES:
                ints = [None if x is None else _time_text_to_units(x, unit_of(t)) for x in exact]
            elif unit_of_or_none(t) == "ns":
                ints = list(raw)  # bigint: the raw nanoseconds
            else:
                ints = exact
        type_ = inferred[f.name] if inferred is not None else NOT_INFERRED
        out[f.name] = Column(type_, values, ints)
    return out


def _py(x: Any, keep_nan: bool) -> Any:
    """A pandas element as a plain Python value: NA/NaT/None -> None, NaN -> None unless kept
    (float and decimal columns, where fastparquet's nulls ARE NaN), numpy scalars -> Python."""
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, float) and math.isnan(x) and not keep_nan:
        return None
    if isinstance(x, np.generic):
        return x.item()
    return x


def read_fastparquet(path: str, fields: list[Field]) -> dict[str, Column]:
    """fastparquet's DataFrame: values as Python objects, temporal columns as exact integers in
    their dtype's unit (datetime64 / timedelta64 viewed as int64; masked Int columns as is)."""
    with open(path, "rb") as fh:
        df = fastparquet.ParquetFile(fh).to_pandas(columns=[f.name for f in fields])
    plain = plain_page_rows(path, [f.name for f in fields if f.type == "string"])
    out: dict[str, Column] = {}
    for f in fields:
        s = df[f.name]
        ints: list[int | None] | None = None
        if _is_temporal(f.type):
            if s.dtype.kind in "mM":
                raw = s.to_numpy().view("int64").tolist()
                ints = [None if na else int(x) for x, na in zip(raw, s.isna().tolist())]
            else:
                ints = [_py(x, False) for x in s.tolist()]
            values: list[Any] = [NotImplemented] * len(s)
        else:
            keep_nan = s.dtype.kind == "f"
            values = [_py(x, keep_nan) for x in s.tolist()]
        out[f.name] = Column(str(s.dtype), values, ints, plain.get(f.name))
    return out


def plain_page_rows(path: str, columns: list[str]) -> dict[str, list[bool]]:
    """For each named top-level column: per row, whether the data page holding it is PLAIN
    (walks the page headers of every row group's chunk; flat columns: a page's num_values are
    its rows)."""
    if not columns:
        return {}
    footer = read_footer(path)
    names = [c[3][3][0].decode() for c in footer[4][0][1]] if footer.get(4) else []
    out: dict[str, list[bool]] = {c: [] for c in columns}
    for rg in footer.get(4, []):
        if not rg.get(3):
            continue  # a row group of zero rows (pyarrow writes one for an empty table)
        for j, chunk in enumerate(rg[1]):
            name = names[j]
            if name not in out:
                continue
            for page in read_pages(path, chunk[3]):
                if page.type in ("DATA_PAGE", "DATA_PAGE_V2"):
                    out[name] += [page.encoding == "PLAIN"] * page.num_values
    return out


def expected_type(reader: str, f: Field, values: list[Value] | None = None, reference: bool = False) -> Any:
    if reader == "pyarrow":
        return pyarrow_type(f)
    if reader == "duckdb":
        return duckdb_type(f)
    if reader in SPARK_READERS:
        return spark_type(f)
    if reader == "fastparquet":
        return fastparquet_dtype(f, values or [], reference)
    return polars_dtype(f)


def types_equal(reader: str, expected: Any, actual: Any) -> bool:
    if reader == "polars":
        # pl.Datetime('ns', None) == pl.Datetime('ns', 'UTC') is lenient in polars; compare repr.
        return repr(expected) == repr(actual)
    return bool(expected == actual)


def compare_column(reader: str, f: Field, values: list[Value], got: Column, reference: bool = False) -> list[str]:
    """Human-readable mismatches for one column (empty when everything matches). A Spark column
    read with an explicit schema has type NOT_INFERRED: its type is checked by inference
    elsewhere (module doc)."""
    problems: list[str] = []
    if reader == "fastparquet":
        exp_type: Any = fastparquet_dtype(f, values, reference, got.plain_rows)
        if got.plain_rows is not None and not all(got.plain_rows):
            # fastparquet 2026.9.0 hands PLAIN pages of a UTF8 column to an Arrow accumulator
            # and drops it unless it covers every row: rows of PLAIN pages read as None
            # wherever a chunk also has dictionary pages (a dictionary fallback); the same
            # on pyarrow's file.
            values = [None if plain else v for v, plain in zip(values, got.plain_rows)]
    else:
        exp_type = expected_type(reader, f, values, reference)
    if got.type is not NOT_INFERRED and not types_equal(reader, exp_type, got.type):
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
