"""Data page V2 (`data_page_version=2`), size statistics and the footer's format version.

Every V2 file, for every codec, is read back by pyarrow, DuckDB and polars exactly as each
reads the same table written by pyarrow itself (its own V1 file, no ARROW:schema), so each
reader's type mapping is held fixed and only our bytes vary. Page headers are decoded with
the interop suite's Thrift reader (Tests/Interop/parquet_footer.py)."""

from __future__ import annotations

import datetime
import decimal
import sys
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPO_ROOT
from parquet_writer import ParquetWriterError, Writer, write_table

sys.path.insert(0, str(REPO_ROOT / "Tests" / "Interop"))
from parquet_footer import _Reader, read_footer, read_pages  # noqa: E402

ROWS = 30_000
CODECS = ["none", "snappy", "zstd", "gzip", "lz4_raw", "brotli"]


def table() -> pa.Table:
    """Flat and nested columns of most types, with nulls, empty lists and repeats, in rows
    enough to fill several pages."""
    n = ROWS
    return pa.table({
        "id": pa.array(range(n), pa.int64()),
        "small": pa.array([None if i % 7 == 0 else i % 100 for i in range(n)], pa.int32()),
        "ratio": pa.array([None if i % 5 == 0 else i / 3 for i in range(n)], pa.float64()),
        "flag": pa.array([None if i % 11 == 0 else i % 2 == 0 for i in range(n)], pa.bool_()),
        "word": pa.array([None if i % 13 == 0 else f"w{i % 300}" for i in range(n)], pa.string()),
        "text": pa.array([f"unique text {i} " * (i % 4) for i in range(n)], pa.string()),
        "blob": pa.array([bytes([i % 256]) * (i % 9) for i in range(n)], pa.binary()),
        "day": pa.array([datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 900) for i in range(n)], pa.date32()),
        "at": pa.array([datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=37 * i) for i in range(n)],
                       pa.timestamp("us", tz="UTC")),
        "price": pa.array([None if i % 17 == 0 else decimal.Decimal(i) / 100 for i in range(n)], pa.decimal128(12, 2)),
        "tags": pa.array([None if i % 9 == 0 else [f"t{j}" for j in range(i % 4)] for i in range(n)],
                         pa.list_(pa.string())),
        "points": pa.array([[j * i if j % 3 else None for j in range(i % 3)] for i in range(n)], pa.list_(pa.int64())),
        "address": pa.array([None if i % 19 == 0 else {"city": None if i % 4 == 0 else f"c{i % 40}", "zip": i % 1000}
                             for i in range(n)], pa.struct([("city", pa.string()), ("zip", pa.int32())])),
        "attributes": pa.array([[(f"k{j}", None if j == 1 else i + j) for j in range(i % 3)] for i in range(n)],
                               pa.map_(pa.string(), pa.int64())),
    })


def reference(tmp_path: Path, data: pa.Table) -> Path:
    """The table written by pyarrow: V1 pages, no ARROW:schema (as ours has none)."""
    path = tmp_path / "reference.parquet"
    pq.write_table(data, path, store_schema=False, compression="zstd")
    return path


def read_rows(path: Path) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]], pl.DataFrame]:
    """The rows as pyarrow (checking every page CRC), DuckDB and polars read them."""
    arrow = pq.read_table(path, page_checksum_verification=True).to_pylist()
    duck = duckdb.connect().sql(f"SELECT * FROM read_parquet('{path}') ORDER BY id").fetchall()
    return arrow, duck, pl.read_parquet(path)


def column_chunks(path: Path) -> list[dict[int, Any]]:
    """The first row group's ColumnChunk structs (Thrift field ids as keys)."""
    return read_footer(path)[4][0][1]


def normalized_size_statistics(chunk: dict[int, Any]) -> dict[int, Any]:
    """ColumnMetaData.size_statistics without empty histograms: Arrow C++ writes an empty list
    where the spec lets a writer leave the field out (a column without that level)."""
    statistics = chunk[3].get(16) or {}
    return {key: value for key, value in statistics.items() if value != []}


@pytest.fixture(scope="module")
def data() -> pa.Table:
    return table()


@pytest.mark.parametrize("codec", CODECS)
def test_v2_pages_read_back_by_every_reader(tmp_path: Path, data: pa.Table, codec: str) -> None:
    path = tmp_path / f"v2-{codec}.parquet"
    write_table(data, path, compression=codec, data_page_version=2, page_checksum=True, page_bytes=16_384)
    expected = read_rows(reference(tmp_path, data))
    arrow, duck, polars = read_rows(path)
    assert arrow == expected[0]
    assert duck == expected[1]
    assert polars.equals(expected[2])
    footer = read_footer(path)
    assert footer[1] == 2  # the format version: V2 pages are a format 2 feature
    for chunk in footer[4][0][1]:
        pages = read_pages(path, chunk[3])
        data_pages = [page for page in pages if page.type != "DICTIONARY_PAGE"]
        assert len(data_pages) >= 2, chunk[3][3]
        assert {page.type for page in data_pages} == {"DATA_PAGE_V2"}, chunk[3][3]
        for page in data_pages:
            header = page.header[8]
            # num_values, num_nulls, num_rows, and is_compressed as the codec says.
            assert header[1] >= header[3] > 0 and 0 <= header[2] <= header[1]
            assert header.get(7, True) == (codec != "none")
        # encoding_stats count the data pages as DATA_PAGE_V2 (page type 3).
        assert {stat[1] for stat in chunk[3][13] if stat[1] != 2} == {3}


def test_v2_rows_per_page_add_up(tmp_path: Path, data: pa.Table) -> None:
    path = tmp_path / "v2.parquet"
    write_table(data, path, compression="zstd", data_page_version=2, page_bytes=16_384)
    for chunk in column_chunks(path):
        pages = [page for page in read_pages(path, chunk[3]) if page.type == "DATA_PAGE_V2"]
        assert sum(page.header[8][3] for page in pages) == ROWS, chunk[3][3]


def test_version_1_pages_are_the_default(tmp_path: Path, data: pa.Table) -> None:
    path = tmp_path / "v1.parquet"
    write_table(data, path, compression="zstd")
    for chunk in column_chunks(path):
        assert {page.type for page in read_pages(path, chunk[3])} <= {"DATA_PAGE", "DICTIONARY_PAGE"}


def test_format_version_follows_the_encodings_used(tmp_path: Path) -> None:
    small = pa.table({"a": pa.array([1, 2, 2, 1], pa.int64())})
    path = tmp_path / "dictionary.parquet"
    write_table(small, path)
    assert read_footer(path)[1] == 2  # RLE_DICTIONARY data pages are format 2
    path = tmp_path / "plain.parquet"
    write_table(small, path, dictionary=False)
    assert read_footer(path)[1] == 1  # PLAIN and RLE only: format 1.0 says it all


@pytest.mark.parametrize("version", [1, 2])
def test_size_statistics_equal_pyarrows(tmp_path: Path, data: pa.Table, version: int) -> None:
    path = tmp_path / "ours.parquet"
    write_table(data, path, compression="zstd", data_page_version=version, page_bytes=16_384)
    theirs = {tuple(chunk[3][3]): chunk for chunk in column_chunks(reference(tmp_path, data))}
    for chunk in column_chunks(path):
        name = tuple(chunk[3][3])
        assert normalized_size_statistics(chunk) == normalized_size_statistics(theirs[name]), name


def test_page_index_carries_per_page_size_statistics(tmp_path: Path, data: pa.Table) -> None:
    path = tmp_path / "ours.parquet"
    write_table(data, path, compression="zstd", page_bytes=16_384)
    raw = path.read_bytes()
    for chunk in column_chunks(path):
        name = chunk[3][3]
        totals = chunk[3].get(16, {})
        column_index = _Reader(raw, chunk[6]).struct()
        offset_index = _Reader(raw, chunk[4]).struct()
        pages = len(offset_index[1])
        assert pages >= 2, name
        # The spec's layout: each page's histogram in turn; summed, the chunk's.
        for field, total in ((6, totals.get(2)), (7, totals.get(3))):
            if total:
                per_page = column_index[field]
                assert len(per_page) == pages * len(total), name
                sums = [sum(per_page[level::len(total)]) for level in range(len(total))]
                assert sums == total, name
            else:
                assert field not in column_index, name
        if 1 in totals:
            assert len(offset_index[2]) == pages and sum(offset_index[2]) == totals[1], name
        else:
            assert 2 not in offset_index, name


def test_bad_data_page_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ParquetWriterError, match="data_page_version"):
        Writer(tmp_path / "x.parquet", [("a", "int64")], data_page_version=3)
    assert not (tmp_path / "x.parquet").exists()
