"""The page index (ColumnIndex + OffsetIndex), written by default: readers see it, and one that
uses it (DataFusion, on arrow-rs) reads fewer rows for a predicate on a sorted column."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from parquet_writer import Writer

ROWS = 200_000


def write(path: Path, **options: object) -> None:
    schema = [("id", "int64", False), ("word", "string"), ("maybe", "float64")]
    options.setdefault("compression", "zstd")
    with Writer(path, schema, **options) as w:
        w.write({"id": i, "word": f"w{i % 50}", "maybe": None if i % 3 else i / 2} for i in range(ROWS))


def pruning(path: Path, predicate: str) -> tuple[int, str]:
    """DataFusion's count for the predicate and its page-index pruning metric."""
    datafusion = pytest.importorskip("datafusion")
    context = datafusion.SessionContext()
    context.register_parquet("t", str(path))
    count = context.sql(f"SELECT count(*) AS n FROM t WHERE {predicate}").to_pydict()["n"][0]
    plan = context.sql(f"EXPLAIN ANALYZE SELECT count(*) FROM t WHERE {predicate}").to_pydict()
    text = "\n".join(str(line) for line in plan["plan"])
    metric = re.search(r"page_index_rows_pruned=[^,\]]*", text)
    assert metric, text
    return count, metric.group(0)


def test_page_index_is_written_and_read(tmp_path: Path) -> None:
    path = tmp_path / "indexed.parquet"
    write(path)
    metadata = pq.ParquetFile(path).metadata
    for column in range(metadata.num_columns):
        chunk = metadata.row_group(0).column(column)
        assert chunk.has_column_index and chunk.has_offset_index, chunk.path_in_schema
    # Every reader still reads every value.
    expected = ROWS * (ROWS - 1) // 2
    assert pq.read_table(path).column("id").to_pylist() == list(range(ROWS))
    assert duckdb.sql(f"SELECT sum(id), count(maybe) FROM '{path}'").fetchall() == [(expected, (ROWS + 2) // 3)]
    assert pl.read_parquet(path)["id"].sum() == expected
    # A predicate on the sorted column: DataFusion keeps one 20,000-row page of ten.
    count, metric = pruning(path, "id BETWEEN 1000 AND 1100")
    assert count == 101
    assert metric == "page_index_rows_pruned=200.0 K total → 20.00 K matched", metric


def test_page_index_can_be_turned_off(tmp_path: Path) -> None:
    path = tmp_path / "plain.parquet"
    write(path, page_index=False)
    chunk = pq.ParquetFile(path).metadata.row_group(0).column(0)
    assert not chunk.has_column_index and not chunk.has_offset_index
    count, metric = pruning(path, "id BETWEEN 1000 AND 1100")
    assert count == 101 and metric == "page_index_rows_pruned=0 total → 0 matched"


def test_page_checksums_are_verified_by_pyarrow(tmp_path: Path) -> None:
    """``page_checksum=True``: pyarrow's verification passes on the file and catches one
    flipped byte inside a page, which it reads back silently without verification."""
    path = tmp_path / "checksummed.parquet"
    write(path, page_checksum=True, compression="none")
    assert pq.read_table(path, page_checksum_verification=True).column("id").to_pylist() == list(range(ROWS))
    chunk = pq.ParquetFile(path).metadata.row_group(0).column(0)
    middle = chunk.data_page_offset + chunk.total_compressed_size // 2  # inside a page body
    data = bytearray(path.read_bytes())
    data[middle] ^= 0x01
    path.write_bytes(bytes(data))
    assert pq.read_table(path).column("id").to_pylist() != list(range(ROWS))
    with pytest.raises(OSError, match="(?i)crc"):
        pq.read_table(path, page_checksum_verification=True)
