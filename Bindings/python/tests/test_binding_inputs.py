"""The shapes write() accepts, the two serialisers, results, metadata and the close summary."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import pyarrow.parquet as pq
import pytest

import parquet_writer
from parquet_writer import Writer, WriteResult

SCHEMA = [("id", "int64"), ("name", "string"), ("score", "float64")]


def rows(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [{"id": i, "name": f"n{i}", "score": i / 4} for i in range(start, start + n)]


def read_ids(path: Path) -> list[int]:
    return list(pq.read_table(path).column("id").to_pylist())


def test_single_dict_list_and_tuple(out_dir: Path) -> None:
    path = out_dir / "a.parquet"
    with Writer(path, SCHEMA) as w:
        r1 = w.write({"id": 0, "name": "n0", "score": 0.0})
        r2 = w.write(rows(3, 1))
        r3 = w.write(tuple(rows(2, 4)))
        r4 = w.write([])
    assert isinstance(r1, WriteResult)
    assert [r.rows_written for r in (r1, r2, r3, r4)] == [1, 3, 2, 0]
    assert r4.batches == 0
    assert read_ids(path) == list(range(6))
    assert pq.read_table(path).column("name").to_pylist() == [f"n{i}" for i in range(6)]


def test_generator_is_consumed_in_chunks(out_dir: Path) -> None:
    path = out_dir / "gen.parquet"
    pulled: list[int] = []

    def gen() -> Iterator[dict[str, Any]]:
        for record in rows(1000):
            pulled.append(record["id"])
            yield record

    with Writer(path, SCHEMA) as w:
        result = w.write(gen(), batch_size=64)
    assert result.rows_written == 1000
    assert result.batches == math.ceil(1000 / 64)
    assert read_ids(path) == list(range(1000))


def test_generator_failure_keeps_the_chunks_already_written(out_dir: Path) -> None:
    """A generator that dies mid-way: the native batches sent before stay written (chunked, lazy)."""
    path = out_dir / "partial.parquet"

    def gen() -> Iterator[dict[str, Any]]:
        yield from rows(250)
        raise RuntimeError("source went away")

    with Writer(path, SCHEMA) as w:
        with pytest.raises(RuntimeError, match="source went away"):
            w.write(gen(), batch_size=100)
        w.write(rows(1, 1000))
    assert read_ids(path) == list(range(200)) + [1000]


def test_large_generator_default_batches(out_dir: Path) -> None:
    path = out_dir / "big.parquet"
    n = 25_000
    with Writer(path, SCHEMA, row_group_rows=10_000) as w:
        result = w.write(({"id": i, "name": None if i % 7 == 0 else f"n{i}", "score": i * 0.5} for i in range(n)))
    summary = w.summary
    # DEFAULT_BATCH_ROWS (256) first; then records of ~50 bytes: 4 MiB would be more than
    # the most records a batch takes (65,536), so the remaining 24,744 make one batch.
    assert result.rows_written == n and result.batches == 2
    assert summary is not None and summary["rows_written"] == n
    table = pq.read_table(path)
    assert table.num_rows == n
    assert sum(table.column("id").to_pylist()) == n * (n - 1) // 2
    assert table.column("name").null_count == len(range(0, n, 7))
    assert pq.ParquetFile(path).metadata.num_row_groups == 3


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b'[{"id": 1, "name": "a"}, {"id": 2, "score": 2.5}]', id="bytes-array"),
        pytest.param(b'{"id": 1, "name": "a"}\n{"id": 2, "score": 2.5}\n', id="bytes-ndjson"),
        pytest.param(b'{"id": 1, "name": "a"}\r\n\r\n{"id": 2, "score": 2.5}', id="bytes-ndjson-crlf-no-final-newline"),
        pytest.param('[{"id": 1, "name": "a"}, {"id": 2, "score": 2.5}]', id="str-array"),
        pytest.param('{"id": 1, "name": "a"}\n{"id": 2, "score": 2.5}\n', id="str-ndjson"),
        pytest.param(bytearray(b'[{"id": 1, "name": "a"}, {"id": 2, "score": 2.5}]'), id="bytearray"),
        pytest.param(memoryview(b'xx[{"id": 1, "name": "a"}, {"id": 2, "score": 2.5}]xx')[2:-2], id="memoryview-slice"),
    ],
)
def test_serialised_text(out_dir: Path, payload: Any) -> None:
    path = out_dir / "text.parquet"
    with Writer(path, SCHEMA) as w:
        result = w.write(payload)
    assert result.rows_written == 2 and result.batches == 1
    t = pq.read_table(path)
    assert t.to_pylist() == [
        {"id": 1, "name": "a", "score": None},
        {"id": 2, "name": None, "score": 2.5},
    ]


def test_str_with_non_ascii_text(out_dir: Path) -> None:
    path = out_dir / "utf8.parquet"
    with Writer(path, SCHEMA) as w:
        w.write('[{"id": 1, "name": "ünïcødé 🎉"}]')
        w.write([{"id": 2, "name": "日本語"}])
    assert pq.read_table(path).column("name").to_pylist() == ["ünïcødé 🎉", "日本語"]


def _values_records() -> list[dict[str, Any]]:
    return [
        {"id": 1, "name": "x", "score": math.nan},
        {"id": 2, "name": None, "score": math.inf},
        {"id": 3, "name": "z", "score": -math.inf},
        {"id": 4, "name": "w", "score": None},
        {"id": 5, "name": "v", "score": 1e300},
    ]


def _read_scores(path: Path) -> list[Any]:
    return list(pq.read_table(path).column("score").to_pylist())


def test_orjson_and_json_fallback_write_the_same(out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("orjson")
    with Writer(out_dir / "orjson.parquet", SCHEMA) as w:
        assert w.serializer == "orjson"
        w.write(_values_records())
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson now raises ImportError
    with Writer(out_dir / "json.parquet", SCHEMA) as w:
        assert w.serializer == "json"
        w.write(_values_records())
    a = pq.read_table(out_dir / "orjson.parquet")
    b = pq.read_table(out_dir / "json.parquet")
    assert a.column("id").to_pylist() == b.column("id").to_pylist() == [1, 2, 3, 4, 5]
    for scores in (_read_scores(out_dir / "orjson.parquet"), _read_scores(out_dir / "json.parquet")):
        assert math.isnan(scores[0])
        assert scores[1:] == [math.inf, -math.inf, None, 1e300]
    assert a.column("name").to_pylist() == b.column("name").to_pylist()


@pytest.mark.parametrize("backend", ["orjson", "json"])
def test_nonfinite_outside_float_columns_is_null(out_dir: Path, monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    """NaN is pandas' missing value: in a column that is not float32/float64 it is written as null
    (and so rejected where the column is not nullable), the same with either backend."""
    if backend == "json":
        monkeypatch.setitem(sys.modules, "orjson", None)
    else:
        pytest.importorskip("orjson")
    path = out_dir / "nan.parquet"
    with Writer(path, [("id", "int64", False), ("n", "int32"), ("s", "string"), ("f", "float32")]) as w:
        assert w.serializer == backend
        w.write([{"id": 1, "n": math.nan, "s": math.inf, "f": math.nan}, {"id": 2, "n": 3, "s": "x", "f": 1.0}])
        with pytest.raises(parquet_writer.ParquetWriterError) as info:
            w.write([{"id": math.nan}])
        assert (info.value.code, info.value.column) == ("missing_value", "id")
    t = pq.read_table(path)
    assert t.column("n").to_pylist() == [None, 3]
    assert t.column("s").to_pylist() == [None, "x"]
    f = t.column("f").to_pylist()
    assert math.isnan(f[0]) and f[1] == 1.0


@pytest.mark.parametrize("backend", ["orjson", "json"])
def test_python_value_types_through_each_backend(out_dir: Path, monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    if backend == "json":
        monkeypatch.setitem(sys.modules, "orjson", None)
    else:
        pytest.importorskip("orjson")
    schema = [
        ("ts", "timestamp_us"), ("d", "date"), ("t", "time_us"), ("amount", {"type": "decimal", "precision": 12, "scale": 2}),
        ("u", "uuid"), ("blob", "binary"), ("x", "float32"), ("big", "uint64"),
    ]
    import uuid

    u = uuid.uuid4()
    path = out_dir / f"{backend}.parquet"
    with Writer(path, schema) as w:
        assert w.serializer == backend
        w.write([
            {
                "ts": dt.datetime(2030, 5, 6, 7, 8, 9, 10), "d": dt.date(1900, 1, 1), "t": dt.time(1, 2, 3, 4),
                "amount": Decimal("-9999999999.99"), "u": u, "blob": b"\x00" * 3, "x": math.nan, "big": 2**64 - 1,
            }
        ])
    row = pq.read_table(path).to_pylist()[0]
    assert row["ts"] == dt.datetime(2030, 5, 6, 7, 8, 9, 10, tzinfo=dt.timezone.utc)
    assert row["d"] == dt.date(1900, 1, 1)
    assert row["t"] == dt.time(1, 2, 3, 4)
    assert row["amount"] == Decimal("-9999999999.99")
    assert row["u"] == u
    assert row["blob"] == b"\x00\x00\x00"
    assert math.isnan(row["x"])
    assert row["big"] == 2**64 - 1


def test_metadata_and_summary(out_dir: Path) -> None:
    path = out_dir / "meta.parquet"
    w = Writer(path, SCHEMA, metadata={"source": "unit-test", "ünï": "cødé"}, row_group_rows=40)
    w.write(rows(100))
    w.write([{"id": None, "name": "zz", "score": -1.0}])
    summary = w.close()
    assert summary["ok"] is True
    assert summary["rows_written"] == 101
    assert len(summary["files"]) == 1
    f = summary["files"][0]
    assert Path(f["path"]).resolve() == path.resolve()
    assert f["rows"] == 101
    assert f["bytes"] == os.path.getsize(path)
    meta = pq.ParquetFile(path).metadata
    assert f["row_groups"] == meta.num_row_groups == 3
    cols = f["columns"]
    assert cols["id"] == {"null_count": 1, "min": 0, "max": 99}
    assert cols["name"]["null_count"] == 0 and cols["name"]["min"] == "n0" and cols["name"]["max"] == "zz"
    assert cols["score"]["min"] == -1.0 and cols["score"]["max"] == 99 / 4
    kv = pq.read_metadata(path).metadata
    assert kv[b"source"] == b"unit-test"
    assert kv["ünï".encode()] == "cødé".encode()
    assert w.summary == summary and w.closed


def test_schema_forms_are_equivalent(out_dir: Path) -> None:
    forms: list[Any] = [
        {"fields": [{"name": "id", "type": "int64", "nullable": True}, {"name": "name", "type": "string", "nullable": True}]},
        [{"name": "id", "type": "int64", "nullable": True}, {"name": "name", "type": "string", "nullable": True}],
        [("id", "int64"), ("name", "string", True)],
        [("id", "int64", {"nullable": True}), ("name", {"type": "string"})],
    ]
    schemas = []
    for i, form in enumerate(forms):
        path = out_dir / f"s{i}.parquet"
        with Writer(path, form) as w:
            w.write([{"id": 1, "name": None}])
        schemas.append(pq.read_schema(path))
        assert pq.read_table(path).to_pylist() == [{"id": 1, "name": None}]
    assert all(s.equals(schemas[0]) for s in schemas)


def test_non_nullable_field_from_tuple(out_dir: Path) -> None:
    path = out_dir / "req.parquet"
    with Writer(path, [("id", "int64", False)]) as w:
        w.write([{"id": 1}])
    assert pq.read_schema(path).field("id").nullable is False


def test_compression_level_and_sizes(out_dir: Path) -> None:
    data = [{"id": i, "name": "same text " * 5, "score": 0.0} for i in range(5000)]
    sizes = {}
    for compression, level in (("none", None), ("zstd", 9), ("gzip", 6), ("snappy", None), ("lz4_raw", 12),
                               ("brotli", 0)):
        path = out_dir / f"{compression}.parquet"
        with Writer(path, SCHEMA, compression=compression, compression_level=level, dictionary=False) as w:
            w.write(data)
        sizes[compression] = os.path.getsize(path)
        codec = pq.ParquetFile(path).metadata.row_group(0).column(1).compression
        # pyarrow names LZ4_RAW (codec 7) "LZ4"; the Hadoop-framed LZ4 (5) would be "LZ4_HADOOP".
        assert codec == {"none": "UNCOMPRESSED", "zstd": "ZSTD", "gzip": "GZIP", "snappy": "SNAPPY",
                         "lz4_raw": "LZ4", "brotli": "BROTLI"}[compression]
        assert pq.read_table(path).to_pylist() == data
    assert all(sizes[c] < sizes["none"] for c in ("zstd", "gzip", "snappy", "lz4_raw", "brotli")), sizes


@pytest.mark.parametrize(("compression", "level", "message"), [
    ("lz4_raw", 0, "outside lz4_raw's 1...12"), ("lz4_raw", 13, "outside lz4_raw's 1...12"),
    ("brotli", 12, "outside brotli's 0...11"), ("brotli", -1, "outside brotli's 0...11"),
    ("lz4", None, "unknown compression 'lz4'"),
])
def test_codec_level_errors_name_the_codec_and_range(out_dir: Path, compression: str, level, message: str) -> None:
    path = out_dir / "bad-level.parquet"
    with pytest.raises(parquet_writer.ParquetWriterError) as info:
        Writer(path, SCHEMA, compression=compression, compression_level=level)
    assert info.value.code == "invalid_options" and message in str(info.value)
    assert not path.exists()


def test_version() -> None:
    v = parquet_writer.version()
    assert isinstance(v, str) and v
    assert parquet_writer.__version__ == "0.1.0"


def test_default_batches_hold_about_four_mib_of_json(out_dir: Path) -> None:
    """Without batch_size, dicts go in native batches of about DEFAULT_BATCH_BYTES of JSON:
    the first DEFAULT_BATCH_ROWS records, then as many as the bytes per record so far make
    4 MiB; a given batch_size is kept."""
    assert parquet_writer.DEFAULT_BATCH_BYTES == 4 << 20 and parquet_writer.DEFAULT_BATCH_ROWS == 256
    n = 10_000
    wide = [{"id": i, "name": "x" * 2_000, "score": 0.5} for i in range(n)]
    path = out_dir / "wide.parquet"
    with Writer(path, SCHEMA) as w:
        # About 2,040 bytes a record: 256 records, then 9,744 in batches of about 2,050.
        assert w.write(iter(wide)).batches == 1 + 5
        assert w.write(wide, batch_size=1_000).batches == 10
    assert pq.read_table(path).column("id").to_pylist() == list(range(n)) * 2


def test_two_writers_in_two_threads(out_dir: Path) -> None:
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            with Writer(out_dir / f"t{k}.parquet", SCHEMA) as w:
                for start in range(0, 20_000, 1000):
                    w.write(rows(1000, k * 100_000 + start))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for k in range(2):
        assert read_ids(out_dir / f"t{k}.parquet") == list(range(k * 100_000, k * 100_000 + 20_000))


def test_one_writer_shared_by_threads_is_serialised(out_dir: Path) -> None:
    path = out_dir / "shared.parquet"
    with Writer(path, SCHEMA) as w:
        threads = [threading.Thread(target=lambda k=k: [w.write(rows(100, k * 10_000 + j * 100)) for j in range(20)]) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(read_ids(path)) == sorted(k * 10_000 + i for k in range(4) for i in range(2000))


def test_raw_native_layer_round_trip(out_dir: Path) -> None:
    """The ctypes layer itself: NUL-terminated write_batch, then close_writer's freed JSON."""
    from parquet_writer import _native

    lib = _native.library()
    assert lib is _native.library()  # one load per process
    path = out_dir / "raw.parquet"
    config = {"path": str(path), "schema": {"fields": [{"name": "id", "type": "int64", "nullable": True}]}}
    handle = lib.create_writer(json.dumps(config).encode())
    result = lib.write_batch(handle, b'[{"id": 7}, {"id": 8}]')
    assert result["ok"] is True and result["rows_written"] == 2
    summary = lib.close_writer(handle)
    assert summary["ok"] is True and summary["files"][0]["rows"] == 2
    assert read_ids(path) == [7, 8]


def test_threads_and_column_buffer_write_the_same_file(out_dir: Path) -> None:
    contents = []
    for name, options in (("plain", {}), ("piped", {"threads": "auto", "column_buffer_bytes": 1})):
        path = out_dir / f"{name}.parquet"
        with Writer(path, SCHEMA, compression="zstd", row_group_rows=3_000, **options) as w:
            for start in range(0, 20_000, 2_500):
                assert w.write(rows(2_500, start)).rows_written == 2_500
        assert w.summary is not None and w.summary["rows_written"] == 20_000
        contents.append(path.read_bytes())
    assert contents[0] == contents[1]
    assert read_ids(out_dir / "piped.parquet") == list(range(20_000))
    with pytest.raises(parquet_writer.ParquetWriterError) as error:
        Writer(out_dir / "bad.parquet", SCHEMA, threads=0)
    assert error.value.code == "invalid_options"


def test_nonfinite_detection_agrees_with_a_plain_loop() -> None:
    from parquet_writer._serialize import _has_nonfinite_loop, has_nonfinite

    cases = [
        [{"f": 1.0}, {"f": None}, {}, {"f": 2}],                      # finite, nulls, missing, int
        [{"f": 1.0}, {"f": math.nan}],                                 # NaN
        [{"f": math.inf}], [{"f": -math.inf}, {"f": 1.0}],             # infinities
        [{"f": math.inf}, {"f": -math.inf}],                           # fsum raises: inf - inf
        [{"f": 1e308}, {"f": 1e308}],                                  # fsum overflows; all finite
        [{"f": "text"}, {"f": math.nan}], [{"f": "text"}, {"f": 1.5}],  # not numbers: the loop decides
        [{"f": True}, {"f": Decimal("2.5")}],                          # numbers that are not floats
    ]
    for records in cases:
        assert has_nonfinite(records, ["f"]) == _has_nonfinite_loop(records, "f"), records
    assert has_nonfinite([{"a": 1.0, "b": math.nan}], ["a", "b"])
    assert not has_nonfinite([{"a": 1.0, "b": 2.0}], ["a", "b"])


@pytest.mark.parametrize("name", ["f", "é", 'a"b', "a\\b", "tab\there", "ключ"])
def test_orjson_finds_nonfinite_floats_whatever_the_column_name(name: str) -> None:
    """orjson writes NaN as null; the serializer looks for ``"<name>":null`` before it scans the
    records, so that pattern must be exactly what orjson writes for the column, escapes included.
    Nulls in other columns (and a key that merely contains the name) must not hide a NaN."""
    orjson = pytest.importorskip("orjson")
    from parquet_writer._serialize import OrjsonSerializer

    serializer = OrjsonSerializer(orjson, [name])
    records = [{"other": None, "x" + name: None, name: 1.5}, {"other": None, name: math.nan}, {name: -math.inf}]
    data = orjson.loads(serializer.dumps(records))
    assert data[0][name] == 1.5 and data[1][name] == "NaN" and data[2][name] == "-Infinity"
    assert data[0]["other"] is None and data[0]["x" + name] is None
    # A batch without a non-finite float is orjson's output as is (nulls elsewhere included).
    finite = [{"other": None, name: 2.0}, {name: None}]
    assert serializer.dumps(finite) == orjson.dumps(finite)
