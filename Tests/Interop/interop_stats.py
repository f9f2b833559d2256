"""Expected column-chunk statistics, computed from the input values with the Parquet orderings.

* null_count is always present (0 included);
* min/max use the column's sort order: signed or unsigned integers (uint32 / uint64 are stored
  as INT32 / INT64 and compare unsigned), unsigned byte-wise for strings / binary / fixed / uuid
  / json, signed numeric for decimals (whatever the physical type), false < true;
* NaN never takes part in float min/max (only NaN -> no min/max); a zero extreme is written as
  -0.0 for min and +0.0 for max;
* no min/max for a chunk without non-null values;
* with a truncation length L (the Swift writer's statistics_truncate_length, default 64), a
  BYTE_ARRAY min longer than L becomes its L-byte prefix (inexact); a max longer than L becomes
  its L-byte prefix with trailing 0xFF bytes dropped and the last byte incremented (inexact); a
  prefix of only 0xFF has no upper bound and the max is dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from interop_spec import FLOAT_TYPES, Field, Value


@dataclass
class ExpectedStats:
    null_count: int
    num_values: int  # non-null values
    min: Any | None  # physical (pyarrow min_raw form); None = absent
    max: Any | None
    min_exact: bool = True
    max_exact: bool = True
    truncated: bool = False


def truncate_min(v: bytes, length: int) -> bytes:
    return v[:length]


def truncate_max(v: bytes, length: int) -> bytes | None:
    prefix = v[:length].rstrip(b"\xff")
    if not prefix:
        return None
    return prefix[:-1] + bytes([prefix[-1] + 1])


def expected_stats(f: Field, values: list[Value], truncate: int | None) -> ExpectedStats:
    non_null = [v for v in values if v is not None]
    nulls = len(values) - len(non_null)
    ordered = [v for v in non_null if not (f.type in FLOAT_TYPES and math.isnan(v))]
    if not ordered:
        return ExpectedStats(nulls, len(non_null), None, None)
    lo = min(ordered, key=f.order_key)
    hi = max(ordered, key=f.order_key)
    if f.type in FLOAT_TYPES:
        lo = -0.0 if lo == 0 else lo
        hi = 0.0 if hi == 0 else hi
    out = ExpectedStats(nulls, len(non_null), f.physical(lo), f.physical(hi))
    if truncate is not None and f.physical_type == "BYTE_ARRAY":
        if len(out.min) > truncate:
            out.min, out.min_exact, out.truncated = truncate_min(out.min, truncate), False, True
        if len(out.max) > truncate:
            out.max, out.max_exact, out.truncated = truncate_max(out.max, truncate), False, True
    return out


def row_group_slices(values: list[Value], sizes: list[int]) -> list[list[Value]]:
    out, start = [], 0
    for n in sizes:
        out.append(values[start:start + n])
        start += n
    assert start == len(values), f"row groups hold {start} rows, input has {len(values)}"
    return out
