"""Schema drift through the binding: Writer(unknown_keys=..., unknown_keys_column=...,
infer_strings=...) and the unknown key counts in WriteResult and the close summary."""

from __future__ import annotations

import datetime
import decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parquet_writer import ParquetWriterError, Writer


def test_ignore_counts_keys_across_native_batches(out_dir: Path) -> None:
    path = out_dir / "ignore.parquet"
    with Writer(path) as w:
        w.write([{"id": 1, "s": {"x": 1}}])
        # Three native batches of two records: the counts are summed over them.
        result = w.write(
            [{"id": i, "new": i, "s": {"x": i, "y": i}} if i % 2 else {"id": i} for i in range(2, 8)], batch_size=2)
        assert result.batches == 3
        assert result.unknown_keys == {"new": 3, "s.y": 3}
        assert result.as_dict()["unknown_keys"] == {"new": 3, "s.y": 3}
    assert w.summary is not None
    assert w.summary["unknown_keys"] == {"new": 3, "s.y": 3}
    assert pq.read_table(path).column_names == ["id", "s"]


def test_fail_raises_naming_the_key(out_dir: Path) -> None:
    path = out_dir / "fail.parquet"
    with Writer(path, unknown_keys="fail") as w:
        w.write([{"id": 1}])
        with pytest.raises(ParquetWriterError) as info:
            w.write([{"id": 2}, {"id": 3, "late": True}])
        assert info.value.code == "invalid_record"
        assert info.value.error["column"] == "late"
        assert info.value.error["row"] == 1
        w.write([{"id": 4}])
    assert pq.read_table(path).column("id").to_pylist() == [1, 4]


def test_collect_keeps_the_members(out_dir: Path) -> None:
    path = out_dir / "collect.parquet"
    with Writer(path, [("id", "int64")], unknown_keys="collect", unknown_keys_column="extras") as w:
        result = w.write([{"id": 1, "tag": "a", "n": [1, 2]}, {"id": 2}])
        assert result.unknown_keys == {"tag": 1, "n": 1}
    table = pq.read_table(path)
    assert table.column_names == ["id", "extras"]
    # The binding serialises dicts compactly; the column holds the members as sent.
    assert table.column("extras").to_pylist() == ['{"tag":"a","n":[1,2]}', None]


def test_infer_strings(out_dir: Path) -> None:
    typed, text = out_dir / "typed.parquet", out_dir / "text.parquet"
    record = {"t": "2024-05-06T07:08:09.5Z", "d": "2024-05-06", "m": "3.25"}
    with Writer(typed) as w:
        w.write([record])
    with Writer(text, infer_strings=False) as w:
        w.write([record])
    table = pq.read_table(typed)
    assert table.schema.field("t").type == pa.timestamp("us", tz="UTC")
    assert table.to_pylist() == [{
        "t": datetime.datetime(2024, 5, 6, 7, 8, 9, 500000, tzinfo=datetime.timezone.utc),
        "d": datetime.date(2024, 5, 6), "m": decimal.Decimal("3.25"),
    }]
    assert pq.read_table(text).to_pylist() == [record]


@pytest.mark.parametrize(
    "kwargs,fragment",
    [
        ({"unknown_keys": "drop"}, "expected one of: ignore, fail, collect"),
        ({"unknown_keys_column": "x"}, "only valid with unknown_keys collect"),
        ({"schema": [("id", "int64")], "infer_strings": False}, "only valid when the schema is inferred"),
    ],
)
def test_bad_options(out_dir: Path, kwargs: dict, fragment: str) -> None:
    with pytest.raises(ParquetWriterError) as info:
        Writer(out_dir / "bad.parquet", **kwargs)
    assert info.value.code == "invalid_options"
    assert fragment in str(info.value)
