"""close_writer's summary: rows, bytes, row groups, and per-column null counts and min/max in
each type's natural JSON form, checked against the statistics pyarrow reads from the file
(rendered independently here from the physical values)."""

from __future__ import annotations

import base64
import datetime
import json
import struct
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from abi import ABI, config

EPOCH = datetime.date(1970, 1, 1)
UNIT_DIGITS = {"ms": 3, "us": 6, "ns": 9}

FIELDS = [
    {"name": "flag", "type": "boolean"},
    {"name": "i8", "type": "int8"},
    {"name": "i16", "type": "int16"},
    {"name": "i32", "type": "int32"},
    {"name": "i64", "type": "int64"},
    {"name": "u8", "type": "uint8"},
    {"name": "u16", "type": "uint16"},
    {"name": "u32", "type": "uint32"},
    {"name": "u64", "type": "uint64"},
    {"name": "f32", "type": "float32"},
    {"name": "f64", "type": "float64"},
    {"name": "text", "type": "string"},
    {"name": "blob", "type": "binary"},
    {"name": "fixed", "type": "fixed_binary", "length": 4},
    {"name": "day", "type": "date"},
    {"name": "t_ms", "type": "time_ms"},
    {"name": "t_us", "type": "time_us"},
    {"name": "t_ns", "type": "time_ns"},
    {"name": "ts_ms", "type": "timestamp_ms"},
    {"name": "ts_us_local", "type": "timestamp_us", "utc": False},
    {"name": "ts_ns", "type": "timestamp_ns"},
    {"name": "dec32", "type": "decimal", "precision": 5, "scale": 2},
    {"name": "dec64", "type": "decimal", "precision": 18, "scale": 4},
    {"name": "dec_wide", "type": "decimal", "precision": 30, "scale": 3},
    {"name": "dec_int", "type": "decimal", "precision": 9},
    {"name": "id", "type": "uuid"},
    {"name": "doc", "type": "json"},
    {"name": "nothing", "type": "int32"},
]

ROWS = [
    {"flag": True, "i8": -128, "i16": 32767, "i32": -2147483648, "i64": 9223372036854775807, "u8": 255, "u16": 0,
     "u32": 4294967295, "u64": 18446744073709551615, "f32": 0.1, "f64": -1.5e-300, "text": "\u00e7a", "blob": "AP8=",
     "fixed": "AAECAw==", "day": "2024-02-29", "t_ms": "12:34:56.789", "t_us": "00:00:00.000001",
     "t_ns": "23:59:59.999999999", "ts_ms": "2024-01-02T03:04:05.678Z", "ts_us_local": "1999-12-31T23:59:59.999999",
     "ts_ns": -9223372036854775808, "dec32": "-123.45", "dec64": "12345678901234.5678",
     "dec_wide": "-123456789012345678901234567.891", "dec_int": -5, "id": "123e4567-e89b-12d3-a456-426614174000",
     "doc": {"b": [1, 2]}},
    {"flag": False, "i8": 127, "i16": -32768, "i32": 2147483647, "i64": -9223372036854775808, "u8": 0, "u16": 65535,
     "u32": 0, "u64": 9223372036854775808, "f32": -3.4e38, "f64": 2.5, "text": "abc", "blob": "",
     "fixed": "/////w==", "day": "1969-12-31", "t_ms": "00:00:00", "t_us": "23:59:59.999999", "t_ns": 0,
     "ts_ms": -1, "ts_us_local": "2262-04-11T23:47:16.854775", "ts_ns": "2262-04-11T23:47:16.854775807Z",
     "dec32": "0.01", "dec64": "-0.0001", "dec_wide": "99999999999999999999999999.999", "dec_int": 999999999,
     "id": "ffffffff-0000-4000-8000-000000000001", "doc": [1, "x"]},
    {},
    {"f32": 1.5, "f64": 1e300, "text": "", "day": "0001-01-01", "ts_ms": "1970-01-01T00:00:00Z", "dec_wide": "0.001",
     "i64": 0, "u64": 1, "id": "00000000-0000-0000-0000-000000000000", "doc": "just text"},
]


def parse_date(text: str) -> int:
    return (datetime.date.fromisoformat(text) - EPOCH).days


def render_date(days: int) -> str:
    return (EPOCH + datetime.timedelta(days=days)).isoformat()


def render_time(value: int, unit: str) -> str:
    per_second = 10 ** UNIT_DIGITS[unit]
    seconds, fraction = divmod(value, per_second)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{fraction:0{UNIT_DIGITS[unit]}d}"


def render_timestamp(value: int, unit: str, utc: bool) -> str:
    per_second = 10 ** UNIT_DIGITS[unit]
    seconds, fraction = divmod(value, per_second)
    days, second_of_day = divmod(seconds, 86_400)
    clock = render_time(second_of_day * per_second + fraction, unit)
    return f"{render_date(days)}T{clock}" + ("Z" if utc else "")


def render_decimal(unscaled: int, scale: int) -> str:
    sign = "-" if unscaled < 0 else ""
    digits = str(abs(unscaled)).rjust(scale + 1, "0")
    return sign + (digits[:-scale] + "." + digits[-scale:] if scale else digits)


def expected_value(field: dict[str, Any], raw: Any) -> Any:
    """pyarrow's physical statistic rendered the way the summary must show it."""
    kind = field["type"]
    if kind == "boolean":
        return bool(raw)
    if kind == "uint32":
        return raw & 0xFFFF_FFFF
    if kind == "uint64":
        return raw & 0xFFFF_FFFF_FFFF_FFFF
    if kind in ("int8", "int16", "int32", "int64", "uint8", "uint16"):
        return raw
    if kind in ("float32", "float64"):
        return raw
    if kind in ("string", "json"):
        return raw.decode() if isinstance(raw, bytes) else raw
    if kind in ("binary", "fixed_binary"):
        return base64.b64encode(raw).decode()
    if kind == "uuid":
        return str(uuid.UUID(bytes=raw))
    if kind == "date":
        return render_date(raw)
    if kind.startswith("time_"):
        return render_time(raw, kind[5:])
    if kind.startswith("timestamp_"):
        return render_timestamp(raw, kind[10:], field.get("utc", True))
    if kind == "decimal":
        unscaled = int.from_bytes(raw, "big", signed=True) if isinstance(raw, bytes) else raw
        return render_decimal(unscaled, field.get("scale", 0))
    raise AssertionError(kind)


def order_key(field: dict[str, Any], value: Any) -> Any:
    """How to compare rendered values in the column's sort order (to merge row groups)."""
    kind = field["type"]
    if kind in ("binary", "fixed_binary"):
        return base64.b64decode(value)
    if kind == "uuid":
        return uuid.UUID(value).bytes
    if kind == "decimal":
        return Decimal(value)
    if kind.startswith(("time", "date")):
        return value.replace("Z", "")  # fixed-width text sorts like the value (years 1000-9999)
    if kind in ("string", "json"):
        return value.encode()
    return value


@pytest.fixture(scope="module")
def written(abi: ABI, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("summary") / "all-types.parquet"
    writer = abi.create(config(path, FIELDS, row_group_rows=2))
    assert writer, abi.last_error()
    result = abi.write(writer, ROWS)
    assert result["ok"] and result["rows_written"] == len(ROWS), result
    summary = abi.close(writer)
    assert summary["ok"], summary
    return path, summary


def test_summary_shape(written: tuple[Path, dict[str, Any]]) -> None:
    path, summary = written
    assert set(summary) == {"ok", "rows_written", "rows_rejected", "files", "unknown_keys"}
    assert summary["unknown_keys"] == {}
    assert summary["rows_written"] == len(ROWS) and summary["rows_rejected"] == 0
    [file] = summary["files"]
    assert file["path"] == str(path)
    assert file["rows"] == len(ROWS)
    assert file["bytes"] == path.stat().st_size
    assert file["row_groups"] == pq.ParquetFile(path).metadata.num_row_groups == 2
    assert list(file["columns"]) == [f["name"] for f in FIELDS]
    # No statistics, no min/max keys.
    assert file["columns"]["nothing"] == {"null_count": len(ROWS)}


@pytest.mark.parametrize("field", FIELDS, ids=[f["name"] for f in FIELDS])
def test_column_statistics_match_pyarrow(written: tuple[Path, dict[str, Any]], field: dict[str, Any]) -> None:
    path, summary = written
    ours = summary["files"][0]["columns"][field["name"]]
    metadata = pq.ParquetFile(path).metadata
    index = [metadata.schema.column(j).name for j in range(metadata.num_columns)].index(field["name"])
    null_count = 0
    minimum = maximum = None
    for group in range(metadata.num_row_groups):
        statistics = metadata.row_group(group).column(index).statistics
        assert statistics is not None
        null_count += statistics.null_count
        if statistics.has_min_max:
            low = expected_value(field, statistics.min_raw)
            high = expected_value(field, statistics.max_raw)
            if minimum is None or order_key(field, low) < order_key(field, minimum):
                minimum = low
            if maximum is None or order_key(field, high) > order_key(field, maximum):
                maximum = high
    assert ours["null_count"] == null_count
    if minimum is None:
        assert "min" not in ours and "max" not in ours
        return
    if field["type"] == "float32":
        # The shortest text that reads back as the same float32.
        assert struct.unpack("f", struct.pack("f", ours["min"]))[0] == minimum
        assert struct.unpack("f", struct.pack("f", ours["max"]))[0] == maximum
        assert len(repr(ours["min"])) <= len(repr(minimum))
    else:
        assert (ours["min"], ours["max"]) == (minimum, maximum)
        assert type(ours["min"]) is type(minimum)


def test_natural_forms(written: tuple[Path, dict[str, Any]]) -> None:
    """A few renderings spelled out, independent of pyarrow."""
    columns = written[1]["files"][0]["columns"]
    assert (columns["u64"]["min"], columns["u64"]["max"]) == (1, 18446744073709551615)
    assert (columns["i64"]["min"], columns["i64"]["max"]) == (-9223372036854775808, 9223372036854775807)
    assert (columns["flag"]["min"], columns["flag"]["max"]) == (False, True)
    assert columns["f32"]["max"] == 1.5 and columns["f32"]["min"] == -3.4e38
    assert (columns["dec32"]["min"], columns["dec32"]["max"]) == ("-123.45", "0.01")
    assert (columns["dec64"]["min"], columns["dec64"]["max"]) == ("-0.0001", "12345678901234.5678")
    assert columns["dec_wide"]["min"] == "-123456789012345678901234567.891"
    assert (columns["dec_int"]["min"], columns["dec_int"]["max"]) == ("-5", "999999999")
    assert (columns["day"]["min"], columns["day"]["max"]) == ("0001-01-01", "2024-02-29")
    assert (columns["t_ms"]["min"], columns["t_ms"]["max"]) == ("00:00:00.000", "12:34:56.789")
    assert columns["t_us"]["max"] == "23:59:59.999999"
    assert columns["t_ns"]["max"] == "23:59:59.999999999"
    assert (columns["ts_ms"]["min"], columns["ts_ms"]["max"]) == ("1969-12-31T23:59:59.999Z", "2024-01-02T03:04:05.678Z")
    assert columns["ts_us_local"]["max"] == "2262-04-11T23:47:16.854775"
    assert (columns["ts_ns"]["min"], columns["ts_ns"]["max"]) == ("1677-09-21T00:12:43.145224192Z", "2262-04-11T23:47:16.854775807Z")
    assert (columns["blob"]["min"], columns["blob"]["max"]) == ("", "AP8=")
    assert (columns["fixed"]["min"], columns["fixed"]["max"]) == ("AAECAw==", "/////w==")
    assert columns["id"]["min"] == "00000000-0000-0000-0000-000000000000"
    assert columns["id"]["max"] == "ffffffff-0000-4000-8000-000000000001"
    assert (columns["text"]["min"], columns["text"]["max"]) == ("", "\u00e7a")
    assert json.loads(columns["doc"]["max"]) == {"b": [1, 2]}


def test_all_null_and_nan_columns_have_no_min_max(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "nan.parquet"
    writer = abi.create(config(path, [{"name": "x", "type": "float64"}, {"name": "y", "type": "string"}]))
    assert abi.write(writer, [{"x": "NaN"}, {"x": None}])["ok"]
    summary = abi.close(writer)
    assert summary["files"][0]["columns"] == {"x": {"null_count": 1}, "y": {"null_count": 2}}


def test_close_failure_leaves_nothing(abi: ABI, out_dir: Path) -> None:
    """The directory disappears before close: the rename fails, the error is reported, the
    handle is released and nothing is at the path."""
    directory = out_dir / "vanishing"
    directory.mkdir()
    path = directory / "f.parquet"
    writer = abi.create(config(path))
    assert abi.write(writer, [{"id": 1}])["ok"]
    for entry in directory.iterdir():
        entry.unlink()
    directory.rmdir()
    result = abi.close(writer)
    assert result["ok"] is False and result["error"]["code"] == "io_error", result
    assert abi.last_error() == result["error"]
    assert not path.exists()
    assert abi.close(writer)["error"]["code"] == "invalid_handle"
