"""Bloom filters (split block, xxHash64) on chosen columns, probed by DuckDB's
``parquet_bloom_probe``: never excluding a row group that holds the value, excluding about
``bloom_filter_fpp`` less often than ideal for values it does not hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List

import duckdb
import pyarrow.parquet as pq
import pytest

from parquet_writer import ParquetWriterError, Writer

SCHEMA: List[Any] = [("id", "int64", False), ("name", "string"), ("amount", "float64"), ("day", "date"),
                     ("flag", "boolean"), ("nested", {"type": "struct", "fields": [{"name": "k", "type": "int32"}]})]
ROWS = 100_000


def write(path: Path, **options: Any) -> None:
    with Writer(path, SCHEMA, row_group_rows=ROWS // 2, **options) as w:
        w.write({"id": i * 2, "name": f"n{i % 1000}", "amount": i / 4, "day": f"2024-01-{1 + i % 28:02d}",
                 "flag": i % 2 == 0, "nested": {"k": i % 77}} for i in range(ROWS))


def excluded(path: Path, column: str, value: str) -> List[bool]:
    """Per row group: whether DuckDB's probe of the bloom filter rules the value out."""
    rows = duckdb.sql(
        f"SELECT bloom_filter_excludes FROM parquet_bloom_probe('{path}', '{column}', {value}) ORDER BY row_group_id"
    ).fetchall()
    return [row[0] for row in rows]


def test_bloom_filters_answer_duckdb_probes(tmp_path: Path) -> None:
    path = tmp_path / "bloom.parquet"
    write(path, bloom_filter_columns=["id", "name", "amount", "day", "nested.k"])
    # A row group holding the value is never excluded (ids 0..99,998 are in row group 0,
    # 100,000.. in row group 1); the other one almost always is (1% false positives).
    others = 0
    for value in range(0, 200_000, 2_002):
        hits = excluded(path, "id", str(value))
        holder = 0 if value < 100_000 else 1
        assert hits[holder] is False, value
        others += hits[1 - holder]
    assert others >= 95, others
    assert excluded(path, "name", "'n5'") == [False, False]
    assert excluded(path, "amount", "0.25")[0] is False
    assert excluded(path, "day", "DATE '2024-01-05'") == [False, False]
    # Values never written: odd ids, at 1% false positives about 20 of 2,000 probes pass.
    passed = sum(not hit for value in range(1, 2000, 2) for hit in excluded(path, "id", str(value)))
    assert passed < 60, passed
    assert excluded(path, "name", "'zzz'") == [True, True] or excluded(path, "name", "'yyy'") == [True, True]
    # Each filter is sized from its chunk's distinct values: 50,000 ids need 64 KiB, 1,000 names 2 KiB.
    sizes = {row[0]: row[1] for row in duckdb.sql(
        f"SELECT path_in_schema, bloom_filter_length FROM parquet_metadata('{path}') WHERE row_group_id = 0").fetchall()}
    assert 65_536 < sizes["id"] < 65_600 and 2048 < sizes["name"] < 2100, sizes
    assert sizes["flag"] is None
    assert pq.read_table(path).num_rows == ROWS


def test_columns_without_filters_and_bad_options(tmp_path: Path) -> None:
    path = tmp_path / "plain.parquet"
    write(path)
    lengths = duckdb.sql(f"SELECT bloom_filter_length FROM parquet_metadata('{path}')").fetchall()
    assert all(row[0] is None for row in lengths)
    for options, message in (({"bloom_filter_columns": ["nope"]}, "not a leaf column"),
                             ({"bloom_filter_columns": ["flag"]}, "booleans have no bloom filter"),
                             ({"bloom_filter_columns": ["id"], "bloom_filter_fpp": 1.5}, r"bloom_filter_fpp must be in \(0, 1\)")):
        with pytest.raises(ParquetWriterError, match=message):
            write(tmp_path / "bad.parquet", **options)
        assert not (tmp_path / "bad.parquet").exists()


@pytest.mark.parametrize("dataset", [False, True])
def test_bloom_filter_columns_with_an_inferred_schema(tmp_path: Path, dataset: bool) -> None:
    # The columns are checked once the first batch gives the schema, not against the
    # placeholder the options are first checked with.
    import pyarrow as pa
    from parquet_writer import write_table

    table = pa.table({"id": pa.array(range(1000), pa.int64()), "name": [f"n{i}" for i in range(1000)]})
    options: dict[str, Any] = {"bloom_filter_columns": ["id", "name"], "sort_by": ["name"]}
    if dataset:
        with Writer(directory=tmp_path / "data", **options) as w:
            w.write(table)
        path = next((tmp_path / "data").glob("*.parquet"))
    else:
        path = tmp_path / "t.parquet"
        write_table(table, path, **options)
    assert excluded(path, "id", "500") == [False] and excluded(path, "name", "'n7'") == [False]
    assert pq.read_table(path).column("name").to_pylist() == sorted(f"n{i}" for i in range(1000))
    with pytest.raises(ParquetWriterError, match="bloom_filter_columns"):
        write_table(table, tmp_path / "bad.parquet", bloom_filter_columns=["missing"])
