"""The configuration key `mode` through the C ABI: error, overwrite, overwrite_partitions and
append for files and datasets, read back with pyarrow and DuckDB; sinks that cannot list or
rename; and atomicity of `overwrite` under SIGKILL (the root holds all old rows or all new
rows, never a mix, and the next writer sweeps the staging directory left behind)."""

from __future__ import annotations

import json
import os
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
from test_abi_sink import MemorySink

FIELDS = [
    {"name": "id", "type": "int64", "nullable": False},
    {"name": "bucket", "type": "int32", "nullable": False},
    {"name": "gen", "type": "string", "nullable": False},
]


def rows(start: int, count: int, gen: str, buckets: int = 3) -> list[dict[str, Any]]:
    return [{"id": i, "bucket": i % buckets, "gen": gen} for i in range(start, start + count)]


def write_file(abi: ABI, path: Path, count: int, gen: str, **options: Any) -> dict[str, Any] | None:
    writer = abi.create({"path": str(path), "schema": {"fields": FIELDS}, **options})
    if not writer:
        return None
    assert abi.write(writer, rows(0, count, gen))["ok"]
    closed = abi.close(writer)
    assert closed["ok"], closed
    return closed


def write_dataset(abi: ABI, root: Path, ids: range, gen: str, buckets: int = 3, **options: Any) -> dict[str, Any] | None:
    writer = abi.create({"directory": str(root), "schema": {"fields": FIELDS}, **options})
    if not writer:
        return None
    assert abi.write(writer, rows(ids.start, len(ids), gen, buckets))["ok"]
    closed = abi.close(writer)
    assert closed["ok"], closed
    return closed


def read_gens(root: Path) -> dict[str, int]:
    """Rows per `gen` in the dataset at `root`, by pyarrow (hive partitions), checked by DuckDB."""
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table(columns=["gen"])
    grouped = table.group_by("gen").aggregate([("gen", "count")]).to_pylist()
    counts = {row["gen"]: row["gen_count"] for row in grouped}
    if any(root.rglob("*.parquet")):
        by_duckdb = dict(duckdb.sql(
            f"select gen, count(*) from read_parquet('{root}/**/*.parquet', hive_partitioning=true) group by gen"
        ).fetchall())
        assert by_duckdb == counts
    return counts


def staging_dirs(parent: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if ".staging-" in p.name)


# -- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["path", "directory"])
def test_an_unknown_mode_lists_the_accepted_ones(abi: ABI, out_dir: Path, kind: str) -> None:
    assert not abi.create({kind: str(out_dir / "x"), "schema": {"fields": FIELDS}, "mode": "replace"})
    error = abi.last_error()
    assert error["code"] == "invalid_options"
    assert "unknown mode 'replace'" in error["message"]
    assert "error, overwrite, overwrite_partitions, append" in error["message"]
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize("mode", ["append", "overwrite_partitions"])
def test_dataset_modes_are_refused_for_a_file(abi: ABI, out_dir: Path, mode: str) -> None:
    assert write_file(abi, out_dir / "x.parquet", 3, "old", mode=mode) is None
    error = abi.last_error()
    assert error["code"] == "invalid_options" and f"mode '{mode}' is for directory output" in error["message"]
    assert list(out_dir.iterdir()) == []


# -- single files -----------------------------------------------------------------------------


def test_a_file_is_overwritten_by_default(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "x.parquet"
    write_file(abi, path, 5, "old")
    write_file(abi, path, 7, "new")
    assert pq.read_table(path).column("gen").to_pylist() == ["new"] * 7
    assert duckdb.sql(f"select count(*) from '{path}'").fetchall() == [(7,)]
    write_file(abi, path, 2, "newer", mode="overwrite")
    assert pq.read_table(path).column("gen").to_pylist() == ["newer"] * 2
    assert [p.name for p in out_dir.iterdir()] == ["x.parquet"]


def test_mode_error_writes_a_new_file_and_refuses_an_existing_one(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "x.parquet"
    assert write_file(abi, path, 5, "old", mode="error") is not None
    assert write_file(abi, path, 7, "new", mode="error") is None
    error = abi.last_error()
    assert error["code"] == "io_error" and f"'{path}' already exists" in error["message"], error
    assert pq.read_table(path).column("gen").to_pylist() == ["old"] * 5
    assert [p.name for p in out_dir.iterdir()] == ["x.parquet"]


def test_mode_error_does_not_replace_a_file_created_while_writing(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "x.parquet"
    writer = abi.create({"path": str(path), "schema": {"fields": FIELDS}, "mode": "error"})
    assert writer, abi.last_error()
    assert abi.write(writer, rows(0, 10, "mine"))["ok"]
    write_file(abi, path, 3, "theirs")
    closed = abi.close(writer)
    assert not closed["ok"] and closed["error"]["code"] == "io_error", closed
    assert pq.read_table(path).column("gen").to_pylist() == ["theirs"] * 3
    assert [p.name for p in out_dir.iterdir()] == ["x.parquet"]


# -- datasets ---------------------------------------------------------------------------------


def test_a_non_empty_dataset_is_refused_by_default(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    # Missing, then empty but for hidden entries: both taken.
    assert write_dataset(abi, root, range(0, 6), "old") is not None
    (out_dir / "empty").mkdir()
    (out_dir / "empty" / "_SUCCESS").touch()
    (out_dir / "empty" / ".hidden").touch()
    assert write_dataset(abi, out_dir / "empty", range(0, 6), "old") is not None
    for mode in ({}, {"mode": "error"}):
        assert write_dataset(abi, root, range(6, 9), "new", **mode) is None
        error = abi.last_error()
        assert error["code"] == "io_error" and f"'{root}' is not empty" in error["message"], error
        assert "'append'" in error["message"] and "'overwrite'" in error["message"]
    assert read_gens(root) == {"old": 6}


def test_append_adds_files_beside_the_old_ones(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    write_dataset(abi, root, range(0, 6), "old", mode="append", partition_by=["bucket"])
    write_dataset(abi, root, range(6, 15), "new", mode="append", partition_by=["bucket"])
    assert read_gens(root) == {"old": 6, "new": 9}
    assert len(list(root.rglob("*.parquet"))) == 6


def test_overwrite_replaces_the_dataset(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    write_dataset(abi, root, range(0, 6), "old", mode="append", partition_by=["bucket"])
    (root / "notes.txt").write_text("old")
    closed = write_dataset(abi, root, range(0, 10), "new", buckets=2, mode="overwrite", partition_by=["bucket"])
    assert closed is not None
    assert read_gens(root) == {"new": 10}
    assert sorted(p.name for p in root.iterdir()) == ["bucket=0", "bucket=1"]
    assert sorted(Path(f["path"]) for f in closed["files"]) == sorted(root.rglob("*.parquet"))
    assert staging_dirs(out_dir) == []


def test_overwrite_of_a_missing_directory_creates_it(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "a" / "b" / "ds"
    assert write_dataset(abi, root, range(0, 4), "new", mode="overwrite") is not None
    assert read_gens(root) == {"new": 4}
    assert staging_dirs(root.parent) == []


def test_overwrite_with_an_inferred_schema_and_no_rows_empties_the_dataset(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    write_dataset(abi, root, range(0, 6), "old", mode="append")
    writer = abi.create({"directory": str(root), "mode": "overwrite"})
    assert writer, abi.last_error()
    assert abi.close(writer)["ok"]
    assert list(root.iterdir()) == [] and staging_dirs(out_dir) == []


def test_overwrite_partitions_replaces_only_the_partitions_written(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    write_dataset(abi, root, range(0, 9), "old", mode="append", partition_by=["bucket"])
    kept = sorted((root / "bucket=2").iterdir())
    # Buckets 0 and 1 only (ids 100..109 over 2 buckets), and a new bucket 5.
    writer = abi.create({"directory": str(root), "schema": {"fields": FIELDS}, "mode": "overwrite_partitions",
                         "partition_by": ["bucket"]})
    assert writer, abi.last_error()
    assert abi.write(writer, rows(100, 10, "new", buckets=2) + [{"id": 500, "bucket": 5, "gen": "new"}])["ok"]
    closed = abi.close(writer)
    assert closed["ok"], closed
    assert sorted((root / "bucket=2").iterdir()) == kept
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table().to_pylist()
    by_bucket: dict[int, set[str]] = {}
    for row in table:
        by_bucket.setdefault(row["bucket"], set()).add(row["gen"])
    assert by_bucket == {0: {"new"}, 1: {"new"}, 2: {"old"}, 5: {"new"}}
    assert read_gens(root) == {"old": 3, "new": 11}
    assert staging_dirs(out_dir) == []


def test_an_aborted_overwrite_leaves_the_old_dataset(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    write_dataset(abi, root, range(0, 6), "old", mode="append")
    before = sorted(root.iterdir())
    for mode in ("overwrite", "overwrite_partitions"):
        writer = abi.create({"directory": str(root), "schema": {"fields": FIELDS}, "mode": mode,
                             "max_rows_per_file": 3, "partition_by": ["bucket"]})
        assert writer, abi.last_error()
        assert abi.write(writer, rows(0, 20, "new"))["ok"]
        assert staging_dirs(out_dir) != []
        abi.abort(writer)
        assert sorted(root.iterdir()) == before and staging_dirs(out_dir) == []
    assert read_gens(root) == {"old": 6}


def test_commit_replaces_once_then_adds_to_the_new_data(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    write_dataset(abi, root, range(0, 6), "old", mode="append")
    writer = abi.create({"directory": str(root), "schema": {"fields": FIELDS}, "mode": "overwrite"})
    assert writer, abi.last_error()
    assert abi.write(writer, rows(0, 4, "new"))["ok"]
    assert read_gens(root) == {"old": 6}
    assert abi.commit(writer)["ok"]
    assert read_gens(root) == {"new": 4}
    assert abi.write(writer, rows(4, 4, "new"))["ok"]
    assert abi.close(writer)["ok"]
    assert read_gens(root) == {"new": 8}


def test_sinks_take_only_what_they_can_do(abi: ABI, out_dir: Path) -> None:
    for config, words in [
        ({"directory": "mem://ds", "mode": "overwrite"}, "takes only mode 'append'"),
        ({"directory": "mem://ds", "mode": "error"}, "takes only mode 'append'"),
        ({"directory": "mem://ds", "mode": "overwrite_partitions"}, "takes only mode 'append'"),
        ({"path": "mem://x.parquet", "mode": "error"}, "takes only mode 'overwrite'"),
    ]:
        sink = MemorySink()
        assert not abi.create_with_sink({**config, "schema": {"fields": FIELDS}}, sink.struct())
        error = abi.last_error()
        assert error["code"] == "invalid_options" and words in error["message"], error
    sink = MemorySink()
    writer = abi.create_with_sink({"directory": "mem://ds", "schema": {"fields": FIELDS}, "mode": "append"}, sink.struct())
    assert writer, abi.last_error()
    assert abi.write(writer, rows(0, 3, "new"))["ok"]
    assert abi.close(writer)["ok"] and len(sink.finished) == 1


# -- SIGKILL during overwrite -----------------------------------------------------------------

OVERWRITING_CHILD = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[1])
    from abi import ABI, ndjson
    abi = ABI(sys.argv[2])
    root, mode, batches = sys.argv[3], sys.argv[4], int(sys.argv[5])
    fields = json.loads(sys.argv[6])
    writer = abi.create({"directory": root, "schema": {"fields": fields}, "mode": mode, "compression": "zstd",
                         "partition_by": ["bucket"], "max_rows_per_file": 20000, "row_group_rows": 5000})
    assert writer, abi.last_error()
    batch = ndjson([{"id": i, "bucket": i % 4, "gen": "new"} for i in range(10000)])
    print("writing", flush=True)
    for _ in range(batches):
        assert abi.write_n(writer, batch)["ok"]
    print("closing", flush=True)
    result = abi.close(writer)
    assert result["ok"], result
    print("closed", flush=True)
""")

OLD_ROWS = 3000
NEW_BATCHES = 400
NEW_ROWS = NEW_BATCHES * 10_000


def start_child(root: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", OVERWRITING_CHILD, str(Path(__file__).parent), str(LIBRARY), str(root), mode,
         str(NEW_BATCHES), json.dumps(FIELDS)],
        stdout=subprocess.PIPE, text=True)


def old_dataset(abi: ABI, root: Path) -> None:
    write_dataset(abi, root, range(0, OLD_ROWS), "old", buckets=4, mode="append", partition_by=["bucket"],
                  max_rows_per_file=400)


def check_after_kill(abi: ABI, root: Path, mode: str) -> str:
    """The root holds all old rows or all new rows (per partition under overwrite_partitions);
    the next writer sweeps the dead child's staging directory. Returns which was seen."""
    if mode == "overwrite":
        gens = read_gens(root)
        assert gens in ({"old": OLD_ROWS}, {"new": NEW_ROWS}), gens
        seen = next(iter(gens))
    else:
        table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table(columns=["bucket", "gen"])
        per_bucket: dict[int, dict[str, int]] = {}
        for row in table.group_by(["bucket", "gen"]).aggregate([("gen", "count")]).to_pylist():
            per_bucket.setdefault(row["bucket"], {})[row["gen"]] = row["gen_count"]
        for bucket, counts in per_bucket.items():
            assert counts in ({"old": OLD_ROWS // 4}, {"new": NEW_ROWS // 4}), (bucket, counts)
        seen = "+".join(sorted({gen for counts in per_bucket.values() for gen in counts}))
    assert not any(p.name.startswith(".parquet-") for p in root.rglob(".*")), "a temporary file in the root"
    writer = abi.create({"directory": str(root), "schema": {"fields": FIELDS}, "mode": "append"})
    assert writer, abi.last_error()
    abi.abort(writer)
    assert staging_dirs(root.parent) == []
    return seen


def test_an_unkilled_overwrite_takes_a_second_or_two(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    old_dataset(abi, root)
    started = time.monotonic()
    child = start_child(root, "overwrite")
    output, _ = child.communicate(timeout=120)
    assert child.returncode == 0 and output.splitlines()[-1] == "closed"
    elapsed = time.monotonic() - started
    assert read_gens(root) == {"new": NEW_ROWS}
    assert staging_dirs(out_dir) == []
    # Long enough for kills spread over the run to land in every phase.
    assert elapsed > 0.3, elapsed


@pytest.mark.parametrize("mode", ["overwrite", "overwrite_partitions"])
def test_sigkill_during_overwrite_leaves_old_or_new_never_a_mix(abi: ABI, out_dir: Path, mode: str) -> None:
    # How long a run takes here, so the kills are spread over it.
    probe = out_dir / "probe" / "ds"
    old_dataset(abi, probe)
    child = start_child(probe, mode)
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    started = time.monotonic()
    child.communicate(timeout=120)
    duration = time.monotonic() - started
    assert child.returncode == 0

    seen = []
    delays = [duration * fraction for fraction in (0.05, 0.3, 0.6, 0.9, 1.0, 1.2, 1.5)]
    # Then kills aimed at the commit: right as close begins, and as soon as the root is swapped.
    for case, delay in [*(("delay", d) for d in delays), ("closing", 0.0), ("closing", 0.002), ("swapped", 0.0)]:
        root = out_dir / f"{case}-{len(seen)}" / "ds"
        old_dataset(abi, root)
        inode = root.stat().st_ino
        child = start_child(root, mode)
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
        if case == "delay":
            time.sleep(delay)
        elif case == "closing":
            while (line := child.stdout.readline()) not in ("closing\n", ""):
                pass
            time.sleep(delay)
        else:
            # Poll until the root (or, by partition, a leaf) is no longer the old directory.
            leaf = root / "bucket=0"
            leaf_inode = leaf.stat().st_ino
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and child.poll() is None:
                try:
                    if root.stat().st_ino != inode or leaf.stat().st_ino != leaf_inode:
                        break
                except FileNotFoundError:
                    continue
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        seen.append((case, round(delay, 3), check_after_kill(abi, root, mode)))
    outcomes = {outcome for _, _, outcome in seen}
    # The early kills leave the old data; a kill after the swap leaves the new.
    assert seen[0][2] == "old", seen
    assert "new" in outcomes or mode == "overwrite_partitions", seen
    print(seen)
