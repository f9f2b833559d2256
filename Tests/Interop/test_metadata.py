"""File-level metadata: key-value metadata round trip (pyarrow, DuckDB, polars), created_by,
the generator's report against the footer, requested codec per column, Parquet schema (physical
and logical types) and column orders."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from interop_gen import Generator, Written
from interop_corpus import CODEC_IDS, CODEC_NAMES, CODECS, PYARROW_CODEC_NAMES, corpus_names
from interop_readers import duckdb_connection
from interop_spec import TIME_TYPES, TIMESTAMP_TYPES, Field, FileSpec, unit_of
from parquet_footer import read_footer

CREATED_BY = re.compile(r"^parquet-writer version \d+\.\d+\.\d+ \(build [0-9a-f]+\)$")
KV = {
    "k": "v",
    "unicode é 中文": "🎉 value",
    "empty": "",
    "json": '{"a": [1, 2], "b": null}',
    "long": "x" * 10_000,
}
ROWS = 250


def _small_file(name: str, options: dict) -> FileSpec:
    fields = [Field("id", "int64", False), Field("s", "string", True), Field("f", "float64", True)]
    return FileSpec(name, fields, {
        "id": list(range(ROWS)),
        "s": [None if i % 3 == 0 else f"s-{i % 17}" for i in range(ROWS)],
        "f": [None if i % 5 == 0 else i / 8 for i in range(ROWS)],
    }, options)


def metadata_files() -> list[FileSpec]:
    files = [_small_file("kv", {"metadata": KV}), _small_file("no-kv", {})]
    for codec in CODECS:
        opts: dict = {"compression": codec, "row_group_rows": 100}
        if codec in ("zstd", "gzip"):
            opts["compression_level"] = 1
        files.append(_small_file(f"codec-{codec}", opts))
    return files


@pytest.fixture(scope="module")
def written(generator: Generator, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Written]:
    files = metadata_files()
    reports = generator.write(files, tmp_path_factory.mktemp("metadata"))  # one invocation
    return {f.name: Written(f, reports[f.name]) for f in files}


@pytest.fixture(scope="module")
def duck() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb_connection()
    yield con
    con.close()


def test_key_value_metadata_round_trips(written: dict[str, Written], duck: duckdb.DuckDBPyConnection) -> None:
    path = str(written["kv"].path)
    want = {k.encode(): v.encode() for k, v in KV.items()}
    assert pq.ParquetFile(path).metadata.metadata == want
    assert pq.read_table(path).schema.metadata == want
    rows = duck.execute("SELECT key, value FROM parquet_kv_metadata(?)", [path]).fetchall()
    assert dict(rows) == want and len(rows) == len(want)
    assert pl.read_parquet_metadata(path) == KV


def test_no_metadata_means_no_key_values(written: dict[str, Written]) -> None:
    assert not pq.ParquetFile(written["no-kv"].path).metadata.metadata


@pytest.mark.ours_only
@pytest.mark.parametrize("name", ["kv", "codec-zstd"])
def test_created_by(written: dict[str, Written], duck: duckdb.DuckDBPyConnection, name: str) -> None:
    path = str(written[name].path)
    created_by = pq.ParquetFile(path).metadata.created_by
    assert CREATED_BY.match(created_by), created_by
    (via_duckdb,) = duck.execute("SELECT created_by FROM parquet_file_metadata(?)", [path]).fetchone()
    assert via_duckdb == created_by


@pytest.mark.parametrize("codec", CODECS)
def test_requested_codec_on_every_column(written: dict[str, Written], duck: duckdb.DuckDBPyConnection, codec: str) -> None:
    w = written[f"codec-{codec}"]
    md = pq.ParquetFile(w.path).metadata
    assert md.num_row_groups == math.ceil(ROWS / 100)
    got = {md.row_group(i).column(j).compression for i in range(md.num_row_groups) for j in range(md.num_columns)}
    assert got == {PYARROW_CODEC_NAMES[codec]}
    rows = duck.execute("SELECT DISTINCT compression FROM parquet_metadata(?)", [str(w.path)]).fetchall()
    assert rows == [(CODEC_NAMES[codec],)]
    # The id itself, from the raw footer: FileMetaData.row_groups(4) -> RowGroup.columns(1) ->
    # ColumnChunk.meta_data(3) -> ColumnMetaData.codec(4); LZ4_RAW is 7, never the deprecated 5.
    footer = read_footer(w.path)
    assert {chunk[3][4] for group in footer[4] for chunk in group[1]} == {CODEC_IDS[codec]}
    assert pl.read_parquet(w.path).height == ROWS


def _check_report(w: Written) -> None:
    md = pq.ParquetFile(w.path).metadata
    r = w.report
    assert r["path"] == str(w.path)
    assert r["rows"] == md.num_rows == w.spec.num_rows
    assert r["row_groups"] == md.num_row_groups
    assert r["bytes"] == w.path.stat().st_size


@pytest.mark.parametrize("name", corpus_names())
def test_report_matches_footer_corpus(corpus_files: dict[str, Written], name: str) -> None:
    _check_report(corpus_files[name])


def test_report_matches_footer_metadata_files(written: dict[str, Written]) -> None:
    for w in written.values():
        _check_report(w)


def test_row_group_rows_splits_row_groups(corpus_files: dict[str, Written]) -> None:
    md = pq.ParquetFile(corpus_files["many-row-groups"].path).metadata
    assert [md.row_group(i).num_rows for i in range(md.num_row_groups)] == [100] * 10 + [50]


def expected_logical(f: Field) -> dict:
    """Subset of pyarrow's LogicalType.to_json() the column must match."""
    t = f.type
    if t in ("int8", "int16", "uint8", "uint16", "uint32", "uint64"):
        return {"Type": "Int", "bitWidth": int(re.sub(r"\D", "", t)), "isSigned": t.startswith("int")}
    if t == "string":
        return {"Type": "String"}
    if t == "date":
        return {"Type": "Date"}
    if t in TIME_TYPES:
        return {"Type": "Time", "timeUnit": {"ms": "milliseconds", "us": "microseconds", "ns": "nanoseconds"}[unit_of(t)]}
    if t in TIMESTAMP_TYPES:
        return {"Type": "Timestamp", "isAdjustedToUTC": f.is_utc,
                "timeUnit": {"ms": "milliseconds", "us": "microseconds", "ns": "nanoseconds"}[unit_of(t)]}
    if t == "decimal":
        return {"Type": "Decimal", "precision": f.precision, "scale": f.scale or 0}
    if t == "uuid":
        return {"Type": "UUID"}
    if t == "json":
        return {"Type": "JSON"}
    return {"Type": "None"}  # boolean, float32/64, binary, fixed_binary; int32/int64 see below


@pytest.mark.parametrize("name", ["req-dict-snappy", "opt-plain-gzip", "zero-rows-req", "all-null"])
def test_parquet_schema(corpus_files: dict[str, Written], name: str) -> None:
    w = corpus_files[name]
    schema = pq.ParquetFile(w.path).schema
    problems = []
    for j, f in enumerate(w.spec.fields):
        c = schema.column(j)
        logical = json.loads(c.logical_type.to_json())
        want = expected_logical(f)
        ok = all(logical.get(k) == v for k, v in want.items())
        if f.type in ("int32", "int64"):  # plain signed ints may or may not carry Int(bitWidth, true)
            ok = logical["Type"] == "None" or logical == {"Type": "Int", "bitWidth": int(f.type[3:]), "isSigned": True}
        if not ok:
            problems.append(f"{f.name}: logical {logical}, expected {want}")
        if c.physical_type != f.physical_type:
            problems.append(f"{f.name}: physical {c.physical_type}, expected {f.physical_type}")
        if f.fixed_length is not None and c.length != f.fixed_length:
            problems.append(f"{f.name}: type_length {c.length}, expected {f.fixed_length}")
        if c.max_definition_level != (1 if f.nullable else 0) or c.max_repetition_level != 0:
            problems.append(f"{f.name}: levels def={c.max_definition_level} rep={c.max_repetition_level}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ["opt-dict-snappy", "many-row-groups"])
def test_column_orders_are_type_defined(corpus_files: dict[str, Written], name: str) -> None:
    """FileMetaData.column_orders (field 7) holds TypeDefinedOrder for every column: without it
    readers must ignore min_value/max_value."""
    raw = read_footer(corpus_files[name].path)
    orders = raw.get(7)
    assert orders is not None and len(orders) == len(corpus_files[name].spec.fields)
    assert all(o == {1: {}} for o in orders), orders
