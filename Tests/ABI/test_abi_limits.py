"""What fuzzing the C ABI found (issue 11), through the release library and read back by the
real readers: empty byte values first in a batch, schema inference's key limit, the nesting
depth readers open, times of day in [0, 86400 s), and zero with a huge exponent."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abi import ABI, config

# Schema.maximumDepth and SchemaInference.maximumKeys.
MAX_DEPTH = 99
MAX_KEYS = 10_000


def write_one(abi: ABI, configuration: dict[str, Any], batch: Any) -> dict[str, Any]:
    writer = abi.create(configuration)
    assert writer, abi.last_error()
    result = abi.write(writer, batch)
    assert result["ok"], result
    closed = abi.close(writer)
    assert closed["ok"], closed
    return closed


def test_empty_byte_values_first_in_a_batch(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "empty.parquet"
    fields = [{"name": "id", "type": "int64", "nullable": False}, {"name": "s", "type": "string"},
              {"name": "b", "type": "binary"}, {"name": "l", "type": "list", "items": {"type": "string"}}]
    write_one(abi, config(path, fields), [{"id": 1, "s": "", "b": "", "l": [""]}, {"id": 2, "s": "x", "b": "AQ==", "l": []}])
    assert pq.read_table(path).to_pylist() == [{"id": 1, "s": "", "b": b"", "l": [""]},
                                               {"id": 2, "s": "x", "b": b"\x01", "l": []}]
    inferred = out_dir / "inferred.parquet"
    write_one(abi, {"path": str(inferred)}, [{"a": ""}])
    assert pq.read_table(inferred).to_pylist() == [{"a": ""}]


def test_inference_takes_up_to_the_key_limit(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "wide.parquet"
    record = {f"k{i}": i for i in range(MAX_KEYS)}
    closed = write_one(abi, {"path": str(path)}, [record])
    assert closed["rows_written"] == 1
    table = pq.read_table(path)
    assert table.num_columns == MAX_KEYS
    assert table.to_pylist() == [record]


@pytest.mark.parametrize("keys", [MAX_KEYS + 1, 80_000])
def test_inference_past_the_key_limit_is_an_error_and_the_writer_goes_on(abi: ABI, out_dir: Path, keys: int) -> None:
    path = out_dir / "too_wide.parquet"
    writer = abi.create({"path": str(path)})
    assert writer
    result = abi.write(writer, [{f"k{i}": i for i in range(keys)}])
    assert not result["ok"]
    assert result["error"]["code"] == "limit_exceeded"
    assert f"stops at {MAX_KEYS} distinct keys" in result["error"]["message"]
    assert abi.last_error() == result["error"]
    # Nothing was fixed by the refused batch: the next one infers the schema.
    assert abi.write(writer, [{"a": 1}])["ok"]
    assert abi.close(writer)["ok"]
    assert pq.read_table(path).to_pylist() == [{"a": 1}]


def nested(kind: str, depth: int) -> tuple[dict[str, Any], Any, Any]:
    """A field `x` nesting `depth` lists or structs around an int64, a JSON value and pyarrow's."""
    spec: dict[str, Any] = {"type": "int64"}
    value: Any = 7
    for _ in range(depth):
        if kind == "list":
            spec, value = {"type": "list", "items": spec}, [value]
        else:
            spec, value = {"type": "struct", "fields": [{"name": "a", **spec}]}, {"a": value}
    return {"name": "x", **spec}, value, value


# The configuration's own JSON nesting limit (128 levels) lets a schema nest at most 62 lists or
# structs (about 62); past 49 lists the schema is refused (Swift tests cover 98/99 structs).
@pytest.mark.parametrize("kind,depth", [("list", 49), ("struct", 60)])
def test_the_deepest_schema_accepted_is_read_by_every_reader(abi: ABI, out_dir: Path, kind: str, depth: int) -> None:
    path = out_dir / f"deep_{kind}.parquet"
    field, value, expected = nested(kind, depth)
    write_one(abi, config(path, [field]), [{"x": value}])
    assert pq.read_table(path).to_pylist() == [{"x": expected}]
    assert pl.read_parquet(path).to_dicts() == [{"x": expected}]
    assert duckdb.sql(f"select x from '{path}'").fetchall()[0][0] is not None


@pytest.mark.parametrize("kind,depth", [("list", 50), ("list", 62)])
def test_deeper_schemas_are_refused_at_create_time(abi: ABI, out_dir: Path, kind: str, depth: int) -> None:
    path = out_dir / "too_deep.parquet"
    field, _, _ = nested(kind, depth)
    assert abi.create(config(path, [field])) is None
    error = abi.last_error()
    assert error["code"] == "invalid_schema"
    assert f"deeper than {MAX_DEPTH} schema levels" in error["message"]
    assert list(out_dir.iterdir()) == []


def test_an_inferred_schema_too_deep_is_refused(abi: ABI, out_dir: Path) -> None:
    writer = abi.create({"path": str(out_dir / "x.parquet")})
    value: Any = 1
    for _ in range(50):
        value = [value]
    result = abi.write(writer, [{"v": value}])
    assert result["error"]["code"] == "invalid_schema"
    abi.abort(writer)


TIMES = [{"name": f"t_{unit}", "type": f"time_{unit}"} for unit in ("ms", "us", "ns")]


@pytest.mark.parametrize("bad", ["24:00:00", "24:00:00.000"])
def test_24_00_00_is_not_a_time_of_day(abi: ABI, out_dir: Path, bad: str) -> None:
    writer = abi.create(config(out_dir / "t.parquet", TIMES))
    for field in TIMES:
        result = abi.write(writer, [{field["name"]: bad}])
        assert result["error"]["code"] == "invalid_value", result
        assert result["error"]["column"] == field["name"]
    for field, day in zip(TIMES, (86_400_000, 86_400_000_000, 86_400_000_000_000)):
        result = abi.write(writer, [{field["name"]: day}])
        assert result["error"]["code"] == "value_out_of_range", result
    abi.abort(writer)


def test_the_last_instant_of_the_day_reads_back_the_same_everywhere(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "t.parquet"
    write_one(abi, config(path, TIMES), [
        {"t_ms": "23:59:59.999", "t_us": "23:59:59.999999", "t_ns": 86_399_999_999_999},
        {"t_ms": 0, "t_us": "00:00:00", "t_ns": "00:00:00.000000001"},
    ])
    table = pq.read_table(path)
    table.validate(full=True)
    last = datetime.time(23, 59, 59, 999_999)
    assert table.column("t_us").to_pylist() == [last, datetime.time(0)]
    assert table.column("t_ms").to_pylist() == [datetime.time(23, 59, 59, 999_000), datetime.time(0)]
    assert pl.read_parquet(path)["t_us"].to_list() == [last, datetime.time(0)]
    assert duckdb.sql(f"select t_us from '{path}'").fetchall() == [(last,), (datetime.time(0),)]


def test_zero_with_a_huge_exponent_is_zero(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "zero.parquet"
    fields = [{"name": "i", "type": "int64"}, {"name": "d", "type": "decimal", "precision": 9, "scale": 2},
              {"name": "w", "type": "decimal", "precision": 30, "scale": 3}]
    batch = '[{"i": 0e99999999, "d": 0e99999999, "w": "-0E+99999999999"}, {"i": -0.0e-5000, "d": "0e99999999", "w": 0e1}]'
    write_one(abi, config(path, fields), batch)
    assert pq.read_table(path).to_pylist() == [{"i": 0, "d": Decimal("0.00"), "w": Decimal("0.000")}] * 2
    writer = abi.create(config(out_dir / "big.parquet", fields))
    assert abi.write(writer, '[{"i": 1e99999999}]')["error"]["code"] == "value_out_of_range"
    assert abi.write(writer, '[{"d": 1e-99999999}]')["error"]["code"] == "invalid_value"
    abi.abort(writer)
