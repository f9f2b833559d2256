#!/usr/bin/env python3
"""Benchmark: NDJSON transaction records -> Parquet (zstd), this library against its peers.

    make bench                      # BENCH_ROWS=1000000 BENCH_REPEAT=1 by default
    python Benchmarks/bench.py --rows 200000 --repeat 3 [--only ours_bytes,duckdb_t1] [--save]

Every contender runs in its own subprocess (a fresh interpreter), on the same cached NDJSON
file (Benchmarks/gen_data.py), and reports its own wall time and peak RSS (VmHWM from
/proc/self/status at its exit; ru_maxrss is not used, it survives exec from the parent).
With --repeat N each contender runs N times and the fastest run is kept. Every output file is
read back with pyarrow (metadata only) to check the row count. Goals are reported, never
enforced: the exit status is 0 unless a contender crashed or wrote a wrong row count.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as _dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import gen_data  # noqa: E402

# About 13,000 records per write_batch_n call: the caller's batch, held once by Python.
CHUNK_BYTES = 4 << 20
BATCH_ROWS = 10_000
ZSTD_LEVEL = 3  # the library's default; pyarrow, DuckDB and polars default to zstd level 1/3

# The one schema, as each tool spells it.
NATIVE_SCHEMA = {"fields": [
    {"name": "transaction_id", "type": "int64", "nullable": False},
    {"name": "account_id", "type": "int64", "nullable": False},
    {"name": "created_at", "type": "timestamp_ms", "utc": True, "nullable": False},
    {"name": "amount", "type": "float64", "nullable": False},
    {"name": "currency", "type": "string", "nullable": False},
    {"name": "category", "type": "string", "nullable": False},
    {"name": "status", "type": "string", "nullable": False},
    {"name": "merchant", "type": "string", "nullable": False},
    {"name": "description", "type": "string", "nullable": False},
    {"name": "is_refund", "type": "boolean", "nullable": False},
    {"name": "fee", "type": "int64", "nullable": True},
]}
DUCKDB_COLUMNS = ("{'transaction_id': 'BIGINT', 'account_id': 'BIGINT', 'created_at': 'TIMESTAMPTZ', "
                  "'amount': 'DOUBLE', 'currency': 'VARCHAR', 'category': 'VARCHAR', 'status': 'VARCHAR', "
                  "'merchant': 'VARCHAR', 'description': 'VARCHAR', 'is_refund': 'BOOLEAN', 'fee': 'BIGINT'}")


def arrow_schema(timestamp_as_string: bool = False):
    import pyarrow as pa
    ts = pa.string() if timestamp_as_string else pa.timestamp("ms", tz="UTC")
    return pa.schema([
        ("transaction_id", pa.int64()), ("account_id", pa.int64()), ("created_at", ts),
        ("amount", pa.float64()), ("currency", pa.string()), ("category", pa.string()),
        ("status", pa.string()), ("merchant", pa.string()), ("description", pa.string()),
        ("is_refund", pa.bool_()), ("fee", pa.int64()),
    ])


def polars_schema():
    import polars as pl
    return {"transaction_id": pl.Int64, "account_id": pl.Int64, "created_at": pl.Datetime("ms", "UTC"),
            "amount": pl.Float64, "currency": pl.String, "category": pl.String, "status": pl.String,
            "merchant": pl.String, "description": pl.String, "is_refund": pl.Boolean, "fee": pl.Int64}


def vm_hwm_bytes() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def ndjson_chunks(path: str, size: int = CHUNK_BYTES):
    """(bytes, length) pieces of whole lines, at most ~`size` + one line each; never the whole file."""
    carry = b""
    with open(path, "rb") as f:
        while True:
            block = f.read(size)
            if not block:
                break
            data = carry + block if carry else block
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                carry = data
                continue
            yield data, cut
            carry = data[cut:]
    if carry.strip():
        yield carry, len(carry)


def ndjson_buffers(path: str, size: int = CHUNK_BYTES):
    """Like ndjson_chunks, but every piece is read into one reused buffer (yielded as a ctypes
    array over it and its length of whole lines): the caller's input costs one buffer, as a
    pipeline reading from a socket or file would hold."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    start = 0  # bytes of an unfinished line kept at the front
    with open(path, "rb") as f:
        while True:
            if start == len(buffer):  # one line longer than the buffer: a bigger one
                buffer = buffer + bytes(len(buffer))
                view = memoryview(buffer)
            got = f.readinto(view[start:])
            end = start + got
            if got == 0:
                if buffer[:end].strip():
                    yield (ctypes.c_char * len(buffer)).from_buffer(buffer), end
                break
            cut = buffer.rfind(b"\n", 0, end) + 1
            if cut == 0:
                start = end
                continue
            yield (ctypes.c_char * len(buffer)).from_buffer(buffer), cut
            buffer[:end - cut] = buffer[cut:end]
            start = end - cut


def dict_batches(path: str, rows: int = BATCH_ROWS):
    import orjson
    loads = orjson.loads
    batch: List[Dict[str, Any]] = []
    for data, cut in ndjson_chunks(path):
        for line in data[:cut].splitlines():
            batch.append(loads(line))
            if len(batch) == rows:
                yield batch
                batch = []
    if batch:
        yield batch


# ------------------------------------------------------------------------------------------
# Contenders (each runs in a child process; returns timed seconds and extra fields)

def library_path() -> str:
    lib = os.environ.get("PARQUET_WRITER_LIBRARY")
    if not lib or not Path(lib).exists():
        raise SystemExit(f"libparquet_writer.so not found (PARQUET_WRITER_LIBRARY={lib!r}); run make build")
    return lib


def write_ndjson_bytes(config: Dict[str, Any], data: str) -> Dict[str, Any]:
    """The C ABI's write path timed: create_writer(config), write_batch_n over the NDJSON in
    reused buffers, close_writer. Returns the seconds, the close's share, rows and files."""
    lib = ctypes.CDLL(library_path())
    lib.create_writer.argtypes = [ctypes.c_char_p]
    lib.create_writer.restype = ctypes.c_void_p
    lib.write_batch_n.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.write_batch_n.restype = ctypes.c_void_p
    lib.close_writer.argtypes = [ctypes.c_void_p]
    lib.close_writer.restype = ctypes.c_void_p
    lib.free_string.argtypes = [ctypes.c_void_p]
    lib.last_error.restype = ctypes.c_char_p
    lib.parquet_writer_version.restype = ctypes.c_char_p

    def take(ptr) -> Dict[str, Any]:
        text = ctypes.string_at(ptr)
        lib.free_string(ptr)
        result = json.loads(text)
        if not result.get("ok"):
            raise SystemExit(f"library error: {result}")
        return result

    encoded = json.dumps(config).encode()
    t0 = time.perf_counter()
    w = lib.create_writer(encoded)
    if not w:
        raise SystemExit(f"create_writer failed: {lib.last_error().decode()}")
    rows = files = 0
    for chunk, length in ndjson_buffers(data):
        result = take(lib.write_batch_n(w, chunk, length))
        rows += result["rows_written"]
        files += len(result["files"])
    t_close = time.perf_counter()
    files += len(take(lib.close_writer(w))["files"])
    end = time.perf_counter()
    return {"seconds": end - t0, "close_seconds": end - t_close, "rows_reported": rows, "files_reported": files,
            "version": lib.parquet_writer_version().decode()}


def run_ours_bytes(data: str, out: str, threads: Any = 1) -> Dict[str, Any]:
    result = write_ndjson_bytes({"path": out, "schema": NATIVE_SCHEMA, "compression": "zstd",
                                 "compression_level": ZSTD_LEVEL, "threads": threads}, data)
    return {key: result[key] for key in ("seconds", "rows_reported", "version")}


def run_ours_dicts(data: str, out: str, threads: int = 1) -> Dict[str, Any]:
    os.environ.setdefault("PARQUET_WRITER_LIBRARY", library_path())
    sys.path.insert(0, str(ROOT / "Bindings" / "python"))
    from parquet_writer import Writer
    t0 = time.perf_counter()
    write_s = 0.0
    w = Writer(out, NATIVE_SCHEMA, compression="zstd", compression_level=ZSTD_LEVEL, threads=threads)
    for batch in dict_batches(data):
        t = time.perf_counter()
        w.write(batch)
        write_s += time.perf_counter() - t
    t = time.perf_counter()
    w.close()
    write_s += time.perf_counter() - t
    return {"seconds": write_s, "total_seconds": time.perf_counter() - t0}


def run_duckdb(data: str, out: str, threads: int) -> Dict[str, Any]:
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads={threads}")
    t0 = time.perf_counter()
    con.execute(
        f"COPY (SELECT * FROM read_json('{data}', format='newline_delimited', columns={DUCKDB_COLUMNS})) "
        f"TO '{out}' (FORMAT parquet, COMPRESSION zstd)")
    return {"seconds": time.perf_counter() - t0, "version": duckdb.__version__}


def run_polars(data: str, out: str) -> Dict[str, Any]:
    import polars as pl
    t0 = time.perf_counter()
    pl.scan_ndjson(data, schema=polars_schema()).sink_parquet(out, compression="zstd",
                                                              compression_level=ZSTD_LEVEL)
    return {"seconds": time.perf_counter() - t0, "version": pl.__version__,
            "threads": pl.thread_pool_size()}


def run_pyarrow_json(data: str, out: str) -> Dict[str, Any]:
    import pyarrow.json as pj
    import pyarrow.parquet as pq
    t0 = time.perf_counter()
    table = pj.read_json(data, parse_options=pj.ParseOptions(explicit_schema=arrow_schema()))
    pq.write_table(table, out, compression="zstd", compression_level=ZSTD_LEVEL)
    return {"seconds": time.perf_counter() - t0}


def run_pyarrow_dicts(data: str, out: str) -> Dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq
    t0 = time.perf_counter()
    write_s = 0.0
    src, dst = arrow_schema(timestamp_as_string=True), arrow_schema()
    writer = pq.ParquetWriter(out, dst, compression="zstd", compression_level=ZSTD_LEVEL)
    for batch in dict_batches(data):
        t = time.perf_counter()
        # The timestamps are RFC 3339 strings in the dicts (as handed to contender 2): cast them.
        writer.write_table(pa.Table.from_pylist(batch, schema=src).cast(dst))
        write_s += time.perf_counter() - t
    t = time.perf_counter()
    writer.close()
    write_s += time.perf_counter() - t
    return {"seconds": write_s, "total_seconds": time.perf_counter() - t0}


def run_pyarrow_encode(data: str, out: str) -> Dict[str, Any]:
    import pyarrow.json as pj
    import pyarrow.parquet as pq
    table = pj.read_json(data, parse_options=pj.ParseOptions(explicit_schema=arrow_schema()))
    table = table.combine_chunks()
    t0 = time.perf_counter()
    pq.write_table(table, out, compression="zstd", compression_level=ZSTD_LEVEL)
    return {"seconds": time.perf_counter() - t0}


def run_ours_arrow(data: str, out: str, threads: int = 1) -> Dict[str, Any]:
    """The same in-memory pyarrow Table as contender 7, written through the binding's
    Writer.write(table): the Arrow C Data Interface, no JSON."""
    import pyarrow.json as pj
    os.environ.setdefault("PARQUET_WRITER_LIBRARY", library_path())
    sys.path.insert(0, str(ROOT / "Bindings" / "python"))
    from parquet_writer import Writer
    table = pj.read_json(data, parse_options=pj.ParseOptions(explicit_schema=arrow_schema()))
    table = table.combine_chunks()
    t0 = time.perf_counter()
    with Writer(out, NATIVE_SCHEMA, compression="zstd", compression_level=ZSTD_LEVEL, threads=threads) as w:
        w.write(table)
    return {"seconds": time.perf_counter() - t0}


# ------------------------------------------------------------------------------------------
# Partitioned datasets (issue 13): the same NDJSON into hive-partitioned directories.
# Case A: the transactions by currency x category (10 x 12 = 120 partitions; both are drawn at
# random per record, so partitions arrive in random order). Case B: nested orders
# (gen_data.py --orders: a struct and a list of structs) by country x created_at's UTC day
# (24 x 30 = 720 partitions, random order). Every engine reads the NDJSON itself, inside the
# timed part, as the flat contenders do; partition columns stay out of the files (the
# default of all three).

FLAT_PARTITIONS = ["currency", "category"]
ORDERS_SCHEMA = {"fields": [
    {"name": "order_id", "type": "int64", "nullable": False},
    {"name": "country", "type": "string", "nullable": False},
    {"name": "created_at", "type": "timestamp_ms", "utc": True, "nullable": False},
    {"name": "status", "type": "string", "nullable": False},
    {"name": "customer", "type": "struct", "nullable": False, "fields": [
        {"name": "id", "type": "int64", "nullable": False}, {"name": "name", "type": "string", "nullable": False},
        {"name": "tier", "type": "string", "nullable": True}]},
    {"name": "items", "type": "list", "nullable": False, "items": {"type": "struct", "nullable": False, "fields": [
        {"name": "sku", "type": "string", "nullable": False}, {"name": "qty", "type": "int32", "nullable": False},
        {"name": "price", "type": "float64", "nullable": False}]}},
    {"name": "total", "type": "float64", "nullable": False},
    {"name": "note", "type": "string", "nullable": True},
]}
ORDERS_PARTITIONS = ["country", {"column": "created_at", "transform": "day", "name": "day"}]
DUCKDB_ORDERS_COLUMNS = ("{'order_id': 'BIGINT', 'country': 'VARCHAR', 'created_at': 'TIMESTAMPTZ', "
                         "'status': 'VARCHAR', 'customer': 'STRUCT(id BIGINT, name VARCHAR, tier VARCHAR)', "
                         "'items': 'STRUCT(sku VARCHAR, qty INTEGER, price DOUBLE)[]', 'total': 'DOUBLE', "
                         "'note': 'VARCHAR'}")


def run_ours_dataset(data: str, out: str, threads: int, nested: bool) -> Dict[str, Any]:
    """C ABI, NDJSON bytes (as contender 1) into a partitioned directory, default budget
    (memory_limit_bytes 256 MiB) and max_open_files (100)."""
    return write_ndjson_bytes({"directory": out, "schema": ORDERS_SCHEMA if nested else NATIVE_SCHEMA,
                               "partition_by": ORDERS_PARTITIONS if nested else FLAT_PARTITIONS,
                               "compression": "zstd", "compression_level": ZSTD_LEVEL, "threads": threads}, data)


def run_duckdb_dataset(data: str, out: str, threads: int, nested: bool) -> Dict[str, Any]:
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads={threads}")
    con.execute("SET TimeZone='UTC'")  # created_at::DATE is the UTC day, as ours
    if nested:
        select = (f"SELECT *, created_at::DATE AS day FROM read_json('{data}', format='newline_delimited', "
                  f"columns={DUCKDB_ORDERS_COLUMNS})")
        by = "country, day"
    else:
        select = f"SELECT * FROM read_json('{data}', format='newline_delimited', columns={DUCKDB_COLUMNS})"
        by = ", ".join(FLAT_PARTITIONS)
    t0 = time.perf_counter()
    con.execute(f"COPY ({select}) TO '{out}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY ({by}))")
    return {"seconds": time.perf_counter() - t0, "version": duckdb.__version__}


def run_pyarrow_dataset(data: str, out: str) -> Dict[str, Any]:
    """pyarrow.json.read_json (as contender 5), then pyarrow.dataset.write_dataset, hive."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.json as pj
    t0 = time.perf_counter()
    table = pj.read_json(data, parse_options=pj.ParseOptions(explicit_schema=arrow_schema()))
    partitioning = ds.partitioning(pa.schema([(c, pa.string()) for c in FLAT_PARTITIONS]), flavor="hive")
    fmt = ds.ParquetFileFormat()
    ds.write_dataset(table, out, format=fmt, partitioning=partitioning,
                     file_options=fmt.make_write_options(compression="zstd", compression_level=ZSTD_LEVEL),
                     existing_data_behavior="overwrite_or_ignore")
    return {"seconds": time.perf_counter() - t0, "version": pa.__version__}


# Case C: the same nested orders into ONE file per engine, for the output size each writes
# (zstd level 3 where the engine takes a level); the file goes inside the case's directory.
def orders_arrow_schema():
    import pyarrow as pa
    return pa.schema([
        ("order_id", pa.int64()), ("country", pa.string()), ("created_at", pa.timestamp("ms", tz="UTC")),
        ("status", pa.string()),
        ("customer", pa.struct([("id", pa.int64()), ("name", pa.string()), ("tier", pa.string())])),
        ("items", pa.list_(pa.struct([("sku", pa.string()), ("qty", pa.int32()), ("price", pa.float64())]))),
        ("total", pa.float64()), ("note", pa.string()),
    ])


def run_nested_file(engine: str, data: str, out: str, threads: int = 1) -> Dict[str, Any]:
    """Nested orders (case C) into `out`/orders.parquet with `engine`'s defaults and zstd
    (`threads` for ours and DuckDB)."""
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "orders.parquet")
    t0 = time.perf_counter()
    if engine == "ours":
        write_ndjson_bytes({"path": path, "schema": ORDERS_SCHEMA, "compression": "zstd",
                            "compression_level": ZSTD_LEVEL, "threads": threads}, data)
    elif engine == "duckdb":
        import duckdb
        con = duckdb.connect()
        con.execute(f"SET threads={threads}")
        con.execute(f"COPY (SELECT * FROM read_json('{data}', format='newline_delimited', "
                    f"columns={DUCKDB_ORDERS_COLUMNS})) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
    elif engine == "pyarrow":
        import pyarrow.json as pj
        import pyarrow.parquet as pq
        table = pj.read_json(data, parse_options=pj.ParseOptions(explicit_schema=orders_arrow_schema()))
        pq.write_table(table, path, compression="zstd", compression_level=ZSTD_LEVEL)
    else:
        import polars as pl
        pl.scan_ndjson(data, schema=pl.Schema(orders_arrow_schema())).sink_parquet(
            path, compression="zstd", compression_level=ZSTD_LEVEL)
    return {"seconds": time.perf_counter() - t0}


DATASET_CHILDREN: Dict[str, Callable[[str, str], Dict[str, Any]]] = {
    "nested_file_ours": lambda d, o: run_nested_file("ours", d, o),
    "nested_file_duckdb": lambda d, o: run_nested_file("duckdb", d, o),
    "nested_file_ours_t2": lambda d, o: run_nested_file("ours", d, o, 2),
    "nested_file_duckdb_t2": lambda d, o: run_nested_file("duckdb", d, o, 2),
    "nested_file_pyarrow": lambda d, o: run_nested_file("pyarrow", d, o),
    "nested_file_polars": lambda d, o: run_nested_file("polars", d, o),
    "part_ours_t1": lambda d, o: run_ours_dataset(d, o, 1, False),
    "part_ours_t2": lambda d, o: run_ours_dataset(d, o, 2, False),
    "part_duckdb_t1": lambda d, o: run_duckdb_dataset(d, o, 1, False),
    "part_duckdb_t2": lambda d, o: run_duckdb_dataset(d, o, 2, False),
    "part_pyarrow": run_pyarrow_dataset,
    "nested_ours_t1": lambda d, o: run_ours_dataset(d, o, 1, True),
    "nested_ours_t2": lambda d, o: run_ours_dataset(d, o, 2, True),
    "nested_duckdb_t1": lambda d, o: run_duckdb_dataset(d, o, 1, True),
    "nested_duckdb_t2": lambda d, o: run_duckdb_dataset(d, o, 2, True),
}

# name -> (case, label, threads)
DATASET_CONTENDERS = {
    "part_ours_t1": ("A", "ours: C ABI, NDJSON bytes, partition_by", "1"),
    "part_ours_t2": ("A", "ours: C ABI, NDJSON bytes, partition_by", "2"),
    "part_duckdb_t1": ("A", "duckdb read_json->COPY PARTITION_BY", "1"),
    "part_duckdb_t2": ("A", "duckdb read_json->COPY PARTITION_BY", "2"),
    "part_pyarrow": ("A", "pyarrow read_json+dataset.write_dataset (hive)", "2"),
    "nested_ours_t1": ("B", "ours: C ABI, NDJSON bytes, partition_by", "1"),
    "nested_ours_t2": ("B", "ours: C ABI, NDJSON bytes, partition_by", "2"),
    "nested_duckdb_t1": ("B", "duckdb read_json->COPY PARTITION_BY", "1"),
    "nested_duckdb_t2": ("B", "duckdb read_json->COPY PARTITION_BY", "2"),
    "nested_file_ours": ("C", "ours: C ABI, NDJSON bytes, one file", "1"),
    "nested_file_duckdb": ("C", "duckdb read_json->COPY, one file", "1"),
    "nested_file_ours_t2": ("C", "ours: C ABI, NDJSON bytes, one file", "2"),
    "nested_file_duckdb_t2": ("C", "duckdb read_json->COPY, one file", "2"),
    "nested_file_pyarrow": ("C", "pyarrow read_json+write_table, one file", "2/1"),
    "nested_file_polars": ("C", "polars scan_ndjson->sink_parquet, one file", "2"),
    # D: the same orders as Swift structs (decoded first, not timed), written by parquet-bench.
    "swift_rows_encodable": ("D", "ours: Swift structs -> ParquetWriter.write(rows:) (Encodable)", "1"),
    "swift_rows_jsonencoder": ("D", "ours: Swift structs -> JSONEncoder -> JSONBatchWriter", "1"),
    "swift_rows_columns": ("D", "ours: Swift structs -> ColumnBatch column by column", "1"),
    "swift_rows_async": ("D", "ours: Swift structs -> AsyncParquetWriter.write(rows:), awaited", "1"),
}


CHILDREN: Dict[str, Callable[[str, str], Dict[str, Any]]] = {
    "ours_bytes": run_ours_bytes,
    "ours_bytes_t2": lambda d, o: run_ours_bytes(d, o, 2),
    # threads "auto" on both cores, and pinned to one (taskset -c 0): the scaling ratio.
    "ours_bytes_auto": lambda d, o: run_ours_bytes(d, o, "auto"),
    "ours_bytes_auto_1core": lambda d, o: run_ours_bytes(d, o, "auto"),
    "ours_dicts": run_ours_dicts,
    "ours_dicts_t2": lambda d, o: run_ours_dicts(d, o, 2),
    "duckdb_t2": lambda d, o: run_duckdb(d, o, 2),
    "duckdb_t1": lambda d, o: run_duckdb(d, o, 1),
    "polars": run_polars,
    "pyarrow_json": run_pyarrow_json,
    "pyarrow_dicts": run_pyarrow_dicts,
    "pyarrow_encode": run_pyarrow_encode,
    "ours_arrow": run_ours_arrow,
    "ours_arrow_t2": lambda d, o: run_ours_arrow(d, o, 2),
}

# name -> (label, threads, note)
CONTENDERS = {
    "ours_bytes": ("1 ours: C ABI, NDJSON bytes (ctypes)", "1", ""),
    "ours_bytes_t2": ("1 ours: C ABI, NDJSON bytes (ctypes)", "2", "threads=2: parallel parse and column encoding"),
    "ours_bytes_auto": ("1 ours: C ABI, NDJSON bytes (ctypes)", "auto (2)", "threads=auto, both cores"),
    "ours_bytes_auto_1core": ("1 ours: C ABI, NDJSON bytes (ctypes)", "auto (1)", "threads=auto under taskset -c 0"),
    "ours_dicts": ("2 ours: binding, dicts (orjson)", "1", "write() time only; parse excluded"),
    "ours_dicts_t2": ("2 ours: binding, dicts (orjson)", "2", "threads=2 (batches of ~3 MB parsed on both; serialising overlaps only with a core left over); write() time only"),
    "duckdb_t2": ("3 duckdb read_json->COPY", "2", ""),
    "duckdb_t1": ("3 duckdb read_json->COPY", "1", ""),
    "polars": ("4 polars scan_ndjson->sink_parquet", "2", ""),
    "pyarrow_json": ("5 pyarrow read_json+write_table", "2/1", "read_json threaded"),
    "pyarrow_dicts": ("6 pyarrow dicts->from_pylist->ParquetWriter", "1", "from_pylist+write time only"),
    "pyarrow_encode": ("7 pyarrow write_table (encode only)", "1", "encode only; RSS holds the table"),
    "swift_typed": ("8 ours: Swift typed ColumnBatch", "1", "encode only (in-memory arrays)"),
    "ours_arrow": ("9 ours: binding, pyarrow Table (Arrow C Data Interface)", "1", "encode only, as #7"),
    "ours_arrow_t2": ("9 ours: binding, pyarrow Table (Arrow C Data Interface)", "2", "encode only, as #7; threads=2"),
    "swift_typed_t2": ("8 ours: Swift typed ColumnBatch", "2", "encode only; threads=2, two batches alternated"),
}


def child_main(name: str, data: str, out: str) -> None:
    if os.path.isdir(out):
        shutil.rmtree(out)
    elif os.path.exists(out):
        os.remove(out)
    result = (DATASET_CHILDREN.get(name) or CHILDREN[name])(data, out)
    result["peak_rss"] = vm_hwm_bytes()
    print("RESULT " + json.dumps(result), flush=True)


# ------------------------------------------------------------------------------------------
# Parent

def swift_binary() -> Optional[Path]:
    env = os.environ.get("PARQUET_BENCH_SWIFT")
    candidates = [Path(env)] if env else []
    scratch = os.environ.get("SCRATCH")
    if scratch:
        candidates.append(ROOT / scratch / "release" / "parquet-bench")
    candidates += [ROOT / ".build" / "release" / "parquet-bench", ROOT / ".build-bench" / "release" / "parquet-bench"]
    return next((p for p in candidates if p.is_file() and os.access(p, os.X_OK)), None)


def run_child(name: str, data: Path, out: Path, timeout: float) -> Dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, str(data), str(out)]
    if name.endswith("_1core"):
        cmd = ["taskset", "-c", "0"] + cmd
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            result = json.loads(line[7:])
            result["process_seconds"] = wall
            return result
    raise RuntimeError(f"{name} failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")


def run_swift(binary: Path, data: Path, out: Path, rows: int, int64_rows: int, timeout: float,
              threads: int = 1) -> List[Dict[str, Any]]:
    cmd = [str(binary), "--data", str(data), "--out", str(out), "--rows", str(rows), "--threads", str(threads),
           "--int64-rows", str(int64_rows), "--int64-out", str(out.with_name("swift_int64.parquet"))]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"parquet-bench failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


# ------------------------------------------------------------------------------------------
# The machine's own ceiling for the scaling goal: the same work in one process, then in two
# processes at once (one per core). zstd level 3 through the system libzstd (the one the
# library links, by ctypes) on 1 MiB pieces of the input, as the writer compresses its pages;
# sha256 as a control that touches little memory. A ratio below 2 on the control means the
# cores are not two whole cores; below 2 on zstd alone, that compression does not scale here.

CEILING_CHILD = """
import ctypes, hashlib, sys, time
kind, path, megabytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "rb") as f:
    data = f.read(megabytes << 20)
pieces = [data[i:i + (1 << 20)] for i in range(0, len(data), 1 << 20)]
if kind == "zstd":
    zstd = ctypes.CDLL("libzstd.so.1")
    zstd.ZSTD_compressBound.restype = ctypes.c_size_t
    zstd.ZSTD_compressBound.argtypes = [ctypes.c_size_t]
    zstd.ZSTD_compress.restype = ctypes.c_size_t
    zstd.ZSTD_compress.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
    out = ctypes.create_string_buffer(zstd.ZSTD_compressBound(1 << 20))
    work = lambda piece: zstd.ZSTD_compress(out, len(out), piece, len(piece), 3)
else:
    work = lambda piece: hashlib.sha256(piece).digest()
start = time.perf_counter()
for _ in range(3):
    for piece in pieces:
        work(piece)
print(time.perf_counter() - start)
"""


def machine_ceiling(data: Path, megabytes: int = 64) -> Dict[str, float]:
    """How two cores scale on work that is only compression (zstd level 3) and on a control
    (sha256): the time of one process alone over that of two at once, times two."""
    ratios: Dict[str, float] = {}
    for kind in ("zstd", "sha256"):
        def start(core: int) -> subprocess.Popen:
            return subprocess.Popen(["taskset", "-c", str(core), sys.executable, "-c", CEILING_CHILD, kind, str(data),
                                     str(megabytes)], stdout=subprocess.PIPE, text=True)
        def seconds(process: subprocess.Popen) -> float:
            out = process.communicate()[0]
            if process.returncode != 0:
                raise RuntimeError(f"{kind} child exited {process.returncode}")
            return float(out)
        alone = min(seconds(start(0)) for _ in range(2))
        pair = []
        for _ in range(2):
            both = [start(0), start(1)]
            pair.append(max(seconds(p) for p in both))
        ratios[kind] = 2 * alone / min(pair)
    return ratios


def row_count(path: Path) -> Optional[int]:
    import pyarrow.parquet as pq
    try:
        return pq.ParquetFile(str(path)).metadata.num_rows
    except Exception:
        return None


def machine() -> Dict[str, str]:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for mod in ("pyarrow", "duckdb", "polars", "orjson"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:
            versions[mod] = "missing"
    try:
        swift = subprocess.run(["swift", "--version"], capture_output=True, text=True, timeout=60)
        swift_v = (swift.stdout or swift.stderr).splitlines()[0].strip()
    except Exception:
        swift_v = "unknown"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": mem, "kernel": platform.release(),
            "python": platform.python_version(), "swift": swift_v,
            **versions, "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def fmt_mb(n: float) -> str:
    return f"{n / 1e6:,.1f}"


DATASET_HEADING = "## Partitioned datasets"
DATASET_ABOUT = (
    "Issue 13: the same NDJSON written as a hive-partitioned directory, every engine in its own "
    "process, reading the NDJSON itself inside the timed part (as the flat contenders); zstd "
    "level 3 for ours and pyarrow, DuckDB's zstd default; defaults otherwise (ours: "
    "`memory_limit_bytes` 256 MiB, `max_open_files` 100). Case A: the transactions above by "
    "`currency` x `category`, drawn at random per record (random partition order). Case B: "
    "nested orders (`gen_data.py --orders`: a struct and a list of structs) by `country` x "
    "`created_at`'s UTC day (DuckDB: `created_at::DATE AS day`, TimeZone UTC), random order. "
    "Files and partitions are counted on disk; rows read back from every footer. Ours fsyncs "
    "each file, its directory and each new partition directory (atomic, durable commits); DuckDB "
    "and pyarrow fsync none of their files (strace), which weighs on B's 720 small files.")


def storage_label(path: Path) -> str:
    """`path (fstype)`: the file system of the longest mount point holding `path`."""
    best, fstype = "", "unknown"
    try:
        for line in open("/proc/mounts"):
            parts = line.split()
            point = parts[1]
            if (str(path) == point or str(path).startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
                best, fstype = point, parts[2]
    except OSError:
        pass
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return f"{shown} ({fstype})"


def run_swift_orders(name: str, data: Path, out: Path, rows: int, timeout: float) -> Dict[str, Any]:
    """Case D: parquet-bench --orders, one of its three ways (swift_rows_X is its orders_X),
    into out/data.parquet."""
    binary = swift_binary()
    if binary is None:
        raise RuntimeError("parquet-bench binary missing (see Benchmarks/README.md)")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    case = "orders_" + name.removeprefix("swift_rows_")
    cmd = [str(binary), "--orders", str(data), "--out", str(out / "data.parquet"), "--rows", str(rows),
           "--int64-rows", "0", "--orders-only", case]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"parquet-bench failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return next(json.loads(l) for l in proc.stdout.splitlines() if l.startswith("{") and f'"{case}"' in l)


def dataset_stats(root: Path) -> Dict[str, Any]:
    import pyarrow.parquet as pq
    files = sorted(root.rglob("*.parquet")) if root.is_dir() else []
    rows = groups = size = 0
    for f in files:
        meta = pq.ParquetFile(str(f)).metadata
        rows += meta.num_rows
        groups += meta.num_row_groups
        size += f.stat().st_size
    return {"files_on_disk": len(files), "partitions": len({f.parent for f in files}),
            "rows_in_files": rows, "row_groups": groups, "output_bytes": size}


def best_runs(names: List[str], repeat: int, run_one: Callable[[str], Optional[Dict[str, Any]]],
              failures: List[str]) -> Dict[str, Dict[str, Any]]:
    """Each contender's fastest of `repeat` runs, taken in rounds (one run of every contender,
    then the next round) rather than all of one contender's runs in a row: this host's speed
    drifts over minutes (its disk's by 2-3x), and in rounds the drift weighs on the engines
    compared alike instead of on whichever ran during a slow spell. A contender that fails is
    reported and not run again (its fastest run so far is kept); `run_one` returns None to
    skip one. Each result also gets `round_seconds`: the contender's time in every round, in
    order (for ``round_spread``)."""
    best: Dict[str, Dict[str, Any]] = {}
    rounds: Dict[str, List[float]] = {}
    active = list(names)
    for _ in range(max(1, repeat)):
        for name in list(active):
            try:
                r = run_one(name)
            except Exception as e:  # reported, the others still run
                failures.append(f"{name}: {e}")
                print(f"  {name}: FAILED {e}", flush=True)
                active.remove(name)
                continue
            if r is None:
                active.remove(name)
                continue
            rounds.setdefault(name, []).append(r["seconds"])
            if name not in best or r["seconds"] < best[name]["seconds"]:
                best[name] = r
    for name, r in best.items():
        r["round_seconds"] = rounds[name]
    return best


def round_spread(results: Dict[str, Dict[str, Any]], faster: str, slower: str) -> str:
    """The ratio of `faster`'s rows/s to `slower`'s (same rows) in each round, as " (rounds
    a–b×)", or "" with fewer than two rounds of both: a goal's best-of ratio beside how far
    it moved from round to round on this noisy host."""
    a = results.get(faster, {}).get("round_seconds") or []
    b = results.get(slower, {}).get("round_seconds") or []
    ratios = [y / x for x, y in zip(a, b) if x > 0]
    if len(ratios) < 2:
        return ""
    return f" (rounds {min(ratios):.2f}–{max(ratios):.2f}×)"


def run_dataset_cases(args: argparse.Namespace, selected: List[str], flat_data: Path, out_dir: Path,
                      failures: List[str]) -> "tuple[Dict[str, Dict[str, Any]], List[str]]":
    """Runs the partitioned contenders; returns their results and the report's lines."""
    if not selected:
        return {}, []
    orders = None
    if any(DATASET_CONTENDERS[n][0] in "BCD" for n in selected):
        t = time.perf_counter()
        orders = gen_data.ensure_orders(args.orders_rows, args.seed)
        print(f"orders: {orders} ({args.orders_rows:,} rows, {orders.stat().st_size / 1e6:,.1f} MB; "
              f"ready in {time.perf_counter() - t:.1f}s)", flush=True)
    cases = {"A": (flat_data, args.rows), "B": (orders, args.orders_rows), "C": (orders, args.orders_rows),
             "D": (orders, args.orders_rows)}
    results: Dict[str, Dict[str, Any]] = {}

    def run_dataset(name: str) -> Dict[str, Any]:
        case = DATASET_CONTENDERS[name][0]
        data, rows = cases[case]
        if case == "D":
            return run_swift_orders(name, data, out_dir / name, rows, args.timeout)
        return run_child(name, data, out_dir / name, args.timeout)

    fastest = best_runs(selected, args.repeat, run_dataset, failures)
    for name in selected:
        data, rows = cases[DATASET_CONTENDERS[name][0]]
        out = out_dir / name
        best = fastest.get(name)
        if best is None:
            continue
        # The last run's directory (every run writes the same files).
        best.update(dataset_stats(out))
        best["rows"], best["input_bytes"] = rows, data.stat().st_size
        if best["rows_in_files"] != rows:
            failures.append(f"{name}: {best['rows_in_files']} rows in the files, expected {rows}")
        results[name] = best
        print(f"  {name}: {best['seconds']:.2f}s, peak {fmt_mb(best['peak_rss'])} MB, "
              f"{best['files_on_disk']} files, {best['partitions']} partitions, rows {best['rows_in_files']}", flush=True)

    lines = [f"### Output on {storage_label(out_dir)}", ""]
    for case, title in (("A", f"A: {args.rows:,} flat transactions by currency x category"),
                        ("B", f"B: {args.orders_rows:,} nested orders by country x day"),
                        ("C", f"C: {args.orders_rows:,} nested orders, one file (output size per engine)"),
                        ("D", f"D: {args.orders_rows:,} nested orders from Swift structs, one file (issue 17)")):
        names = [n for n in results if DATASET_CONTENDERS[n][0] == case]
        if not names:
            continue
        r0 = results[names[0]]
        lines += [f"{title}, input {r0['input_bytes'] / 1e6:,.1f} MB NDJSON, best of {args.repeat}", "",
                  "| contender | threads | rows/s | MB/s (input) | peak RSS MB | files | partitions | row groups | output MB | rows ok |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for n in names:
            r = results[n]
            _, label, threads = DATASET_CONTENDERS[n]
            ok = "yes" if r["rows_in_files"] == r["rows"] else f"NO ({r['rows_in_files']})"
            lines.append(f"| {label} | {threads} | {fmt_int(r['rows'] / r['seconds'])} | "
                         f"{fmt_mb(r['input_bytes'] / r['seconds'])} | {fmt_mb(r['peak_rss'])} | {r['files_on_disk']} | "
                         f"{r['partitions']} | {r['row_groups']} | {fmt_mb(r['output_bytes'])} | {ok} |")
        lines.append("")

    def rate(n: str) -> Optional[float]:
        return results[n]["rows"] / results[n]["seconds"] if n in results else None

    def verdict(ok: Optional[bool]) -> str:
        return "n/a (not run)" if ok is None else ("MET" if ok else "NOT MET")

    goals = []
    for prefix, case in (("part", "A"), ("nested", "B")):
        for t in ("t1", "t2"):
            ours, duck = results.get(f"{prefix}_ours_{t}"), results.get(f"{prefix}_duckdb_{t}")
            ro, rd = rate(f"{prefix}_ours_{t}"), rate(f"{prefix}_duckdb_{t}")
            both = ours is not None and duck is not None
            if case == "A" and t == "t1":
                goals.append((f"A: ours t1 ≥ 1.5× DuckDB t1 (rows/s)",
                              both and f"{ro / rd:.2f}×" + round_spread(results, f"{prefix}_ours_{t}", f"{prefix}_duckdb_{t}"),
                              None if not both else ro >= 1.5 * rd))
            else:
                goals.append((f"{case}: ours {t} ÷ DuckDB {t} (rows/s; no goal)",
                              both and f"{ro / rd:.2f}×" + round_spread(results, f"{prefix}_ours_{t}", f"{prefix}_duckdb_{t}"),
                              None))
            goals.append((f"{case}: ours {t} files = DuckDB {t} files",
                          both and f"{ours['files_on_disk']} vs {duck['files_on_disk']}",
                          None if not both else ours["files_on_disk"] == duck["files_on_disk"]))
            goals.append((f"{case}: ours {t} peak RSS < DuckDB {t}",
                          both and f"{fmt_mb(ours['peak_rss'])} vs {fmt_mb(duck['peak_rss'])} MB",
                          None if not both else ours["peak_rss"] < duck["peak_rss"]))
        if case == "B":
            r = rate("nested_ours_t1")
            goals.append(("B: ours t1 ≥ 100,000 rows/s", r and f"{fmt_int(r)} rows/s", None if r is None else r >= 1e5))
    for ours_name, duck_name, label in (("nested_file_ours", "nested_file_duckdb", "1 thread"),
                                        ("nested_file_ours_t2", "nested_file_duckdb_t2", "2 threads")):
        ro, rd = rate(ours_name), rate(duck_name)
        goals.append((f"C: ours ≥ 2× DuckDB at the same threads (issue 16; {label})",
                      ro and rd and f"{ro / rd:.2f}×" + round_spread(results, ours_name, duck_name),
                      None if not (ro and rd) else ro >= 2 * rd))
    enc, via_json, cols = rate("swift_rows_encodable"), rate("swift_rows_jsonencoder"), rate("swift_rows_columns")
    goals.append(("D: Encodable rows ≥ 3× the JSONEncoder route (issue 17)", enc and via_json and f"{enc / via_json:.2f}×",
                  None if not (enc and via_json) else enc >= 3 * via_json))
    goals.append(("D: Encodable rows ÷ ColumnBatch columns (no goal)", enc and cols and f"{enc / cols:.2f}×", None))
    asy = rate("swift_rows_async")
    goals.append(("D: AsyncParquetWriter ÷ ParquetWriter, Encodable rows (the same throughput)",
                  enc and asy and f"{asy / enc:.2f}×", None))
    ours_c = results.get("nested_file_ours", {}).get("output_bytes")
    others_c = {n: results[n]["output_bytes"] for n in ("nested_file_duckdb", "nested_file_pyarrow", "nested_file_polars")
                if n in results}
    if ours_c and others_c:
        smallest = min(others_c, key=others_c.get)
        goals.append(("C: ours output ≤ the smallest of DuckDB, pyarrow, polars (one nested file)",
                      f"{fmt_mb(ours_c)} vs {fmt_mb(others_c[smallest])} MB ({DATASET_CONTENDERS[smallest][1]})",
                      ours_c <= others_c[smallest]))
    lines += ["| goal | measured | status |", "|---|---|---|"]
    for goal, measured, ok in goals:
        status = verdict(ok) if ok is not None or not measured else "(info)"
        lines.append(f"| {goal} | {measured or '—'} | {status} |")
    return results, lines


def main() -> int:
    if len(sys.argv) >= 2 and sys.argv[1] == "--child":
        child_main(sys.argv[2], sys.argv[3], sys.argv[4])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_ROWS", 1_000_000)))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("BENCH_SEED", 42)))
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 1)))
    ap.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""),
                    help="comma-separated contenders: " + ",".join([*CONTENDERS, *DATASET_CONTENDERS]))
    ap.add_argument("--orders-rows", type=int, default=int(os.environ.get("BENCH_ORDERS_ROWS", 200_000)),
                    help="nested orders for the partitioned case B")
    ap.add_argument("--int64-rows", type=int, default=int(os.environ.get("BENCH_INT64_ROWS", 20_000_000)))
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--dataset-out", default=os.environ.get("BENCH_DATASET_OUT", ""),
                    help="where the partitioned cases write (default Benchmarks/out; e.g. /dev/shm/bench "
                         "for tmpfs, where fsync costs nothing)")
    ap.add_argument("--save", action="store_true", default=os.environ.get("BENCH_SAVE") == "1",
                    help="also write the report to Benchmarks/RESULTS.md")
    args = ap.parse_args()
    selected = [n for n in CONTENDERS if not args.only or n in args.only.split(",")]
    selected_ds = [n for n in DATASET_CONTENDERS if not args.only or n in args.only.split(",")]

    t = time.perf_counter()
    data = gen_data.ensure(args.rows, args.seed)
    input_bytes = data.stat().st_size
    print(f"data: {data} ({args.rows:,} rows, {input_bytes / 1e6:,.1f} MB, "
          f"{input_bytes / args.rows:.0f} B/record; ready in {time.perf_counter() - t:.1f}s)", flush=True)
    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)

    results: Dict[str, Dict[str, Any]] = {}
    failures: List[str] = []
    extra: List[Dict[str, Any]] = []
    def run_flat(name: str) -> Optional[Dict[str, Any]]:
        out = out_dir / f"{name}.parquet"
        if not name.startswith("swift_typed"):
            return run_child(name, data, out, args.timeout)
        binary = swift_binary()
        if binary is None:
            print(f"  {name}: parquet-bench binary missing (see Benchmarks/README.md); skipped")
            return None
        threads = 2 if name.endswith("_t2") else 1
        lines = run_swift(binary, data, out, args.rows, args.int64_rows if threads == 1 else 0,
                          args.timeout, threads)
        r = next(l for l in lines if l.get("case") == "transactions")
        r["int64"] = next((l for l in lines if l.get("case") == "int64_plain"), None)
        return r

    fastest = best_runs(selected, args.repeat, run_flat, failures)
    for name in selected:
        out = out_dir / f"{name}.parquet"
        best = fastest.get(name)
        if best is None:
            continue
        best["rows_in_file"] = row_count(out)
        best["output_bytes"] = out.stat().st_size if out.exists() else None
        results[name] = best
        print(f"  {name}: {best['seconds']:.2f}s, peak {fmt_mb(best['peak_rss'])} MB, "
              f"rows in file {best['rows_in_file']}", flush=True)
        if name == "swift_typed" and best.get("int64"):
            extra.append(best["int64"])

    ds_out = Path(args.dataset_out).resolve() if args.dataset_out else out_dir
    ds_out.mkdir(parents=True, exist_ok=True)
    ds_results, ds_lines = run_dataset_cases(args, selected_ds, data, ds_out, failures)

    # ---- table
    ours = results.get("ours_bytes")
    lines = []
    lines.append(f"{args.rows:,} rows, input {input_bytes / 1e6:,.1f} MB NDJSON, zstd level {ZSTD_LEVEL}, "
                 f"best of {args.repeat}")
    lines.append("")
    lines.append("| contender | threads | rows/s | MB/s (input) | peak RSS MB | output MB | rows ok | ours #1 ÷ it | note |")
    lines.append("|---|---|---:|---:|---:|---:|---|---:|---|")
    for name, r in results.items():
        label, threads, note = CONTENDERS[name]
        if name == "polars" and "threads" in r:
            threads = str(r["threads"])
        rate = args.rows / r["seconds"]
        ratio = f"{(args.rows / ours['seconds']) / rate:.2f}×" if ours else "—"
        if name.startswith("swift_typed") and "append_seconds" in r:
            note += f"; of which ColumnBatch.append {r['append_seconds']:.2f}s, close {r['seconds'] - r['write_seconds']:.2f}s"
        if "total_seconds" in r:
            note = (note + "; " if note else "") + f"total incl. parse {fmt_int(args.rows / r['total_seconds'])} rows/s"
        ok = "yes" if r["rows_in_file"] == args.rows else f"NO ({r['rows_in_file']})"
        if r["rows_in_file"] != args.rows:
            failures.append(f"{name}: {r['rows_in_file']} rows in the file, expected {args.rows}")
        rss = fmt_mb(r["peak_rss"]) + ("*" if name in ("pyarrow_encode", "swift_typed", "swift_typed_t2", "ours_arrow", "ours_arrow_t2") else "")
        lines.append(f"| {label} | {threads} | {fmt_int(rate)} | {fmt_mb(input_bytes / r['seconds'])} | {rss} | "
                     f"{fmt_mb(r['output_bytes'] or 0)} | {ok} | {ratio} | {note} |")
    lines.append("")
    lines.append("\\* peak RSS includes the in-memory table/arrays built before timing: not comparable.")
    for e in extra:
        lines.append(f"Swift typed int64 column, PLAIN, uncompressed: {e['rows']:,} values in {e['seconds']:.2f}s = "
                     f"{fmt_int(e['rows'] / e['seconds'])} values/s, {e['rows'] * 8 / e['seconds'] / 1e9:.2f} GB/s "
                     f"to a closed, fsynced file; {e['rows'] * 8 / e['write_seconds'] / 1e9:.2f} GB/s before close() "
                     f"(ColumnBatch.append {e.get('append_seconds', float('nan')):.2f}s, "
                     f"close incl. fsync {e['seconds'] - e['write_seconds']:.2f}s)")

    # ---- goals (reported, never enforced)
    def rate(n: str) -> Optional[float]:
        return args.rows / results[n]["seconds"] if n in results else None

    def verdict(ok: Optional[bool]) -> str:
        return "n/a (not run)" if ok is None else ("MET" if ok else "NOT MET")

    goals = []
    r1 = rate("ours_bytes")
    goals.append(("#1 ≥ 1,000,000 rows/s", r1 and f"{fmt_int(r1)} rows/s", None if r1 is None else r1 >= 1e6))
    rss1 = ours["peak_rss"] if ours else None
    goals.append((f"#1 peak RSS ≤ 64 MB (at {args.rows:,} rows)", rss1 and f"{fmt_mb(rss1)} MB",
                  None if rss1 is None else rss1 <= 64 * 2**20))
    goals.append(("#1 peak RSS ≤ 64 MB at 10× rows", "run with BENCH_ROWS=" + str(args.rows * 10), None))
    pj_out = results.get("pyarrow_json", {}).get("output_bytes")
    o1 = ours.get("output_bytes") if ours else None
    goals.append(("#1 output ≤ pyarrow zstd output (#5)", o1 and pj_out and f"{fmt_mb(o1)} vs {fmt_mb(pj_out)} MB",
                  None if not (o1 and pj_out) else o1 <= pj_out))
    peers = {n: results[n]["output_bytes"] for n in ("duckdb_t1", "duckdb_t2", "polars", "pyarrow_json")
             if results.get(n, {}).get("output_bytes")}
    smallest = min(peers, key=peers.get) if peers else None
    goals.append(("#1 output ≤ the smallest of DuckDB, polars, pyarrow (#3-#5)",
                  o1 and smallest and f"{fmt_mb(o1)} vs {fmt_mb(peers[smallest])} MB ({smallest})",
                  None if not (o1 and smallest) else o1 <= peers[smallest]))
    r1t2 = rate("ours_bytes_t2")
    rss1t2 = results["ours_bytes_t2"]["peak_rss"] if "ours_bytes_t2" in results else None
    goals.append(("#1 with 2 threads (goal 5: second core, same memory budget)",
                  r1t2 and f"{fmt_int(r1t2)} rows/s, {fmt_mb(rss1t2)} MB peak",
                  None if r1t2 is None else r1t2 >= 1e6 and rss1t2 <= 64 * 2**20))
    for name, peer, label in (("ours_bytes", "duckdb_t1", "1 thread"), ("ours_bytes_t2", "duckdb_t2", "2 threads")):
        mine, duck = rate(name), rate(peer)
        goals.append((f"#1 ≥ 2× DuckDB (#3) at the same threads (issue 16; {label})",
                      mine and duck and f"{mine / duck:.2f}×" + round_spread(results, name, peer),
                      None if not (mine and duck) else mine >= 2 * duck))
    both, one = rate("ours_bytes_auto"), rate("ours_bytes_auto_1core")
    ceiling = None
    if both and one:
        try:
            ceiling = machine_ceiling(data)
        except Exception as e:  # taskset or libzstd.so.1 missing: the ratio stands alone
            print(f"  machine ceiling not measured: {e}")
    goals.append(("#1 threads=auto, 2 cores vs taskset -c 0 ≥ 1.8× (issue 16)",
                  both and one and (f"{both / one:.2f}×" + round_spread(results, "ours_bytes_auto", "ours_bytes_auto_1core")
                                    + (f" (this machine: zstd level 3 alone in two processes "
                                    f"{ceiling['zstd']:.2f}×, sha256 {ceiling['sha256']:.2f}×)" if ceiling else "")),
                  None if not (both and one) else both >= 1.8 * one))
    r2t2, r6 = rate("ours_dicts_t2"), rate("pyarrow_dicts")
    goals.append(("#2 threads=2 ≥ 3× #6 (issue 16)",
                  r2t2 and r6 and f"{r2t2 / r6:.2f}×" + round_spread(results, "ours_dicts_t2", "pyarrow_dicts"),
                  None if not (r2t2 and r6) else r2t2 >= 3 * r6))
    for name, label in (("ours_dicts", "1 thread"), ("ours_dicts_t2", "2 threads")):
        r2, r6 = rate(name), rate("pyarrow_dicts")
        goals.append((f"#2 ≥ 4× #6 (write time only, both; {label})", r2 and r6 and f"{r2 / r6:.2f}×",
                      None if not (r2 and r6) else r2 >= 4 * r6))
    for name, label in (("swift_typed", "1 thread"), ("swift_typed_t2", "2 threads")):
        r7, r8 = rate("pyarrow_encode"), rate(name)
        goals.append((f"#8 Swift typed ≥ 1.5× pyarrow encode-only (#7; {label})",
                      r7 and r8 and f"{r8 / r7:.2f}×" + round_spread(results, name, "pyarrow_encode"),
                      None if not (r7 and r8) else r8 >= 1.5 * r7))
    for name, label in (("ours_arrow", "1 thread"), ("ours_arrow_t2", "2 threads")):
        r7, r9 = rate("pyarrow_encode"), rate(name)
        o7 = results.get("pyarrow_encode", {}).get("output_bytes")
        o9 = results.get(name, {}).get("output_bytes")
        measured = r7 and r9 and o7 and o9 and f"{r9 / r7:.2f}×, output {fmt_mb(o9)} vs {fmt_mb(o7)} MB"
        goals.append((f"#9 Arrow Table ≥ 1.2× pyarrow write_table (#7), output no larger ({label})", measured,
                      None if not measured else r9 >= 1.2 * r7 and o9 <= o7))
    gbps = extra[0]["rows"] * 8 / extra[0]["seconds"] / 1e9 if extra else None
    goals.append(("#8 int64 PLAIN uncompressed ≥ 1 GB/s", gbps and f"{gbps:.2f} GB/s",
                  None if gbps is None else gbps >= 1.0))
    lines.append("")
    lines.append("| goal | measured | status |")
    lines.append("|---|---|---|")
    for goal, measured, ok in goals:
        lines.append(f"| {goal} | {measured or '—'} | {verdict(ok)} |")

    report = "\n".join(lines) if selected else ""
    ds_report = "\n".join(ds_lines)
    print()
    print(report)
    print(ds_report)
    if failures:
        print("\nFAILURES:\n  " + "\n  ".join(failures))

    m = machine()
    version = (ours or ds_results.get("part_ours_t1") or ds_results.get("nested_ours_t1") or {}).get("version")
    if version:
        m["parquet_writer"] = version
    cmd = (f"make bench BENCH_ROWS={args.rows} BENCH_REPEAT={args.repeat}" + (f" BENCH_ONLY={args.only}" if args.only else "")
           + (f" BENCH_DATASET_OUT={args.dataset_out}" if args.dataset_out else ""))
    about = [f"- Date: {m['date']}", f"- Command: `{cmd}`",
             f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, Linux {m['kernel']} (shared, noisy)",
             f"- Versions: {m['swift']}; Python {m['python']}; pyarrow {m['pyarrow']}; duckdb {m['duckdb']}; "
             f"polars {m['polars']}; orjson {m['orjson']}" + (f"; parquet_writer {m['parquet_writer']}" if 'parquet_writer' in m else "")]
    # The section: heading and description, then one subsection per output location
    # ("### Output on ..."), each with its run's date, command and machine.
    ds_sub = ds_lines[:2] + about + [""] + ds_lines[2:] + [""] if selected_ds else []
    ds_md = [DATASET_HEADING, "", DATASET_ABOUT, "", *ds_sub] if selected_ds else []
    md = ["# Benchmark results", "",
          "Latest `make bench` (see README.md for what each contender measures).", "",
          *about, "", report, "", *ds_md]
    (out_dir / "RESULTS.md").write_text("\n".join(md))
    (out_dir / "results.json").write_text(json.dumps({"rows": args.rows, "input_bytes": input_bytes,
                                                     "machine": m, "results": results,
                                                     "datasets": ds_results}, indent=1))
    if args.save:
        saved = HERE / "RESULTS.md"
        if selected:
            saved.write_text("\n".join(md))
        elif selected_ds:
            # Only the partitioned cases ran: replace their subsection (same output location),
            # keep the rest of the file and the other locations' subsections.
            old = saved.read_text() if saved.exists() else "# Benchmark results\n"
            head, _, section = old.partition("\n" + DATASET_HEADING + "\n")
            subsections = section.split("\n### Output on ")[1:] if section else []
            label = ds_lines[0][len("### Output on "):]
            kept = ["### Output on " + sub.rstrip("\n") for sub in subsections if not sub.startswith(label + "\n")]
            saved.write_text(head.rstrip("\n") + "\n\n" + "\n".join([DATASET_HEADING, "", DATASET_ABOUT, "", ""])
                             + "\n".join(ds_sub) + "\n" + "\n\n".join(kept) + ("\n" if kept else ""))
        print(f"\nwrote {saved}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
