"""``Writer(mode=...)``: local files and datasets (the library's modes, atomic), fsspec outputs
(``memory://``, modes done by the binding: checked or listed before writing, old objects deleted
after the commit), file objects, and unknown modes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import fsspec
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from parquet_writer import ParquetWriterError, Writer

SCHEMA = [("id", "int64", False), ("part", "int32", False), ("gen", "string", False)]


def rows(count: int, gen: str, parts: int = 2) -> list[dict[str, Any]]:
    return [{"id": i, "part": i % parts, "gen": gen} for i in range(count)]


def write(where: Any, count: int, gen: str, **options: Any) -> Writer:
    dataset = options.pop("dataset", False)
    parts = options.pop("parts", 2)
    writer = Writer(directory=where, schema=SCHEMA, **options) if dataset else Writer(where, SCHEMA, **options)
    with writer:
        writer.write(rows(count, gen, parts))
    return writer


def local_gens(root: Path) -> dict[Any, set[str]]:
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table().to_pylist()
    by_part: dict[Any, set[str]] = {}
    for row in table:
        by_part.setdefault(row["part"], set()).add(row["gen"])
    return by_part



def memory_gens(fs: Any, prefix: str) -> list[tuple[str, str]]:
    """(relative path, gen) of every Parquet object under `prefix`, sorted."""
    found = []
    for path in sorted(fs.find(prefix)):
        with fs.open(path, "rb") as file:
            gens = set(pq.read_table(file, pre_buffer=False).column("gen").to_pylist())
        found.append((path[len(prefix) + 1:].rsplit("/", 1)[0] if "/" in path[len(prefix) + 1:] else "", gens.pop()))
    return found


# -- local -----------------------------------------------------------------------------------


def test_unknown_mode_is_refused_before_anything_is_created(out_dir: Path) -> None:
    with pytest.raises(ParquetWriterError) as raised:
        Writer(out_dir / "x.parquet", SCHEMA, mode="replace")  # type: ignore[arg-type]
    assert raised.value.code == "invalid_options"
    assert "error, overwrite, overwrite_partitions, append" in raised.value.message
    assert list(out_dir.iterdir()) == []


def test_local_file_modes(out_dir: Path) -> None:
    path = out_dir / "x.parquet"
    write(path, 3, "old", mode="error")
    write(path, 4, "new")
    assert pq.read_table(path).column("gen").to_pylist() == ["new"] * 4
    with pytest.raises(ParquetWriterError) as raised:
        Writer(path, SCHEMA, mode="error")
    assert raised.value.code == "io_error" and "already exists" in raised.value.message
    with pytest.raises(ParquetWriterError) as raised:
        Writer(path, SCHEMA, mode="append")
    assert raised.value.code == "invalid_options"
    assert [p.name for p in out_dir.iterdir()] == ["x.parquet"]


def test_local_dataset_modes(out_dir: Path) -> None:
    root = out_dir / "ds"
    write(root, 4, "old", dataset=True, partition_by=["part"])
    with pytest.raises(ParquetWriterError) as raised:
        Writer(directory=root, schema=SCHEMA)
    assert raised.value.code == "io_error" and "is not empty" in raised.value.message
    write(root, 4, "more", dataset=True, partition_by=["part"], mode="append")
    assert local_gens(root) == {0: {"old", "more"}, 1: {"old", "more"}}
    # Part 0 only: part 1 stays.
    writer = Writer(directory=root, schema=SCHEMA, partition_by=["part"], mode="overwrite_partitions")
    with writer:
        writer.write([{"id": 9, "part": 0, "gen": "new"}])
    assert writer.mode == "overwrite_partitions" and writer.config["mode"] == "overwrite_partitions"
    assert local_gens(root) == {0: {"new"}, 1: {"old", "more"}}
    write(root, 3, "last", dataset=True, mode="overwrite")
    assert local_gens(root) == {0: {"last"}, 1: {"last"}}
    assert sorted(p.name for p in out_dir.iterdir()) == ["ds"]


def test_an_exception_in_an_overwrite_block_leaves_the_old_dataset(out_dir: Path) -> None:
    root = out_dir / "ds"
    write(root, 4, "old", dataset=True)
    with pytest.raises(RuntimeError):
        with Writer(directory=root, schema=SCHEMA, mode="overwrite", max_rows_per_file=1) as writer:
            writer.write(rows(5, "new"))
            raise RuntimeError("stop")
    assert local_gens(root) == {0: {"old"}, 1: {"old"}}
    assert sorted(p.name for p in out_dir.iterdir()) == ["ds"]


def test_a_file_object_takes_only_overwrite() -> None:
    write(io.BytesIO(), 2, "x", mode="overwrite")
    with pytest.raises(ParquetWriterError) as raised:
        Writer(io.BytesIO(), SCHEMA, mode="error")
    assert raised.value.code == "invalid_options" and "only mode 'overwrite'" in raised.value.message


# -- fsspec ----------------------------------------------------------------------------------


def test_memory_file_error_and_overwrite(memory_fs: Any) -> None:
    url = "memory://bucket/x.parquet"
    write(url, 3, "old", mode="error")
    with pytest.raises(ParquetWriterError) as raised:
        Writer(url, SCHEMA, mode="error")
    assert raised.value.code == "io_error" and f"'{url}' already exists" in raised.value.message
    write(url, 5, "new", mode="overwrite")
    assert memory_gens(memory_fs, "/bucket") == [("", "new")]


def test_memory_dataset_appends_by_default_and_refuses_under_error(memory_fs: Any) -> None:
    url = "memory://lake/ds"
    write(url, 4, "old", dataset=True, partition_by=["part"])
    write(url, 4, "more", dataset=True, partition_by=["part"])
    assert len(memory_gens(memory_fs, "/lake/ds")) == 4
    with pytest.raises(ParquetWriterError) as raised:
        Writer(directory=url, schema=SCHEMA, mode="error")
    assert raised.value.code == "io_error" and "is not empty" in raised.value.message
    # Hidden objects do not count.
    memory_fs.pipe("/lake/empty/_SUCCESS", b"")
    write("memory://lake/empty", 2, "new", dataset=True, mode="error")


def test_memory_dataset_overwrite_deletes_the_old_objects_after_the_commit(memory_fs: Any) -> None:
    url = "memory://lake/ds"
    write(url, 4, "old", dataset=True, partition_by=["part"])
    writer = Writer(directory=url, schema=SCHEMA, partition_by=["part"], mode="overwrite")
    assert "mode" not in writer.config  # the library appends; the binding deletes
    writer.write(rows(6, "new"))
    # Nothing is deleted before the new files are committed.
    assert {gen for _, gen in memory_gens(memory_fs, "/lake/ds")} == {"old"}
    writer.commit()
    assert {gen for _, gen in memory_gens(memory_fs, "/lake/ds")} == {"new"}
    writer.write(rows(2, "new"))
    writer.close()
    assert [gen for _, gen in memory_gens(memory_fs, "/lake/ds")] == ["new"] * 4


def test_memory_dataset_overwrite_aborted_keeps_the_old_objects(memory_fs: Any) -> None:
    url = "memory://lake/ds"
    write(url, 4, "old", dataset=True)
    writer = Writer(directory=url, schema=SCHEMA, mode="overwrite", max_rows_per_file=2)
    writer.write(rows(5, "new"))
    writer.abort()
    # Files finished before the abort are committed objects (object stores cannot stage them),
    # but the old ones were not deleted.
    assert "old" in {gen for _, gen in memory_gens(memory_fs, "/lake/ds")}


def test_memory_dataset_overwrite_partitions(memory_fs: Any) -> None:
    url = "memory://lake/ds"
    write(url, 6, "old", dataset=True, partition_by=["part"], parts=3)
    writer = Writer(directory=url, schema=SCHEMA, partition_by=["part"], mode="overwrite_partitions")
    with writer:
        writer.write([{"id": 1, "part": 1, "gen": "new"}, {"id": 9, "part": 7, "gen": "new"}])
    assert memory_gens(memory_fs, "/lake/ds") == sorted(
        [("part=0", "old"), ("part=1", "new"), ("part=2", "old"), ("part=7", "new")]
    )
