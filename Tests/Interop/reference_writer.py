#!/usr/bin/env python3
"""Reference implementation of the `parquet-interop-gen` CLI on top of pyarrow.

It exists to prove the interop suite's expectations right against a trusted writer:

    PARQUET_INTEROP_GEN="python Tests/Interop/reference_writer.py" .venv/bin/python -m pytest Tests/Interop

Commands (same contract as the Swift generator):
    write SPEC.json
        writes every file of the spec, prints one JSON line per file:
        {"path": ..., "rows": n, "row_groups": n, "bytes": n}
    synth --rows N --out PATH [--compression CODEC]
        streams the synthetic table in batches of 10,000 rows, prints
        {"rows": N, "row_groups": n, "bytes": n, "peak_rss_bytes": n}

Honoured options: compression, compression_level, dictionary, row_group_rows, page_bytes,
dictionary_page_bytes, metadata. pyarrow has no equivalent of row_group_bytes (ignored) or of
statistics_truncate_length (pyarrow never truncates statistics; it is ignored too).
Self-contained on purpose: it shares no code with the suite it validates.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
from decimal import Decimal
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

# pyarrow spells LZ4_RAW "LZ4" (it never writes the Hadoop-framed LZ4).
CODECS = {"uncompressed": "NONE", "snappy": "SNAPPY", "gzip": "GZIP", "zstd": "ZSTD", "lz4_raw": "LZ4",
          "brotli": "BROTLI"}

SIMPLE_TYPES: dict[str, pa.DataType] = {
    "boolean": pa.bool_(),
    "int8": pa.int8(), "int16": pa.int16(), "int32": pa.int32(), "int64": pa.int64(),
    "uint8": pa.uint8(), "uint16": pa.uint16(), "uint32": pa.uint32(), "uint64": pa.uint64(),
    "float32": pa.float32(), "float64": pa.float64(),
    "string": pa.string(), "binary": pa.binary(),
    "date": pa.date32(),
    "time_ms": pa.time32("ms"), "time_us": pa.time64("us"), "time_ns": pa.time64("ns"),
    "uuid": pa.uuid(), "json": pa.json_(),
}


def arrow_type(f: dict[str, Any]) -> pa.DataType:
    t = f["type"]
    if t in SIMPLE_TYPES:
        return SIMPLE_TYPES[t]
    if t == "fixed_binary":
        return pa.binary(int(f["length"]))
    if t == "decimal":
        return pa.decimal128(int(f["precision"]), int(f.get("scale", 0)))
    if t.startswith("timestamp_"):
        return pa.timestamp(t.split("_")[1], tz="UTC" if f.get("utc", True) else None)
    raise SystemExit(f"unknown type {t!r}")


def decode(f: dict[str, Any], v: Any) -> Any:
    if v is None:
        return None
    t = f["type"]
    if t == "boolean":
        return bool(v)
    if t in ("float32", "float64"):
        return float(v)  # float() accepts "NaN", "Infinity", "-Infinity" and repr() output
    if t in ("string", "json"):
        return v
    if t in ("binary", "fixed_binary", "uuid"):
        return bytes.fromhex(v)
    if t == "decimal":
        unscaled = int(v)
        digits = tuple(int(d) for d in str(abs(unscaled)))
        return Decimal((1 if unscaled < 0 else 0, digits, -int(f.get("scale", 0))))
    return int(v)  # integers, date, time_*, timestamp_*


def build_table(spec: dict[str, Any]) -> pa.Table:
    fields = spec["fields"]
    schema = pa.schema(
        [pa.field(f["name"], arrow_type(f), nullable=f.get("nullable", True)) for f in fields]
    )
    arrays = []
    for f, af in zip(fields, schema):
        values = [decode(f, v) for v in spec["columns"][f["name"]]]
        if isinstance(af.type, pa.ExtensionType):
            storage = pa.array(values, type=af.type.storage_type)
            arrays.append(pa.ExtensionArray.from_storage(af.type, storage))
        else:
            arrays.append(pa.array(values, type=af.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def writer_kwargs(options: dict[str, Any]) -> dict[str, Any]:
    kw: dict[str, Any] = {
        "compression": CODECS[options.get("compression", "uncompressed")],
        "use_dictionary": bool(options.get("dictionary", True)),
        "store_schema": False,  # like the Swift writer: no ARROW:schema blob
        "store_decimal_as_integer": True,  # precision <= 18 as INT32 / INT64, like the Swift writer
        "write_statistics": True,
    }
    if "compression_level" in options:
        kw["compression_level"] = int(options["compression_level"])
    if "page_bytes" in options:
        kw["data_page_size"] = int(options["page_bytes"])
        kw["write_batch_size"] = max(1, min(1024, int(options["page_bytes"]) // 64))
    if "dictionary_page_bytes" in options:
        kw["dictionary_pagesize_limit"] = int(options["dictionary_page_bytes"])
    if "data_page_version" in options:
        kw["data_page_version"] = f"{int(options['data_page_version'])}.0"
    return kw


# A field's "encoding" as pyarrow's column_encoding spells it ("plain" and "dictionary" go
# through use_dictionary instead).
COLUMN_ENCODINGS = {"delta_binary_packed": "DELTA_BINARY_PACKED", "delta_length_byte_array": "DELTA_LENGTH_BYTE_ARRAY",
                    "delta_byte_array": "DELTA_BYTE_ARRAY", "byte_stream_split": "BYTE_STREAM_SPLIT"}


def encoding_kwargs(spec: dict[str, Any], kw: dict[str, Any]) -> dict[str, Any]:
    """Per-field encodings: column_encoding for DELTA / BYTE_STREAM_SPLIT, and the dictionary on
    exactly the columns that may have one."""
    chosen = {f["name"]: f["encoding"] for f in spec["fields"] if f.get("encoding")}
    if not chosen:
        return kw
    default = kw["use_dictionary"]
    kw["use_dictionary"] = [f["name"] for f in spec["fields"]
                            if chosen.get(f["name"]) == "dictionary" or (f["name"] not in chosen and default)]
    columns = {name: COLUMN_ENCODINGS[e] for name, e in chosen.items() if e in COLUMN_ENCODINGS}
    if columns:
        kw["column_encoding"] = columns
    return kw


def write_file(spec: dict[str, Any]) -> dict[str, Any]:
    options = spec.get("options", {})
    table = build_table(spec)
    path = spec["path"]
    with pq.ParquetWriter(path, table.schema, **encoding_kwargs(spec, writer_kwargs(options))) as writer:
        if options.get("metadata"):
            writer.add_key_value_metadata(dict(options["metadata"]))
        writer.write_table(table, row_group_size=options.get("row_group_rows") or None)
    md = pq.ParquetFile(path).metadata
    return {"path": path, "rows": md.num_rows, "row_groups": md.num_row_groups,
            "bytes": os.path.getsize(path)}


def synth(rows: int, out: str, compression: str) -> dict[str, Any]:
    schema = pa.schema([
        pa.field("id", pa.int64(), nullable=False),
        pa.field("value", pa.float64(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("flag", pa.bool_(), nullable=False),
        pa.field("opt", pa.int32(), nullable=True),
    ])
    batch = 10_000
    with pq.ParquetWriter(out, schema, compression=CODECS[compression], store_schema=False) as w:
        for start in range(0, rows, batch):
            ids = range(start, min(rows, start + batch))
            w.write_batch(pa.record_batch([
                pa.array(ids, pa.int64()),
                pa.array([i * 0.5 for i in ids], pa.float64()),
                pa.array([f"name-{i % 1000}" for i in ids], pa.string()),
                pa.array([i % 3 == 0 for i in ids], pa.bool_()),
                pa.array([None if i % 7 == 0 else i % 100_000 for i in ids], pa.int32()),
            ], schema=schema), row_group_size=1_000_000)
    md = pq.ParquetFile(out).metadata
    return {"rows": md.num_rows, "row_groups": md.num_row_groups, "bytes": os.path.getsize(out),
            "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="reference_writer.py")
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("spec")
    s = sub.add_parser("synth")
    s.add_argument("--rows", type=int, required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--compression", default="uncompressed", choices=sorted(CODECS))
    args = parser.parse_args(argv)
    if args.command == "write":
        with open(args.spec, "rb") as fh:
            spec = orjson.loads(fh.read())
        for file_spec in spec["files"]:
            sys.stdout.write(orjson.dumps(write_file(file_spec)).decode() + "\n")
    else:
        sys.stdout.write(orjson.dumps(synth(args.rows, args.out, args.compression)).decode() + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
