"""Spark and fastparquet beyond the flat matrix (test_read_matrix.py reads the corpus):

* Spark's inferred type of every matrix column (one single-column file each: inference refuses a
  whole file for one unmappable column), and its pinned refusals under the default conf;
* a nested file (lists, lists of lists, structs of structs, maps, maps of structs, lists of
  structs, lists of timestamps) read by both Spark readers value for value, and by fastparquet,
  whose nested support is partial: what it reads is compared value for value, and for what it
  cannot read its result on OUR file must equal its result on pyarrow's file of the same table;
* a file with the newer features (page index, bloom filters, page checksums, several row groups
  and pages) read whole and filtered (predicate pushdown through row-group statistics, the
  column index and the bloom filters) by both Spark readers and fastparquet.

Nested and feature files are written by the Python binding (libparquet_writer.so from
PARQUET_WRITER_LIB / PARQUET_WRITER_LIBRARY), or by pyarrow in reference mode.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import fastparquet
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from interop_corpus import matrix_file
from interop_gen import IS_REFERENCE, REPO_ROOT, Generator
from interop_readers import SPARK_READERS, spark_conf, spark_infer, spark_reader_conf, spark_type
from interop_spec import FileSpec
from parquet_footer import read_footer, read_pages

LONG = "L" * 70


# -- per-column inference -------------------------------------------------------------------


@pytest.fixture(scope="module")
def column_files(generator: Generator, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One file per matrix column (nullable, 40 rows), all in one generator run."""
    base = matrix_file(True, False, "snappy")
    files = [FileSpec(f.name, [f], {f.name: base.columns[f.name]}) for f in base.fields]
    generator.write(files, tmp_path_factory.mktemp("columns"))
    return {f.name: f.path for f in files if f.path is not None}


MATRIX_FIELDS = matrix_file(True, False, "snappy").fields


@pytest.mark.parametrize("field", MATRIX_FIELDS, ids=[f.name for f in MATRIX_FIELDS])
def test_spark_inferred_type(column_files: dict[str, Path], spark: Any, field: Any) -> None:
    """Spark's inference (under SPARK_READ_CONF) gives the pinned type, or refuses the pinned
    unmappable types with PARQUET_TYPE_ILLEGAL naming the Parquet type."""
    from pyspark.errors import AnalysisException

    path = str(column_files[field.name])
    expected = spark_type(field)
    if expected is None:
        marker = "INT32 (TIME(MILLIS,false))" if field.type == "time_ms" else "FIXED_LEN_BYTE_ARRAY (UUID)"
        with pytest.raises(AnalysisException, match=r"PARQUET_TYPE_ILLEGAL") as info:
            spark_infer(spark, path)
        assert marker in str(info.value)
        return
    assert spark_infer(spark, path) == {field.name: expected}


@pytest.mark.parametrize("name,error", [
    ("timestamp_ns_utc", "INT64 (TIMESTAMP(NANOS,true))"),
    ("timestamp_ns_local", "INT64 (TIMESTAMP(NANOS,false))"),
    ("time_us", "UNSUPPORTED_TIME_TYPE"),
    ("time_ns", "UNSUPPORTED_TIME_TYPE"),
])
def test_spark_default_conf_refuses_nanos_and_time(column_files: dict[str, Path], spark: Any, name: str,
                                                    error: str) -> None:
    """Without spark.sql.legacy.parquet.nanosAsLong / spark.sql.timeType.enabled Spark 4.3.0
    refuses TIMESTAMP(NANOS) and TIME(MICROS|NANOS) (the same on pyarrow's files)."""
    from pyspark.errors import AnalysisException

    off = {"spark.sql.legacy.parquet.nanosAsLong": "false", "spark.sql.timeType.enabled": "false"}
    with spark_conf(spark, off), pytest.raises(AnalysisException) as info:
        spark.read.parquet(str(column_files[name])).collect()
    assert error in str(info.value), str(info.value)[:500]


def test_spark_collect_quirks(column_files: dict[str, Path], spark: Any) -> None:
    """Why timestamps and decimals are compared through SQL expressions: collect() makes a
    `timestamp` a naive local-zone datetime and fails on 0001-01-01; a decimal keeps its value
    but not always the scale's exponent."""
    df = spark.read.parquet(str(column_files["timestamp_us_utc"]))
    with pytest.raises(ValueError, match="year 0 is out of range"):
        df.collect()
    row = df.where("unix_micros(timestamp_us_utc) = 1700000000123456").collect()[0]
    assert row[0].tzinfo is None
    dec = spark.read.parquet(str(column_files["decimal_38_10"])).where("decimal_38_10 = -0.0000000001")
    direct = dec.collect()[0][0]
    text = dec.selectExpr("CAST(decimal_38_10 AS STRING)").collect()[0][0]
    assert direct == Decimal("-1E-10") and direct.as_tuple().exponent != -10
    assert text == "-0.0000000001"


# -- nested and feature files ----------------------------------------------------------------


def _binding_write(table: pa.Table, path: Path, **options: Any) -> None:
    """Our writer through the Python binding; pyarrow's in reference mode."""
    if IS_REFERENCE:
        pq.write_table(table, path, store_schema=False, use_dictionary=options.get("use_dictionary", True),
                       row_group_size=options.get("row_group_size"), write_page_index=True,
                       write_page_checksum=bool(options.get("page_checksum")),
                       data_page_size=options.get("page_bytes"),
                       data_page_version=f"{options.get('data_page_version', 1)}.0")
        return
    lib = os.environ.get("PARQUET_WRITER_LIBRARY") or os.environ.get("PARQUET_WRITER_LIB")
    if not lib or not Path(lib).is_file():
        pytest.skip("PARQUET_WRITER_LIB is not set to libparquet_writer.so (the Makefile sets it)")
    os.environ["PARQUET_WRITER_LIBRARY"] = lib
    binding = str(REPO_ROOT / "Bindings" / "python")
    if binding not in sys.path:
        sys.path.insert(0, binding)
    from parquet_writer import write_table

    # No schema=: the Arrow table's own, which bloom_filter_columns is checked against.
    write_table(table, str(path), **options)


def nested_table(repeat: int) -> pa.Table:
    base = pa.table({
        "id": pa.array([0, 1, 2, 3, 4], pa.int32()),
        "list": pa.array([[1, None, 3], None, [], [None], [4]], pa.list_(pa.int32())),
        "list_of_lists": pa.array([[[1], [], None], None, [], [[None]], [[2, 3]]], pa.list_(pa.list_(pa.int64()))),
        "sos": pa.array([{"inner": {"a": 1, "b": "x"}, "c": 1.5}, {"inner": None, "c": None}, None,
                         {"inner": {"a": None, "b": None}, "c": 0.0}, {"inner": {"a": -1, "b": LONG}, "c": -2.0}],
                        pa.struct([("inner", pa.struct([("a", pa.int32()), ("b", pa.string())])), ("c", pa.float64())])),
        "map_int": pa.array([[(1, "one")], [], None, [(2, None), (3, "three")], [(-5, LONG)]],
                            pa.map_(pa.int32(), pa.string())),
        "ms": pa.array([[("a", {"n": 1, "l": ["x", None]}), ("b", None)], None, [], [("c", {"n": None, "l": None})],
                        [("d", {"n": 2, "l": []})]],
                       pa.map_(pa.string(), pa.struct([("n", pa.int64()), ("l", pa.list_(pa.string()))]))),
        "list_struct": pa.array([[{"v": 1, "d": Decimal("1.50")}, None], None, [], [{"v": None, "d": None}],
                                 [{"v": 2, "d": Decimal("-0.01")}]],
                                pa.list_(pa.struct([("v", pa.int16()), ("d", pa.decimal128(9, 2))]))),
        "list_ts": pa.array([[0, None, 1_700_000_000_123_456], None, [], [None], [-1]],
                            pa.list_(pa.timestamp("us", tz="UTC"))),
    })
    t = pa.concat_tables([base] * repeat).combine_chunks()
    return t.set_column(0, "id", pa.array(range(t.num_rows), pa.int32()))


@pytest.fixture(scope="module")
def nested_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """200 rows (values repeat: dictionary-encoded) and a PLAIN twin; each also as pyarrow's."""
    d = tmp_path_factory.mktemp("nested")
    table = nested_table(40)
    out = {"ours": d / "ours.parquet", "ours_plain": d / "ours-plain.parquet",
           "pyarrow": d / "pyarrow.parquet", "pyarrow_plain": d / "pyarrow-plain.parquet"}
    _binding_write(table, out["ours"])
    _binding_write(table, out["ours_plain"], use_dictionary=False)
    pq.write_table(table, out["pyarrow"], store_schema=False)
    pq.write_table(table, out["pyarrow_plain"], store_schema=False, use_dictionary=False)
    return out


def _spark_expected(table: pa.Table) -> list[dict[str, Any]]:
    """table.to_pylist() in Spark's shape: maps are dicts, list_ts holds unix microseconds."""
    def maps(v: Any, t: pa.DataType) -> Any:
        if v is None:
            return None
        if pa.types.is_map(t):
            return {k: maps(x, t.item_type) for k, x in v}
        if pa.types.is_list(t):
            return [maps(x, t.value_type) for x in v]
        if pa.types.is_struct(t):
            return {f.name: maps(v[f.name], f.type) for f in t}
        return v
    table = table.set_column(table.schema.get_field_index("list_ts"), "list_ts",
                             table.column("list_ts").cast(pa.list_(pa.int64())))
    return [{k: maps(v, table.schema.field(k).type) for k, v in row.items()} for row in table.to_pylist()]


@pytest.mark.parametrize("reader", SPARK_READERS)
@pytest.mark.parametrize("kind", ["ours", "ours_plain"])
def test_spark_reads_nested(nested_files: dict[str, Path], spark: Any, reader: str, kind: str) -> None:
    """Both Spark readers return every nested value (nulls at every level, empty lists and maps)."""
    path = str(nested_files[kind])
    inferred = spark_infer(spark, path, reader)
    assert inferred["map_int"] == "map<int,string>"
    assert inferred["ms"] == "map<string,struct<n:bigint,l:array<string>>>"
    assert inferred["list_struct"] == "array<struct<v:smallint,d:decimal(9,2)>>"
    assert inferred["list_of_lists"] == "array<array<bigint>>"
    with spark_conf(spark, spark_reader_conf(reader)):
        df = spark.read.parquet(path).selectExpr(
            *[c if c != "list_ts" else "transform(list_ts, x -> unix_micros(x)) AS list_ts" for c in inferred])
        got = [r.asDict(recursive=True) for r in df.orderBy("id").collect()]
    expected = _spark_expected(nested_table(40))
    bad = [i for i, (a, b) in enumerate(zip(got, expected)) if a != b]
    assert len(got) == len(expected) and not bad, (bad[:3], [got[i] for i in bad[:2]], [expected[i] for i in bad[:2]])


def _fastparquet(path: Path) -> pd.DataFrame:
    with open(path, "rb") as fh:
        return fastparquet.ParquetFile(fh).to_pandas()


def _plain(v: Any) -> Any:
    """numpy scalars / NaN / datetime64 in fastparquet's nested objects -> comparable Python."""
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {_plain(k): _plain(x) for k, x in v.items()}
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "dtype") and str(v.dtype).startswith("datetime64"):
        return int(v.astype("datetime64[us]").astype("int64"))
    return v.item() if hasattr(v, "item") else v


def test_fastparquet_reads_nested(nested_files: dict[str, Path]) -> None:
    """fastparquet 2026.9.0 on nested data: one level of list, maps of primitives and structs
    (flattened to dotted columns) read value for value from our dictionary-encoded file; lists of
    lists and lists of structs come back as None and a map of structs as its keys only — on
    pyarrow's file exactly as on ours."""
    ours, theirs = _fastparquet(nested_files["ours"]), _fastparquet(nested_files["pyarrow"])
    table = nested_table(40)
    rows = table.to_pylist()
    ts = table.column("list_ts").cast(pa.list_(pa.int64())).to_pylist()
    assert _plain(ours["id"].tolist()) == [r["id"] for r in rows]
    assert _plain(ours["list"].tolist()) == [r["list"] for r in rows]
    assert _plain(ours["map_int"].tolist()) == [None if r["map_int"] is None else dict(r["map_int"]) for r in rows]
    assert _plain(ours["list_ts"].tolist()) == ts
    for leaf, get in (("sos.inner.a", lambda s: (s.get("inner") or {}).get("a")),
                      ("sos.inner.b", lambda s: (s.get("inner") or {}).get("b")),
                      ("sos.c", lambda s: s.get("c"))):
        assert _plain(ours[leaf].tolist()) == [None if r["sos"] is None else get(r["sos"]) for r in rows], leaf
    assert _plain(ours["list_of_lists"].tolist()) == [None] * len(rows)
    assert _plain(ours["list_struct"].tolist()) == [None] * len(rows)
    assert _plain(ours["ms"].tolist()) == [None if r["ms"] is None else [k for k, _ in r["ms"]] for r in rows]
    assert list(ours.columns) == list(theirs.columns)
    for c in ours.columns:
        assert _plain(ours[c].tolist()) == _plain(theirs[c].tolist()), c


def test_fastparquet_plain_nested_maps_like_pyarrows(nested_files: dict[str, Path]) -> None:
    """fastparquet 2026.9.0 misreads PLAIN-encoded (non-dictionary) nested columns: a map's
    values come back as its keys and list<timestamp> elements stay raw integers. pyarrow's file
    written with use_dictionary=False reads identically wrong: a reader bug, pinned here."""
    ours, theirs = _fastparquet(nested_files["ours_plain"]), _fastparquet(nested_files["pyarrow_plain"])
    assert _plain(ours["map_int"].tolist())[0] == {1: 1}  # {1: "one"} in the file
    assert _plain(ours["list_ts"].tolist())[0] == [0, None, 1_700_000_000_123_456]
    for c in ours.columns:
        assert _plain(ours[c].tolist()) == _plain(theirs[c].tolist()), c


FEATURE_ROWS = 20_000


def feature_table() -> pa.Table:
    n = FEATURE_ROWS
    return pa.table({
        "id": pa.array(range(n), pa.int64()),
        "s": pa.array([None if i % 17 == 0 else f"s-{i % 5000:05d}" for i in range(n)], pa.string()),
        "d": pa.array([Decimal(i * 7 - 30_000).scaleb(-3) for i in range(n)], pa.decimal128(18, 3)),
        "ts": pa.array([1_700_000_000_000_000 + i * 1_000_003 for i in range(n)], pa.timestamp("us", tz="UTC")),
        "tags": pa.array([[f"t{i % 7}", f"u{i % 11}"] if i % 5 else None for i in range(n)], pa.list_(pa.string())),
    })


@pytest.fixture(scope="module", params=[1, 2], ids=["v1-pages", "v2-pages"])
def feature_file(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The features, with V1 data pages and with V2 ones (`data_page_version`)."""
    path = tmp_path_factory.mktemp("features") / "features.parquet"
    _binding_write(feature_table(), path, row_group_size=5_000, page_bytes=4096, page_checksum=True,
                   bloom_filter_columns=["id", "s", "d", "tags.list.element"], data_page_version=request.param)
    return path


def test_feature_file_has_the_features(feature_file: Path) -> None:
    """Several row groups and pages, a column and offset index per chunk, a CRC in every page
    header and (ours) a bloom filter on the named columns: what the readers below must digest."""
    footer = read_footer(feature_file)
    assert len(footer[4]) == 4
    for rg in footer[4]:
        for chunk in rg[1]:
            md = chunk[3]
            assert chunk.get(4) and chunk.get(6), "offset index and column index"
            pages = read_pages(feature_file, md)
            assert sum(p.type.startswith("DATA_PAGE") for p in pages) >= 2
            assert all(4 in p.header for p in pages), "page crc"
            name = ".".join(x.decode() for x in md[3])
            if not IS_REFERENCE and name in ("id", "s", "d", "tags.list.element"):
                assert md.get(14), f"bloom filter offset of {name}"


@pytest.mark.parametrize("reader", SPARK_READERS)
def test_spark_reads_feature_file(feature_file: Path, spark: Any, reader: str) -> None:
    """Whole and filtered: the filters go through row-group statistics, the column index and
    the bloom filters (parquet-java's defaults); any wrong index or filter loses rows."""
    t = feature_table()
    ids, strings = t.column("id").to_pylist(), t.column("s").to_pylist()
    with spark_conf(spark, spark_reader_conf(reader)):
        df = spark.read.parquet(str(feature_file))
        rows = df.selectExpr("id", "s", "CAST(d AS STRING)", "unix_micros(ts)", "tags").orderBy("id").collect()
        assert [r[0] for r in rows] == ids
        assert [r[1] for r in rows] == strings
        assert [Decimal(r[2]) for r in rows] == t.column("d").to_pylist()
        assert [r[3] for r in rows] == t.column("ts").cast(pa.int64()).to_pylist()
        assert [r[4] for r in rows] == t.column("tags").to_pylist()
        assert [r.id for r in df.where("id = 12345").select("id").collect()] == [12345]
        want = [i for i, s in enumerate(strings) if s == "s-00042"]
        assert sorted(r.id for r in df.where("s = 's-00042'").select("id").collect()) == want
        assert df.where("s = 'absent'").count() == 0
        assert df.where("d = 86.389").count() == 1  # i = 16,627: d = (i * 7 - 30,000) / 1,000
        assert df.where("id BETWEEN 4990 AND 5010").count() == 21


def test_fastparquet_reads_feature_file(feature_file: Path) -> None:
    """Whole (fastparquet ignores the page index, bloom filters and CRCs, which must not get in
    its way) and filtered through row-group statistics."""
    t = feature_table()
    df = _fastparquet(feature_file)
    assert df["id"].tolist() == t.column("id").to_pylist()
    assert _plain(df["s"].tolist()) == t.column("s").to_pylist()
    assert df["d"].tolist() == [float(i * 7 - 30_000) * 10**-3 for i in range(FEATURE_ROWS)]  # float64, as pinned
    assert df["ts"].astype("int64").tolist() == t.column("ts").cast(pa.int64()).to_pylist()
    assert _plain(df["tags"].tolist()) == t.column("tags").to_pylist()
    # Row-group pruning by statistics only. fastparquet 2026.9.0's row_filter=True is wrong on
    # chunks of several PLAIN data pages: it returns uninitialised values (id 94502710265301 for
    # 12345 on ours; 140332127689952 on pyarrow's file written with use_dictionary=False,
    # data_page_size=4096; IndexError with data_page_version 2.0 or a list column selected).
    with open(feature_file, "rb") as fh:
        hit = fastparquet.ParquetFile(fh).to_pandas(columns=["id", "s"], filters=[("id", "==", 12345)])
    assert hit["id"].tolist() == list(range(10_000, 15_000))
    assert _plain(hit["s"].tolist()) == t.column("s").to_pylist()[10_000:15_000]
