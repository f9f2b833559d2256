"""Datasets through the C ABI: `directory` output rolled by rows and bytes, hive partitions,
commit_files, and atomicity (a writer killed with SIGKILL, a writer whose disk fills up),
read back with pyarrow and DuckDB."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from abi import ABI, LIBRARY, ndjson

FIELDS = [
    {"name": "id", "type": "int64", "nullable": False},
    {"name": "currency", "type": "string"},
    {"name": "created_at", "type": "timestamp_ms", "nullable": False},
    {"name": "amount", "type": "float64"},
]


def dataset_config(directory: Path, **options: Any) -> dict[str, Any]:
    return {"directory": str(directory), "schema": {"fields": FIELDS}, **options}


def records(start: int, count: int) -> list[dict[str, Any]]:
    currencies = ["EUR", "USD", None, "a/b c%é", ""]
    return [
        {
            "id": i,
            "currency": currencies[i % 5],
            "created_at": f"2024-03-{1 + i % 3:02d}T{i % 24:02d}:15:00.250Z",
            "amount": None if i % 7 == 0 else i * 1.25,
        }
        for i in range(start, start + count)
    ]


def parquet_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.parquet"))


def hidden_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob(".*") if p.is_file())


# -- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, code, words",
    [
        ({"path": "x.parquet"}, "invalid_options", "both 'path' and 'directory'"),
        ({"max_rows_per_file": 0}, "invalid_options", "max_rows_per_file"),
        ({"partition_by": "currency"}, "invalid_options", "'partition_by' must be an array"),
        ({"partition_by": [{"column": "created_at", "transform": "week"}]}, "invalid_options", "unknown transform 'week'"),
        ({"partition_by": [{"col": "currency"}]}, "invalid_options", "unknown key 'col'"),
        ({"partition_by": ["nope"]}, "invalid_options", "'nope'"),
        ({"partition_by": ["amount"]}, "invalid_options", "float64"),
        ({"partition_by": [{"column": "id", "transform": "day"}]}, "invalid_options", "cannot partition by day"),
        ({"memory_limit_bytes": 1048576}, "invalid_options", "memory_limit_bytes"),
        ({"memory_limit_bytes": "256MiB"}, "invalid_options", "memory_limit_bytes"),
        ({"file_prefix": ".hidden"}, "invalid_options", "file_prefix"),
        ({"max_open_files": 0}, "invalid_options", "max_open_files"),
    ],
)
def test_bad_dataset_configurations_are_refused(abi: ABI, out_dir: Path, options: dict, code: str, words: str) -> None:
    assert not abi.create(dataset_config(out_dir / "ds", **options))
    error = abi.last_error()
    assert error["code"] == code and words in error["message"], error


def test_dataset_keys_need_a_directory(abi: ABI, out_dir: Path) -> None:
    assert not abi.create({"path": str(out_dir / "x.parquet"), "schema": {"fields": FIELDS}, "max_rows_per_file": 5})
    error = abi.last_error()
    assert error["code"] == "invalid_options" and "'max_rows_per_file' is for directory output" in error["message"]
    assert list(out_dir.iterdir()) == []


# -- rolling ----------------------------------------------------------------------------------


@pytest.mark.parametrize("threads", [1, 2])
def test_rolling_by_rows_splits_batches_and_lists_each_file_once(abi: ABI, out_dir: Path, threads: int) -> None:
    root = out_dir / "ds"
    writer = abi.create(dataset_config(root, max_rows_per_file=10, compression="zstd", threads=threads))
    assert writer, abi.last_error()
    reported: list[dict[str, Any]] = []
    for start in (0, 9, 18):
        result = abi.write(writer, records(start, 9))
        assert result["ok"] and result["rows_written"] == 9, result
        reported += result["files"]
    closed = abi.close(writer)
    assert closed["ok"] and closed["rows_written"] == 27, closed
    reported += closed["files"]
    assert [f["rows"] for f in reported] == [10, 10, 7]
    assert sorted(Path(f["path"]) for f in reported) == parquet_files(root)
    assert hidden_files(root) == []
    ids = []
    for f in reported:
        table = pq.read_table(f["path"])
        assert table.num_rows == f["rows"]
        assert f["columns"]["id"]["min"] == table.column("id").to_pylist()[0]
        ids += table.column("id").to_pylist()
    assert ids == list(range(27))
    count = duckdb.sql(f"select count(*), count(distinct id) from read_parquet('{root}/*.parquet')").fetchall()[0]
    assert count == (27, 27)


@pytest.mark.parametrize("threads", [1, 2])
def test_rolling_by_bytes(abi: ABI, out_dir: Path, threads: int) -> None:
    root = out_dir / "ds"
    writer = abi.create(dataset_config(
        root, max_bytes_per_file=20_000, compression="none", row_group_rows=500, threads=threads))
    assert writer, abi.last_error()
    files = []
    for start in range(0, 10_000, 500):
        files += abi.write(writer, records(start, 500))["files"]
    files += abi.close(writer)["files"]
    assert len(files) > 3
    assert all(f["bytes"] >= 20_000 for f in files[:-1])
    assert [os.path.getsize(f["path"]) for f in files] == [f["bytes"] for f in files]
    table = ds.dataset(str(root), format="parquet").to_table()
    assert sorted(table.column("id").to_pylist()) == list(range(10_000))


# -- partitions -------------------------------------------------------------------------------


def test_partitions_read_back_by_pyarrow_and_duckdb(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    config = dataset_config(root, partition_by=["currency", {"column": "created_at", "transform": "day", "name": "day"}])
    writer = abi.create(config)
    assert writer, abi.last_error()
    sent = records(0, 3_000)
    for start in range(0, 3_000, 1_000):
        assert abi.write_n(writer, ndjson(sent[start:start + 1_000]))["ok"]
    files = abi.close(writer)["files"]
    assert len(files) == 4 * 3  # EUR, USD, the escaped value, null/"" (one partition) x 3 days
    directories = {Path(f["path"]).parent.relative_to(root).as_posix() for f in files}
    assert "currency=a%2Fb c%25é/day=2024-03-02" in directories  # Hive escaping: non-ASCII and space as they are
    assert "currency=__HIVE_DEFAULT_PARTITION__/day=2024-03-03" in directories
    # The identity column is in the path only; the transformed column stays in the files.
    assert pq.read_schema(files[0]["path"]).names == ["id", "created_at", "amount"]

    # Hive decodes %XX and reads __HIVE_DEFAULT_PARTITION__ as null (so "" comes back null).
    expected = {r["id"]: (r["currency"] or None, r["amount"]) for r in sent}
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table()
    got = {i: (c, a) for i, c, a in zip(*(table.column(n).to_pylist() for n in ("id", "currency", "amount")))}
    assert got == expected
    rows = duckdb.sql(
        f"select id, currency, day, created_at::date = day from read_parquet('{root}/**/*.parquet', hive_partitioning=true)"
    ).fetchall()
    assert {r[0]: r[1] for r in rows} == {i: v[0] for i, v in expected.items()}
    assert all(r[3] for r in rows)


# Values with every character class Hive treats specially, non-ASCII text and a few it leaves
# alone (space, '+', '&', '.', '~'); '..' and '.' are plain values too (the segment is key=..).
AWKWARD_VALUES = ["€uro", "a/b", "x:y=z", "it's", "50%", "a+b c", "#[^]{}", 'q"\\*?', "tab\there", "..", ".", "日本", "~.&"]


def test_partition_values_escaped_as_hive_does_read_back_exactly(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    writer = abi.create({"directory": str(root), "partition_by": ["key"], "schema": {"fields": [
        {"name": "id", "type": "int64", "nullable": False}, {"name": "key", "type": "string"}]}})
    assert writer, abi.last_error()
    sent = [{"id": i, "key": value} for i, value in enumerate(AWKWARD_VALUES)]
    assert abi.write(writer, sent)["ok"]
    files = abi.close(writer)["files"]
    directories = sorted(Path(f["path"]).parent.name for f in files)
    assert "key=€uro" in directories and "key=a%2Fb" in directories and "key=x%3Ay%3Dz" in directories
    assert "key=a+b c" in directories and "key=.." in directories and "key=tab%09here" in directories
    expected = {r["id"]: r["key"] for r in sent}
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table()
    assert dict(zip(table.column("id").to_pylist(), table.column("key").to_pylist())) == expected
    rows = duckdb.sql(f"select id, key from read_parquet('{root}/**/*.parquet', hive_partitioning=true)").fetchall()
    assert dict(rows) == expected
    import polars as pl
    frame = pl.read_parquet(f"{root}/**/*.parquet", hive_partitioning=True)
    assert dict(zip(frame["id"].to_list(), frame["key"].to_list())) == expected


def test_max_open_files_bounds_open_files_not_the_file_count(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    # Row groups of 5 rows open files early; only two may be open at once.
    writer = abi.create(dataset_config(root, partition_by=["currency"], max_open_files=2, row_group_rows=5))
    assert writer, abi.last_error()
    finished = []
    for start in range(0, 100, 10):  # five partitions in turn, two open at a time
        finished += abi.write(writer, records(start, 10))["files"]
    assert finished == []  # no file is finished early to make room
    finished += abi.close(writer)["files"]
    assert sorted(Path(f["path"]) for f in finished) == parquet_files(root)
    assert sum(f["rows"] for f in finished) == 100
    partitions = {Path(f["path"]).parent.name for f in finished}
    assert len(finished) == len(partitions)  # one file per partition


# -- commit_files -----------------------------------------------------------------------------


def test_commit_files_commits_everything_so_far(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    writer = abi.create(dataset_config(root, partition_by=["currency"]))
    assert writer, abi.last_error()
    assert abi.write(writer, records(0, 50))["files"] == []
    committed = abi.commit(writer)
    assert committed["ok"] and committed["rows_written"] == 50
    assert sum(f["rows"] for f in committed["files"]) == 50
    assert sum(pq.read_metadata(p).num_rows for p in parquet_files(root)) == 50
    assert hidden_files(root) == []
    assert abi.write(writer, records(50, 10))["ok"]
    closed = abi.close(writer)
    assert closed["rows_written"] == 60 and sum(f["rows"] for f in closed["files"]) == 10


def test_commit_files_refuses_a_single_file(abi: ABI, out_dir: Path) -> None:
    writer = abi.create({"path": str(out_dir / "one.parquet"), "schema": {"fields": FIELDS}})
    assert writer, abi.last_error()
    result = abi.commit(writer)
    assert not result["ok"] and result["error"]["code"] == "invalid_options"
    assert abi.close(writer)["ok"]


def test_commit_files_on_a_closed_or_null_writer(abi: ABI, out_dir: Path) -> None:
    assert abi.commit(None)["error"]["code"] == "invalid_argument"
    writer = abi.create(dataset_config(out_dir / "ds"))
    assert abi.close(writer)["ok"]
    assert abi.commit(writer)["error"]["code"] == "invalid_handle"


def test_an_inferred_dataset(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    writer = abi.create({"directory": str(root), "partition_by": ["k"], "max_rows_per_file": 2})
    assert writer, abi.last_error()
    assert root.is_dir()
    result = abi.write(writer, [{"k": "a", "v": 1}, {"k": "b", "v": 2}, {"k": "a", "v": 3}, {"k": "a", "v": 4}])
    assert result["ok"] and [f["rows"] for f in result["files"]] == [2], result
    assert [f["rows"] for f in abi.close(writer)["files"]] == [1, 1]
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table().sort_by("v")
    assert table.column("k").to_pylist() == ["a", "b", "a", "a"]


def test_an_empty_dataset_closes_with_no_files(abi: ABI, out_dir: Path) -> None:
    writer = abi.create({"directory": str(out_dir / "ds")})
    closed = abi.close(writer)
    assert closed["ok"] and closed["files"] == [] and closed["rows_written"] == 0


def test_a_batch_with_an_impossible_partition_value_is_rejected_whole(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    writer = abi.create(dataset_config(root, partition_by=["currency"], on_invalid="skip"))
    batch = records(0, 5)
    batch[3]["currency"] = "x" * 300
    result = abi.write(writer, batch)
    assert not result["ok"] and result["error"]["code"] == "invalid_value" and result["error"]["row"] == 3
    assert abi.write(writer, records(5, 5))["ok"]
    assert sum(f["rows"] for f in abi.close(writer)["files"]) == 5


# -- atomicity --------------------------------------------------------------------------------

KILLED_CHILD = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[1])
    from abi import ABI, ndjson
    abi = ABI(sys.argv[2])
    fields = json.loads(sys.argv[4])
    writer = abi.create({"directory": sys.argv[3], "schema": {"fields": fields}, "compression": "zstd",
                         "partition_by": ["currency"], "max_rows_per_file": 3000, "row_group_rows": 1000})
    assert writer, abi.last_error()
    start = 0
    while True:
        batch = [{"id": i, "currency": ["EUR", "USD", "GBP"][i % 3], "created_at": i * 1000,
                  "amount": i / 4} for i in range(start, start + 700)]
        result = abi.write_n(writer, ndjson(batch))
        assert result["ok"], result
        for f in result["files"]:
            print(json.dumps({"path": f["path"], "rows": f["rows"]}), flush=True)
        start += 700
""")


def test_sigkill_leaves_only_complete_readable_files(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, str(Path(__file__).parent), str(LIBRARY), str(root), json.dumps(FIELDS)],
        stdout=subprocess.PIPE, text=True)
    reported: list[dict[str, Any]] = []
    assert child.stdout is not None
    while len(reported) < 12:
        line = child.stdout.readline()
        assert line, "the child stopped before it finished 12 files"
        reported.append(json.loads(line))
    # Kill it mid-write while a file is open (rows are staged until a partition has a row
    # group's worth, so there are moments with no file open), at a point that varies.
    deadline = time.monotonic() + 20
    while not hidden_files(root) and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(random.uniform(0.0, 0.005))
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    reported += [json.loads(line) for line in child.stdout.read().splitlines()]
    assert child.returncode == -signal.SIGKILL

    on_disk = parquet_files(root)
    # Every file the writer reported is there, and every .parquet file there is complete and
    # readable, with the row count of its footer (a reported one: exactly as reported).
    assert {Path(f["path"]) for f in reported} <= set(on_disk)
    rows_by_path = {Path(f["path"]): f["rows"] for f in reported}
    for path in on_disk:
        table = pq.read_table(path)
        assert table.num_rows == pq.read_metadata(path).num_rows > 0
        if path in rows_by_path:
            assert table.num_rows == rows_by_path[path]
        ids = table.column("id").to_pylist()
        assert len(set(ids)) == len(ids)
    total = duckdb.sql(f"select count(*) from read_parquet('{root}/**/*.parquet', hive_partitioning=true)").fetchall()[0][0]
    assert total == sum(pq.read_metadata(p).num_rows for p in on_disk)
    # The files being written at the kill are hidden temporaries; the next writer removes them.
    # (A file may have been finished between the poll and the kill: then none is left.)
    leftovers = hidden_files(root)
    assert all(p.name.startswith(".parquet-") and p.suffix == ".tmp" for p in leftovers), leftovers
    writer = abi.create(dataset_config(root, mode="append"))
    assert writer, abi.last_error()
    assert hidden_files(root) == []
    abi.abort(writer)
    assert parquet_files(root) == on_disk


FULL_DISK_CHILD = textwrap.dedent("""
    import json, resource, signal, sys
    sys.path.insert(0, sys.argv[1])
    from abi import ABI, ndjson
    # Writes past 60 kB fail with EFBIG, as a full disk would fail them.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))
    abi = ABI(sys.argv[2])
    fields = [{"name": "id", "type": "int64", "nullable": False}, {"name": "text", "type": "string"}]
    writer = abi.create({"directory": sys.argv[3], "schema": {"fields": fields}, "compression": "none",
                         "dictionary": False, "max_rows_per_file": 400, "column_buffer_bytes": None})
    assert writer, abi.last_error()
    calls, files = [], []
    for b in range(40):
        batch = [{"id": b * 250 + i, "text": f"text {b} {i} " + "x" * (40 + b * 20)} for i in range(250)]
        result = abi.write_n(writer, ndjson(batch))
        calls.append("ok" if result["ok"] else result["error"]["code"])
        files += result.get("files", [])
        if not result["ok"]:
            break
    calls.append("written" if abi.write_n(writer, ndjson(batch))["ok"] else abi.last_error()["code"])
    result = abi.close(writer)
    calls.append("closed" if result["ok"] else abi.last_error()["code"])
    print(json.dumps({"calls": calls, "files": files}))
""")


def test_a_full_disk_fails_the_dataset_but_keeps_finished_files(out_dir: Path) -> None:
    root = out_dir / "ds"
    child = subprocess.run(
        [sys.executable, "-c", FULL_DISK_CHILD, str(Path(__file__).parent), str(LIBRARY), str(root)],
        capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    outcome = json.loads(child.stdout.strip().splitlines()[-1])
    calls, files = outcome["calls"], outcome["files"]
    assert calls[0] == "ok" and "io_error" in calls, calls
    assert calls[-2:] == ["writer_closed", "writer_closed"], calls
    assert files, "no file was finished before the disk filled"
    # The finished files are intact; the failed one was discarded; no temporary is left.
    assert sorted(Path(f["path"]) for f in files) == parquet_files(root)
    for f in files:
        assert pq.read_table(f["path"]).num_rows == f["rows"] == 400
    assert hidden_files(root) == []
