"""Partitioned datasets fan out within `memory_limit_bytes` (issue 13, part 1): the proof.

- The same rows in sorted, reversed and random partition order, in several batches, give the
  same files: the same partition directories, the same number of files in each, the same
  multiset of per-file row counts (`ceil(rows / max_rows_per_file)` files per partition), and
  the same rows read back by pyarrow, DuckDB and polars (full row sets, sorted, not counts),
  equal to the input. Once with a small budget (8 MiB: rows are spilled, checked by the
  scratch file the writer opens), once with the default budget and a nested column.
- `threads` 2, 3 and 8 with `partition_by` write the same bytes as `threads: 1`.
- `max_open_files: 4` with 100 partitions: one file per partition, never more than 4 open.
- Row groups are not tiny: every row group but each file's last reaches the floor of
  `_FanOutBudget` (min(row_group_rows, 65,536) rows; see the test for the byte half).
- A child process writes an input 10x its budget into 800 partitions in random order, and its
  peak RSS stays under budget + baseline + a fixed allowance for the batch being written (a
  control with a 1 GiB budget goes over it).
- Bad budgets are refused (the ones test_abi_dataset.py does not already cover).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import textwrap
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from abi import ABI, LIBRARY, SANITIZER, ndjson

MiB = 1 << 20

# -- the rows ---------------------------------------------------------------------------------

# 20 regions x 6 days = 120 partitions. Regions are drawn with weights 1..20, so partitions
# range from a few dozen rows to ~1,000: with MAX_ROWS 400 some need 1 file, some 2, some 3.
REGIONS = [f"region-{chr(ord('a') + i)}{'x' * (i % 3)}" for i in range(20)]
DAYS = 6
ROWS = 60_000
MAX_ROWS = 400
BATCH = 5_000
DAY0_MS = int(dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc).timestamp() * 1000)
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]

FLAT_FIELDS = [
    {"name": "id", "type": "int64", "nullable": False},
    {"name": "region", "type": "string", "nullable": False},
    {"name": "ts", "type": "timestamp_ms", "nullable": False},
    {"name": "qty", "type": "int64", "nullable": False},
    {"name": "price", "type": "float64", "nullable": False},
    {"name": "note", "type": "string", "nullable": False},
    {"name": "maybe", "type": "int32", "nullable": True},
]
NESTED_FIELDS = FLAT_FIELDS + [
    {"name": "meta", "type": "struct", "nullable": True, "fields": [
        {"name": "a", "type": "int64", "nullable": False}, {"name": "b", "type": "string", "nullable": True}]},
    {"name": "items", "type": "list", "nullable": True, "items": {"type": "struct", "nullable": False, "fields": [
        {"name": "sku", "type": "string", "nullable": False}, {"name": "n", "type": "int32", "nullable": True}]}},
]
PARTITION_BY = ["region", {"column": "ts", "transform": "day", "name": "day"}]


def rfc3339(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


@lru_cache(maxsize=None)
def make_rows(nested: bool, seed: int = 13) -> tuple[dict[str, Any], ...]:
    rng = random.Random(seed)
    rows = []
    for i in range(ROWS):
        ms = DAY0_MS + rng.randrange(DAYS) * 86_400_000 + rng.randrange(86_400_000)
        row: dict[str, Any] = {
            "id": i,
            "region": rng.choices(REGIONS, weights=range(1, len(REGIONS) + 1))[0],
            "ts": rfc3339(ms),
            "qty": rng.randrange(-10**12, 10**12),
            "price": rng.random() * 1000,
            "note": " ".join(rng.choice(WORDS) for _ in range(rng.randrange(15, 45))) + f" {rng.randrange(10**9)}",
            "maybe": None if rng.random() < 0.3 else rng.randrange(-1000, 1000),
        }
        if nested:
            row["meta"] = None if rng.random() < 0.1 else {
                "a": rng.randrange(10**6), "b": None if rng.random() < 0.2 else rng.choice(WORDS)}
            row["items"] = None if rng.random() < 0.1 else [
                {"sku": f"sku-{rng.randrange(500)}", "n": None if rng.random() < 0.2 else rng.randrange(100)}
                for _ in range(rng.randrange(4))]
        rows.append(row)
    return tuple(rows)


def partition_of(row: dict[str, Any]) -> str:
    return f"region={row['region']}/day={row['ts'][:10]}"


def ordered(rows: tuple[dict[str, Any], ...], order: str) -> list[dict[str, Any]]:
    """The rows with their partitions sorted, reversed, or shuffled (ids in arrival order
    within a partition for sorted and reversed)."""
    if order == "sorted":
        return sorted(rows, key=partition_of)
    if order == "reversed":
        return sorted(rows, key=partition_of)[::-1]
    shuffled = list(rows)
    random.Random(99).shuffle(shuffled)
    return shuffled


def ts_ms(text: str) -> int:
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def expected_rows(rows: tuple[dict[str, Any], ...], nested: bool) -> list[tuple]:
    out = []
    for r in rows:
        t = (r["id"], r["region"], r["ts"][:10], ts_ms(r["ts"]), r["qty"], r["price"], r["note"], r["maybe"])
        if nested:
            t += (canonical(r["meta"]), canonical(r["items"]))
        out.append(t)
    return sorted(out)


# -- writing and reading back -----------------------------------------------------------------


def scratch_descriptors(root: Path) -> set[str]:
    """This process's descriptors on nameless files in the dataset: the page spool and, once
    rows are spilled, the row spill (O_TMPFILE shows as `<dir>/#<inode> (deleted)`)."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(root)) and target.endswith("(deleted)"):
            found.add(target)
    return found


def open_temporaries(root: Path) -> int:
    """Dataset files being written (hidden `.parquet-*.tmp` names) that this process holds open."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(root)) and Path(target).name.startswith(".parquet-") and target.endswith(".tmp"):
            count += 1
    return count


def write_dataset(abi: ABI, root: Path, rows: list[dict[str, Any]], fields: list[dict[str, Any]],
                  batch: int = BATCH, **options: Any) -> dict[str, Any]:
    """Writes `rows` in batches of `batch`; returns the files reported, the most scratch files
    open at once and the most dataset files open at once."""
    writer = abi.create({"directory": str(root), "schema": {"fields": fields}, "compression": "zstd", **options})
    assert writer, abi.last_error()
    files: list[dict[str, Any]] = []
    most_scratch = most_open = 0
    for start in range(0, len(rows), batch):
        result = abi.write_n(writer, ndjson(rows[start:start + batch]))
        assert result["ok"], result
        files += result["files"]
        most_scratch = max(most_scratch, len(scratch_descriptors(root)))
        most_open = max(most_open, open_temporaries(root))
    closed = abi.close(writer)
    assert closed["ok"] and closed["rows_written"] == len(rows), closed
    files += closed["files"]
    on_disk = sorted(root.rglob("*.parquet"))
    assert sorted(Path(f["path"]) for f in files) == on_disk
    assert [p for p in root.rglob(".*") if p.is_file()] == []
    return {"files": files, "most_scratch": most_scratch, "most_open": most_open}


def file_layout(root: Path) -> dict[str, list[int]]:
    """Partition directory -> sorted row counts of its files (from each file's footer)."""
    layout: dict[str, list[int]] = defaultdict(list)
    for path in root.rglob("*.parquet"):
        layout[path.parent.relative_to(root).as_posix()].append(pq.read_metadata(path).num_rows)
    return {k: sorted(v) for k, v in sorted(layout.items())}


def expected_layout(rows: tuple[dict[str, Any], ...], max_rows: int) -> dict[str, list[int]]:
    sizes = Counter(partition_of(r) for r in rows)
    layout = {}
    for partition, n in sorted(sizes.items()):
        layout[partition] = sorted([max_rows] * (n // max_rows) + ([n % max_rows] if n % max_rows else []))
    return layout


def read_pyarrow(root: Path, nested: bool) -> list[tuple]:
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table()
    cols = [table.column(n).to_pylist() for n in ("id", "region")]
    cols.append([str(d) for d in table.column("day").to_pylist()])
    cols.append(pc.cast(table.column("ts"), pa.int64()).to_pylist())
    cols += [table.column(n).to_pylist() for n in ("qty", "price", "note", "maybe")]
    if nested:
        cols += [[canonical(v) for v in table.column(n).to_pylist()] for n in ("meta", "items")]
    return sorted(zip(*cols))


def read_duckdb(root: Path, nested: bool) -> list[tuple]:
    extra = ", meta, items" if nested else ""
    rows = duckdb.sql(
        f"select id, region, day::varchar, epoch_ms(ts), qty, price, note, maybe{extra} "
        f"from read_parquet('{root}/**/*.parquet', hive_partitioning=true)").fetchall()
    if nested:
        rows = [r[:8] + (canonical(r[8]), canonical(r[9])) for r in rows]
    return sorted(rows)


def read_polars(root: Path, nested: bool) -> list[tuple]:
    frame = pl.scan_parquet(f"{root}/**/*.parquet", hive_partitioning=True).collect()
    cols = [frame["id"].to_list(), frame["region"].to_list(), [str(d) for d in frame["day"].to_list()],
            frame["ts"].dt.epoch("ms").to_list()]
    cols += [frame[n].to_list() for n in ("qty", "price", "note", "maybe")]
    if nested:
        cols += [[canonical(v) for v in frame[n].to_list()] for n in ("meta", "items")]
    return sorted(zip(*cols))


def read_all(root: Path, nested: bool) -> dict[str, list[tuple]]:
    return {"pyarrow": read_pyarrow(root, nested), "duckdb": read_duckdb(root, nested),
            "polars": read_polars(root, nested)}


# -- any arrival order, the same files --------------------------------------------------------

VARIANTS = {
    # 8 MiB: half (4 MiB) stages rows; 120 partitions of up to 400 staged rows (~300 bytes
    # each) hold more, and no partition reaches the early-write floor (65,536 rows or 256 KiB
    # for this budget), so rows spill.
    "small-budget-flat": {"nested": False, "options": {"memory_limit_bytes": 8 * MiB}, "spills": True},
    "default-budget-nested": {"nested": True, "options": {}, "spills": False},
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_sorted_reversed_and_random_orders_give_the_same_files_and_rows(abi: ABI, out_dir: Path, variant: str) -> None:
    spec = VARIANTS[variant]
    nested = spec["nested"]
    rows = make_rows(nested)
    fields = NESTED_FIELDS if nested else FLAT_FIELDS
    expected = expected_layout(rows, MAX_ROWS)
    # The data are what the test claims: 120 partitions, some needing 1, 2 and 3 files.
    assert len(expected) == len(REGIONS) * DAYS
    assert {len(v) for v in expected.values()} >= {1, 2, 3}
    want = expected_rows(rows, nested)

    layouts, results = {}, {}
    for order in ("sorted", "reversed", "random"):
        root = out_dir / order
        written = write_dataset(abi, root, ordered(rows, order), fields, partition_by=PARTITION_BY,
                                max_rows_per_file=MAX_ROWS, **spec["options"])
        # Two nameless scratch files at once (page spool and row spill) only when rows spilled.
        # With 8 MiB they spill in every order: even sorted, each partition's last rows (under
        # 400, its last file's) stay staged until close, and 120 of those pass 4 MiB.
        if spec["spills"]:
            assert written["most_scratch"] == 2, (order, written["most_scratch"])
        else:
            assert written["most_scratch"] <= 1, (order, written["most_scratch"])
        assert all(f["rows"] <= MAX_ROWS for f in written["files"])
        layouts[order] = file_layout(root)
        results[order] = read_all(root, nested)

    for order in ("sorted", "reversed", "random"):
        assert layouts[order] == expected, order
        assert sum(len(v) for v in layouts[order].values()) == sum(-(-n // MAX_ROWS) for n in
                                                                   Counter(partition_of(r) for r in rows).values())
        for reader, got in results[order].items():
            assert len(got) == ROWS, (order, reader)
            assert got == want, (order, reader, next((a, b) for a, b in zip(got, want) if a != b))


def test_every_thread_count_writes_what_one_thread_writes(abi: ABI, out_dir: Path) -> None:
    rows = ordered(make_rows(True), "random")
    layouts, results, contents = {}, {}, {}
    counts = (1, 2, 3, 8)
    for threads in counts:
        root = out_dir / f"t{threads}"
        write_dataset(abi, root, rows, NESTED_FIELDS, partition_by=PARTITION_BY, max_rows_per_file=MAX_ROWS,
                      memory_limit_bytes=8 * MiB, threads=threads)
        layouts[threads] = file_layout(root)
        results[threads] = read_all(root, True)
        # File names carry a run token; what each partition directory holds must be the same bytes.
        by_partition: dict = {}
        for path in sorted(root.rglob("*.parquet")):
            by_partition.setdefault(str(path.parent.relative_to(root)), []).append(path.read_bytes())
        contents[threads] = {key: sorted(files) for key, files in by_partition.items()}
    want = expected_rows(make_rows(True), True)
    for threads in counts:
        assert layouts[threads] == expected_layout(make_rows(True), MAX_ROWS), threads
        assert contents[threads] == contents[1], threads
        for reader in ("pyarrow", "duckdb", "polars"):
            assert results[threads][reader] == want, (threads, reader)


# -- row groups built a step at a time ------------------------------------------------------


def read_by_region(root: Path) -> dict[str, list[tuple]]:
    """Every row (partitioned by region alone) as pyarrow and DuckDB read it back."""
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table()
    cols = [table.column(n).to_pylist() for n in ("id", "region")]
    cols.append(pc.cast(table.column("ts"), pa.int64()).to_pylist())
    cols += [table.column(n).to_pylist() for n in ("qty", "price", "note", "maybe")]
    cols += [[canonical(v) for v in table.column(n).to_pylist()] for n in ("meta", "items")]
    rows = duckdb.sql(f"select id, region, epoch_ms(ts), qty, price, note, maybe, meta, items "
                      f"from read_parquet('{root}/**/*.parquet', hive_partitioning=true)").fetchall()
    return {"pyarrow": sorted(zip(*cols)), "duckdb": sorted(r[:7] + (canonical(r[7]), canonical(r[8])) for r in rows)}


@pytest.mark.parametrize("options", [{}, {"column_buffer_bytes": 1024}], ids=["default", "spooled"])
def test_row_groups_open_across_batches_are_the_same_on_every_thread_count(abi: ABI, out_dir: Path,
                                                                          options: dict) -> None:
    """20 partitions (by region, ~290 to ~5,700 rows) of nested rows in random order, 2,500-row
    groups, 5,000-row files, the default budget: a partition's rows go into its file's open row
    group in steps of 2,048 staged rows, batch after batch, several partitions at once with
    threads. Every thread count writes the same bytes, every row group but a file's last is
    full, and the values read back exactly. Spooled: a 1 KiB column buffer parks nearly every
    page in the page spool the partitions' files share, and their row groups end from any
    thread."""
    rows = ordered(make_rows(True), "random")
    want = sorted((r["id"], r["region"], ts_ms(r["ts"]), r["qty"], r["price"], r["note"], r["maybe"],
                   canonical(r["meta"]), canonical(r["items"])) for r in rows)
    sizes = Counter(r["region"] for r in rows)
    expected = {f"region={region}": sorted([5_000] * (n // 5_000) + ([n % 5_000] if n % 5_000 else []))
                for region, n in sorted(sizes.items())}
    contents = {}
    for threads in (1, 2, 3, 8):
        root = out_dir / f"t{threads}"
        write_dataset(abi, root, rows, NESTED_FIELDS, partition_by=["region"], row_group_rows=2_500,
                      max_rows_per_file=5_000, threads=threads, **options)
        assert file_layout(root) == expected, threads
        for path, groups in row_groups(root).items():
            assert all(n == 2_500 for n in groups[:-1]) and 0 < groups[-1] <= 2_500, (threads, path, groups)
        for reader, got in read_by_region(root).items():
            assert got == want, (threads, reader, next((a, b) for a, b in zip(got, want) if a != b))
        by_partition: dict = {}
        for path in sorted(root.rglob("*.parquet")):
            by_partition.setdefault(str(path.parent.relative_to(root)), []).append(path.read_bytes())
        contents[threads] = {key: sorted(files) for key, files in by_partition.items()}
    for threads in (2, 3, 8):
        assert contents[threads] == contents[1], threads


# -- max_open_files bounds descriptors, not files ---------------------------------------------

KEY_FIELDS = [
    {"name": "id", "type": "int64", "nullable": False},
    {"name": "key", "type": "int32", "nullable": False},
    {"name": "v", "type": "float64", "nullable": False},
]


@lru_cache(maxsize=None)
def keyed_ndjson(partitions: int, per_partition: int, batch: int, seed: int = 5) -> tuple[bytes, ...]:
    """NDJSON batches of `partitions` x `per_partition` rows, partitions in random order."""
    keys = [k for k in range(partitions) for _ in range(per_partition)]
    random.Random(seed).shuffle(keys)
    lines = [b'{"id":%d,"key":%d,"v":%d.5}' % (i, k, i * 7 % 1000) for i, k in enumerate(keys)]
    return tuple(b"\n".join(lines[s:s + batch]) for s in range(0, len(lines), batch))


def write_keyed(abi: ABI, root: Path, batches: tuple[bytes, ...], **options: Any) -> dict[str, Any]:
    writer = abi.create({"directory": str(root), "schema": {"fields": KEY_FIELDS}, "partition_by": ["key"],
                         "compression": "zstd", **options})
    assert writer, abi.last_error()
    files, most_open = [], 0
    for data in batches:
        result = abi.write_n(writer, data)
        assert result["ok"], result
        files += result["files"]
        most_open = max(most_open, open_temporaries(root))
    closed = abi.close(writer)
    assert closed["ok"], closed
    return {"files": files + closed["files"], "most_open": most_open}


def test_max_open_files_4_with_100_partitions_one_file_each(abi: ABI, out_dir: Path) -> None:
    root = out_dir / "ds"
    # Row groups of 200 rows make partitions want a file early; only 4 may be open at once.
    written = write_keyed(abi, root, keyed_ndjson(100, 1_000, 10_000), max_open_files=4, row_group_rows=200,
                          memory_limit_bytes=4 * MiB)
    assert 1 <= written["most_open"] <= 4, written["most_open"]
    layout = file_layout(root)
    assert layout == {f"key={k}": [1_000] for k in range(100)}
    assert sorted(Path(f["path"]) for f in written["files"]) == sorted(root.rglob("*.parquet"))
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table()
    got = sorted(zip(table.column("id").to_pylist(), table.column("key").to_pylist()))
    keys = [k for k in range(100) for _ in range(1_000)]
    random.Random(5).shuffle(keys)
    assert got == sorted(enumerate(keys))


# -- row groups are not tiny ------------------------------------------------------------------


def row_groups(root: Path) -> dict[Path, list[int]]:
    out = {}
    for path in sorted(root.rglob("*.parquet")):
        meta = pq.read_metadata(path)
        out[path] = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    return out


@pytest.mark.parametrize(
    "options, floor",
    [
        # The case: default budget (256 MiB) and row groups (1,048,576 rows): the floor
        # is 65,536 rows, above a partition's 20,000, so each file is one row group of 20,000.
        ({}, 65_536),
        # A 16 MiB budget and 5,000-row groups: staged rows (8 MiB) overflow, partitions are
        # written early or spilled. Floor: min(5,000, 65,536) rows; the byte half of the floor
        # (a quarter of min(row_group_bytes, budget / 8) = 512 KiB) is out of reach of 5,000
        # rows of this schema (~40 bytes a row held), so every row group but a file's last
        # must hold at least 5,000 rows.
        ({"memory_limit_bytes": 16 * MiB, "row_group_rows": 5_000}, 5_000),
        # The same with 10 files open at a time: partitions without a file spill, and are
        # written when one frees up.
        ({"memory_limit_bytes": 16 * MiB, "row_group_rows": 5_000, "max_open_files": 10}, 5_000),
    ],
    ids=["default", "16MiB-rg5000", "16MiB-rg5000-open10"],
)
def test_row_groups_reach_the_floor_except_each_files_last(abi: ABI, out_dir: Path, options: dict, floor: int) -> None:
    root = out_dir / "ds"
    write_keyed(abi, root, keyed_ndjson(100, 20_000, 50_000), **options)
    groups = row_groups(root)
    assert len(groups) == 100 and all(sum(g) == 20_000 for g in groups.values())
    small = {p.parent.name: g for p, g in groups.items() if any(n < min(floor, 20_000) for n in g[:-1])}
    assert small == {}, f"row groups under {floor} rows before a file's last: {small}"
    if not options:
        assert all(g == [20_000] for g in groups.values())


def test_wide_rows_meet_the_byte_half_of_the_floor(abi: ABI, out_dir: Path) -> None:
    """Rows of ~620 bytes, 40 partitions x 1,500 rows in random order, the smallest budget
    (4 MiB): a partition's rows are written early once they hold a quarter of the row-group
    target, min(row_group_bytes, budget / 8) / 4 = 128 KiB, long before 65,536 rows. Those
    bytes are what the writer holds (builders' capacity, spilled runs), not the data: here
    the data of such a row group is 0.55-0.6 of it (~73 KB, ~120 rows, in a run measured while
    writing this test). So: files get several row groups, and none but a file's last is under
    a quarter of the floor in data (32 KiB) or under 100 rows: no tiny row groups."""
    rng = random.Random(3)
    text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(100_000))
    keys = [k for k in range(40) for _ in range(1_500)]
    rng.shuffle(keys)
    lines = [b'{"id":%d,"key":%d,"v":0.5,"s":"%s"}' % (i, k, text[i * 37 % 90_000:i * 37 % 90_000 + 600].encode())
             for i, k in enumerate(keys)]
    batches = tuple(b"\n".join(lines[s:s + 5_000]) for s in range(0, len(lines), 5_000))
    root = out_dir / "ds"
    fields = KEY_FIELDS + [{"name": "s", "type": "string", "nullable": False}]
    writer = abi.create({"directory": str(root), "schema": {"fields": fields}, "partition_by": ["key"],
                         "compression": "zstd", "memory_limit_bytes": 4 * MiB})
    assert writer, abi.last_error()
    for data in batches:
        assert abi.write_n(writer, data)["ok"]
    assert abi.close(writer)["ok"]
    early = []
    for path in sorted(root.rglob("*.parquet")):
        meta = pq.read_metadata(path)
        assert meta.num_rows == 1_500
        early += [(meta.row_group(i).num_rows, meta.row_group(i).total_byte_size) for i in range(meta.num_row_groups - 1)]
    assert len(early) >= 40, "the byte floor was not reached: every file has one row group"
    tiny = [g for g in early if g[0] < 100 or g[1] < 32 * 1024]
    assert tiny == [], f"row groups (rows, bytes) under the floor before a file's last: {sorted(tiny)[:10]}"


# -- peak RSS of a child: bounded by the budget, not by the input -----------------------------

# Peak RSS is what this measures; under AddressSanitizer it measures the sanitizer.
no_asan = pytest.mark.skipif(SANITIZER == "address", reason="peak RSS is not meaningful under AddressSanitizer")

RSS_CHILD = textwrap.dedent("""
    import json, os, random, sys
    sys.path.insert(0, sys.argv[1])
    from abi import ABI
    abi = ABI(sys.argv[2])
    root, mode, budget, target = sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
    fields = [{"name": "id", "type": "int64", "nullable": False}, {"name": "p1", "type": "string", "nullable": False},
              {"name": "p2", "type": "int32", "nullable": False}, {"name": "amount", "type": "float64"},
              {"name": "note", "type": "string"}, {"name": "code", "type": "int32"}]
    config = {"directory": root, "schema": {"fields": fields}, "compression": "zstd"}
    if mode == "partitioned":
        config.update(partition_by=["p1", "p2"], memory_limit_bytes=budget)
    rng = random.Random(11)
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    # Four templates of ~4 MiB (40 x 20 = 800 partitions, in random order in each); a batch is
    # a template with "@@@@@" replaced by its number, so ids and notes never repeat. Batches are
    # made one at a time: the input is never held.
    templates = []
    for t in range(4):
        lines = []
        for i in range(30_000):
            lines.append('{"id": 1@@@@@%05d, "p1": "g%02d", "p2": %d, "amount": %r, "note": "@@@@@ %s", "code": %d}' % (
                i, rng.randrange(40), rng.randrange(20), rng.random() * 1000,
                " ".join(rng.choice(words) + str(rng.randrange(10**6)) for _ in range(5)), rng.randrange(50)))
        templates.append(("\\n".join(lines) + "\\n").encode())
    del lines
    if mode == "baseline":
        templates = [templates[0][:templates[0].index(b"\\n") + 1]]
    writer = abi.create(config)
    assert writer, abi.last_error()
    sent = rows = batches = 0
    biggest = 0
    while sent < target or batches == 0:
        data = templates[batches % len(templates)].replace(b"@@@@@", b"%05d" % batches)
        result = abi.write_n(writer, data)
        assert result["ok"], result
        rows += result["rows_written"]
        sent += len(data)
        biggest = max(biggest, len(data))
        batches += 1
        del data
    summary = abi.close(writer)
    assert summary["ok"], summary
    hwm = next(int(l.split()[1]) * 1024 for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    print(json.dumps({"peak": hwm, "rows": rows, "bytes": sent, "batch": biggest, "batches": batches,
                      "files": len(summary["files"]), "rows_in_files": sum(f["rows"] for f in summary["files"])}))
""")


def rss_child(root: Path, mode: str, budget: int, target: int) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, "-c", RSS_CHILD, str(Path(__file__).parent), str(LIBRARY), str(root), mode, str(budget),
         str(target)], capture_output=True, text=True, timeout=600)
    assert child.returncode == 0, child.stderr[-3000:]
    return json.loads(child.stdout.strip().splitlines()[-1])


@no_asan
def test_peak_rss_of_a_child_stays_under_the_budget_on_10x_the_input_and_800_partitions(out_dir: Path) -> None:
    budget = 32 * MiB
    baseline = rss_child(out_dir / "baseline", "baseline", budget, 0)
    big = rss_child(out_dir / "big", "partitioned", budget, 10 * budget)
    assert big["bytes"] >= 10 * budget
    # Allowance. The budget counts the rows the writer holds (staged, spilled runs read back,
    # the row group being encoded). Besides it the child holds:
    #   - baseline: the interpreter, ctypes, the library's code and runtime and the templates,
    #     measured by the same child writing one row unpartitioned (its VmHWM);
    #   - the batch being written, which the budget does not count (README): the batch bytes
    #     twice in Python (the template's copy with its number, and the bytes write_n copies
    #     into its buffer), and in the library the batch parsed into column builders, its row
    #     indexes and the routing arrays (partition per row, rows per partition): about
    #     1.5x the JSON for this schema. 6 x the batch covers all of it with room to spare
    #     (~25 MiB for 4.2 MiB batches); the measured peak is printed on failure.
    allowance = baseline["peak"] + 6 * big["batch"]
    limit = budget + allowance
    detail = {k: round(v / MiB, 1) for k, v in (("peak", big["peak"]), ("baseline", baseline["peak"]),
                                                 ("batch", big["batch"]), ("limit", limit))}
    assert big["peak"] <= limit, detail
    # Everything came back, in the files the layout promises: 800 partitions, one file each.
    assert big["rows"] == big["rows_in_files"] == big["batches"] * 30_000
    layout = file_layout(out_dir / "big")
    assert len(layout) == 800 and big["files"] == 800 and all(len(v) == 1 for v in layout.values())
    assert sum(sum(v) for v in layout.values()) == big["rows"]
    # The control: the same input with a 1 GiB budget stages (nearly) everything, and its peak
    # passes the limit, so the measurement can tell a bounded writer from an unbounded one.
    control = rss_child(out_dir / "control", "partitioned", 1024 * MiB, 10 * budget)
    detail["control"] = round(control["peak"] / MiB, 1)
    assert control["peak"] > limit, detail
    assert control["rows_in_files"] == big["rows_in_files"] and control["files"] == 800
    print("peak RSS (MiB):", detail)


# -- bad budgets ------------------------------------------------------------------------------
# test_abi_dataset.py already refuses 1 MiB and the text "256MiB".


@pytest.mark.parametrize("value, words", [
    (4 * MiB - 1, "must be in 4194304..."),
    (-1, "must be in 4194304..."),
    (-(8 * MiB), "must be in 4194304..."),
    (8 * MiB + 0.5, "must be an integer"),
    (True, "memory_limit_bytes"),
    ([8 * MiB], "memory_limit_bytes"),
])
def test_bad_memory_limits_are_refused_clearly(abi: ABI, out_dir: Path, value: Any, words: str) -> None:
    root = out_dir / "ds"
    assert not abi.create({"directory": str(root), "schema": {"fields": KEY_FIELDS}, "partition_by": ["key"],
                           "memory_limit_bytes": value})
    error = abi.last_error()
    assert error["code"] == "invalid_options" and "memory_limit_bytes" in error["message"], error
    assert words in error["message"], error
    assert not root.exists()


def test_the_smallest_budget_is_accepted(abi: ABI, out_dir: Path) -> None:
    written = write_keyed(abi, out_dir / "ds", keyed_ndjson(100, 200, 5_000), memory_limit_bytes=4 * MiB)
    assert sum(f["rows"] for f in written["files"]) == 20_000 and len(written["files"]) == 100
