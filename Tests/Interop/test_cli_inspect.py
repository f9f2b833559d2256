"""`parquet-writer inspect` against pyarrow: files written by pyarrow (several types, nulls,
several row groups), inspected by the command line, and every fact of `--json` compared with
`pyarrow.parquet.ParquetFile(...).metadata` (rows, row groups, per-chunk sizes, codecs,
encodings, dictionary pages, null counts, min and max). Also the text output and the errors
for files that are not Parquet.

The binary is PARQUET_WRITER_CLI (the Makefile points it at the release `parquet-writer`).
"""

from __future__ import annotations

import datetime
import decimal
import json
import struct
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROWS = 1000
ROW_GROUP_ROWS = 300  # 4 row groups: 300, 300, 300, 100



def run(cli: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([cli, "inspect", *args], capture_output=True, text=True, timeout=60)


def sample_table() -> pa.Table:
    """Many types, nulls in every nullable column, one all-null column."""
    n = range(ROWS)

    def nulls(values: list[Any], every: int) -> list[Any]:
        return [None if i % every == 0 else v for i, v in enumerate(values)]

    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    uuids = [uuid.UUID(int=(i * 0x9E3779B97F4A7C15) % (1 << 128)).bytes for i in n]
    return pa.table({
        "id": pa.array(list(n), pa.int64()),
        "small": pa.array(nulls([(i % 200) - 100 for i in n], 7), pa.int8()),
        "count": pa.array(nulls([(i * 7_919) % 4_000_000_000 for i in n], 5), pa.uint32()),
        "big": pa.array(nulls([(1 << 63) + i for i in n], 9), pa.uint64()),
        "ratio": pa.array(nulls([i / 7 - 50 for i in n], 4), pa.float32()),
        "score": pa.array(nulls([(i - 500) * 1.25e-3 for i in n], 6), pa.float64()),
        "half": pa.array(nulls([float(i % 64) - 32.5 for i in n], 8), pa.float32()).cast(pa.float16()),
        "flag": pa.array(nulls([i % 3 == 0 for i in n], 11), pa.bool_()),
        "name": pa.array(nulls([f"name-{(i * 37) % 101:03d} ç" for i in n], 3), pa.string()),
        "blob": pa.array(nulls([bytes([i % 256, (i * 3) % 256]) for i in n], 10), pa.binary()),
        "amount": pa.array(nulls([decimal.Decimal(i * 13 - 6000) / 100 for i in n], 5), pa.decimal128(10, 2)),
        "wide": pa.array(nulls([decimal.Decimal(f"{i - 500}12345678901234567.{i % 1000:03d}") for i in n], 4),
                         pa.decimal128(30, 3)),
        "day": pa.array(nulls([datetime.date(1960, 1, 1) + datetime.timedelta(days=i * 29) for i in n], 6)),
        "at": pa.array(nulls([epoch + datetime.timedelta(milliseconds=i * 86_399_123 - 10**9) for i in n], 5),
                       pa.timestamp("ms", tz="UTC")),
        "local": pa.array(nulls([datetime.datetime(2020, 2, 29) + datetime.timedelta(microseconds=i * 999_999)
                                 for i in n], 7), pa.timestamp("us")),
        "clock": pa.array(nulls([(i * 86_311) % 86_400_000 for i in n], 9), pa.time32("ms")),
        "uid": pa.ExtensionArray.from_storage(pa.uuid(), pa.array(nulls(uuids, 12), pa.binary(16))),
        "tags": pa.array([None if i % 13 == 0 else [f"t{i % 5}", None, f"u{i % 9}"][: i % 4] for i in n],
                         pa.list_(pa.string())),
        "point": pa.array([None if i % 17 == 0 else {"x": i, "y": None if i % 2 else f"y{i}"} for i in n],
                          pa.struct([("x", pa.int32()), ("y", pa.string())])),
        "nothing": pa.array([None] * ROWS, pa.int32()),
    })


WRITE_OPTIONS = {
    "zstd-dictionary": dict(compression="zstd", compression_level=3),
    "snappy-plain-v2": dict(compression="snappy", use_dictionary=False, data_page_version="2.0",
                            store_decimal_as_integer=True),
}


@pytest.fixture(scope="module", params=list(WRITE_OPTIONS))
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inspect") / f"{request.param}.parquet"
    pq.write_table(sample_table(), path, row_group_size=ROW_GROUP_ROWS, **WRITE_OPTIONS[request.param])
    return path


@pytest.fixture(scope="module")
def report(cli: str, written: Path) -> dict[str, Any]:
    result = run(cli, "--json", str(written))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def float32(x: float) -> float:
    return struct.unpack("<f", struct.pack("<f", x))[0]


def fraction(microseconds: int, unit: str) -> str:
    return f".{microseconds // 1000:03d}" if unit == "ms" else f".{microseconds:06d}"


def expected_value(value: Any, column: pq.ColumnChunkMetaData, arrow_type: pa.DataType) -> Any:
    """pyarrow's statistic as inspect renders it in JSON."""
    if pa.types.is_float16(arrow_type):
        return struct.unpack("<e", value)[0]  # pyarrow gives FLOAT16 bounds as raw bytes
    if isinstance(arrow_type, pa.UuidType):
        return str(uuid.UUID(bytes=value))
    if isinstance(value, bool) or isinstance(value, int) or isinstance(value, str):
        return value
    if isinstance(value, float):
        return float32(value) if column.physical_type == "FLOAT" else value
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        unit = arrow_type.unit
        text = value.strftime("%Y-%m-%dT%H:%M:%S") + fraction(value.microsecond, unit)
        return text + ("Z" if arrow_type.tz is not None else "")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S") + fraction(value.microsecond, arrow_type.unit)
    raise AssertionError(f"no expectation for {value!r} ({type(value)})")


def leaf_types(schema: pa.Schema) -> dict[str, pa.DataType]:
    """Arrow type of every Parquet leaf path ("tags.list.element", "point.x")."""
    out: dict[str, pa.DataType] = {}

    def walk(prefix: str, t: pa.DataType) -> None:
        if pa.types.is_list(t):
            walk(prefix + ".list.element", t.value_type)
        elif pa.types.is_struct(t):
            for k in range(t.num_fields):
                walk(prefix + "." + t.field(k).name, t.field(k).type)
        else:
            out[prefix] = t

    for field in schema:
        walk(field.name, field.type)
    return out


def test_file_facts(report: dict[str, Any], written: Path) -> None:
    md = pq.ParquetFile(written).metadata
    assert report["path"] == str(written)
    assert report["size_bytes"] == written.stat().st_size
    assert report["footer_bytes"] == md.serialized_size
    assert report["rows"] == md.num_rows == ROWS
    assert report["row_group_count"] == md.num_row_groups == 4
    assert report["created_by"] == md.created_by
    assert str(report["format_version"]) == md.format_version.split(".")[0]
    assert {e["key"].encode(): e["value"].encode() for e in report["key_value_metadata"]} == md.metadata
    assert report["warnings"] == []


def test_schema(report: dict[str, Any], written: Path) -> None:
    schema = pq.ParquetFile(written).schema
    leaves = [node for node in report["schema"] if node["is_leaf"]]
    assert len(leaves) == len(schema)
    for node, column in zip(leaves, (schema.column(i) for i in range(len(schema)))):
        assert node["name"] == column.name
        assert node["physical_type"] == column.physical_type
    by_name = {node["name"]: node for node in report["schema"]}
    assert report["schema"][0]["depth"] == 0
    assert by_name["tags"]["logical_type"] == "LIST" and not by_name["tags"]["is_leaf"]
    assert by_name["list"]["repetition"] == "repeated" and by_name["list"]["depth"] == 2
    assert by_name["element"]["depth"] == 3
    assert by_name["name"]["logical_type"] == "STRING"
    assert by_name["at"]["logical_type"] == "TIMESTAMP(MILLIS, utc)"
    assert by_name["local"]["logical_type"] == "TIMESTAMP(MICROS, local)"
    assert by_name["amount"]["logical_type"] == "DECIMAL(10,2)"
    assert by_name["count"]["logical_type"] == "INT(32, unsigned)"
    assert by_name["uid"]["logical_type"] == "UUID" and by_name["uid"]["type_length"] == 16
    assert by_name["half"]["logical_type"] == "FLOAT16"
    assert by_name["id"]["repetition"] == "optional"  # pyarrow writes every column as optional


def test_row_groups_and_chunks(report: dict[str, Any], written: Path) -> None:
    pf = pq.ParquetFile(written)
    md = pf.metadata
    types = leaf_types(pf.schema_arrow)
    assert len(report["row_groups"]) == md.num_row_groups
    problems: list[str] = []
    for i, group in enumerate(report["row_groups"]):
        rg = md.row_group(i)
        assert group["index"] == i
        assert group["rows"] == rg.num_rows
        assert group["total_byte_size"] == rg.total_byte_size
        assert group["total_compressed_size"] == sum(rg.column(j).total_compressed_size for j in range(rg.num_columns))
        assert len(group["columns"]) == rg.num_columns
        for j, chunk in enumerate(group["columns"]):
            col = rg.column(j)
            where = f"rg{i} {col.path_in_schema}"
            facts = {
                "path": col.path_in_schema,
                "physical_type": col.physical_type,
                "codec": col.compression,
                "encodings": list(col.encodings),
                "num_values": col.num_values,
                "total_compressed_size": col.total_compressed_size,
                "total_uncompressed_size": col.total_uncompressed_size,
                "has_dictionary_page": col.has_dictionary_page,
                "dictionary_page_offset": col.dictionary_page_offset,
                "data_page_offset": col.data_page_offset,
            }
            for key, expected in facts.items():
                if chunk[key] != expected:
                    problems.append(f"{where}: {key} {chunk[key]!r} != pyarrow {expected!r}")
            ratio = col.total_uncompressed_size / col.total_compressed_size
            if abs(chunk["compression_ratio"] - ratio) > 1e-9:
                problems.append(f"{where}: ratio {chunk['compression_ratio']} != {ratio}")

            stats = col.statistics
            ours = chunk["statistics"]
            if stats is None:
                if ours is not None:
                    problems.append(f"{where}: statistics where pyarrow has none")
                continue
            if ours["null_count"] != stats.null_count:
                problems.append(f"{where}: null_count {ours['null_count']} != {stats.null_count}")
            if not stats.has_min_max:
                if ours["min"] is not None or ours["max"] is not None:
                    problems.append(f"{where}: min/max {ours['min']!r}/{ours['max']!r} where pyarrow has none")
                continue
            arrow_type = types[col.path_in_schema]
            for bound, value in (("min", stats.min), ("max", stats.max)):
                expected = expected_value(value, col, arrow_type)
                got = ours[bound]
                same = got == expected and type(got) is type(expected)
                if isinstance(expected, float) and isinstance(got, (int, float)):
                    # A FLOAT bound is printed in float32's shortest form ("0.1"), which reads
                    # back in Python as the nearest double: round it to float32 again.
                    single = col.physical_type == "FLOAT" or pa.types.is_float16(arrow_type)
                    same = (float32(got) if single else float(got)) == expected
                if not same:
                    problems.append(f"{where}: {bound} {got!r} != pyarrow {value!r} -> {expected!r}")
    assert not problems, "\n".join(problems[:40])


def test_column_summaries(report: dict[str, Any], written: Path) -> None:
    md = pq.ParquetFile(written).metadata
    columns = report["columns"]
    assert [c["path"] for c in columns] == [md.row_group(0).column(j).path_in_schema for j in range(md.num_columns)]
    for j, column in enumerate(columns):
        chunks = [md.row_group(i).column(j) for i in range(md.num_row_groups)]
        assert column["chunks"] == md.num_row_groups
        assert column["num_values"] == sum(c.num_values for c in chunks)
        assert column["null_count"] == sum(c.statistics.null_count for c in chunks)
        assert column["total_compressed_size"] == sum(c.total_compressed_size for c in chunks)
        assert column["total_uncompressed_size"] == sum(c.total_uncompressed_size for c in chunks)
        assert set(column["encodings"]) == {e for c in chunks for e in c.encodings}
        assert column["codecs"] == [chunks[0].compression]
        assert column["physical_type"] == chunks[0].physical_type
    assert next(c for c in columns if c["path"] == "nothing")["null_count"] == ROWS


def test_text_output(cli: str, written: Path) -> None:
    result = run(cli, str(written))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    text = result.stdout
    md = pq.ParquetFile(written).metadata
    assert text.startswith(f"file            {written}\n")
    assert "\nrows            1000\n" in text
    assert "\nrow groups      4\n" in text
    for i in range(md.num_row_groups):
        assert f"\nrow group {i}: {md.row_group(i).num_rows} rows, " in text
    for j in range(md.num_columns):
        path = md.row_group(0).column(j).path_in_schema
        assert f"\n  {path} " in text, path
    assert md.row_group(0).column(0).compression in text
    assert "\ncolumns (whole file)\n" in text
    assert "├── tags" in text and "│   └── list" in text
    # A table per row group and one for the whole file, each led by its header line.
    assert text.count("\n  column ") == md.num_row_groups + 1


@pytest.mark.parametrize("case", ["missing", "directory", "short", "not-parquet", "truncated", "bad-length",
                                  "garbage-footer"])
def test_errors(cli: str, written: Path, tmp_path: Path, case: str) -> None:
    data = written.read_bytes()
    length = int.from_bytes(data[-8:-4], "little")
    target = tmp_path / f"{case}.parquet"
    if case == "directory":
        target = tmp_path
    elif case == "short":
        target.write_bytes(b"PAR1\x00PAR1")
    elif case == "not-parquet":
        target.write_bytes(b"a,b,c\n1,2,3\n" * 10)
    elif case == "truncated":
        target.write_bytes(data[: len(data) - 100])
    elif case == "bad-length":
        target.write_bytes(data[:-8] + (len(data)).to_bytes(4, "little") + b"PAR1")
    elif case == "garbage-footer":
        start = len(data) - 8 - length
        target.write_bytes(data[:start] + b"\xff" * length + data[-8:])
    result = run(cli, "--json", str(target))
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(target) in lines[0]
    expected = {
        "missing": "No such file or directory",
        "directory": "is a directory",
        "short": "shorter than the 12 bytes",
        "not-parquet": "not a Parquet file",
        "truncated": "not a Parquet file",
        "bad-length": f"footer length {len(data)} does not fit",
        "garbage-footer": "is not a valid FileMetaData",
    }[case]
    assert expected in lines[0]
