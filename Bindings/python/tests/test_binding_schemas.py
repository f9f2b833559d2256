"""Schema sources of the binding: native schema, ``json_schema=`` (JSON Schema), and inference."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parquet_writer import ParquetWriterError, Writer

STREAM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": ["null", "string"]},
        "score": {"type": ["null", "number"]},
        "updated_at": {"type": ["null", "string"], "format": "date-time"},
        "day": {"type": ["null", "string"], "format": "date"},
        "extra": {"type": ["null", "object"]},
        "either": {"oneOf": [{"type": "string"}, {"type": "boolean"}]},
    },
}


def plain(arrow_type: pa.DataType) -> pa.DataType:
    return arrow_type.storage_type if isinstance(arrow_type, pa.BaseExtensionType) else arrow_type


def only_file(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_json_schema_keyword(out_dir: Path) -> None:
    path = out_dir / "js.parquet"
    when = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
    with Writer(path, json_schema=STREAM_SCHEMA) as w:
        w.write([
            {"id": 1, "name": "a", "score": float("nan"), "updated_at": when, "day": dt.date(2024, 3, 1),
             "extra": {"x": 1}, "either": True},
            {"id": 2},
        ])
    assert w.schema is None and w.json_schema == STREAM_SCHEMA
    table = pq.read_table(path)
    types = {f.name: plain(f.type) for f in table.schema}
    assert types == {
        "id": pa.int64(), "name": pa.string(), "score": pa.float64(), "updated_at": pa.timestamp("us", tz="UTC"),
        "day": pa.date32(), "extra": pa.string(), "either": pa.string(),
    }
    assert table.schema.field("id").nullable is False
    rows = table.to_pylist()
    assert rows[0]["updated_at"] == when
    assert math.isnan(rows[0]["score"])  # the number column is known to be a float column
    assert rows[0]["either"] == "true"
    assert rows[1]["name"] is None


def test_json_schema_nested(out_dir: Path) -> None:
    path = out_dir / "nested.parquet"
    schema = {"properties": {
        "id": {"type": "integer"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "address": {"type": "object", "properties": {"city": {"type": "string"}}},
    }}
    with Writer(path, json_schema=schema) as w:
        w.write([{"id": 1, "tags": ["a", "b"], "address": {"city": "Oslo"}}, {"id": 2}])
    table = pq.read_table(path)
    assert table.schema.field("address").type == pa.struct([("city", pa.string())])
    assert table.to_pylist()[0] == {"id": 1, "tags": ["a", "b"], "address": {"city": "Oslo"}}


def test_inference(out_dir: Path) -> None:
    path = out_dir / "inferred.parquet"
    with Writer(path) as w:
        assert only_file(out_dir) == []
        w.write([{"id": 1, "v": 1, "s": "a"}, {"id": 2, "v": 2.5, "n": None}])
        w.write({"id": 3, "v": 4, "s": "c", "n": "late"})
    table = pq.read_table(path)
    assert table.column_names == ["id", "v", "s", "n"]
    assert [plain(f.type) for f in table.schema] == [pa.int64(), pa.float64(), pa.string(), pa.string()]
    assert table.column("n").to_pylist() == [None, None, "late"]


def test_inference_misfit_under_skip_and_fail(out_dir: Path) -> None:
    with Writer(out_dir / "skip.parquet", on_invalid="skip") as w:
        w.write([{"id": 1}])
        result = w.write([{"id": "x"}, {"id": 2}])
    assert result.rows_written == 1 and result.rows_rejected == 1
    assert result.errors[0]["column"] == "id"
    with Writer(out_dir / "fail.parquet") as w:
        w.write([{"id": 1}])
        with pytest.raises(ParquetWriterError) as info:
            w.write([{"id": 2}, {"id": {"no": 1}}])
        assert info.value.row == 1 and info.value.column == "id"
    assert pq.read_table(out_dir / "fail.parquet").column("id").to_pylist() == [1]


def test_inference_without_records_raises_on_close(out_dir: Path) -> None:
    w = Writer(out_dir / "empty.parquet")
    w.write([])
    with pytest.raises(ParquetWriterError) as info:
        w.close()
    assert info.value.code == "invalid_schema"
    assert "nothing was written" in info.value.message
    assert only_file(out_dir) == []


def test_schema_source_errors(out_dir: Path) -> None:
    with pytest.raises(ParquetWriterError) as info:
        Writer(out_dir / "x.parquet", [("a", "int64")], json_schema={"properties": {"a": {"type": "integer"}}})
    assert info.value.code == "invalid_schema" and "not both" in info.value.message
    with pytest.raises(ParquetWriterError) as info:
        Writer(out_dir / "x.parquet", STREAM_SCHEMA)  # a JSON Schema given as the native schema
    assert info.value.code == "invalid_schema" and "json_schema=" in info.value.message
    with pytest.raises(ParquetWriterError) as info:
        Writer(out_dir / "x.parquet", json_schema={"properties": {"a": {"$ref": "#/definitions/a"}}})
    assert info.value.code == "invalid_schema" and "$ref" in info.value.message
    with pytest.raises(ParquetWriterError) as info:
        Writer(out_dir / "x.parquet", json_schema="not a dict")  # type: ignore[arg-type]
    assert info.value.code == "invalid_schema"
    assert only_file(out_dir) == []


# -- Airbyte end to end ----------------------------------------------------------------------
#
# A real Airbyte source, airbyte-source-faker (PyPI), run offline: `discover` gives the catalog,
# whose streams' JSON Schemas go to json_schema=, and `read` gives the records. The source
# pins numpy<2 (through airbyte-cdk), so it lives in a venv of its own, not the test venv:
#
#     python3 -m venv /tmp/airbyte-venv && /tmp/airbyte-venv/bin/pip install airbyte-source-faker
#     AIRBYTE_SOURCE_FAKER=/tmp/airbyte-venv/bin/source-faker pytest Bindings/python/tests
#
# Without it (no AIRBYTE_SOURCE_FAKER and no source-faker on PATH) the test is skipped.


def _source_faker() -> str | None:
    import os
    import shutil

    return os.environ.get("AIRBYTE_SOURCE_FAKER") or shutil.which("source-faker")


def _airbyte_messages(command: list[str]) -> list[dict[str, Any]]:
    import json
    import subprocess

    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


@pytest.mark.skipif(_source_faker() is None, reason="airbyte-source-faker not installed (set AIRBYTE_SOURCE_FAKER)")
def test_airbyte_source_faker_end_to_end(tmp_path: Path) -> None:
    import json

    faker = _source_faker()
    assert faker
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"count": 250, "seed": 7, "records_per_slice": 100, "parallelism": 1}))
    catalog = next(m["catalog"] for m in _airbyte_messages([faker, "discover", "--config", str(config)]) if m["type"] == "CATALOG")
    streams = {s["name"]: s for s in catalog["streams"]}
    assert {"users", "products", "purchases"} <= set(streams)
    configured = tmp_path / "catalog.json"
    configured.write_text(json.dumps({"streams": [
        {"stream": s, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"} for s in streams.values()
    ]}))
    records: dict[str, list[dict[str, Any]]] = {name: [] for name in streams}
    for message in _airbyte_messages([faker, "read", "--config", str(config), "--catalog", str(configured)]):
        if message["type"] == "RECORD":
            records[message["record"]["stream"]].append(message["record"]["data"])
    assert all(records[name] for name in ("users", "products", "purchases")), {k: len(v) for k, v in records.items()}

    for name, stream in streams.items():
        path = tmp_path / f"{name}.parquet"
        with Writer(path, json_schema=stream["json_schema"], on_invalid="skip", row_group_rows=100) as w:
            result = w.write(records[name], batch_size=64)
        assert result.rows_rejected == 0, result.errors[:3]
        assert result.rows_written == len(records[name])
        table = pq.read_table(path)
        assert table.num_rows == len(records[name])
        assert table.column_names == list(stream["json_schema"]["properties"])
        assert table.column("id").to_pylist() == [r["id"] for r in records[name]]
        assert table.schema.field("created_at").type == pa.timestamp("us", tz="UTC")
        if name == "users":
            address = table.schema.field("address").type
            assert pa.types.is_struct(address) and address.field("city").type == pa.string()
            assert table.column("address").to_pylist() == [r.get("address") for r in records[name]]
            assert table.column("email").to_pylist() == [r.get("email") for r in records[name]]
        if name == "purchases":
            returned = table.column("returned_at").to_pylist()
            assert [v is None for v in returned] == [r.get("returned_at") is None for r in records[name]]


def _field_id(field: pa.Field) -> int | None:
    value = (field.metadata or {}).get(b"PARQUET:field_id")
    return None if value is None else int(value)


def test_field_ids_reach_readers(out_dir: Path) -> None:
    """Field ids given in the native schema are Parquet field ids: pyarrow shows them as the
    ``PARQUET:field_id`` metadata Iceberg readers resolve columns by, nested ones included."""
    path = out_dir / "ids.parquet"
    schema = {"fields": [
        {"name": "id", "type": "int64", "nullable": False, "field_id": 1},
        {"name": "tags", "type": "list", "field_id": 2, "items": {"type": "string", "field_id": 4}},
        {"name": "attrs", "type": "map", "field_id": 3, "keys": {"type": "string", "field_id": 5},
         "values": {"type": "int64", "field_id": 6}},
        {"name": "note", "type": "string"},
    ]}
    with Writer(path, schema) as w:
        w.write([{"id": 7, "tags": ["a"], "attrs": {"k": 1}, "note": "x"}])
    read = pq.read_schema(path)
    assert [_field_id(f) for f in read] == [1, 2, 3, None]
    assert _field_id(read.field("tags").type.value_field) == 4
    assert _field_id(read.field("attrs").type.key_field) == 5
    assert _field_id(read.field("attrs").type.item_field) == 6
    assert pq.read_table(path).to_pylist() == [{"id": 7, "tags": ["a"], "attrs": [("k", 1)], "note": "x"}]


def test_field_ids_from_arrow_metadata(out_dir: Path) -> None:
    """An Arrow schema's ``PARQUET:field_id`` metadata (as pyiceberg sets it) is kept, in the
    derived native schema and in the file."""
    arrow = pa.schema([
        pa.field("id", pa.int64(), nullable=False, metadata={"PARQUET:field_id": "10"}),
        pa.field("name", pa.string(), metadata={"PARQUET:field_id": "11"}),
    ])
    path = out_dir / "arrow_ids.parquet"
    with Writer(path, arrow) as w:
        w.write(pa.table({"id": [1, 2], "name": ["a", None]}, schema=arrow))
    assert [_field_id(f) for f in pq.read_schema(path)] == [10, 11]


def test_repeated_field_id_is_refused(out_dir: Path) -> None:
    with pytest.raises(ParquetWriterError, match="field id 1 is used by both 'a' and 'b'"):
        Writer(out_dir / "bad.parquet", [("a", "int64", {"field_id": 1}), ("b", "int64", {"field_id": 1})])
    assert not (out_dir / "bad.parquet").exists()
