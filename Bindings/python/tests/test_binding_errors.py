"""Rejected input, invalid records, lifecycle misuse, bad configuration, a missing library."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from parquet_writer import ParquetWriterError, Writer

BINDING_ROOT = Path(__file__).resolve().parents[1]

SCHEMA = [("id", "int64", False), ("small", "int8"), ("name", "string"), ("flag", "boolean")]


def ids(path: Path) -> list[int]:
    return list(pq.read_table(path).column("id").to_pylist())


def only_file(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_malformed_json_rejects_the_batch_and_the_writer_goes_on(out_dir: Path) -> None:
    path = out_dir / "m.parquet"
    with Writer(path, SCHEMA) as w:
        w.write([{"id": 1}, {"id": 2}])
        bad = b'[{"id": 3}, {"id": 4, "name": "x"}, {"id": '
        with pytest.raises(ParquetWriterError) as info:
            w.write(bad)
        err = info.value
        assert err.code == "malformed_json"
        assert isinstance(err.offset, int) and 0 < err.offset <= len(bad)
        assert err.result is not None and err.result["ok"] is False
        assert "malformed_json" in str(err)
        with pytest.raises(ParquetWriterError) as info2:
            w.write(b'{"id": 5}\n{"id" 6}\n')
        assert info2.value.code == "malformed_json" and info2.value.offset is not None
        assert 9 <= info2.value.offset <= 17
        w.write('{"id": 7}\n')
    assert ids(path) == [1, 2, 7]


def test_wrong_type_rejects_the_batch_under_fail(out_dir: Path) -> None:
    path = out_dir / "t.parquet"
    with Writer(path, SCHEMA) as w:
        w.write([{"id": 1, "name": "a"}])
        with pytest.raises(ParquetWriterError) as info:
            w.write([{"id": 2, "name": "b"}, {"id": 3, "name": 42}, {"id": 4}])
        err = info.value
        assert err.code == "type_mismatch"
        assert (err.row, err.column) == (1, "name")
        with pytest.raises(ParquetWriterError) as info:
            w.write([{"id": "not a number"}])
        assert (info.value.code, info.value.row, info.value.column) == ("type_mismatch", 0, "id")
        with pytest.raises(ParquetWriterError) as info:
            w.write([{"id": 5, "flag": "yes"}])
        assert info.value.column == "flag"
    assert ids(path) == [1]


def test_row_is_counted_across_native_batches(out_dir: Path) -> None:
    """With several native batches per write() call the row counts from the call's first record,
    and the error's result holds what the earlier batches wrote."""
    path = out_dir / "rows.parquet"
    records = [{"id": i} for i in range(25)]
    records[17] = {"id": 17, "small": 1000}
    with Writer(path, SCHEMA) as w:
        with pytest.raises(ParquetWriterError) as info:
            w.write(records, batch_size=10)
        err = info.value
        assert (err.code, err.row, err.column) == ("value_out_of_range", 17, "small")
        assert err.result is not None and err.result["rows_written"] == 10
    assert ids(path) == list(range(10))


@pytest.mark.parametrize(
    "record, column, code",
    [
        ({"id": 1, "small": 128}, "small", "value_out_of_range"),
        ({"id": 1, "small": -129}, "small", "value_out_of_range"),
        ({"id": 2**63}, "id", "value_out_of_range"),
        ({"id": -(2**63) - 1}, "id", "value_out_of_range"),
        # beyond orjson's 64-bit range: the json module writes it, the library rejects it
        ({"id": 2**70}, "id", "value_out_of_range"),
        ({"id": 1.5}, "id", "invalid_value"),
    ],
)
def test_out_of_range_ints(out_dir: Path, record: dict[str, Any], column: str, code: str) -> None:
    with Writer(out_dir / "r.parquet", SCHEMA) as w:
        with pytest.raises(ParquetWriterError) as info:
            w.write([{"id": 0}, record])
        assert (info.value.code, info.value.row, info.value.column) == (code, 1, column)
        assert info.value.offset is not None
        w.write([{"id": 9}])
    assert ids(out_dir / "r.parquet") == [9]


def test_out_of_range_unsigned(out_dir: Path) -> None:
    with Writer(out_dir / "u.parquet", [("u8", "uint8"), ("u64", "uint64")]) as w:
        for record, column in (({"u8": -1}, "u8"), ({"u8": 256}, "u8"), ({"u64": -1}, "u64"), ({"u64": 2**64}, "u64")):
            with pytest.raises(ParquetWriterError) as info:
                w.write([record])
            assert (info.value.code, info.value.column) == ("value_out_of_range", column)


def test_missing_required_value(out_dir: Path) -> None:
    with Writer(out_dir / "req.parquet", SCHEMA) as w:
        with pytest.raises(ParquetWriterError) as info:
            w.write([{"id": 1}, {"name": "no id"}])
        assert (info.value.code, info.value.row, info.value.column) == ("missing_value", 1, "id")


def test_invalid_utf8_bytes(out_dir: Path) -> None:
    path = out_dir / "utf8.parquet"
    with Writer(path, SCHEMA) as w:
        payload = b'[{"id": 1, "name": "ok"}, {"id": 2, "name": "bad \xff\xfe bytes"}]'
        with pytest.raises(ParquetWriterError) as info:
            w.write(payload)
        err = info.value
        assert (err.code, err.row, err.column) == ("invalid_value", 1, "name")
        assert err.offset is not None and payload.index(b"\xff") <= err.offset <= payload.index(b"\xff") + 1
        # A lone surrogate in a Python str has no UTF-8 form either.
        with pytest.raises(ParquetWriterError) as info:
            w.write([{"id": 3, "name": "half \ud800 pair"}])
        assert (info.value.code, info.value.column) == ("invalid_value", "name")
        w.write([{"id": 4, "name": "fine"}])
    assert ids(path) == [4]


def test_invalid_record_element(out_dir: Path) -> None:
    with Writer(out_dir / "rec.parquet", SCHEMA) as w:
        with pytest.raises(ParquetWriterError) as info:
            w.write(b'[{"id": 1}, [1, 2]]')
        assert (info.value.code, info.value.row) == ("invalid_record", 1)


def test_skip_lists_rejected_rows(out_dir: Path) -> None:
    path = out_dir / "skip.parquet"
    records: list[dict[str, Any]] = [{"id": i, "small": i} for i in range(30)]
    records[3] = {"id": 3, "small": 300}
    records[12] = {"id": 12, "name": 5}
    records[25] = {"small": 1}
    with Writer(path, SCHEMA, on_invalid="skip") as w:
        result = w.write(records, batch_size=10)
        assert result.rows_written == 27 and result.rows_rejected == 3
        assert [(e["row"], e["column"], e["code"]) for e in result.errors] == [
            (3, "small", "value_out_of_range"),
            (12, "name", "type_mismatch"),
            (25, "id", "missing_value"),
        ]
        assert all(isinstance(e["message"], str) and e["message"] for e in result.errors)
        text = w.write(b'{"id": 100}\n{"id": "x"}\n{"id": 101}\n')
        assert (text.rows_written, text.rows_rejected) == (2, 1)
        assert text.errors[0]["row"] == 1 and isinstance(text.errors[0]["offset"], int)
        with pytest.raises(ParquetWriterError) as info:  # malformed JSON fails even under skip
            w.write(b'[{"id": 1},')
        assert info.value.code == "malformed_json"
    assert ids(path) == [i for i in range(30) if i not in (3, 12, 25)] + [100, 101]


def test_unserialisable_python_value(out_dir: Path) -> None:
    with Writer(out_dir / "obj.parquet", SCHEMA) as w:
        with pytest.raises(ParquetWriterError) as info:
            w.write([{"id": 1}, {"id": 2}, {"id": 3, "name": object()}])
        assert info.value.code == "unserializable" and info.value.row == 2
        w.write([{"id": 4}])


def test_context_manager_aborts_on_exception(out_dir: Path) -> None:
    path = out_dir / "aborted.parquet"
    with pytest.raises(KeyError, match="boom"):
        with Writer(path, SCHEMA) as w:
            w.write([{"id": i} for i in range(1000)])
            raise KeyError("boom")
    assert w.closed
    assert not path.exists()
    assert only_file(out_dir) == []  # no temporary file left behind either


def test_context_manager_aborts_on_rejected_batch(out_dir: Path) -> None:
    path = out_dir / "aborted2.parquet"
    with pytest.raises(ParquetWriterError):
        with Writer(path, SCHEMA) as w:
            w.write([{"id": 1}])
            w.write(b"[{")
    assert only_file(out_dir) == []


def test_abort_leaves_nothing_and_is_idempotent(out_dir: Path) -> None:
    w = Writer(out_dir / "x.parquet", SCHEMA)
    w.write([{"id": 1}])
    w.abort()
    w.abort()
    assert only_file(out_dir) == []
    with pytest.raises(ParquetWriterError) as info:
        w.close()
    assert info.value.code == "writer_closed"


def test_write_after_close_and_double_close(out_dir: Path) -> None:
    w = Writer(out_dir / "c.parquet", SCHEMA)
    w.write([{"id": 1}])
    w.close()
    with pytest.raises(ParquetWriterError) as info:
        w.write([{"id": 2}])
    assert info.value.code == "writer_closed"
    with pytest.raises(ParquetWriterError) as info:
        w.write(b'[{"id": 2}]')
    assert info.value.code == "writer_closed"
    with pytest.raises(ParquetWriterError) as info:
        w.close()
    assert info.value.code == "writer_closed"
    w.abort()  # no-op: the file stays
    assert ids(out_dir / "c.parquet") == [1]


def test_close_inside_with_block_is_not_repeated(out_dir: Path) -> None:
    with Writer(out_dir / "c.parquet", SCHEMA) as w:
        w.write([{"id": 1}])
        summary = w.close()
    assert summary["rows_written"] == 1 and w.summary is summary


def test_unclosed_writer_is_aborted_when_collected(out_dir: Path) -> None:
    def make() -> None:
        w = Writer(out_dir / "gc.parquet", SCHEMA)
        w.write([{"id": 1}])

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        make()
        gc.collect()
    assert any(issubclass(c.category, ResourceWarning) for c in caught)
    assert only_file(out_dir) == []


@pytest.mark.parametrize(
    "schema, code",
    [
        ([{"name": "x", "type": "int128"}], "invalid_schema"),
        ([{"name": "x"}], "invalid_schema"),
        ([], "invalid_schema"),
        ([("a", "int64"), ("a", "string")], "invalid_schema"),
        ([{"name": "d", "type": "decimal", "precision": 0, "scale": 0}], "invalid_schema"),
        ([{"name": "f", "type": "fixed_binary"}], "invalid_schema"),
    ],
)
def test_bad_schema_raises_at_construction(out_dir: Path, schema: Any, code: str) -> None:
    with pytest.raises(ParquetWriterError) as info:
        Writer(out_dir / "bad.parquet", schema)
    assert info.value.code == code and info.value.message
    assert only_file(out_dir) == []


@pytest.mark.parametrize(
    "options",
    [{"compression": "lzma"}, {"on_invalid": "ignore"}, {"row_group_rows": 0}, {"compression_level": 99, "compression": "zstd"}],
)
def test_bad_options_raise_at_construction(out_dir: Path, options: dict[str, Any]) -> None:
    with pytest.raises(ParquetWriterError) as info:
        Writer(out_dir / "bad.parquet", [("a", "int64")], **options)
    assert info.value.code == "invalid_options"
    assert only_file(out_dir) == []


def test_schema_shape_checked_in_python(out_dir: Path) -> None:
    for schema in ({"id": "int64"}, "id int64", [("id",)], [42]):
        with pytest.raises(ParquetWriterError) as info:
            Writer(out_dir / "s.parquet", schema)  # type: ignore[arg-type]
        assert info.value.code == "invalid_schema"


def test_unwritable_path(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(ParquetWriterError) as info:
        w = Writer(blocker / "x.parquet", SCHEMA)
        w.write([{"id": 1}])
        w.close()
    assert info.value.code == "io_error" and info.value.message
    with pytest.raises(ParquetWriterError) as info:
        Writer(tmp_path / "missing-dir" / "x.parquet", SCHEMA).close()
    assert info.value.code == "io_error"


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(BINDING_ROOT), **env}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full_env, capture_output=True, text=True, timeout=60)


def test_library_not_found_is_clear(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "libparquet_writer.so"
    proc = _run(
        """
        import parquet_writer                      # importing never loads the library
        try:
            parquet_writer.Writer("x.parquet", [("a", "int64")])
        except OSError as e:
            assert isinstance(e, parquet_writer.ParquetWriterError), type(e)
            print("CODE", e.code)
            print("MESSAGE", e)
        """,
        PARQUET_WRITER_LIBRARY=str(missing),
    )
    assert proc.returncode == 0, proc.stderr
    assert "CODE library_not_found" in proc.stdout
    assert str(missing) in proc.stdout and "PARQUET_WRITER_LIBRARY" in proc.stdout


def test_not_a_library_is_clear(tmp_path: Path) -> None:
    fake = tmp_path / "libparquet_writer.so"
    fake.write_text("not an ELF file")
    proc = _run("import parquet_writer; parquet_writer.version()", PARQUET_WRITER_LIBRARY=str(fake))
    assert proc.returncode != 0
    assert "LibraryNotFoundError" in proc.stderr and "could not be loaded" in proc.stderr


def test_library_beside_the_package(tmp_path: Path) -> None:
    """Without the variable, libparquet_writer.so beside __init__.py is used (how a wheel ships it)."""
    import shutil

    package = tmp_path / "site" / "parquet_writer"
    shutil.copytree(BINDING_ROOT / "parquet_writer", package)
    shutil.copy(os.environ["PARQUET_WRITER_LIBRARY"], package / "libparquet_writer.so")
    env = {k: v for k, v in os.environ.items() if k not in ("PARQUET_WRITER_LIBRARY", "PARQUET_WRITER_LIB")}
    env["PYTHONPATH"] = str(package.parent)
    code = "import parquet_writer, parquet_writer._native as n; print(parquet_writer.version()); print(n.library().path)"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1] == str(package / "libparquet_writer.so")


def test_error_object_properties() -> None:
    err = ParquetWriterError({"code": "type_mismatch", "message": "expected int64", "row": 3, "column": "id", "offset": 40})
    assert (err.code, err.message, err.row, err.column, err.offset) == ("type_mismatch", "expected int64", 3, "id", 40)
    assert str(err) == "type_mismatch: expected int64 (column 'id', row 3, byte 40)"
    assert err.result is None
    bare = ParquetWriterError("plain")
    assert (bare.row, bare.column, bare.offset) == (None, None, None)



def test_error_survives_pickling(out_dir: Path) -> None:
    import pickle

    with Writer(out_dir / "p.parquet", SCHEMA) as w:
        with pytest.raises(ParquetWriterError) as info:
            w.write([{"id": 1, "small": 999}])
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is ParquetWriterError
    assert (copy.code, copy.row, copy.column, copy.offset) == ("value_out_of_range", 0, "small", info.value.offset)
    assert copy.result == info.value.result and str(copy) == str(info.value)
