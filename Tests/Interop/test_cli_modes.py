"""`--mode` on the command line: `convert` replaces a file with a notice on standard error
(`--mode error` refuses), refuses a non-empty dataset directory unless told to append,
overwrite or overwrite partitions; `airbyte` takes each stream's destination_sync_mode.

The binary is PARQUET_WRITER_CLI (the Makefile points it at the release `parquet-writer`)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest



def ndjson(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


def rows(count: int, gen: str) -> list[dict[str, Any]]:
    return [{"id": i, "part": i % 2, "gen": gen} for i in range(count)]


def convert(cli: str, data: bytes, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([cli, "convert", "-o", *args], input=data.decode(), capture_output=True, text=True,
                          timeout=120)


def gens(root: Path) -> dict[str, int]:
    return dict(duckdb.sql(
        f"select gen, count(*) from read_parquet('{root}/**/*.parquet', hive_partitioning=true) group by gen"
    ).fetchall())


def test_a_file_is_replaced_with_a_notice_and_mode_error_refuses(cli: str, tmp_path: Path) -> None:
    out = tmp_path / "x.parquet"
    first = convert(cli, ndjson(rows(3, "old")), str(out))
    assert first.returncode == 0, first.stderr
    assert "replaced" not in first.stderr
    second = convert(cli, ndjson(rows(5, "new")), str(out))
    assert second.returncode == 0, second.stderr
    notices = [line for line in second.stderr.splitlines() if "replaced the existing file" in line]
    assert notices == [f"parquet-writer: replaced the existing file '{out}' (--mode error refuses to)"]
    assert pq.read_table(out).column("gen").to_pylist() == ["new"] * 5
    quiet = convert(cli, ndjson(rows(2, "quiet")), str(out), "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""
    refused = convert(cli, ndjson(rows(7, "refused")), str(out), "--mode", "error")
    assert refused.returncode != 0
    assert f"'{out}' already exists" in refused.stderr
    assert pq.read_table(out).column("gen").to_pylist() == ["quiet"] * 2
    appended = convert(cli, ndjson(rows(7, "refused")), str(out), "--mode", "append")
    assert appended.returncode != 0 and "is for directory output" in appended.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.parquet"]


def test_dataset_modes(cli: str, tmp_path: Path) -> None:
    root = tmp_path / "ds"
    assert convert(cli, ndjson(rows(4, "old")), str(root), "--partition-by", "part").returncode == 0
    refused = convert(cli, ndjson(rows(4, "new")), str(root), "--partition-by", "part")
    assert refused.returncode != 0 and f"'{root}' is not empty" in refused.stderr
    assert convert(cli, ndjson(rows(6, "more")), str(root), "--partition-by", "part", "--mode", "append").returncode == 0
    assert gens(root) == {"old": 4, "more": 6}
    # Only partition part=0 this time: part=1 keeps its rows.
    only_even = [r for r in rows(10, "new") if r["part"] == 0]
    done = convert(cli, ndjson(only_even), str(root), "--partition-by", "part", "--mode", "overwrite_partitions")
    assert done.returncode == 0, done.stderr
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table().to_pylist()
    assert {(r["part"], r["gen"]) for r in table} == {(0, "new"), (1, "old"), (1, "more")}
    done = convert(cli, ndjson(rows(3, "last")), str(root), "--dataset", "--mode", "overwrite")
    assert done.returncode == 0, done.stderr
    assert gens(root) == {"last": 3}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds"]


def airbyte(cli: str, tmp_path: Path, sync_mode: str, data: list[dict[str, Any]]) -> subprocess.CompletedProcess[str]:
    catalog = {"streams": [{"stream": {"name": "users", "json_schema": {"type": "object", "properties": {
        "id": {"type": "integer"}, "gen": {"type": "string"}}}}, "sync_mode": "full_refresh",
        "destination_sync_mode": sync_mode}]}
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    lines = [json.dumps({"type": "RECORD", "record": {"stream": "users", "data": d, "emitted_at": 0}}) for d in data]
    lines.append(json.dumps({"type": "STATE", "state": {"data": {"n": len(data)}}}))
    return subprocess.run([cli, "airbyte", "--catalog", str(tmp_path / "catalog.json"), "--output", str(tmp_path / "out")],
                          input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=120)


def test_airbyte_takes_each_streams_destination_sync_mode(cli: str, tmp_path: Path) -> None:
    root = tmp_path / "out" / "users"
    for _ in range(2):
        done = airbyte(cli, tmp_path, "append", [{"id": 1, "gen": "a"}, {"id": 2, "gen": "a"}])
        assert done.returncode == 0, done.stderr
    assert gens(root) == {"a": 4}
    done = airbyte(cli, tmp_path, "overwrite", [{"id": 3, "gen": "b"}])
    assert done.returncode == 0, done.stderr
    assert gens(root) == {"b": 1}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["users"]
    refused = airbyte(cli, tmp_path, "append_dedup", [{"id": 4, "gen": "c"}])
    assert refused.returncode == 2
    assert "destination_sync_mode 'append_dedup' is not supported" in refused.stderr
    assert gens(root) == {"b": 1}
