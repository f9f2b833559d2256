"""Schema drift through the C ABI (issue 13 part 5): keys outside the schema are counted in
every batch result and in the close result under each `unknown_keys` policy (ignore, fail,
collect), and inference types strings that are timestamps, dates or exact decimals
(`infer_strings`). Read back with pyarrow and DuckDB."""

from __future__ import annotations

import datetime
import decimal
import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abi import ABI, ndjson
from arrow_c import write_arrow

# Batch 1 fixes the inferred schema: id, s {x}. Batch 2 brings `extra` at the top level and
# `s.y` inside the struct.
BATCH1 = [{"id": 1, "s": {"x": 1}}, {"id": 2, "s": {"x": 2}}]
BATCH2 = [
    {"id": 3, "extra": "a", "s": {"x": 3, "y": True}},
    {"id": 4, "s": {"x": 4}},
    {"id": 5, "extra": None, "more": [1, {"k": "v"}], "s": {"x": 5}},
]


def open_writer(abi: ABI, out_dir: Path, **options: Any) -> tuple[int, Path]:
    path = out_dir / "drift.parquet"
    writer = abi.create({"path": str(path), **options})
    assert writer, abi.last_error()
    return writer, path


# -- ignore -----------------------------------------------------------------------------------


def test_ignore_reports_counts_per_batch_and_at_close(abi: ABI, out_dir: Path) -> None:
    writer, path = open_writer(abi, out_dir)
    first = abi.write(writer, ndjson(BATCH1))
    assert first["ok"] and first["unknown_keys"] == {}
    second = abi.write(writer, ndjson(BATCH2))
    assert second["ok"], second
    assert second["rows_written"] == 3
    assert second["unknown_keys"] == {"extra": 2, "s.y": 1, "more": 1}
    third = abi.write(writer, json.dumps([{"id": 6, "extra": 1}]))
    assert third["unknown_keys"] == {"extra": 1}
    summary = abi.close(writer)
    assert summary["ok"], summary
    assert summary["unknown_keys"] == {"extra": 3, "s.y": 1, "more": 1}
    table = pq.read_table(path)
    assert table.column_names == ["id", "s"]
    assert table.column("id").to_pylist() == [1, 2, 3, 4, 5, 6]
    assert table.column("s").to_pylist()[2] == {"x": 3}


def test_explicit_schemas_report_too_and_skipped_records_do_not_count(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "given.parquet"
    writer = abi.create({
        "path": str(path), "on_invalid": "skip",
        "schema": {"fields": [{"name": "id", "type": "int64", "nullable": False}]},
    })
    assert writer, abi.last_error()
    result = abi.write(writer, ndjson([{"id": 1, "a": 1}, {"id": "x", "a": 2, "b": 3}, {"id": 3, "a": 3}]))
    assert result["rows_written"] == 2 and result["rows_rejected"] == 1
    assert result["unknown_keys"] == {"a": 2}
    assert abi.close(writer)["unknown_keys"] == {"a": 2}


def test_a_rejected_batch_counts_for_nothing(abi: ABI, out_dir: Path) -> None:
    writer, _ = open_writer(abi, out_dir)
    assert abi.write(writer, ndjson(BATCH1))["ok"]
    failed = abi.write(writer, ndjson([{"id": 9, "gone": 1}, {"id": "not an int"}]))
    assert not failed["ok"]
    assert abi.close(writer)["unknown_keys"] == {}


def test_names_are_bounded_per_writer(abi: ABI, out_dir: Path) -> None:
    writer, _ = open_writer(abi, out_dir)
    assert abi.write(writer, json.dumps([{"id": 0}]))["ok"]
    result = abi.write(writer, ndjson([{"id": i, f"k{i}": i} for i in range(1, 1_011)]))
    assert result["ok"], result
    counts = result["unknown_keys"]
    assert len(counts) == 1_001
    assert counts["(other)"] == 10
    assert list(counts)[-1] == "(other)"
    # Known names keep counting after the limit; new ones still go to the overflow.
    later = abi.write(writer, json.dumps([{"id": 1, "k1": 1}, {"id": 2, "brand_new": 1}]))
    assert later["unknown_keys"] == {"k1": 1, "(other)": 1}
    summary = abi.close(writer)
    assert summary["unknown_keys"]["k1"] == 2
    assert summary["unknown_keys"]["(other)"] == 11


# -- fail ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("on_invalid", ["fail", "skip"])
def test_fail_rejects_the_batch_and_keeps_earlier_ones(abi: ABI, out_dir: Path, on_invalid: str) -> None:
    writer, path = open_writer(abi, out_dir, unknown_keys="fail", on_invalid=on_invalid)
    assert abi.write(writer, ndjson(BATCH1))["ok"]
    text = ndjson(BATCH2)
    result = abi.write(writer, text)
    assert not result["ok"]
    error = result["error"]
    assert error["code"] == "invalid_record", error
    assert error["column"] == "extra"
    assert error["row"] == 0
    assert error["offset"] == text.index(b'"extra"')
    assert "'extra' is not in the schema" in error["message"]
    # A key unknown only inside a struct fails too, named by its path.
    nested = abi.write(writer, json.dumps([{"id": 7}, {"id": 8, "s": {"x": 1, "y": 2}}]))
    assert not nested["ok"]
    assert nested["error"]["column"] == "s.y" and nested["error"]["row"] == 1
    assert abi.write(writer, json.dumps([{"id": 9, "s": {"x": 9}}]))["ok"]
    summary = abi.close(writer)
    assert summary["ok"] and summary["rows_written"] == 3 and summary["unknown_keys"] == {}
    assert pq.read_table(path).column("id").to_pylist() == [1, 2, 9]


# -- collect ------------------------------------------------------------------------------------


def test_collect_keeps_unknown_members_in_a_json_column(abi: ABI, out_dir: Path) -> None:
    writer, path = open_writer(abi, out_dir, unknown_keys="collect")
    assert abi.write(writer, ndjson(BATCH1))["ok"]
    text = b'{"id": 3, "extra": "a", "s": {"x": 3, "y": true}}\n{"id": 4, "s": {"x": 4}}\n' \
        b'{"extra" : null,"id": 5, "more": [1, {"k": "v\\u00e9"}], "s": {"x": 5}}\n'
    result = abi.write(writer, text)
    assert result["ok"], result
    assert result["unknown_keys"] == {"extra": 2, "s.y": 1, "more": 1}
    summary = abi.close(writer)
    assert summary["ok"], summary
    table = pq.read_table(path)
    assert table.column_names == ["id", "s", "_unknown"]
    assert table.schema.field("_unknown").nullable
    texts = table.column("_unknown").to_pylist()
    # Member text copied as written; struct members (s.y) are only reported.
    assert texts == [None, None, '{"extra":"a"}', None, '{"extra":null,"more":[1, {"k": "v\\u00e9"}]}']
    assert [None if t is None else json.loads(t) for t in texts][4] == {"extra": None, "more": [1, {"k": "vé"}]}
    rows = duckdb.sql(f"SELECT id, typeof(_unknown), _unknown->>'extra' FROM '{path}' ORDER BY id").fetchall()
    assert rows[0][1] == "JSON"
    assert [row[2] for row in rows] == [None, None, "a", None, None]
    assert duckdb.sql(f"SELECT count(*) FROM '{path}' WHERE json_exists(_unknown, '$.more')").fetchall() == [(1,)]


def test_collect_with_a_given_schema_and_a_named_column(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "named.parquet"
    writer = abi.create({
        "path": str(path), "unknown_keys": "collect", "unknown_keys_column": "rest",
        "schema": {"fields": [{"name": "id", "type": "int64"}]},
    })
    assert writer, abi.last_error()
    assert abi.write(writer, ndjson([{"id": 1, "a": [1, 2]}, {"id": 2}]))["ok"]
    abi.close(writer)
    assert pq.read_table(path).column("rest").to_pylist() == ['{"a":[1, 2]}', None]


def test_collect_in_a_partitioned_dataset(abi: ABI, out_dir: Path) -> None:
    directory = out_dir / "ds"
    writer = abi.create({"directory": str(directory), "unknown_keys": "collect", "partition_by": ["p"]})
    assert writer, abi.last_error()
    assert abi.write(writer, ndjson([{"p": "a", "v": 1}, {"p": "b", "v": 2}]))["ok"]
    result = abi.write(writer, ndjson([{"p": "a", "v": 3, "n": 1}, {"p": "b", "v": 4}]))
    assert result["ok"] and result["unknown_keys"] == {"n": 1}, result
    summary = abi.close(writer)
    assert summary["unknown_keys"] == {"n": 1}
    rows = duckdb.sql(
        f"SELECT v, _unknown FROM read_parquet('{directory}/**/*.parquet', hive_partitioning=true) ORDER BY v").fetchall()
    assert rows == [(1, None), (2, None), (3, '{"n":1}'), (4, None)]


def test_dataset_fail_and_ignore(abi: ABI, out_dir: Path) -> None:
    for policy in ("ignore", "fail"):
        directory = out_dir / policy
        writer = abi.create({"directory": str(directory), "unknown_keys": policy, "partition_by": ["p"]})
        assert writer, abi.last_error()
        assert abi.write(writer, ndjson([{"p": "a", "v": 1}]))["ok"]
        result = abi.write(writer, ndjson([{"p": "a", "v": 2, "n": {"deep": 1}}]))
        if policy == "fail":
            assert not result["ok"] and result["error"]["column"] == "n"
        else:
            assert result["unknown_keys"] == {"n": 1}
        summary = abi.close(writer)
        assert summary["ok"]
        assert sorted(pq.read_table(directory).column("v").to_pylist()) == ([1] if policy == "fail" else [1, 2])


# -- options ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options,code,fragment",
    [
        ({"unknown_keys": "drop"}, "invalid_options", "expected one of: ignore, fail, collect"),
        ({"unknown_keys": 1}, "invalid_options", "unknown_keys"),
        ({"unknown_keys_column": "x"}, "invalid_options", "only valid with unknown_keys collect"),
        ({"unknown_keys": "fail", "unknown_keys_column": "x"}, "invalid_options", "only valid with unknown_keys collect"),
        ({"unknown_keys": "collect", "unknown_keys_column": ""}, "invalid_options", "must not be empty"),
        ({"unknown_keys": "collect", "unknown_keys_column": "id",
          "schema": {"fields": [{"name": "id", "type": "int64"}]}}, "invalid_options", "already a field"),
        ({"infer_strings": "no"}, "invalid_options", "infer_strings"),
        ({"infer_strings": False, "schema": {"fields": [{"name": "id", "type": "int64"}]}},
         "invalid_options", "only valid when the schema is inferred"),
    ],
)
def test_bad_options(abi: ABI, out_dir: Path, options: dict[str, Any], code: str, fragment: str) -> None:
    assert abi.create({"path": str(out_dir / "x.parquet"), **options}) is None
    error = abi.last_error()
    assert error["code"] == code, error
    assert fragment in error["message"], error
    assert list(out_dir.iterdir()) == []


def test_an_inferred_field_named_like_the_collect_column_fails_the_first_batch(abi: ABI, out_dir: Path) -> None:
    writer, _ = open_writer(abi, out_dir, unknown_keys="collect")
    result = abi.write(writer, json.dumps([{"_unknown": 1}]))
    assert not result["ok"]
    assert result["error"]["code"] == "invalid_options"
    assert "already a field" in result["error"]["message"]
    abi.abort(writer)


def test_collect_refuses_arrow_input(abi: ABI, out_dir: Path) -> None:
    writer, _ = open_writer(abi, out_dir, unknown_keys="collect")
    result = write_arrow(abi, writer, pa.record_batch({"id": [1]}))
    assert not result["ok"]
    assert "Arrow input" in result["error"]["message"]
    abi.abort(writer)


# -- string inference ---------------------------------------------------------------------------


def test_inference_types_timestamps_dates_and_decimals(abi: ABI, out_dir: Path) -> None:
    writer, path = open_writer(abi, out_dir)
    records = [
        {"z": "2024-01-02T03:04:05Z", "off": "2024-01-02T03:04:05+01:00", "naive": "2024-01-02 03:04:05",
         "frac": "2024-01-02T03:04:05.123456Z", "d": "2024-02-29", "m": "12.50", "s": "hello"},
        {"z": "2024-01-02T03:04:06z", "off": "2024-01-02T03:04:05.5-02:30", "naive": "2024-01-02T03:04:05.25",
         "frac": "2024-01-02T03:04:05.1Z", "d": "1970-01-01", "m": "-0.125", "s": "2024-01-02"},
    ]
    assert abi.write(writer, ndjson(records))["ok"]
    assert abi.close(writer)["ok"]
    table = pq.read_table(path)
    schema = table.schema
    assert schema.field("z").type == pa.timestamp("us", tz="UTC")
    assert schema.field("off").type == pa.timestamp("us", tz="UTC")
    assert schema.field("frac").type == pa.timestamp("us", tz="UTC")
    assert schema.field("naive").type == pa.timestamp("us")
    assert schema.field("d").type == pa.date32()
    assert schema.field("m").type == pa.decimal128(5, 3)
    assert schema.field("s").type == pa.string()
    utc = datetime.timezone.utc
    assert table.column("z").to_pylist() == [
        datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=utc), datetime.datetime(2024, 1, 2, 3, 4, 6, tzinfo=utc)]
    assert table.column("off").to_pylist() == [
        datetime.datetime(2024, 1, 2, 2, 4, 5, tzinfo=utc), datetime.datetime(2024, 1, 2, 5, 34, 5, 500000, tzinfo=utc)]
    assert table.column("frac").to_pylist() == [
        datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=utc), datetime.datetime(2024, 1, 2, 3, 4, 5, 100000, tzinfo=utc)]
    assert table.column("naive").to_pylist() == [
        datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.datetime(2024, 1, 2, 3, 4, 5, 250000)]
    assert table.column("d").to_pylist() == [datetime.date(2024, 2, 29), datetime.date(1970, 1, 1)]
    assert table.column("m").to_pylist() == [decimal.Decimal("12.500"), decimal.Decimal("-0.125")]
    described = dict(duckdb.sql(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{path}')").fetchall())
    assert described["z"] == "TIMESTAMP WITH TIME ZONE"
    assert described["naive"] == "TIMESTAMP"
    assert described["m"] == "DECIMAL(5,3)"


def test_mixed_kinds_stay_strings(abi: ABI, out_dir: Path) -> None:
    writer, path = open_writer(abi, out_dir)
    records = [
        {"zoned_and_naive": "2024-01-02T03:04:05Z", "date_and_ts": "2024-01-02", "dec_and_text": "1.5"},
        {"zoned_and_naive": "2024-01-02T03:04:05", "date_and_ts": "2024-01-02T03:04:05", "dec_and_text": "n/a"},
    ]
    assert abi.write(writer, ndjson(records))["ok"]
    abi.close(writer)
    schema = pq.read_schema(path)
    assert [schema.field(name).type for name in schema.names] == [pa.string()] * 3


def test_infer_strings_false_keeps_strings(abi: ABI, out_dir: Path) -> None:
    writer, path = open_writer(abi, out_dir, infer_strings=False)
    assert abi.write(writer, json.dumps([{"t": "2024-01-02T03:04:05Z", "d": "2024-01-02", "m": "1.5"}]))["ok"]
    abi.close(writer)
    table = pq.read_table(path)
    assert [table.schema.field(name).type for name in table.column_names] == [pa.string()] * 3
    assert table.to_pylist() == [{"t": "2024-01-02T03:04:05Z", "d": "2024-01-02", "m": "1.5"}]


@pytest.mark.parametrize("on_invalid", ["fail", "skip"])
def test_a_later_value_that_does_not_parse_follows_on_invalid(abi: ABI, out_dir: Path, on_invalid: str) -> None:
    writer, path = open_writer(abi, out_dir, on_invalid=on_invalid)
    assert abi.write(writer, json.dumps([{"d": "2024-01-02", "m": "1.25"}]))["ok"]
    result = abi.write(writer, json.dumps([{"d": "2024-01-03", "m": "2.5"}, {"d": "soon", "m": "1.5"}, {"m": "1.125"}]))
    if on_invalid == "fail":
        assert not result["ok"] and result["error"]["column"] == "d" and result["error"]["row"] == 1
    else:
        assert result["rows_written"] == 1 and result["rows_rejected"] == 2
        assert {error["column"] for error in result["errors"]} == {"d", "m"}
    abi.close(writer)
    expected = [datetime.date(2024, 1, 2)] + ([datetime.date(2024, 1, 3)] if on_invalid == "skip" else [])
    assert pq.read_table(path).column("d").to_pylist() == expected
