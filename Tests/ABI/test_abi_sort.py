"""`sort_by` through the C ABI: each file's rows in key order (stable for ties, nulls where
asked), whether they fit in memory or were spilled as sorted runs, in single files and in
partitioned datasets, with the keys in every row group's `sorting_columns`; read back by
pyarrow, DuckDB and polars. Bad keys are refused at create time."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from abi import ABI, ndjson

FIELDS = [
    {"name": "seq", "type": "int64", "nullable": False},
    {"name": "country", "type": "string"},
    {"name": "amount", "type": "float64"},
    {"name": "day", "type": "date"},
    {"name": "code", "type": "uint32"},
    {"name": "tags", "type": "list", "items": {"type": "string", "nullable": True}},
    {"name": "info", "type": "struct", "fields": [{"name": "k", "type": "int32"}, {"name": "v", "type": "string"}]},
]


def make_records(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    countries = ["DE", "FR", "US", "JP", "BR", None, "", "Ärger"]
    rows = []
    for seq in range(count):
        rows.append({
            "seq": seq,
            "country": rng.choice(countries),
            "amount": None if rng.random() < 0.05 else rng.choice(["NaN", -0.0, 0.0]) if rng.random() < 0.02
            else round(rng.uniform(-1000, 1000), 1),
            "day": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "code": rng.choice([0, 1, 7, 2**31, 2**32 - 1]),
            "tags": [f"t{seq % 5}", None] if seq % 3 else None,
            "info": {"k": seq % 1000, "v": f"v{seq}"} if seq % 4 else None,
        })
    return rows


def write(abi: ABI, config: dict[str, Any], records: list[dict[str, Any]], batch: int = 5_000) -> dict[str, Any]:
    writer = abi.create(config)
    assert writer, abi.last_error()
    for start in range(0, len(records), batch):
        result = abi.write_n(writer, ndjson(records[start:start + batch]))
        assert result["ok"], result
    result = abi.close(writer)
    assert result["ok"], result
    return result


def country_amount_order(records: list[dict[str, Any]]) -> list[int]:
    """The seq column of the records sorted (stably) by country ascending (UTF-8 bytes, nulls
    last), then amount descending (nulls last; NaN above every number, as DuckDB and Spark
    order it; -0.0 equal to 0.0)."""
    def key(record: dict[str, Any]) -> tuple[Any, ...]:
        country, amount = record["country"], record["amount"]
        return (
            country is None, (country or "").encode(),
            amount is None, amount != "NaN", 0.0 if amount in (None, "NaN") else -amount,
        )
    return [r["seq"] for r in sorted(records, key=key)]


def test_a_file_is_sorted_by_its_keys_in_memory_and_spilled(abi: ABI, out_dir: Path) -> None:
    records = make_records(60_000, seed=1)
    for name, extra in [("memory.parquet", {}), ("spilled.parquet", {"memory_limit_bytes": 4 << 20})]:
        path = out_dir / name
        config = {
            "path": str(path), "schema": {"fields": FIELDS}, "row_group_rows": 16_384, "compression": "zstd",
            "sort_by": ["country", {"column": "amount", "descending": True}], **extra,
        }
        summary = write(abi, config, records)
        assert summary["rows_written"] == len(records)
        table = pq.read_table(path)
        assert table.column("seq").to_pylist() == country_amount_order(records)
        # Every other column travelled with its row.
        by_seq = {r["seq"]: r for r in records}
        for row in table.slice(0, 2_000).to_pylist():
            source = by_seq[row["seq"]]
            assert row["tags"] == source["tags"] and row["info"] == source["info"]
            assert str(row["day"]) == source["day"] and row["code"] == source["code"]
        metadata = pq.ParquetFile(path).metadata
        assert metadata.num_row_groups == 4
        for group in range(metadata.num_row_groups):
            sorting = metadata.row_group(group).sorting_columns
            assert [(s.column_index, s.descending, s.nulls_first) for s in sorting] == [(1, False, False), (2, True, False)]
        # DuckDB and polars read the same order.
        duck = [row[0] for row in duckdb.sql(f"select seq from read_parquet('{path}')").fetchall()]
        assert duck == table.column("seq").to_pylist()
        assert pl.read_parquet(path)["seq"].to_list() == duck


def test_nulls_first_and_unsigned_order(abi: ABI, out_dir: Path) -> None:
    records = make_records(5_000, seed=2)
    path = out_dir / "codes.parquet"
    write(abi, {
        "path": str(path), "schema": {"fields": FIELDS},
        "sort_by": [{"column": "code", "descending": True}, {"column": "country", "nulls_first": True}],
    }, records)
    table = pq.read_table(path)
    codes = table.column("code").to_pylist()
    assert codes == sorted(codes, reverse=True) and codes[0] == 2**32 - 1
    # Within each code, nulls first then countries ascending (bytes order), ties by arrival.
    for code in set(codes):
        group = [r for r in table.to_pylist() if r["code"] == code]
        countries = [r["country"] for r in group]
        nulls = countries.count(None)
        assert countries[:nulls] == [None] * nulls
        assert countries[nulls:] == sorted(countries[nulls:], key=lambda c: c.encode())
        for a, b in zip(group, group[1:]):
            if a["country"] == b["country"]:
                assert a["seq"] < b["seq"]


@pytest.mark.parametrize("threads", [1, 2])
def test_partitioned_files_are_each_sorted_whatever_the_budget(abi: ABI, out_dir: Path, threads: int) -> None:
    records = make_records(80_000, seed=3)
    random.Random(4).shuffle(records)
    root = out_dir / f"ds{threads}"
    write(abi, {
        "directory": str(root), "schema": {"fields": FIELDS}, "partition_by": ["country"],
        "sort_by": ["day", "seq"], "max_rows_per_file": 7_000, "memory_limit_bytes": 4 << 20,
        "row_group_rows": 2_000, "threads": threads,
    }, records, batch=3_000)
    files = sorted(root.rglob("*.parquet"))
    per_partition: dict[str, int] = {}
    for record in records:
        # Null and "" share Hive's default partition.
        key = record["country"] or "__HIVE_DEFAULT_PARTITION__"
        per_partition[key] = per_partition.get(key, 0) + 1
    assert len(files) == sum(-(-n // 7_000) for n in per_partition.values())
    for path in files:
        table = pq.read_table(path)
        rows = list(zip(table.column("day").to_pylist(), table.column("seq").to_pylist()))
        assert rows == sorted(rows)
        sorting = pq.ParquetFile(path).metadata.row_group(0).sorting_columns
        assert [s.column_index for s in sorting] == [2, 0]  # country is in the path, not the file
    dataset = ds.dataset(root, format="parquet", partitioning="hive")
    assert sorted(dataset.to_table().column("seq").to_pylist()) == list(range(len(records)))
    total = duckdb.sql(
        f"select count(*), count(distinct seq) from read_parquet('{root}/**/*.parquet', hive_partitioning=true)"
    ).fetchall()[0]
    assert total == (len(records), len(records))


@pytest.mark.parametrize("sort_by, fragment", [
    ("country", "must be a non-empty array"),
    ([], "must be a non-empty array"),
    (["nope"], "not a column"),
    (["tags"], "top-level primitive"),
    (["info"], "top-level primitive"),
    ([{"column": "seq", "descending": "yes"}], "descending"),
    ([{"column": "seq", "order": "asc"}], "order"),
    (["seq", "seq"], "twice"),
    ([7], "column names or objects"),
])
def test_bad_sort_keys_are_refused(abi: ABI, out_dir: Path, sort_by: Any, fragment: str) -> None:
    path = out_dir / "bad.parquet"
    writer = abi.create({"path": str(path), "schema": {"fields": FIELDS}, "sort_by": sort_by})
    assert not writer
    error = abi.last_error()
    assert error["code"] == "invalid_options" and fragment in error["message"], error
    assert not path.exists()


def test_sorting_by_a_partition_column_is_refused(abi: ABI, out_dir: Path) -> None:
    writer = abi.create({
        "directory": str(out_dir / "ds"), "schema": {"fields": FIELDS}, "partition_by": ["country"],
        "sort_by": ["country"],
    })
    assert not writer
    assert "partition column" in abi.last_error()["message"]
