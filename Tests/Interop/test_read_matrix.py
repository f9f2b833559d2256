"""Read every corpus file back with pyarrow, DuckDB and polars: exact types and exact values.

The corpus (interop_corpus.py) is the type matrix (every type as a column, in one file per
nullability x dictionary x codec) plus the focused files. Reader behaviours that differ from a
1:1 mapping are pinned, and explained, in interop_readers.py.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Iterator

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from interop_gen import Written
from interop_corpus import corpus_names
from interop_readers import (
    READER_VERSIONS,
    READERS,
    compare_column,
    duckdb_connection,
    read_duckdb,
    read_polars,
    read_pyarrow,
    unreadable,
)


@pytest.fixture(scope="module")
def duck() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb_connection()
    yield con
    con.close()


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("name", corpus_names())
def test_read_back(corpus_files: dict[str, Written], duck: duckdb.DuckDBPyConnection,
                   name: str, reader: str) -> None:
    w = corpus_files[name]
    fields, path = w.spec.fields, str(w.path)
    refusal = unreadable(reader, fields)
    if refusal:
        # Pinned: the reader must still refuse, so the skip goes when the reader catches up.
        with pytest.raises(Exception, match=refusal):
            read_duckdb(duck, path, fields) if reader == "duckdb" else read_polars(path, fields)
        encodings = sorted({f"{f.encoding} on {f.physical_type}" for f in fields if f.encoding})
        pytest.skip(f"{reader} {READER_VERSIONS[reader]} cannot read {', '.join(encodings)}")
    if reader == "pyarrow":
        got = read_pyarrow(path, fields)
    elif reader == "duckdb":
        got = read_duckdb(duck, path, fields)
    else:
        got = read_polars(path, fields)
    assert list(got) == [f.name for f in fields]
    problems: list[str] = []
    for f in fields:
        problems += compare_column(reader, f, w.spec.columns[f.name], got[f.name])
    assert not problems, f"{name} via {reader}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", ["req-dict-snappy", "opt-plain-zstd", "zero-rows-opt"])
def test_pyarrow_schema_nullability_and_plain_storage_types(corpus_files: dict[str, Written], name: str) -> None:
    """Required fields read as non-nullable; without Arrow extension types UUID and JSON read as
    their storage types fixed_size_binary(16) and string."""
    w = corpus_files[name]
    schema = pq.read_table(w.path, arrow_extensions_enabled=False).schema
    for f in w.spec.fields:
        af = schema.field(f.name)
        assert af.nullable == f.nullable, f.name
        if f.type == "uuid":
            assert af.type == pa.binary(16), af.type
        elif f.type == "json":
            assert af.type == pa.string(), af.type


def test_duckdb_uuid_and_json_functions(corpus_files: dict[str, Written], duck: duckdb.DuckDBPyConnection) -> None:
    """DuckDB treats our UUID / JSON columns as its native UUID / JSON types, not just blobs."""
    w = corpus_files["req-plain-uncompressed"]
    (u, j) = duck.execute(
        "SELECT uuid::VARCHAR, json_extract(json, '$.a') FROM read_parquet(?) "
        "WHERE json = '{\"a\":1,\"b\":[true,null]}' LIMIT 1", [str(w.path)]).fetchone()
    assert isinstance(u, str) and len(u) == 36
    assert str(j) == "1"
    (n,) = duck.execute("SELECT count(*) FROM read_parquet(?) WHERE uuid = 'ffffffff-ffff-ffff-ffff-ffffffffffff'",
                        [str(w.path)]).fetchone()
    assert n == sum(1 for v in w.spec.columns["uuid"] if v == b"\xff" * 16)


def test_pinned_sub_microsecond_conversions(corpus_files: dict[str, Written], duck: duckdb.DuckDBPyConnection) -> None:
    """Readers' documented handling of nanosecond values when converting to Python objects
    (which only have microseconds), pinned explicitly rather than skipped:
    DuckDB truncates TIMESTAMP_NS / TIMESTAMPTZ_NS / TIME_NS towards zero, polars floors, and
    pyarrow refuses (ValueError) unless pandas is installed (it is not a requirement)."""
    path = str(corpus_files["req-plain-uncompressed"].path)
    utc = dt.timezone.utc
    row = duck.execute(
        "SELECT timestamp_ns_utc, timestamp_ns_local FROM read_parquet(?) WHERE epoch_ns(timestamp_ns_local) = -1 LIMIT 1",
        [path]).fetchone()
    assert row == (dt.datetime(1970, 1, 1, tzinfo=utc), dt.datetime(1970, 1, 1))  # -1 ns -> 0 µs
    (t,) = duck.execute("SELECT time_ns FROM read_parquet(?) WHERE epoch_ns(time_ns) = 999 LIMIT 1", [path]).fetchone()
    assert t == dt.time(0, 0)
    df = pl.read_parquet(path).filter(pl.col("timestamp_ns_local").dt.epoch("ns") == -1)
    assert df["timestamp_ns_local"][0] == dt.datetime(1969, 12, 31, 23, 59, 59, 999999)  # floor
    assert df["timestamp_ns_utc"][0] == dt.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=utc)
    if importlib.util.find_spec("pandas") is None:
        col = pq.read_table(path).column("timestamp_ns_local")
        with pytest.raises(ValueError, match="not safely convertible"):
            col.to_pylist()
