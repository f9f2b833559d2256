"""The generator's JSON spec format, in Python.

Column values are kept in one *canonical* Python form per spec type and encoded to the
spec's JSON form only when a spec file is written:

    boolean                           bool
    int*/uint*                        int
    float32/float64                   float (float32 values must be exactly representable)
    string/json                       str   (json: the JSON text)
    binary/fixed_binary/uuid          bytes
    decimal                           int   (the unscaled value; value = unscaled * 10**-scale)
    date                              int   (days since 1970-01-01)
    time_ms/time_us/time_ns           int   (units since midnight)
    timestamp_ms/_us/_ns              int   (units since the Unix epoch)

Everything the readers are expected to return is derived from that form (see interop_readers.py).
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Value = Any  # canonical value or None

INT_RANGES: dict[str, tuple[int, int]] = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}
INT_TYPES = tuple(INT_RANGES)
FLOAT_TYPES = ("float32", "float64")
TIME_TYPES = ("time_ms", "time_us", "time_ns")
TIMESTAMP_TYPES = ("timestamp_ms", "timestamp_us", "timestamp_ns")
TEMPORAL_INT_TYPES = ("date", *TIME_TYPES, *TIMESTAMP_TYPES)
BYTES_TYPES = ("binary", "fixed_binary", "uuid")
TEXT_TYPES = ("string", "json")

ALL_TYPES = (
    "boolean", *INT_TYPES, *FLOAT_TYPES, "string", "binary", "fixed_binary", "date",
    *TIME_TYPES, *TIMESTAMP_TYPES, "decimal", "uuid", "json",
)

UNIT_PER_SECOND = {"ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
DAY_SECONDS = 86_400


def unit_of(type_name: str) -> str:
    """'ms' | 'us' | 'ns' for time_* and timestamp_* types."""
    return type_name.rsplit("_", 1)[1]


def decimal_physical(precision: int) -> str:
    if precision <= 9:
        return "INT32"
    if precision <= 18:
        return "INT64"
    return "FIXED_LEN_BYTE_ARRAY"


def decimal_byte_length(precision: int) -> int:
    """Minimum two's-complement byte length that holds every unscaled value of `precision` digits."""
    n = 1
    while 10**precision - 1 > 2 ** (8 * n - 1) - 1:
        n += 1
    return n


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    nullable: bool = True
    length: int | None = None  # fixed_binary
    precision: int | None = None  # decimal
    scale: int | None = None  # decimal
    utc: bool | None = None  # timestamp_* (None = the default, true)
    encoding: str | None = None  # the schema field's "encoding" (None = the writer's choice)

    def __post_init__(self) -> None:
        assert self.type in ALL_TYPES, self.type
        assert (self.length is not None) == (self.type == "fixed_binary"), self
        assert (self.precision is not None) == (self.type == "decimal"), self
        assert self.utc is None or self.type in TIMESTAMP_TYPES, self

    @property
    def is_utc(self) -> bool:
        return self.utc is not False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "nullable": self.nullable}
        if self.length is not None:
            out["length"] = self.length
        if self.precision is not None:
            out["precision"] = self.precision
            out["scale"] = self.scale or 0
        if self.utc is not None:
            out["utc"] = self.utc
        if self.encoding is not None:
            out["encoding"] = self.encoding
        return out

    @property
    def physical_type(self) -> str:
        t = self.type
        if t == "boolean":
            return "BOOLEAN"
        if t in ("int8", "int16", "int32", "uint8", "uint16", "uint32", "date", "time_ms"):
            return "INT32"
        if t in ("int64", "uint64", "time_us", "time_ns", *TIMESTAMP_TYPES):
            return "INT64"
        if t == "float32":
            return "FLOAT"
        if t == "float64":
            return "DOUBLE"
        if t in ("string", "binary", "json"):
            return "BYTE_ARRAY"
        if t in ("fixed_binary", "uuid"):
            return "FIXED_LEN_BYTE_ARRAY"
        assert t == "decimal"
        return decimal_physical(self.precision or 0)

    @property
    def fixed_length(self) -> int | None:
        if self.type == "fixed_binary":
            return self.length
        if self.type == "uuid":
            return 16
        if self.type == "decimal" and self.physical_type == "FIXED_LEN_BYTE_ARRAY":
            return decimal_byte_length(self.precision or 0)
        return None

    # --- value encodings ---------------------------------------------------------------

    def encode(self, v: Value) -> Any:
        """Canonical value -> the spec's JSON value."""
        if v is None:
            return None
        t = self.type
        if t == "boolean":
            assert isinstance(v, bool)
            return v
        if t in FLOAT_TYPES:
            return encode_float(v, t)
        if t in TEXT_TYPES:
            assert isinstance(v, str)
            return v
        if t in BYTES_TYPES:
            assert isinstance(v, bytes)
            assert self.fixed_length is None or len(v) == self.fixed_length, (self, v)
            return v.hex()
        assert isinstance(v, int) and not isinstance(v, bool), (self, v)
        if t in INT_RANGES:
            lo, hi = INT_RANGES[t]
            assert lo <= v <= hi, (self, v)
        if t == "decimal":
            assert abs(v) < 10 ** (self.precision or 0), (self, v)
        return str(v)

    def physical(self, v: Value) -> Any:
        """Canonical value -> the value as the Parquet physical type stores it, in the form
        pyarrow's Statistics.min_raw / max_raw report (signed ints, floats, bytes, bool)."""
        if v is None:
            return None
        t = self.type
        if t == "uint32":
            return v - 2**32 if v >= 2**31 else v
        if t == "uint64":
            return v - 2**64 if v >= 2**63 else v
        if t in TEXT_TYPES:
            return v.encode("utf-8")
        if t == "decimal" and self.physical_type == "FIXED_LEN_BYTE_ARRAY":
            return v.to_bytes(self.fixed_length or 0, "big", signed=True)
        return v

    def order_key(self, v: Value) -> Any:
        """Sort key of the column's Parquet sort order (logical type aware)."""
        t = self.type
        if t == "boolean":
            return int(v)
        if t in TEXT_TYPES:
            return v.encode("utf-8")  # unsigned byte-wise
        return v  # ints (unsigned already non-negative), floats, bytes (unsigned), decimals


def encode_float(v: float, type_name: str) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if type_name == "float32":
        assert struct.unpack("<f", struct.pack("<f", v))[0] == v, f"{v!r} is not a float32"
    return repr(v)


def f32(v: float) -> float:
    """Round a Python float to the nearest float32 (for building float32 test values)."""
    return struct.unpack("<f", struct.pack("<f", v))[0]


@dataclass
class FileSpec:
    """One file of a generator invocation. `name` doubles as the file name and the test id."""

    name: str
    fields: list[Field]
    columns: dict[str, list[Value]]
    options: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None  # set when written

    def __post_init__(self) -> None:
        lengths = {len(self.columns[f.name]) for f in self.fields}
        assert len(lengths) <= 1, f"{self.name}: columns of different lengths {lengths}"
        assert set(self.columns) == {f.name for f in self.fields}, self.name
        for f in self.fields:
            if not f.nullable:
                assert all(v is not None for v in self.columns[f.name]), (self.name, f.name)

    @property
    def num_rows(self) -> int:
        return len(self.columns[self.fields[0].name]) if self.fields else 0

    def get_field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def to_json(self, path: Path) -> dict[str, Any]:
        return {
            "path": str(path),
            "options": self.options,
            "fields": [f.to_json() for f in self.fields],
            "columns": {f.name: [f.encode(v) for v in self.columns[f.name]] for f in self.fields},
        }
