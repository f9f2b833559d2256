"""``WriterSpec``: tasks of real engines (Dask's distributed LocalCluster, Ray) write their share,
the driver commits the summaries once, and every record is in the dataset exactly once."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import duckdb
import pyarrow.dataset as ds
import pytest

from parquet_writer import ParquetWriterError, Writer, WriterSpec, read_manifests

BINDING_ROOT = Path(__file__).resolve().parents[1]
SCHEMA = [("id", "int64", False), ("country", "string"), ("amount", "float64")]
COUNTRIES = ["DE", "FR", "US", "JP", None]


def chunks(total: int = 20_000, parts: int = 4) -> List[List[Dict[str, Any]]]:
    records = [{"id": i, "country": COUNTRIES[i % len(COUNTRIES)], "amount": i / 4} for i in range(total)]
    size = total // parts
    return [records[k * size:(k + 1) * size] for k in range(parts)]


def spec_for(root: Path, **kwargs: Any) -> WriterSpec:
    return WriterSpec(root, SCHEMA, partition_by=["country"], compression="zstd", **kwargs)


def read_ids(root: Path) -> List[int]:
    """The ids a hive-partitioned reader sees (pyarrow skips ``_``-prefixed paths)."""
    if not root.exists():
        return []
    dataset = ds.dataset(root, format="parquet", partitioning="hive")
    if not dataset.files:
        return []
    table = dataset.to_table(columns=["id"])
    return sorted(table.column("id").to_pylist())


def check_dataset(root: Path, total: int) -> None:
    assert read_ids(root) == list(range(total))
    rows = duckdb.sql(
        f"SELECT country, count(*), sum(id) FROM read_parquet('{root}/*/*.parquet', hive_partitioning=true) "
        "GROUP BY ALL ORDER BY country NULLS LAST"
    ).fetchall()
    per = total // len(COUNTRIES)
    assert [r[1] for r in rows] == [per] * len(COUNTRIES)
    assert sum(r[2] for r in rows) == total * (total - 1) // 2
    assert not Path(f"{root.parent}/.{root.name}.staging").exists()


def test_spec_pickles_and_writer_says_what_to_send(tmp_path: Path) -> None:
    spec = spec_for(tmp_path / "ds", max_rows_per_file=1000)
    again = pickle.loads(pickle.dumps(spec))
    assert again == spec and again.options["max_rows_per_file"] == 1000 and again.job == spec.job
    with Writer(tmp_path / "one.parquet", SCHEMA) as w:
        with pytest.raises(TypeError, match="send a parquet_writer.WriterSpec"):
            pickle.dumps(w)


def test_spec_refuses_what_it_decides_itself(tmp_path: Path) -> None:
    for bad in ({"path": "x"}, {"file_prefix": "x"}, {"directory": "y"}):
        with pytest.raises(ParquetWriterError, match="sets"):
            WriterSpec(tmp_path, SCHEMA, **bad)
    with pytest.raises(ParquetWriterError, match="unknown writer option"):
        WriterSpec(tmp_path, SCHEMA, compresion="zstd")
    with pytest.raises(ParquetWriterError, match="unknown job mode"):
        WriterSpec(tmp_path, SCHEMA, mode="error")
    with pytest.raises(ParquetWriterError, match="URLs are not supported"):
        WriterSpec("s3://bucket/x", SCHEMA)


def test_commit_publishes_exactly_the_files_given(tmp_path: Path) -> None:
    """A retried task's first attempt wrote files the driver never heard of: the commit
    publishes only the reported ones and deletes the rest with the staging directory."""
    root = tmp_path / "ds"
    spec = spec_for(root)
    parts = chunks()
    spec.write(parts[0], task=0)  # an attempt whose result the engine dropped
    files = [f for task, part in enumerate(parts) for f in spec.write(part, task=task)]
    assert read_ids(root) == []  # staged: readers see nothing before the commit,
    assert not list(root.rglob("*.parquet"))  # not even a ** glob (DuckDB's does not skip _dirs)
    manifest = spec.commit(files)
    assert len(manifest["files"]) == len(files) == 4 * len(COUNTRIES)
    assert all(not Path(f["path"]).is_absolute() for f in manifest["files"])
    check_dataset(root, 20_000)
    assert read_manifests(root) == [manifest]
    assert spec.commit(files) == manifest  # a rerun (say, after a crash) changes nothing
    check_dataset(root, 20_000)


def test_commit_after_crash_finishes_the_moves(tmp_path: Path) -> None:
    """A driver killed after writing the manifest (the commit point) but before moving the
    files: rerunning the commit finishes it."""
    root = tmp_path / "ds"
    spec = spec_for(root)
    files = [f for task, part in enumerate(chunks()) for f in spec.write(part, task=task)]
    code = (
        "import os, pickle, sys\n"
        "from parquet_writer import spec as module\n"
        "spec, files = pickle.loads(sys.stdin.buffer.read())\n"
        "module.WriterSpec._publish = lambda self, manifest: os._exit(9)\n"
        "spec.commit(files)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(BINDING_ROOT))
    done = subprocess.run([sys.executable, "-c", code], input=pickle.dumps((spec, files)), env=env)
    assert done.returncode == 9
    assert read_ids(root) == [] and Path(spec.manifest_path).exists()
    spec.commit(files)
    check_dataset(root, 20_000)


def test_abort_and_overwrite(tmp_path: Path) -> None:
    root = tmp_path / "ds"
    first = spec_for(root)
    first.commit([f for task, part in enumerate(chunks()) for f in first.write(part, task=task)])
    aborted = first.with_job()
    aborted.write(chunks()[0], task=0)
    aborted.abort()
    check_dataset(root, 20_000)
    second = spec_for(root, mode="overwrite")
    files = second.write(chunks(total=500, parts=1)[0], task=0)
    second.commit(files)
    assert read_ids(root) == list(range(500))
    with pytest.raises(ParquetWriterError, match="not a file of job"):
        spec_for(root).commit(files)
    with pytest.raises(ParquetWriterError, match="already committed with other files"):
        second.commit(files[:1])


def test_dask_local_cluster_tasks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("PYTHONPATH", str(BINDING_ROOT))
    root = tmp_path / "ds"
    spec = spec_for(root, max_rows_per_file=2_000)
    parts = chunks(total=40_000, parts=8)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        futures = client.map(spec.write, parts, range(len(parts)))
        summaries = client.gather(futures)
    spec.commit([f for files in summaries for f in files])
    check_dataset(root, 40_000)
    assert all(f["rows"] <= 2_000 for files in summaries for f in files)


def test_ray_local_tasks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ray = pytest.importorskip("ray")
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")  # no usage report from a test run
    root = tmp_path / "ds"
    spec = spec_for(root)
    env = {"PYTHONPATH": str(BINDING_ROOT), "PARQUET_WRITER_LIBRARY": os.environ["PARQUET_WRITER_LIBRARY"]}
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, runtime_env={"env_vars": env})
    try:
        write = ray.remote(lambda part, task: spec.write(part, task))
        parts = chunks()
        summaries = ray.get([write.remote(part, task) for task, part in enumerate(parts)])
    finally:
        ray.shutdown()
    spec.commit([f for files in summaries for f in files])
    check_dataset(root, 20_000)


def readme_blocks(heading: str) -> List[str]:
    """The python code blocks of one README section."""
    text = (BINDING_ROOT.parents[1] / "README.md").read_text()
    section = text.split(heading, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    return [block.split("```", 1)[0] for block in section.split("```python\n")[1:]]


def test_readme_engine_recipes_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Dask recipe, then its Ray recipe as a second job into the same dataset."""
    pytest.importorskip("distributed")
    pytest.importorskip("ray")
    import ray

    dask_recipe, ray_recipe, _spark = readme_blocks("### Engines: Dask, Ray, Spark")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(BINDING_ROOT))
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    namespace: Dict[str, Any] = {}
    exec(compile(dask_recipe, "README.md (Dask)", "exec"), namespace)
    assert read_ids(tmp_path / "lake/events") == list(range(30_000))
    namespace["spec"] = namespace["spec"].with_job()
    try:
        exec(compile(ray_recipe, "README.md (Ray)", "exec"), namespace)
    finally:
        ray.shutdown()
    assert read_ids(tmp_path / "lake/events") == sorted(list(range(30_000)) * 2)


def test_ray_tasks_into_a_delta_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ray tasks write a Delta table's files with ``delta_spec``; the driver commits them in
    one transaction and every record is in the table exactly once."""
    ray = pytest.importorskip("ray")
    pytest.importorskip("deltalake")
    from deltalake import DeltaTable

    from parquet_writer.delta import commit_files, delta_spec

    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    uri = str(tmp_path / "events")
    schema = [("id", "int64", False), ("country", "string"), ("amount", "float64")]
    spec = delta_spec(uri, schema, partition_by=["country"])
    env = {"PYTHONPATH": str(BINDING_ROOT), "PARQUET_WRITER_LIBRARY": os.environ["PARQUET_WRITER_LIBRARY"]}
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, runtime_env={"env_vars": env})
    try:
        write = ray.remote(lambda part, task: spec.write(part, task))
        summaries = ray.get([write.remote(part, task) for task, part in enumerate(chunks())])
    finally:
        ray.shutdown()
    version = commit_files(uri, [f for files in summaries for f in files], schema=schema, partition_by=["country"])
    table = DeltaTable(uri)
    assert table.version() == version
    ids = sorted(table.to_pyarrow_table(columns=["id"]).column("id").to_pylist())
    assert ids == list(range(20_000))
    germany = table.to_pyarrow_table(filters=[("country", "=", "DE")])
    assert germany.num_rows == 20_000 // len(COUNTRIES)
