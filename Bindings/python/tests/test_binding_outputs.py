"""Writer outputs that are not local paths, without a network: binary file objects (io.BytesIO,
a real open file), fsspec's memory:// filesystem for single files and datasets, file:// URLs,
and the errors for what cannot be served (an unknown scheme creates nothing locally). S3 is in
test_binding_s3.py."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import fsspec
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from parquet_writer import ParquetWriterError, Partition, UnsupportedOutputError, Writer

# Reading through a Python filesystem (fsspec) with pyarrow's default pre-buffering leaves
# read-ahead work running after read_table returns; when it outlives the interpreter the
# process aborts at exit ("terminate called without an active exception": apache/arrow#33975,
# #34314; measured here: 2 of 30 runs of a plain pyarrow write + read_table(fs.open(...)), 0 of
# 40 with pre_buffer=False). These reads are small: pre-buffering buys nothing.
NO_PRE_BUFFER = ds.ParquetFileFormat(default_fragment_scan_options=ds.ParquetFragmentScanOptions(pre_buffer=False))

SCHEMA = [("id", "int64", False), ("name", "string"), ("country", "string")]


def records(start: int, count: int) -> list[dict[str, Any]]:
    return [
        {"id": i, "name": None if i % 5 == 0 else f"n{i}", "country": ["DE", "FR", "US"][i % 3]}
        for i in range(start, start + count)
    ]



@pytest.fixture
def in_tmp_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test runs in an empty working directory, so anything created locally shows."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- file objects ------------------------------------------------------------------------------


@pytest.mark.parametrize("threads", [1, 2])
def test_a_bytesio_receives_the_file(threads: int) -> None:
    buffer = io.BytesIO()
    with Writer(buffer, SCHEMA, row_group_rows=1000, threads=threads) as writer:
        writer.write(records(0, 2500))
    assert not buffer.closed  # the caller's object: flushed, never closed
    table = pq.read_table(pa.BufferReader(buffer.getvalue()))
    assert table.to_pylist() == records(0, 2500)
    assert pq.ParquetFile(pa.BufferReader(buffer.getvalue())).metadata.num_row_groups == 3
    assert writer.summary is not None and writer.summary["files"][0]["bytes"] == len(buffer.getvalue())
    assert writer.path == "<BytesIO>"


def test_a_real_open_file_receives_the_file(out_dir: Path) -> None:
    target = out_dir / "opened.parquet"
    with open(target, "wb") as handle:
        with Writer(handle, SCHEMA, compression="zstd") as writer:
            writer.write(records(0, 100))
        assert not handle.closed
        handle.write(b"")  # still the caller's to use
    assert pq.read_table(target).to_pylist() == records(0, 100)
    assert writer.summary["files"][0]["path"] == str(target)
    # The library created nothing beside it: no temporary file, no spool.
    assert sorted(p.name for p in out_dir.iterdir()) == ["opened.parquet"]


def test_an_unbuffered_raw_file_receives_the_file(out_dir: Path) -> None:
    target = out_dir / "raw.parquet"
    with open(target, "wb", buffering=0) as raw:
        with Writer(raw, SCHEMA) as writer:
            writer.write(records(0, 3000))
    assert pq.read_table(target).num_rows == 3000


def test_a_failing_file_object_is_an_io_error_chained_to_its_exception() -> None:
    class Full(io.RawIOBase):
        def __init__(self) -> None:
            self.taken = 0

        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            if self.taken > 1000:
                raise OSError(28, "No space left on device")
            self.taken += len(data)
            return len(data)

    writer = Writer(Full(), SCHEMA, row_group_rows=100)
    with pytest.raises(ParquetWriterError) as caught:
        writer.write(records(0, 5000))
    assert caught.value.code == "io_error"
    assert isinstance(caught.value.__cause__, OSError) and caught.value.__cause__.errno == 28
    with pytest.raises(ParquetWriterError) as closed:
        writer.close()
    assert closed.value.code == "writer_closed"


def test_a_file_object_cannot_hold_a_dataset() -> None:
    with pytest.raises(UnsupportedOutputError, match="file object"):
        Writer(directory=io.BytesIO(), schema=SCHEMA)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a str"):
        Writer(12, SCHEMA)  # type: ignore[arg-type]


# -- fsspec: memory:// -------------------------------------------------------------------------


def test_memory_url_single_file(memory_fs: Any) -> None:
    with Writer("memory://bucket/one.parquet", SCHEMA) as writer:
        writer.write(records(0, 50))
    assert writer.path == "memory://bucket/one.parquet"
    with memory_fs.open("/bucket/one.parquet", "rb") as handle:
        assert pq.read_table(handle, pre_buffer=False).to_pylist() == records(0, 50)


def test_memory_url_aborted_or_failed_leaves_nothing(memory_fs: Any) -> None:
    writer = Writer("memory://bucket/aborted.parquet", SCHEMA)
    writer.write(records(0, 10))
    writer.abort()
    assert not memory_fs.exists("/bucket/aborted.parquet")
    with pytest.raises(RuntimeError):
        with Writer("memory://bucket/raised.parquet", SCHEMA) as writer:
            writer.write(records(0, 10))
            raise RuntimeError("the producer failed")
    assert not memory_fs.exists("/bucket/raised.parquet")


def test_memory_url_partitioned_dataset(memory_fs: Any) -> None:
    with Writer(
        directory="memory://lake/ds", schema=SCHEMA, partition_by=["country"], max_rows_per_file=40
    ) as writer:
        writer.write(records(0, 150))
        writer.commit()
        writer.write(records(150, 60))
    files = writer.files
    assert all(f["path"].startswith("memory://lake/ds/country=") for f in files)
    assert sorted(memory_fs.find("/lake/ds")) == sorted(f["path"][len("memory:/"):] for f in files)
    dataset = ds.dataset("/lake/ds", filesystem=memory_fs, format=NO_PRE_BUFFER, partitioning="hive")
    back = sorted(dataset.to_table().to_pylist(), key=lambda r: r["id"])
    assert back == records(0, 210)


def test_an_output_that_cannot_be_opened_fails_creation_chained_to_the_filesystem_error(memory_fs: Any) -> None:
    memory_fs.pipe("/bucket/taken", b"a file, not a directory")
    with pytest.raises(ParquetWriterError) as caught:
        Writer("memory://bucket/taken/x.parquet", SCHEMA)
    assert caught.value.code == "io_error" and "open callback refused" in caught.value.message
    assert isinstance(caught.value.__cause__, FileExistsError)


def test_file_url_is_a_local_path(out_dir: Path) -> None:
    target = out_dir / "local.parquet"
    with Writer(f"file://{target}", SCHEMA) as writer:
        writer.write(records(0, 5))
    assert writer.path == str(target)
    assert pq.read_table(target).num_rows == 5
    with Writer(directory=f"file://{out_dir}/ds", schema=SCHEMA, partition_by=[Partition("country")]) as dataset:
        dataset.write(records(0, 9))
    assert sorted(p.name for p in (out_dir / "ds").iterdir()) == ["country=DE", "country=FR", "country=US"]


# -- what cannot be served ----------------------------------------------------------------------


def test_an_unknown_scheme_is_a_clear_error_and_creates_nothing(in_tmp_cwd: Path) -> None:
    with pytest.raises(UnsupportedOutputError) as single:
        Writer("nosuch://x/y.parquet", SCHEMA)
    assert single.value.code == "invalid_options"
    assert "'nosuch://'" in single.value.message
    assert isinstance(single.value, ValueError)
    with pytest.raises(UnsupportedOutputError, match="'nosuch://'"):
        Writer(directory="nosuch://lake/ds", schema=SCHEMA)
    assert list(in_tmp_cwd.iterdir()) == []
    assert not os.path.exists("nosuch:")


def test_storage_options_are_for_urls(out_dir: Path) -> None:
    with pytest.raises(UnsupportedOutputError, match="storage_options"):
        Writer(out_dir / "x.parquet", SCHEMA, storage_options={"anon": True})
    with pytest.raises(UnsupportedOutputError, match="storage_options"):
        Writer(io.BytesIO(), SCHEMA, storage_options={"anon": True})
    assert list(out_dir.iterdir()) == []
