"""``parquet_writer.delta``: Delta tables whose Parquet files this library writes, committed
through the real ``deltalake`` (delta-rs) and read back through it, pyarrow and DuckDB."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Dict, List
from urllib.parse import unquote

import pytest

deltalake = pytest.importorskip("deltalake")
import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from deltalake import DeltaTable  # noqa: E402

from parquet_writer import ParquetWriterError  # noqa: E402
from parquet_writer.delta import (  # noqa: E402
    DeltaWriter,
    commit_files,
    delta_schema,
    delta_spec,
    native_schema,
    write_delta,
)

BINDING_ROOT = Path(__file__).resolve().parents[1]
SCHEMA = [
    ("id", "int64", False),
    ("country", "string"),
    ("amount", "float64"),
    ("price", {"type": "decimal", "precision": 12, "scale": 2}),
    ("at", "timestamp_us"),
    ("day", "date"),
    ("tags", {"type": "list", "items": {"type": "string"}}),
]
COUNTRIES = ["DE", "FR", "a/b c%é", None]
START = datetime(2024, 3, 1, tzinfo=timezone.utc)


def records(first: int, count: int) -> List[Dict[str, Any]]:
    return [
        {
            "id": i,
            "country": COUNTRIES[i % len(COUNTRIES)],
            "amount": i / 4,
            "price": Decimal(i) / 100,
            "at": START + timedelta(minutes=i),
            "day": date(2024, 3, 1) + timedelta(days=i // 100),
            "tags": [f"t{i % 3}"] if i % 5 else None,
        }
        for i in range(first, first + count)
    ]


def rows(table_uri: Path, **load: Any) -> List[Dict[str, Any]]:
    table = DeltaTable(str(table_uri), **load).to_pyarrow_table()
    return table.sort_by("id").to_pylist()


def add_actions(table_uri: Path) -> List[Dict[str, Any]]:
    return pa.table(DeltaTable(str(table_uri)).get_add_actions(flatten=True)).to_pylist()


def test_partitioned_table_reads_back_exactly(tmp_path: Path) -> None:
    uri = tmp_path / "events"
    data = records(0, 1_000)
    assert write_delta(uri, data, SCHEMA, partition_by=["country"], compression="zstd") == 0
    table = DeltaTable(str(uri))
    assert table.version() == 0 and table.metadata().partition_columns == ["country"]
    assert rows(uri) == data
    for action in add_actions(uri):
        # The log's path is a URI: percent-encoded (the hive escape "%2F" becomes "%252F").
        path = uri / unquote(action["path"])
        assert path.is_file() and path.parent.parent == uri and path.parent.name.startswith("country=")
        # Partition values live in the log: the files do not repeat them.
        assert "country" not in pq.read_schema(path).names
    assert sorted((uri / "_delta_log").iterdir())[0].name == "00000000000000000000.json"


def test_duckdb_reads_through_the_arrow_dataset_with_a_filter(tmp_path: Path) -> None:
    uri = tmp_path / "events"
    data = records(0, 2_000)
    write_delta(uri, data, SCHEMA, partition_by=["country"], max_rows_per_file=100)
    dataset = DeltaTable(str(uri)).to_pyarrow_dataset()
    found = duckdb.sql(
        "SELECT id, country, price FROM dataset WHERE country = 'a/b c%é' AND amount >= 300 ORDER BY id"
    ).fetchall()
    expected = [(r["id"], r["country"], r["price"]) for r in data if r["country"] == "a/b c%é" and r["amount"] >= 300]
    assert found == expected and len(expected) == 200
    nulls = duckdb.sql("SELECT count(*) FROM dataset WHERE country IS NULL").fetchall()
    assert nulls == [(500,)]


def test_add_actions_carry_partition_values_and_stats_that_prune(tmp_path: Path) -> None:
    uri = tmp_path / "events"
    data = records(0, 2_000)
    write_delta(uri, data, SCHEMA, partition_by=["country"], max_rows_per_file=250)
    actions = add_actions(uri)
    assert len(actions) == 8 and sum(a["num_records"] for a in actions) == 2_000
    for action in actions:
        in_file = pq.read_table(uri / unquote(action["path"]))
        assert action["partition.country"] == next(
            c for c in COUNTRIES if all(r["country"] == c for r in data if r["id"] == in_file["id"][0].as_py())
        )
        assert action["num_records"] == in_file.num_rows
        for column in ("id", "amount", "price", "at", "day"):
            assert action[f"min.{column}"] == pc.min(in_file[column]).as_py()
            assert action[f"max.{column}"] == pc.max(in_file[column]).as_py()
        assert action["null_count.tags"] is None  # lists carry no statistics
    table = DeltaTable(str(uri))
    # Partition pruning through the log ...
    germany = table.file_uris(file_pruning_predicate=[("country", "=", "DE")])
    assert len(germany) == 2 and all("country=DE/" in f for f in germany)
    assert len(table.file_uris(file_pruning_predicate="country = 'a/b c%é'")) == 2
    # ... delta-rs's own file skipping on a data column (statistics parsed by the kernel) ...
    assert len(table.file_uris(file_pruning_predicate="id >= 1900")) == 4
    assert len(table.file_uris(file_pruning_predicate="day = '2024-03-01'")) == 4
    assert len(table.file_uris(file_pruning_predicate="amount < -1")) == 0
    # ... and file skipping on a data column through the add actions' statistics.
    dataset = table.to_pyarrow_dataset()
    late = pc.field("at") >= pa.scalar(START + timedelta(minutes=1_900), pa.timestamp("us", tz="UTC"))
    assert len(list(dataset.get_fragments(filter=late))) == 4  # one file per partition, not 8
    assert sorted(dataset.to_table(filter=late)["id"].to_pylist()) == list(range(1_900, 2_000))
    cheap = pc.field("price") < pa.scalar(Decimal("2.50"), pa.decimal128(12, 2))
    assert len(list(dataset.get_fragments(filter=cheap))) == 4
    assert dataset.to_table(filter=cheap).num_rows == 250


def test_stats_json_in_the_log(tmp_path: Path) -> None:
    """The log holds Delta's stats format: timestamps ISO with Z, dates, exact decimals; a
    string bound the library had to truncate stays a valid bound."""
    uri = tmp_path / "t"
    schema = [("id", "int64"), ("name", "string"), ("at", "timestamp_ms"), ("total", {"type": "decimal", "precision": 38, "scale": 3})]
    long_max = "z" * 80
    write_delta(uri, [{"id": 1, "name": "abc", "at": "2024-01-02T03:04:05.678Z", "total": "12345678901234567890123456789012345.125"},
                      {"id": 2, "name": long_max, "at": None, "total": "-1.5"}], schema)
    log = (uri / "_delta_log" / "00000000000000000000.json").read_text().splitlines()
    add = next(json.loads(line)["add"] for line in log if line.startswith('{"add"'))
    stats = add["stats"]
    assert '"total":12345678901234567890123456789012345.125' in stats  # exact, not a float
    parsed = json.loads(stats)
    assert parsed["numRecords"] == 2
    assert parsed["minValues"]["at"] == "2024-01-02T03:04:05.678Z" and parsed["nullCount"]["at"] == 1
    assert parsed["minValues"]["name"] == "abc"
    assert parsed["maxValues"]["name"] >= long_max and len(parsed["maxValues"]["name"]) <= 64
    # A reader looking for the longest value still finds its file.
    table = DeltaTable(str(uri))
    assert len(table.file_uris(file_pruning_predicate=f"name = '{long_max}'")) == 1
    assert table.to_pyarrow_table(filters=[("name", "=", long_max)])["id"].to_pylist() == [2]
    assert table.file_uris(file_pruning_predicate="name > '{{'") == []  # beyond every bound

    # delta.dataSkippingNumIndexedCols: statistics for the first N columns only.
    narrow = tmp_path / "narrow"
    write_delta(narrow, [{"id": 1, "name": "a"}], schema, configuration={"delta.dataSkippingNumIndexedCols": "1"})
    flat = pa.table(DeltaTable(str(narrow)).get_add_actions(flatten=True)).column_names
    assert "min.id" in flat and "min.name" not in flat and "null_count.at" not in flat


def test_append_twice_then_overwrite(tmp_path: Path) -> None:
    uri = tmp_path / "events"
    assert write_delta(uri, records(0, 100), SCHEMA, partition_by=["country"]) == 0
    assert write_delta(uri, records(100, 100)) == 1  # the table's schema and partitioning drive
    assert write_delta(uri, records(200, 100), SCHEMA, partition_by=["country"], mode="append") == 2
    assert rows(uri) == records(0, 300)
    assert rows(uri, version=1) == records(0, 200)
    old_files = {a["path"] for a in add_actions(uri)}
    assert write_delta(uri, records(1_000, 50), mode="overwrite") == 3
    assert rows(uri) == records(1_000, 50)
    assert not old_files & {a["path"] for a in add_actions(uri)}
    assert all((uri / unquote(p)).exists() for p in old_files)  # removed by the log only; vacuum deletes them
    assert rows(uri, version=2) == records(0, 300)  # time travel still reads them
    operations = [h["operation"] for h in DeltaTable(str(uri)).history()]
    assert operations == ["WRITE", "WRITE", "WRITE", "CREATE TABLE"]


def test_context_manager_commits_once(tmp_path: Path) -> None:
    uri = tmp_path / "events"
    with DeltaWriter(uri, SCHEMA, partition_by="country", max_rows_per_file=30) as w:
        for first in range(0, 300, 100):
            w.write(records(first, 100))
    assert w.version == 0 and len(w.files) > 4
    assert w.commit() == 0 and DeltaTable(str(uri)).version() == 0  # committed once only
    assert rows(uri) == records(0, 300)


def test_a_table_created_while_a_writer_is_open_is_appended_to(tmp_path: Path) -> None:
    uri = tmp_path / "events"
    with DeltaWriter(uri, SCHEMA, partition_by=["country"]) as w:
        w.write(records(100, 100))
        assert write_delta(uri, records(0, 100), SCHEMA, partition_by=["country"]) == 0
    assert w.version == 1 and rows(uri) == records(0, 200)


def test_an_exception_before_the_commit_leaves_the_table_unchanged(tmp_path: Path) -> None:
    uri = tmp_path / "events"
    write_delta(uri, records(0, 100), SCHEMA, partition_by=["country"])
    with pytest.raises(RuntimeError, match="boom"):
        with DeltaWriter(uri, max_rows_per_file=10) as w:
            w.write(records(100, 100))
            assert len(w.files) == 8  # finished files (2 per partition), not in the log
            raise RuntimeError("boom")
    assert DeltaTable(str(uri)).version() == 0 and rows(uri) == records(0, 100)
    assert not any(Path(f["path"]).exists() for f in w.files)  # and deleted


def test_a_process_killed_before_the_commit_leaves_the_table_unchanged(tmp_path: Path) -> None:
    uri = tmp_path / "events"
    write_delta(uri, records(0, 100), SCHEMA, partition_by=["country"])
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(BINDING_ROOT)!r})
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_binding_delta import records
        from parquet_writer.delta import commit_files, delta_spec
        files = delta_spec({str(uri)!r}, max_rows_per_file=10).write(records(100, 100))
        print(len(files), flush=True)          # every file finished and on disk ...
        os.kill(os.getpid(), signal.SIGKILL)   # ... and the process dies before commit_files
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == -9, done.stderr
    assert int(done.stdout) >= 10
    table = DeltaTable(str(uri))
    assert table.version() == 0 and rows(uri) == records(0, 100)
    committed = {str(uri / unquote(a["path"])) for a in add_actions(uri)}
    orphans = {str(p) for p in uri.rglob("*.parquet")} - committed
    assert len(orphans) == int(done.stdout)
    # A full vacuum (here without the retention period) is what deletes them.
    listed = table.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=True, full=True)
    assert {str(uri / p) for p in listed} == orphans  # vacuum lists paths as on disk


def test_writers_in_parallel_never_clash(tmp_path: Path) -> None:
    """Four writers append to one table at once: unique file names, and delta-rs orders the
    four commits (versions 1-4) without losing any."""
    uri = tmp_path / "events"
    write_delta(uri, records(0, 100), SCHEMA, partition_by=["country"])
    with ThreadPoolExecutor(max_workers=4) as pool:
        versions = sorted(pool.map(lambda k: write_delta(uri, records(100 + k * 100, 100)), range(4)))
    assert versions == [1, 2, 3, 4]
    assert rows(uri) == records(0, 500)


def _spawned_pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn"))


def test_commit_files_commits_many_writers_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tasks in other processes write with a picklable spec; the driver commits all their
    summaries in ONE transaction; a retried driver commit (same app id and version) is a no-op."""
    monkeypatch.setenv("PYTHONPATH", str(BINDING_ROOT))
    uri = tmp_path / "events"
    write_delta(uri, records(0, 100), SCHEMA, partition_by=["country"])
    spec = delta_spec(uri, compression="zstd")
    assert pickle.loads(pickle.dumps(spec)) == spec
    chunks = [records(100 + k * 500, 500) for k in range(4)]
    with _spawned_pool() as pool:
        summaries = [f for files in pool.map(spec.write, chunks, range(4)) for f in files]
    assert len(summaries) == 16 and len({s["path"] for s in summaries}) == 16
    assert DeltaTable(str(uri)).version() == 0  # nothing visible before the commit
    assert commit_files(uri, summaries, app_id="job-7", app_version=1) == 1
    assert commit_files(uri, summaries, app_id="job-7", app_version=1) == 1  # already done
    assert rows(uri) == records(0, 2_100)  # every record exactly once
    assert len(add_actions(uri)) == 4 + 16


def test_commit_files_creates_a_table_and_overwrites(tmp_path: Path) -> None:
    uri = tmp_path / "fresh"
    spec = delta_spec(uri, SCHEMA, partition_by=["country"])
    files = spec.write(records(0, 100), task=0) + spec.write(records(100, 100), task=1)
    assert commit_files(uri, files, schema=SCHEMA, partition_by=["country"]) == 0
    replacement = delta_spec(uri).write(records(500, 10), task=0)
    assert commit_files(uri, replacement, mode="overwrite") == 1
    assert rows(uri) == records(500, 10)


def test_an_existing_table_drives_the_writer(tmp_path: Path) -> None:
    """A table written by delta-rs itself: its schema (int32, timestamps, non-null) is used."""
    uri = tmp_path / "theirs"
    theirs = pa.table({
        "id": pa.array([1, 2], pa.int32()),
        "at": pa.array([datetime(2024, 1, 1), None], pa.timestamp("us", tz="UTC")),
        "kind": ["a", "b"],
    }, schema=pa.schema([pa.field("id", pa.int32(), nullable=False), ("at", pa.timestamp("us", tz="UTC")), ("kind", pa.string())]))
    deltalake.write_deltalake(str(uri), theirs, partition_by=["kind"])
    assert native_schema(DeltaTable(str(uri)).schema())["fields"][:2] == [
        {"type": "int32", "name": "id", "nullable": False},
        {"type": "timestamp_us", "utc": True, "name": "at", "nullable": True},
    ]
    assert write_delta(uri, [{"id": 3, "at": "2024-01-02T00:00:00Z", "kind": "a"}, {"id": 4, "kind": None}]) == 1
    table = DeltaTable(str(uri)).to_pyarrow_table().sort_by("id")
    assert table["id"].to_pylist() == [1, 2, 3, 4] and table["kind"].to_pylist() == ["a", "b", "a", None]
    with pytest.raises(ParquetWriterError, match="missing_value|null"):
        write_delta(uri, [{"id": None, "kind": "a"}])  # NOT NULL is the table's


def test_mismatches_are_clear_errors(tmp_path: Path) -> None:
    uri = tmp_path / "events"
    write_delta(uri, records(0, 10), SCHEMA, partition_by=["country"])
    other = [("id", "string"), *SCHEMA[1:]]
    with pytest.raises(ParquetWriterError, match=r"does not match the Delta table.*id: table \"long\", data \"string\""):
        write_delta(uri, records(0, 1), other)
    with pytest.raises(ParquetWriterError, match="amount: missing from the data"):
        DeltaWriter(uri, [f for f in SCHEMA if f[0] != "amount"])
    with pytest.raises(ParquetWriterError, match="partition columns"):
        write_delta(uri, records(0, 1), partition_by=["day"])
    with pytest.raises(ParquetWriterError, match="exists"):
        write_delta(uri, records(0, 1), mode="error")
    assert write_delta(uri, records(0, 1), mode="ignore") == 0
    with pytest.raises(ParquetWriterError, match="no time-of-day type"):
        write_delta(tmp_path / "t", [], [("t", "time_us")])
    with pytest.raises(ParquetWriterError, match="new Delta table needs schema="):
        write_delta(tmp_path / "none", [{"a": 1}])
    with pytest.raises(ParquetWriterError, match="not under the Delta table"):
        commit_files(uri, [{"path": str(tmp_path / "x.parquet"), "bytes": 1, "rows": 1}])
    with pytest.raises(ParquetWriterError, match="sets 'write_partition_columns' itself"):
        DeltaWriter(uri, write_partition_columns=True)
    assert DeltaTable(str(uri)).version() == 0
    constrained = tmp_path / "constrained"
    write_delta(constrained, records(0, 10), SCHEMA)
    DeltaTable(str(constrained)).alter.add_constraint({"positive_id": "id >= 0"})
    with pytest.raises(ParquetWriterError, match="delta.constraints.positive_id.*cannot enforce"):
        write_delta(constrained, records(0, 10))
    # schema_mode="overwrite" replaces the schema with the data.
    assert write_delta(uri, [{"id": "x", "country": "DE"}], [("id", "string"), ("country", "string")],
                       mode="overwrite", schema_mode="overwrite") == 1
    assert DeltaTable(str(uri)).to_pyarrow_table().to_pylist() == [{"id": "x", "country": "DE"}]


def test_arrow_data_and_dataframes_give_a_new_table_its_schema(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"id": [1, 2], "at": pd.to_datetime(["2024-01-01 10:00", "2024-01-02 00:00"]), "k": ["a", None]})
    assert write_delta(tmp_path / "pandas", frame, partition_by=["k"]) == 0  # datetime64[ns] -> microseconds
    table = DeltaTable(str(tmp_path / "pandas")).to_pyarrow_table().sort_by("id")
    assert table.schema.field("at").type == pa.timestamp("us")
    assert table.to_pylist() == [{"id": 1, "at": datetime(2024, 1, 1, 10), "k": "a"},
                                 {"id": 2, "at": datetime(2024, 1, 2), "k": None}]
    arrow = pa.table({"n": pa.array([1, 2], pa.int16()), "s": ["x", "y"]})
    assert write_delta(tmp_path / "arrow", arrow) == 0
    assert DeltaTable(str(tmp_path / "arrow")).to_pyarrow_table() == arrow


def test_schemas_map_both_ways() -> None:
    native = [
        ("a", "int8"), ("b", "uint16"), ("c", "float32"), ("d", "json"), ("e", "uuid"),
        ("f", {"type": "timestamp_ms", "utc": False}), ("g", {"type": "decimal", "precision": 20, "scale": 4}),
        ("h", {"type": "map", "keys": {"type": "string"}, "values": {"type": "int64", "nullable": False}}),
        ("i", {"type": "struct", "fields": [{"name": "x", "type": "date", "nullable": False}]}),
    ]
    delta = json.loads(delta_schema(native).to_json())["fields"]
    assert [f["type"] if isinstance(f["type"], str) else f["type"]["type"] for f in delta] == [
        "byte", "integer", "float", "string", "string", "timestamp_ntz", "decimal(20,4)", "map", "struct"]
    back = native_schema(delta_schema(native))["fields"]
    assert back[1] == {"type": "int32", "name": "b", "nullable": True}
    assert back[5] == {"type": "timestamp_us", "utc": False, "name": "f", "nullable": True}
    assert back[7]["values"] == {"type": "int64", "nullable": False}
    assert back[8]["fields"] == [{"type": "date", "name": "x", "nullable": False}]
    arrow = pa.schema([("n", pa.int64()), ("t", pa.timestamp("us", tz="UTC"))])
    assert json.loads(delta_schema(arrow).to_json())["fields"][1]["type"] == "timestamp"


def readme_block(heading: str) -> str:
    text = (BINDING_ROOT / "README.md").read_text()
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_readme_delta_recipe_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: Dict[str, Any] = {}
    exec(compile(readme_block("## Lakehouse: Delta Lake"), "README.md (Delta)", "exec"), namespace)
    table = DeltaTable(str(tmp_path / "lake/events"))
    assert table.version() == 3
    assert table.to_pyarrow_table().num_rows == namespace["expected_rows"]
