"""Bad input through the C ABI: every case gives a clear error (or succeeds, where it should),
never a crash, the writer stays usable, and the file holds exactly the good batches."""

from __future__ import annotations

import ctypes
import json
from pathlib import Path
from typing import Any, Callable

import duckdb
import pyarrow.parquet as pq
import pytest

from abi import ABI, config

FIELDS = [
    {"name": "id", "type": "int64", "nullable": False},
    {"name": "name", "type": "string"},
    {"name": "small", "type": "int8"},
    {"name": "u8", "type": "uint8"},
    {"name": "u64", "type": "uint64"},
    {"name": "i32", "type": "int32"},
    {"name": "flag", "type": "boolean"},
    {"name": "ratio", "type": "float64"},
    {"name": "price", "type": "decimal", "precision": 5, "scale": 2},
    {"name": "day", "type": "date"},
    {"name": "uid", "type": "uuid"},
    {"name": "doc", "type": "json"},
]

GOOD_BEFORE = [{"id": 1, "name": "before", "small": -5}, {"id": 2, "name": None, "u64": 18446744073709551615}]
GOOD_AFTER = [{"id": 3, "name": "after", "price": "123.45"}]


def written_ids(path: Path) -> list[int]:
    return pq.read_table(path).column("id").to_pylist()


class Session:
    """A writer with one good batch written; `finish` writes another and reads the file back."""

    def __init__(self, abi: ABI, path: Path, **options: Any) -> None:
        self.abi = abi
        self.path = path
        self.writer = abi.create(config(path, FIELDS, **options))
        assert self.writer, abi.last_error()
        result = abi.write(self.writer, GOOD_BEFORE)
        assert result["ok"] and result["rows_written"] == 2, result

    def finish(self) -> list[int]:
        result = self.abi.write(self.writer, GOOD_AFTER)
        assert result["ok"] and result["rows_written"] == 1, result
        summary = self.abi.close(self.writer)
        assert summary["ok"], summary
        assert summary["rows_written"] == 3
        ids = written_ids(self.path)
        assert ids == [1, 2, 3], "the earlier batches must be intact and the failed batch absent"
        # DuckDB agrees.
        rows = duckdb.sql(f"SELECT id, name FROM read_parquet('{self.path}') ORDER BY id").fetchall()
        assert rows == [(1, "before"), (2, None), (3, "after")]
        return ids


def assert_rejected(result: dict[str, Any], code: str, *, row: int | None = None, column: str | None = None) -> None:
    assert result["ok"] is False, result
    error = result["error"]
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"], error
    if row is not None:
        assert error["row"] == row, error
    if column is not None:
        assert error["column"] == column, error


# -- malformed and truncated JSON ------------------------------------------------------------

MALFORMED = [
    b'[{"id": 9}',
    b'[{"id": 9}]]',
    b'[{"id": 9},]',
    b'[{"id": 9} {"id": 10}]',
    b"not json",
    b"[{'id': 9}]",
    b'[{"id": 09}]',
    b'[{"id": 9, "name": "unterminated}]',
    b'[{"id": 9, "name": "bad \\x escape"}]',
    b'{"id": 9}}',
    b'[{"id": 9}]\n{"id": 10}',
    b'[{"id": 9, "name": "a"\x00}]',
    b'{"id": 9, "id2": tru}',
    b'[{"id": -}]',
    b'[{"id": 1.}]',
    b'\xef\xbb\xbf\xef\xbb\xbf[]',
]


@pytest.mark.parametrize("records", MALFORMED, ids=lambda b: b.decode("utf-8", "replace")[:30])
@pytest.mark.parametrize("policy", ["fail", "skip"])
def test_malformed_json_rejects_the_whole_batch(abi: ABI, out_dir: Path, records: bytes, policy: str) -> None:
    session = Session(abi, out_dir / "m.parquet", on_invalid=policy)
    result = abi.take(abi.lib.write_batch_n(session.writer, records, len(records)))
    assert_rejected(result, "malformed_json")
    assert isinstance(result["error"]["offset"], int) and 0 <= result["error"]["offset"] <= len(records)
    assert abi.last_error() == result["error"]
    session.finish()


def test_every_truncation_of_a_batch_is_rejected(abi: ABI, out_dir: Path) -> None:
    session = Session(abi, out_dir / "t.parquet", on_invalid="skip")
    batch = json.dumps([
        {"id": 7, "name": "seven \u00e9\U0001F600", "ratio": -1.5e-3, "flag": True, "doc": {"k": [1, {"z": None}]}},
        {"id": 8, "price": "1.25", "day": "2024-02-29", "uid": "123e4567-e89b-12d3-a456-426614174000"},
    ]).encode()
    for cut in range(1, len(batch)):
        result = abi.take(abi.lib.write_batch_n(session.writer, batch, cut))
        assert_rejected(result, "malformed_json")
    session.finish()


# -- wrong types, out-of-range values, invalid UTF-8 ---------------------------------------

INVALID_RECORDS = [
    ({"id": "nine"}, "type_mismatch", "id"),
    ({"id": 9, "name": 5}, "type_mismatch", "name"),
    ({"id": 9, "flag": "true"}, "type_mismatch", "flag"),
    ({"id": 9, "ratio": "abc"}, None, "ratio"),
    ({"id": 9, "small": [1]}, "type_mismatch", "small"),
    ({"id": 9, "small": {"v": 1}}, "type_mismatch", "small"),
    ({"id": 9, "name": ["a"]}, "type_mismatch", "name"),
    ({"id": True}, "type_mismatch", "id"),
    ({"id": 9.5}, None, "id"),
    ({"id": 9, "small": 128}, "value_out_of_range", "small"),
    ({"id": 9, "small": -129}, "value_out_of_range", "small"),
    ({"id": 9, "u8": -1}, "value_out_of_range", "u8"),
    ({"id": 9, "u8": 256}, "value_out_of_range", "u8"),
    ({"id": 9, "i32": 2147483648}, "value_out_of_range", "i32"),
    ({"id": 9223372036854775808}, "value_out_of_range", "id"),
    ({"id": -9223372036854775809}, "value_out_of_range", "id"),
    ({"id": 9, "u64": 18446744073709551616}, "value_out_of_range", "u64"),
    ({"id": 9, "u64": -1}, "value_out_of_range", "u64"),
    ({"id": 9, "price": "1234.5"}, None, "price"),
    ({"id": 9, "price": "1.234"}, None, "price"),
    ({"id": 9, "day": "2024-02-30"}, None, "day"),
    ({"id": 9, "uid": "not-a-uuid"}, "invalid_value", "uid"),
    ({"name": "no id"}, "missing_value", "id"),
    ({"id": None}, "missing_value", "id"),
]


@pytest.mark.parametrize("record,code,column", INVALID_RECORDS, ids=lambda v: json.dumps(v)[:40] if isinstance(v, dict) else str(v))
def test_invalid_record_fails_the_batch(abi: ABI, out_dir: Path, record: dict, code: str | None, column: str) -> None:
    session = Session(abi, out_dir / "v.parquet")
    result = abi.write(session.writer, [{"id": 100}, record, {"id": 101}])
    assert_rejected(result, code or result["error"]["code"], row=1, column=column)
    assert result["error"]["code"] in {"type_mismatch", "value_out_of_range", "invalid_value", "missing_value"}
    assert isinstance(result["error"]["offset"], int)
    session.finish()


def test_non_object_records_are_invalid(abi: ABI, out_dir: Path) -> None:
    session = Session(abi, out_dir / "n.parquet")
    for element in (b"1", b'"text"', b"[1, 2]", b"null", b"true"):
        result = abi.take(abi.lib.write_batch(session.writer, b'[{"id": 100}, ' + element + b"]"))
        assert_rejected(result, "invalid_record", row=1)
    session.finish()


INVALID_UTF8 = [
    b'[{"id": 9, "name": "\xff"}]',
    b'[{"id": 9, "name": "\xc0\x80"}]',            # overlong NUL
    b'[{"id": 9, "name": "\xed\xa0\x80"}]',        # an encoded surrogate
    b'[{"id": 9, "name": "\xe2\x82"}]',            # truncated sequence
    b'[{"id": 9, "name": "\xf4\x90\x80\x80"}]',    # beyond U+10FFFF
    b'[{"id": 9, "na\xffme": "x"}]',               # in a key
    b'[{"id": 9, "other": "\xfe"}]',               # in an ignored key
    b'[{"id": 9, "name": "\\ud800"}]',              # a lone surrogate escape
    b'[{"id": 9, "name": "\\udc00\\ud800"}]',        # reversed pair
]


@pytest.mark.parametrize("records", INVALID_UTF8, ids=range(len(INVALID_UTF8)))
def test_invalid_utf8_is_rejected(abi: ABI, out_dir: Path, records: bytes) -> None:
    session = Session(abi, out_dir / "u.parquet")
    result = abi.take(abi.lib.write_batch_n(session.writer, records, len(records)))
    assert result["ok"] is False, result
    assert result["error"]["code"] in {"malformed_json", "invalid_value"}, result
    session.finish()


# -- NULL pointers and dead handles ------------------------------------------------------------


def test_null_pointers_for_every_function(abi: ABI, out_dir: Path) -> None:
    lib = abi.lib
    assert lib.create_writer(None) is None
    assert abi.last_error()["code"] == "invalid_argument"

    writer = abi.create(config(out_dir / "null.parquet"))
    assert writer and abi.last_error() is None

    calls: list[tuple[str, Callable[[], int | None]]] = [
        ("write_batch(NULL, records)", lambda: lib.write_batch(None, b"[]")),
        ("write_batch(w, NULL)", lambda: lib.write_batch(writer, None)),
        ("write_batch(NULL, NULL)", lambda: lib.write_batch(None, None)),
        ("write_batch_n(NULL, data)", lambda: lib.write_batch_n(None, b"[]", 2)),
        ("write_batch_n(w, NULL, 5)", lambda: lib.write_batch_n(writer, None, 5)),
        ("write_batch_n(w, NULL, 0)", lambda: lib.write_batch_n(writer, None, 0)),
        ("close_writer(NULL)", lambda: lib.close_writer(None)),
    ]
    for name, call in calls:
        result = abi.take(call())
        assert result["ok"] is False, name
        assert result["error"]["code"] == "invalid_argument", (name, result)
        assert abi.last_error() == result["error"], name

    lib.abort_writer(None)
    assert abi.last_error()["code"] == "invalid_argument"
    lib.free_string(None)  # a no-op

    # The writer survived all of that.
    assert abi.write(writer, [{"id": 1}])["rows_written"] == 1
    summary = abi.close(writer)
    assert summary["ok"] and summary["rows_written"] == 1
    assert written_ids(out_dir / "null.parquet") == [1]


def test_a_pointer_that_is_not_a_writer_is_an_invalid_handle(abi: ABI) -> None:
    not_a_writer = ctypes.create_string_buffer(64)
    address = ctypes.addressof(not_a_writer)
    assert abi.take(abi.lib.write_batch(address, b"[]"))["error"]["code"] == "invalid_handle"
    assert abi.take(abi.lib.close_writer(address))["error"]["code"] == "invalid_handle"
    abi.lib.abort_writer(address)
    assert abi.last_error()["code"] == "invalid_handle"
    assert not_a_writer.raw == b"\x00" * 64, "the library must not touch memory it does not own"


@pytest.mark.parametrize("ending", ["close", "abort"])
def test_calls_on_a_closed_handle_are_errors(abi: ABI, out_dir: Path, ending: str) -> None:
    path = out_dir / "closed.parquet"
    writer = abi.create(config(path))
    assert abi.write(writer, [{"id": 1}])["ok"]
    if ending == "close":
        assert abi.close(writer)["ok"]
    else:
        abi.abort(writer)
    for _ in range(2):
        result = abi.write(writer, [{"id": 2}])
        assert_rejected(result, "invalid_handle")
        assert abi.take(abi.lib.write_batch_n(writer, b"[]", 2))["error"]["code"] == "invalid_handle"
        assert_rejected(abi.close(writer), "invalid_handle")
        abi.abort(writer)
        assert abi.last_error()["code"] == "invalid_handle"
    if ending == "close":
        assert written_ids(path) == [1]
    else:
        assert list(out_dir.iterdir()) == []


# -- big and deep values ---------------------------------------------------------------------


def test_a_50_mb_string_value_is_written(abi: ABI, out_dir: Path) -> None:
    session = Session(abi, out_dir / "big.parquet")
    big = "x" * (50 * 1024 * 1024 - 3) + "\u00e9z"
    result = abi.write(session.writer, [{"id": 50, "name": big}])
    assert result["ok"] and result["rows_written"] == 1, {k: v for k, v in result.items() if k != "errors"}
    assert abi.write(session.writer, GOOD_AFTER)["ok"]
    summary = abi.close(session.writer)
    assert summary["ok"], summary
    # String statistics are truncated to 64 bytes: the summary stays small.
    assert len(json.dumps(summary)) < 10_000
    table = pq.read_table(session.path)
    assert table.column("id").to_pylist() == [1, 2, 50, 3]
    assert table.column("name").to_pylist()[2] == big


DEPTH = 100_000


def test_deep_nesting_in_an_ignored_key(abi: ABI, out_dir: Path) -> None:
    session = Session(abi, out_dir / "deep.parquet")
    deep = b"[" * DEPTH + b"]" * DEPTH
    records = b'[{"id": 60, "ignored": ' + deep + b'}, {"id": 61, "also": {"a": ' + b'{"b": ' * DEPTH + b"1" + b"}" * DEPTH + b"}}]"
    result = abi.take(abi.lib.write_batch_n(session.writer, records, len(records)))
    if result["ok"]:
        assert result["rows_written"] == 2
        expected = [1, 2, 60, 61, 3]
    else:
        assert result["error"]["code"] == "limit_exceeded", result
        expected = [1, 2, 3]
    assert abi.write(session.writer, GOOD_AFTER)["ok"]
    assert abi.close(session.writer)["ok"]
    assert written_ids(session.path) == expected
    # Deep but unbalanced input is malformed, not a crash.
    writer = abi.create(config(out_dir / "unbalanced.parquet"))
    unbalanced = b'[{"id": 1, "x": ' + b"[" * DEPTH + b"]"
    assert_rejected(abi.take(abi.lib.write_batch_n(writer, unbalanced, len(unbalanced))), "malformed_json")
    abi.abort(writer)


def test_deep_nesting_in_a_json_column(abi: ABI, out_dir: Path) -> None:
    session = Session(abi, out_dir / "deepjson.parquet")
    deep = b"[" * DEPTH + b"]" * DEPTH
    records = b'[{"id": 70, "doc": ' + deep + b"}]"
    result = abi.take(abi.lib.write_batch_n(session.writer, records, len(records)))
    if result["ok"]:
        expected = [1, 2, 70, 3]
    else:
        assert result["error"]["code"] == "limit_exceeded" and result["error"]["column"] == "doc", result
        expected = [1, 2, 3]
    # Deep nesting where a scalar is expected is a type error for that record.
    nested = b'[{"id": 71, "name": ' + deep + b"}]"
    assert_rejected(abi.take(abi.lib.write_batch_n(session.writer, nested, len(nested))), "type_mismatch", column="name")
    assert abi.write(session.writer, GOOD_AFTER)["ok"]
    assert abi.close(session.writer)["ok"]
    table = pq.read_table(session.path)
    assert table.column("id").to_pylist() == expected
    if 70 in expected:
        assert table.column("doc").to_pylist()[2] == deep.decode()


# -- unwritable paths ----------------------------------------------------------------------------


def test_unwritable_paths(abi: ABI, out_dir: Path) -> None:
    assert abi.create(config(out_dir / "missing" / "out.parquet")) is None
    error = abi.last_error()
    assert error["code"] == "io_error" and "missing" in error["message"], error

    assert abi.create(config(out_dir)) is None
    error = abi.last_error()
    assert error["code"] == "io_error" and "directory" in error["message"], error

    (out_dir / "sub").mkdir()
    assert abi.create(config(out_dir / "sub")) is None
    assert abi.last_error()["code"] == "io_error"
    assert abi.create(config(str(out_dir) + "/")) is None
    assert abi.last_error()["code"] == "invalid_options"

    file = out_dir / "plain-file"
    file.write_text("x")
    assert abi.create(config(file / "out.parquet")) is None
    assert abi.last_error()["code"] == "io_error"

    assert sorted(p.name for p in out_dir.iterdir()) == ["plain-file", "sub"], "nothing else left behind"
