"""Datasets through the binding: ``Writer(directory=...)``, rolling, partitioning, commit()."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from parquet_writer import ParquetWriterError, Partition, Writer

SCHEMA = [("id", "int64"), ("name", "string")]


def parquet_files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.parquet"))


def committed_rows(directory: Path) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in parquet_files(directory))


def test_rolling_by_max_rows(tmp_path: Path) -> None:
    out = tmp_path / "rolled"
    with Writer(directory=out, schema=SCHEMA, max_rows_per_file=10, file_prefix="chunk") as w:
        result = w.write([{"id": i, "name": f"n{i}"} for i in range(25)])
        assert result.rows_written == 25
        during_write = [f["path"] for f in result.files]
    assert w.summary is not None
    during_close = [f["path"] for f in w.summary["files"]]
    # Two full files are finished by the write, the remainder by close; each listed once.
    assert len(during_write) == 2 and len(during_close) == 1
    listed = during_write + during_close
    assert len(set(listed)) == 3
    assert [f["path"] for f in w.files] == listed
    assert [f["rows"] for f in w.files] == [10, 10, 5]
    assert sorted(Path(p).resolve() for p in listed) == [p.resolve() for p in parquet_files(out)]
    assert all(Path(p).name.startswith("chunk-") for p in listed)
    ids: list[int] = []
    for path in listed:  # in the order the library finished them
        table = pq.read_table(path)
        ids.extend(table.column("id").to_pylist())
    assert ids == list(range(25))
    assert [pq.ParquetFile(p).metadata.num_rows for p in listed] == [10, 10, 5]


def _events() -> list[dict[str, Any]]:
    base = dt.datetime(2024, 3, 9, 22, 0, tzinfo=dt.timezone.utc)
    return [
        {"id": i, "country": ["fr", "de", "us"][i % 3], "ts": base + dt.timedelta(hours=i)}
        for i in range(30)
    ]


@pytest.mark.parametrize("spec", ["dict", "Partition"])
def test_partition_by_identity_and_day(tmp_path: Path, spec: str) -> None:
    out = tmp_path / "events"
    day: Any = {"column": "ts", "transform": "day"} if spec == "dict" else Partition("ts", "day")
    schema = [("id", "int64"), ("country", "string"), ("ts", "timestamp_us")]
    events = _events()
    with Writer(directory=out, schema=schema, partition_by=["country", day]) as w:
        w.write(events)
    dirs = sorted(str(p.parent.relative_to(out)) for p in parquet_files(out))
    expected_days = sorted({e["ts"].strftime("%Y-%m-%d") for e in events})
    assert set(dirs) == {f"country={c}/ts_day={d}" for c in ("fr", "de", "us") for d in expected_days
                         if any(e["country"] == c and e["ts"].strftime("%Y-%m-%d") == d for e in events)}
    assert len(w.files) == len(dirs)

    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 30
    rows = sorted(table.to_pylist(), key=lambda r: r["id"])
    for row, event in zip(rows, events):
        assert row["id"] == event["id"]
        assert row["country"] == event["country"]
        assert str(row["ts_day"]) == event["ts"].strftime("%Y-%m-%d")
        assert row["ts"] == event["ts"]

    glob = str(out / "**" / "*.parquet")
    counts = duckdb.sql(
        f"SELECT country, CAST(ts_day AS VARCHAR) AS d, count(*) FROM read_parquet('{glob}', hive_partitioning=true) "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    expected: dict[tuple[str, str], int] = {}
    for e in events:
        key = (e["country"], e["ts"].strftime("%Y-%m-%d"))
        expected[key] = expected.get(key, 0) + 1
    assert [(c, d, n) for c, d, n in counts] == sorted((c, d, n) for (c, d), n in expected.items())


def test_write_partition_columns_false(tmp_path: Path) -> None:
    out = tmp_path / "nocol"
    with Writer(directory=out, schema=SCHEMA, partition_by="name", write_partition_columns=False) as w:
        w.write([{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
    for path in parquet_files(out):
        assert pq.read_schema(path).names == ["id"]
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert sorted(zip(table.column("id").to_pylist(), table.column("name").to_pylist())) == [(1, "a"), (2, "b")]


def test_commit_mid_stream_makes_rows_readable(tmp_path: Path) -> None:
    out = tmp_path / "ckpt"
    with Writer(directory=out, schema=SCHEMA) as w:
        w.write([{"id": i, "name": "x"} for i in range(7)])
        assert committed_rows(out) == 0  # the open file is not visible yet
        result = w.commit()
        assert result["ok"] and result["rows_written"] == 7
        assert [f["rows"] for f in result["files"]] == [7]
        assert committed_rows(out) == 7
        assert pq.read_table(result["files"][0]["path"]).column("id").to_pylist() == list(range(7))
        assert w.commit()["files"] == []  # nothing open: nothing to finish
        w.write([{"id": 100, "name": "y"}])
        assert committed_rows(out) == 7
    assert committed_rows(out) == 8
    assert [f["rows"] for f in w.files] == [7, 1]
    assert len(parquet_files(out)) == 2


def test_commit_on_single_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "one.parquet"
    with Writer(path, SCHEMA) as w:
        w.write({"id": 1, "name": "a"})
        with pytest.raises(ParquetWriterError) as info:
            w.commit()
        assert info.value.code == "invalid_options"
        w.write({"id": 2, "name": "b"})  # still usable
    assert pq.read_table(path).num_rows == 2
    assert w.files and w.files[0]["rows"] == 2


def test_commit_after_close_raises(tmp_path: Path) -> None:
    w = Writer(directory=tmp_path / "d", schema=SCHEMA)
    w.close()
    with pytest.raises(ParquetWriterError) as info:
        w.commit()
    assert info.value.code == "writer_closed"


def test_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="not both"):
        Writer(tmp_path / "a.parquet", SCHEMA, directory=tmp_path / "d")
    with pytest.raises(TypeError, match="path"):
        Writer(schema=SCHEMA)
    assert list(tmp_path.iterdir()) == []
    # Dataset-only options with a path are the library's invalid_options.
    with pytest.raises(ParquetWriterError) as info:
        Writer(tmp_path / "a.parquet", SCHEMA, max_rows_per_file=10)
    assert info.value.code == "invalid_options"


def test_partition_spec_validation() -> None:
    with pytest.raises(ValueError):
        Partition("ts", "week")
    assert Partition("c").as_config() == "c"
    assert Partition("ts", "hour", "h").as_config() == {"column": "ts", "transform": "hour", "name": "h"}
    with pytest.raises(dataclasses_frozen_error()):
        Partition("c").column = "d"  # type: ignore[misc]


def dataclasses_frozen_error() -> type:
    import dataclasses

    return dataclasses.FrozenInstanceError


def test_exception_in_with_leaves_only_committed_files(tmp_path: Path) -> None:
    out = tmp_path / "aborted"
    with pytest.raises(RuntimeError, match="boom"):
        with Writer(directory=out, schema=SCHEMA, max_rows_per_file=4) as w:
            w.write([{"id": i, "name": "a"} for i in range(10)])  # files of 4 and 4 finished
            w.commit()  # the 2 remaining rows
            w.write([{"id": i, "name": "b"} for i in range(10, 13)])  # open, never committed
            raise RuntimeError("boom")
    assert w.closed
    finished = sorted(Path(f["path"]).resolve() for f in w.files)
    assert [f["rows"] for f in w.files] == [4, 4, 2]
    assert [p.resolve() for p in parquet_files(out)] == finished
    # Nothing else in the directory: no partial .parquet, no temporary file left behind.
    assert sorted(p.resolve() for p in out.rglob("*") if p.is_file()) == finished
    table = pq.ParquetDataset(out).read()
    assert sorted(table.column("id").to_pylist()) == list(range(10))


def test_threads_dataset_rolls(tmp_path: Path) -> None:
    out = tmp_path / "threaded"
    with Writer(directory=out, schema=SCHEMA, threads=2, max_rows_per_file=100) as w:
        for start in range(0, 1000, 250):
            w.write([{"id": i, "name": str(i)} for i in range(start, start + 250)])
    assert sum(f["rows"] for f in w.files) == 1000
    assert all(f["rows"] <= 100 for f in w.files)
    assert sorted(pa.concat_tables([pq.read_table(p) for p in parquet_files(out)]).column("id").to_pylist()) == list(range(1000))


@pytest.mark.parametrize("sort_by", [
    [("name", "descending"), "id"],
    [{"column": "name", "descending": True}, {"column": "id"}],
])
def test_sort_by_sorts_each_file_and_records_the_keys(tmp_path: Path, sort_by: Any) -> None:
    out = tmp_path / "sorted"
    rows = [{"id": i, "name": f"n{(i * 7919) % 13}"} for i in range(5_000)]
    with Writer(directory=out, schema=SCHEMA, sort_by=sort_by, max_rows_per_file=2_000, memory_limit_bytes=4 << 20) as w:
        w.write(rows)
    files = parquet_files(out)
    assert len(files) == 3
    seen: list[int] = []
    for path in files:
        table = pq.read_table(path)
        pairs = list(zip(table.column("name").to_pylist(), table.column("id").to_pylist()))
        # Python's sort is stable, also with reverse=True: by id, then by name descending.
        assert pairs == sorted(sorted(pairs, key=lambda p: p[1]), key=lambda p: p[0].encode(), reverse=True)
        sorting = pq.ParquetFile(path).metadata.row_group(0).sorting_columns
        assert [(s.column_index, s.descending) for s in sorting] == [(1, True), (0, False)]
        seen += table.column("id").to_pylist()
    assert sorted(seen) == list(range(5_000))


def test_sort_by_of_a_missing_column_raises(tmp_path: Path) -> None:
    with pytest.raises(ParquetWriterError, match="not a column"):
        Writer(tmp_path / "x.parquet", schema=SCHEMA, sort_by="nope")
    with pytest.raises(ValueError):
        Writer(tmp_path / "x.parquet", schema=SCHEMA, sort_by=[("id", "up")])
    assert not (tmp_path / "x.parquet").exists()
