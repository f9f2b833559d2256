"""``parquet_writer.iceberg``: our files in real Iceberg tables (pyiceberg, a SqlCatalog on a
sqlite file, a file:// warehouse), read back by pyiceberg scans, pyarrow and DuckDB."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Optional

import duckdb
import pyarrow.parquet as pq
import pytest

pytest.importorskip("pyiceberg")

from pyiceberg.catalog.sql import SqlCatalog  # noqa: E402
from pyiceberg.expressions import And, EqualTo, GreaterThanOrEqual, IsNull, LessThan  # noqa: E402
from pyiceberg.partitioning import PartitionField, PartitionSpec  # noqa: E402
from pyiceberg.table import Table  # noqa: E402
from pyiceberg.transforms import (  # noqa: E402
    BucketTransform,
    DayTransform,
    HourTransform,
    IdentityTransform,
    MonthTransform,
    YearTransform,
)

from parquet_writer import ParquetWriterError  # noqa: E402
from parquet_writer.iceberg import (  # noqa: E402
    IcebergWriter,
    commit_files,
    data_files,
    iceberg_writer_spec,
    schema_from_iceberg,
    schema_to_iceberg,
    write_iceberg,
)

BINDING_ROOT = Path(__file__).resolve().parents[1]
SCHEMA = [
    ("id", "int64", False),
    ("country", "string"),
    ("at", {"type": "timestamp_us", "utc": True}),
    ("amount", {"type": "decimal", "precision": 12, "scale": 2}),
    ("name", "string"),
]
COUNTRIES = ["DE", "FR", "US", "JP", None]
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def records(total: int = 4000, first: int = 0) -> List[Dict[str, Any]]:
    """Four days of events; names longer than the 16 characters Iceberg keeps in bounds."""
    return [
        {
            "id": i,
            "country": COUNTRIES[i % len(COUNTRIES)],
            "at": START + timedelta(minutes=2 * i),
            "amount": Decimal(i) / 4,
            "name": f"customer-{i:06d}-" + "x" * (i % 90),
        }
        for i in range(first, first + total)
    ]


@pytest.fixture
def catalog(tmp_path: Path) -> SqlCatalog:
    catalog = SqlCatalog("test", uri=f"sqlite:///{tmp_path}/catalog.db", warehouse=f"file://{tmp_path}/warehouse")
    catalog.create_namespace("db")
    return catalog


def events_table(catalog: SqlCatalog, name: str = "db.events", **properties: str) -> Table:
    """A table made from our schema, partitioned by identity(country) and day(at)."""
    schema = schema_to_iceberg(SCHEMA)
    spec = PartitionSpec(
        PartitionField(schema.find_field("country").field_id, 1000, IdentityTransform(), "country"),
        PartitionField(schema.find_field("at").field_id, 1001, DayTransform(), "at_day"),
    )
    return catalog.create_table(name, schema=schema, partition_spec=spec, properties=properties)


def rows_by_id(table: Table, row_filter: Any = None) -> Dict[int, Dict[str, Any]]:
    scan = table.scan(row_filter=row_filter) if row_filter is not None else table.scan()
    return {row["id"]: row for row in scan.to_arrow().to_pylist()}


def expected(data: List[Dict[str, Any]], keep: Any = lambda r: True) -> Dict[int, Dict[str, Any]]:
    return {r["id"]: r for r in data if keep(r)}


def assert_partitions_match_rows(table: Table) -> None:
    """Every data file's partition record is the spec's transforms of each of its rows."""
    schema, spec = table.schema(), table.spec()
    for task in table.scan().plan_files():
        rows = pq.read_table(task.file.file_path.removeprefix("file://")).to_pylist()
        for position, field in enumerate(spec.fields):
            source = schema.find_field(field.source_id)
            transform = field.transform.transform(source.field_type)
            wanted = task.file.partition[position]
            for row in rows:
                value = row[source.name]
                if isinstance(value, datetime):
                    value = (value - datetime(1970, 1, 1, tzinfo=value.tzinfo)) // timedelta(microseconds=1)
                elif isinstance(value, date):
                    value = (value - date(1970, 1, 1)).days
                assert transform(value) == wanted, (task.file.file_path, field.name, row)


def test_schema_round_trip_keeps_field_ids() -> None:
    native = {"fields": [
        {"name": "id", "type": "int64", "nullable": False, "field_id": 1},
        {"name": "flag", "type": "boolean", "nullable": True, "field_id": 2},
        {"name": "n", "type": "int32", "nullable": True, "field_id": 3},
        {"name": "f", "type": "float32", "nullable": True, "field_id": 4},
        {"name": "x", "type": "float64", "nullable": True, "field_id": 5},
        {"name": "d", "type": "decimal", "precision": 30, "scale": 4, "nullable": True, "field_id": 6},
        {"name": "day", "type": "date", "nullable": True, "field_id": 7},
        {"name": "clock", "type": "time_us", "nullable": True, "field_id": 8},
        {"name": "local", "type": "timestamp_us", "utc": False, "nullable": True, "field_id": 9},
        {"name": "at", "type": "timestamp_us", "utc": True, "nullable": False, "field_id": 10},
        {"name": "s", "type": "string", "nullable": True, "field_id": 11},
        {"name": "u", "type": "uuid", "nullable": True, "field_id": 12},
        {"name": "fx", "type": "fixed_binary", "length": 3, "nullable": True, "field_id": 13},
        {"name": "b", "type": "binary", "nullable": True, "field_id": 14},
        {"name": "point", "type": "struct", "nullable": True, "field_id": 15, "fields": [
            {"name": "lat", "type": "float64", "nullable": False, "field_id": 16},
            {"name": "tags", "type": "list", "nullable": True, "field_id": 17,
             "items": {"type": "string", "nullable": False, "field_id": 18}},
        ]},
        {"name": "attrs", "type": "map", "nullable": True, "field_id": 19,
         "keys": {"type": "string", "nullable": False, "field_id": 20},
         "values": {"type": "int64", "nullable": True, "field_id": 21}},
    ]}
    iceberg = schema_to_iceberg(native)
    assert iceberg.find_field("point.tags").field_type.element_id == 18
    assert iceberg.find_field("attrs").field_type.value_id == 21
    assert schema_from_iceberg(iceberg) == native


def test_schema_to_iceberg_assigns_missing_ids_and_refuses_uint64() -> None:
    iceberg = schema_to_iceberg([
        ("a", "int8"), {"name": "b", "type": "string", "field_id": 7},
        ("c", {"type": "list", "items": {"type": "json"}}), ("d", "timestamp_ns"),
    ])
    ids = sorted(iceberg._lazy_id_to_name)  # every field, list elements included
    assert len(ids) == len(set(ids)) == 5 and iceberg.find_field("b").field_id == 7
    assert str(iceberg.find_field("a").field_type) == "int"
    assert str(iceberg.find_field("c").field_type.element_type) == "string"
    assert schema_from_iceberg(iceberg)["fields"][3]["type"] == "timestamp_ns"
    with pytest.raises(ParquetWriterError, match="uint64"):
        schema_to_iceberg([("u", "uint64")])


def test_partitioned_write_prunes_and_reads_back(catalog: SqlCatalog) -> None:
    table = events_table(catalog)
    data = records()
    with IcebergWriter(table) as writer:
        result = writer.write(data)
    assert result.rows_written == len(data)
    snapshot = writer.snapshot
    assert snapshot is not None and table.current_snapshot() == snapshot
    assert snapshot.summary is not None and snapshot.summary["added-records"] == str(len(data))

    # Everything, with the identity partition column read from the files (not NULL).
    assert rows_by_id(table) == expected(data)
    every_file = table.scan().plan_files()
    for task in every_file:
        path = task.file.file_path.removeprefix("file://")
        assert path.startswith(f"{table.location().removeprefix('file://')}/data/")
        in_file = pq.read_table(path, columns=["country"]).column("country")
        assert in_file.null_count == 0 or task.file.partition[0] is None

    # A filter on the partition columns: exactly its rows, from fewer files.
    day_two = START + timedelta(days=2)
    row_filter = And(EqualTo("country", "DE"), GreaterThanOrEqual("at", day_two.isoformat()))
    assert rows_by_id(table, row_filter) == expected(data, lambda r: r["country"] == "DE" and r["at"] >= day_two)
    assert 0 < len(table.scan(row_filter=row_filter).plan_files()) < len(every_file) / 4
    assert rows_by_id(table, IsNull("country")) == expected(data, lambda r: r["country"] is None)

    # Filters on other columns prune by our bounds (id) and stay exact with truncated ones (name).
    assert rows_by_id(table, LessThan("id", 100)) == expected(data, lambda r: r["id"] < 100)
    assert len(table.scan(row_filter=LessThan("id", 100)).plan_files()) <= len(COUNTRIES)
    long_name = data[1789]["name"]
    assert len(long_name) > 64 and rows_by_id(table, EqualTo("name", long_name)) == {1789: data[1789]}

    assert_partitions_match_rows(table)


def test_field_ids_in_files_are_the_tables(catalog: SqlCatalog) -> None:
    table = events_table(catalog)
    write_iceberg(table, records(200))
    ids = {f.name: f.field_id for f in table.schema().fields}
    for task in table.scan().plan_files():
        schema = pq.read_schema(task.file.file_path.removeprefix("file://"))
        assert {f.name: int(f.metadata[b"PARQUET:field_id"]) for f in schema} == ids


def test_duckdb_reads_the_table_and_its_files(catalog: SqlCatalog) -> None:
    table = events_table(catalog)
    data = records(1000)
    write_iceberg(table, data)
    events = table.scan().to_arrow()  # noqa: F841 - read by DuckDB below
    got = duckdb.sql("SELECT country, count(*) FROM events GROUP BY ALL ORDER BY country NULLS LAST").fetchall()
    assert got == [("DE", 200), ("FR", 200), ("JP", 200), ("US", 200), (None, 200)]
    # The data files on their own carry the partition column too (the bug of issue 14).
    files = [t.file.file_path.removeprefix("file://") for t in table.scan().plan_files()]
    in_files = duckdb.sql(f"SELECT count(*) FROM read_parquet({files!r}) WHERE country = 'DE'").fetchall()
    assert in_files == [(200,)]


def test_exception_after_commit_keeps_the_files(catalog: SqlCatalog) -> None:
    table = events_table(catalog)
    with pytest.raises(RuntimeError, match="late"):
        with IcebergWriter(table) as writer:
            writer.write(records(100))
            writer.commit()
            raise RuntimeError("late")
    assert all(os.path.exists(f["path"]) for f in writer.files)
    assert sorted(rows_by_id(catalog.load_table("db.events"))) == list(range(100))


def test_exception_before_commit_leaves_table_unchanged(catalog: SqlCatalog) -> None:
    table = events_table(catalog)
    write_iceberg(table, records(100))
    before = table.current_snapshot()
    with pytest.raises(RuntimeError, match="boom"):
        with IcebergWriter(table, max_rows_per_file=10) as writer:
            writer.write(records(500, first=100))
            assert writer.files  # some files already finished
            raise RuntimeError("boom")
    assert catalog.load_table("db.events").current_snapshot() == before
    assert all(not os.path.exists(f["path"]) for f in writer.files)
    assert len(rows_by_id(table)) == 100


def test_killed_process_before_commit_leaves_table_unchanged(catalog: SqlCatalog, tmp_path: Path) -> None:
    table = events_table(catalog)
    write_iceberg(table, records(100))
    before = table.current_snapshot()
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(BINDING_ROOT)!r})
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pyiceberg.catalog.sql import SqlCatalog
        from parquet_writer.iceberg import IcebergWriter
        from test_binding_iceberg import records
        catalog = SqlCatalog("test", uri="sqlite:///{tmp_path}/catalog.db", warehouse="file://{tmp_path}/warehouse")
        writer = IcebergWriter(catalog.load_table("db.events"))
        writer.write(records(1000, first=100))
        print(len(writer.close()), flush=True)  # every file finished, then the process dies
        os._exit(3)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert int(proc.stdout) > 0
    table = catalog.load_table("db.events")
    assert table.current_snapshot() == before
    assert sorted(rows_by_id(table)) == list(range(100))


def test_driver_commits_task_summaries_once(catalog: SqlCatalog) -> None:
    table = events_table(catalog)
    summaries = []
    for task in range(3):  # three tasks, each with its own writer (as engine tasks would)
        writer = IcebergWriter(catalog.load_table("db.events"))
        writer.write(records(500, first=500 * task))
        summaries += writer.close()
    spec = iceberg_writer_spec(table)
    summaries += spec.write(records(500, first=1500), task=3)  # a WriterSpec task
    assert len({f["path"] for f in summaries}) == len(summaries)
    first = commit_files(table, summaries, job="job-1")
    assert commit_files(table, summaries, job="job-1") == first  # a retried driver: no duplicate
    assert len(table.snapshots()) == 1
    assert sorted(rows_by_id(table)) == list(range(2000))
    assert len(data_files(table, summaries)) == len(summaries)


def test_overwrite_replaces_the_data_in_one_snapshot(catalog: SqlCatalog) -> None:
    table = events_table(catalog)
    write_iceberg(table, records(300))
    snapshot = write_iceberg(table, records(50, first=1000), mode="overwrite")
    assert snapshot is not None and snapshot.summary is not None
    assert snapshot.summary.operation.value == "overwrite"
    assert sorted(rows_by_id(table)) == list(range(1000, 1050))


def test_time_transforms_and_typed_identity_values(catalog: SqlCatalog) -> None:
    schema = schema_to_iceberg([
        ("id", "int64", False), ("ok", "boolean"), ("n", "int32"), ("day", "date"), ("label", "string"),
        ("at", {"type": "timestamp_us", "utc": False}),
    ])
    field = lambda name: schema.find_field(name).field_id  # noqa: E731
    spec = PartitionSpec(
        PartitionField(field("ok"), 1000, IdentityTransform(), "ok"),
        PartitionField(field("n"), 1001, IdentityTransform(), "n"),
        PartitionField(field("day"), 1002, YearTransform(), "day_year"),
        PartitionField(field("at"), 1003, MonthTransform(), "at_month"),
        PartitionField(field("at"), 1004, HourTransform(), "at_hour"),
        PartitionField(field("label"), 1005, IdentityTransform(), "label"),
        PartitionField(field("day"), 1006, IdentityTransform(), "day"),
    )
    table = catalog.create_table("db.typed", schema=schema, partition_spec=spec)
    data = [
        {"id": i, "ok": [True, False, None][i % 3], "n": [-5, 7, None][i % 3] if i % 2 else 12,
         "day": date(1968, 12, 31) + timedelta(days=200 * i), "label": ["a/b=c", "é %", "", None][i % 4],
         "at": datetime(1969, 12, 31, 22) + timedelta(hours=7 * i)}
        for i in range(40)
    ]
    write_iceberg(table, data)
    assert_partitions_match_rows(table)
    for row_filter, keep in [
        (EqualTo("label", "a/b=c"), lambda r: r["label"] == "a/b=c"),
        (EqualTo("label", ""), lambda r: r["label"] == ""),
        (IsNull("label"), lambda r: r["label"] is None),
        (EqualTo("n", -5), lambda r: r["n"] == -5),
        (EqualTo("day", "1968-12-31"), lambda r: r["day"] == date(1968, 12, 31)),
        (EqualTo("ok", False), lambda r: r["ok"] is False),
        (LessThan("at", "1970-01-02T00:00:00"), lambda r: r["at"] < datetime(1970, 1, 2)),
    ]:
        got = {k: v["id"] for k, v in rows_by_id(table, row_filter).items()}
        assert sorted(got) == sorted(r["id"] for r in data if keep(r)), row_filter


def test_null_and_empty_string_in_one_directory_refused(catalog: SqlCatalog) -> None:
    table = events_table(catalog)
    mixed = [{"id": 1, "country": None, "at": START}, {"id": 2, "country": "", "at": START}]
    with pytest.raises(ParquetWriterError, match="both null and empty strings"):
        write_iceberg(table, mixed)
    assert table.current_snapshot() is None


def test_unsupported_transforms_are_named(catalog: SqlCatalog) -> None:
    schema = schema_to_iceberg(SCHEMA)
    spec = PartitionSpec(PartitionField(schema.find_field("id").field_id, 1000, BucketTransform(8), "id_bucket"))
    table = catalog.create_table("db.bucketed", schema=schema, partition_spec=spec)
    with pytest.raises(ParquetWriterError, match=r"bucket\[8\]"):
        IcebergWriter(table)
    events = events_table(catalog)
    with pytest.raises(ParquetWriterError, match="decides 'partition_by'"):
        IcebergWriter(events, partition_by=["country"])
    with pytest.raises(ParquetWriterError, match="decides 'file_prefix'"):
        IcebergWriter(events, file_prefix="x")


def test_table_sort_order_sorts_the_files(catalog: SqlCatalog) -> None:
    from pyiceberg.table.sorting import NullOrder, SortDirection, SortField, SortOrder

    schema = schema_to_iceberg(SCHEMA)
    order = SortOrder(
        SortField(source_id=schema.find_field("country").field_id, transform=IdentityTransform(),
                  direction=SortDirection.ASC, null_order=NullOrder.NULLS_FIRST),
        SortField(source_id=schema.find_field("id").field_id, transform=IdentityTransform(),
                  direction=SortDirection.DESC, null_order=NullOrder.NULLS_LAST),
    )
    table = catalog.create_table("db.sorted", schema=schema, sort_order=order)
    data = records(500)
    write_iceberg(table, data)
    (task,) = table.scan().plan_files()
    assert task.file.sort_order_id == table.sort_order().order_id == 1
    got = pq.read_table(task.file.file_path.removeprefix("file://")).select(["country", "id"]).to_pylist()
    want = sorted(data, key=lambda r: r["id"], reverse=True)
    want = [r for r in want if r["country"] is None] + sorted((r for r in want if r["country"] is not None),
                                                              key=lambda r: r["country"])
    assert got == [{"country": r["country"], "id": r["id"]} for r in want]


def test_table_properties_drive_the_writer(catalog: SqlCatalog) -> None:
    table = events_table(
        catalog, **{"write.parquet.compression-codec": "gzip", "write.metadata.metrics.default": "counts"}
    )
    write_iceberg(table, records(100))
    task = table.scan().plan_files()[0]
    metadata = pq.read_metadata(task.file.file_path.removeprefix("file://"))
    assert metadata.row_group(0).column(0).compression == "GZIP"
    assert task.file.lower_bounds == {} and task.file.null_value_counts


def readme_blocks(heading: str) -> List[str]:
    text = (BINDING_ROOT.parents[1] / "README.md").read_text()
    section = text.split(heading, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    return [block.split("```", 1)[0] for block in section.split("```python\n")[1:]]


def test_readme_iceberg_recipe_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: Dict[str, Optional[Any]] = {}
    for block in readme_blocks("### Iceberg"):
        exec(compile(block, "README.md (Iceberg)", "exec"), namespace)
    table = namespace["table"]
    assert isinstance(table, Table)
    assert table.scan(row_filter="country == 'DE'").to_arrow().num_rows == 10_000


WIDE = [
    ("id", "int64", False), ("flag", "boolean"), ("n", "int32"), ("f", "float32"), ("x", "float64"),
    ("d9", {"type": "decimal", "precision": 9, "scale": 2}), ("d18", {"type": "decimal", "precision": 18, "scale": 3}),
    ("d30", {"type": "decimal", "precision": 30, "scale": 4}), ("day", "date"), ("clock", "time_us"),
    ("local", {"type": "timestamp_us", "utc": False}), ("at", {"type": "timestamp_us", "utc": True}),
    ("s", "string"), ("full", "string"), ("u", "uuid"), ("fx", {"type": "fixed_binary", "length": 4}), ("b", "binary"),
    ("point", {"type": "struct", "fields": [{"name": "lat", "type": "float64"}, {"name": "tag", "type": "string"}]}),
    ("tags", {"type": "list", "items": {"type": "string"}}),
    ("attrs", {"type": "map", "keys": {"type": "string"}, "values": {"type": "int64"}}),
]


def wide_records(total: int) -> List[Dict[str, Any]]:
    import uuid

    return [
        {
            "id": i, "flag": [True, False, None][i % 3], "n": None if i % 7 == 0 else -i * 1000, "f": i / 8 - 3,
            "x": -1e300 if i == 3 else i * 0.1, "d9": Decimal(i) / 100 - 5, "d18": Decimal(-i) / 1000,
            "d30": Decimal(10) ** 20 + Decimal(i) / 10_000, "day": date(1960, 1, 1) + timedelta(days=997 * i),
            "clock": (datetime(2000, 1, 1) + timedelta(seconds=1337 * i, microseconds=i)).time(),
            "local": datetime(1969, 12, 31, 23, 59, 59, 999_999) + timedelta(hours=i),
            "at": START - timedelta(days=40_000) + timedelta(days=i, microseconds=i),
            "s": "é" * (i % 40) + f"-{i}", "full": "ü" * 70 + str(i), "u": uuid.UUID(int=(i * 7919) << 64 | i),
            "fx": bytes([i % 256, 255, 0, i % 7]), "b": bytes([255] * (i % 80)) + bytes([i % 256]),
            "point": None if i % 5 == 0 else {"lat": i / 3, "tag": f"t{i}"},
            "tags": [f"a{i}", None], "attrs": {"k": i},
        }
        for i in range(total)
    ]


def test_metadata_matches_pyiceberg_reading_the_footers(catalog: SqlCatalog) -> None:
    """Every type's partition, counts and bounds as pyiceberg's own add_files path would compute
    them from the footers (the oracle), and the values read back as written."""
    from pyiceberg.io.pyarrow import (
        compute_statistics_plan,
        data_file_statistics_from_parquet_metadata,
        parquet_path_to_id_mapping,
    )

    schema = schema_to_iceberg(WIDE)
    spec = PartitionSpec(
        PartitionField(schema.find_field("flag").field_id, 1000, IdentityTransform(), "flag"),
        PartitionField(schema.find_field("at").field_id, 1001, YearTransform(), "at_year"),
    )
    table = catalog.create_table(
        "db.wide", schema=schema, partition_spec=spec, properties={"write.metadata.metrics.column.full": "full"}
    )
    data = wide_records(60)
    write_iceberg(table, data, max_rows_per_file=7)
    tasks = table.scan().plan_files()
    assert len(tasks) == 9  # 3 flag values (null included) x 1 year x 20 rows / 7 per file
    schema, spec = table.schema(), table.spec()
    for task in tasks:
        ours = task.file
        path = ours.file_path.removeprefix("file://")
        statistics = data_file_statistics_from_parquet_metadata(
            parquet_metadata=pq.read_metadata(path),
            stats_columns=compute_statistics_plan(schema, table.properties),
            parquet_column_mapping=parquet_path_to_id_mapping(schema),
        )
        oracle = statistics.to_serialized_dict()
        assert ours.partition == statistics.partition(spec, schema) and ours.record_count == oracle["record_count"]
        assert ours.file_size_in_bytes == os.path.getsize(path)
        for key in ("value_counts", "null_value_counts", "lower_bounds", "upper_bounds"):
            mine, theirs = dict(getattr(ours, key)), dict(oracle[key])
            assert mine == {k: theirs[k] for k in mine}, (key, ours.file_path)
        assert set(ours.lower_bounds) == set(oracle["lower_bounds"])
        assert set(ours.upper_bounds) == set(oracle["upper_bounds"])
    got = rows_by_id(table)
    for row in got.values():
        row["attrs"] = dict(row["attrs"])  # Arrow gives a map as (key, value) pairs
    assert got == {r["id"]: r for r in data}
    # Filters on the bounds (truncated ones included: "full" keeps the library's 64-byte bounds).
    for column in ("full", "s", "u", "d30", "b", "local", "clock", "day", "f"):
        value = data[17][column]
        wanted = sorted(r["id"] for r in data if r[column] == value)
        assert sorted(rows_by_id(table, EqualTo(column, value))) == wanted, column
        assert sorted(rows_by_id(table, LessThan(column, value))) == sorted(r["id"] for r in data if r[column] < value)


def test_concurrent_writers_both_land(catalog: SqlCatalog) -> None:
    """Two writers opened on the same snapshot: the second commit meets a newer table and is
    retried on top of it; no file name clashes, no row lost."""
    events_table(catalog, **{"commit.retry.min-wait-ms": "1"})
    first = IcebergWriter(catalog.load_table("db.events"))
    second = IcebergWriter(catalog.load_table("db.events"))
    first.write(records(300))
    second.write(records(300, first=300))
    assert first.commit() is not None and second.commit() is not None
    table = catalog.load_table("db.events")
    assert sorted(rows_by_id(table)) == list(range(600)) and len(table.snapshots()) == 2


def test_arrow_and_pandas_inputs(catalog: SqlCatalog) -> None:
    import pandas as pd
    import pyarrow as pa

    table = events_table(catalog)
    write_iceberg(table, pa.Table.from_pylist(records(300)))
    write_iceberg(table, pd.DataFrame(records(300, first=300)))
    assert rows_by_id(table) == expected(records(600))
    copy = events_table(catalog, "db.copy")
    write_iceberg(copy, table.scan().to_arrow())  # one Iceberg table's scan into another
    assert rows_by_id(copy) == rows_by_id(table)


def test_dask_tasks_commit_once(catalog: SqlCatalog, monkeypatch: pytest.MonkeyPatch) -> None:
    """A WriterSpec for the table on a real Dask LocalCluster; the driver commits once."""
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("PYTHONPATH", str(BINDING_ROOT))
    table = events_table(catalog)
    spec = iceberg_writer_spec(table, max_rows_per_file=500)
    parts = [records(1000, first=1000 * k) for k in range(4)]
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        summaries = client.gather(client.map(spec.write, parts, range(len(parts))))
    snapshot = commit_files(table, [f for files in summaries for f in files], job=spec.job)
    assert snapshot is not None and len(table.snapshots()) == 1
    assert rows_by_id(table) == expected(records(4000))
