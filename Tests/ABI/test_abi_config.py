"""create_writer's configuration through the C ABI: bad ones give NULL and a last_error()
that names the problem; good ones produce files with the options asked for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abi import ABI, config

GOOD_FIELDS = [{"name": "id", "type": "int64"}]


def with_fields(*fields: dict[str, Any]) -> dict[str, Any]:
    return {"path": "PATH", "schema": {"fields": list(fields)}}


BAD_CONFIGS: list[tuple[str, Any, str, str]] = [
    # (id, config (PATH replaced), code, fragment of the message)
    ("unknown key", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "colour": "red"}, "invalid_options", "'colour'"),
    ("unknown key in schema", {"path": "PATH", "schema": {"fields": GOOD_FIELDS, "version": 2}}, "invalid_schema", "'version'"),
    ("unknown key in field", with_fields({"name": "a", "type": "int64", "default": 0}), "invalid_schema", "'default'"),
    ("unknown type", with_fields({"name": "a", "type": "int128"}), "invalid_schema", "'int128'"),
    ("unknown type case", with_fields({"name": "a", "type": "STRING"}), "invalid_schema", "'STRING'"),
    ("length on int64", with_fields({"name": "a", "type": "int64", "length": 8}), "invalid_schema", "'length' is not valid for type int64"),
    ("utc on date", with_fields({"name": "a", "type": "date", "utc": True}), "invalid_schema", "'utc' is not valid for type date"),
    ("precision on string", with_fields({"name": "a", "type": "string", "precision": 3}), "invalid_schema", "'precision' is not valid"),
    ("scale on float", with_fields({"name": "a", "type": "float64", "scale": 3}), "invalid_schema", "'scale' is not valid"),
    ("missing path", {"schema": {"fields": GOOD_FIELDS}}, "invalid_options", "'path'"),
    # no schema at all means inference (test_abi_schemas.py); both schema sources is an error
    ("schema and json_schema", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "json_schema": {"properties": {}}}, "invalid_schema", "'json_schema'"),
    ("missing fields", {"path": "PATH", "schema": {}}, "invalid_schema", "'fields'"),
    ("empty fields", {"path": "PATH", "schema": {"fields": []}}, "invalid_schema", "at least one field"),
    ("missing name", with_fields({"type": "int64"}), "invalid_schema", "'name'"),
    ("missing type", with_fields({"name": "a"}), "invalid_schema", "'type'"),
    ("missing length", with_fields({"name": "a", "type": "fixed_binary"}), "invalid_schema", "'length'"),
    ("missing precision", with_fields({"name": "a", "type": "decimal"}), "invalid_schema", "'precision'"),
    ("bad precision", with_fields({"name": "a", "type": "decimal", "precision": 39}), "invalid_schema", "'precision'"),
    ("scale above precision", with_fields({"name": "a", "type": "decimal", "precision": 4, "scale": 5}), "invalid_schema", "'scale'"),
    ("duplicate field", with_fields({"name": "a", "type": "int64"}, {"name": "a", "type": "int32"}), "invalid_schema", "duplicate field name 'a'"),
    ("path not string", {"path": 5, "schema": {"fields": GOOD_FIELDS}}, "invalid_options", "'path'"),
    ("schema not object", {"path": "PATH", "schema": [GOOD_FIELDS]}, "invalid_schema", "must be a JSON object"),
    ("fields not array", {"path": "PATH", "schema": {"fields": {"name": "a"}}}, "invalid_schema", "'fields'"),
    ("field not object", with_fields("a"), "invalid_schema", "field 0"),
    ("name not string", with_fields({"name": 1, "type": "int64"}), "invalid_schema", "'name'"),
    ("type not string", with_fields({"name": "a", "type": 64}), "invalid_schema", "'type'"),
    ("nullable not bool", with_fields({"name": "a", "type": "int64", "nullable": "yes"}), "invalid_schema", "'nullable'"),
    ("utc not bool", with_fields({"name": "a", "type": "timestamp_us", "utc": 1}), "invalid_schema", "'utc'"),
    ("length not int", with_fields({"name": "a", "type": "fixed_binary", "length": "16"}), "invalid_schema", "'length'"),
    ("compression not string", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "compression": True}, "invalid_options", "'compression'"),
    ("compression unknown", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "compression": "lzo"}, "invalid_options", "'lzo'"),
    ("level with snappy", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "compression_level": 3}, "invalid_options", "'compression_level'"),
    ("level out of range", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "compression": "gzip", "compression_level": 12}, "invalid_options", "'compression_level'"),
    ("rows not int", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "row_group_rows": "100"}, "invalid_options", "'row_group_rows'"),
    ("rows zero", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "row_group_rows": 0}, "invalid_options", "'row_group_rows'"),
    ("column buffer zero", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "column_buffer_bytes": 0}, "invalid_options", "'column_buffer_bytes'"),
    ("column buffer text", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "column_buffer_bytes": "1MB"}, "invalid_options", "'column_buffer_bytes'"),
    ("bytes fraction", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "row_group_bytes": 1.5}, "invalid_options", "'row_group_bytes'"),
    ("page too big", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "page_bytes": 2**31}, "invalid_options", "'page_bytes'"),
    ("dictionary not bool", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "dictionary": "on"}, "invalid_options", "'dictionary'"),
    ("on_invalid unknown", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "on_invalid": "ignore"}, "invalid_options", "'ignore'"),
    ("metadata not object", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "metadata": [["k", "v"]]}, "invalid_options", "'metadata'"),
    ("metadata value not string", {"path": "PATH", "schema": {"fields": GOOD_FIELDS}, "metadata": {"k": 1}}, "invalid_options", "'k'"),
]


@pytest.mark.parametrize("name,cfg,code,fragment", BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
def test_bad_config(abi: ABI, out_dir: Path, name: str, cfg: Any, code: str, fragment: str) -> None:
    text = json.dumps(cfg).replace('"PATH"', json.dumps(str(out_dir / "x.parquet")))
    assert abi.create(text) is None, name
    error = abi.last_error()
    assert error["code"] == code, error
    assert fragment in error["message"], error
    assert list(out_dir.iterdir()) == []


RAW_BAD_CONFIGS = [
    (b"", "malformed_json"),
    (b"{", "malformed_json"),
    (b'{"path": "x.parquet",}', "malformed_json"),
    (b"{'path': 'x'}", "malformed_json"),
    (b"null", "invalid_options"),
    (b"[]", "invalid_options"),
    (b'"config"', "invalid_options"),
    (b'{"path": "x\xff.parquet", "schema": {"fields": [{"name": "a", "type": "int64"}]}}', "malformed_json"),
    (b'{"path": "x.parquet", "path": "y.parquet", "schema": {"fields": [{"name": "a", "type": "int64"}]}}', "invalid_options"),
    (b'{"path": "x\\u0000y", "schema": {"fields": [{"name": "a", "type": "int64"}]}}', "invalid_options"),
    (b'{"path": "x", "metadata": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "limit_exceeded"),
]


@pytest.mark.parametrize("text,code", RAW_BAD_CONFIGS, ids=range(len(RAW_BAD_CONFIGS)))
def test_invalid_json_config(abi: ABI, text: bytes, code: str) -> None:
    assert abi.create(text) is None
    error = abi.last_error()
    assert error["code"] == code, error
    assert error["message"]


def test_every_option_reaches_the_file(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "opts.parquet"
    fields = [
        {"name": "id", "type": "int64", "nullable": False},
        {"name": "word", "type": "string"},
        {"name": "fixed", "type": "fixed_binary", "length": 3},
        {"name": "local", "type": "timestamp_ms", "utc": False},
        {"name": "money", "type": "decimal", "precision": 20, "scale": 3},
    ]
    writer = abi.create(config(
        path, fields, compression="gzip", compression_level=9, row_group_rows=10, row_group_bytes=1 << 20,
        page_bytes=4096, dictionary=False, on_invalid="skip", metadata={"origin": "abi-test", "n": "1"}))
    assert writer, abi.last_error()
    records = [{"id": i, "word": f"w{i % 3}", "fixed": "AAEC", "local": i, "money": f"{i}.5"} for i in range(25)]
    records.insert(5, {"id": "bad"})
    result = abi.write(writer, records)
    assert result["ok"] and result["rows_written"] == 25 and result["rows_rejected"] == 1, result
    summary = abi.close(writer)
    assert summary["ok"] and summary["files"][0]["row_groups"] == 3, summary

    parquet = pq.ParquetFile(path)
    metadata = parquet.metadata
    assert metadata.num_row_groups == 3
    column = metadata.row_group(0).column(1)
    assert column.compression == "GZIP"
    assert "PLAIN_DICTIONARY" not in column.encodings and "RLE_DICTIONARY" not in column.encodings
    assert metadata.metadata[b"origin"] == b"abi-test" and metadata.metadata[b"n"] == b"1"
    schema = parquet.schema_arrow
    assert schema.field("id").nullable is False
    assert schema.field("fixed").type == pa.binary(3)
    assert schema.field("local").type == pa.timestamp("ms")
    assert schema.field("money").type == pa.decimal128(20, 3)
    assert parquet.read().column("id").to_pylist() == list(range(25))


def test_column_buffer_bytes_changes_memory_not_the_file(abi: ABI, out_dir: Path) -> None:
    fields = [{"name": "id", "type": "int64", "nullable": False}, {"name": "word", "type": "string"}]
    records = [{"id": i * 7919, "word": f"w{i % 300}-{i % 7}"} for i in range(30_000)]
    outputs = {}
    # null keeps every page in memory; 1 parks each page in the scratch file as it closes.
    for name, buffer in (("memory", None), ("parked", 1), ("default", "absent")):
        path = out_dir / f"{name}.parquet"
        options = {"compression": "zstd", "row_group_rows": 12_000, "page_bytes": 4096}
        if buffer != "absent":
            options["column_buffer_bytes"] = buffer
        writer = abi.create(config(path, fields, **options))
        assert writer, abi.last_error()
        for start in range(0, len(records), 7_000):
            assert abi.write(writer, records[start:start + 7_000])["ok"]
        assert abi.close(writer)["ok"]
        outputs[name] = path.read_bytes()
    assert outputs["parked"] == outputs["memory"] == outputs["default"]
    assert sorted(p.name for p in out_dir.iterdir()) == ["default.parquet", "memory.parquet", "parked.parquet"]
    table = pq.read_table(out_dir / "parked.parquet")
    assert table.column("id").to_pylist() == [r["id"] for r in records]
    assert table.column("word").to_pylist() == [r["word"] for r in records]


def test_defaults(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "defaults.parquet"
    writer = abi.create(config(path, [{"name": "a", "type": "string"}, {"name": "t", "type": "timestamp_us"}]))
    assert writer
    result = abi.write(writer, [{"a": "x"}, {"a": "x"}, {"a": "y"}, {"a": 1}])
    assert result["ok"] is False, "on_invalid defaults to fail"
    assert abi.write(writer, [{"a": "x"}, {"a": "x"}, {"a": None}])["ok"], "nullable defaults to true"
    assert abi.close(writer)["ok"]
    parquet = pq.ParquetFile(path)
    column = parquet.metadata.row_group(0).column(0)
    assert column.compression == "SNAPPY"
    assert any("DICTIONARY" in encoding for encoding in column.encodings)
    assert parquet.schema_arrow.field("a").nullable
    assert parquet.schema_arrow.field("t").type == pa.timestamp("us", tz="UTC"), "utc defaults to true"
