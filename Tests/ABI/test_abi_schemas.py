"""Schema sources through the C ABI: a JSON Schema (`json_schema`, the Airbyte catalog subset)
and inference from the first batch when no schema is given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abi import ABI

#: An Airbyte-style catalog stream schema, as a source's `discover` publishes it.
AIRBYTE_STREAM = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["id"],
    "additionalProperties": True,
    "properties": {
        "id": {"type": "integer"},
        "email": {"type": ["null", "string"]},
        "score": {"type": ["null", "number"]},
        "active": {"type": ["null", "boolean"]},
        "created_at": {"type": ["null", "string"], "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
        "local_at": {"type": ["null", "string"], "airbyte_type": "timestamp_without_timezone"},
        "birthday": {"type": ["null", "string"], "format": "date"},
        "count": {"type": ["null", "number"], "airbyte_type": "integer"},
        "raw": {"type": ["null", "object"]},
        "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "maybe_date": {"anyOf": [{"type": "null"}, {"type": "string", "format": "date"}]},
    },
}

NESTED_PROPERTIES = {
    "address": {
        "type": ["null", "object"],
        "properties": {"city": {"type": ["null", "string"]}, "zip": {"type": ["null", "integer"]}},
    },
    "tags": {"type": ["null", "array"], "items": {"type": ["null", "string"]}},
}

FLAT_EXPECTED = {
    "id": pa.int64(),
    "email": pa.string(),
    "score": pa.float64(),
    "active": pa.bool_(),
    "created_at": pa.timestamp("us", tz="UTC"),
    "local_at": pa.timestamp("us"),
    "birthday": pa.date32(),
    "count": pa.int64(),
    "either": pa.string(),  # json (arrow.json over string), read back as its text
    "maybe_date": pa.date32(),
}

RECORDS: list[dict[str, Any]] = [
    {
        "id": 1, "email": "a@x.io", "score": 1.5, "active": True, "created_at": "2024-01-02T03:04:05Z",
        "local_at": "2024-01-02T03:04:05", "birthday": "1990-05-06", "count": 7, "raw": {"k": [1, 2]},
        "either": "text", "maybe_date": "2024-02-29",
    },
    {"id": 2, "email": None, "either": 5, "raw": None},
    {"id": 3},
]


def plain(arrow_type: pa.DataType) -> pa.DataType:
    """The storage type of an extension type (pyarrow reads Parquet JSON as arrow.json)."""
    return arrow_type.storage_type if isinstance(arrow_type, pa.BaseExtensionType) else arrow_type


def create(abi: ABI, cfg: dict[str, Any]) -> int:
    writer = abi.create(cfg)
    assert writer, abi.last_error()
    return writer


def test_airbyte_json_schema_flat(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "airbyte.parquet"
    writer = create(abi, {"path": str(path), "json_schema": AIRBYTE_STREAM})
    result = abi.write(writer, RECORDS)
    assert result["ok"], result
    assert result["rows_written"] == 3
    summary = abi.close(writer)
    assert summary["ok"], summary
    table = pq.read_table(path)
    assert table.column_names == list(AIRBYTE_STREAM["properties"])
    for name, arrow_type in FLAT_EXPECTED.items():
        assert plain(table.schema.field(name).type) == arrow_type, name
    assert plain(table.schema.field("raw").type) == pa.string()
    assert table.schema.field("id").nullable is False
    assert table.schema.field("email").nullable is True
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == [1, 2, 3]
    assert rows[0]["created_at"] == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert rows[0]["birthday"] == dt.date(1990, 5, 6)
    assert rows[0]["either"] == '"text"' and rows[1]["either"] == "5"
    assert rows[0]["raw"] == '{"k": [1, 2]}' or rows[0]["raw"].replace(" ", "") == '{"k":[1,2]}'
    assert rows[2]["email"] is None and rows[2]["raw"] is None


def test_airbyte_json_schema_nested_types(abi: ABI, out_dir: Path) -> None:
    """The nested schema is accepted and declared with the expected Arrow types (no data)."""
    path = out_dir / "nested_schema.parquet"
    schema = {**AIRBYTE_STREAM, "properties": {**AIRBYTE_STREAM["properties"], **NESTED_PROPERTIES}}
    writer = create(abi, {"path": str(path), "json_schema": schema})
    summary = abi.close(writer)
    assert summary["ok"], summary
    arrow = pq.read_schema(path)
    assert arrow.field("address").type == pa.struct([("city", pa.string()), ("zip", pa.int64())])
    assert arrow.field("tags").type.value_type == pa.string()
    assert pa.types.is_list(arrow.field("tags").type)


def test_airbyte_json_schema_nested_data(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "nested.parquet"
    schema = {**AIRBYTE_STREAM, "properties": {**AIRBYTE_STREAM["properties"], **NESTED_PROPERTIES}}
    writer = create(abi, {"path": str(path), "json_schema": schema})
    records = [
        {**RECORDS[0], "address": {"city": "Oslo", "zip": 150}, "tags": ["a", None, "b"]},
        {"id": 2, "address": None, "tags": []},
        {"id": 3, "address": {"city": None}},
    ]
    result = abi.write(writer, records)
    assert result["ok"], result
    assert abi.close(writer)["ok"]
    rows = pq.read_table(path).to_pylist()
    assert rows[0]["address"] == {"city": "Oslo", "zip": 150}
    assert rows[0]["tags"] == ["a", None, "b"]
    assert rows[1]["address"] is None and rows[1]["tags"] == []
    assert rows[2]["address"] == {"city": None, "zip": None} and rows[2]["tags"] is None


def test_json_schema_errors(abi: ABI, out_dir: Path) -> None:
    cases = [
        ({"properties": {"a": {"$ref": "#/definitions/a"}}}, "'$ref'"),
        ({"definitions": {}, "properties": {"a": {"type": "string"}}}, "'definitions'"),
        ({"properties": {"a": {"type": "widget"}}}, "'widget'"),
        ({"type": "object"}, "'properties'"),
    ]
    for schema, fragment in cases:
        assert abi.create({"path": str(out_dir / "x.parquet"), "json_schema": schema}) is None
        error = abi.last_error()
        assert error["code"] == "invalid_schema", error
        assert fragment in error["message"], error
    both = {"path": str(out_dir / "x.parquet"), "schema": {"fields": [{"name": "a", "type": "int64"}]},
            "json_schema": {"properties": {"a": {"type": "integer"}}}}
    assert abi.create(both) is None
    assert abi.last_error()["code"] == "invalid_schema"
    assert list(out_dir.iterdir()) == []


# -- inference -----------------------------------------------------------------------------


def test_inference_from_first_batch(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "inferred.parquet"
    writer = create(abi, {"path": str(path)})
    assert list(out_dir.iterdir()) == []  # nothing created before the first batch
    first = [
        {"id": 1, "price": 2, "name": "a", "flag": True, "nothing": None, "mixed": 1, "obj": {"a": 1}},
        {"id": 2, "price": 2.5, "name": None, "mixed": "x", "obj": 3, "late": "z"},
    ]
    result = abi.write(writer, first)
    assert result["ok"] and result["rows_written"] == 2, result
    result = abi.write(writer, [{"id": 3, "price": 1, "name": "c", "mixed": True}])
    assert result["ok"] and result["rows_written"] == 1, result
    summary = abi.close(writer)
    assert summary["ok"], summary
    table = pq.read_table(path)
    assert table.column_names == ["id", "price", "name", "flag", "nothing", "mixed", "obj", "late"]
    types = {f.name: plain(f.type) for f in table.schema}
    assert types == {
        "id": pa.int64(), "price": pa.float64(), "name": pa.string(), "flag": pa.bool_(),
        "nothing": pa.string(), "mixed": pa.string(), "obj": pa.string(), "late": pa.string(),
    }
    assert all(f.nullable for f in table.schema)
    assert table.column("mixed").to_pylist() == ["1", '"x"', "true"]
    assert table.column("price").to_pylist() == [2.0, 2.5, 1.0]


def test_inference_later_record_that_does_not_fit(abi: ABI, out_dir: Path) -> None:
    # skip: the misfit is listed and left out
    path = out_dir / "skip.parquet"
    writer = create(abi, {"path": str(path), "on_invalid": "skip"})
    assert abi.write(writer, [{"id": 1, "name": "a"}])["ok"]
    result = abi.write(writer, [{"id": "two", "name": "b"}, {"id": 3, "name": "c"}])
    assert result["ok"], result
    assert result["rows_written"] == 1 and result["rows_rejected"] == 1
    assert result["errors"][0]["row"] == 0 and result["errors"][0]["column"] == "id"
    assert abi.close(writer)["ok"]
    assert pq.read_table(path).column("id").to_pylist() == [1, 3]

    # fail: the whole batch is rejected, the writer stays usable
    path = out_dir / "fail.parquet"
    writer = create(abi, {"path": str(path)})
    assert abi.write(writer, [{"id": 1}])["ok"]
    result = abi.write(writer, [{"id": 2}, {"id": 2.5}])
    assert not result["ok"] and result["error"]["column"] == "id", result
    assert abi.write(writer, [{"id": 4}])["ok"]
    assert abi.close(writer)["ok"]
    assert pq.read_table(path).column("id").to_pylist() == [1, 4]


def test_inference_malformed_or_empty_first_batch_fixes_nothing(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "late.parquet"
    writer = create(abi, {"path": str(path)})
    result = abi.write(writer, b'[{"a": 1},')
    assert not result["ok"] and result["error"]["code"] == "malformed_json", result
    result = abi.write(writer, [])
    assert result["ok"] and result["rows_written"] == 0, result
    # the schema comes from the first batch that has records
    assert abi.write(writer, [{"b": "x"}])["ok"]
    assert abi.close(writer)["ok"]
    assert pq.read_table(path).column_names == ["b"]


def test_inference_close_without_records_is_an_error(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "never.parquet"
    writer = create(abi, {"path": str(path), "compression": "zstd"})
    result = abi.close(writer)
    assert not result["ok"]
    assert result["error"]["code"] == "invalid_schema"
    assert "nothing was written to infer one from" in result["error"]["message"]
    assert list(out_dir.iterdir()) == []


def test_inference_still_validates_path_and_options(abi: ABI, out_dir: Path) -> None:
    assert abi.create({"path": str(out_dir / "missing" / "x.parquet")}) is None
    assert abi.last_error()["code"] == "io_error"
    assert abi.create({"path": str(out_dir)}) is None
    assert abi.last_error()["code"] == "io_error"
    assert abi.create({"path": str(out_dir / "x.parquet"), "compression": "lz4"}) is None
    assert abi.last_error()["code"] == "invalid_options"
    assert list(out_dir.iterdir()) == []


def test_inference_abort_leaves_nothing(abi: ABI, out_dir: Path) -> None:
    writer = create(abi, {"path": str(out_dir / "a.parquet")})
    abi.abort(writer)
    writer = create(abi, {"path": str(out_dir / "b.parquet")})
    assert abi.write(writer, [{"a": 1}])["ok"]
    abi.abort(writer)
    assert list(out_dir.iterdir()) == []


def test_inference_nested_data(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "nested_inferred.parquet"
    writer = create(abi, {"path": str(path)})
    records = [{"o": {"a": 1, "l": [1, 2]}, "tags": ["x"]}, {"o": {"b": "y"}, "tags": None}]
    result = abi.write(writer, records)
    assert result["ok"], result
    assert abi.close(writer)["ok"]
    table = pq.read_table(path)
    assert table.schema.field("o").type == pa.struct(
        [("a", pa.int64()), ("l", pa.list_(pa.int64())), ("b", pa.string())]
    )
    assert table.to_pylist()[0]["o"] == {"a": 1, "l": [1, 2], "b": None}
